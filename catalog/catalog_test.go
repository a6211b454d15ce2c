package catalog_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/audio"
	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/run"

	_ "github.com/spikegrad/spikegrad/catalog"
)

// The registry lists spikegrad's data sets in the order help texts show,
// and each one's defaults are valid settings with a memory estimate.
func TestDataSetsRegistered(t *testing.T) {
	want := []string{"randman", "mnist", "shd", "ssc", "rawhd", "rawsc"}
	if got := run.DataSetNames(); !slices.Equal(got, want) {
		t.Errorf("registered %v, want %v", got, want)
	}
	for _, name := range want {
		s := run.DefaultSettings(name)
		if err := s.Validate(); err != nil {
			t.Errorf("%s: defaults: %v", name, err)
		}
		// SHD and SSC are estimated from their files, absent here.
		if m := s.EstimateMemory(); m.Data <= 0 && name != "shd" && name != "ssc" {
			t.Errorf("%s: no memory estimate of the data", name)
		}
	}
}

// Package run keeps its own copy of facts of the loaders, so that it
// links none of them: they must agree.
func TestRunAgreesWithTheLoaders(t *testing.T) {
	r, d := run.DefaultRandman(), randman.Default()
	got := randman.Config{Classes: r.Classes, Dim: r.Dim, Alpha: r.Alpha, Units: r.Units, SamplesPerClass: r.SamplesPerClass,
		TrainPerClass: r.TrainPerClass, ValidationPerClass: r.ValidationPerClass, Window: r.Window, Steps: d.Steps, Seed: d.Seed}
	if !reflect.DeepEqual(got, d) {
		t.Errorf("run's randman defaults %+v, the generator's %+v", r, d)
	}
	if run.FeatureStorages[0] != audio.Float16.String() {
		t.Errorf("default feature storage %s, the loader's %s", run.FeatureStorages[0], audio.Float16)
	}
	for _, st := range run.FeatureStorages {
		if _, err := audio.ParseStorage(st); err != nil {
			t.Errorf("feature storage %s: %v", st, err)
		}
	}
}

// Loading a validation split too small to select on warns in the data's
// warnings, which the record keeps.
func TestSmallValidationSplitWarns(t *testing.T) {
	for _, c := range []struct {
		limit int
		warn  bool
	}{{48, true}, {0, false}} {
		s := run.DefaultSettings("randman")
		s.Limit = c.limit
		d, err := s.LoadData(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(strings.Join(d.Warnings, "\n"), "too small to select")
		if got != c.warn {
			t.Errorf("validation split of %d samples: warned %v, want %v (%q)", d.Validation.Len(), got, c.warn, d.Warnings)
		}
	}
}
