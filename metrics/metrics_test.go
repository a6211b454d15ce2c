package metrics_test

import (
	"math"
	"testing"

	"github.com/spikegrad/spikegrad/metrics"
)

// Merging the finished metrics of two batches gives the metrics of one
// pass over all their samples.
func TestMergeEqualsOnePass(t *testing.T) {
	type sample struct {
		logits []float64
		label  int
		counts [][]float64
	}
	samples := []sample{
		{[]float64{2, 0, 1}, 0, [][]float64{{1, 2}}},
		{[]float64{0, 3, 1}, 2, [][]float64{{0, 4}}},
		{[]float64{1, 1, 5}, 2, [][]float64{{3, 3}}},
	}
	var all, a, b metrics.Metrics
	for i, s := range samples {
		all.Add(s.logits, s.label, s.counts)
		part := &a
		if i > 0 {
			part = &b
		}
		part.Add(s.logits, s.label, s.counts)
	}
	var merged metrics.Metrics
	merged.Merge(a.Done())
	merged.Merge(b.Done())
	want, got := all.Done(), merged.Done()
	if got.N != 3 || math.Abs(got.Loss-want.Loss) > 1e-15 || got.Accuracy != want.Accuracy || got.Accuracy != 2.0/3 ||
		math.Abs(got.TotalSpikes()-13.0/3) > 1e-15 {
		t.Errorf("merged %+v, one pass %+v", got, want)
	}
}

func TestCrossEntropyAndArgmax(t *testing.T) {
	z := []float64{1000, 1000, -1000}
	if ce := metrics.CrossEntropy(z, 0); math.Abs(ce-math.Ln2) > 1e-12 {
		t.Errorf("cross-entropy of two equal large logits %v, want ln 2", ce)
	}
	if metrics.Argmax(z) != 0 || metrics.Argmax([]float64{0, 2, 1}) != 1 {
		t.Error("argmax: want the first largest")
	}
}

func TestSpikeStatsFinish(t *testing.T) {
	st := metrics.SpikeStats{Neurons: 4, NeuronMeans: []float64{0, 10, 20, 0}}
	st.Finish(10, 0.1) // 10 samples of 100 ms
	if st.PerInput != 3 || st.Silent != 0.5 || st.MaxRate != 20 || st.NeuronMeans[2] != 2 {
		t.Errorf("%+v", st)
	}
}
