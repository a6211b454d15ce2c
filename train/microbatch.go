package train

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// DefaultMicroBatches is the number of parts a batch is split into when a run
// does not say (Config.MicroBatches).
const DefaultMicroBatches = 2

// microBatch is the training program of one part of every batch (see
// Config.MicroBatches): a model of the part's size that shares the weight
// tensors with the other parts. Its gradient is combined with theirs in
// part order before the solver's step, so the numbers depend on the
// number of micro-batches and never on the cores they run on.
type microBatch struct {
	model *models.Model
	loss  *G.Node // what the program descends
	learn G.Nodes
	m     G.VM
	feed  *Batcher
}

// newMicroBatch builds and compiles the training program of spec for batch
// samples, its kernels on at most threads goroutines, descending loss
// (nil: the model's default).
func newMicroBatch(spec network.Spec, batch int, w *models.Weights, threads int, loss Loss) (*microBatch, error) {
	m, err := models.New(spec, batch, w, models.Threads(threads))
	if err != nil {
		return nil, err
	}
	r := &microBatch{model: m, learn: m.Learnables()}
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

// run trains the micro-batch's program on idx.
func (r *microBatch) run(split *datasets.Split, idx []int) error {
	if err := r.feed.Fill(split, idx); err != nil {
		return err
	}
	if err := r.m.RunAll(); err != nil {
		return fmt.Errorf("train: forward/backward: %w", err)
	}
	return nil
}

// microBatchSizes splits batch into n consecutive parts whose sizes differ by
// at most one, the larger first.
func microBatchSizes(batch, n int) []int {
	sizes := make([]int, n)
	for k := range sizes {
		sizes[k] = (batch + n - 1 - k) / n
	}
	return sizes
}

// layout spreads micro-batches' programs over cores (0: GOMAXPROCS): how many
// run at once, and how many goroutines each program's kernels use. The
// kernels' results do not depend on their goroutines, so neither number
// changes what a step computes.
func layout(parts, cores int) (workers, threads int) {
	if cores < 1 {
		cores = runtime.GOMAXPROCS(0)
	}
	workers = min(parts, cores)
	return workers, max(1, cores/parts)
}

// each runs fn(0), …, fn(n−1) on at most workers goroutines (the caller's
// included) and returns their errors.
func each(n, workers int, fn func(k int) error) []error {
	errs := make([]error, n)
	var next atomic.Int64
	work := func() {
		for k := int(next.Add(1) - 1); k < n; k = int(next.Add(1) - 1) {
			errs[k] = fn(k)
		}
	}
	var wg sync.WaitGroup
	for range min(workers, n) - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
	return errs
}

// combineGrads leaves in the first micro-batch's gradients the gradient of the
// whole batch's loss. Every micro-batch's loss is a mean over its samples, so
// the batch's gradient is the mean of theirs weighted by their sizes, added in
// micro-batch order.
func (t *Trainer) combineGrads(parts [][]int) error {
	if len(parts) < 2 {
		return nil
	}
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	for l, n := range t.parts[0].learn {
		g0, err := n.Grad()
		if err != nil {
			return fmt.Errorf("train: gradient of %v: %w", n, err)
		}
		for k := 1; k < len(parts); k++ {
			gk, err := t.parts[k].learn[l].Grad()
			if err != nil {
				return fmt.Errorf("train: gradient of %v: %w", t.parts[k].learn[l], err)
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
			// The solver clears only the first micro-batch's gradients.
			if err := zeroGrad(t.parts[k].learn[l]); err != nil {
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
