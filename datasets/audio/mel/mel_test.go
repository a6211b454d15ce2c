package mel

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/audio/internal/audiotest"
)

func testMelRaw() Config {
	c := Default()
	c.Standardize = false
	return c
}

func TestMelFrameCount(t *testing.T) {
	c := Default()
	for _, tc := range []struct{ n, want int }{{0, 0}, {1, 1}, {399, 1}, {400, 1}, {559, 1}, {560, 2}, {16000, 98}, {48000, 298}} {
		if got := c.NumFrames(tc.n); got != tc.want {
			t.Errorf("NumFrames(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
	feats, err := Features(audiotest.Tone(440, 16000, 1, 0.5), c)
	if err != nil {
		t.Fatal(err)
	}
	// floor((16000-400)/160)+1 = 98.
	if len(feats) != 98 || len(feats[0]) != 40 {
		t.Fatalf("1 s at 16 kHz gave %d×%d features, want 98×40", len(feats), len(feats[0]))
	}
	short, err := Features(audiotest.Tone(440, 16000, 0.01, 0.5), c)
	if err != nil || len(short) != 1 {
		t.Fatalf("160 samples gave %d frames (err %v), want 1 zero-padded frame", len(short), err)
	}
}

func TestMelToneLandsInItsChannel(t *testing.T) {
	c := Default()
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{3, 8, 15, 22, 30, 36, 39} {
		f := audiotest.MelCentre(k, 8000, 40)
		if got := audiotest.MelChannel(f, 8000, 40); got != k {
			t.Fatalf("test helper: channel of %g Hz = %d, want %d", f, got, k)
		}
		feats, err := m.Features(audiotest.Tone(f, 16000, 0.5, 0.5))
		if err != nil {
			t.Fatal(err)
		}
		if got := audiotest.ArgmaxChannel(feats); got != k {
			t.Errorf("%.1f Hz tone peaks in channel %d, want %d", f, got, k)
		}
	}
	centres := c.Centers()
	if math.Abs(centres[22]-audiotest.MelCentre(22, 8000, 40)) > 1e-9 {
		t.Errorf("Centers()[22] = %g, want %g", centres[22], audiotest.MelCentre(22, 8000, 40))
	}
}

// TestMelMatchesDirectComputation recomputes one frame with a naive DFT and
// the textbook formulas.
func TestMelMatchesDirectComputation(t *testing.T) {
	c := testMelRaw()
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 400+160)
	for i := range x {
		x[i] = rng.Float64()*2 - 1
	}
	feats, err := Features(x, c)
	if err != nil {
		t.Fatal(err)
	}
	// Frame 1 starts at sample 160; pre-emphasis uses sample 159.
	frame := make([]float64, 400)
	for i := range frame {
		y := x[160+i] - 0.95*x[159+i]
		frame[i] = y * (0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/399))
	}
	power := make([]float64, 257)
	for k := range power {
		var z complex128
		for n, v := range frame {
			z += complex(v, 0) * cmplx.Exp(complex(0, -2*math.Pi*float64(k*n)/512))
		}
		power[k] = real(z*cmplx.Conj(z)) / 512
	}
	for ch := range 40 {
		lo, mid, hi := audiotest.MelCentre(ch-1, 8000, 40), audiotest.MelCentre(ch, 8000, 40), audiotest.MelCentre(ch+1, 8000, 40)
		var e float64
		for k, p := range power {
			f := float64(k) * 16000 / 512
			if f > lo && f <= mid {
				e += p * (f - lo) / (mid - lo)
			} else if f > mid && f < hi {
				e += p * (hi - f) / (hi - mid)
			}
		}
		if want := math.Log(e); math.Abs(feats[1][ch]-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("channel %d: got %g, want %g", ch, feats[1][ch], want)
		}
	}
}

func TestMelCropAndPadRepeatLastFrame(t *testing.T) {
	x := audiotest.Tone(1000, 16000, 1, 0.5)
	x = append(x, audiotest.Tone(3000, 16000, 0.2, 0.5)...) // a distinct tail
	c := testMelRaw()
	full, err := Features(x, c)
	if err != nil {
		t.Fatal(err)
	}
	n := len(full)
	for _, frames := range []int{50, n, n + 30} {
		c.Frames = frames
		got, err := Features(x, c)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != frames {
			t.Fatalf("Frames %d: got %d frames", frames, len(got))
		}
		for i, row := range got {
			src := full[min(i, n-1)]
			for k := range row {
				if row[k] != src[k] {
					t.Fatalf("Frames %d: frame %d channel %d = %g, want %g (frame %d)", frames, i, k, row[k], src[k], min(i, n-1))
				}
			}
		}
	}
}

func TestMelStandardize(t *testing.T) {
	c := Default()
	c.Frames = 100
	feats, err := Features(audiotest.Tone(700, 16000, 0.6, 0.3), c)
	if err != nil {
		t.Fatal(err)
	}
	var sum, sq float64
	for _, row := range feats {
		for _, v := range row {
			sum += v
			sq += v * v
		}
	}
	n := float64(len(feats) * len(feats[0]))
	if mean, variance := sum/n, sq/n-(sum/n)*(sum/n); math.Abs(mean) > 1e-9 || math.Abs(variance-1) > 1e-9 {
		t.Errorf("mean %g, variance %g; want 0 and 1", mean, variance)
	}
	// Digital silence has no variance: it must come out as zeros, not NaN.
	silent, err := Features(make([]float64, 8000), c)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range silent {
		for _, v := range row {
			if !(math.Abs(v) < 1e-9) {
				t.Fatalf("silence gave feature %g, want 0", v)
			}
		}
	}
}

func TestMelPreEmphasis(t *testing.T) {
	y := preEmphasis([]float64{1, 2, 4}, 0.95)
	want := []float64{1, 2 - 0.95, 4 - 1.9}
	for i := range y {
		if math.Abs(y[i]-want[i]) > 1e-15 {
			t.Errorf("y[%d] = %g, want %g", i, y[i], want[i])
		}
	}
}

func TestMelValidateNamesField(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(*Config)
	}{
		{"SampleRate", func(c *Config) { c.SampleRate = 0 }},
		{"PreEmphasis", func(c *Config) { c.PreEmphasis = 1 }},
		{"FrameLength", func(c *Config) { c.FrameLength = 0 }},
		{"FrameLength", func(c *Config) { c.FrameLength = math.NaN() }},
		{"DT", func(c *Config) { c.DT = 0.01 }}, // a sixth of a sample
		{"DT", func(c *Config) { c.DT = math.Inf(1) }},
		{"DT", func(c *Config) { c.DT = 1e300 }},
		{"FFTSize", func(c *Config) { c.FFTSize = 256 }},
		{"Filters", func(c *Config) { c.Filters = 0 }},
		{"HighHz", func(c *Config) { c.HighHz = 9000 }},
		{"LowHz", func(c *Config) { c.LowHz = 8000 }},
		{"LogFloor", func(c *Config) { c.LogFloor = 0 }},
		{"Frames", func(c *Config) { c.Frames = -1 }},
	} {
		c := Default()
		tc.edit(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: got %v, want an error naming it", tc.field, err)
		}
	}
	c := Default()
	c.Filters = 200 // the lowest filters are narrower than an FFT bin
	if _, err := New(c); err == nil || !strings.Contains(err.Error(), "covers no bin") {
		t.Errorf("too many filters: got %v", err)
	}
	if _, err := Features(nil, Default()); err == nil {
		t.Error("empty recording: want an error")
	}
}

