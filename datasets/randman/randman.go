package randman

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/spikegrad/spikegrad/datasets"
)

// Config describes a smooth random manifold ("randman") data set
// (Zenke & Vogels 2021, section 4.1.1).
//
// Each class is a random D-dimensional manifold embedded in the space of
// firing times of Units input neurons. A sample draws an intrinsic coordinate
// x uniformly from the unit hypercube [0, 1)^Dim and lets input unit i fire
// once, at a time given by the class's smooth random function f_i(x). The
// information is carried only by the relative timing of the spikes: every
// unit fires exactly once in every sample, so spike counts and rates carry no
// information about the class.
type Config struct {
	// Classes is the number of classes, one random manifold each.
	Classes int
	// Dim is the intrinsic dimension D of every manifold. Larger D makes
	// the classes harder to separate.
	Dim int
	// Alpha is the fall-off exponent of the Fourier spectrum: the k-th
	// harmonic is weighted by 1/k^Alpha. Larger Alpha gives smoother,
	// more slowly varying manifolds.
	Alpha float64
	// Units is the number of input units M, the embedding dimension.
	Units int

	// SamplesPerClass is the number of points drawn from each manifold.
	// With a single point there is no range to scale, and every spike of
	// the class falls in step 0.
	SamplesPerClass int
	// TrainPerClass and ValidationPerClass are the numbers of each class's
	// samples that go into the training and validation splits; the rest
	// of the SamplesPerClass go into the test split. The splits are
	// therefore exactly balanced.
	TrainPerClass, ValidationPerClass int

	// Steps is the number of time steps T of the time grid.
	Steps int
	// Window is the length τ_randman, in steps, of the interval [0, Window)
	// at the start of the grid into which the spike times are scaled.
	// Steps beyond the window stay silent, which gives a network time to
	// respond to late spikes.
	Window int

	// Seed determines the manifolds, the sampled points and the shuffle of
	// the splits. Equal configurations give identical data.
	Seed uint64
}

// Default returns the default configuration of Zenke & Vogels (2021):
// a 10-way problem with D = α = 1 and M = 20 input units, 1000 samples per
// class split 800/100/100 into training, validation and test, spike times
// inside the first τ_randman = 50 of T = 100 steps, and seed 1.
//
// The paper chose these values as the smallest problem that a network
// without hidden units cannot solve.
func Default() Config {
	return Config{
		Classes:            10,
		Dim:                1,
		Alpha:              1,
		Units:              20,
		SamplesPerClass:    1000,
		TrainPerClass:      800,
		ValidationPerClass: 100,
		Steps:              100,
		Window:             50,
		Seed:               1,
	}
}

// Validate reports the first field of c that is out of range, naming it.
func (c Config) Validate() error {
	for _, f := range []struct {
		name     string
		val, min int
	}{
		{"Classes", c.Classes, 1},
		{"Dim", c.Dim, 1},
		{"Units", c.Units, 1},
		{"SamplesPerClass", c.SamplesPerClass, 1},
		{"TrainPerClass", c.TrainPerClass, 0},
		{"ValidationPerClass", c.ValidationPerClass, 0},
		{"Steps", c.Steps, 1},
		{"Window", c.Window, 1},
	} {
		if f.val < f.min {
			return fmt.Errorf("randman: %s must be ≥ %d, got %d", f.name, f.min, f.val)
		}
	}
	// Events store units and steps as int32.
	if c.Units > math.MaxInt32 || c.Steps > math.MaxInt32 {
		return fmt.Errorf("randman: Units and Steps must be ≤ %d, got %d and %d", math.MaxInt32, c.Units, c.Steps)
	}
	if !(c.Alpha >= 0) || math.IsInf(c.Alpha, 1) {
		return fmt.Errorf("randman: Alpha must be finite and ≥ 0, got %g", c.Alpha)
	}
	if c.Window > c.Steps {
		return fmt.Errorf("randman: Window must be ≤ Steps (%d), got %d", c.Steps, c.Window)
	}
	if c.TrainPerClass+c.ValidationPerClass > c.SamplesPerClass {
		return fmt.Errorf("randman: TrainPerClass + ValidationPerClass must be ≤ SamplesPerClass (%d), got %d + %d",
			c.SamplesPerClass, c.TrainPerClass, c.ValidationPerClass)
	}
	return nil
}

