// Package simd holds the float32 loops of the hottest kernels in assembly:
// SSE (sse_amd64.s), four floats per instruction, and AVX (avx_amd64.s),
// eight, where the CPU has it (UseAVX). Each loop equals, bit for bit, the
// Go loop of the same formula evaluated one element at a time: the same
// operations in the same order, with no fused multiply-add.
//
// The Go versions of the loops (simd_purego.go) run on other
// architectures, and on amd64 when built with the purego tag, as gonum's
// noasm: go test -tags purego tests the path that 386 or arm64 take.
//
// The element-wise loops take slices of one length, a multiple of 4;
// AddScaled works on the first len(x) &^ 3 elements and Nonzeros on the
// first len(x) &^ 15. Callers do the rest in Go. The threshold of Heaviside
// and the surrogates is 1 (ops.Threshold).
//
// HeavisideIndex, CombineRows, GatherEventRows and ScatterEventRows exist
// only in AVX: call them only when UseAVX is set.
//
// The loops of the layers with per-neuron parameters (perneuron.go: the
// adaptive LIF's, the learnt decays') take whole rows of any length, the
// parameters one value per column, and do their own tails: AVX
// (perneuron_amd64.s) over the blocks of eight, all rows in one call when
// the rows are whole blocks, and their Go twins over the rest, or over all
// of it without AVX or assembly.
package simd
