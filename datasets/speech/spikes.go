package speech

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/scigolib/hdf5"

	"github.com/spikegrad/spikegrad/datasets/audio"
	"github.com/spikegrad/spikegrad/datasets/audio/decode"
	"github.com/spikegrad/spikegrad/datasets/cochlea"
	"github.com/spikegrad/spikegrad/datasets/internal/shdfile"
)

// The spiking layouts, and the file written beside their HDF5 files.
const (
	SHD         = "shd" // the Spiking Heidelberg Digits, from RawHD
	SSC         = "ssc" // the Spiking Speech Commands, from RawSC
	CochleaFile = "cochlea.json"
)

// SpikeInfo is what cochlea.json holds: how a spiking stand-in was made
// and what it holds.
type SpikeInfo struct {
	Generator string         `json:"generator"`
	Set       string         `json:"set"`
	Source    Info           `json:"source"`          // the audio stand-in's speech.json
	SourceSum string         `json:"source_manifest"` // SHA-256 of its manifest.tsv
	Cochlea   cochlea.Config `json:"cochlea"`
	// HDF5 names the writer of the files: h5py and its version (the
	// published element types) or scigolib/hdf5 (byte sequences).
	HDF5 string `json:"hdf5_writer"`
	// Files are the HDF5 files written, with the number of recordings
	// and spikes of each and the fewest, mean and most spikes a
	// recording has.
	Files []SpikeFile `json:"files"`
}

// SpikeFile describes one HDF5 file of a spiking stand-in.
type SpikeFile struct {
	Name       string  `json:"name"`
	Recordings int     `json:"recordings"`
	Spikes     int     `json:"spikes"`
	Fewest     int     `json:"fewest_spikes"`
	Mean       float64 `json:"mean_spikes"`
	Most       int     `json:"most_spikes"`
}

// SpikeOptions are the settings of WriteSpikes that do not change the
// spikes.
type SpikeOptions struct {
	Options
	// H5py writes the HDF5 files with h5py, with the element types of the
	// published files, instead of the Go writer.
	H5py bool
}

// spikeGenerator names this way of making spiking stand-ins; change it
// whenever the files it makes change.
const spikeGenerator = "spikegrad datasets/speech spikes 1"

// WriteSpikes turns the audio stand-in in src, as Write made it, into the
// spikes of the cochlea model c, written into dst (which must be empty or
// not exist) in the layout of the published spiking set: shd_train.h5 and
// shd_test.h5 from RawHD, ssc_train.h5, ssc_valid.h5 and ssc_test.h5 from
// RawSC, which package shd reads, with the same recordings, labels,
// class names, speakers and splits; and cochlea.json. src is checked
// against its manifest first, and its plan (from speech.json) names what
// every file is.
//
// The spike times are float16 seconds and the channels uint16, as in the
// published files. With o.H5py, h5py (of a python3 with numpy and h5py,
// Debian's first) writes them with those element types, as the published
// files have them, so that every HDF5 reader sees them so. The Go HDF5
// writer used otherwise has no variable-length
// float16 or uint16 types: it stores both as variable-length uint8
// sequences of their little-endian bytes (see shdfile.Layout), which
// package shd reads as the published types but h5py reads as bytes.
// Each file is written under a temporary name and renamed when complete.
func WriteSpikes(ctx context.Context, src, dst string, c cochlea.Config, o SpikeOptions) (*SpikeInfo, error) {
	enc, err := cochlea.New(c)
	if err != nil {
		return nil, err
	}
	hdf5Writer, python := "scigolib/hdf5", ""
	if o.H5py {
		var version string
		if python, version, err = shdfile.FindPython(ctx); err != nil {
			return nil, fmt.Errorf("speech: %w", err)
		}
		hdf5Writer = "h5py " + version
	}
	if err := Verify(src); err != nil {
		return nil, err
	}
	var info Info
	b, err := os.ReadFile(filepath.Join(src, InfoFile))
	if err == nil {
		err = json.Unmarshal(b, &info)
	}
	if err != nil {
		return nil, fmt.Errorf("speech: %s: %w", filepath.Join(src, InfoFile), err)
	}
	if info.Generator != generator {
		return nil, fmt.Errorf("speech: %s: made by %q, which this version (%q) does not know how to read", filepath.Join(src, InfoFile), info.Generator, generator)
	}
	_, recs, err := Plan(info.Config)
	if err != nil {
		return nil, fmt.Errorf("speech: %s: %w", filepath.Join(src, InfoFile), err)
	}
	m, err := os.ReadFile(filepath.Join(src, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("speech: %w", err)
	}
	if entries, err := os.ReadDir(dst); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("speech: %s is not empty; choose a new folder", dst)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("speech: %w", err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, fmt.Errorf("speech: %w", err)
	}
	out := &SpikeInfo{Generator: spikeGenerator, Source: info, SourceSum: ManifestHash(m), Cochlea: c, HDF5: hdf5Writer}
	set, parts, keys := SHD, []string{"train", "test"}, audio.RawHDClassNames()
	if info.Config.Set == RawSC {
		set, parts, keys = SSC, []string{"train", "validation", "test"}, info.Config.words()
	}
	out.Set = set
	// One split at a time, so that only its spikes are held in memory.
	done, progress := 0, o.Progress
	for _, part := range parts {
		var split []Recording
		for _, r := range recs {
			if r.Split == part {
				split = append(split, r)
			}
		}
		eo := o.Options
		if progress != nil {
			eo.Progress = func(n, _ int) { progress(done+n, len(recs)) }
		}
		spikes, err := encodeAll(ctx, enc, src, split, eo)
		if err != nil {
			return nil, err
		}
		done += len(split)
		f, err := writeSpikeFile(ctx, python, dst, set, part, keys, split, spikes)
		if err != nil {
			return nil, err
		}
		out.Files = append(out.Files, f)
	}
	j, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(filepath.Join(dst, CochleaFile), append(j, '\n')); err != nil {
		return nil, err
	}
	return out, syncDir(dst)
}

// encodeAll encodes every recording of recs in src with o.Workers at once;
// the spikes are in the order of recs, whatever the number of workers.
func encodeAll(ctx context.Context, enc *cochlea.Encoder, src string, recs []Recording, o Options) ([]cochlea.Spikes, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]cochlea.Spikes, len(recs))
	jobs := make(chan int)
	var (
		mu    sync.Mutex
		first error
		done  int
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				p := filepath.Join(src, filepath.FromSlash(recs[i].Path))
				a, err := decode.File(p)
				if err == nil {
					out[i], err = enc.Encode(a.Samples, a.SampleRate)
					if err != nil {
						err = fmt.Errorf("speech: %s: %w", p, err)
					}
				}
				mu.Lock()
				if err != nil && first == nil {
					first = err
					cancel()
				}
				done++
				if o.Progress != nil && err == nil {
					o.Progress(done, len(recs))
				}
				mu.Unlock()
			}
		})
	}
