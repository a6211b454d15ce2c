package audio

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// MelConfig describes the log Mel filterbank features that RawHD and RawSC
// feed to the networks as analog input.
//
// The pipeline for a recording x sampled at SampleRate is
//
//  1. pre-emphasis y[t] = x[t] − PreEmphasis·x[t−1], y[0] = x[0], which
//     flattens the steep spectral tilt of speech so that the high-frequency
//     filters are not drowned by the low ones;
//  2. frames of FrameLength with hop DT, each multiplied by a Hamming
//     window to reduce spectral leakage;
//  3. the power spectrum |X_k|²/FFTSize of each frame, zero-padded to
//     FFTSize points;
//  4. Filters triangular filters equally spaced on the HTK Mel scale
//     m = 2595·log10(1 + f/700 Hz) between LowHz and HighHz, whose spacing
//     mimics the frequency resolution of the cochlea;
//  5. the natural logarithm of each filter energy, floored at LogFloor so
//     that silence gives a finite value;
//  6. optionally cropping or padding to Frames frames by repeating the last
//     frame, so that every sample fits the same time grid;
//  7. optionally standardising the sample: subtracting the mean and dividing
//     by the standard deviation over all its entries, which removes the
//     recording level (a constant offset of the log energies) and puts the
//     input currents on a scale that does not depend on the microphone.
//
// Standardisation makes the base of the logarithm irrelevant.
//
// What is the paper's and what is spikegrad's: Zenke & Vogels (2021,
// section 4.1.3) name pre-emphasis with 0.95, 25 ms Hamming-windowed
// frames with a 10 ms stride, the power spectrum of a 512-point FFT, 40
// triangular filters on a Mel scale, and cropping or padding to 80
// (RawHD) or 100 (RawSC) frames by repeating the last frame; they feed
// "the analog-valued filter banks" to the networks. They name no sample
// rate, Mel formula, filter band, spectrum scaling, logarithm or
// normalisation. Those are spikegrad's choices: 16 kHz (the rate of
// Speech Commands; the 48 kHz Heidelberg Digits are resampled to it), the
// HTK Mel formula over 0 Hz to the Nyquist frequency, |X_k|²/FFTSize, the
// natural logarithm floored at 1e-10, and per-sample standardisation,
// the common practice for filterbank input to speech networks.
type MelConfig struct {
	// SampleRate is the rate, in Hz, at which the features are computed.
	// Loaders resample every recording to it.
	SampleRate int
	// PreEmphasis is the pre-emphasis coefficient in [0, 1); 0 disables it.
	PreEmphasis float64
	// FrameLength is the length of an analysis frame in ms, and DT the
	// hop between frame starts in ms: the time step Δt of the features.
	// Both are rounded to whole samples.
	FrameLength, DT float64
	// FFTSize is the number of FFT points; it must be at least the frame
	// length in samples.
	FFTSize int
	// Filters is the number of Mel filters, the number of input units.
	Filters int
	// LowHz and HighHz bound the filterbank. HighHz = 0 means the Nyquist
	// frequency SampleRate/2.
	LowHz, HighHz float64
	// LogFloor is the smallest filter energy passed to the logarithm.
	LogFloor float64
	// Frames, if positive, is the fixed number of frames of every sample:
	// longer ones are cropped at the end and shorter ones padded by
	// repeating their last frame. 0 keeps the natural length.
	Frames int
	// Standardize rescales every sample to zero mean and unit variance over
	// all of its entries, after cropping or padding.
	Standardize bool
}

// DefaultMel returns the features of Zenke & Vogels (2021) — pre-emphasis
// 0.95, 25 ms Hamming frames every 10 ms, a 512-point FFT and 40 Mel
// filters — completed with spikegrad's choices where the paper names none
// (see MelConfig): 16 kHz audio, filters from 0 Hz to the Nyquist
// frequency, the natural logarithm floored at 1e-10, and standardisation
// per sample. Frames is 0; the RawHD and RawSC defaults set it to 80 and
// 100, the paper's.
func DefaultMel() MelConfig {
	return MelConfig{
		SampleRate:  16000,
		PreEmphasis: 0.95,
		FrameLength: 25,
		DT:          10,
		FFTSize:     512,
		Filters:     40,
		LogFloor:    1e-10,
		Standardize: true,
	}
}

// frameSamples returns the frame length and hop in samples.
func (c MelConfig) frameSamples() (length, hop int) {
	return samplesIn(c.FrameLength, c.SampleRate), samplesIn(c.DT, c.SampleRate)
}

// samplesIn returns the number of samples in ms milliseconds at rate Hz.
func samplesIn(ms float64, rate int) int {
	return int(math.Round(ms / 1000 * float64(rate)))
}

// highHz returns the upper edge of the filterbank.
func (c MelConfig) highHz() float64 {
	if c.HighHz == 0 {
		return float64(c.SampleRate) / 2
	}
	return c.HighHz
}

