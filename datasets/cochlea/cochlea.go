package cochlea

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/spikegrad/spikegrad/datasets/audio/mel"
)

// Config holds the parameters of the model; package doc gives the
// equations. Times are in seconds, frequencies in Hz.
type Config struct {
	// Channels is the number of places along the cochlea, each with one
	// filter, hair cell and spiking unit: 700 in the published sets.
	Channels int `json:"channels"`
	// Rate is the rate the audio is resampled to before filtering.
	Rate int `json:"rate_hz"`
	// LowHz and HighHz are the centre frequencies of the last and first
	// channel; HighHz must lie below Rate/2.
	LowHz  float64 `json:"low_hz"`
	HighHz float64 `json:"high_hz"`
	// Saturation is the rectified filter output, relative to the
	// recording's RMS of 1, at which the hair cell gives half its most.
	Saturation float64 `json:"saturation"`
	// Gain scales the hair cell's output into the spiking unit, whose
	// threshold is 1.
	Gain float64 `json:"gain"`
	// TauSyn and TauMem are the time constants of the spiking unit's
	// synaptic current and membrane.
	TauSyn float64 `json:"tau_syn_s"`
	TauMem float64 `json:"tau_mem_s"`
	// Refractory is how long a unit is held at rest after a spike.
	Refractory float64 `json:"refractory_s"`
	// AdaptStep is what a spike adds to the unit's threshold, and
	// TauAdapt the time constant with which that decays.
	AdaptStep float64 `json:"adapt_step"`
	TauAdapt  float64 `json:"tau_adapt_s"`
}

// Default returns the model's parameters for the spoken stand-ins: 700
// channels from 7.1 kHz down to 50 Hz (the range of the membrane model of
// Cramer et al. 2020, whose base resonates near 7.1 kHz), 16 kHz, and a
// bushy-cell-like unit (τ_syn 0.5 ms, τ_mem 1 ms, 1 ms refractory, as in
// lauscher) with adaptation over 20 ms.
func Default() Config {
	return Config{
		Channels:   700,
		Rate:       16000,
		LowHz:      50,
		HighHz:     7100,
		Saturation: 0.05,
		Gain:       3.5,
		TauSyn:     0.5e-3,
		TauMem:     1e-3,
		Refractory: 1e-3,
		AdaptStep:  2,
		TauAdapt:   20e-3,
	}
}

// Limits of the fields, wide enough for any sensible model and narrow
// enough that a typo cannot ask for terabytes or hours.
const (
	maxChannels = 1 << 16 // channels are stored as uint16
	minRate     = 1000
	maxRate     = 192000
)

// Validate reports the first field of c that is out of range, naming it.
func (c Config) Validate() error {
	bad := func(field string, want string, got any) error {
		return fmt.Errorf("cochlea: %s must be %s, got %v", field, want, got)
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case c.Channels < 1 || c.Channels > maxChannels:
		return bad("Channels", fmt.Sprintf("in [1, %d]", maxChannels), c.Channels)
	case c.Rate < minRate || c.Rate > maxRate:
		return bad("Rate", fmt.Sprintf("in [%d, %d] Hz", minRate, maxRate), c.Rate)
	case !finite(c.LowHz) || c.LowHz <= 0:
		return bad("LowHz", "finite and > 0", c.LowHz)
	case !finite(c.HighHz) || c.HighHz < c.LowHz || c.HighHz >= float64(c.Rate)/2:
		return bad("HighHz", fmt.Sprintf("at least LowHz (%g) and below Rate/2 (%g)", c.LowHz, float64(c.Rate)/2), c.HighHz)
	case c.Channels > 1 && c.HighHz == c.LowHz:
		return bad("HighHz", "above LowHz when there is more than one channel", c.HighHz)
	case !finite(c.Saturation) || c.Saturation <= 0:
		return bad("Saturation", "finite and > 0", c.Saturation)
	case !finite(c.Gain) || c.Gain <= 0:
		return bad("Gain", "finite and > 0", c.Gain)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"TauSyn", c.TauSyn}, {"TauMem", c.TauMem}, {"TauAdapt", c.TauAdapt}} {
		if !finite(f.v) || f.v <= 0 || f.v > 10 {
			return bad(f.name, "in (0, 10] s", f.v)
		}
	}
	if !finite(c.Refractory) || c.Refractory < 0 || c.Refractory > 1 {
		return bad("Refractory", "in [0, 1] s", c.Refractory)
	}
	if !finite(c.AdaptStep) || c.AdaptStep < 0 || c.AdaptStep > 1e6 {
		return bad("AdaptStep", "in [0, 1e6]", c.AdaptStep)
	}
	return nil
}

