package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio"
	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/ops"
)

// Settings is everything that defines a training run, flat and by name: the
// same names are command-line flags (--lr), keys of a YAML configuration
// file (lr: 0.005) and keys of the configuration stored in run records and
// checkpoints. Settings of one run reproduce it.
type Settings struct {
	// Data set.
	Dataset            string
	DataDir            string
	DataSeed           uint64
	Validation         string // "" (the data set's default), random, speakers or file
	ValidationFraction float64
	Limit              int
	Randman            randman.Config // Steps and Seed come from Steps and DataSeed

	// Audio loading (rawhd, rawsc).
	CacheDir       string
	NoCache        bool
	SkipBadFiles   bool
	FeatureStorage string // float16 or float32

	// Time grid.
	Steps int
	DT    float64 // ms

	// Network.
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
	Epochs  int
	Batch   int
	LR      float64
	Seed    uint64
	DType   string
	Threads int

	// Output.
	Out    string
	Name   string
	Resume string

	LogFormat string
	LogLevel  string
}

// Datasets are the data set names Settings accepts.
var Datasets = []string{"randman", "mnist", "shd", "ssc", "rawhd", "rawsc"}

// DefaultSettings returns the defaults for a data set: the paper's network
// for it (one hidden layer of 100 for randman and MNIST; 128 recurrent
// neurons with τ_mem = 20 ms, τ_syn = 10 ms for the audio sets) and its time
// grid (Δt = 2 ms, T = 400 for SHD; for RawHD and RawSC one step per Mel
// frame, Δt = 10 ms, the hop between frames of DefaultMel, and T = 80 and
// 100 frames).
func DefaultSettings(dataset string) Settings {
	spec, tc := models.Default(), DefaultConfig()
	s := Settings{
		Dataset: dataset, DataSeed: 1, ValidationFraction: 0.1, Randman: randman.Default(),
		Steps: spec.Steps, DT: spec.DT,
		Hidden: spec.Hidden, Surrogate: spec.Surrogate.Shape.String(), Beta: spec.Surrogate.Beta,
		Readout: spec.Readout.String(), TauMem: spec.TauMem, TauSyn: spec.TauSyn, TauReadout: spec.TauReadout,
		Gain: spec.Gain, Init: "uniform", InitXi: 2, InitRecurrentShare: 0.2, InitSamples: 256, RegUpperExp: spec.Reg.UpperExp,
		Epochs: tc.Epochs, Batch: tc.Batch, LR: tc.LR, Seed: tc.Seed, DType: "float32",
		FeatureStorage: audio.Float16.String(),
		Out:            "runs", LogFormat: "text", LogLevel: "info",
	}
	switch dataset {
	case "shd", "ssc", "rawhd", "rawsc":
		s.Hidden, s.Recurrent, s.TauMem, s.TauSyn, s.Batch = []int{128}, true, 20, 10, 100
		s.Steps = map[string]int{"shd": 400, "ssc": 250, "rawhd": 80, "rawsc": 100}[dataset]
		s.DT = map[string]float64{"shd": 2, "ssc": 4, "rawhd": audio.DefaultMel().DT, "rawsc": audio.DefaultMel().DT}[dataset]
	}
	return s
}

// Validate checks every setting, naming the first one out of range.
func (s *Settings) Validate() error {
	if !contains(Datasets, s.Dataset) {
		return fmt.Errorf("dataset: unknown data set %q, want one of %s", s.Dataset, strings.Join(Datasets, ", "))
	}
	ints := []struct {
		key string
		v   int
		min int
	}{{"steps", s.Steps, 1}, {"epochs", s.Epochs, 1}, {"batch", s.Batch, 1}, {"limit", s.Limit, 0}, {"threads", s.Threads, 0}}
	for _, f := range ints {
		if f.v < f.min {
			return fmt.Errorf("%s: want ≥ %d, got %d", f.key, f.min, f.v)
		}
	}
	pos := []struct {
		key string
		v   float64
	}{{"dt", s.DT}, {"tau-mem", s.TauMem}, {"tau-syn", s.TauSyn}, {"tau-readout", s.TauReadout}, {"gain", s.Gain}, {"lr", s.LR}}
	for _, f := range pos {
		if !(f.v > 0) || math.IsInf(f.v, 0) {
			return fmt.Errorf("%s: want a positive number, got %g", f.key, f.v)
		}
	}
	if !(s.Beta >= 0) || math.IsInf(s.Beta, 0) {
		return fmt.Errorf("beta: want a finite slope ≥ 0, got %g", s.Beta)
	}
	if !(s.ValidationFraction > 0 && s.ValidationFraction < 1) {
		return fmt.Errorf("validation-fraction: want a number in (0, 1), got %g", s.ValidationFraction)
	}
	for i, h := range s.Hidden {
		if h < 1 {
			return fmt.Errorf("hidden: layer %d must have ≥ 1 neuron, got %d", i, h)
		}
	}
	if s.RecurrentGrad && !s.Recurrent {
		return fmt.Errorf("recurrent-grad: needs recurrent")
	}
	if s.Recurrent && len(s.Hidden) == 0 {
		return fmt.Errorf("recurrent: needs at least one hidden layer")
	}
	if _, err := s.Spec(s.Randman.Units, s.Randman.Classes); err != nil {
		return err
	}
	if _, err := s.dtype(); err != nil {
		return err
	}
	if !contains([]string{"uniform", "fluctuation"}, s.Init) {
		return fmt.Errorf("init: want uniform or fluctuation, got %q", s.Init)
	}
	if s.Init == "fluctuation" && (!(s.InitXi > 0) || !(s.InitRecurrentShare >= 0 && s.InitRecurrentShare < 1) || s.InitSamples < 1) {
		return fmt.Errorf("init-xi, init-recurrent-share, init-samples: want > 0, in [0, 1) and ≥ 1, got %g, %g, %d", s.InitXi, s.InitRecurrentShare, s.InitSamples)
	}
	if !contains([]string{"text", "json"}, s.LogFormat) {
		return fmt.Errorf("log-format: want text or json, got %q", s.LogFormat)
	}
	if s.Dataset == "randman" {
		if err := s.randman().Validate(); err != nil {
			return err
		}
	}
	if s.Dataset == "rawhd" || s.Dataset == "rawsc" {
		if _, err := s.melGrid(audio.DefaultMel()); err != nil {
			return err
		}
	}
	if ok := validationSources[s.Dataset]; s.Validation != "" && !contains(ok, s.Validation) {
		if len(ok) == 0 {
			return fmt.Errorf("validation: %s has no choice of validation split, got %q", s.Dataset, s.Validation)
		}
		return fmt.Errorf("validation: for %s want one of %s, got %q", s.Dataset, strings.Join(ok, ", "), s.Validation)
	}
	if _, err := audio.ParseStorage(s.FeatureStorage); err != nil {
		return fmt.Errorf("feature-storage: want float16 or float32, got %q", s.FeatureStorage)
	}
	return nil
}

