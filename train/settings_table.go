package train

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// value is one setting's storage: a flag.Value that can also be read from
// and written to YAML.
type value interface {
	flag.Value
	decode(n *yaml.Node) error
	encode() any
}

// Setting names one entry of Settings.
type Setting struct {
	Name  string
	Usage string
	v     value
}

// Table returns the settings of s in a fixed order, bound to s's fields.
func (s *Settings) Table() []Setting {
	r := &s.Randman
	return []Setting{
		{"dataset", "data set: randman (generated in-process), mnist, shd, ssc, rawhd or rawsc", (*stringValue)(&s.Dataset)},
		{"data-dir", "folder of the data set files (mnist: default is the module cache)", (*stringValue)(&s.DataDir)},
		{"data-seed", "seed of generated data, of the validation split and of --limit", (*uint64Value)(&s.DataSeed)},
		{"validation", "validation split: random (a shuffled part of the training data), speakers (whole speakers, none in both splits: shd, ssc, rawhd) or file (the published split: ssc, rawsc); empty: file where there is one, else random", (*stringValue)(&s.Validation)},
		{"validation-fraction", "fraction of a training file held out for validation (mnist, shd, ssc, rawhd; random and speakers)", (*floatValue)(&s.ValidationFraction)},
		{"limit", "use at most this many samples of every split, a seeded random subset (0: all); rawhd and rawsc decode only those; the batch shrinks to fit", (*intValue)(&s.Limit)},
		{"cache-dir", "rawhd, rawsc: folder of the feature cache (empty: .spikegrad-cache in the data folder if writable, else the user's cache folder, ~/.cache/spikegrad/features on Linux)", (*stringValue)(&s.CacheDir)},
		{"no-cache", "rawhd, rawsc: compute the features without the feature cache", (*boolValue)(&s.NoCache)},
		{"skip-bad-files", "rawhd, rawsc: train without the recordings that cannot be used, listing them in the run record (default: stop, naming them all)", (*boolValue)(&s.SkipBadFiles)},
		{"feature-storage", "rawhd, rawsc: precision of the features in memory and in the cache, float16 or float32", (*stringValue)(&s.FeatureStorage)},
		{"randman-classes", "randman: number of classes (manifolds)", (*intValue)(&r.Classes)},
		{"randman-units", "randman: input units M (embedding dimension)", (*intValue)(&r.Units)},
		{"randman-dim", "randman: intrinsic manifold dimension D", (*intValue)(&r.Dim)},
		{"randman-alpha", "randman: smoothness α (larger is smoother)", (*floatValue)(&r.Alpha)},
		{"randman-samples", "randman: samples per class", (*intValue)(&r.SamplesPerClass)},
		{"randman-train", "randman: training samples per class", (*intValue)(&r.TrainPerClass)},
		{"randman-validation", "randman: validation samples per class (the rest is test)", (*intValue)(&r.ValidationPerClass)},
		{"randman-window", "randman: spike-time window τ_randman in steps", (*intValue)(&r.Window)},
		{"steps", "time steps T per sample (rawhd, rawsc: Mel frames)", (*intValue)(&s.Steps)},
		{"dt", "time step Δt in ms (rawhd, rawsc: the hop between Mel frames)", (*floatValue)(&s.DT)},
		{"hidden", "hidden layer sizes, comma-separated (0 or empty: none), e.g. 100 or 128,128", (*intsValue)(&s.Hidden)},
		{"recurrent", "add recurrent weights to every hidden layer", (*boolValue)(&s.Recurrent)},
		{"recurrent-grad", "let the gradient flow through recurrent connections (default: detached)", (*boolValue)(&s.RecurrentGrad)},
		{"diff-reset", "let the gradient flow through the spike reset (default: detached)", (*boolValue)(&s.DiffReset)},
		{"surrogate", "surrogate derivative: superspike, sigmoid, esser, asymptotic or exact", (*stringValue)(&s.Surrogate)},
		{"beta", "surrogate slope β (≥ 0)", (*floatValue)(&s.Beta)},
		{"readout", "logits from the readout potentials: max or sum over time", (*stringValue)(&s.Readout)},
		{"tau-mem", "membrane time constant τ_mem in ms", (*floatValue)(&s.TauMem)},
		{"tau-syn", "synaptic time constant τ_syn in ms", (*floatValue)(&s.TauSyn)},
		{"tau-readout", "readout membrane time constant in ms", (*floatValue)(&s.TauReadout)},
		{"gain", "initialisation gain g: weights ~ U(−g/√fan_in, g/√fan_in)", (*floatValue)(&s.Gain)},
		{"init", "weight initialisation: uniform (scaled by gain) or fluctuation (data-aware, sets each layer's scale from its input)", (*stringValue)(&s.Init)},
		{"init-xi", "fluctuation init: threshold distance in standard deviations of the free membrane potential", (*floatValue)(&s.InitXi)},
		{"init-recurrent-share", "fluctuation init: share of the membrane variance from recurrent input", (*floatValue)(&s.InitRecurrentShare)},
		{"init-samples", "fluctuation init: training samples measured", (*intValue)(&s.InitSamples)},
		{"reg-lower-strength", "λ_lower of the per-neuron lower activity bound (0: off)", (*floatValue)(&s.RegLowerStrength)},
		{"reg-lower-threshold", "ν_lower, spikes per neuron and trial", (*floatValue)(&s.RegLowerThreshold)},
		{"reg-upper-strength", "λ_upper of the population upper activity bound (0: off)", (*floatValue)(&s.RegUpperStrength)},
		{"reg-upper-threshold", "ν_upper, mean spikes per neuron and trial", (*floatValue)(&s.RegUpperThreshold)},
		{"reg-upper-exp", "exponent L of the upper bound, 1 or 2", (*intValue)(&s.RegUpperExp)},
		{"epochs", "training epochs", (*intValue)(&s.Epochs)},
		{"batch", "minibatch size (the last batch is padded; no sample is dropped)", (*intValue)(&s.Batch)},
		{"lr", "Adam learning rate", (*floatValue)(&s.LR)},
		{"seed", "seed of weight initialisation and minibatch order", (*uint64Value)(&s.Seed)},
		{"dtype", "float32 or float64", (*stringValue)(&s.DType)},
		{"threads", "worker threads (GOMAXPROCS; 0: all cores)", (*intValue)(&s.Threads)},
		{"out", "folder under which each run writes its own folder", (*stringValue)(&s.Out)},
		{"name", "name of this run's folder (default: time and settings hash)", (*stringValue)(&s.Name)},
		{"resume", "checkpoint (.npz) whose weights training starts from", (*stringValue)(&s.Resume)},
		{"log-format", "log format: text or json", (*stringValue)(&s.LogFormat)},
		{"log-level", "log level: debug, info, warn or error", (*stringValue)(&s.LogLevel)},
	}
}

