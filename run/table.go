package run

import (
	"flag"
	"fmt"
	"strings"

	"github.com/spikegrad/spikegrad/network"
)

// Setting names one entry of Settings.
type Setting struct {
	Name  string
	Usage string
	v     value
	// Architecture marks the settings that a checkpoint's weights depend
	// on: their shapes (data set, layer sizes, recurrence) or their meaning
	// (time grid, time constants, readout). Resuming from a checkpoint
	// that differs in one of them is refused.
	Architecture bool
}

// Column values of Setting.Architecture in Table.
const (
	arch  = true
	plain = false
)

// Table returns the settings of s in a fixed order, bound to s's fields.
// A new setting is one line here and a field of Settings.
func (s *Settings) Table() []Setting {
	r := &s.Randman
	return []Setting{
		{"dataset", "data set: " + strings.Join(DataSetNames(), ", ") + " (randman is generated in-process)", (*stringValue)(&s.Dataset), arch},
		{"data-dir", "folder of the data set files (mnist: default is the module cache)", (*stringValue)(&s.DataDir), plain},
		{"data-seed", "seed of generated data, of the validation split and of --limit", (*uint64Value)(&s.DataSeed), plain},
		{"validation", "validation split: random (a shuffled part of the training data), speakers (whole speakers, none in both splits: shd, ssc, rawhd) or file (the published split: ssc, rawsc); empty: file where there is one, else random", (*stringValue)(&s.Validation), plain},
		{"validation-fraction", "fraction of a training file held out for validation (mnist, shd, ssc, rawhd; random and speakers)", (*floatValue)(&s.ValidationFraction), plain},
		{"limit", "use at most this many samples of every split, a seeded random subset (0: all); rawhd and rawsc decode only those; the batch shrinks to fit", (*intValue)(&s.Limit), plain},
		{"cache-dir", "rawhd, rawsc: folder of the feature cache (empty: .spikegrad-cache in the data folder if writable, else the user's cache folder, ~/.cache/spikegrad/features on Linux)", (*stringValue)(&s.CacheDir), plain},
		{"no-cache", "rawhd, rawsc: compute the features without the feature cache", (*boolValue)(&s.NoCache), plain},
		{"skip-bad-files", "rawhd, rawsc: train without the recordings that cannot be used, listing them in the run record (default: stop, naming them all)", (*boolValue)(&s.SkipBadFiles), plain},
		{"feature-storage", "rawhd, rawsc: precision of the features in memory and in the cache, float16 or float32", (*stringValue)(&s.FeatureStorage), plain},
		{"randman-classes", "randman: number of classes (manifolds)", (*intValue)(&r.Classes), arch},
		{"randman-units", "randman: input units M (embedding dimension)", (*intValue)(&r.Units), arch},
		{"randman-dim", "randman: intrinsic manifold dimension D", (*intValue)(&r.Dim), plain},
		{"randman-alpha", "randman: smoothness α (larger is smoother)", (*floatValue)(&r.Alpha), plain},
		{"randman-samples", "randman: samples per class", (*intValue)(&r.SamplesPerClass), plain},
		{"randman-train", "randman: training samples per class", (*intValue)(&r.TrainPerClass), plain},
		{"randman-validation", "randman: validation samples per class (the rest is test)", (*intValue)(&r.ValidationPerClass), plain},
		{"randman-window", "randman: spike-time window τ_randman in steps", (*intValue)(&r.Window), plain},
		{"steps", "time steps T per sample (rawhd, rawsc: Mel frames)", (*intValue)(&s.Steps), arch},
		{"dt", "time step Δt in ms (rawhd, rawsc: the hop between Mel frames)", (*floatValue)(&s.DT), arch},
		{"hidden", "hidden layer sizes, comma-separated (0 or empty: none), e.g. 100 or 128,128", (*intsValue)(&s.Hidden), arch},
		{"recurrent", "add recurrent weights to every hidden layer", (*boolValue)(&s.Recurrent), arch},
		{"neuron", "neuron model of every layer: " + strings.Join(network.NeuronNames(), ", "), (*stringValue)(&s.Neuron), arch},
		{"discretisation", "LIF time stepping: paper (Zenke & Vogels; the default) or euler (explicit Euler as snnTorch and Norse step NIR's CubaLIF: train with it to export), or one per layer, readout last, e.g. euler,euler,paper", (*stringValue)(&s.Discretisation), arch},
		{"recurrent-grad", "let the gradient flow through recurrent connections (default: detached)", (*boolValue)(&s.RecurrentGrad), plain},
		{"diff-reset", "let the gradient flow through the spike reset (default: detached)", (*boolValue)(&s.DiffReset), plain},
		{"surrogate", "surrogate derivative: superspike, sigmoid, esser, asymptotic or exact", (*stringValue)(&s.Surrogate), plain},
		{"beta", "surrogate slope β (≥ 0)", (*floatValue)(&s.Beta), plain},
		{"readout", "logits from the readout potentials: max or sum over time", (*stringValue)(&s.Readout), arch},
		{"tau-mem", "membrane time constant τ_mem in ms", (*floatValue)(&s.TauMem), arch},
		{"tau-syn", "synaptic time constant τ_syn in ms", (*floatValue)(&s.TauSyn), arch},
		{"tau-readout", "readout membrane time constant in ms", (*floatValue)(&s.TauReadout), arch},
		{"gain", "initialisation gain g: weights ~ U(−g/√fan_in, g/√fan_in)", (*floatValue)(&s.Gain), plain},
		{"init", "weight initialisation: uniform (scaled by gain) or fluctuation (data-aware, sets each layer's scale from its input)", (*stringValue)(&s.Init), plain},
		{"init-xi", "fluctuation init: threshold distance in standard deviations of the free membrane potential", (*floatValue)(&s.InitXi), plain},
		{"init-recurrent-share", "fluctuation init: share of the membrane variance from recurrent input", (*floatValue)(&s.InitRecurrentShare), plain},
		{"init-samples", "fluctuation init: training samples measured", (*intValue)(&s.InitSamples), plain},
		{"reg-lower-strength", "λ_lower of the per-neuron lower activity bound (0: off)", (*floatValue)(&s.RegLowerStrength), plain},
		{"reg-lower-threshold", "ν_lower, spikes per neuron and trial", (*floatValue)(&s.RegLowerThreshold), plain},
		{"reg-upper-strength", "λ_upper of the population upper activity bound (0: off)", (*floatValue)(&s.RegUpperStrength), plain},
		{"reg-upper-threshold", "ν_upper, mean spikes per neuron and trial", (*floatValue)(&s.RegUpperThreshold), plain},
		{"reg-upper-exp", "exponent L of the upper bound, 1 or 2", (*intValue)(&s.RegUpperExp), plain},
		{"epochs", "training epochs", (*intValue)(&s.Epochs), plain},
		{"batch", "minibatch size (the last batch is padded; no sample is dropped)", (*intValue)(&s.Batch), plain},
		{"micro-batches", "parts every minibatch is split into, each trained by a program of its own, the parts at once on the cores there are; the numbers depend on it and never on the cores (more can use more cores, at a cost per part)", (*intValue)(&s.MicroBatches), plain},
		{"lr", "Adam learning rate", (*floatValue)(&s.LR), plain},
		{"seed", "seed of weight initialisation and minibatch order", (*uint64Value)(&s.Seed), plain},
		{"dtype", "float32 or float64", (*stringValue)(&s.DType), plain},
		{"threads", "worker threads (GOMAXPROCS; 0: all cores)", (*intValue)(&s.Threads), plain},
		{"max-memory", "refuse the run if it needs more memory than this, e.g. 8G (0: the machine's memory or the container's limit)", (*sizeValue)(&s.MaxMemory), plain},
		{"out", "folder under which each run writes its own folder", (*stringValue)(&s.Out), plain},
		{"name", "name of this run's folder (default: time and settings hash)", (*stringValue)(&s.Name), plain},
		{"resume", "checkpoint (.npz) or NIR file (.nir, whose network replaces the run's) whose weights training starts from", (*stringValue)(&s.Resume), plain},
		{"resume-dt", "time step of a --resume NIR file from another library, in the unit of its time constants (snnTorch and Norse files: seconds, e.g. 0.0001); 0: the run's dt", (*floatValue)(&s.ResumeDT), plain},
		{"log-format", "log format: text or json", (*stringValue)(&s.LogFormat), plain},
		{"log-level", "log level: debug, info, warn or error", (*stringValue)(&s.LogLevel), plain},
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
		return fmt.Errorf("unknown setting %q%s", name, s.DidYouMean(name))
	}
	if err := st.v.Set(text); err != nil {
		return Invalid(name, "%w", err)
	}
	return nil
}

// Value returns the current value of setting st.
func (st Setting) Value() any { return st.v.encode() }

// String returns the setting's value as flag text.
func (st Setting) String() string { return st.v.String() }

// Flag returns the setting as a flag.Value bound to its field, for a
// command line.
func (st Setting) Flag() flag.Value { return st.v }
