package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/spikegrad/spikegrad/datasets/internal/half"
)

// Event is one input event: unit Unit receives Value at time step Step.
type Event struct {
	Step  int32
	Unit  int32
	Value float32
}

// Sample is one labelled input pattern, held in one of two forms: as
// Events, which suits sparse spike data, or as Dense, a full grid that
// suits analog features, which set every entry: 2 or 4 bytes an entry
// instead of the 12 of an Event. At most one of the two is set; consumers
// read either through Split.AppendEvents or Split.Raster.
type Sample struct {
	Label  int
	Events []Event
	Dense  Dense
}

// Dense holds the values of a sample on its split's whole [Steps, Units]
// grid in row-major order: the value of unit u at step n is entry
// n·Units + u. The values are stored either as float32 (F32) or as IEEE
// 754 half-precision bits (F16), which keep 11 significant bits; at most
// one of the two is set.
type Dense struct {
	F32 []float32
	F16 []uint16
}

// NewDense stores values, which it does not retain, as float16 if half is
// set and as float32 otherwise.
func NewDense(values []float32, half bool) Dense {
	if half {
		return Dense{F16: toHalf(values)}
	}
	return Dense{F32: append([]float32(nil), values...)}
}

func toHalf(values []float32) []uint16 {
	out := make([]uint16, len(values))
	for i, v := range values {
		out[i] = half.FromFloat32(v)
	}
	return out
}

// Len returns the number of entries of d.
func (d Dense) Len() int { return len(d.F32) + len(d.F16) }

// At returns entry k of d.
func (d Dense) At(k int) float32 {
	if d.F16 != nil {
		return half.ToFloat32(d.F16[k])
	}
	return d.F32[k]
}

// Bytes returns the memory d's values take.
func (d Dense) Bytes() int { return 4*len(d.F32) + 2*len(d.F16) }

// Split is a set of labelled samples that share a time grid and input size.
type Split struct {
	Name    string // "train", "validation" or "test"
	Steps   int    // number of time steps T
	Units   int    // number of input units
	Classes int    // labels lie in [0, Classes)
	Samples []Sample
}

// Data is a data set divided into training, validation and test splits.
type Data struct {
	Name       string
	ClassNames []string // optional; index = label
	Train      *Split
	Validation *Split
	Test       *Split

	// Notes say how the loader built the splits where that is a choice
	// (such as which speakers were held out for validation), Warnings
	// what in the data may not give what the model expects (such as
	// recordings sampled below the feature band), and Skipped the files
	// left out because they could not be used. A run record keeps all
	// three.
	Notes    []string
	Warnings []string
	Skipped  []FileProblem
}

// FileProblem is a file a loader could not use, and why.
type FileProblem struct {
	File    string `json:"file"`
	Problem string `json:"problem"`
}

// String formats p as "file: problem".
func (p FileProblem) String() string { return p.File + ": " + p.Problem }

// Len returns the number of samples in s.
func (s *Split) Len() int { return len(s.Samples) }

// Validate checks that every label and event of s lies inside its declared
// grid, naming the first offending sample.
func (s *Split) Validate() error {
	if s.Steps <= 0 || s.Units <= 0 || s.Classes <= 0 {
		return fmt.Errorf("datasets: split %q: steps, units and classes must be positive, got %d, %d, %d", s.Name, s.Steps, s.Units, s.Classes)
	}
	for i, smp := range s.Samples {
		if smp.Label < 0 || smp.Label >= s.Classes {
			return fmt.Errorf("datasets: split %q: sample %d: label %d outside [0, %d)", s.Name, i, smp.Label, s.Classes)
		}
		if smp.Dense.F32 != nil && smp.Dense.F16 != nil {
			return fmt.Errorf("datasets: split %q: sample %d: Dense has both F32 and F16 set", s.Name, i)
		}
		if n := smp.Dense.Len(); n > 0 || smp.Dense.F32 != nil || smp.Dense.F16 != nil {
			if len(smp.Events) > 0 {
				return fmt.Errorf("datasets: split %q: sample %d: has both Events and Dense values", s.Name, i)
			}
			if n != s.Steps*s.Units {
				return fmt.Errorf("datasets: split %q: sample %d: %d dense values, want %d×%d", s.Name, i, n, s.Steps, s.Units)
			}
		}
		for _, e := range smp.Events {
			if e.Step < 0 || int(e.Step) >= s.Steps {
				return fmt.Errorf("datasets: split %q: sample %d: step %d outside [0, %d)", s.Name, i, e.Step, s.Steps)
			}
			if e.Unit < 0 || int(e.Unit) >= s.Units {
				return fmt.Errorf("datasets: split %q: sample %d: unit %d outside [0, %d)", s.Name, i, e.Unit, s.Units)
			}
		}
	}
	return nil
}

