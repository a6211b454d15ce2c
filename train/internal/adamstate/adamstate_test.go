package adamstate

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The module must build against the Gorgonia release this package was
// checked against. After an upgrade, compare AdamSolver.Step with the
// version below and update GorgoniaVersion and the field list.
func TestGorgoniaVersionIsPinned(t *testing.T) {
	got := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "gorgonia.org/gorgonia" {
				got = d.Version
			}
		}
	}
	if got == "" { // test binaries may carry no dependency list: ask go.mod
		mod, err := os.ReadFile(filepath.Join("..", "..", "..", "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(mod), "\n") {
			if f := strings.Fields(line); len(f) == 2 && f[0] == "gorgonia.org/gorgonia" {
				got = f[1]
			}
		}
	}
	if got != GorgoniaVersion {
		t.Fatalf("built with gorgonia %q; adamstate reads the AdamSolver of %s: re-check its fields and Step, then update GorgoniaVersion", got, GorgoniaVersion)
	}
}

// The whole of AdamSolver and dualValue as this package knows them: any
// added, removed, renamed or retyped field fails here, before a user's
// checkpoint does.
func TestAdamSolverLayout(t *testing.T) {
	want := []string{
		"eta float64", "eps float64", "beta1 float64", "beta2 float64", "clip float64",
		"l1reg float64", "l2reg float64", "batch float64",
		"useClip bool", "useL1Reg bool", "useL2Reg bool",
		"iter int", "cache []*gorgonia.dualValue",
	}
	if got := fieldList(reflect.TypeFor[G.AdamSolver]()); !slices.Equal(got, want) {
		t.Fatalf("gorgonia.AdamSolver has fields\n  %s\nthis package was written for\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	dual := reflect.TypeFor[G.AdamSolver]().Field(12).Type.Elem().Elem()
	if got, want := fieldList(dual), []string{"Value gorgonia.Value", "d gorgonia.Value"}; !slices.Equal(got, want) {
		t.Fatalf("gorgonia.dualValue has fields %v, want %v", got, want)
	}
	if _, err := open(G.NewAdamSolver()); err != nil {
		t.Fatal(err)
	}
}

func fieldList(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		out = append(out, t.Field(i).Name+" "+t.Field(i).Type.String())
	}
	return out
}

// param is a value with a gradient, as the solvers want them.
type param struct{ w, g *tensor.Dense }

func (p param) Value() G.Value         { return p.w }
func (p param) Grad() (G.Value, error) { return p.g, nil }

func params(dt tensor.Dtype, seed uint64) []param {
	rng := rand.New(rand.NewPCG(seed, 1))
	var ps []param
	for _, shape := range [][]int{{3, 4}, {4, 2}} {
		w := tensor.New(tensor.WithShape(shape...), tensor.Of(dt))
		fill(w, rng)
		ps = append(ps, param{w, tensor.New(tensor.WithShape(shape...), tensor.Of(dt))})
	}
	return ps
}

func fill(t *tensor.Dense, rng *rand.Rand) {
	switch d := t.Data().(type) {
	case []float32:
		for i := range d {
			d[i] = float32(rng.NormFloat64())
		}
	case []float64:
		for i := range d {
			d[i] = rng.NormFloat64()
		}
	}
}

// step draws gradient number k (the same for every copy) and takes one
// solver step.
func step(t *testing.T, s G.Solver, ps []param, k int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(k), 2))
	vgs := make([]G.ValueGrad, len(ps))
	for i, p := range ps {
		fill(p.g, rng)
		vgs[i] = p
	}
	if err := s.Step(vgs); err != nil {
		t.Fatal(err)
	}
}

func equal(a, b []param) bool {
	for i := range a {
		if !reflect.DeepEqual(a[i].w.Data(), b[i].w.Data()) {
			return false
		}
	}
	return true
}

// A solver restored from Get after k steps continues bit for bit as the
// original; a fresh solver on the same weights does not.
func TestRestoredSolverContinuesExactly(t *testing.T) {
	opts := []G.SolverOpt{G.WithLearnRate(0.01), G.WithBeta1(0.8), G.WithBeta2(0.99), G.WithEps(1e-7)}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		orig, ps := G.NewAdamSolver(opts...), params(dt, 1)
		for k := 1; k <= 3; k++ {
			step(t, orig, ps, k)
		}
		st, err := Get(orig)
		if err != nil {
			t.Fatal(err)
		}
		if st.Step != 3 || len(st.M) != 2 || len(st.V) != 2 {
			t.Fatalf("%v: state after 3 steps: step %d, %d and %d moments", dt, st.Step, len(st.M), len(st.V))
		}
		restored, fresh := G.NewAdamSolver(opts...), G.NewAdamSolver(opts...)
		if err := Set(restored, st); err != nil {
			t.Fatal(err)
		}
		psR, psF := clone(ps), clone(ps)
		for k := 4; k <= 8; k++ {
			step(t, orig, ps, k)
			step(t, restored, psR, k)
			step(t, fresh, psF, k)
			if !equal(ps, psR) {
				t.Fatalf("%v step %d: the restored solver's weights differ from the original's", dt, k)
			}
		}
		if equal(ps, psF) {
			t.Errorf("%v: a fresh solver matched too: the test cannot tell a restored state from none", dt)
		}
		a, _ := Get(orig)
		b, _ := Get(restored)
		if a.Step != 8 || b.Step != 8 || !reflect.DeepEqual(a.M[1].Data(), b.M[1].Data()) || !reflect.DeepEqual(a.V[0].Data(), b.V[0].Data()) {
			t.Errorf("%v: states after 8 steps differ: step %d and %d", dt, a.Step, b.Step)
		}
	}
}

func clone(ps []param) []param {
	out := make([]param, len(ps))
	for i, p := range ps {
		out[i] = param{p.w.Clone().(*tensor.Dense), p.g.Clone().(*tensor.Dense)}
	}
	return out
}

// Get returns copies: changing them leaves the solver alone. A new solver
// has no state.
func TestGetCopies(t *testing.T) {
	s, ps := G.NewAdamSolver(), params(tensor.Float64, 2)
	if st, err := Get(s); err != nil || st.Step != 0 || st.M != nil {
		t.Fatalf("new solver: %+v, %v", st, err)
	}
	step(t, s, ps, 1)
	st, _ := Get(s)
	st.M[0].Float64s()[0] = 1e9
	again, _ := Get(s)
	if again.M[0].Float64s()[0] == 1e9 {
		t.Error("Get shares the solver's moment tensors")
	}
}

func TestSetRejectsInconsistentState(t *testing.T) {
	m := tensor.New(tensor.WithShape(2), tensor.Of(tensor.Float64))
	other := tensor.New(tensor.WithShape(3), tensor.Of(tensor.Float64))
	for name, st := range map[string]State{
		"moments at step 0":  {Step: 0, M: []*tensor.Dense{m}, V: []*tensor.Dense{m}},
		"no moments":         {Step: 2},
		"unpaired moments":   {Step: 2, M: []*tensor.Dense{m}},
		"shapes differ":      {Step: 2, M: []*tensor.Dense{m}, V: []*tensor.Dense{other}},
		"negative step":      {Step: -1},
		"missing second one": {Step: 1, M: []*tensor.Dense{m}, V: []*tensor.Dense{nil}},
	} {
		if err := Set(G.NewAdamSolver(), st); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}
