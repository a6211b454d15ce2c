package index

import (
	"sync"
	"unsafe"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
)

// Spikes is the index of the spikes a Spike op writes, built while it
// writes them (the rows are still in cache) and read by the synapses that
// take those spikes, or their Detach copy, as input: a spike tensor is
// scanned once instead of once by every reader. It holds an entry per
// tensor the op has written (up to slots), and one per Detach copy of such
// a tensor, which shares the index of the original.
type Spikes struct {
	mu      sync.Mutex
	entries []any // *spikes[T], the most recently written last
}

type spikes[T kernel.Float] struct {
	data  uintptr // the memory indexed
	size  int     // its length; 0 while the index is built
	c     *kernel.CSR[T]
	parts []part[T] // one per chunk of the parallel Heaviside
	alias bool      // a Detach copy's entry: c belongs to another entry
}

// part is the index of the rows lo… of one chunk; lo < 0 if the chunk did
// not run.
type part[T kernel.Float] struct {
	lo int
	c  kernel.CSR[T]
}

// LookupSpikes returns the index of the spikes x holds, if si has one for
// x's memory.
func LookupSpikes[T kernel.Float](si *Spikes, x []T) *kernel.CSR[T] {
	if si == nil || len(x) == 0 {
		return nil
	}
	data := uintptr(unsafe.Pointer(&x[0]))
	si.mu.Lock()
	defer si.mu.Unlock()
	for _, e := range si.entries {
		if s, ok := e.(*spikes[T]); ok && s.data == data && s.size == len(x) {
			return s.c
		}
	}
	return nil
}

func (si *Spikes) claim(data uintptr) any {
	var e any
	si.entries, e = claim(si.entries, func(e any) bool { return entryData(e) == data })
	return e
}

// entryData is the memory a *spikes[T] indexes.
func entryData(e any) uintptr {
	switch s := e.(type) {
	case *spikes[float32]:
		return s.data
	case *spikes[float64]:
		return s.data
	}
	return 0
}

// own returns the writable entry for data: the one claimed if it is not an
// alias, and a new one otherwise.
func own[T kernel.Float](si *Spikes, data uintptr, parts int) *spikes[T] {
	si.mu.Lock()
	defer si.mu.Unlock()
	e, _ := si.claim(data).(*spikes[T])
	if e != nil && e.alias {
		si.entries = si.entries[:len(si.entries)-1] // claimed: it is the last
		e = nil
	}
	if e == nil {
		e = &spikes[T]{data: data, c: &kernel.CSR[T]{}}
		si.entries = append(si.entries, e)
	}
	if len(e.parts) < parts {
		e.parts = make([]part[T], parts)
	}
	e.size = 0 // invalid until complete
	return e
}

// AliasSpikes lets the copy of the spikes at src, at dst, share their
// index.
func AliasSpikes[T kernel.Float](si *Spikes, src, dst []T) {
	if si == nil || len(src) == 0 || len(dst) != len(src) {
		return
	}
	from := uintptr(unsafe.Pointer(&src[0]))
	to := uintptr(unsafe.Pointer(&dst[0]))
	si.mu.Lock()
	defer si.mu.Unlock()
	var c *kernel.CSR[T]
	for _, e := range si.entries {
		if s, ok := e.(*spikes[T]); ok && s.data == from && s.size == len(src) {
			c = s.c
		}
	}
	if c == nil {
		return
	}
	e, _ := si.claim(to).(*spikes[T])
	if e == nil || !e.alias {
		if e != nil {
			si.entries = si.entries[:len(si.entries)-1]
		}
		e = &spikes[T]{data: to, alias: true}
		si.entries = append(si.entries, e)
	}
	e.c, e.size = c, len(dst)
}

// Heaviside is kernel.Heaviside on [rows, ·] matrices that also indexes
// the spikes into si, chunk by chunk as they are written.
func Heaviside[T kernel.Float](w *parallel.Workers, si *Spikes, out, u []T, rows int) {
	cols := len(out) / rows
	e := own[T](si, uintptr(unsafe.Pointer(&out[0])), w.MaxParts())
	parts, c := e.parts, e.c
	for k := range parts {
		parts[k].lo = -1
	}
	// Two units of work per element, as kernel.Heaviside counts them.
	w.ForParts(rows, len(out)*2, func(k, lo, hi int) {
		parts[k].lo = lo
		kernel.HeavisideRows(out[lo*cols:hi*cols], &parts[k].c, u[lo*cols:hi*cols], cols)
	})
	c.Reset()
	for k := range parts {
		p := &parts[k]
		if p.lo < 0 {
			continue
		}
		off := int32(len(c.Col))
		for _, s := range p.c.Start[:len(p.c.Start)-1] {
			c.Start = append(c.Start, s+off)
		}
		c.Col, c.Val = append(c.Col, p.c.Col...), append(c.Val, p.c.Val...)
	}
	c.Start = append(c.Start, int32(len(c.Col)))
	si.mu.Lock()
	e.size = len(out)
	si.mu.Unlock()
}
