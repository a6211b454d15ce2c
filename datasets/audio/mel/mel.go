package mel

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// An Extractor computes the features of one Config. It holds the window,
// the filterbank and FFT work space, so reusing it across recordings saves
// their setup; it is not safe for concurrent use.
type Extractor struct {
	c         Config
	length    int
	hop       int
	window    []float64   // Hamming window, length samples
	bank      [][]float64 // bank[k][bin]: weight of FFT bin in filter k
	fft       *fourier.FFT
	frame     []float64    // FFTSize work space
	spectrum  []complex128 // FFTSize/2+1 work space
	powerSpec []float64    // FFTSize/2+1 work space
}

// New validates c and prepares a feature extractor for it. It fails if a
// filter is so narrow that it covers no FFT bin.
func New(c Config) (*Extractor, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	length, hop := c.frameSamples()
	bins := c.FFTSize/2 + 1
	m := &Extractor{
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
func melBank(c Config) ([][]float64, error) {
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
func (m *Extractor) Features(x []float64) ([][]float64, error) {
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

// Features is New(c) followed by its Features(x).
func Features(x []float64, c Config) ([][]float64, error) {
	m, err := New(c)
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
func (m *Extractor) frameEnergies(y []float64, start int, dst []float64) {
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
