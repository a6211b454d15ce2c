package speech

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scigolib/hdf5"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio/decode"
	"github.com/spikegrad/spikegrad/datasets/cochlea"
	"github.com/spikegrad/spikegrad/datasets/internal/audioenc"
	"github.com/spikegrad/spikegrad/datasets/internal/half"
	"github.com/spikegrad/spikegrad/datasets/internal/shdfile"
	"github.com/spikegrad/spikegrad/datasets/shd"
	"github.com/spikegrad/spikegrad/internal/pyexec"
)

// fakeStandIn writes the tiny stand-in of set as Write lays it out, with
// a tone per class in noise instead of espeak-ng's words, so that the
// spiking writer can be tested without the tools.
func fakeStandIn(t *testing.T, set string) (string, []Recording) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), set)
	c := tinyConfig(set)
	_, recs, err := Plan(c)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, r := range recs {
		x := make([]float64, c.Rate()/4)
		for i := range x {
			x[i] = 0.2*math.Sin(2*math.Pi*float64(200*(r.Label+1))*float64(i)/float64(c.Rate())) + 0.01*rng.NormFloat64()
		}
		enc := audioenc.MonoWAV
		if set == RawHD {
			enc = audioenc.MonoFLAC
		}
		b, err := enc(x, c.Rate())
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(r.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	info, _ := json.Marshal(Info{Generator: generator, Config: c, Recordings: len(recs)})
	if err := os.WriteFile(filepath.Join(dir, InfoFile), info, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := MakeManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), m, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, recs
}

// readSpikeFile reads the spikes, labels and speakers of an SHD-layout
// file with the HDF5 reader directly, not through package shd.
func readSpikeFile(t *testing.T, p string) (times, units [][]byte, labels []float64) {
	t.Helper()
	f, err := hdf5.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sets := map[string]*hdf5.Dataset{}
	f.Walk(func(name string, obj hdf5.Object) {
		if d, ok := obj.(*hdf5.Dataset); ok {
			sets[strings.TrimPrefix(name, "/")] = d
		}
	})
	if times, err = sets[shdfile.Times].ReadVLenBytes(); err != nil {
		t.Fatal(err)
	}
	if units, err = sets[shdfile.Units].ReadVLenBytes(); err != nil {
		t.Fatal(err)
	}
	if labels, err = sets[shdfile.Labels].Read(); err != nil {
		t.Fatal(err)
	}
	return times, units, labels
}

// TestWriteSpikesRoundTrip writes the spiking stand-ins of tiny fake
// audio stand-ins and reads them back: every recording's spikes, read
// from the HDF5 file, are those the cochlea gives for its audio (times
// rounded to float16, as published), in the plan's order, labels and
// splits; and package shd loads the folder with every spike.
func TestWriteSpikesRoundTrip(t *testing.T) {
	enc, err := cochlea.New(cochlea.Default())
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range []string{RawHD, RawSC} {
		src, recs := fakeStandIn(t, set)
		dst := filepath.Join(t.TempDir(), "spikes")
		info, err := WriteSpikes(t.Context(), src, dst, cochlea.Default(), SpikeOptions{Options: Options{Workers: 2}})
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, f := range info.Files {
			total += f.Spikes
			times, units, labels := readSpikeFile(t, filepath.Join(dst, f.Name))
			part := map[string]string{"train": "train", "valid": "validation", "test": "test"}[strings.TrimSuffix(f.Name[4:], ".h5")]
			i := 0
			for _, r := range recs {
				if r.Split != part {
					continue
				}
				a, err := decode.File(filepath.Join(src, filepath.FromSlash(r.Path)))
				if err != nil {
					t.Fatal(err)
				}
				want, err := enc.Encode(a.Samples, a.SampleRate)
				if err != nil {
					t.Fatal(err)
				}
				if want.Len() == 0 {
					t.Fatalf("%s: no spikes", r.Path)
				}
				gotU := make([]uint16, len(units[i])/2)
				for j := range gotU {
					gotU[j] = binary.LittleEndian.Uint16(units[i][2*j:])
				}
				gotT := make([]uint16, len(times[i])/2)
				for j := range gotT {
					gotT[j] = binary.LittleEndian.Uint16(times[i][2*j:])
				}
				wantT := make([]uint16, want.Len())
				for j, x := range want.Times {
					wantT[j] = half.FromFloat32(x)
				}
				if !slices.Equal(gotU, want.Units) || !slices.Equal(gotT, wantT) || int(labels[i]) != r.Label {
					t.Errorf("%s, sample %d (%s): %d spikes of label %g read back, want the %d encoded of label %d",
						f.Name, i, r.Path, len(gotU), labels[i], want.Len(), r.Label)
				}
				i++
			}
			if i != len(times) || i != f.Recordings {
				t.Errorf("%s: %d samples, %d recorded in cochlea.json, want %d", f.Name, len(times), f.Recordings, i)
			}
		}
		c := shd.Default()
		if set == RawSC {
			c = shd.DefaultSSC()
			c.Classes = len(tinyConfig(set).Words)
		}
		c.Dir, c.Steps = dst, 1000 // a window longer than the recordings
		d, st, err := shd.LoadWithStats(c)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Train.Spikes + st.Validation.Spikes + st.Test.Spikes; got != total || st.Train.TimeBytes != 2 {
			t.Errorf("%s: shd loads %d spikes of %d bytes' time, want %d of 2", set, got, st.Train.TimeBytes, total)
		}
		if n := d.Train.Len() + d.Validation.Len() + d.Test.Len(); n != len(recs) {
			t.Errorf("%s: shd loads %d samples, want %d", set, n, len(recs))
		}
		var j SpikeInfo
		if b, err := os.ReadFile(filepath.Join(dst, CochleaFile)); err != nil || json.Unmarshal(b, &j) != nil || j.Cochlea != cochlea.Default() {
			t.Errorf("%s: %s does not hold the cochlea's settings (%v)", set, CochleaFile, err)
		}
		if left, _ := filepath.Glob(filepath.Join(dst, "*.tmp")); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	}
}

func TestWriteSpikesIsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("writes two spiking stand-ins")
	}
	src, _ := fakeStandIn(t, RawSC)
	var sums []string
	for _, workers := range []int{1, 3} {
		dst := filepath.Join(t.TempDir(), "spikes")
		if _, err := WriteSpikes(t.Context(), src, dst, cochlea.Default(), SpikeOptions{Options: Options{Workers: workers}}); err != nil {
			t.Fatal(err)
		}
		m, err := MakeManifest(dst)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, ManifestHash(m))
	}
	if sums[0] != sums[1] {
		t.Errorf("one and three workers wrote different files: %v", sums)
	}
}