func TestMelOtherRateAndBand(t *testing.T) {
	// 8 kHz audio, 300–3400 Hz band, 20 filters: the frame is 200 samples
	// and a tone still peaks in its channel.
	c := Default()
	c.SampleRate, c.LowHz, c.HighHz, c.Filters, c.FFTSize = 8000, 300, 3400, 20, 256
	c.DT = 20
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	centre := c.Centers()[12]
	feats, err := m.Features(audiotest.Tone(centre, 8000, 1, 0.5))
	if err != nil {
		t.Fatal(err)
	}
	if len(feats) != 1+(8000-200)/160 || audiotest.ArgmaxChannel(feats) != 12 {
		t.Errorf("got %d frames peaking in channel %d, want %d frames peaking in 12", len(feats), audiotest.ArgmaxChannel(feats), 1+(8000-200)/160)
	}
}

// The recipe of RawSC's features is the one package audio wrote into the
// keys of its feature cache before package mel was split off: a change
// here makes every cached feature stale.
func TestRecipeKeepsTheCacheKeys(t *testing.T) {
	c := Default()
	c.Frames = 100
	want := "audio.MelConfig{SampleRate:16000, PreEmphasis:0.95, FrameLength:25, DT:10, FFTSize:512, Filters:40, LowHz:0, HighHz:0, LogFloor:1e-10, Frames:100, Standardize:true}\x00kaiser-sinc pass 0.9 stop 1 atten 90"
	if got := c.Recipe(); got != want {
		t.Errorf("Recipe() = %q, want %q", got, want)
	}
}
