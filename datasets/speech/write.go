package speech

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// Files written beside the recordings.
const (
	PlanFile     = "plan.tsv"
	InfoFile     = "speech.json"
	ManifestFile = "manifest.tsv"
)

// Info is what speech.json holds: how the stand-in was made.
type Info struct {
	Generator  string `json:"generator"`
	Config     Config `json:"config"`
	Espeak     string `json:"espeak_ng"`
	Sox        string `json:"sox"`
	Recordings int    `json:"recordings"`
}

// generator names this package's way of making the stand-ins; change it
// whenever the files it makes change.
const generator = "spikegrad datasets/speech 1"

// Options are the settings of Write that do not change the files.
type Options struct {
	// Workers run espeak-ng and sox at once; 0 means GOMAXPROCS.
	Workers int
	// Progress, if not nil, is called after every recording with the
	// number done and the total.
	Progress func(done, total int)
}

// Write makes the stand-in of c in dir, which must be empty or not
// exist: the recordings in the layout of c.Set, the file lists the
// loader reads (RawHD: train_filenames.txt and test_filenames.txt; RawSC:
// validation_list.txt, testing_list.txt and a _background_noise_ folder
// of the noise banks), plan.tsv, speech.json and, last, manifest.tsv. A
// folder without manifest.tsv is incomplete. It returns the information
// written to speech.json.
func Write(ctx context.Context, dir string, c Config, o Options) (*Info, error) {
	_, recs, err := Plan(c)
	if err != nil {
		return nil, err
	}
	t, err := FindTools(ctx)
	if err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("speech: %s is not empty; choose a new folder", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("speech: %w", err)
	}
	folders := map[string]bool{}
	for _, r := range recs {
		folders[path.Dir(r.Path)] = true
	}
	for f := range folders {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(f)), 0o755); err != nil {
			return nil, fmt.Errorf("speech: %w", err)
		}
	}
	banks, err := noiseBanks(ctx, t, c.Rate())
	if err != nil {
		return nil, err
	}
	if err := renderAll(ctx, t, c, banks, dir, recs, o); err != nil {
		return nil, err
	}
	if err := writeLists(ctx, t, c, banks, dir, recs); err != nil {
		return nil, err
	}
	info := &Info{Generator: generator, Config: c, Espeak: t.EspeakVersion, Sox: t.SoxVersion, Recordings: len(recs)}
	if c.Set == RawSC && len(info.Config.Words) == 0 {
		info.Config.Words = SCWords
	}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, InfoFile), append(b, '\n')); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, PlanFile), PlanTSV(recs)); err != nil {
		return nil, err
	}
	m, err := MakeManifest(dir)
	if err != nil {
		return nil, err
	}
	return info, writeFile(filepath.Join(dir, ManifestFile), m)
}

// renderAll renders the recordings with o.Workers at once.
func renderAll(ctx context.Context, t Tools, c Config, banks map[string][]float64, dir string, recs []Recording, o Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan Recording)
	var (
		mu    sync.Mutex
		first error
		done  int
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				err := render(ctx, t, c, banks, dir, r)
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
		}()
	}
feed:
	for _, r := range recs {
		select {
		case jobs <- r:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// writeLists writes the split lists of c.Set, and for RawSC the
// _background_noise_ folder.
func writeLists(ctx context.Context, t Tools, c Config, banks map[string][]float64, dir string, recs []Recording) error {
	lists := map[string][]string{}
	for _, r := range recs {
		if c.Set == RawHD {
			lists[r.Split+"_filenames.txt"] = append(lists[r.Split+"_filenames.txt"], path.Base(r.Path))
		} else if r.Split != "train" {
			name := map[string]string{"validation": "validation_list.txt", "test": "testing_list.txt"}[r.Split]
			lists[name] = append(lists[name], r.Path)
		}
	}
	names := []string{"train_filenames.txt", "test_filenames.txt"}
	if c.Set == RawSC {
		names = []string{"validation_list.txt", "testing_list.txt"}
	}
	for _, name := range names {
		if err := writeFile(filepath.Join(dir, name), []byte(strings.Join(lists[name], "\n")+"\n")); err != nil {
			return err
		}
	}
	if c.Set != RawSC {
		return nil
	}
	noiseDir := filepath.Join(dir, "_background_noise_")
	if err := os.MkdirAll(noiseDir, 0o755); err != nil {
		return fmt.Errorf("speech: %w", err)
	}
	for _, kind := range noises {
		x := banks[kind]
		peak := 0.0
		for _, v := range x {
			peak = max(peak, math.Abs(v))
		}
		pcm := make([]byte, 4*len(x))
		for i, v := range x {
			binary.LittleEndian.PutUint32(pcm[4*i:], math.Float32bits(float32(0.5*v/peak)))
		}
		if _, err := run(ctx, pcm, t.Sox, append(append([]string{"-R"}, rawFormat(c.Rate())...),
			"-", "-t", "wav", "-b", "16", filepath.Join(noiseDir, kind+"_noise.wav"))...); err != nil {
			return err
		}
	}
	readme := "Background noise of the stand-in (" + strconv.Itoa(bankSeconds) + " s each): white, pink and brown noise made by sox, and babble of three espeak-ng talkers. Not a word.\n"
	return writeFile(filepath.Join(noiseDir, "README.md"), []byte(readme))
}

func writeFile(p string, b []byte) error {
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("speech: %w", err)
	}
	return nil
}
