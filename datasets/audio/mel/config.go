package mel

import (
	"fmt"
	"math"
	"strings"
)

// Config describes the log Mel filterbank features that the raw audio data
// sets (RawHD, RawSC) feed to the networks as analog input.
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
type Config struct {
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

// Default returns the features of Zenke & Vogels (2021) — pre-emphasis
// 0.95, 25 ms Hamming frames every 10 ms, a 512-point FFT and 40 Mel
// filters — completed with spikegrad's choices where the paper names none
// (see Config): 16 kHz audio, filters from 0 Hz to the Nyquist
// frequency, the natural logarithm floored at 1e-10, and standardisation
// per sample. Frames is 0; the RawHD and RawSC defaults set it to 80 and
// 100, the paper's.
func Default() Config {
	return Config{
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
func (c Config) frameSamples() (length, hop int) {
	return samplesIn(c.FrameLength, c.SampleRate), samplesIn(c.DT, c.SampleRate)
}

// samplesIn returns the number of samples in ms milliseconds at rate Hz.
func samplesIn(ms float64, rate int) int {
	return int(math.Round(ms / 1000 * float64(rate)))
}

// Band returns the edges of the filterbank in Hz: LowHz, and HighHz or,
// when it is 0, the Nyquist frequency.
func (c Config) Band() (low, high float64) {
	if c.HighHz == 0 {
		return c.LowHz, float64(c.SampleRate) / 2
	}
	return c.LowHz, c.HighHz
}

// Validate reports the first field of c that is out of range, naming it.
func (c Config) Validate() error {
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
	_, high := c.Band()
	if nyq := float64(c.SampleRate) / 2; !(c.LowHz >= 0 && c.LowHz < high && high <= nyq) {
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
func (c Config) NumFrames(n int) int {
	length, hop := c.frameSamples()
	switch {
	case n <= 0:
		return 0
	case n < length:
		return 1
	}
	return 1 + (n-length)/hop
}

// FromHz converts a frequency in Hz to the HTK Mel scale.
func FromHz(f float64) float64 { return 2595 * math.Log10(1+f/700) }

// ToHz is the inverse of FromHz.
func ToHz(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

// Centers returns the centre frequencies in Hz of the Filters filters of
// c: filter k rises from edge k to its peak at edge k+1 and falls to edge
// k+2, where the Filters+2 edges are equally spaced in Mel from LowHz to
// HighHz.
func (c Config) Centers() []float64 {
	edges := c.melEdges()
	return edges[1 : len(edges)-1]
}

func (c Config) melEdges() []float64 {
	low, high := c.Band()
	lo, hi := FromHz(low), FromHz(high)
	edges := make([]float64, c.Filters+2)
	for i := range edges {
		edges[i] = ToHz(lo + (hi-lo)*float64(i)/float64(c.Filters+1))
	}
	return edges
}

// Recipe describes everything besides the recording that the features of
// c depend on: the settings and the design of the resampler that brings a
// recording to SampleRate. Feature caches key their entries by it.
func (c Config) Recipe() string {
	// Spelt as package audio spelt it before package mel was split off,
	// so that the caches written before stay valid.
	settings := "audio.MelConfig" + strings.TrimPrefix(fmt.Sprintf("%#v", c), "mel.Config")
	return settings + "\x00" + resamplerDesign()
}