// Validate reports the first field of c that is out of range, naming it.
func (c MelConfig) Validate() error {
	if c.SampleRate <= 0 {
		return fmt.Errorf("mel: SampleRate must be positive, got %d", c.SampleRate)
	}
	if !(c.PreEmphasis >= 0 && c.PreEmphasis < 1) {
		return fmt.Errorf("mel: PreEmphasis must lie in [0, 1), got %g", c.PreEmphasis)
	}
	for _, f := range []struct {
		name string
		ms   float64
	}{{"FrameLength", c.FrameLength}, {"DT", c.DT}} {
		// Checked before rounding to samples, which needs an int's range.
		if n := f.ms / 1000 * float64(c.SampleRate); !(n >= 0.5 && n <= math.MaxInt32) {
			return fmt.Errorf("mel: %s must span between one and %d samples at %d Hz, got %g ms", f.name, math.MaxInt32, c.SampleRate, f.ms)
		}
	}
	length, _ := c.frameSamples()
	if c.FFTSize < length {
		return fmt.Errorf("mel: FFTSize must be ≥ the frame length of %d samples, got %d", length, c.FFTSize)
	}
	if c.Filters < 1 {
		return fmt.Errorf("mel: Filters must be ≥ 1, got %d", c.Filters)
	}
	if nyq := float64(c.SampleRate) / 2; !(c.LowHz >= 0 && c.LowHz < c.highHz() && c.highHz() <= nyq) {
		return fmt.Errorf("mel: need 0 ≤ LowHz < HighHz ≤ %g Hz, got LowHz %g and HighHz %g", nyq, c.LowHz, c.HighHz)
	}
	if !(c.LogFloor > 0) || math.IsInf(c.LogFloor, 1) {
		return fmt.Errorf("mel: LogFloor must be finite and positive, got %g", c.LogFloor)
	}
	if c.Frames < 0 || c.Frames > math.MaxInt32 {
		return fmt.Errorf("mel: Frames must lie in [0, %d], got %d", math.MaxInt32, c.Frames)
	}
	return nil
}

// NumFrames returns the natural number of frames of a recording of n
// samples, before cropping or padding:
//
//	1 + ⌊(n − L)/H⌋  for n ≥ L,   1 for 0 < n < L,   0 for n = 0,
//
// with frame length L and hop H in samples. Samples after the last whole
// frame are dropped; a recording shorter than one frame is zero-padded to a
// single frame. At 16 kHz (L = 400, H = 160) one second gives 98 frames.
func (c MelConfig) NumFrames(n int) int {
	length, hop := c.frameSamples()
	switch {
	case n <= 0:
		return 0
	case n < length:
		return 1
	}
	return 1 + (n-length)/hop
}

// HzToMel converts a frequency in Hz to the HTK Mel scale.
func HzToMel(f float64) float64 { return 2595 * math.Log10(1+f/700) }

// MelToHz is the inverse of HzToMel.
func MelToHz(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

// MelCenters returns the centre frequencies in Hz of the Filters filters of
// c: filter k rises from edge k to its peak at edge k+1 and falls to edge
// k+2, where the Filters+2 edges are equally spaced in Mel from LowHz to
// HighHz.
func (c MelConfig) MelCenters() []float64 {
	edges := c.melEdges()
	return edges[1 : len(edges)-1]
}

func (c MelConfig) melEdges() []float64 {
	lo, hi := HzToMel(c.LowHz), HzToMel(c.highHz())
	edges := make([]float64, c.Filters+2)
	for i := range edges {
		edges[i] = MelToHz(lo + (hi-lo)*float64(i)/float64(c.Filters+1))
	}
	return edges
}

// Mel computes log Mel filterbank features for one MelConfig. It holds the
// window, the filterbank and FFT work space, so reusing it across recordings
// saves their setup; it is not safe for concurrent use.
type Mel struct {
	c         MelConfig
	length    int
	hop       int
	window    []float64   // Hamming window, length samples
	bank      [][]float64 // bank[k][bin]: weight of FFT bin in filter k
	fft       *fourier.FFT
	frame     []float64    // FFTSize work space
	spectrum  []complex128 // FFTSize/2+1 work space
	powerSpec []float64    // FFTSize/2+1 work space
}

// NewMel validates c and prepares a feature extractor for it. It fails if a
// filter is so narrow that it covers no FFT bin.
func NewMel(c MelConfig) (*Mel, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	length, hop := c.frameSamples()
	bins := c.FFTSize/2 + 1
	m := &Mel{
		c: c, length: length, hop: hop,
		window:    hamming(length),
		fft:       fourier.NewFFT(c.FFTSize),
		frame:     make([]float64, c.FFTSize),
		spectrum:  make([]complex128, bins),
		powerSpec: make([]float64, bins),
	}
	var err error
	if m.bank, err = melBank(c); err != nil {
		return nil, err
	}
	return m, nil
}

// hamming returns the symmetric Hamming window 0.54 − 0.46·cos(2πi/(n−1)).
func hamming(n int) []float64 {
	w := make([]float64, n)
	if n == 1 {
		w[0] = 1
		return w
	}
	for i := range w {
		w[i] = 0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/float64(n-1))
	}
	return w
}

