package parallel

// Grain is the least work (in element updates) worth a goroutine.
const Grain = 1 << 14

// chunksPerCore is how many chunks For cuts per core: when a core stalls
// (its virtual CPU descheduled, say), the others take over its unclaimed
// chunks instead of waiting.
const chunksPerCore = 4

// For runs body over [0, n) in chunks, in parallel when work (the number
// of element updates of the whole range) is large enough to pay for the
// goroutines. Chunks never overlap, so body may write rows lo…hi−1 of an
// output freely.
func (w *Workers) For(n, work int, body func(lo, hi int)) {
	w.ForParts(n, work, func(_, lo, hi int) { body(lo, hi) })
}

// MaxParts bounds the chunk numbers ForParts hands out.
func (w *Workers) MaxParts() int { return chunksPerCore * w.Limit() }

// ForParts is For whose body also learns the number k of its chunk,
// 0 ≤ k < MaxParts(); chunks cover increasing ranges as k grows.
func (w *Workers) ForParts(n, work int, body func(k, lo, hi int)) {
	p := min(w.Limit(), n, work/Grain)
	if p <= 1 || !w.split(n, min(n, chunksPerCore*p), p-1, body) {
		body(0, 0, n)
	}
}