feed:
	for i := range recs {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out, ctx.Err()
}

// writeSpikeFile writes the recordings of split part (train, validation
// or test), recs, whose spikes are spikes, as the HDF5 file of set, with
// h5py if python is not "".
func writeSpikeFile(ctx context.Context, python, dst, set, part string, keys []string, recs []Recording, spikes []cochlea.Spikes) (SpikeFile, error) {
	name := shdfile.FileName(set, map[string]string{"train": "train", "validation": "valid", "test": "test"}[part])
	f := SpikeFile{Name: name, Fewest: -1}
	c := shdfile.Content{Keys: keys}
	for i, r := range recs {
		s := spikes[i]
		c.Times = append(c.Times, shdfile.HalfTimes(s.Times))
		c.Units = append(c.Units, shdfile.UnitBytes(s.Units))
		c.Labels = append(c.Labels, uint16(r.Label))
		if set == SHD {
			id, err := strconv.ParseUint(r.Speaker, 10, 16)
			if err != nil {
				return f, fmt.Errorf("speech: speaker %q of %s is not a number", r.Speaker, r.Path)
			}
			c.Speakers = append(c.Speakers, uint16(id))
		} else {
			c.SpeakerNames = append(c.SpeakerNames, r.Speaker)
		}
		f.Recordings++
		f.Spikes += s.Len()
		f.Most = max(f.Most, s.Len())
		if f.Fewest < 0 || s.Len() < f.Fewest {
			f.Fewest = s.Len()
		}
	}
	if f.Recordings == 0 {
		return f, fmt.Errorf("speech: no %s recordings for %s", part, name)
	}
	f.Mean = float64(f.Spikes) / float64(f.Recordings)
	// The stand-ins have no speaker meta information (gender, age, body
	// height): those data sets are left out rather than made up.
	var err error
	sets := slices.DeleteFunc(shdfile.Layout(c), func(s shdfile.Set) bool { return s.Dims[0] == 0 })
	final := filepath.Join(dst, name)
	tmp := final + ".tmp"
	if python != "" {
		err = shdfile.WriteH5py(ctx, python, tmp, c)
	} else {
		err = shdfile.Write(tmp, shdfile.Groups, sets, hdf5.WithSuperblockVersion(hdf5.SuperblockV0))
	}
	if err != nil {
		return f, fmt.Errorf("speech: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return f, err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return f, fmt.Errorf("speech: %w", err)
	}
	return f, nil
}

// writeFileAtomic writes b to p through a temporary file in the same
// folder, synced and renamed, so that p is either whole or absent.
func writeFileAtomic(p string, b []byte) error {
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("speech: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("speech: %w", err)
	}
	return nil
}

func syncFile(p string) error {
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("speech: %w", err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("speech: %s: %w", p, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("speech: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("speech: %s: %w", dir, err)
	}
	return nil
}
