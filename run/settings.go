package run

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/surrogate"
)

// Settings is everything that defines a training run, flat and by name: the
// same names are command-line flags (--lr), keys of a YAML configuration
// file (lr: 0.005) and keys of the configuration stored in run records and
// checkpoints. Settings of one run reproduce it. Table lists them.
type Settings struct {
	// Data set.
	Dataset            string
	DataDir            string
	DataSeed           uint64
	Validation         string // "" (the data set's default), random, speakers or file
	ValidationFraction float64
	Limit              int
	Randman            Randman

	// Audio loading (rawhd, rawsc).
	CacheDir       string
	NoCache        bool
	SkipBadFiles   bool
	FeatureStorage string // float16 or float32

	// Time grid.
	Steps int
	DT    float64 // ms

	// Network.
	Neuron             string // a registered neuron model (network.Register)
	Discretisation     string // network.Spec.Discretisation: paper, euler or one per layer
	Hidden             []int
	Recurrent          bool
	RecurrentGrad      bool
	DiffReset          bool
	Surrogate          string
	Beta               float64
	Readout            string
	TauMem, TauSyn     float64
	TauReadout         float64
	Gain               float64
	Init               string
	InitXi             float64
	InitRecurrentShare float64
	InitSamples        int
	RegLowerStrength   float64
	RegLowerThreshold  float64
	RegUpperStrength   float64
	RegUpperThreshold  float64
	RegUpperExp        int

	// Optimisation.
	Epochs       int
	Batch        int
	MicroBatches int
	LR           float64
	Seed         uint64
	DType        string
	Threads      int
	// MaxMemory caps the memory the run may need, in bytes (see
	// EstimateMemory); 0 means the machine's memory or the container's
	// limit.
	MaxMemory int64

	// Output.
	Out    string
	Name   string
	Resume string
	// ResumeDT is the time step of a Resume NIR file that does not record
	// one, in the unit of its time constants; 0: DT.
	ResumeDT float64

	LogFormat string
	LogLevel  string
}

// DefaultSettings returns the defaults for a data set: the paper's randman
// network and optimiser, changed where the data set's registry entry says
// (see DataSet, Register).
func DefaultSettings(dataset string) Settings {
	spec := network.Default()
	s := Settings{
		Dataset: dataset, DataSeed: 1, ValidationFraction: 0.1, Randman: DefaultRandman(),
		Steps: spec.Steps, DT: spec.DT, Neuron: spec.Neuron, Discretisation: string(network.Paper),
		Hidden: spec.Hidden, Surrogate: spec.Surrogate.Shape.String(), Beta: spec.Surrogate.Beta,
		Readout: spec.Readout.String(), TauMem: spec.TauMem, TauSyn: spec.TauSyn, TauReadout: spec.TauReadout,
		Gain: spec.Gain, Init: "uniform", InitXi: 2, InitRecurrentShare: 0.2, InitSamples: 256, RegUpperExp: spec.Reg.UpperExp,
		Epochs: 40, Batch: 250, MicroBatches: DefaultMicroBatches, LR: 5e-3, Seed: 1, DType: "float32",
		FeatureStorage: FeatureStorages[0],
		Out:            "runs", LogFormat: "text", LogLevel: "info",
	}
	if ds, ok := lookupDataSet(dataset); ok && ds.Defaults != nil {
		ds.Defaults(&s)
	}
	return s
}

