// Package neurons holds, in its subpackages, the neuron models that
// spikegrad offers beyond the paper's LIF, each its own package added
// through the extension point (models.Neuron, network.Register):
// neurons/adlif, the adaptive LIF of Bittar & Garner (2022), and
// neurons/learntau, the LIF with learnt per-neuron time constants. See
// docs/neurons.md. This package's benchmark compares their training step
// with the LIF's.
package neurons
