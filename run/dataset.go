package run

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"github.com/spikegrad/spikegrad/datasets"
)

// A DataSet is an entry of the data-set registry: all that Settings know
// about one data set. Package catalog registers spikegrad's own; a data
// set of one's own is one more Register call.
type DataSet struct {
	Name string
	// Defaults changes the randman defaults into this data set's network
	// and time grid; nil keeps them.
	Defaults func(s *Settings)
	// Sizes returns the network's input units and classes under s, known
	// before the data are loaded; validation checks the network with them.
	Sizes func(s *Settings) (inputs, classes int)
	// Validate, if set, checks the settings only this data set reads,
	// naming the setting at fault (Invalid).
	Validate func(s *Settings) error
	// Load reads or generates the data.
	Load func(ctx context.Context, s *Settings) (*datasets.Data, error)
	// Memory estimates the data's size in memory under s, before they
	// are loaded (Settings.EstimateMemory); nil: nothing to speak of.
	Memory func(s *Settings) int64
	// MemoryCause, if set, describes what makes the data large under s
	// and the settings that make them smaller, for the message of a run
	// refused for its memory; by default the data set and "dataset".
	MemoryCause func(s *Settings) (cause, settings string)
	// Validations lists the values of the validation setting it takes,
	// the default first; none if it has no choice.
	Validations []string
}

var registry struct {
	sync.RWMutex
	sets []DataSet
}

// Register adds d to the data sets that the dataset setting accepts. It
// panics if d has no name, sizes or loader, or if its name is taken: a
// registry that is wrong is a program's mistake, found when it starts.
func Register(d DataSet) {
	if d.Name == "" || d.Sizes == nil || d.Load == nil {
		panic(fmt.Sprintf("run: Register: data set %q needs a name, Sizes and Load", d.Name))
	}
	registry.Lock()
	defer registry.Unlock()
	if slices.ContainsFunc(registry.sets, func(e DataSet) bool { return e.Name == d.Name }) {
		panic(fmt.Sprintf("run: Register: data set %q registered twice", d.Name))
	}
	registry.sets = append(registry.sets, d)
}

// DataSetNames lists the data sets the dataset setting accepts, in the
// order they were registered.
func DataSetNames() []string {
	registry.RLock()
	defer registry.RUnlock()
	names := make([]string, len(registry.sets))
	for i, d := range registry.sets {
		names[i] = d.Name
	}
	return names
}

func lookupDataSet(name string) (DataSet, bool) {
	registry.RLock()
	defer registry.RUnlock()
	for _, d := range registry.sets {
		if d.Name == name {
			return d, true
		}
	}
	return DataSet{}, false
}

// unknownDataSet is the error of a dataset setting that names no
// registered data set.
func unknownDataSet(name string) error {
	names := DataSetNames()
	if len(names) == 0 {
		return Invalid("dataset", "unknown data set %q: no data set is registered in this program (import github.com/spikegrad/spikegrad/catalog)", name)
	}
	return Invalid("dataset", "unknown data set %q, want one of %s", name, strings.Join(names, ", "))
}

// LoadData loads or generates the data set of s, and with Limit keeps a
// seeded random subset of every split.
func (s *Settings) LoadData(ctx context.Context) (*datasets.Data, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ds, ok := lookupDataSet(s.Dataset)
	if !ok {
		return nil, unknownDataSet(s.Dataset)
	}
	d, err := ds.Load(ctx, s)
	if err != nil {
		return nil, err
	}
	if s.Limit > 0 {
		// A seeded random subset: files may be sorted by class or speaker.
		rng := rand.New(rand.NewPCG(s.DataSeed, 0x1175))
		for _, sp := range []**datasets.Split{&d.Train, &d.Validation, &d.Test} {
			if (*sp).Len() > s.Limit {
				*sp = (*sp).Subset((*sp).Name, rng.Perm((*sp).Len())[:s.Limit])
			}
		}
	}
	if n := d.Validation.Len(); n > 0 && n < MinSelectionSamples {
		d.Warnings = append(d.Warnings, fmt.Sprintf("the validation split has %d samples, too small to select on: one sample is %.1f points of accuracy "+
			"and the standard error of an accuracy near 90 %% is %.1f points, so the best epoch (and the top runs chosen on validation) rest on noise; "+
			"want at least %d", n, 100/float64(n), 100*math.Sqrt(0.09/float64(n)), MinSelectionSamples))
	}
	return d, nil
}

// MinSelectionSamples is the smallest validation split that LoadData
// accepts without a warning: the best epoch and the top runs are chosen
// on it, and below 200 samples the standard error of an accuracy near
// 90 % (30/√n points) exceeds 2 points, as large as the differences the
// selection decides.
const MinSelectionSamples = 200

// validateValidation checks the validation setting against the data set's
// choices.
func (s *Settings) validateValidation() error {
	d, _ := lookupDataSet(s.Dataset)
	if s.Validation == "" || slices.Contains(d.Validations, s.Validation) {
		return nil
	}
	if len(d.Validations) == 0 {
		return Invalid("validation", "%s has no choice of validation split, got %q", s.Dataset, s.Validation)
	}
	return Invalid("validation", "for %s want one of %s, got %q", s.Dataset, strings.Join(d.Validations, ", "), s.Validation)
}
