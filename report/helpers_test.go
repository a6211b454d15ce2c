package report_test

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/run"
)

// fakeRun describes a synthetic training run.
type fakeRun struct {
	name      string
	status    string // "" means completed
	val, test float64
	valLoss   float64
	spikes    []float64 // per hidden layer, per test input
	neurons   [][]float64
	set       map[string]string // settings by name
}

// writeRun saves r's record as dir/r.name/record.json and returns the path.
func writeRun(t testing.TB, dir string, r fakeRun) string {
	t.Helper()
	s := run.DefaultSettings("randman")
	for k, v := range r.set {
		if err := s.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	rec := &run.Record{Status: r.status, Settings: s, Data: run.DataInfo{Name: "randman", Classes: 10}}
	if rec.Status == "" {
		rec.Status = "completed"
	}
	rec.Validation = metrics.Metrics{N: 1000, Accuracy: r.val, Loss: r.valLoss}
	if rec.Status == "completed" {
		rec.Test = &metrics.Metrics{N: 1000, Accuracy: r.test, SpikesPerInput: r.spikes}
	}
	for l, nm := range r.neurons {
		st := metrics.SpikeStats{Neurons: len(nm), NeuronMeans: nm}
		if l < len(r.spikes) {
			st.PerInput = r.spikes[l]
		}
		rec.Activity = append(rec.Activity, st)
	}
	folder := filepath.Join(dir, r.name)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(folder, run.RecordFile)
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func load(t testing.TB, dir string) *report.Set {
	t.Helper()
	set, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Err(); err != nil {
		t.Fatal(err)
	}
	return set
}

// figureDir is where figure tests write their PNGs: a temporary folder, or
// REPORT_FIGURES when set, to look at them.
func figureDir(t testing.TB) string {
	if d := os.Getenv("REPORT_FIGURES"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// sweep writes a plausible robustness sweep: surrogate × β × lr × seeds,
// with accuracy peaking at moderate β and lr, and per-neuron activity.
func sweep(t testing.TB, dir string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := []string{"superspike", "sigmoid", "esser"}
	widths := []float64{1, 0.6, 0.3} // of the viable β range, in decades
	for si, shape := range shapes {
		width := widths[si]
		for _, beta := range []float64{0, 1, 5, 10, 50, 100} {
			for _, lr := range []float64{0.0005, 0.001, 0.005, 0.01} {
				for seed := 1; seed <= 4; seed++ {
					good := 1.0
					if beta == 0 {
						good = 0.3
					} else {
						good = math.Exp(-math.Pow(math.Log10(beta)-1, 2) / (2 * width * width))
					}
					good *= math.Exp(-math.Pow(math.Log10(lr)+2.3, 2) / 0.5)
					acc := 0.1 + 0.85*good + 0.02*rng.NormFloat64()
					acc = math.Max(0.05, math.Min(0.99, acc))
					sp := 20 + 400*rng.Float64()
					writeRun(t, dir, fakeRun{
						name: shape + "-" + strconv.FormatFloat(beta, 'g', -1, 64) + "-" + strconv.FormatFloat(lr, 'g', -1, 64) + "-" + strconv.Itoa(seed),
						val:  acc + 0.01*rng.NormFloat64(), test: acc, valLoss: 1 - acc, spikes: []float64{sp},
						neurons: [][]float64{neuronMeans(rng, 100, sp)},
						set: map[string]string{"surrogate": shape, "beta": strconv.FormatFloat(beta, 'g', -1, 64),
							"lr": strconv.FormatFloat(lr, 'g', -1, 64), "seed": strconv.Itoa(seed),
							"readout": []string{"max", "sum"}[seed%2]},
					})
				}
			}
		}
	}
}

// neuronMeans draws n per-neuron mean counts summing to about total, a
// fifth of them silent.
func neuronMeans(rng *rand.Rand, n int, total float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		if rng.Float64() < 0.2 {
			continue
		}
		out[i] = rng.ExpFloat64() * total / (0.8 * float64(n))
	}
	return out
}

// snapshots makes activity snapshots of a toy network: Poisson inputs,
// leaky neurons driven by noise, readouts that rise for the true class.
func snapshots(n, T, inputs, hidden, classes int) []metrics.Snapshot {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]metrics.Snapshot, n)
	for i := range out {
		sn := metrics.Snapshot{Index: i, Label: i % classes, Predicted: i % classes}
		if i == 1 {
			sn.Predicted = (i + 3) % classes
		}
		u := make([]float64, hidden)
		spikes, mem := make([][]float64, T), make([][]float64, T)
		for t := range T {
			in := make([]float64, inputs)
			for j := range in {
				if rng.Float64() < 0.05 {
					in[j] = 1
				}
			}
			sn.Input = append(sn.Input, in)
			spikes[t], mem[t] = make([]float64, hidden), make([]float64, hidden)
			for j := range u {
				mem[t][j] = u[j]
				if u[j] >= 1 {
					spikes[t][j] = 1
					u[j] = 0
				}
				u[j] = 0.9*u[j] + 0.12*rng.Float64()*float64(j%7)/3 + 0.02*rng.NormFloat64()
			}
			ro := make([]float64, classes)
			for c := range ro {
				ro[c] = 0.3*math.Sin(float64(t)/15+float64(c)) + 0.1*rng.NormFloat64()
				if c == sn.Predicted {
					ro[c] += 1.5 * float64(t) / float64(T)
				}
			}
			sn.Readout = append(sn.Readout, ro)
		}
		sn.Spikes, sn.Membrane = [][][]float64{spikes}, [][][]float64{mem}
		out[i] = sn
	}
	return out
}

func log(x float64) float64   { return math.Log(x) }
func pow10(x float64) float64 { return math.Pow(10, x) }
func itoa(i int) string       { return strconv.Itoa(i) }
