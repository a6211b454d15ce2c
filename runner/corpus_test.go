package runner_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/train"
)

// The hostile corpus (../testdata/hostile) holds crafted files that the
// commands must refuse with a clear error, or read correctly, without a
// panic, a hang or an exhausted memory; its README lists them. The
// checkpoints in it are written by writeCheckpointCorpus below, except
// those made by NumPy itself (numpy_files.py). Regenerate with
//
//	go test ./runner -run TestHostileCorpusIsCurrent -update
var update = flag.Bool("update", false, "rewrite the generated files of the hostile corpus")

const corpusDir = "../testdata/hostile"

// corpusSettings is the network of the corpus's checkpoints: a small
// randman task that cmd/eval evaluates in a second.
func corpusSettings() run.Settings {
	s := run.DefaultSettings("randman")
	s.Randman.Classes, s.Randman.Units, s.Randman.SamplesPerClass = 4, 12, 60
	s.Randman.TrainPerClass, s.Randman.ValidationPerClass, s.Randman.Window = 40, 10, 20
	s.Steps, s.Hidden, s.Epochs, s.Batch, s.LR = 40, []int{8}, 3, 32, 1e-2
	s.Out = "runs"
	return s
}

// zipEntry is one member of a crafted .npz file.
type zipEntry struct {
	name    string
	data    []byte
	deflate bool
	// size, if set, is the uncompressed size the zip directory declares
	// instead of len(data).
	size uint64
}

func writeZip(t testing.TB, path string, entries []zipEntry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Store, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		if e.deflate {
			h.Method = zip.Deflate
		}
		if e.size != 0 {
			// A lying directory entry: write the raw bytes with the
			// declared sizes.
			comp := e.data
			if e.deflate {
				var c bytes.Buffer
				fw, _ := flate.NewWriter(&c, flate.BestCompression)
				fw.Write(e.data)
				fw.Close()
				comp = c.Bytes()
			}
			h.CompressedSize64, h.UncompressedSize64 = uint64(len(comp)), e.size
			w, err := zw.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(comp)
			continue
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// npyRaw is a .npy file with the given version and header text, as is.
func npyRaw(version byte, header string, data []byte) []byte {
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	b.Write([]byte{version, 0})
	if version == 1 {
		binary.Write(&b, binary.LittleEndian, uint16(len(header)))
	} else {
		binary.Write(&b, binary.LittleEndian, uint32(len(header)))
	}
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

// npy is a well-formed version 1.0 .npy file, its header padded as NumPy
// pads it.
func npy(descr string, fortran bool, shape []int, data []byte) []byte {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = fmt.Sprint(d)
	}
	tuple := "(" + strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	tuple += ")"
	f := "False"
	if fortran {
		f = "True"
	}
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, f, tuple)
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	return npyRaw(1, h+"\n", data)
}

func f32(xs []float32) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, xs)
	return b.Bytes()
}

// ustr is a NumPy str array of shape (): dtype <Un, UTF-32.
func ustr(s string) []byte {
	rs := []rune(s)
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, func() []int32 {
		out := make([]int32, len(rs))
		for i, r := range rs {
			out[i] = int32(r)
		}
		return out
	}())
	return npy(fmt.Sprintf("<U%d", len(rs)), false, nil, b.Bytes())
}

func settingsJSON(t testing.TB, s run.Settings, change map[string]any) string {
	b, err := json.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for k, v := range change {
		m[k] = v
	}
	b, _ = json.Marshal(m)
	return string(b)
}

// transpose returns the r×c row-major matrix d in column-major order.
func transpose(d []float32, r, c int) []float32 {
	out := make([]float32, len(d))
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out[j*r+i] = d[i*c+j]
		}
	}
	return out
}