// Generate returns the smooth random manifold data set described by c.
//
// In every class the spike time of input unit i is a random function of the
// intrinsic coordinate x ∈ [0, 1)^D,
//
//	f_i(x) = Π_{j<D} Σ_{k=1..K} k^-α · A_ijk · sin(2π(k·x_j·B_ijk + C_ijk)),
//
// with A, B, C drawn independently from U(0, 1) for every class, unit i,
// axis j and harmonic k, and the spectrum cut off at
// K = min(⌈0.001^(-1/α)⌉, 1000) harmonics, where the k^-α weight has fallen
// below 0.001. The values of each unit are min-max scaled over all of the
// class's samples into [0, Window) and floored to a step, so that the
// earliest spike of every unit lands in step 0 and the latest in step
// Window-1: all classes use the full window and differ only in the shape of
// their manifolds.
//
// This is the formula of the paper. The reference implementation
// (github.com/fzenke/randman) differs in details, such as frequencies
// k-1 instead of k, and uses other random numbers, so its data sets are
// statistically alike but not identical to these.
//
// Each class's first TrainPerClass samples form its part of the training
// split, the next ValidationPerClass samples its part of the validation split
// and the rest its part of the test split; since the points are drawn
// independently this is a random stratified split. Every split is then
// shuffled so that the classes are interleaved.
//
// The default configuration needs 2·10⁸ sine terms, so generation is spread
// over GOMAXPROCS goroutines; it takes under a second on two cores. Every
// class draws its coefficients and points from its own random stream, and
// every function is evaluated by a single goroutine in a fixed order, so the
// result depends only on c, not on scheduling.
func Generate(c Config) (*datasets.Data, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	manifolds := make([]*manifold, c.Classes)
	points := make([][]float64, c.Classes)
	parallel(c.Classes, func(cls int) {
		rng := streamRNG(c.Seed, uint64(cls))
		manifolds[cls] = newManifold(rng, c.Units, c.Dim, c.Alpha)
		points[cls] = uniformPoints(rng, c.SamplesPerClass, c.Dim)
	})
	// steps[cls][i][s] is the spike step of unit i in sample s of class cls.
	steps := make([][][]int32, c.Classes)
	for cls := range steps {
		steps[cls] = make([][]int32, c.Units)
	}
	parallel(c.Classes*c.Units, func(job int) {
		cls, unit := job/c.Units, job%c.Units
		vals := manifolds[cls].evalAll(unit, points[cls])
		steps[cls][unit] = spikeSteps(vals, c.Window)
	})
	samples := make([][]datasets.Sample, c.Classes)
	parallel(c.Classes, func(cls int) {
		samples[cls] = classSamples(cls, steps[cls], c.SamplesPerClass)
	})
	d := assemble(c, samples)
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// assemble deals each class's samples, in order, into the training,
// validation and test splits and shuffles each split.
func assemble(c Config, samples [][]datasets.Sample) *datasets.Data {
	bounds := [4]int{0, c.TrainPerClass, c.TrainPerClass + c.ValidationPerClass, c.SamplesPerClass}
	names := [3]string{"train", "validation", "test"}
	var splits [3]*datasets.Split
	for k, name := range names {
		s := &datasets.Split{Name: name, Steps: c.Steps, Units: c.Units, Classes: c.Classes}
		for _, cls := range samples {
			s.Samples = append(s.Samples, cls[bounds[k]:bounds[k+1]]...)
		}
		rng := streamRNG(c.Seed, shuffleStream+uint64(k))
		rng.Shuffle(len(s.Samples), func(i, j int) {
			s.Samples[i], s.Samples[j] = s.Samples[j], s.Samples[i]
		})
		splits[k] = s
	}
	return &datasets.Data{Name: "randman", Train: splits[0], Validation: splits[1], Test: splits[2]}
}

// classSamples turns the spike steps of one class, indexed [unit][sample],
// into n labelled samples with one event per unit, sorted by step and then
// unit. All events of the class share one backing array; each sample's slice
// is capped so that appending to it cannot overwrite its neighbour.
func classSamples(label int, steps [][]int32, n int) []datasets.Sample {
	units := len(steps)
	events := make([]datasets.Event, n*units)
	out := make([]datasets.Sample, n)
	for s := range out {
		ev := events[s*units : (s+1)*units : (s+1)*units]
		for i := range ev {
			ev[i] = datasets.Event{Step: steps[i][s], Unit: int32(i), Value: 1}
		}
		slices.SortFunc(ev, func(a, b datasets.Event) int {
			return cmp.Or(cmp.Compare(a.Step, b.Step), cmp.Compare(a.Unit, b.Unit))
		})
		out[s] = datasets.Sample{Label: label, Events: ev}
	}
	return out
}

// spikeSteps min-max scales vals into [0, window) and floors them to steps.
// The minimum maps to step 0 and the maximum, which scaling would put at
// window itself, is clamped to window-1, so the steps span the whole window.
// If all values are equal there is no scale and every spike is in step 0.
func spikeSteps(vals []float64, window int) []int32 {
	lo, hi := slices.Min(vals), slices.Max(vals)
	out := make([]int32, len(vals))
	if hi == lo {
		return out
	}
	scale := float64(window) / (hi - lo)
	for s, v := range vals {
		out[s] = int32(min(int((v-lo)*scale), window-1))
	}
	return out
}

// Stream identifiers: class cls draws from stream cls, and split k is
// shuffled with stream shuffleStream+k, far above any class index.
const shuffleStream = 1 << 62

// streamRNG returns the random stream number stream of seed. Both PCG seed
// words are scrambled with SplitMix64: PCG states that differ only by a small
// integer, as raw (seed, stream) pairs would, produce visibly correlated
// outputs, whereas scrambled states lie far apart.
func streamRNG(seed, stream uint64) *rand.Rand {
	s1 := splitMix(seed)
	return rand.New(rand.NewPCG(s1, splitMix(s1^splitMix(stream))))
}

// splitMix is the finaliser of the SplitMix64 generator, a bijective
// mixing of all 64 bits.
func splitMix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// uniformPoints draws n points uniformly from [0, 1)^dim, stored row-major
// as [n][dim].
func uniformPoints(rng *rand.Rand, n, dim int) []float64 {
	x := make([]float64, n*dim)
	for i := range x {
		x[i] = rng.Float64()
	}
	return x
}

// parallel calls fn(i) for every i in [0, n), spread over GOMAXPROCS
// goroutines, and returns when all calls have finished. Calls must write
// only to their own outputs.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				fn(i)
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}
