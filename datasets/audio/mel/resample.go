package mel

import (
	"fmt"
	"math"
	"sync"
)

// Design of the anti-aliasing filter used by Resample, a Kaiser-windowed
// sinc. Frequencies are fractions of the lower of the two Nyquist
// frequencies, f_N (8 kHz when converting to 16 kHz):
//
//   - the pass band reaches resamplePass·f_N, within which the gain
//     stays within a few thousandths of a dB of one;
//   - the stop band starts at resampleStop·f_N, above which everything is
//     attenuated by at least resampleAtten dB, so that nothing the new
//     rate cannot represent aliases back into the band;
//   - the cut-off (the −6 dB point) lies halfway between the two.
//
// The Kaiser design rules (Oppenheim & Schafer, Discrete-Time Signal
// Processing, sec. 7.5.3) give the shape β = 0.1102·(A − 8.7) and the
// length N = (A − 7.95)/(2.285·2π·Δf) for attenuation A dB and
// transition width Δf in cycles per input sample: for 48 → 16 kHz, 343
// taps per output sample. The measured response is in resample_test.go.
const (
	resamplePass  = 0.90
	resampleStop  = 1.00
	resampleAtten = 90.0 // dB
	// resampleMaxTable bounds the size of the polyphase table, which holds
	// one filter per output phase.
	resampleMaxTable = 1 << 22
)

// resamplerDesign describes the filter design, for the feature cache key.
func resamplerDesign() string {
	return fmt.Sprintf("kaiser-sinc pass %g stop %g atten %g", resamplePass, resampleStop, resampleAtten)
}

// Resample converts x from sampling rate from to sampling rate to (both in
// Hz) with a windowed-sinc band-limited interpolator, which low-pass filters
// the signal below the lower Nyquist frequency before decimation so that
// components the new rate cannot represent are removed instead of aliased.
//
// The ratio to/from is reduced to L/M; output sample n is the filtered
// signal evaluated at input time n·M/L, and the filter for each of the L
// possible fractional offsets is precomputed. Samples outside x count as
// zero. The output has ⌈len(x)·L/M⌉ samples. Equal rates return a copy.
func Resample(x []float64, from, to int) ([]float64, error) {
	if from <= 0 || to <= 0 {
		return nil, fmt.Errorf("resample: rates must be positive, got %d Hz → %d Hz", from, to)
	}
	if from == to {
		return append([]float64(nil), x...), nil
	}
	r, err := resamplerFor(from, to)
	if err != nil {
		return nil, err
	}
	return r.apply(x), nil
}

// resampler is a polyphase filter bank for one rational rate change L/M.
type resampler struct {
	l, m   int
	half   int         // taps on each side: the filter spans 2·half input samples
	phases [][]float64 // phases[p][i] weights input base-half+1+i for offset p/L
}

// resamplers caches one resampler per rate pair: a data set usually has one
// or two distinct rates and the table costs far more than one file.
var resamplers sync.Map // [2]int → *resampler

func resamplerFor(from, to int) (*resampler, error) {
	key := [2]int{from, to}
	if r, ok := resamplers.Load(key); ok {
		return r.(*resampler), nil
	}
	r, err := newResampler(from, to)
	if err != nil {
		return nil, err
	}
	resamplers.Store(key, r)
	return r, nil
}

func newResampler(from, to int) (*resampler, error) {
	g := resampleGCD(from, to)
	l, m := to/g, from/g
	// The lower Nyquist frequency in cycles per input sample, the cut-off
	// and the transition width.
	nyq := 0.5 * min(1, float64(l)/float64(m))
	fc := nyq * (resamplePass + resampleStop) / 2
	df := nyq * (resampleStop - resamplePass)
	beta := 0.1102 * (resampleAtten - 8.7)
	taps := (resampleAtten - 7.95) / (2.285 * 2 * math.Pi * df)
	reach := taps / 2 // half-width of the filter in input samples
	half := int(math.Ceil(reach))
	if float64(l)*2*float64(half) > resampleMaxTable {
		return nil, fmt.Errorf("resample: %d Hz → %d Hz needs a %d×%d filter table; convert the audio first", from, to, l, 2*half)
	}
	r := &resampler{l: l, m: m, half: half, phases: make([][]float64, l)}
	for p := range r.phases {
		r.phases[p] = sincPhase(float64(p)/float64(l), half, fc, reach, beta)
	}
	return r, nil
}

// sincPhase returns the normalised filter taps for fractional offset frac:
// tap i weights the input sample at distance d = frac + half − 1 − i before
// the output time.
func sincPhase(frac float64, half int, fc, reach, beta float64) []float64 {
	taps := make([]float64, 2*half)
	var sum float64
	for i := range taps {
		d := frac + float64(half-1-i)
		taps[i] = 2 * fc * sinc(2*fc*d) * kaiser(d/reach, beta)
		sum += taps[i]
	}
	// Unit DC gain for every phase, so a constant stays constant.
	for i := range taps {
		taps[i] /= sum
	}
	return taps
}

func (r *resampler) apply(x []float64) []float64 {
	n := int((int64(len(x))*int64(r.l) + int64(r.m) - 1) / int64(r.m))
	out := make([]float64, n)
	for j := range out {
		pos := int64(j) * int64(r.m)
		base := int(pos / int64(r.l))
		taps := r.phases[pos%int64(r.l)]
		first := base - r.half + 1
		lo, hi := max(0, -first), min(len(taps), len(x)-first)
		var s float64
		for i := lo; i < hi; i++ {
			s += taps[i] * x[first+i]
		}
		out[j] = s
	}
	return out
}

// sinc is the normalised sinc function sin(πx)/(πx).
func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// kaiser is the Kaiser window on [−1, 1] with shape parameter beta.
func kaiser(u, beta float64) float64 {
	if u < -1 || u > 1 {
		return 0
	}
	return besselI0(beta*math.Sqrt(1-u*u)) / besselI0(beta)
}

// besselI0 is the modified Bessel function of the first kind of order zero,
// summed from its power series, which converges quickly for the arguments a
// Kaiser window needs (|x| ≲ 20).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 500; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < 1e-17*sum {
			break
		}
	}
	return sum
}

func resampleGCD(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