// Validate checks every setting, naming the first one out of range. The
// network is checked by network.Spec.Validate, with the input and class
// counts of the chosen data set.
func (s *Settings) Validate() error {
	ds, ok := lookupDataSet(s.Dataset)
	if !ok {
		return unknownDataSet(s.Dataset)
	}
	if err := s.checkBounds(); err != nil {
		return err
	}
	if s.MaxMemory < 0 {
		return Invalid("max-memory", "want a size ≥ 0 (0: the machine's memory), got %d", s.MaxMemory)
	}
	if !(s.LR > 0) || math.IsInf(s.LR, 0) {
		return Invalid("lr", "want a positive number, got %g", s.LR)
	}
	if !(s.ValidationFraction > 0 && s.ValidationFraction < 1) {
		return Invalid("validation-fraction", "want a number in (0, 1), got %g", s.ValidationFraction)
	}
	if ds.Validate != nil {
		if err := ds.Validate(s); err != nil {
			return err
		}
	}
	if err := s.validateValidation(); err != nil {
		return err
	}
	if !slices.Contains(FeatureStorages, s.FeatureStorage) {
		return Invalid("feature-storage", "want float16 or float32, got %q", s.FeatureStorage)
	}
	inputs, classes := ds.Sizes(s)
	if _, err := s.Spec(inputs, classes); err != nil {
		return err
	}
	if s.DType != "float32" && s.DType != "float64" {
		return Invalid("dtype", "want float32 or float64, got %q", s.DType)
	}
	if !slices.Contains([]string{"uniform", "fluctuation"}, s.Init) {
		return Invalid("init", "want uniform or fluctuation, got %q", s.Init)
	}
	if s.Init == "fluctuation" && (!(s.InitXi > 0) || !(s.InitRecurrentShare >= 0 && s.InitRecurrentShare < 1) || s.InitSamples < 1) {
		return Invalid("init-xi, init-recurrent-share, init-samples", "want > 0, in [0, 1) and ≥ 1, got %g, %g, %d", s.InitXi, s.InitRecurrentShare, s.InitSamples)
	}
	if !(s.ResumeDT >= 0) || math.IsInf(s.ResumeDT, 0) {
		return Invalid("resume-dt", "want a time step ≥ 0 in the unit of the file's time constants, got %g", s.ResumeDT)
	}
	if !slices.Contains([]string{"text", "json"}, s.LogFormat) {
		return Invalid("log-format", "want text or json, got %q", s.LogFormat)
	}
	if !slices.Contains(LogLevels, s.LogLevel) {
		return Invalid("log-level", "want one of %s, got %q", strings.Join(LogLevels, ", "), s.LogLevel)
	}
	return nil
}

// LogLevels are the values of the log-level setting.
var LogLevels = []string{"debug", "info", "warn", "error"}

// Spec returns the network of s for a data set with the given number of
// input units and classes, validated.
func (s *Settings) Spec(inputs, classes int) (network.Spec, error) {
	shape, err := surrogate.ParseShape(s.Surrogate)
	if err != nil {
		return network.Spec{}, Invalid("surrogate", "%w", err)
	}
	red, err := network.ParseReduction(s.Readout)
	if err != nil {
		return network.Spec{}, Invalid("readout", "%w", err)
	}
	spec := network.Spec{
		Inputs: inputs, Hidden: append([]int(nil), s.Hidden...), Outputs: classes, Steps: s.Steps,
		Neuron: s.Neuron, Discretisation: s.Discretisation, Recurrent: s.Recurrent, DT: s.DT, TauMem: s.TauMem, TauSyn: s.TauSyn, TauReadout: s.TauReadout,
		Surrogate:           surrogate.Surrogate{Shape: shape, Beta: s.Beta},
		DifferentiableReset: s.DiffReset, RecurrentGrad: s.RecurrentGrad, Readout: red, Gain: s.Gain,
		Reg: network.Regularization{
			LowerStrength: s.RegLowerStrength, LowerThreshold: s.RegLowerThreshold,
			UpperStrength: s.RegUpperStrength, UpperThreshold: s.RegUpperThreshold, UpperExp: s.RegUpperExp,
		},
	}
	if err := spec.Validate(); err != nil {
		return network.Spec{}, err
	}
	return spec, nil
}

// Compatible reports the first architecture setting (see Setting) in which
// c differs from s: weights trained under c do not fit the network of s.
func (s *Settings) Compatible(c *Settings) error {
	theirs := c.Table()
	for i, st := range s.Table() {
		if st.Architecture && st.String() != theirs[i].String() {
			return fmt.Errorf("was trained with %s = %s, this run has %s", st.Name, theirs[i].String(), st.String())
		}
	}
	return nil
}
