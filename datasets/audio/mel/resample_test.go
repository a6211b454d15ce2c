package mel

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/audio/internal/audiotest"
)

// testRMSGain returns the RMS of y over its middle, away from the edge
// transients, relative to that of a unit-amplitude sine.
func testRMSGain(y []float64) float64 {
	mid := y[len(y)/8 : len(y)*7/8]
	var s float64
	for _, v := range mid {
		s += v * v
	}
	return math.Sqrt(s/float64(len(mid))) * math.Sqrt2
}

func TestResample48kTo16kKeepsBandAndRejectsAliases(t *testing.T) {
	for _, tc := range []struct {
		freq   float64
		passes bool
	}{
		{100, true}, {1000, true}, {4000, true}, {6000, true},
		{8500, false}, {9000, false}, {12000, false}, {15000, false}, {23000, false},
	} {
		y, err := Resample(audiotest.Tone(tc.freq, 48000, 0.25, 1), 48000, 16000)
		if err != nil {
			t.Fatal(err)
		}
		gain := testRMSGain(y)
		db := 20 * math.Log10(gain)
		switch {
		case tc.passes && math.Abs(gain-1) > 0.01:
			t.Errorf("%g Hz tone: gain %.4f (%.2f dB), want within 1 %% of 1", tc.freq, gain, db)
		case !tc.passes && db > -40:
			t.Errorf("%g Hz tone: attenuated by only %.1f dB, want ≥ 40 dB", tc.freq, -db)
		}
		t.Logf("%6g Hz: %7.1f dB", tc.freq, db)
	}
}

func TestResampleOtherRatios(t *testing.T) {
	for _, tc := range []struct{ from, to int }{{44100, 16000}, {8000, 16000}, {22050, 16000}, {16000, 48000}} {
		y, err := Resample(audiotest.Tone(1000, tc.from, 0.2, 1), tc.from, tc.to)
		if err != nil {
			t.Fatal(err)
		}
		if want := int(math.Ceil(float64(int(0.2*float64(tc.from))) * float64(tc.to) / float64(tc.from))); len(y) != want {
			t.Errorf("%d → %d: %d samples, want %d", tc.from, tc.to, len(y), want)
		}
		// Compare with the ideal tone at the new rate.
		ideal := audiotest.Tone(1000, tc.to, 0.2, 1)
		var worst float64
		for i := len(y) / 8; i < len(y)*7/8; i++ {
			worst = math.Max(worst, math.Abs(y[i]-ideal[i]))
		}
		if worst > 0.01 {
			t.Errorf("%d → %d: 1 kHz tone deviates by up to %g from the ideal", tc.from, tc.to, worst)
		}
	}
}

func TestResampleConstantAndIdentity(t *testing.T) {
	x := make([]float64, 3000)
	for i := range x {
		x[i] = 0.25
	}
	y, err := Resample(x, 48000, 16000)
	if err != nil {
		t.Fatal(err)
	}
	if len(y) != 1000 {
		t.Fatalf("got %d samples, want 1000", len(y))
	}
	for i := 100; i < 900; i++ {
		if math.Abs(y[i]-0.25) > 1e-9 {
			t.Fatalf("sample %d = %g, want 0.25", i, y[i])
		}
	}
	same, _ := Resample(x, 16000, 16000)
	if &same[0] == &x[0] || len(same) != len(x) {
		t.Fatal("equal rates should return a copy")
	}
}

func TestResampleRejectsBadRates(t *testing.T) {
	for _, r := range [][2]int{{0, 16000}, {16000, -1}} {
		if _, err := Resample([]float64{1}, r[0], r[1]); err == nil || !strings.Contains(err.Error(), "positive") {
			t.Errorf("rates %v: got %v", r, err)
		}
	}
	// A ratio whose polyphase table would be enormous is refused.
	if _, err := Resample([]float64{1}, 654321, 16001); err == nil || !strings.Contains(err.Error(), "table") {
		t.Errorf("huge table: got %v", err)
	}
}

// testToneGainDB resamples a unit tone of f Hz from → to and returns the
// level of the output, in dB relative to a unit tone: the gain for tones
// the new rate can represent, the level of the alias for those it cannot.
func testToneGainDB(t *testing.T, f float64, from, to int) float64 {
	t.Helper()
	y, err := Resample(audiotest.Tone(f, from, 0.5, 1), from, to)
	if err != nil {
		t.Fatal(err)
	}
	return 20 * math.Log10(testRMSGain(y))
}

// TestResampleResponse measures the response of the resampler for the
// conversions the data sets need: flat to within 0.5 dB (in fact a few
// thousandths) up to 0.9 of the lower Nyquist frequency, and every tone
// above that Nyquist frequency, which would alias, at least 80 dB down.
// Run with -v for the table.
func TestResampleResponse(t *testing.T) {
	for _, c := range []struct{ from, to int }{{48000, 16000}, {44100, 16000}, {22050, 16000}, {8000, 16000}} {
		nyq := float64(min(c.from, c.to)) / 2
		var rows []string
		for _, r := range []float64{0.05, 0.25, 0.5, 0.75, 0.85, 0.9, 0.925, 0.95, 0.975, 1.0, 1.025, 1.05, 1.1, 1.25, 1.5} {
			f := r * nyq
			if f >= float64(c.from)/2 {
				continue // not a tone the input can hold
			}
			db := testToneGainDB(t, f, c.from, c.to)
			rows = append(rows, fmt.Sprintf("%.3g×: %.4g dB", r, db))
			switch {
			case r <= 0.9 && math.Abs(db) > 0.5:
				t.Errorf("%d → %d Hz: %g Hz (%.3g of Nyquist) at %.3f dB, want within 0.5 dB", c.from, c.to, f, r, db)
			case r >= 1.025 && db > -80:
				t.Errorf("%d → %d Hz: %g Hz (%.3g of Nyquist) at %.1f dB, want ≤ -80 dB", c.from, c.to, f, r, db)
			}
		}
		t.Logf("%d → %d Hz, level by fraction of the %g Hz Nyquist frequency: %s", c.from, c.to, nyq, strings.Join(rows, "; "))
	}
}
