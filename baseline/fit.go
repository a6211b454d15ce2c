package baseline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/floats"
)

// Config are the settings of a fit.
type Config struct {
	// Hidden is the number of ReLU units of the hidden layer; 0 fits a
	// logistic regression.
	Hidden int `json:"hidden"`
	// Epochs is the most epochs a fit trains.
	Epochs int `json:"epochs"`
	// Patience stops a fit once this many epochs in a row have not
	// bettered the best validation accuracy; 0 trains every epoch.
	Patience int `json:"patience"`
	Batch    int `json:"batch"`
	// LR is Adam's step size (β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸).
	LR float64 `json:"lr"`
	// L2 adds L2·w to the gradient of every weight (not of the biases).
	L2   float64 `json:"l2"`
	Seed uint64  `json:"seed"`
}

// DefaultConfig returns a logistic regression trained by Adam at step
// size 10⁻³, L2 10⁻⁴, batch 100, for at most 300 epochs, stopped once 20
// have not bettered the best validation accuracy. Set Hidden for the
// perceptron; DefaultGrid is what cmd/baseline searches around it.
func DefaultConfig() Config {
	return Config{Epochs: 300, Patience: 20, Batch: 100, LR: 1e-3, L2: 1e-4, Seed: 1}
}

// DefaultGrid is the grid cmd/baseline searches by default: Adam step
// sizes 3·10⁻⁴, 10⁻³ and 3·10⁻³, L2 penalties 10⁻⁴, 10⁻³ and 10⁻², and
// 128 hidden units (the spiking networks' hidden size on the audio sets).
func DefaultGrid() Grid {
	return Grid{LR: []float64{3e-4, 1e-3, 3e-3}, L2: []float64{1e-4, 1e-3, 1e-2}, Hidden: []int{128}}
}

// Validate reports the first field of c out of range, naming it.
func (c Config) Validate() error {
	switch {
	case c.Hidden < 0 || c.Hidden > 1<<16:
		return fmt.Errorf("baseline: Hidden must lie in [0, %d], got %d", 1<<16, c.Hidden)
	case c.Epochs < 1 || c.Epochs > 1<<20:
		return fmt.Errorf("baseline: Epochs must lie in [1, %d], got %d", 1<<20, c.Epochs)
	case c.Patience < 0 || c.Patience > 1<<20:
		return fmt.Errorf("baseline: Patience must lie in [0, %d], got %d", 1<<20, c.Patience)
	case c.Batch < 1 || c.Batch > 1<<20:
		return fmt.Errorf("baseline: Batch must lie in [1, %d], got %d", 1<<20, c.Batch)
	case !(c.LR > 0) || math.IsInf(c.LR, 1):
		return fmt.Errorf("baseline: LR must be positive and finite, got %g", c.LR)
	case !(c.L2 >= 0) || math.IsInf(c.L2, 1):
		return fmt.Errorf("baseline: L2 must be ≥ 0 and finite, got %g", c.L2)
	}
	return nil
}

// Score is a classifier's mean cross-entropy and accuracy on a split.
type Score struct {
	Loss     float64 `json:"loss"`
	Accuracy float64 `json:"accuracy"`
	N        int     `json:"n"`
}

// Epoch is what one epoch of training gave.
type Epoch struct {
	Epoch      int   `json:"epoch"`
	Train      Score `json:"train"` // during the epoch, as the weights changed
	Validation Score `json:"validation"`
}

// Result is a fit: every epoch trained, and the scores of the weights of
// the epoch with the best validation accuracy (the first of equals).
type Result struct {
	History    []Epoch `json:"history"`
	BestEpoch  int     `json:"best_epoch"`
	Validation Score   `json:"validation"`
	Test       Score   `json:"test"`
}

// Fit trains the classifier of c on train and scores it on validation
// and test after every epoch, calling epoch, if not nil, with each. The
// three must have the same dimension and classes. It stops with ctx's
// error when ctx is done.
func Fit(ctx context.Context, c Config, train, validation, test *Features, epoch func(Epoch)) (*Result, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	for _, f := range []*Features{validation, test} {
		if f.Dim != train.Dim || f.Classes != train.Classes {
			return nil, fmt.Errorf("baseline: splits differ: %d features, %d classes against the training split's %d, %d", f.Dim, f.Classes, train.Dim, train.Classes)
		}
	}
	if len(train.Rows) == 0 || len(validation.Rows) == 0 || len(test.Rows) == 0 {
		return nil, errors.New("baseline: every split needs a sample")
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0xba5e))
	n := newNet(train.Dim, c.Hidden, train.Classes)
	n.draw(rng)
	t := newTrainer(n, c)
	best := newNet(train.Dim, c.Hidden, train.Classes)
	res := &Result{}
	for e := 1; e <= c.Epochs; e++ {
		order := rng.Perm(len(train.Rows))
		var sum Score
		for lo := 0; lo < len(order); lo += c.Batch {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			s := t.step(train, order[lo:min(lo+c.Batch, len(order))])
			sum.Loss += s.Loss
			sum.Accuracy += s.Accuracy
		}
		ep := Epoch{Epoch: e, Train: Score{Loss: sum.Loss / float64(len(order)), Accuracy: sum.Accuracy / float64(len(order)), N: len(order)},
			Validation: t.score(n, validation)}
		res.History = append(res.History, ep)
		if res.BestEpoch == 0 || ep.Validation.Accuracy > res.Validation.Accuracy {
			res.BestEpoch, res.Validation = e, ep.Validation
			copyNet(best, n)
		}
		if epoch != nil {
			epoch(ep)
		}
		if c.Patience > 0 && e-res.BestEpoch >= c.Patience {
			break
		}
	}
	res.Test = t.score(best, test)
	return res, nil
}

