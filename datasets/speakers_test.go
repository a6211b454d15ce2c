package datasets_test

import (
	"testing"

	"github.com/spikegrad/spikegrad/datasets"
)

// Issue 23, item 16: notes read "speakers 01" and "1 held-out speakers
// (speakers 1)".
func TestSpeakerList(t *testing.T) {
	for _, c := range []struct {
		ids  []string
		want string
	}{
		{[]string{"01"}, "speaker 1"},
		{[]string{"0"}, "speaker 0"},
		{[]string{"3", "10"}, "speakers 3 and 10"},
		{[]string{"a1f", "07", "5"}, "speakers a1f, 7 and 5"},
		{[]string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}, "speakers 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 2 more"},
	} {
		if got := datasets.SpeakerList(c.ids); got != c.want {
			t.Errorf("SpeakerList(%q) = %q, want %q", c.ids, got, c.want)
		}
	}
}
