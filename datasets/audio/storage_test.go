package audio

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/audio/mel"
	"github.com/spikegrad/spikegrad/datasets/internal/audioenc"
	"github.com/spikegrad/spikegrad/datasets/internal/half"
)

// testSpeechLike returns a second of a voiced, word-like sound at 16 kHz:
// a 100–200 Hz pulse train shaped by three moving formants, rising and
// falling over 0.5 s, in background noise 50 dB below its peak.
func testSpeechLike(rng *rand.Rand) []float64 {
	const rate = 16000
	x := make([]float64, rate)
	f0 := 100 + 100*rng.Float64()
	formants := [3]float64{300 + 500*rng.Float64(), 900 + 1300*rng.Float64(), 2300 + 1000*rng.Float64()}
	onset := 0.1 + 0.3*rng.Float64()
	var phase float64
	for i := range x {
		t := float64(i) / rate
		phase += f0 / rate
		x[i] = 0.001 * rng.NormFloat64()
		if u := (t - onset) / 0.5; u >= 0 && u < 1 {
			env := math.Sin(math.Pi * u)
			for k, f := range formants {
				f *= 1 + 0.2*(u-0.5)*float64(k-1)
				// Harmonics of f0 near the formant.
				h := math.Round(f / f0)
				for _, hk := range []float64{h - 1, h, h + 1} {
					x[i] += 0.1 * env / float64(k+1) * math.Sin(2*math.Pi*hk*phase) * math.Exp(-math.Abs(hk*f0-f)/150)
				}
			}
		}
	}
	return x
}

// TestFloat16StorageLosesNothingMeasurable compares the rounding of
// standardised features to float16 with the change that quantising the
// recording to 16-bit PCM (the format of Speech Commands) makes to them:
// the storage must change the features far less than the data's own
// precision does.
func TestFloat16StorageLosesNothingMeasurable(t *testing.T) {
	mc := mel.Default()
	mc.Frames = 100
	m, err := mel.New(mc)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var halfSq, pcmSq, halfMax float64
	var n int
	for range 20 {
		x := testSpeechLike(rng)
		q := make([]float64, len(x))
		for i, v := range audioenc.Quantize(x, 16) {
			q[i] = float64(v) / 32768
		}
		fx, _ := m.Features(x)
		fq, _ := m.Features(q)
		for i, row := range fx {
			for k, v := range row {
				h := float64(half.ToFloat32(half.FromFloat32(float32(v))))
				halfSq += (h - v) * (h - v)
				halfMax = max(halfMax, math.Abs(h-v))
				pcmSq += (fq[i][k] - v) * (fq[i][k] - v)
				n++
			}
		}
	}
	halfRMS, pcmRMS := math.Sqrt(halfSq/float64(n)), math.Sqrt(pcmSq/float64(n))
	t.Logf("change of standardised features: float16 rounding RMS %.2g (max %.2g); 16-bit quantisation of the audio RMS %.2g", halfRMS, halfMax, pcmRMS)
	if halfRMS > pcmRMS/5 {
		t.Errorf("float16 rounding (RMS %.2g) is not far below the effect of 16-bit audio (RMS %.2g)", halfRMS, pcmRMS)
	}
}
