package train

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
)

// batchSplit draws samples whose events are in order of steps, or shuffled.
func batchSplit(n, steps, units int, sorted bool) *datasets.Split {
	rng := rand.New(rand.NewPCG(7, 8))
	s := &datasets.Split{Name: "test", Steps: steps, Units: units, Classes: 3}
	for i := 0; i < n; i++ {
		smp := datasets.Sample{Label: i % 3}
		for t := 0; t < steps; t++ {
			for u := 0; u < units; u++ {
				if rng.Float64() < 0.2 {
					smp.Events = append(smp.Events, datasets.Event{Step: int32(t), Unit: int32(u), Value: float32(rng.IntN(3) + 1)})
				}
			}
		}
		if i == 1 { // two events at one place add up
			smp.Events = append(smp.Events, datasets.Event{Step: int32(steps - 1), Unit: 0, Value: 0.5})
		}
		if !sorted {
			rng.Shuffle(len(smp.Events), func(a, b int) { smp.Events[a], smp.Events[b] = smp.Events[b], smp.Events[a] })
		}
		s.Samples = append(s.Samples, smp)
	}
	return s
}

// The batcher's inputs hold each sample's raster, whether the events come
// in order of steps (filled step by step) or not.
func TestBatcherFill(t *testing.T) {
	const steps, units, batch = 9, 5, 4
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		for _, sorted := range []bool{true, false} {
			split := batchSplit(6, steps, units, sorted)
			b, err := NewBatcher(steps, batch, units, 3, dt)
			if err != nil {
				t.Fatal(err)
			}
			for _, idx := range [][]int{{5, 0, 3, 1}, {2, 4}} { // a full and a padded batch
				if err := b.Fill(split, idx); err != nil {
					t.Fatal(err)
				}
				raster := make([]float64, steps*units)
				for r := 0; r < batch; r++ {
					clear(raster)
					if r < len(idx) {
						split.Raster(idx[r], raster)
					}
					for n := 0; n < steps; n++ {
						got := floats(b.inputs[n].Dense(), nil)[r*units : (r+1)*units]
						if fmt.Sprint(got) != fmt.Sprint(raster[n*units:(n+1)*units]) {
							t.Fatalf("%v sorted=%t rows %v: row %d step %d is %v, want %v", dt, sorted, idx, r, n, got, raster[n*units:(n+1)*units])
						}
					}
				}
			}
		}
	}
}

func TestBatcherFillErrors(t *testing.T) {
	for _, c := range []struct {
		ev   datasets.Event
		want string
	}{
		{datasets.Event{Step: 9, Unit: 0, Value: 1}, "step 9"},
		{datasets.Event{Step: -1, Unit: 0, Value: 1}, "step -1"},
		{datasets.Event{Step: 2, Unit: 5, Value: 1}, "outside"},
	} {
		split := batchSplit(2, 9, 5, true)
		split.Samples[1].Events = append(split.Samples[1].Events, c.ev)
		b, err := NewBatcher(9, 2, 5, 3, tensor.Float32)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Fill(split, []int{0, 1}); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "sample 1") {
			t.Errorf("event %+v: %v, want an error naming sample 1 and %q", c.ev, err, c.want)
		}
	}
}

// Dense samples (float32 and float16) fill the inputs with their grid, and
// filling a batch never changes a split's samples.
func TestBatcherFillDense(t *testing.T) {
	const steps, units, batch = 9, 5, 4
	sparse := batchSplit(6, steps, units, true)
	for _, half := range []bool{false, true} {
		dense := &datasets.Split{Name: "dense", Steps: steps, Units: units, Classes: 3}
		raster := make([]float64, steps*units)
		for i, smp := range sparse.Samples {
			sparse.Raster(i, raster)
			vals := make([]float32, len(raster))
			for k, v := range raster {
				vals[k] = float32(v)
			}
			dense.Samples = append(dense.Samples, datasets.Sample{Label: smp.Label, Dense: datasets.NewDense(vals, half)})
		}
		if err := dense.Validate(); err != nil {
			t.Fatal(err)
		}
		b, err := NewBatcher(steps, batch, units, 3, tensor.Float32)
		if err != nil {
			t.Fatal(err)
		}
		before := fmt.Sprint(sparse.Samples)
		for _, split := range []*datasets.Split{dense, sparse, dense} {
			idx := []int{5, 0, 3}
			if err := b.Fill(split, idx); err != nil {
				t.Fatal(err)
			}
			for r, i := range idx {
				sparse.Raster(i, raster)
				for n := 0; n < steps; n++ {
					got := floats(b.inputs[n].Dense(), nil)[r*units : (r+1)*units]
					if fmt.Sprint(got) != fmt.Sprint(raster[n*units:(n+1)*units]) {
						t.Fatalf("half=%t %s: row %d step %d is %v, want %v", half, split.Name, r, n, got, raster[n*units:(n+1)*units])
					}
				}
			}
		}
		if fmt.Sprint(sparse.Samples) != before {
			t.Fatal("filling batches changed the samples")
		}
	}
}
