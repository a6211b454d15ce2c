package datasets

import (
	"fmt"
	"math/rand/v2"
)

// Event is one input event: unit Unit receives Value at time step Step.
type Event struct {
	Step  int32
	Unit  int32
	Value float32
}

// Sample is one labelled input pattern.
type Sample struct {
	Label  int
	Events []Event
}

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
}

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
	clear(dst)
	for _, e := range s.Samples[i].Events {
		dst[int(e.Step)*s.Units+int(e.Unit)] += float64(e.Value)
	}
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
	if frac < 0 || frac > 1 {
		return nil, nil, fmt.Errorf("datasets: split fraction %g outside [0, 1]", frac)
	}
	perm := rand.New(rand.NewPCG(seed, 0x5eed)).Perm(s.Len())
	n := int(frac*float64(s.Len()) + 0.5)
	return s.Subset(firstName, perm[:n]), s.Subset(restName, perm[n:]), nil
}