func copyNet(dst, src *net) {
	d, _ := dst.params()
	s, _ := src.params()
	for i := range d {
		copy(d[i], s[i])
	}
}

// trainer runs Adam on a net with one gradient and scratch pass per
// worker.
type trainer struct {
	n      *net
	c      Config
	grads  []*net
	passes []*pass
	m, v   *net // Adam's moment estimates
	steps  int
}

func newTrainer(n *net, c Config) *trainer {
	t := &trainer{n: n, c: c, m: newNet(n.dim, n.hidden, n.classes), v: newNet(n.dim, n.hidden, n.classes)}
	for range max(1, runtime.GOMAXPROCS(0)) {
		t.grads = append(t.grads, newNet(n.dim, n.hidden, n.classes))
		t.passes = append(t.passes, newPass(n))
	}
	return t
}

// parts calls f(w, lo, hi) for contiguous parts [lo, hi) of [0, size),
// one per worker w, in parallel.
func (t *trainer) parts(size int, f func(w, lo, hi int)) {
	workers := min(len(t.passes), size)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { f(w, w*size/workers, (w+1)*size/workers) })
	}
	wg.Wait()
}

// step takes one Adam step on the samples idx of f and returns their
// summed loss and number of right answers before the step.
func (t *trainer) step(f *Features, idx []int) Score {
	sums := make([]Score, len(t.passes))
	t.parts(len(idx), func(w, lo, hi int) {
		g, p := t.grads[w], t.passes[w]
		ps, _ := g.params()
		for _, x := range ps {
			clear(x)
		}
		for _, i := range idx[lo:hi] {
			loss, right := t.n.forward(p, f.Rows[i], f.Labels[i])
			sums[w].Loss += loss
			if right {
				sums[w].Accuracy++
			}
			t.n.backward(g, p, f.Rows[i], f.Labels[i], 1/float64(len(idx)))
		}
	})
	workers := min(len(t.passes), len(idx))
	g, _ := t.grads[0].params()
	for w := 1; w < workers; w++ {
		o, _ := t.grads[w].params()
		for i := range g {
			floats.Add(g[i], o[i])
		}
		sums[0].Loss += sums[w].Loss
		sums[0].Accuracy += sums[w].Accuracy
	}
	t.adam(g)
	return sums[0]
}

// adam applies one step of Adam with gradient g (plus weight decay).
func (t *trainer) adam(g [][]float64) {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	t.steps++
	c1, c2 := 1-math.Pow(b1, float64(t.steps)), 1-math.Pow(b2, float64(t.steps))
	p, weights := t.n.params()
	m, _ := t.m.params()
	v, _ := t.v.params()
	for i := range p {
		decay := 0.0
		if weights[i] {
			decay = t.c.L2
		}
		for k, w := range p[i] {
			gk := g[i][k] + decay*w
			m[i][k] = b1*m[i][k] + (1-b1)*gk
			v[i][k] = b2*v[i][k] + (1-b2)*gk*gk
			p[i][k] = w - t.c.LR*(m[i][k]/c1)/(math.Sqrt(v[i][k]/c2)+eps)
		}
	}
}

// score returns the mean loss and the accuracy of n on f.
func (t *trainer) score(n *net, f *Features) Score {
	sums := make([]Score, len(t.passes))
	t.parts(len(f.Rows), func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			loss, right := n.forward(t.passes[w], f.Rows[i], f.Labels[i])
			sums[w].Loss += loss
			if right {
				sums[w].Accuracy++
			}
		}
	})
	var s Score
	for _, x := range sums {
		s.Loss += x.Loss
		s.Accuracy += x.Accuracy
	}
	s.N = len(f.Rows)
	s.Loss /= float64(s.N)
	s.Accuracy /= float64(s.N)
	return s
}
