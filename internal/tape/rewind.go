package tape

import (
	"reflect"
	"unsafe"

	G "gorgonia.org/gorgonia"
)

// Rewind prepares a Gorgonia TapeMachine to run its program again while
// keeping every value it has allocated.
//
// A TapeMachine's Reset sets its program counter back to zero and forgets
// the values in all its registers, so the next run allocates (and zeroes)
// every intermediate tensor anew: for an unrolled network that is hundreds
// of megabytes per training step. After Rewind the next run finds the
// previous run's tensors in its registers and has every op fill them in
// place (UsePreallocDo). The values the nodes hold after a run are the same
// either way; gradients bound with G.BindDualValues still accumulate into
// the dual values, so zero them between runs as the solvers do.
//
// Rewind works on the machines of G.NewTapeMachine (Gorgonia v0.9) and
// falls back to Reset for any other VM.
func Rewind(vm G.VM) {
	if !rewindTape(vm) {
		vm.Reset()
	}
}

// rewindTape sets a tapeMachine's program counter to zero, leaving its
// registers alone. It reports false if vm is not such a machine.
func rewindTape(vm G.VM) bool {
	v := reflect.ValueOf(vm)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return false
	}
	s := v.Elem()
	if s.Type().Name() != "tapeMachine" || s.Type().PkgPath() != "gorgonia.org/gorgonia" {
		return false
	}
	pc := s.FieldByName("pc")
	if !pc.IsValid() || pc.Kind() != reflect.Int {
		return false
	}
	*(*int)(unsafe.Pointer(pc.UnsafeAddr())) = 0
	return true
}

// Reusable wraps vm so that its Reset is Rewind: every run after the first
// fills the tensors of the run before instead of allocating new ones.
func Reusable(vm G.VM) G.VM { return reusable{vm} }

type reusable struct{ G.VM }

func (r reusable) Reset() { Rewind(r.VM) }