// erbRate is the ERB-rate scale of Glasberg & Moore (1990), and
// erbRateInv its inverse.
func erbRate(f float64) float64    { return 21.4 * math.Log10(1+4.37*f/1000) }
func erbRateInv(e float64) float64 { return (math.Pow(10, e/21.4) - 1) * 1000 / 4.37 }

// erb is the equivalent rectangular bandwidth of the auditory filter at f.
func erb(f float64) float64 { return 24.7 * (4.37*f/1000 + 1) }

// CentreFrequencies returns the centre frequency of every channel, channel
// 0 (the base) first: from HighHz down to LowHz, equally spaced on the
// ERB-rate scale.
func (c Config) CentreFrequencies() []float64 {
	f := make([]float64, c.Channels)
	hi, lo := erbRate(c.HighHz), erbRate(c.LowHz)
	for k := range f {
		e := hi
		if c.Channels > 1 {
			e = hi - (hi-lo)*float64(k)/float64(c.Channels-1)
		}
		f[k] = erbRateInv(e)
	}
	return f
}

// Spikes are the spikes of one recording, sorted by time and, at equal
// times, by channel: spike i is channel Units[i] at Times[i] seconds
// from the start of the recording.
type Spikes struct {
	Times []float32
	Units []uint16
}

// Len returns the number of spikes.
func (s Spikes) Len() int { return len(s.Times) }

// Encoder encodes recordings with one Config; it is safe for use by
// several goroutines at once.
type Encoder struct {
	c      Config
	groups []group
}

// group is a set of channels simulated at one rate. A channel tuned well
// below Rate/2 does not need Rate: it runs at Rate/2 or Rate/4 when its
// pass band (centre plus four bandwidths, where the gammatone has fallen
// by 25 dB) lies within the pass band of the resampler at that rate,
// which halves the cost of the 700 channels and changes their output
// only by what the filter had already removed.
type group struct {
	rate             int
	channels         []channelConst
	bSyn, bMem, bAdp float64 // per-sample decays
	refr             int     // refractory period in samples
}

// channelConst are the constants of one channel's filter.
type channelConst struct {
	unit   uint16
	omega  float64 // 2πf/rate, radians per sample
	wr, wi float64 // e^(−iω), one sample's turn of the shift
	g      float64 // 1 − e^(−2πb/rate), each stage's step
}

// passBand is the fraction of a rate that the resampler of package mel
// passes unchanged (0.9 of the Nyquist frequency).
const passBand = 0.45

// New returns an Encoder for c, or an error naming the field of c that is
// out of range.
func New(c Config) (*Encoder, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	e := &Encoder{c: c}
	byRate := map[int]*group{}
	for k, f := range c.CentreFrequencies() {
		b := 1.019 * erb(f)
		rate := c.Rate
		for _, d := range []int{4, 2} {
			if r := c.Rate / d; c.Rate%d == 0 && r >= minRate && f+4*b <= passBand*float64(r) {
				rate = r
				break
			}
		}
		g := byRate[rate]
		if g == nil {
			fs := float64(rate)
			g = &group{
				rate: rate,
				bSyn: math.Exp(-1 / (fs * c.TauSyn)),
				bMem: math.Exp(-1 / (fs * c.TauMem)),
				bAdp: math.Exp(-1 / (fs * c.TauAdapt)),
				refr: int(math.Round(c.Refractory * fs)),
			}
			byRate[rate] = g
		}
		omega := 2 * math.Pi * f / float64(rate)
		sin, cos := math.Sincos(omega)
		g.channels = append(g.channels, channelConst{
			unit: uint16(k), omega: omega, wr: cos, wi: -sin,
			g: 1 - math.Exp(-2*math.Pi*b/float64(rate)),
		})
	}
	for _, g := range byRate {
		e.groups = append(e.groups, *g)
	}
	slices.SortFunc(e.groups, func(a, b group) int { return b.rate - a.rate })
	return e, nil
}

// Config returns the encoder's configuration.
func (e *Encoder) Config() Config { return e.c }

// MaxSeconds bounds a recording. The spoken words of the data sets last
// a second or two; a long recording of noise would make every channel
// fire for its whole length, up to 700 000 spikes a second, more than
// memory holds within minutes.
const MaxSeconds = 60

