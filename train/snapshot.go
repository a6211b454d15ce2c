package train

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/metrics"
)

// Snapshots records the activity of the samples idx of split (at most one
// batch).
func (e *Evaluator) Snapshots(split *datasets.Split, idx []int) ([]metrics.Snapshot, error) {
	if e.parts == nil {
		return nil, errClosed
	}
	if len(idx) > e.Model.Batch {
		return nil, fmt.Errorf("train: %d snapshot samples, batch holds %d", len(idx), e.Model.Batch)
	}
	if e.trace == nil {
		if err := e.compileTrace(); err != nil {
			return nil, err
		}
	}
	if err := e.parts[0].feed.Fill(split, idx); err != nil {
		return nil, err
	}
	err := e.trace.RunAll()
	defer e.trace.Reset()
	if err != nil {
		return nil, fmt.Errorf("train: snapshot: %w", err)
	}
	net, spec := e.Model.Net, e.Model.Spec
	out := make([]metrics.Snapshot, len(idx))
	for row, i := range idx {
		sn := &out[row]
		sn.Index, sn.Label = i, split.Samples[i].Label
		sn.Input = make([][]float64, spec.Steps)
		raster := make([]float64, spec.Steps*spec.Inputs)
		split.Raster(i, raster)
		for n := range sn.Input {
			sn.Input[n] = raster[n*spec.Inputs : (n+1)*spec.Inputs]
		}
		for l, layer := range net.Hidden {
			sn.Spikes = append(sn.Spikes, traceRows(layer.Spikes, row, spec.Hidden[l]))
			sn.Membrane = append(sn.Membrane, traceRows(layer.Potentials, row, spec.Hidden[l]))
		}
		sn.Readout = traceRows(net.Out.Potentials, row, spec.Outputs)
		sn.Logits = rowOf(net.Out.Logits, row, spec.Outputs)
		sn.Predicted = metrics.Argmax(sn.Logits)
	}
	return out, nil
}

// compileTrace builds a program that outputs every step's state.
func (e *Evaluator) compileTrace() error {
	net := e.Model.Net
	var outs G.Nodes
	for _, l := range net.Hidden {
		outs = appendLive(appendLive(outs, l.Spikes), l.Potentials)
	}
	outs = append(appendLive(outs, net.Out.Potentials), net.Out.Logits)
	var err error
	e.trace, err = machine(e.Model.Graph, e.Model.Learnables(), outs)
	return err
}

func appendLive(dst G.Nodes, ns []*G.Node) G.Nodes {
	for _, n := range ns {
		if n != nil {
			dst = append(dst, n)
		}
	}
	return dst
}

// traceRows returns row `row` of every step's node; nil nodes are zeros.
func traceRows(ns []*G.Node, row, width int) [][]float64 {
	out := make([][]float64, len(ns))
	for n, node := range ns {
		if node == nil {
			out[n] = make([]float64, width)
			continue
		}
		out[n] = rowOf(node, row, width)
	}
	return out
}

func rowOf(n *G.Node, row, width int) []float64 {
	return append([]float64(nil), floats(n.Value(), nil)[row*width:(row+1)*width]...)
}
