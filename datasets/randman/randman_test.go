package randman

import (
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets"
)

// smallRandman is a configuration that generates in milliseconds but still
// has several classes, units and intrinsic dimensions, and a window shorter
// than the grid.
func smallRandman() Config {
	return Config{
		Classes: 3, Dim: 2, Alpha: 2, Units: 7,
		SamplesPerClass: 60, TrainPerClass: 40, ValidationPerClass: 8,
		Steps: 30, Window: 20, Seed: 5,
	}
}

func mustRandman(t *testing.T, c Config) *datasets.Data {
	t.Helper()
	d, err := Generate(c)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", c, err)
	}
	return d
}

func splitsOf(d *datasets.Data) []*datasets.Split {
	return []*datasets.Split{d.Train, d.Validation, d.Test}
}

func TestRandmanCutoff(t *testing.T) {
	for _, tc := range []struct {
		alpha float64
		want  int
	}{
		{0, 1000}, {0.5, 1000}, {1, 1000}, {1.5, 100}, {2, 32}, {3, 10}, {4, 6}, {10, 2},
	} {
		if got := cutoffFor(tc.alpha); got != tc.want {
			t.Errorf("cutoffFor(%g) = %d, want %d", tc.alpha, got, tc.want)
		}
	}
}

func TestSinTurns(t *testing.T) {
	rng := streamRNG(1, 0)
	worst := 0.0
	for range 100000 {
		turns := 2000*rng.Float64() - 1000
		worst = max(worst, math.Abs(sinTurns(turns)-math.Sin(2*math.Pi*turns)))
	}
	// math.Sin(2π·t) itself is only accurate to about |t|·2π·2⁻⁵³ ≈ 1e-12.
	if worst > 5e-12 {
		t.Errorf("max |sinTurns(t) - sin(2πt)| = %g over t ∈ [-1000, 1000), want ≤ 5e-12", worst)
	}
	for _, tc := range []struct{ turns, want float64 }{
		{0, 0}, {0.25, 1}, {0.5, 0}, {0.75, -1}, {-0.25, -1}, {1.0 / 12, 0.5}, {1000.25, 1},
	} {
		if got := sinTurns(tc.turns); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("sinTurns(%g) = %.17g, want %g", tc.turns, got, tc.want)
		}
	}
}

// TestManifoldMatchesFormula redraws the coefficients in the documented order
// and evaluates the paper's formula term by term with math.Sin.
func TestManifoldMatchesFormula(t *testing.T) {
	const units, dim, alpha, seed, stream = 3, 2, 1.5, 9, 4
	m := newManifold(streamRNG(seed, stream), units, dim, alpha)
	K := cutoffFor(alpha)
	rng := streamRNG(seed, stream)
	var A, B, C [units][dim][]float64
	for i := range units {
		for j := range dim {
			for range K {
				A[i][j] = append(A[i][j], rng.Float64())
				B[i][j] = append(B[i][j], rng.Float64())
				C[i][j] = append(C[i][j], rng.Float64())
			}
		}
	}
	for range 20 {
		x := []float64{rng.Float64(), rng.Float64()}
		for i := range units {
			want := 1.0
			for j := range dim {
				sum := 0.0
				for k := 1; k <= K; k++ {
					arg := 2 * math.Pi * (float64(k)*x[j]*B[i][j][k-1] + C[i][j][k-1])
					sum += A[i][j][k-1] / math.Pow(float64(k), alpha) * math.Sin(arg)
				}
				want *= sum
			}
			if got := m.eval(i, x); math.Abs(got-want) > 1e-10 {
				t.Errorf("f_%d(%v) = %.15g, formula gives %.15g", i, x, got, want)
			}
		}
	}
}

// maxJump returns the largest change of f_unit between neighbouring points
// of a grid of n points on [0, 1) relative to the range of f_unit.
func maxJump(m *manifold, unit, n int) float64 {
	vals := make([]float64, n)
	for s := range vals {
		vals[s] = m.eval(unit, []float64{float64(s) / float64(n)})
	}
	jump := 0.0
	for s := 1; s < n; s++ {
		jump = max(jump, math.Abs(vals[s]-vals[s-1]))
	}
	return jump / (slices.Max(vals) - slices.Min(vals))
}

