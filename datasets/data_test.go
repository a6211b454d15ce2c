package datasets

import (
	"slices"
	"strings"
	"testing"
)

func testDenseSplit(half bool) *Split {
	vals := []float32{0, 1.5, -2, 0, 0, 0.25} // 3 steps × 2 units
	return &Split{Name: "d", Steps: 3, Units: 2, Classes: 2, Samples: []Sample{{Label: 1, Dense: NewDense(vals, half)}}}
}

func TestDenseRasterAndEvents(t *testing.T) {
	for _, half := range []bool{false, true} {
		s := testDenseSplit(half)
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		raster := make([]float64, 6)
		s.Raster(0, raster)
		if !slices.Equal(raster, []float64{0, 1.5, -2, 0, 0, 0.25}) {
			t.Errorf("half=%t: raster %v", half, raster)
		}
		want := []Event{{0, 1, 1.5}, {1, 0, -2}, {2, 1, 0.25}}
		buf := []Event{{9, 9, 9}}
		if got := s.AppendEvents(buf[:1], 0); !slices.Equal(got[1:], want) || got[0] != buf[0] {
			t.Errorf("half=%t: events %v, want %v after the first", half, got, want)
		}
		if b := s.Samples[0].Dense.Bytes(); (half && b != 12) || (!half && b != 24) {
			t.Errorf("half=%t: %d bytes", half, b)
		}
	}
	// Events are copied, never shared.
	s := &Split{Steps: 2, Units: 1, Classes: 1, Samples: []Sample{{Events: []Event{{1, 0, 2}}}}}
	got := s.AppendEvents(nil, 0)
	got[0].Value = 5
	if s.Samples[0].Events[0].Value != 2 {
		t.Error("AppendEvents shares the sample's events")
	}
}

func TestDenseValidate(t *testing.T) {
	for name, edit := range map[string]func(*Sample){
		"short":       func(s *Sample) { s.Dense.F32 = s.Dense.F32[:5] },
		"both types":  func(s *Sample) { s.Dense.F16 = []uint16{1} },
		"with events": func(s *Sample) { s.Events = []Event{{0, 0, 1}} },
	} {
		s := testDenseSplit(false)
		edit(&s.Samples[0])
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "sample 0") {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestSplitOffIndicesMatchesSplitOff(t *testing.T) {
	s := &Split{Steps: 1, Units: 1, Classes: 10}
	for i := range 10 {
		s.Samples = append(s.Samples, Sample{Label: i})
	}
	a, b, err := s.SplitOff(0.3, 4, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	first, rest, _ := SplitOffIndices(10, 0.3, 4)
	for j, i := range first {
		if a.Samples[j].Label != i {
			t.Fatalf("first %v disagrees with SplitOff", first)
		}
	}
	if len(first) != 3 || len(rest) != 7 || b.Len() != 7 {
		t.Errorf("sizes %d/%d", len(first), len(rest))
	}
	if _, _, err := SplitOffIndices(10, 1.5, 1); err == nil {
		t.Error("fraction 1.5 accepted")
	}
}

func TestSplitOffGroups(t *testing.T) {
	var groups []string
	for i := range 100 {
		groups = append(groups, string(rune('a'+i%7))) // 7 groups of 14 or 15
	}
	first, rest, held, err := SplitOffGroups(groups, 0.3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(first)+len(rest) != 100 || len(held) != 2 || len(first) < 28 || len(first) > 30 {
		t.Fatalf("%d + %d indices, held-out groups %v; want two groups of about 30 indices", len(first), len(rest), held)
	}
	in := map[string]bool{}
	for _, i := range first {
		in[groups[i]] = true
	}
	for _, i := range rest {
		if in[groups[i]] {
			t.Fatalf("group %s is on both sides", groups[i])
		}
	}
	if len(in) != len(held) {
		t.Errorf("groups of the first part %v, reported %v", in, held)
	}
	// Another seed holds out other groups; the same seed the same ones.
	_, _, again, _ := SplitOffGroups(groups, 0.3, 3)
	_, _, other, _ := SplitOffGroups(groups, 0.3, 4)
	if !slices.Equal(again, held) || slices.Equal(other, held) {
		t.Errorf("seed 3 gave %v then %v, seed 4 %v", held, again, other)
	}
	// At least one group on each side, whatever the fraction.
	if f, _, _, _ := SplitOffGroups(groups, 0.001, 1); len(f) == 0 {
		t.Error("a tiny fraction held out nothing")
	}
	if _, r, _, _ := SplitOffGroups(groups, 0.999, 1); len(r) == 0 {
		t.Error("a large fraction held out everything")
	}
	if _, _, _, err := SplitOffGroups([]string{"a", "a"}, 0.5, 1); err == nil {
		t.Error("one group split")
	}
	if f, r, _, err := SplitOffGroups(groups, 0, 1); err != nil || len(f) != 0 || len(r) != 100 {
		t.Errorf("fraction 0: %d/%d, %v", len(f), len(r), err)
	}
}