func TestWriteSpikesRefuses(t *testing.T) {
	src, recs := fakeStandIn(t, RawHD)
	bad := cochlea.Default()
	bad.Gain = -1
	if _, err := WriteSpikes(t.Context(), src, filepath.Join(t.TempDir(), "a"), bad, SpikeOptions{}); err == nil || !strings.Contains(err.Error(), "Gain") {
		t.Errorf("negative gain: error %v, want one naming Gain", err)
	}
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteSpikes(t.Context(), src, full, cochlea.Default(), SpikeOptions{}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a folder with files: error %v, want one saying it is not empty", err)
	}
	if _, err := WriteSpikes(t.Context(), t.TempDir(), filepath.Join(t.TempDir(), "b"), cochlea.Default(), SpikeOptions{}); err == nil || !strings.Contains(err.Error(), ManifestFile) {
		t.Errorf("a source without a manifest: error %v, want one naming %s", err, ManifestFile)
	}
	// A recording changed after the manifest was made is named.
	p := filepath.Join(src, filepath.FromSlash(recs[0].Path))
	if err := os.WriteFile(p, []byte("not audio"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "c")
	if _, err := WriteSpikes(t.Context(), src, dst, cochlea.Default(), SpikeOptions{}); err == nil || !strings.Contains(err.Error(), path.Base(recs[0].Path)) {
		t.Errorf("a changed recording: error %v, want one naming it", err)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Errorf("a refused write left %s behind", dst)
	}
}

// TestWriteSpikesWithH5py: h5py writes the published element types
// (float16 times, uint16 channels and labels), the same content gives the
// same bytes, and package shd loads exactly what it loads from the Go
// writer's files.
func TestWriteSpikesWithH5py(t *testing.T) {
	if testing.Short() {
		t.Skip("writes six spiking stand-ins")
	}
	py := pyexec.Require(t, "numpy", "h5py")
	for _, set := range []string{RawHD, RawSC} {
		src, _ := fakeStandIn(t, set)
		var dirs []string
		for _, o := range []SpikeOptions{{}, {H5py: true}, {H5py: true}} {
			dst := filepath.Join(t.TempDir(), "spikes")
			info, err := WriteSpikes(t.Context(), src, dst, cochlea.Default(), o)
			if err != nil {
				t.Fatal(err)
			}
			if o.H5py != strings.HasPrefix(info.HDF5, "h5py ") {
				t.Errorf("H5py %v: %s names the writer %q", o.H5py, CochleaFile, info.HDF5)
			}
			dirs = append(dirs, dst)
		}
		name := shdfile.FileName(map[string]string{RawHD: SHD, RawSC: SSC}[set], "train")
		a, _ := os.ReadFile(filepath.Join(dirs[1], name))
		b, _ := os.ReadFile(filepath.Join(dirs[2], name))
		if len(a) == 0 || !slices.Equal(a, b) {
			t.Errorf("%s: two writes with h5py differ (%d and %d bytes)", set, len(a), len(b))
		}
		out, err := exec.Command(py, "-c", `import sys, h5py
f = h5py.File(sys.argv[1], "r")
print(f["spikes/times"][0].dtype, f["spikes/units"][0].dtype, f["labels"].dtype, f["spikes/units"][0].max() < 700)`, filepath.Join(dirs[1], name)).CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != "float16 uint16 uint16 True" {
			t.Errorf("%s: h5py reads the element types %q (%v), want float16 uint16 uint16 True", set, got, err)
		}
		load := func(dir string) *datasets.Data {
			c := shd.Default()
			if set == RawSC {
				c = shd.DefaultSSC()
				c.Classes = len(tinyConfig(set).Words)
			}
			c.Dir = dir
			d, err := shd.Load(c)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		goData, pyData := load(dirs[0]), load(dirs[1])
		for _, pair := range [][2]*datasets.Split{{goData.Train, pyData.Train}, {goData.Validation, pyData.Validation}, {goData.Test, pyData.Test}} {
			g, p := pair[0], pair[1]
			if g.Len() != p.Len() {
				t.Fatalf("%s %s: %d and %d samples", set, g.Name, g.Len(), p.Len())
			}
			for i := range g.Samples {
				if g.Samples[i].Label != p.Samples[i].Label || !slices.Equal(g.Samples[i].Events, p.Samples[i].Events) {
					t.Errorf("%s %s sample %d: the h5py file loads otherwise than the Go writer's", set, g.Name, i)
				}
			}
		}
		if !slices.Equal(goData.ClassNames, pyData.ClassNames) {
			t.Errorf("%s: class names %q and %q", set, goData.ClassNames, pyData.ClassNames)
		}
	}
}
