package kernel

import (
	blas "gonum.org/v1/gonum/blas/gonum"

	"github.com/spikegrad/spikegrad/ops/internal/simd"
)

// Float is the element type of the tensors the kernels work on.
type Float interface{ ~float32 | ~float64 }

// Threshold is the firing threshold θ (ops.Threshold); the loops of
// package simd hard-code it.
const Threshold = 1.0

// as32 returns x as a []float32 if T is float32 (nil for a nil x): the
// float32 kernels hand their whole blocks of four to package simd.
func as32[T Float](x []T) ([]float32, bool) {
	v, ok := any(x).([]float32)
	return v, ok
}

// simdLen is the part of n the simd loops handle, a multiple of 4.
func simdLen(n int) int { return n &^ 3 }

// sub is x[lo:hi], or nil for a nil x.
func sub[T Float](x []T, lo, hi int) []T {
	if x == nil {
		return nil
	}
	return x[lo:hi]
}

var blasImpl blas.Implementation

// addScaledFunc adds a·x to dst (len(dst) ≥ len(x)). The row kernels call
// one per non-zero input, so they take the fastest for T once per call.
type addScaledFunc[T Float] func(dst []T, a T, x []T)

// addScaledFor returns the addScaled of T: package simd's for float32,
// gonum's assembly axpy (a Go loop for short rows) for float64.
func addScaledFor[T Float]() addScaledFunc[T] {
	var f any
	switch any(T(0)).(type) {
	case float32:
		f = addScaledFunc[float32](addScaled32)
	case float64:
		f = addScaledFunc[float64](addScaled64)
	}
	if f, ok := f.(addScaledFunc[T]); ok {
		return f
	}
	return addScaledLoop[T]
}

// shortRow is the row length below which a Go loop beats the call into
// gonum's assembly.
const shortRow = 32

func addScaled32(dst []float32, a float32, x []float32) {
	n := simdLen(len(x))
	dst = dst[:len(x)]
	simd.AddScaled(dst[:n], a, x[:n])
	for k := n; k < len(x); k++ {
		dst[k] += a * x[k]
	}
}

func addScaled64(dst []float64, a float64, x []float64) {
	if len(x) < shortRow {
		addScaledLoop(dst, a, x)
		return
	}
	blasImpl.Daxpy(len(x), a, x, 1, dst, 1)
}

func addScaledLoop[T Float](dst []T, a T, x []T) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] += a * v
	}
}
