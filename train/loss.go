package train

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/models"
)

// LossInputs are the nodes of one training program that a Loss may read.
// A program is built for part of a batch (see Config.MicroBatches): Batch rows,
// of which the last ones may be padding.
type LossInputs struct {
	Model *models.Model // the program's network, its spec and graph
	Batch int           // rows of every node below

	Logits *G.Node // [Batch, classes]: the readout reduced over time
	// Potentials are the readout potentials U_o[0 … T−1], [Batch,
	// classes]; nil entries are zero (the first steps, before input
	// reaches the readout).
	Potentials []*G.Node
	// Counts are each hidden layer's spike counts per sample, [Batch,
	// units]; nil for a layer that cannot spike within the steps.
	Counts []*G.Node
	// Targets are one-hot rows, [Batch, classes]; padding rows are zero.
	Targets *G.Node
	// Mask is 1 for a real sample and 0 for padding, [Batch].
	Mask *G.Node
	// Default is the default loss: the mean softmax cross-entropy over
	// the real samples plus the spec's activity regularisers. A loss
	// may build on it.
	Default *G.Node
}

// A Loss builds the loss of one training program: a scalar node in
// in.Model.Graph whose gradient the solver descends. It must be the mean
// over the real samples of the program's rows (padding rows contributing
// nothing): the Trainer combines the programs of a batch by weighting
// their losses, and gradients, with their numbers of real samples.
// MeanOverSamples makes such a mean of a per-sample quantity.
//
// The Trainer calls a Loss once per program it compiles, each time in
// another graph, so a Loss must build new nodes every time.
type Loss func(in LossInputs) (*G.Node, error)

// MeanOverSamples returns the mean of perSample, one value per row,
// [batch], over the rows that mask marks as real samples.
func MeanOverSamples(perSample, mask *G.Node) (*G.Node, error) {
	masked, err := G.HadamardProd(perSample, mask)
	if err != nil {
		return nil, err
	}
	sum, err := G.Sum(masked)
	if err != nil {
		return nil, err
	}
	n, err := G.Sum(mask)
	if err != nil {
		return nil, err
	}
	return G.HadamardDiv(sum, n)
}

// lossOf builds the loss of program m: loss's, or the model's default.
func lossOf(m *models.Model, loss Loss) (*G.Node, error) {
	if loss == nil {
		return m.Loss, nil
	}
	mask, err := G.Sum(m.Targets, 1)
	if err != nil {
		return nil, fmt.Errorf("train: loss: padding mask: %w", err)
	}
	node, err := loss(LossInputs{Model: m, Batch: m.Batch, Logits: m.Net.Out.Logits, Potentials: m.Net.Out.Potentials,
		Counts: m.Counts, Targets: m.Targets, Mask: mask, Default: m.Loss})
	if err != nil {
		return nil, fmt.Errorf("train: loss: %w", err)
	}
	if node == nil || !node.IsScalar() || node.Graph() != m.Graph {
		return nil, fmt.Errorf("train: loss: want a scalar node of the program's graph, got %v", node)
	}
	return node, nil
}
