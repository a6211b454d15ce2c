package train_test

import (
	"os"
	"path/filepath"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/bench/torchref"
	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// TestWriteTorchProblems writes the problems of BenchmarkRandman/TrainStep
// and BenchmarkSHDTrainStep/gain=8 and gain=10 (the same network, initial
// weights and batch) as problem files of the PyTorch reference
// bench/torchref, into the folder $SPIKEGRAD_TORCH_PROBLEMS, so that
// bench/compare.sh times both on the same work. Without the variable it
// is skipped.
func TestWriteTorchProblems(t *testing.T) {
	dir := os.Getenv("SPIKEGRAD_TORCH_PROBLEMS")
	if dir == "" {
		t.Skip("SPIKEGRAD_TORCH_PROBLEMS is not set")
	}
	// randman: benchSession's network, weights and batch; the weights
	// train on from step to step, as in the benchmark.
	d, err := randman.Generate(randman.Default())
	if err != nil {
		t.Fatal(err)
	}
	spec := network.Default()
	w, err := models.Init(spec, 1, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := torchref.ConfigOf(spec, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	if err := torchref.WriteProblem(filepath.Join(dir, "randman.npz"), cfg, w, d.Train, firstN(250)); err != nil {
		t.Fatal(err)
	}
	// SHD-sized: runFrozenSteps' network, weights and batch; every step
	// starts from the same weights.
	for _, p := range []struct {
		name string
		gain float64
	}{{"shd-gain8.npz", 8}, {"shd-gain10.npz", 10}} {
		spec := shdSpec()
		spec.Gain = p.gain
		w, err := models.Init(spec, 1, tensor.Float32)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := torchref.ConfigOf(spec, tensor.Float32)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Restore = true
		split := sparseSplit(100, spec.Steps, spec.Inputs, spec.Outputs, 0.015, 1)
		if err := torchref.WriteProblem(filepath.Join(dir, p.name), cfg, w, split, firstN(100)); err != nil {
			t.Fatal(err)
		}
	}
}