// TestManifoldSmooth checks that for α = 1 a step of 1/4000 in x moves every
// function by only a small fraction of its range, while a flat spectrum
// (α = 0) is rough by the same measure, so the check can fail.
func TestManifoldSmooth(t *testing.T) {
	const units, grid = 5, 4000
	smooth := newManifold(streamRNG(1, 0), units, 1, 1)
	rough := newManifold(streamRNG(1, 0), units, 1, 0)
	worstSmooth, worstRough := 0.0, 0.0
	for i := range units {
		worstSmooth = max(worstSmooth, maxJump(smooth, i, grid))
		worstRough = max(worstRough, maxJump(rough, i, grid))
	}
	t.Logf("largest relative jumps: %.3f for α = 1, %.3f for α = 0", worstSmooth, worstRough)
	if worstSmooth > 0.1 {
		t.Errorf("α = 1: largest jump between neighbouring x is %.3f of the range, want ≤ 0.1", worstSmooth)
	}
	if worstRough < 0.2 {
		t.Errorf("α = 0: largest jump between neighbouring x is %.3f of the range, want ≥ 0.2", worstRough)
	}
}

func TestSpikeSteps(t *testing.T) {
	for _, tc := range []struct {
		vals   []float64
		window int
		want   []int32
	}{
		{[]float64{-1, 0, 1, 0.999, -0.999}, 50, []int32{0, 25, 49, 49, 0}},
		{[]float64{2, 3}, 1, []int32{0, 0}},
		{[]float64{0, 0.5, 1}, 2, []int32{0, 1, 1}},
		{[]float64{7, 7, 7}, 10, []int32{0, 0, 0}},
	} {
		if got := spikeSteps(tc.vals, tc.window); !slices.Equal(got, tc.want) {
			t.Errorf("spikeSteps(%v, %d) = %v, want %v", tc.vals, tc.window, got, tc.want)
		}
	}
}

// checkEvents checks that every sample of every split has exactly one spike
// of value 1 per unit inside the window, sorted by step and then unit.
func checkEvents(t *testing.T, c Config, d *datasets.Data) {
	t.Helper()
	for _, s := range splitsOf(d) {
		for n, smp := range s.Samples {
			seen := make([]bool, c.Units)
			for k, e := range smp.Events {
				if e.Value != 1 || e.Step < 0 || int(e.Step) >= c.Window || e.Unit < 0 || int(e.Unit) >= c.Units || seen[e.Unit] {
					t.Fatalf("%s sample %d: bad or repeated event %+v (window %d, units %d)", s.Name, n, e, c.Window, c.Units)
				}
				seen[e.Unit] = true
				if k > 0 {
					p := smp.Events[k-1]
					if p.Step > e.Step || p.Step == e.Step && p.Unit > e.Unit {
						t.Fatalf("%s sample %d: events %+v, %+v out of order", s.Name, n, p, e)
					}
				}
			}
			if len(smp.Events) != c.Units {
				t.Fatalf("%s sample %d: %d events, want one per unit (%d)", s.Name, n, len(smp.Events), c.Units)
			}
		}
	}
}

// stepRange returns the earliest and latest spike step of every class and
// unit over all splits, indexed [class][unit].
func stepRange(c Config, d *datasets.Data) (first, last [][]int32) {
	first, last = make([][]int32, c.Classes), make([][]int32, c.Classes)
	for cls := range c.Classes {
		first[cls] = slices.Repeat([]int32{math.MaxInt32}, c.Units)
		last[cls] = slices.Repeat([]int32{-1}, c.Units)
	}
	for _, s := range splitsOf(d) {
		for _, smp := range s.Samples {
			for _, e := range smp.Events {
				first[smp.Label][e.Unit] = min(first[smp.Label][e.Unit], e.Step)
				last[smp.Label][e.Unit] = max(last[smp.Label][e.Unit], e.Step)
			}
		}
	}
	return first, last
}

// checkWindowSpanned checks that every class and unit fires in step 0 in some
// sample and in step Window-1 in another.
func checkWindowSpanned(t *testing.T, c Config, d *datasets.Data) {
	t.Helper()
	first, last := stepRange(c, d)
	for cls := range c.Classes {
		for i := range c.Units {
			if first[cls][i] != 0 || last[cls][i] != int32(c.Window-1) {
				t.Errorf("class %d unit %d: spikes span steps [%d, %d], want [0, %d]", cls, i, first[cls][i], last[cls][i], c.Window-1)
			}
		}
	}
}

