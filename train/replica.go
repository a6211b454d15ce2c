package train

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// replica is a training program for part of a batch. With two cores a batch
// is split between two replicas, each a model of half the batch that runs
// its whole program on one core: the per-step tensors of the default
// networks are so small that splitting every kernel between the cores
// spends much of the gain on synchronisation. The replicas share the
// weight tensors; their gradients are combined before the solver's step.
type replica struct {
	model *models.Model
	loss  *G.Node // what the program descends
	learn G.Nodes
	m     G.VM
	feed  *Batcher
}

// newReplica builds and compiles the training program of spec for batch
// samples, its kernels on at most threads goroutines (0: GOMAXPROCS),
// descending loss (nil: the model's default).
func newReplica(spec network.Spec, batch int, w *models.Weights, threads int, loss Loss) (*replica, error) {
	m, err := models.New(spec, batch, w, models.Threads(threads))
	if err != nil {
		return nil, err
	}
	r := &replica{model: m, learn: m.Learnables()}
	if r.feed, err = bind(m, w); err != nil {
		return nil, err
	}
	if r.loss, err = lossOf(m, loss); err != nil {
		return nil, err
	}
	grads, err := G.Grad(r.loss, r.learn...)
	if err != nil {
		return nil, fmt.Errorf("train: gradients: %w", err)
	}
	out := append(append(append(G.Nodes{r.loss}, grads...), m.Net.Out.Logits), liveCounts(m)...)
	if r.m, err = machine(m.Graph, r.learn, out, G.BindDualValues(r.learn...)); err != nil {
		return nil, err
	}
	return r, nil
}

// run trains the replica's program on idx.
func (r *replica) run(split *datasets.Split, idx []int) error {
	if err := r.feed.Fill(split, idx); err != nil {
		return err
	}
	if err := r.m.RunAll(); err != nil {
		return fmt.Errorf("train: forward/backward: %w", err)
	}
	return nil
}

// combineGrads leaves in the first replica's gradients the gradient of the
// whole batch's loss. Every replica's loss is a mean over its samples, so
// the batch's gradient is the mean of theirs weighted by their sizes.
func (t *Trainer) combineGrads(parts [][]int) error {
	if len(parts) < 2 {
		return nil
	}
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	for l, n := range t.replicas[0].learn {
		g0, err := n.Grad()
		if err != nil {
			return fmt.Errorf("train: gradient of %v: %w", n, err)
		}
		for k := 1; k < len(parts); k++ {
			gk, err := t.replicas[k].learn[l].Grad()
			if err != nil {
				return fmt.Errorf("train: gradient of %v: %w", t.replicas[k].learn[l], err)
			}
			a, b := float64(len(parts[0]))/float64(total), float64(len(parts[k]))/float64(total)
			if k > 1 {
				a = 1
			}
			switch d := g0.Data().(type) {
			case []float32:
				mix(d, float32(a), gk.Data().([]float32), float32(b))
			case []float64:
				mix(d, a, gk.Data().([]float64), b)
			}
			// The solver clears only the first replica's gradients.
			if err := zeroGrad(t.replicas[k].learn[l]); err != nil {
				return err
			}
		}
	}
	return nil
}

// mix writes a·x + b·y into x.
func mix[T float32 | float64](x []T, a T, y []T, b T) {
	for i, v := range y {
		x[i] = a*x[i] + b*v
	}
}
