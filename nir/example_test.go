package nir_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/learntau"
	"github.com/spikegrad/spikegrad/nir"
)

// A recurrent network exported to NIR and imported back: the graph, the
// parameters of its hidden layer under the Euler-matched mapping, and the
// network recovered exactly.
func Example() {
	s := network.Default() // Δt = 1 ms, τ_mem = 10 ms, τ_syn = 5 ms, τ_readout = 20 ms
	s.Inputs, s.Hidden, s.Outputs, s.Recurrent = 3, []int{4}, 2, true
	w, err := models.Init(s, 1, tensor.Float32)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "nir")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.nir")
	if err := nir.Export(path, &nir.Network{Spec: s, Weights: w}); err != nil {
		log.Fatal(err)
	}

	f, err := nir.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range f.Graph.Edges {
		fmt.Printf("%s → %s\n", e[0], e[1])
	}
	p := f.Graph.Nodes["lif0.lif"].Params
	fmt.Printf("lif0.lif: tau_syn %.4f, tau_mem %.4f, w_in %.4f, r %g, v_threshold %g (one per neuron: %v)\n",
		p["tau_syn"].Data[0], p["tau_mem"].Data[0], p["w_in"].Data[0], p["r"].Data[0], p["v_threshold"].Data[0], p["tau_mem"].Shape)
	fmt.Println("fc0 weight (out, in):", f.Graph.Nodes["fc0"].Params["weight"].Shape)

	n, err := nir.Import(path, nir.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("imported:", n.Spec.Hidden, "recurrent", n.Spec.Recurrent, "τ_mem", n.Spec.TauMem, "ms, W0 identical:", n.Weights.W[0].Eq(w.W[0]))
	// Output:
	// input → fc0
	// fc0 → lif0.lif
	// lif0.lif → lif0.w_rec
	// lif0.w_rec → lif0.lif
	// lif0.lif → fc_out
	// fc_out → li_out
	// li_out → output
	// lif0.lif: tau_syn 5.5167, tau_mem 10.5083, w_in 5.5167, r 1, v_threshold 1 (one per neuron: [4])
	// fc0 weight (out, in): [4 3]
	// imported: [4] recurrent true τ_mem 10 ms, W0 identical: true
}

// The committed file was written with h5py the way other libraries write
// NIR (gzip-compressed data sets, variable-length strings, Affine weights
// with a zero bias, snnTorch's conventions and subgraph, Δt = 10⁻⁴ s, no
// metadata); see python/foreign.py.
func ExampleImport_foreign() {
	n, err := nir.Import(filepath.Join("testdata", "foreign.nir"), nir.Options{DT: 1e-4})
	if err != nil {
		log.Fatal(err)
	}
	s := n.Spec
	fmt.Printf("%d-%v-%d recurrent %v, decays β_syn %.4f β_mem %.4f β_out %.4f, %v weights\n",
		s.Inputs, s.Hidden, s.Outputs, s.Recurrent, s.LayerDecay(0, s.TauSyn), s.LayerDecay(0, s.TauMem), s.LayerDecay(len(s.Hidden), s.TauReadout), n.Weights.W[0].Dtype())
	// Output:
	// 3-[5 4]-2 recurrent true, decays β_syn 0.8465 β_mem 0.9311 β_out 0.9556, float32 weights
}

// A network whose neurons learn their own time constants
// (lif-learn-tau-gamma, θ drawn heterogeneous) exports one τ per neuron
// and imports back into the same model with the same θ.
func Example_learntTimeConstants() {
	s := network.Default()
	s.Inputs, s.Hidden, s.Outputs, s.Neuron = 3, []int{4}, 2, learntau.GammaName
	w, err := models.Init(s, 1, tensor.Float32)
	if err != nil {
		log.Fatal(err)
	}
	g, err := (&nir.Network{Spec: s, Weights: w}).Graph()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("lif0.lif tau_mem %.2f ms\n", g.Nodes["lif0.lif"].Params["tau_mem"].Data)
	fmt.Printf("li_out tau_mem %.2f ms\n", g.Nodes["li_out"].Params["tau_mem"].Data)

	n, err := nir.FromGraph(g, nir.Options{})
	if err != nil {
		log.Fatal(err)
	}
	same := true
	for i, m := range w.Neuron {
		same = same && m.Eq(n.Weights.Neuron[i])
	}
	fmt.Println("imported:", n.Spec.Neuron, n.Weights.Names()[len(w.W):], "θ identical:", same)
	// Output:
	// lif0.lif tau_mem [5.51 5.61 17.22 6.46] ms
	// li_out tau_mem [20.67 20.88] ms
	// imported: lif-learn-tau-gamma [theta_mem0 theta_syn0 theta_memout theta_synout] θ identical: true
}
