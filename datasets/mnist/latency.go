package mnist

import (
	"math"
	"slices"

	"github.com/spikegrad/spikegrad/datasets"
)

// latencyEncoder turns pixel values into spike steps. Since a pixel is a
// byte, the step of every possible value is computed once.
type latencyEncoder struct {
	steps int
	step  [256]int32 // spike step of each pixel value, -1 for none
	// rank numbers the distinct steps in increasing order, -1 for none:
	// rank[v] < rank[w] exactly when step[v] < step[w]. It lets encode
	// order events by a counting sort over at most 256 buckets.
	rank  [256]int16
	ranks int
}

// newLatencyEncoder tabulates the spike step of every pixel value under c.
func newLatencyEncoder(c Config) *latencyEncoder {
	e := &latencyEncoder{steps: c.Steps}
	var distinct []int32
	for v := range e.step {
		e.step[v] = latencyStep(float64(v)/256, c)
		if e.step[v] >= 0 {
			distinct = append(distinct, e.step[v])
		}
	}
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	for v, st := range e.step {
		e.rank[v] = -1
		if st >= 0 {
			r, _ := slices.BinarySearch(distinct, st)
			e.rank[v] = int16(r)
		}
	}
	e.ranks = len(distinct)
	return e
}

// latencyStep returns the step at which a unit driven by the normalised
// pixel value x fires, or -1 if it does not fire inside the window.
//
// The time is that at which a leaky integrator with time constant τ_eff and
// constant input x reaches the threshold ϑ,
//
//	T(x) = τ_eff · ln(x / (x − ϑ))   for x > ϑ,
//
// so bright pixels fire early and pixels at or below ϑ never. The step is
// ⌊T/Δt⌋; steps beyond the window are dropped.
func latencyStep(x float64, c Config) int32 {
	if !(x > c.Theta) {
		return -1
	}
	// Computed in seconds, as spikegrad always has: ⌊·⌋ turns a last-bit
	// difference at a bin edge into another step, and c.DT/1000 is bit for
	// bit the Δt in seconds of earlier configurations, so no step moves.
	tau, dt := c.TauEff/1000, c.DT/1000
	step := math.Floor(tau * math.Log(x/(x-c.Theta)) / dt)
	if !(step < float64(c.Steps)) {
		return -1
	}
	return int32(step)
}

// encode turns n = len(labels) images of pixels bytes each into a split
// named name. Each sample's events are sorted by step and then unit. All
// events share one backing array; each sample's slice is capped so that
// appending to it cannot overwrite its neighbour.
func (e *latencyEncoder) encode(name string, pix, labels []byte) *datasets.Split {
	total := 0
	for _, v := range pix {
		if e.rank[v] >= 0 {
			total++
		}
	}
	events := make([]datasets.Event, total)
	pos := make([]int, e.ranks+1)
	s := &datasets.Split{Name: name, Steps: e.steps, Units: pixels, Classes: classes, Samples: make([]datasets.Sample, len(labels))}
	next := 0
	for i, l := range labels {
		img := pix[i*pixels : (i+1)*pixels]
		n := e.sortImage(img, events[next:], pos)
		s.Samples[i] = datasets.Sample{Label: int(l), Events: events[next : next+n : next+n]}
		next += n
	}
	return s
}

// sortImage writes the events of img into dst, ordered by step and then
// unit, and returns their number. It is a counting sort over the step ranks:
// pos[r+1] first counts the events of rank r, the prefix sums then give the
// position of each rank's first event, and the units, visited in order,
// land in order within their rank. pos must have length e.ranks+1.
func (e *latencyEncoder) sortImage(img []byte, dst []datasets.Event, pos []int) int {
	clear(pos)
	for _, v := range img {
		if r := e.rank[v]; r >= 0 {
			pos[r+1]++
		}
	}
	for r := 1; r < len(pos); r++ {
		pos[r] += pos[r-1]
	}
	n := pos[len(pos)-1]
	for u, v := range img {
		if r := e.rank[v]; r >= 0 {
			dst[pos[r]] = datasets.Event{Step: e.step[v], Unit: int32(u), Value: 1}
			pos[r]++
		}
	}
	return n
}