// validationSources lists the values of the validation setting per data
// set; the first is the default.
var validationSources = map[string][]string{
	"mnist": {"random"},
	"shd":   {"random", "speakers"},
	"ssc":   {"file", "random", "speakers"},
	"rawhd": {"random", "speakers"},
	"rawsc": {"file"},
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Spec returns the network of s for a data set with the given number of
// input units and classes.
func (s *Settings) Spec(inputs, classes int) (models.Spec, error) {
	shape, err := ops.ParseShape(s.Surrogate)
	if err != nil {
		return models.Spec{}, fmt.Errorf("surrogate: %w", err)
	}
	red, err := graph.ParseReduction(s.Readout)
	if err != nil {
		return models.Spec{}, fmt.Errorf("readout: %w", err)
	}
	spec := models.Spec{
		Inputs: inputs, Hidden: append([]int(nil), s.Hidden...), Outputs: classes, Steps: s.Steps,
		Recurrent: s.Recurrent, DT: s.DT, TauMem: s.TauMem, TauSyn: s.TauSyn, TauReadout: s.TauReadout,
		Surrogate:           ops.Surrogate{Shape: shape, Beta: s.Beta},
		DifferentiableReset: s.DiffReset, RecurrentGrad: s.RecurrentGrad, Readout: red, Gain: s.Gain,
		Reg: models.Regularization{
			LowerStrength: s.RegLowerStrength, LowerThreshold: s.RegLowerThreshold,
			UpperStrength: s.RegUpperStrength, UpperThreshold: s.RegUpperThreshold, UpperExp: s.RegUpperExp,
		},
	}
	if err := spec.Validate(); err != nil {
		return models.Spec{}, err
	}
	return spec, nil
}

func (s *Settings) dtype() (tensor.Dtype, error) {
	switch s.DType {
	case "float32":
		return tensor.Float32, nil
	case "float64":
		return tensor.Float64, nil
	}
	return tensor.Float32, fmt.Errorf("dtype: want float32 or float64, got %q", s.DType)
}

// Config returns the optimisation settings of s.
func (s *Settings) Config() (Config, error) {
	dt, err := s.dtype()
	if err != nil {
		return Config{}, err
	}
	c := Config{Epochs: s.Epochs, Batch: s.Batch, LR: s.LR, Seed: s.Seed, DType: dt}
	if s.Init == "fluctuation" {
		c.Fluctuation = &Fluctuation{Xi: s.InitXi, RecurrentShare: s.InitRecurrentShare, Samples: s.InitSamples}
	}
	return c, nil
}

// ApplyThreads sets GOMAXPROCS when Threads is positive. Results do not
// depend on the thread count, but fixing it fixes the schedule.
func (s *Settings) ApplyThreads() {
	if s.Threads > 0 {
		runtime.GOMAXPROCS(s.Threads)
	}
}

func (s *Settings) randman() randman.Config {
	c := s.Randman
	c.Steps, c.Seed = s.Steps, s.DataSeed
	return c
}

// LoadData loads or generates the data set of s.
func (s *Settings) LoadData(ctx context.Context) (*datasets.Data, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var d *datasets.Data
	var err error
	switch s.Dataset {
	case "randman":
		d, err = randman.Generate(s.randman())
	default:
		d, err = s.loadFiles()
	}
	if err != nil {
		return nil, err
	}
	if s.Limit > 0 {
		// A seeded random subset: files may be sorted by class or speaker.
		rng := rand.New(rand.NewPCG(s.DataSeed, 0x1175))
		for _, sp := range []**datasets.Split{&d.Train, &d.Validation, &d.Test} {
			if (*sp).Len() > s.Limit {
				*sp = (*sp).Subset((*sp).Name, rng.Perm((*sp).Len())[:s.Limit])
			}
		}
	}
	return d, nil
}