// Validate checks all three splits and that they agree on their grid.
func (d *Data) Validate() error {
	splits := []*Split{d.Train, d.Validation, d.Test}
	for _, s := range splits {
		if s == nil {
			return fmt.Errorf("datasets: %s: missing split", d.Name)
		}
		if err := s.Validate(); err != nil {
			return err
		}
		if s.Steps != d.Train.Steps || s.Units != d.Train.Units || s.Classes != d.Train.Classes {
			return fmt.Errorf("datasets: %s: split %q has grid %d×%d with %d classes, train has %d×%d with %d",
				d.Name, s.Name, s.Steps, s.Units, s.Classes, d.Train.Steps, d.Train.Units, d.Train.Classes)
		}
	}
	return nil
}

// Raster writes sample i of s as a dense row-major [Steps, Units] raster
// into dst, which must have length Steps*Units. Events at the same step and
// unit add up.
func (s *Split) Raster(i int, dst []float64) {
	smp := &s.Samples[i]
	if d := smp.Dense; d.Len() > 0 {
		for k := range dst {
			dst[k] = float64(d.At(k))
		}
		return
	}
	clear(dst)
	for _, e := range smp.Events {
		dst[int(e.Step)*s.Units+int(e.Unit)] += float64(e.Value)
	}
}

// AppendEvents appends the events of sample i of s to dst and returns the
// extended slice: the sample's Events, or for a dense sample one event per
// non-zero entry, in order of steps and then units. dst never shares
// memory with the sample.
func (s *Split) AppendEvents(dst []Event, i int) []Event {
	smp := &s.Samples[i]
	d := smp.Dense
	if d.Len() == 0 {
		return append(dst, smp.Events...)
	}
	for k := range d.Len() {
		if v := d.At(k); v != 0 {
			dst = append(dst, Event{Step: int32(k / s.Units), Unit: int32(k % s.Units), Value: v})
		}
	}
	return dst
}

// Subset returns a split holding the samples of s at the given indices, in
// that order. Samples are shared, not copied.
func (s *Split) Subset(name string, idx []int) *Split {
	out := &Split{Name: name, Steps: s.Steps, Units: s.Units, Classes: s.Classes, Samples: make([]Sample, len(idx))}
	for j, i := range idx {
		out.Samples[j] = s.Samples[i]
	}
	return out
}

// SplitOff divides s into two splits by a seeded shuffle: the first holds
// round(frac·Len) samples, the second the rest. It is used to carve a
// validation set out of a training file.
func (s *Split) SplitOff(frac float64, seed uint64, firstName, restName string) (*Split, *Split, error) {
	first, rest, err := SplitOffIndices(s.Len(), frac, seed)
	if err != nil {
		return nil, nil, err
	}
	return s.Subset(firstName, first), s.Subset(restName, rest), nil
}

// SplitOffIndices is the index form of Split.SplitOff: it divides 0 … n−1
// by a shuffle seeded with seed into round(frac·n) indices and the rest,
// in the order in which Split.SplitOff takes the samples. Loaders use it
// to split lists of files before reading them.
func SplitOffIndices(n int, frac float64, seed uint64) (first, rest []int, err error) {
	if !(frac >= 0 && frac <= 1) {
		return nil, nil, fmt.Errorf("datasets: split fraction %g outside [0, 1]", frac)
	}
	perm := rand.New(rand.NewPCG(seed, 0x5eed)).Perm(n)
	k := int(frac*float64(n) + 0.5)
	return perm[:k], perm[k:], nil
}

// SplitOffGroups divides 0 … n−1, where groups[i] is the group of index i
// (such as its speaker), into two parts that share no group: whole groups,
// taken in an order shuffled with seed, form the first part, as many as
// bring it nearest to frac·n indices, but at least one group and never all
// of them. It returns the indices of each part, in increasing order, and
// the groups of the first, sorted. frac = 0 puts everything in the rest.
func SplitOffGroups(groups []string, frac float64, seed uint64) (first, rest []int, firstGroups []string, err error) {
	if !(frac >= 0 && frac < 1) {
		return nil, nil, nil, fmt.Errorf("datasets: split fraction %g outside [0, 1)", frac)
	}
	count := map[string]int{}
	for _, g := range groups {
		count[g]++
	}
	names := make([]string, 0, len(count))
	for g := range count {
		names = append(names, g)
	}
	slices.Sort(names)
	if frac > 0 {
		if len(names) < 2 {
			return nil, nil, nil, fmt.Errorf("datasets: cannot hold out whole groups: there is only %d", len(names))
		}
		perm := rand.New(rand.NewPCG(seed, 0x9e0)).Perm(len(names))
		target := frac * float64(len(groups))
		best, bestK, cum := math.Inf(1), 1, 0
		for k := 1; k < len(names); k++ {
			cum += count[names[perm[k-1]]]
			if d := math.Abs(float64(cum) - target); d < best {
				best, bestK = d, k
			}
		}
		for _, p := range perm[:bestK] {
			firstGroups = append(firstGroups, names[p])
		}
		slices.Sort(firstGroups)
	}
	for i, g := range groups {
		if _, in := slices.BinarySearch(firstGroups, g); in {
			first = append(first, i)
		} else {
			rest = append(rest, i)
		}
	}
	return first, rest, firstGroups, nil
}