// checkBalanced checks the split names, grids and per-class sample counts.
func checkBalanced(t *testing.T, c Config, d *datasets.Data) {
	t.Helper()
	if d.Name != "randman" {
		t.Errorf("Name = %q, want randman", d.Name)
	}
	perClass := []int{c.TrainPerClass, c.ValidationPerClass, c.SamplesPerClass - c.TrainPerClass - c.ValidationPerClass}
	for k, s := range splitsOf(d) {
		name := []string{"train", "validation", "test"}[k]
		if s.Name != name || s.Steps != c.Steps || s.Units != c.Units || s.Classes != c.Classes {
			t.Errorf("split %d: name %q, %d steps, %d units, %d classes; want %q, %d, %d, %d",
				k, s.Name, s.Steps, s.Units, s.Classes, name, c.Steps, c.Units, c.Classes)
		}
		counts := make([]int, c.Classes)
		for _, smp := range s.Samples {
			counts[smp.Label]++
		}
		if want := slices.Repeat([]int{perClass[k]}, c.Classes); !slices.Equal(counts, want) {
			t.Errorf("%s: samples per class %v, want %v", s.Name, counts, want)
		}
	}
}

// checkShuffled checks that the training labels are not in class order.
func checkShuffled(t *testing.T, d *datasets.Data) {
	t.Helper()
	labels := make([]int, d.Train.Len())
	for n, smp := range d.Train.Samples {
		labels[n] = smp.Label
	}
	if slices.IsSorted(labels) {
		t.Errorf("training labels are sorted by class, want them shuffled")
	}
}

func TestRandmanSmall(t *testing.T) {
	c := smallRandman()
	d := mustRandman(t, c)
	checkBalanced(t, c, d)
	checkEvents(t, c, d)
	checkWindowSpanned(t, c, d)
	checkShuffled(t, d)
}

// TestRandmanEdgeSplits covers empty validation and test splits and a
// one-step window.
func TestRandmanEdgeSplits(t *testing.T) {
	c := smallRandman()
	c.TrainPerClass, c.ValidationPerClass, c.Window = c.SamplesPerClass, 0, 1
	d := mustRandman(t, c)
	checkBalanced(t, c, d)
	checkEvents(t, c, d)
	if d.Validation.Len() != 0 || d.Test.Len() != 0 {
		t.Errorf("validation and test hold %d and %d samples, want none", d.Validation.Len(), d.Test.Len())
	}
}

func TestRandmanDeterministic(t *testing.T) {
	c := smallRandman()
	a := mustRandman(t, c)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if b := mustRandman(t, c); !reflect.DeepEqual(a, b) {
		t.Errorf("same seed gave different data with GOMAXPROCS 1")
	}
	runtime.GOMAXPROCS(7)
	if b := mustRandman(t, c); !reflect.DeepEqual(a, b) {
		t.Errorf("same seed gave different data with GOMAXPROCS 7")
	}
	c.Seed++
	b := mustRandman(t, c)
	for k, s := range splitsOf(b) {
		if reflect.DeepEqual(s.Samples, splitsOf(a)[k].Samples) {
			t.Errorf("seeds %d and %d gave the same %s split", c.Seed-1, c.Seed, s.Name)
		}
	}
}

// stepSums returns the sum of the spike steps of every class and unit over
// all splits, indexed [class][unit]. It does not depend on sample order.
func stepSums(c Config, d *datasets.Data) [][]int {
	sum := make([][]int, c.Classes)
	for cls := range sum {
		sum[cls] = make([]int, c.Units)
	}
	for _, s := range splitsOf(d) {
		for _, smp := range s.Samples {
			for _, e := range smp.Events {
				sum[smp.Label][e.Unit] += int(e.Step)
			}
		}
	}
	return sum
}

