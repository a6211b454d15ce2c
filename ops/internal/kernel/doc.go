// Package kernel holds the typed loops behind the ops of packages ops,
// ops/lif and ops/loss: the arithmetic of every op, on the backing slices
// of float32 and float64 tensors.
//
// A kernel that fills a slice takes it first (after the Workers that may
// split the work between goroutines): Membrane(w, out, β, u, i, r) writes
// (β·u + i)·(1 − r) into out. Inputs that may be absent are nil slices,
// which stand for zero. A kernel whose op may take the memory of an input
// (Gorgonia's OverwritesInput) says so, and works with out being that
// input.
//
// The float32 kernels hand their whole blocks of four to the assembly of
// package simd and do the tail in Go, with results bit for bit equal to
// the Go loop; those with per-neuron parameters (adaptive.go, decay.go)
// hand package simd whole rows (simdRows). The float64 kernels are Go
// loops and gonum's axpy. Row kernels (Synapse, WeightGrad, BackProj,
// LIFGradUProj) touch only the non-zero inputs, found by scanning or read
// from a CSR index of them.
//
// The package knows nothing of Gorgonia: the op packages unpack the
// tensors, pick the kernel by dtype and keep the indexes (package index).
package kernel
