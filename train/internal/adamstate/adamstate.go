// Package adamstate reads and restores the progress of Gorgonia's
// AdamSolver: its step count and its moment estimates.
//
// Gorgonia v0.9.18 keeps them in unexported fields (iter, and cache, a
// slice of *dualValue holding the first moments in Value and the second in
// d) and offers no way to save or restore them, so a run resumed from a
// checkpoint would restart Adam from zero and leave the uninterrupted
// path. This package reaches the fields through reflect, checking first
// that they exist with the types this code was written against; it never
// assumes a layout, so a changed Gorgonia makes Get and Set fail with
// ErrLayout instead of corrupting memory. Its tests fail loudly when the
// struct changes, and check step for step that a restored solver continues
// exactly as the original does.
package adamstate

import (
	"errors"
	"fmt"
	"reflect"
	"unsafe"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// GorgoniaVersion is the Gorgonia release whose AdamSolver this package
// reads.
const GorgoniaVersion = "v0.9.18"

// State is an AdamSolver's progress.
type State struct {
	Step int // steps taken, t in Adam's bias corrections
	// M and V are the first and second moment estimates, one per value
	// the solver steps, in the order it is given them; nil before the
	// first step.
	M, V []*tensor.Dense
}

// ErrLayout reports an AdamSolver whose fields are not those of
// GorgoniaVersion.
var ErrLayout = errors.New("adamstate: gorgonia.AdamSolver is not laid out as in " + GorgoniaVersion)

// fields are the AdamSolver fields used, with the types they must have.
type fields struct {
	iter  reflect.Value // int
	cache reflect.Value // []*dualValue
	dual  reflect.Type  // dualValue
}

var valueType = reflect.TypeFor[G.Value]()

// open checks s's layout and returns its fields, writable.
func open(s *G.AdamSolver) (fields, error) {
	if s == nil {
		return fields{}, errors.New("adamstate: nil solver")
	}
	v := reflect.ValueOf(s).Elem()
	iter, cache := v.FieldByName("iter"), v.FieldByName("cache")
	if !iter.IsValid() || iter.Kind() != reflect.Int || !cache.IsValid() || cache.Kind() != reflect.Slice {
		return fields{}, ErrLayout
	}
	ptr := cache.Type().Elem()
	if ptr.Kind() != reflect.Pointer || ptr.Elem().Kind() != reflect.Struct {
		return fields{}, ErrLayout
	}
	dual := ptr.Elem()
	if dual.Name() != "dualValue" || dual.PkgPath() != "gorgonia.org/gorgonia" || dual.NumField() != 2 {
		return fields{}, ErrLayout
	}
	m, d := dual.Field(0), dual.Field(1)
	if m.Name != "Value" || !m.Anonymous || m.Type != valueType || d.Name != "d" || d.Type != valueType {
		return fields{}, ErrLayout
	}
	return fields{iter: writable(iter), cache: writable(cache), dual: dual}, nil
}

// writable returns an addressable field that reflect lets us read and
// set although it is unexported. The type is the field's own, so the
// access is as type-safe as Gorgonia's.
func writable(f reflect.Value) reflect.Value {
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// Get returns a copy of s's progress.
func Get(s *G.AdamSolver) (State, error) {
	f, err := open(s)
	if err != nil {
		return State{}, err
	}
	st := State{Step: int(f.iter.Int())}
	for i := 0; i < f.cache.Len(); i++ {
		p := f.cache.Index(i)
		if p.IsNil() {
			return State{}, fmt.Errorf("adamstate: no moments for value %d after %d steps", i, st.Step)
		}
		dv := p.Elem()
		m, mok := writable(dv.Field(0)).Interface().(*tensor.Dense)
		v, vok := writable(dv.Field(1)).Interface().(*tensor.Dense)
		if !mok || !vok {
			return State{}, fmt.Errorf("adamstate: moments of value %d are not dense tensors", i)
		}
		st.M = append(st.M, m.Clone().(*tensor.Dense))
		st.V = append(st.V, v.Clone().(*tensor.Dense))
	}
	return st, nil
}

// Set makes s continue from st, with copies of its moments: Adam hands
// the moment tensors it replaces back to Gorgonia's pool, so it must not
// share them with the caller.
func Set(s *G.AdamSolver, st State) error {
	f, err := open(s)
	if err != nil {
		return err
	}
	if st.Step < 0 || len(st.M) != len(st.V) || (st.Step == 0) != (len(st.M) == 0) {
		return fmt.Errorf("adamstate: inconsistent state: step %d with %d first and %d second moments", st.Step, len(st.M), len(st.V))
	}
	cache := reflect.Zero(f.cache.Type())
	if len(st.M) > 0 {
		cache = reflect.MakeSlice(f.cache.Type(), len(st.M), len(st.M))
		for i := range st.M {
			if st.M[i] == nil || st.V[i] == nil || !st.M[i].Shape().Eq(st.V[i].Shape()) || st.M[i].Dtype() != st.V[i].Dtype() {
				return fmt.Errorf("adamstate: moments of value %d are missing or differ in shape or type", i)
			}
			dv := reflect.New(f.dual)
			writable(dv.Elem().Field(0)).Set(reflect.ValueOf(st.M[i].Clone()))
			writable(dv.Elem().Field(1)).Set(reflect.ValueOf(st.V[i].Clone()))
			cache.Index(i).Set(dv)
		}
	}
	f.iter.SetInt(int64(st.Step))
	f.cache.Set(cache)
	return nil
}
