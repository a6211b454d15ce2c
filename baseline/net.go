package baseline

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// net is a classifier's weights, or their gradient: a first layer from the
// features to hidden ReLU units and a second to the classes, or without
// hidden units a single layer from the features to the classes. Weight
// matrices are row-major [fan_in, fan_out], so that the contribution of
// one input is one row.
type net struct {
	dim, hidden, classes int
	w1, b1               []float64
	w2, b2               []float64 // nil without a hidden layer
}

func newNet(dim, hidden, classes int) *net {
	out := classes
	if hidden > 0 {
		out = hidden
	}
	n := &net{dim: dim, hidden: hidden, classes: classes, w1: make([]float64, dim*out), b1: make([]float64, out)}
	if hidden > 0 {
		n.w2, n.b2 = make([]float64, hidden*classes), make([]float64, classes)
	}
	return n
}

// draw draws every weight from U(−1/√fan_in, 1/√fan_in); biases start at
// zero.
func (n *net) draw(rng *rand.Rand) {
	for _, w := range []struct {
		v     []float64
		fanIn int
	}{{n.w1, n.dim}, {n.w2, n.hidden}} {
		a := 1 / math.Sqrt(float64(max(w.fanIn, 1)))
		for i := range w.v {
			w.v[i] = a * (2*rng.Float64() - 1)
		}
	}
}

// params returns the parameter slices; weights is true for those that
// weight decay applies to.
func (n *net) params() (p [][]float64, weights []bool) {
	p, weights = [][]float64{n.w1, n.b1}, []bool{true, false}
	if n.hidden > 0 {
		p, weights = append(p, n.w2, n.b2), append(weights, true, false)
	}
	return p, weights
}

// first returns the width of the first layer's output.
func (n *net) first() int { return len(n.b1) }

// pass is one worker's scratch space for a forward and backward pass.
type pass struct {
	a1, logits, d1, dlogits []float64
}

func newPass(n *net) *pass {
	return &pass{a1: make([]float64, n.first()), logits: make([]float64, n.classes),
		d1: make([]float64, n.first()), dlogits: make([]float64, n.classes)}
}

// forward computes the class probabilities of r into p.dlogits (softmax of
// p.logits) and returns the cross-entropy against label and whether the
// most probable class is label.
func (n *net) forward(p *pass, r Row, label int) (loss float64, right bool) {
	out := n.first()
	copy(p.a1, n.b1)
	r.each(func(i int, v float64) { floats.AddScaled(p.a1, v, n.w1[i*out:(i+1)*out]) })
	if n.hidden == 0 {
		copy(p.logits, p.a1)
	} else {
		copy(p.logits, n.b2)
		for j, a := range p.a1 {
			if a > 0 {
				floats.AddScaled(p.logits, a, n.w2[j*n.classes:(j+1)*n.classes])
			}
		}
	}
	top := floats.Max(p.logits)
	sum := 0.0
	for k, z := range p.logits {
		p.dlogits[k] = math.Exp(z - top)
		sum += p.dlogits[k]
	}
	floats.Scale(1/sum, p.dlogits)
	return math.Log(sum) + top - p.logits[label], floats.MaxIdx(p.logits) == label
}

// backward adds scale times the gradient of the cross-entropy of the last
// forward pass to g.
func (n *net) backward(g *net, p *pass, r Row, label int, scale float64) {
	p.dlogits[label]--
	floats.Scale(scale, p.dlogits)
	d1 := p.dlogits
	if n.hidden > 0 {
		floats.Add(g.b2, p.dlogits)
		for j, a := range p.a1 {
			p.d1[j] = 0
			if a > 0 {
				row := j * n.classes
				floats.AddScaled(g.w2[row:row+n.classes], a, p.dlogits)
				p.d1[j] = floats.Dot(n.w2[row:row+n.classes], p.dlogits)
			}
		}
		d1 = p.d1
	}
	out := n.first()
	floats.Add(g.b1, d1)
	r.each(func(i int, v float64) { floats.AddScaled(g.w1[i*out:(i+1)*out], v, d1) })
}
