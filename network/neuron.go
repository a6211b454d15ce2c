package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"sync"
)

// A Neuron is a neuron model as plain data: what settings, checkpoints,
// the memory estimate and the fluctuation-driven initialisation need to
// know about it, without Gorgonia. The model's step, which unrolls its
// layers into a graph, is package models' half of the same value (see
// models.Neuron); Register takes that value.
type Neuron interface {
	// Name is the model's value of the neuron setting, such as "lif".
	Name() string
	// Params lists the per-neuron parameters of a hidden layer (readout
	// false) or of the readout, beyond the layer's weights. They are
	// learnt with the weights and stored in checkpoints. A model's fixed
	// per-neuron constants are derived from the settings instead.
	Params(readout bool) []NeuronParam
	// States is the number of state variables of a hidden neuron that
	// backpropagation through time keeps for every step (the LIF has two,
	// I and U).
	States() int
	// Kernel returns ε[k], k = 0 … s.Steps−1: the membrane potential of a
	// hidden neuron k steps after a unit input at step 0, without spike or
	// reset. The free membrane potential is the input convolved with it.
	Kernel(s Spec) []float64
}

// A Readable model says what its per-neuron parameters stand for, where
// their raw values (a logit, a θ behind a tanh) mean little to a reader:
// a time constant in ms, say. Reports draw the distributions of learnt
// parameters through it; a model without it has its raw values shown.
type Readable interface {
	// Reading returns what the values of per-neuron parameter p of the
	// network s stand for: a label with its unit, such as "τ_mem (ms)",
	// and the quantity of each value.
	Reading(s Spec, p Param, values []float64) (label string, quantities []float64)
}

// NeuronParam describes a per-neuron parameter: one value per neuron of a
// layer, named Name followed by the layer's suffix ("tau0", "tauout").
type NeuronParam struct {
	Name string
	Init float64 // every neuron's initial value, unless Draw is set
	// Draw, if not nil, draws each neuron's initial value instead, from the
	// weights' seeded stream (models.Init), so that a model can start
	// heterogeneous and still be reproducible from the seed.
	Draw func(r *rand.Rand) float64
}

// DefaultNeuron is the paper's model and the neuron setting's default.
const DefaultNeuron = "lif"

var registry = struct {
	sync.RWMutex
	m map[string]Neuron
}{m: map[string]Neuron{DefaultNeuron: LIF{}}}

// Register makes n selectable by its name. It panics, as database/sql's
// Register does, if another model has the name: a second model called
// "lif" would silently change every run of the paper's. Registering a
// value of the same type again replaces the first. Package network knows
// the LIF as plain data, so that settings validate without the engine;
// package models registers it again with its step.
func Register(n Neuron) {
	registry.Lock()
	defer registry.Unlock()
	name := n.Name()
	if old, ok := registry.m[name]; ok && reflect.TypeOf(old) != reflect.TypeOf(n) {
		if _, plain := old.(LIF); !plain {
			panic(fmt.Sprintf("network: Register: neuron model %q is registered twice, as a %T and a %T", name, old, n))
		}
	}
	registry.m[name] = n
}

// LookupNeuron returns the model registered as name; the empty name is
// DefaultNeuron.
func LookupNeuron(name string) (Neuron, error) {
	if name == "" {
		name = DefaultNeuron
	}
	registry.RLock()
	defer registry.RUnlock()
	if n, ok := registry.m[name]; ok {
		return n, nil
	}
	return nil, fmt.Errorf("unknown neuron model %q, want one of %v", name, neuronNames())
}

// NeuronNames returns the registered models' names, sorted.
func NeuronNames() []string {
	registry.RLock()
	defer registry.RUnlock()
	return neuronNames()
}