// Lookup returns the setting called name.
func (s *Settings) Lookup(name string) (Setting, bool) {
	for _, st := range s.Table() {
		if st.Name == name {
			return st, true
		}
	}
	return Setting{}, false
}

// Set sets the setting called name from its text form, as a flag would.
func (s *Settings) Set(name, text string) error {
	st, ok := s.Lookup(name)
	if !ok {
		return fmt.Errorf("unknown setting %q", name)
	}
	if err := st.v.Set(text); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Value returns the current value of setting st.
func (st Setting) Value() any { return st.v.encode() }

// String returns the setting's value as flag text.
func (st Setting) String() string { return st.v.String() }

// BindFlags defines a flag per setting on fs, bound to s.
func (s *Settings) BindFlags(fs *flag.FlagSet) {
	for _, st := range s.Table() {
		fs.Var(st.v, st.Name, st.Usage)
	}
}

type stringValue string

func (v *stringValue) String() string     { return string(*v) }
func (v *stringValue) Set(s string) error { *v = stringValue(s); return nil }
func (v *stringValue) encode() any        { return string(*v) }
func (v *stringValue) decode(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return fmt.Errorf("want a string")
	}
	*v = stringValue(n.Value)
	return nil
}

type intValue int

func (v *intValue) String() string { return strconv.Itoa(int(*v)) }
func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("want an integer, got %q", s)
	}
	*v = intValue(n)
	return nil
}
func (v *intValue) encode() any               { return int(*v) }
func (v *intValue) decode(n *yaml.Node) error { return decodeScalar(n, "!!int", v) }

type uint64Value uint64

func (v *uint64Value) String() string { return strconv.FormatUint(uint64(*v), 10) }
func (v *uint64Value) Set(s string) error {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return fmt.Errorf("want a non-negative integer, got %q", s)
	}
	*v = uint64Value(n)
	return nil
}
func (v *uint64Value) encode() any               { return uint64(*v) }
func (v *uint64Value) decode(n *yaml.Node) error { return decodeScalar(n, "!!int", v) }

type floatValue float64

func (v *floatValue) String() string { return strconv.FormatFloat(float64(*v), 'g', -1, 64) }
func (v *floatValue) Set(s string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return fmt.Errorf("want a number, got %q", s)
	}
	*v = floatValue(f)
	return nil
}
func (v *floatValue) encode() any { return float64(*v) }
func (v *floatValue) decode(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!float" && n.Tag != "!!int") {
		return fmt.Errorf("want a number, got %q", n.Value)
	}
	return v.Set(n.Value)
}

type boolValue bool

func (v *boolValue) String() string { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("want true or false, got %q", s)
	}
	*v = boolValue(b)
	return nil
}
func (v *boolValue) IsBoolFlag() bool          { return true }
func (v *boolValue) encode() any               { return bool(*v) }
func (v *boolValue) decode(n *yaml.Node) error { return decodeScalar(n, "!!bool", v) }

// decodeScalar accepts a YAML scalar of the given tag and parses it with Set.
func decodeScalar(n *yaml.Node, tag string, v flag.Value) error {
	if n.Kind != yaml.ScalarNode || n.Tag != tag {
		return fmt.Errorf("want %s, got %q", strings.TrimPrefix(tag, "!!"), n.Value)
	}
	return v.Set(n.Value)
}

type intsValue []int

func (v *intsValue) String() string {
	parts := make([]string, len(*v))
	for i, n := range *v {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

func (v *intsValue) Set(s string) error {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" || s == "none" {
		*v = nil
		return nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("want comma-separated positive sizes, got %q", s)
		}
		out = append(out, n)
	}
	*v = out
	return nil
}

func (v *intsValue) encode() any { return append([]int{}, *v...) }

func (v *intsValue) decode(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		return v.Set(n.Value)
	case yaml.SequenceNode:
		var out []int
		for _, e := range n.Content {
			var x intValue
			if err := decodeScalar(e, "!!int", &x); err != nil || x < 1 {
				return fmt.Errorf("want a list of positive sizes, got %q", e.Value)
			}
			out = append(out, int(x))
		}
		*v = out
		return nil
	}
	return fmt.Errorf("want a list of layer sizes")
}