// melBank builds the triangular filters on the FFT bin frequencies. The
// weights are evaluated at the exact bin frequencies rather than at edges
// rounded to bins, so that narrow low-frequency filters keep their shape.
func melBank(c MelConfig) ([][]float64, error) {
	edges := c.melEdges()
	bins := c.FFTSize/2 + 1
	binHz := float64(c.SampleRate) / float64(c.FFTSize)
	bank := make([][]float64, c.Filters)
	for k := range bank {
		lo, mid, hi := edges[k], edges[k+1], edges[k+2]
		bank[k] = make([]float64, bins)
		var total float64
		for b := range bins {
			f := float64(b) * binHz
			switch {
			case f > lo && f <= mid:
				bank[k][b] = (f - lo) / (mid - lo)
			case f > mid && f < hi:
				bank[k][b] = (hi - f) / (hi - mid)
			}
			total += bank[k][b]
		}
		if total == 0 {
			return nil, fmt.Errorf("mel: filter %d (%.1f–%.1f Hz) covers no bin of a %d-point FFT; use fewer Filters or a larger FFTSize", k, lo, hi, c.FFTSize)
		}
	}
	return bank, nil
}

// Features returns the log Mel features of x, sampled at the configured
// SampleRate, as [frames][Filters]: Frames rows if Frames is positive,
// otherwise NumFrames(len(x)) rows.
func (m *Mel) Features(x []float64) ([][]float64, error) {
	if len(x) == 0 {
		return nil, errors.New("mel: empty recording")
	}
	y := preEmphasis(x, m.c.PreEmphasis)
	n := m.c.NumFrames(len(y))
	feats := newMatrix(n, m.c.Filters)
	for i := range n {
		m.frameEnergies(y, i*m.hop, feats[i])
	}
	if m.c.Frames > 0 {
		feats = cropPadFrames(feats, m.c.Frames)
	}
	if m.c.Standardize {
		standardize(feats)
	}
	return feats, nil
}

// MelFeatures is a convenience for NewMel(c) followed by Features(x).
func MelFeatures(x []float64, c MelConfig) ([][]float64, error) {
	m, err := NewMel(c)
	if err != nil {
		return nil, err
	}
	return m.Features(x)
}

func preEmphasis(x []float64, a float64) []float64 {
	y := make([]float64, len(x))
	y[0] = x[0]
	for t := 1; t < len(x); t++ {
		y[t] = x[t] - a*x[t-1]
	}
	return y
}

// newMatrix allocates a rows×cols matrix backed by one slice.
func newMatrix(rows, cols int) [][]float64 {
	back := make([]float64, rows*cols)
	out := make([][]float64, rows)
	for i := range out {
		out[i] = back[i*cols : (i+1)*cols : (i+1)*cols]
	}
	return out
}

// frameEnergies writes the log filter energies of the frame starting at
// sample start of y into dst. Samples past the end of y count as zero.
func (m *Mel) frameEnergies(y []float64, start int, dst []float64) {
	clear(m.frame)
	seg := y[start:min(start+m.length, len(y))]
	for i, v := range seg {
		m.frame[i] = v * m.window[i]
	}
	m.fft.Coefficients(m.spectrum, m.frame)
	norm := 1 / float64(m.c.FFTSize)
	for b, z := range m.spectrum {
		m.powerSpec[b] = (real(z)*real(z) + imag(z)*imag(z)) * norm
	}
	for k, w := range m.bank {
		var e float64
		for b, wb := range w {
			e += wb * m.powerSpec[b]
		}
		dst[k] = math.Log(max(e, m.c.LogFloor))
	}
}

// cropPadFrames returns exactly n frames: the first n of feats, or feats
// followed by copies of its last frame.
func cropPadFrames(feats [][]float64, n int) [][]float64 {
	if len(feats) >= n {
		return feats[:n]
	}
	out := newMatrix(n, len(feats[0]))
	for i := range out {
		copy(out[i], feats[min(i, len(feats)-1)])
	}
	return out
}

// standardize shifts and scales all entries of feats to zero mean and unit
// variance. A constant sample (digital silence) is only shifted to zero.
func standardize(feats [][]float64) {
	var sum, sq float64
	var n int
	for _, row := range feats {
		for _, v := range row {
			sum += v
			n++
		}
	}
	mean := sum / float64(n)
	for _, row := range feats {
		for _, v := range row {
			sq += (v - mean) * (v - mean)
		}
	}
	scale := 1.0
	if sd := math.Sqrt(sq / float64(n)); sd > 1e-12*max(1, math.Abs(mean)) {
		scale = 1 / sd
	}
	for _, row := range feats {
		for i, v := range row {
			row[i] = (v - mean) * scale
		}
	}
}