// Encode returns the spikes of the mono recording x sampled at rate Hz.
// A sample that is not finite, a rate out of [1 kHz, 192 kHz] or a
// recording longer than MaxSeconds is an error. Silence gives no spikes.
func (e *Encoder) Encode(x []float64, rate int) (Spikes, error) {
	if rate < minRate || rate > maxRate {
		return Spikes{}, fmt.Errorf("cochlea: sampling rate must be in [%d, %d] Hz, got %d", minRate, maxRate, rate)
	}
	if len(x) > MaxSeconds*rate {
		return Spikes{}, fmt.Errorf("cochlea: the recording lasts %.1f s, more than the %d s a recording may last", float64(len(x))/float64(rate), MaxSeconds)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Spikes{}, fmt.Errorf("cochlea: sample %d is %g, want a finite value", i, v)
		}
	}
	// The lower rates are resampled from Rate, not from the recording's
	// rate, which costs less.
	top, err := mel.Resample(x, rate, e.c.Rate)
	if err != nil {
		return Spikes{}, fmt.Errorf("cochlea: %w", err)
	}
	scale := rmsScale(top)
	for i := range top {
		top[i] *= scale
	}
	var all []spike
	for _, g := range e.groups {
		y := top
		if g.rate != e.c.Rate {
			if y, err = mel.Resample(top, e.c.Rate, g.rate); err != nil {
				return Spikes{}, fmt.Errorf("cochlea: %w", err)
			}
		}
		all = g.run(y, e.c, all)
	}
	// Within a group the spikes come in order; across groups they are
	// merged by time, then channel.
	slices.SortFunc(all, func(a, b spike) int {
		if a.t != b.t {
			return cmp.Compare(a.t, b.t)
		}
		return cmp.Compare(a.unit, b.unit)
	})
	out := Spikes{Times: make([]float32, len(all)), Units: make([]uint16, len(all))}
	for i, s := range all {
		out.Times[i], out.Units[i] = float32(s.t), s.unit
	}
	return out, nil
}

// spike is a spike at t seconds.
type spike struct {
	t    float64
	unit uint16
}

// rmsScale returns the factor that scales x to an RMS of 1, or 1 for
// silence. As lauscher scales to 0.3, the recording's level does not
// decide how many channels fire.
func rmsScale(x []float64) float64 {
	var sum float64
	for _, v := range x {
		sum += v * v
	}
	if sum == 0 {
		return 1
	}
	return 1 / math.Sqrt(sum/float64(len(x)))
}

// channelState is what one channel carries from sample to sample.
type channelState struct {
	or, oi       float64    // e^(−iωn), the shift of sample n
	yr, yi       [4]float64 // the four stages, complex
	syn, mem, th float64    // synaptic current, membrane, threshold rise A
	hold         int        // samples left in the refractory period
}

// resync is how often, in samples, the shift is recomputed from its
// angle, so that rounding in its running product cannot build up.
const resync = 1024

// run runs the channels of g over x, sampled at g.rate and scaled, and
// appends their spikes to out.
func (g *group) run(x []float64, c Config, out []spike) []spike {
	st := make([]channelState, len(g.channels))
	fs := float64(g.rate)
	satur, gain, step := c.Saturation, c.Gain, c.AdaptStep
	bs, bm, ba := g.bSyn, g.bMem, g.bAdp
	for n, u := range x {
		if n%resync == 0 {
			for k := range st {
				s, c := math.Sincos(g.channels[k].omega * float64(n))
				st[k].or, st[k].oi = c, -s
			}
		}
		for k := range st {
			ch, s := &g.channels[k], &st[k]
			// Shift down by f, four low-pass stages, shift back.
			zr, zi := u*s.or, u*s.oi
			a := ch.g
			s.yr[0] += a * (zr - s.yr[0])
			s.yi[0] += a * (zi - s.yi[0])
			s.yr[1] += a * (s.yr[0] - s.yr[1])
			s.yi[1] += a * (s.yi[0] - s.yi[1])
			s.yr[2] += a * (s.yr[1] - s.yr[2])
			s.yi[2] += a * (s.yi[1] - s.yi[2])
			s.yr[3] += a * (s.yr[2] - s.yr[3])
			s.yi[3] += a * (s.yi[2] - s.yi[3])
			v := 2 * (s.yr[3]*s.or + s.yi[3]*s.oi)
			s.or, s.oi = s.or*ch.wr-s.oi*ch.wi, s.or*ch.wi+s.oi*ch.wr
			// Hair cell.
			r := 0.0
			if v > 0 {
				r = v / (v + satur)
			}
			// Spiking unit.
			s.syn = bs*s.syn + (1-bs)*r
			s.th *= ba
			if s.hold > 0 {
				s.hold--
				continue
			}
			s.mem = bm*s.mem + (1-bm)*gain*s.syn
			if s.mem >= 1+s.th {
				out = append(out, spike{float64(n) / fs, ch.unit})
				s.mem, s.hold = 0, g.refr
				s.th += step
			}
		}
	}
	return out
}
