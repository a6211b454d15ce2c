package baseline

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/spikegrad/spikegrad/datasets"
)

func TestFlattenSumsBinsAndKeepsSpikesSparse(t *testing.T) {
	s := &datasets.Split{Name: "train", Steps: 5, Units: 3, Classes: 2, Samples: []datasets.Sample{
		{Label: 1, Events: []datasets.Event{{Step: 0, Unit: 2, Value: 1}, {Step: 1, Unit: 2, Value: 1}, {Step: 4, Unit: 0, Value: 2}}},
		{Label: 0, Dense: datasets.NewDense([]float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, false)},
	}}
	f, err := Flatten(s, 2)
	if err != nil {
		t.Fatal(err)
	}
	if f.Dim != 9 || f.Classes != 2 || !slices.Equal(f.Labels, []int{1, 0}) {
		t.Fatalf("dim %d, classes %d, labels %v", f.Dim, f.Classes, f.Labels)
	}
	// Steps 0 and 1 add up in bin 0; step 4 is bin 2 alone.
	if r := f.Rows[0]; !slices.Equal(r.Index, []int32{2, 6}) || !slices.Equal(r.Value, []float32{2, 2}) {
		t.Errorf("spike sample: %+v", r)
	}
	if r := f.Rows[1]; r.Index != nil || !slices.Equal(r.Value, []float32{5, 7, 9, 17, 19, 21, 13, 14, 15}) {
		t.Errorf("dense sample: %+v", r)
	}
	for _, bin := range []int{0, 6} {
		if _, err := Flatten(s, bin); err == nil {
			t.Errorf("bin %d: no error", bin)
		}
	}
}

// testNet returns a net with random weights and a sparse and a dense row.
func testNet(hidden int) (*net, []Row) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := newNet(6, hidden, 3)
	ps, _ := n.params()
	for _, p := range ps {
		for i := range p {
			p[i] = rng.NormFloat64()
		}
	}
	return n, []Row{{Index: []int32{1, 4}, Value: []float32{0.5, -1.5}}, {Value: []float32{0.3, -0.2, 1, 0.7, -0.4, 0.1}}}
}

// The gradient of the backward pass is the derivative of the loss of the
// forward pass, by central differences, for both classifiers.
func TestBackwardIsTheGradient(t *testing.T) {
	for _, hidden := range []int{0, 4} {
		n, rows := testNet(hidden)
		for ri, r := range rows {
			label := ri + 1
			g := newNet(n.dim, n.hidden, n.classes)
			p := newPass(n)
			n.forward(p, r, label)
			n.backward(g, p, r, label, 1)
			ps, _ := n.params()
			gs, _ := g.params()
			for k := range ps {
				for i := range ps[k] {
					w := ps[k][i]
					const h = 1e-6
					ps[k][i] = w + h
					up, _ := n.forward(p, r, label)
					ps[k][i] = w - h
					down, _ := n.forward(p, r, label)
					ps[k][i] = w
					if want := (up - down) / (2 * h); math.Abs(gs[k][i]-want) > 1e-6*(1+math.Abs(want)) {
						t.Errorf("hidden %d, row %d, parameter %d[%d]: gradient %g, differences %g", hidden, ri, k, i, gs[k][i], want)
					}
				}
			}
		}
	}
}

// testBlobs returns n samples of classes Gaussian blobs in dim dimensions
// whose class depends on two of them only through their product's sign
// when xor is set, which no linear classifier can tell.
func testBlobs(rng *rand.Rand, n, dim int, xor bool) *Features {
	f := &Features{Dim: dim, Classes: 2}
	for range n {
		v := make([]float32, dim)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		label := 0
		if xor && v[0]*v[1] > 0 || !xor && v[0]+v[1] > 0 {
			label = 1
		}
		f.Rows = append(f.Rows, Row{Value: v})
		f.Labels = append(f.Labels, label)
	}
	return f
}

// Logistic regression learns a linear boundary; it takes the hidden layer
// to learn XOR, which the regression cannot.
func TestFitLearnsWhatEachModelCan(t *testing.T) {
	c := DefaultConfig()
	c.Epochs, c.Patience, c.LR = 30, 0, 0.01
	for _, tc := range []struct {
		name   string
		xor    bool
		hidden int
		lo, hi float64 // bounds of the test accuracy
	}{
		{"logreg on a linear task", false, 0, 0.95, 1},
		{"logreg on xor", true, 0, 0, 0.7},
		{"mlp on xor", true, 32, 0.9, 1},
	} {
		rng := rand.New(rand.NewPCG(5, 6))
		train, val, test := testBlobs(rng, 1000, 4, tc.xor), testBlobs(rng, 200, 4, tc.xor), testBlobs(rng, 500, 4, tc.xor)
		c.Hidden = tc.hidden
		var epochs []int
		res, err := Fit(context.Background(), c, train, val, test, func(e Epoch) { epochs = append(epochs, e.Epoch) })
		if err != nil {
			t.Fatal(err)
		}
		if acc := res.Test.Accuracy; acc < tc.lo || acc > tc.hi {
			t.Errorf("%s: test accuracy %.3f, want [%g, %g]", tc.name, acc, tc.lo, tc.hi)
		}
		if len(epochs) != c.Epochs || len(res.History) != c.Epochs || res.BestEpoch < 1 ||
			res.Validation != res.History[res.BestEpoch-1].Validation || res.Test.N != 500 {
			t.Errorf("%s: %d epochs reported, best %d, %+v", tc.name, len(epochs), res.BestEpoch, res.Validation)
		}
		// The same seed gives the same fit.
		again, _ := Fit(context.Background(), c, train, val, test, nil)
		if again.Test != res.Test || again.BestEpoch != res.BestEpoch {
			t.Errorf("%s: a second fit gives %+v at epoch %d, the first %+v at %d", tc.name, again.Test, again.BestEpoch, res.Test, res.BestEpoch)
		}
	}
}

func TestFitErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	a, b := testBlobs(rng, 10, 3, false), testBlobs(rng, 10, 4, false)
	empty := &Features{Dim: 3, Classes: 2}
	bad := []Config{{Epochs: 0, Batch: 1, LR: 1}, {Epochs: 1, Batch: 0, LR: 1}, {Epochs: 1, Batch: 1, LR: 0},
		{Epochs: 1, Batch: 1, LR: math.Inf(1)}, {Epochs: 1, Batch: 1, LR: 1, L2: -1}, {Hidden: -1, Epochs: 1, Batch: 1, LR: 1},
		{Epochs: 1, Batch: 1, LR: 1, Patience: -1}}
	for _, c := range bad {
		if _, err := Fit(context.Background(), c, a, a, a, nil); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	c := DefaultConfig()
	if _, err := Fit(context.Background(), c, a, b, a, nil); err == nil {
		t.Error("splits of different dimensions: no error")
	}
	if _, err := Fit(context.Background(), c, a, a, empty, nil); err == nil {
		t.Error("an empty split: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fit(ctx, c, a, a, a, nil); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
}
