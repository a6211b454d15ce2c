package train

import (
	"math"
	"runtime"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// A batch split into two micro-batches trains as one program does: the same
// metrics and, step after step, the same weights (to float64 rounding),
// also when the second micro-batch gets fewer samples or none.
func TestMicroBatchesMatchOneProgram(t *testing.T) {
	d, err := randman.Generate(randman.Default())
	if err != nil {
		t.Fatal(err)
	}
	spec := network.Default()
	spec.Hidden = []int{20, 15}
	spec.Recurrent = true
	batches := [][]int{{0, 1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11}, {12, 13, 14}, {15, 16, 17, 18, 19, 20, 21}}
	type result struct {
		w  *models.Weights
		ms []metrics.Metrics
		n  int
	}
	var res []result
	for _, parts := range []int{1, 2} {
		w, err := models.Init(spec, 3, tensor.Float64)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewTrainer(spec, 7, w, DefaultOptimizer(5e-3), WithMicroBatches(parts))
		if err != nil {
			t.Fatal(err)
		}
		r := result{w: w, n: s.MicroBatches()}
		for _, idx := range batches {
			m, err := s.Step(d.Train, idx)
			if err != nil {
				t.Fatal(err)
			}
			r.ms = append(r.ms, m)
		}
		s.Close()
		res = append(res, r)
	}
	if res[0].n != 1 || res[1].n != 2 {
		t.Fatalf("%d and %d micro-batches, want 1 and 2", res[0].n, res[1].n)
	}
	for k := range batches {
		a, b := res[0].ms[k], res[1].ms[k]
		if a.N != b.N || math.Abs(a.Loss-b.Loss) > 1e-12 || a.Accuracy != b.Accuracy {
			t.Errorf("batch %d: metrics %+v with one micro-batch, %+v with two", k, a, b)
		}
	}
	names := res[0].w.Names()
	for i, wa := range res[0].w.All() {
		a, b := wa.Float64s(), res[1].w.All()[i].Float64s()
		for j := range a {
			if math.Abs(a[j]-b[j]) > 1e-12*math.Max(1, math.Abs(a[j])) {
				t.Fatalf("%s[%d] = %v with one micro-batch, %v with two", names[i], j, a[j], b[j])
			}
		}
	}
}

// The numbers of a training step do not depend on the cores: two steps
// give the same gradients, weights and metrics, bit for bit, at
// GOMAXPROCS 1 to 8, with micro-batches of a size at which the kernels split
// their work between goroutines.
func TestStepIsIndependentOfCores(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a 200-unit network at five thread counts")
	}
	d, err := randman.Generate(randman.Default())
	if err != nil {
		t.Fatal(err)
	}
	spec := network.Default()
	spec.Hidden = []int{200}
	spec.Recurrent = true
	const batch = 200
	idx := make([]int, batch)
	for i := range idx {
		idx[i] = i
	}
	type result struct {
		grads  [][]float32
		w      [][]float32
		loss   float64
		counts float64
	}
	var ref *result
	for _, procs := range []int{1, 2, 3, 4, 8} {
		old := runtime.GOMAXPROCS(procs)
		w, err := models.Init(spec, 5, tensor.Float32)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewTrainer(spec, batch, w, DefaultOptimizer(5e-3))
		if err != nil {
			runtime.GOMAXPROCS(old)
			t.Fatal(err)
		}
		var r result
		for step := range 2 {
			m, err := s.Backward(d.Train, idx)
			if err != nil {
				t.Fatal(err)
			}
			gs, err := s.Grads()
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range gs {
				r.grads = append(r.grads, append([]float32(nil), g.Data().([]float32)...))
			}
			r.loss += m.Loss * float64(step+1)
			r.counts += m.SpikesPerInput[0]
			if err := s.Update(); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range w.All() {
			r.w = append(r.w, append([]float32(nil), m.Data().([]float32)...))
		}
		s.Close()
		runtime.GOMAXPROCS(old)
		if ref == nil {
			ref = &r
			continue
		}
		if r.loss != ref.loss || r.counts != ref.counts {
			t.Errorf("GOMAXPROCS %d: loss %v and spikes %v, at 1: %v and %v", procs, r.loss, r.counts, ref.loss, ref.counts)
		}
		for i := range r.grads {
			if k := firstDiff(r.grads[i], ref.grads[i]); k >= 0 {
				t.Errorf("GOMAXPROCS %d: gradient %d differs from that at 1 first at %d: %v, %v", procs, i, k, r.grads[i][k], ref.grads[i][k])
			}
		}
		for i := range r.w {
			if k := firstDiff(r.w[i], ref.w[i]); k >= 0 {
				t.Errorf("GOMAXPROCS %d: weights %d differ from those at 1 first at %d", procs, i, k)
			}
		}
	}
}

// firstDiff returns the first index where a and b differ bit for bit, or −1.
func firstDiff(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

func TestStepRejectsOversizedBatch(t *testing.T) {
	d, err := randman.Generate(randman.Default())
	if err != nil {
		t.Fatal(err)
	}
	spec := network.Default()
	w, err := models.Init(spec, 1, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewTrainer(spec, 4, w, DefaultOptimizer(5e-3))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Step(d.Train, []int{0, 1, 2, 3, 4}); err == nil || !strings.Contains(err.Error(), "5 samples for a batch of 4") {
		t.Errorf("5 samples in a batch of 4: %v, want an error saying so", err)
	}
}

// The Trainer's Evaluator, on the graphs of its micro-batches, gives the
// outputs of an Evaluator of its own, bit for bit, on a split that is not
// a multiple of the batch; a training step after it is unchanged by it.
func TestTrainerEvaluatorMatchesEvaluator(t *testing.T) {
	d, err := randman.Generate(randman.Default())
	if err != nil {
		t.Fatal(err)
	}
	spec := network.Default()
	spec.Recurrent = true
	w, err := models.Init(spec, 2, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewTrainer(spec, 25, w, DefaultOptimizer(5e-3), WithMicroBatches(3))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	idx := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}
	if _, err := s.Step(d.Train, idx); err != nil {
		t.Fatal(err)
	}
	mine, err := s.Evaluator()
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	own, err := NewEvaluator(spec, 40, w)
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	split := d.Validation
	outputs := func(e *Evaluator) [][]float64 {
		var out [][]float64
		err := e.Each(split, func(o Output) {
			if o.Index != len(out) {
				t.Fatalf("sample %d after %d", o.Index, len(out))
			}
			row := append([]float64(nil), o.Logits...)
			for _, c := range o.Counts {
				row = append(row, c...)
			}
			out = append(out, row)
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := outputs(mine), outputs(own)
	if len(a) != split.Len() || len(b) != split.Len() {
		t.Fatalf("%d and %d outputs of %d samples", len(a), len(b), split.Len())
	}
	for i := range a {
		for j := range a[i] {
			if math.Float64bits(a[i][j]) != math.Float64bits(b[i][j]) {
				t.Fatalf("sample %d, output %d: %v on the micro-batches, %v alone", i, j, a[i][j], b[i][j])
			}
		}
	}
	// The next step is the one a Trainer that never evaluated takes.
	w2, _ := models.Init(spec, 2, tensor.Float32)
	s2, err := NewTrainer(spec, 25, w2, DefaultOptimizer(5e-3), WithMicroBatches(3))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for _, tr := range []*Trainer{s2, s2} {
		if _, err := tr.Step(d.Train, idx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Step(d.Train, idx); err != nil {
		t.Fatal(err)
	}
	for i, m := range w.All() {
		if k := firstDiff(m.Data().([]float32), w2.All()[i].Data().([]float32)); k >= 0 {
			t.Fatalf("weights %d differ at %d after evaluating between steps", i, k)
		}
	}
}

// A batch smaller than the micro-batches asked for is split into one per
// sample; no micro-batches, or negative cores, are refused by name.
func TestMicroBatchesOfSmallBatches(t *testing.T) {
	d, err := randman.Generate(randman.Default())
	if err != nil {
		t.Fatal(err)
	}
	spec := network.Default()
	w, err := models.Init(spec, 1, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewTrainer(spec, 3, w, DefaultOptimizer(5e-3), WithMicroBatches(8))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.MicroBatches() != 3 {
		t.Errorf("%d micro-batches for a batch of 3, want 3", s.MicroBatches())
	}
	if _, err := s.Step(d.Train, []int{0, 1}); err != nil {
		t.Errorf("a step of 2 samples on 3 micro-batches: %v", err)
	}
	for _, o := range []TrainerOption{WithMicroBatches(0), WithCores(-1)} {
		if _, err := NewTrainer(spec, 3, w, DefaultOptimizer(5e-3), o); err == nil ||
			!(strings.Contains(err.Error(), "micro-batches") || strings.Contains(err.Error(), "cores")) {
			t.Errorf("bad option: %v, want an error naming it", err)
		}
	}
}