// writeCheckpointCorpus writes the crafted checkpoints into dir.
func writeCheckpointCorpus(t testing.TB, dir string) {
	s := corpusSettings()
	spec, err := s.Spec(12, 4)
	if err != nil {
		t.Fatal(err)
	}
	w, err := models.Init(spec, 7, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	path := func(name string) string { return filepath.Join(dir, name) }
	if err := runner.SaveCheckpoint(path("good.npz"), &runner.Checkpoint{Settings: s, Weights: w}); err != nil {
		t.Fatal(err)
	}
	w0 := w.W[0].Data().([]float32)
	wout := w.W[1].Data().([]float32)
	good := func() map[string][]byte {
		return map[string][]byte{
			"W0":       npy("<f4", false, []int{12, 8}, f32(w0)),
			"Wout":     npy("<f4", false, []int{8, 4}, f32(wout)),
			"settings": ustr(settingsJSON(t, s, nil)),
		}
	}
	write := func(name string, m map[string][]byte, extra ...zipEntry) {
		var es []zipEntry
		for _, k := range []string{"W0", "Wout", "settings", "state"} {
			if b, ok := m[k]; ok {
				es = append(es, zipEntry{name: k, data: b})
			}
		}
		writeZip(t, path(name), append(es, extra...))
	}
	header := func(h string) string { return h + strings.Repeat(" ", 40) + "\n" }
	const w0Header = "{'descr': '<f4', 'fortran_order': False, 'shape': (12, 8), }"

	m := good()
	m["W0"] = npyRaw(1, w0Header+"    ", f32(w0)) // no newline
	write("header-no-newline.npz", m)

	m = good()
	m["W0"] = npyRaw(2, header(w0Header), nil)
	m["W0"][8], m["W0"][9], m["W0"][10], m["W0"][11] = 0xff, 0xff, 0xff, 0xff // declares 4 GiB
	write("header-v2-4gib.npz", m)

	m = good()
	m["W0"] = npyRaw(1, header("{'descr': '<f4', 'fortran_order': False, 'shape': (12, "), f32(w0))
	write("header-cut.npz", m)

	m = good()
	m["W0"] = npyRaw(1, header("{'descr': '<f4"), f32(w0))
	write("header-unterminated.npz", m)

	m = good()
	m["W0"] = npyRaw(1, header("}{'descr': '<f4', 'fortran_order': False, 'shape': (12, 8), }"), f32(w0))
	write("header-garbage.npz", m)

	m = good()
	m["W0"] = npyRaw(1, "", nil)
	write("header-empty.npz", m)

	m = good()
	m["W0"] = npy("<f4", false, []int{1000000000, 100}, f32(w0))
	write("shape-1e9x100.npz", m)

	m = good()
	m["W0"] = npy("<f4", false, []int{12, 8000000}, f32(w0))
	write("shape-wide.npz", m)

	m = good()
	m["W0"] = npy("<f4", false, []int{12, 8}, f32(w0)[:50])
	write("data-short.npz", m)

	m = good()
	m["W0"] = npy("<i4", false, []int{12, 8}, f32(w0))
	write("dtype-int.npz", m)

	m = good()
	m["W0"] = npy("|O", false, []int{12, 8}, []byte("\x80\x04cos\nsystem\n."))
	write("dtype-object.npz", m)

	m = good()
	m["W0"] = npy("<f4", true, []int{12, 8}, f32(transpose(w0, 12, 8)))
	m["Wout"] = npy("<f4", true, []int{8, 4}, f32(transpose(wout, 8, 4)))
	write("fortran-order.npz", m)

	m = good()
	bad := append([]float32(nil), w0...)
	bad[3*8+5] = float32(math.NaN())
	m["W0"] = npy("<f4", false, []int{12, 8}, f32(bad))
	write("nan-weights.npz", m)

	m = good()
	bad = append([]float32(nil), wout...)
	bad[7] = float32(math.Inf(1))
	m["Wout"] = npy("<f4", false, []int{8, 4}, f32(bad))
	write("inf-weights.npz", m)

	m = good()
	write("duplicate-names.npz", m, zipEntry{name: "W0.npy", data: m["W0"]})

	m = good()
	m["settings"] = ustr(settingsJSON(t, s, map[string]any{"hidden": []int{100000, 100000}}))
	write("settings-hidden-100000x2.npz", m)

	m = good()
	m["settings"] = ustr(settingsJSON(t, s, map[string]any{"randman-samples": 200000000, "randman-train": 40, "randman-validation": 10}))
	write("settings-randman-samples-2e8.npz", m)

	m = good()
	m["settings"] = ustr(settingsJSON(t, s, map[string]any{"randman-samples": 50000000}))
	write("settings-randman-samples-5e7.npz", m)

	m = good()
	m["settings"] = ustr(settingsJSON(t, s, map[string]any{"steps": 2000000000}))
	write("settings-steps-2e9.npz", m)

	m = good()
	m["settings"] = ustr(settingsJSON(t, s, map[string]any{"dt": 1e-300}))
	write("settings-dt-1e-300.npz", m)

	// A zip bomb in the settings entry: 16 MiB of NUL characters, a few
	// kilobytes deflated, declared as a string of 4 M characters.
	m = good()
	delete(m, "settings")
	bomb := npy("<U4194304", false, nil, make([]byte, 16<<20))
	write("settings-zip-bomb.npz", m, zipEntry{name: "settings", data: bomb, deflate: true})

	// A directory entry that declares 9 GiB for a small settings string.
	m = good()
	js := ustr(settingsJSON(t, s, nil))
	delete(m, "settings")
	write("settings-size-lie.npz", m, zipEntry{name: "settings", data: js, deflate: true, size: 9 << 30})

	m = good()
	m["settings"] = ustr("{lr: 0.1")
	write("settings-not-json.npz", m)

	// A last.npz with a training state, and broken variants of it.
	st := &train.State{Epoch: 2, BestEpoch: 1, Best: w.Clone(), Order: nil,
		History: []metrics.Epoch{{Epoch: 1, Train: metrics.Metrics{N: 160, Loss: 1.2}}, {Epoch: 2, Train: metrics.Metrics{N: 160, Loss: 1.1}}},
		Solver:  train.SolverState{Step: 10, M: w.Clone().All(), V: w.Clone().All()}}
	if err := runner.SaveCheckpoint(path("state-good.npz"), &runner.Checkpoint{Settings: s, Weights: w, State: st}); err != nil {
		t.Fatal(err)
	}
	nanM := w.Clone()
	nanM.W[0].Data().([]float32)[0] = float32(math.NaN())
	st2 := *st
	st2.Solver.M = nanM.All()
	if err := runner.SaveCheckpoint(path("state-nan-adam.npz"), &runner.Checkpoint{Settings: s, Weights: w, State: &st2}); err != nil {
		t.Fatal(err)
	}
	m = good()
	m["state"] = ustr(`{"epoch": 5, "history": [], "best_epoch": 9, "solver_step": 0}`)
	write("state-inconsistent.npz", m)

	// A zip directory that declares 65534 entries in front of nothing
	// (TestHostileCheckpoints makes one that holds 5000).
	eocd := make([]byte, 22)
	binary.LittleEndian.PutUint32(eocd, 0x06054b50)
	binary.LittleEndian.PutUint16(eocd[8:], 0xfffe)
	binary.LittleEndian.PutUint16(eocd[10:], 0xfffe)
	if err := os.WriteFile(path("entries-declared.npz"), eocd, 0o644); err != nil {
		t.Fatal(err)
	}

	if err := os.WriteFile(path("not-a-zip.npz"), []byte("lr: 0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHostileCorpusIsCurrent regenerates the crafted checkpoints and
// compares them with the corpus (or, with -update, rewrites it).
func TestHostileCorpusIsCurrent(t *testing.T) {
	tmp := t.TempDir()
	writeCheckpointCorpus(t, tmp)
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(corpusDir, "checkpoint")
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(tmp, e.Name()))
		if *update {
			if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(filepath.Join(dst, e.Name()))
		if err != nil || !bytes.Equal(old, b) {
			t.Errorf("%s is missing or out of date (%v): go test ./runner -run TestHostileCorpusIsCurrent -update", e.Name(), err)
		}
	}
}