func neuronNames() []string {
	names := make([]string, 0, len(registry.m))
	for n := range registry.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LIF is the paper's leaky integrate-and-fire neuron with a synaptic
// current (see docs/conventions.md), as plain data.
type LIF struct{}

// Name returns "lif".
func (LIF) Name() string { return DefaultNeuron }

// Params returns none: the LIF's constants come from the settings.
func (LIF) Params(bool) []NeuronParam { return nil }

// States returns 2, the synaptic current and the membrane potential.
func (LIF) States() int { return 2 }

// Kernel is the LIF's PSP kernel in the first hidden layer's
// discretisation: under Paper the input reaches I one step later and U
// two steps later, under Euler both in its own step.
func (LIF) Kernel(s Spec) []float64 {
	betaMem, betaSyn := s.LayerDecay(0, s.TauMem), s.LayerDecay(0, s.TauSyn)
	eps := make([]float64, s.Steps)
	if s.LayerDiscretisation(0) == Euler {
		cur, pot := 1.0, 0.0 // I[k], U[k] after a unit input at step 0
		for k := range eps {
			pot = betaMem*pot + (1-betaMem)*cur
			eps[k] = pot
			cur *= betaSyn
		}
		return eps
	}
	cur, pot := 0.0, 0.0 // I[k], U[k]
	for k := range eps {
		eps[k] = pot
		pot = betaMem*pot + (1-betaMem)*cur
		if k == 0 {
			cur = 1 // the input at step 0 reaches I[1]
		} else {
			cur *= betaSyn
		}
	}
	return eps
}

// Decay is the per-step decay exp(−Δt/τ) of a time constant tau.
func (s Spec) Decay(tau float64) float64 { return math.Exp(-s.DT / tau) }

// Param names one parameter array of a network and gives its shape
// [Rows, Cols]: a weight matrix [fan_in, fan_out], or a per-neuron
// parameter [1, units].
type Param struct {
	Name       string
	Rows, Cols int
	Layer      int  // the layer it belongs to: 0 … len(Hidden)−1, len(Hidden) for the readout
	Recurrent  bool // a recurrent matrix V
	PerNeuron  bool // a per-neuron parameter of the model
	Init       float64
	// Base is a per-neuron parameter's name as the model's Params gives
	// it, without the layer's suffix ("theta_mem" of "theta_mem0").
	Base string
}

// layerSuffix is what names a layer's parameters: "0", "1", … for hidden
// layers and "out" for the readout (layer len(Hidden)).
func (s Spec) layerSuffix(layer int) string {
	if layer == len(s.Hidden) {
		return "out"
	}
	return fmt.Sprint(layer)
}

// WeightName is the name of the weight matrix that feeds a layer (see
// Params): "W0", …, "Wout" for the readout.
func (s Spec) WeightName(layer int) string { return "W" + s.layerSuffix(layer) }

// Params lists the parameters of s, the one place that names them: the
// weight matrices W0, W1, …, Wout feeding each layer, then the recurrent
// matrices V0, … when recurrent, then the neuron model's per-neuron
// parameters of every hidden layer and the readout. Checkpoints store
// them by these names and initialisation draws them in this order. A spec
// whose neuron model is unknown has no per-neuron parameters here
// (Validate refuses it).
func (s Spec) Params() []Param {
	sz := s.Sizes()
	var out []Param
	for l := 0; l+1 < len(sz); l++ {
		out = append(out, Param{Name: s.WeightName(l), Rows: sz[l], Cols: sz[l+1], Layer: l})
	}
	if s.Recurrent {
		for l, h := range s.Hidden {
			out = append(out, Param{Name: "V" + s.layerSuffix(l), Rows: h, Cols: h, Layer: l, Recurrent: true})
		}
	}
	n, err := LookupNeuron(s.Neuron)
	if err != nil {
		return out
	}
	for l := 0; l+1 < len(sz); l++ {
		for _, p := range n.Params(l == len(s.Hidden)) {
			out = append(out, Param{Name: p.Name + s.layerSuffix(l), Rows: 1, Cols: sz[l+1], Layer: l, PerNeuron: true, Init: p.Init, Base: p.Name})
		}
	}
	return out
}

// checkNeuron refuses an unknown model and per-neuron parameters whose
// names could be taken for another array.
func (s Spec) checkNeuron() error {
	n, err := LookupNeuron(s.Neuron)
	if err != nil {
		return fmt.Errorf("model: neuron: %w", err)
	}
	var seen []string
	for _, p := range s.Params() {
		if slices.Contains(seen, p.Name) {
			return fmt.Errorf("model: neuron %s: two parameters are named %s", n.Name(), p.Name)
		}
		seen = append(seen, p.Name)
	}
	return nil
}
