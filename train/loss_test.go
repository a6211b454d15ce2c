package train_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/train"
)

// A loss of one's own that is the default loss trains bit for bit as the
// default does: the Trainer descends what the Loss returns, in every
// micro-batch, and weights the micro-batches as it does the default.
func TestLossOfOnesOwnIsWhatIsDescended(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 20)
	c := train.DefaultConfig()
	c.Epochs, c.Batch, c.MicroBatches = 2, 50, 2
	want, err := train.Fit(context.Background(), spec, d, c)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	c.Loss = func(in train.LossInputs) (*G.Node, error) {
		calls++
		if in.Mask == nil || in.Logits == nil || len(in.Potentials) != spec.Steps || len(in.Counts) != 1 || in.Batch != 25 {
			t.Errorf("loss inputs: %+v", in)
		}
		return in.Default, nil
	}
	got, err := train.Fit(context.Background(), spec, d, c)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("the loss was built %d times for 2 micro-batches", calls)
	}
	if !reflect.DeepEqual(stripDurations(got.History), stripDurations(want.History)) || !reflect.DeepEqual(got.Test, want.Test) {
		t.Errorf("training on the default loss given as a Loss differs from the default")
	}
	// A loss that is no scalar of the program's graph is refused.
	c.Loss = func(in train.LossInputs) (*G.Node, error) { return in.Logits, nil }
	if _, err := train.Fit(context.Background(), spec, d, c); err == nil || !strings.Contains(err.Error(), "scalar") {
		t.Errorf("a matrix as the loss: %v", err)
	}
}

func stripDurations(h []metrics.Epoch) []metrics.Epoch {
	out := append([]metrics.Epoch(nil), h...)
	for i := range out {
		out[i].Duration = 0
	}
	return out
}
