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

// A batch split between two replicas trains exactly as one machine does:
// the same metrics and, step after step, the same weights (to float64
// rounding), also when the second replica gets fewer samples or none.
func TestReplicasMatchOneMachine(t *testing.T) {
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
	for _, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		w, err := models.Init(spec, 3, tensor.Float64)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewTrainer(spec, 7, w, DefaultOptimizer(5e-3))
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		r := result{w: w, n: len(s.replicas)}
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
		t.Fatalf("%d and %d replicas, want 1 and 2", res[0].n, res[1].n)
	}
	for k := range batches {
		a, b := res[0].ms[k], res[1].ms[k]
		if a.N != b.N || math.Abs(a.Loss-b.Loss) > 1e-12 || a.Accuracy != b.Accuracy {
			t.Errorf("batch %d: metrics %+v with one machine, %+v with two", k, a, b)
		}
	}
	names := res[0].w.Names()
	for i, wa := range res[0].w.All() {
		a, b := wa.Float64s(), res[1].w.All()[i].Float64s()
		for j := range a {
			if math.Abs(a[j]-b[j]) > 1e-12*math.Max(1, math.Abs(a[j])) {
				t.Fatalf("%s[%d] = %v with one machine, %v with two", names[i], j, a[j], b[j])
			}
		}
	}
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
