package datasets

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// RandmanConfig describes a smooth random manifold ("randman") data set
// (Zenke & Vogels 2021, section 4.1.1).
//
// Each class is a random D-dimensional manifold embedded in the space of
// firing times of Units input neurons. A sample draws an intrinsic coordinate
// x uniformly from the unit hypercube [0, 1)^Dim and lets input unit i fire
// once, at a time given by the class's smooth random function f_i(x). The
// information is carried only by the relative timing of the spikes: every
// unit fires exactly once in every sample, so spike counts and rates carry no
// information about the class.
type RandmanConfig struct {
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

// DefaultRandman returns the default configuration of Zenke & Vogels (2021):
// a 10-way problem with D = α = 1 and M = 20 input units, 1000 samples per
// class split 800/100/100 into training, validation and test, spike times
// inside the first τ_randman = 50 of T = 100 steps, and seed 1.
//
// The paper chose these values as the smallest problem that a network
// without hidden units cannot solve.
func DefaultRandman() RandmanConfig {
	return RandmanConfig{
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
func (c RandmanConfig) Validate() error {
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

// Randman generates the smooth random manifold data set described by c.
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
func Randman(c RandmanConfig) (*Data, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	manifolds := make([]*manifold, c.Classes)
	points := make([][]float64, c.Classes)
	randmanParallel(c.Classes, func(cls int) {
		rng := randmanRNG(c.Seed, uint64(cls))
		manifolds[cls] = newManifold(rng, c.Units, c.Dim, c.Alpha)
		points[cls] = uniformPoints(rng, c.SamplesPerClass, c.Dim)
	})
	// steps[cls][i][s] is the spike step of unit i in sample s of class cls.
	steps := make([][][]int32, c.Classes)
	for cls := range steps {
		steps[cls] = make([][]int32, c.Units)
	}
	randmanParallel(c.Classes*c.Units, func(job int) {
		cls, unit := job/c.Units, job%c.Units
		vals := manifolds[cls].evalAll(unit, points[cls])
		steps[cls][unit] = spikeSteps(vals, c.Window)
	})
	samples := make([][]Sample, c.Classes)
	randmanParallel(c.Classes, func(cls int) {
		samples[cls] = classSamples(cls, steps[cls], c.SamplesPerClass)
	})
	d := assembleRandman(c, samples)
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// assembleRandman deals each class's samples, in order, into the training,
// validation and test splits and shuffles each split.
func assembleRandman(c RandmanConfig, samples [][]Sample) *Data {
	bounds := [4]int{0, c.TrainPerClass, c.TrainPerClass + c.ValidationPerClass, c.SamplesPerClass}
	names := [3]string{"train", "validation", "test"}
	var splits [3]*Split
	for k, name := range names {
		s := &Split{Name: name, Steps: c.Steps, Units: c.Units, Classes: c.Classes}
		for _, cls := range samples {
			s.Samples = append(s.Samples, cls[bounds[k]:bounds[k+1]]...)
		}
		rng := randmanRNG(c.Seed, randmanShuffleStream+uint64(k))
		rng.Shuffle(len(s.Samples), func(i, j int) {
			s.Samples[i], s.Samples[j] = s.Samples[j], s.Samples[i]
		})
		splits[k] = s
	}
	return &Data{Name: "randman", Train: splits[0], Validation: splits[1], Test: splits[2]}
}

// classSamples turns the spike steps of one class, indexed [unit][sample],
// into n labelled samples with one event per unit, sorted by step and then
// unit. All events of the class share one backing array; each sample's slice
// is capped so that appending to it cannot overwrite its neighbour.
func classSamples(label int, steps [][]int32, n int) []Sample {
	units := len(steps)
	events := make([]Event, n*units)
	out := make([]Sample, n)
	for s := range out {
		ev := events[s*units : (s+1)*units : (s+1)*units]
		for i := range ev {
			ev[i] = Event{Step: steps[i][s], Unit: int32(i), Value: 1}
		}
		slices.SortFunc(ev, func(a, b Event) int {
			return cmp.Or(cmp.Compare(a.Step, b.Step), cmp.Compare(a.Unit, b.Unit))
		})
		out[s] = Sample{Label: label, Events: ev}
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
// shuffled with stream randmanShuffleStream+k, far above any class index.
const randmanShuffleStream = 1 << 62

// randmanRNG returns the random stream number stream of seed. Both PCG seed
// words are scrambled with SplitMix64: PCG states that differ only by a small
// integer, as raw (seed, stream) pairs would, produce visibly correlated
// outputs, whereas scrambled states lie far apart.
func randmanRNG(seed, stream uint64) *rand.Rand {
	s1 := randmanMix(seed)
	return rand.New(rand.NewPCG(s1, randmanMix(s1^randmanMix(stream))))
}

// randmanMix is the finaliser of the SplitMix64 generator, a bijective
// mixing of all 64 bits.
func randmanMix(z uint64) uint64 {
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

// randmanCutoff returns the number K of Fourier harmonics for spectral
// exponent alpha: the smallest k whose weight k^-alpha is at most 0.001, but
// no more than 1000. This is the cutoff of the reference implementation
// (github.com/fzenke/randman); for alpha ≤ 1 the cap of 1000 applies.
func randmanCutoff(alpha float64) int {
	const prec, maxCutoff = 1e-3, 1000
	return int(min(math.Ceil(math.Pow(prec, -1/alpha)), maxCutoff))
}

// manifold holds the random functions f_i of one class in a form that is
// cheap to evaluate. For unit i, intrinsic axis j and harmonic k (stored at
// index (i·dim + j)·cutoff + k-1) it keeps
//
//	amp   = A_ijk / k^α
//	freq  = k·B_ijk
//	phase = C_ijk
//
// so that a term is amp·sin(2π(freq·x + phase)): one multiply-add and one
// sine of an angle measured in turns.
type manifold struct {
	units, dim, cutoff int
	amp, freq, phase   []float64
}

// newManifold draws the coefficients of units random functions on a
// dim-dimensional manifold with spectral exponent alpha from rng, in the
// order unit, axis, harmonic, and within each harmonic A, B, C.
func newManifold(rng *rand.Rand, units, dim int, alpha float64) *manifold {
	k := randmanCutoff(alpha)
	n := units * dim * k
	m := &manifold{units: units, dim: dim, cutoff: k,
		amp: make([]float64, n), freq: make([]float64, n), phase: make([]float64, n)}
	for idx := range n {
		h := float64(idx%k + 1)
		m.amp[idx] = rng.Float64() / math.Pow(h, alpha)
		m.freq[idx] = h * rng.Float64()
		m.phase[idx] = rng.Float64()
	}
	return m
}

// eval returns f_unit(x) for one point x of length dim.
func (m *manifold) eval(unit int, x []float64) float64 {
	f := 1.0
	for j, xj := range x {
		lo := (unit*m.dim + j) * m.cutoff
		hi := lo + m.cutoff
		f *= fourierSeries(m.amp[lo:hi], m.freq[lo:hi], m.phase[lo:hi], xj)
	}
	return f
}

// evalAll returns f_unit at every point of points, row-major [n][dim].
func (m *manifold) evalAll(unit int, points []float64) []float64 {
	out := make([]float64, len(points)/m.dim)
	for s := range out {
		out[s] = m.eval(unit, points[s*m.dim:(s+1)*m.dim])
	}
	return out
}

// fourierSeries returns Σ_k amp[k]·sin(2π(freq[k]·x + phase[k])). It is the
// inner loop of the generator, evaluated Classes·Units·SamplesPerClass·Dim·K
// times (2·10⁸ for the default configuration), so it is kept free of bounds
// checks and uses sinTurns rather than math.Sin.
func fourierSeries(amp, freq, phase []float64, x float64) float64 {
	freq, phase = freq[:len(amp)], phase[:len(amp)]
	var sum float64
	for k, a := range amp {
		sum += a * sinTurns(freq[k]*x+phase[k])
	}
	return sum
}

// turnTableSize is the number of table angles of sinTurns. It is a power
// of two, so that table indices wrap around the circle by masking, and small
// enough that both tables (16 KiB) stay in the L1 cache.
const turnTableSize = 1 << 10

// turnSin and turnCos hold sin and cos of the angles i/turnTableSize turns.
var turnSin, turnCos = func() (s, c [turnTableSize]float64) {
	for i := range turnTableSize {
		s[i], c[i] = math.Sincos(2 * math.Pi * float64(i) / turnTableSize)
	}
	return s, c
}()

// sinTurns returns sin(2πt), the sine of an angle of t turns, for
// |t| < 2⁵³/turnTableSize.
//
// It is about three times faster than math.Sin, which would otherwise
// dominate the cost of generating randman data. The angle is split into a
// table angle a, a multiple of 1/turnTableSize turns, and a remainder b with
// |b| < 2π/turnTableSize ≈ 0.006 rad; then sin(a+b) = sin a·cos b + cos a·sin b
// with cos b and sin b from their Taylor series up to b⁴ and b⁵, whose
// truncation error is below 10⁻¹⁶. Splitting off whole table steps of t is
// exact, whereas math.Sin(2*math.Pi*t) first rounds 2πt, which for the
// t ≈ 1000 of high harmonics already costs about 10⁻¹².
func sinTurns(t float64) float64 {
	u := t * turnTableSize // exact: a power-of-two scaling
	n := int64(u)          // truncates towards zero, so b < 0 for u < 0, which works as well
	b := (u - float64(n)) * (2 * math.Pi / turnTableSize)
	i := n & (turnTableSize - 1)
	z := b * b
	cosB := 1 + z*(-1.0/2+z*(1.0/24))
	sinB := b * (1 + z*(-1.0/6+z*(1.0/120)))
	return turnSin[i]*cosB + turnCos[i]*sinB
}

// randmanParallel calls fn(i) for every i in [0, n), spread over GOMAXPROCS
// goroutines, and returns when all calls have finished. Calls must write
// only to their own outputs.
func randmanParallel(n int, fn func(i int)) {
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