// TestRandmanClassesDiffer checks that classes get distinct manifolds, not
// merely distinct samples of one manifold, and that the seed changes the
// manifolds and not just the shuffle, by comparing sums of spike steps.
func TestRandmanClassesDiffer(t *testing.T) {
	c := smallRandman()
	sum := stepSums(c, mustRandman(t, c))
	for a := range c.Classes {
		for b := range a {
			if slices.Equal(sum[a], sum[b]) {
				t.Errorf("classes %d and %d have the same spike step sums %v", a, b, sum[a])
			}
		}
	}
	c.Seed++
	other := stepSums(c, mustRandman(t, c))
	for cls := range c.Classes {
		if slices.Equal(sum[cls], other[cls]) {
			t.Errorf("class %d: seeds %d and %d give the same spike step sums %v", cls, c.Seed-1, c.Seed, sum[cls])
		}
	}
}

func TestRandmanValidate(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	for _, tc := range []struct {
		mutate func(*Config)
		want   string
	}{
		{func(c *Config) { c.Classes = 0 }, "Classes must be ≥ 1, got 0"},
		{func(c *Config) { c.Dim = -1 }, "Dim must be ≥ 1, got -1"},
		{func(c *Config) { c.Units = 0 }, "Units must be ≥ 1, got 0"},
		{func(c *Config) { c.Units = math.MaxInt32 + 1 }, "Units and Steps must be ≤"},
		{func(c *Config) { c.SamplesPerClass = 0 }, "SamplesPerClass must be ≥ 1"},
		{func(c *Config) { c.TrainPerClass = -1 }, "TrainPerClass must be ≥ 0"},
		{func(c *Config) { c.ValidationPerClass = -3 }, "ValidationPerClass must be ≥ 0"},
		{func(c *Config) { c.Steps = 0 }, "Steps must be ≥ 1"},
		{func(c *Config) { c.Window = 0 }, "Window must be ≥ 1"},
		{func(c *Config) { c.Window = 101 }, "Window must be ≤ Steps (100), got 101"},
		{func(c *Config) { c.Alpha = -0.5 }, "Alpha must be finite and ≥ 0"},
		{func(c *Config) { c.Alpha = math.NaN() }, "Alpha must be finite and ≥ 0"},
		{func(c *Config) { c.Alpha = math.Inf(1) }, "Alpha must be finite and ≥ 0"},
		{func(c *Config) { c.TrainPerClass = 901 }, "TrainPerClass + ValidationPerClass must be ≤ SamplesPerClass (1000), got 901 + 100"},
	} {
		c := Default()
		tc.mutate(&c)
		err := c.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), "randman: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v, want an error containing %q", err, tc.want)
		}
		if d, err2 := Generate(c); d != nil || err2 == nil || err2.Error() != err.Error() {
			t.Errorf("Generate(invalid) = %v, %v; want nil and the Validate error", d, err2)
		}
	}
}

// TestRandmanDefault checks the statistics of the data set used in the
// paper. It takes about a second.
func TestRandmanDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the full default data set")
	}
	c := Default()
	d := mustRandman(t, c)
	if got := []int{d.Train.Len(), d.Validation.Len(), d.Test.Len()}; !slices.Equal(got, []int{8000, 1000, 1000}) {
		t.Errorf("split sizes %v, want [8000 1000 1000]", got)
	}
	checkBalanced(t, c, d)
	checkEvents(t, c, d)
	checkWindowSpanned(t, c, d)
	checkShuffled(t, d)
	checkStepUse(t, c, d)
}

// checkStepUse checks that a smooth manifold sampled 1000 times fires each
// unit in nearly every step of the window: a continuous function passes
// through every value between its extremes, so only steep stretches can skip
// a step. Spikes bunched into a few steps would mean broken scaling.
func checkStepUse(t *testing.T, c Config, d *datasets.Data) {
	t.Helper()
	used := make([][]map[int32]bool, c.Classes)
	for cls := range used {
		used[cls] = make([]map[int32]bool, c.Units)
		for i := range used[cls] {
			used[cls][i] = map[int32]bool{}
		}
	}
	for _, s := range splitsOf(d) {
		for _, smp := range s.Samples {
			for _, e := range smp.Events {
				used[smp.Label][e.Unit][e.Step] = true
			}
		}
	}
	fewest := c.Window
	for cls := range used {
		for i := range used[cls] {
			fewest = min(fewest, len(used[cls][i]))
		}
	}
	t.Logf("fewest distinct steps of any class and unit: %d of %d", fewest, c.Window)
	if fewest < c.Window*9/10 {
		t.Errorf("some class and unit fires in only %d distinct steps of %d, want ≥ 90%%", fewest, c.Window)
	}
}
