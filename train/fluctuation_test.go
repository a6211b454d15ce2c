package train_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/train"
)

// TestFluctuationInitWakesDeepLayers: with the plain uniform initialisation
// at g = 1 the hidden layers of a 3-layer network stay silent; after
// FluctuationInit every layer spikes, at similar rates.
func TestFluctuationInitWakesDeepLayers(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 40, 40, 40)
	spec.Gain = 1
	activity := func(init bool) []metrics.SpikeStats {
		w, err := models.Init(spec, 4, tensor.Float64)
		if err != nil {
			t.Fatal(err)
		}
		if init {
			if err := train.FluctuationInit(spec, w, d.Train, 2, 0, 100, 4); err != nil {
				t.Fatal(err)
			}
		}
		s, err := train.NewEvaluator(spec, 50, w)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		st, err := s.Activity(d.Validation)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	plain := activity(false)
	if plain[2].PerInput != 0 {
		t.Fatalf("uniform g = 1: layer 3 has %.1f spikes per input; the test assumes it is silent", plain[2].PerInput)
	}
	for l, st := range activity(true) {
		if st.PerInput < 2 || st.Silent > 0.5 {
			t.Errorf("after fluctuation init, layer %d: %.1f spikes per input, %.0f%% silent", l, st.PerInput, 100*st.Silent)
		}
	}
}

// Fluctuation.Progress hears of every hidden layer as it is set, so that a
// command can say what the seconds before epoch 1 are spent on.
func TestFluctuationReportsProgress(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 20, 20)
	var layers []int
	c := train.DefaultConfig()
	c.Epochs, c.Batch = 1, 50
	c.Fluctuation = &train.Fluctuation{Xi: 2, Samples: 50, Progress: func(layer, of int, took time.Duration) {
		if of != 2 || took < 0 {
			t.Errorf("layer %d of %d after %v", layer, of, took)
		}
		layers = append(layers, layer)
	}}
	if _, err := train.Run(context.Background(), spec, d, c); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(layers, []int{1, 2}) {
		t.Errorf("progress of layers %v, want [1 2]", layers)
	}
}
