// Package loss provides the loss terms of surrogate-gradient training as
// Gorgonia ops: SoftmaxCrossEntropy of the logits against one-hot targets,
// and LowerBound and UpperBound, the activity penalties on a layer's spike
// counts (Zenke & Vogels 2021, sec. 4.2.5).
//
// Each term takes [batch, ·] matrices and returns a scalar averaged over
// the real samples of the batch: rows whose targets (or weights) are all
// zero are padding, which neither counts nor receives gradient, so a graph
// built for a fixed batch size trains on smaller batches too. Sums of
// terms are Gorgonia's own G.Add.
//
// Every term works on float32 and float64 tensors and has a symbolic
// derivative (SymDiff), an op of its own that is differentiable in none of
// its inputs, so that Gorgonia can differentiate a graph again.
package loss
