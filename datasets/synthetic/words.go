package synthetic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Options are the choices of a synthetic data set beyond its size and
// seed. The zero value gives the easy sets of WriteSHD, WriteSSC,
// WriteRawHD and WriteRawSC.
type Options struct {
	// Words makes every class a word instead of a tone or a band: a
	// sequence of three phones, each a vowel of three formants or a
	// fricative band of noise, spoken by speakers who differ in vocal
	// tract (all formants scaled by up to ±8 %), pitch and tempo, with
	// onset, tempo, phone lengths and formants that vary from one saying
	// to the next, in noise. Classes come in pairs that say the same
	// phones in reverse order, so a class shows in the order of its
	// sounds and not in their frequencies alone. Recordings (RawHD,
	// RawSC) are sounds; spike files (SHD, SSC) are the spike trains of a
	// crude cochlea: Poisson spikes in the channels of each formant, of
	// the pitch and its second harmonic during vowels, and of the
	// fricative bands, with channels that fall silent for a whole sample
	// and noise spikes.
	Words bool
}

// A phone is one sound of a synthetic word: a vowel, three resonances of
// the voice, or a fricative, a band of noise.
type phone struct {
	formants [3]float64 // Hz; a vowel's
	hiss     float64    // Hz, the centre of a fricative's noise band; 0 for a vowel
}

// phones are the sounds words are made of: eight vowels with formants
// near the textbook averages of adult male speakers, and two fricatives
// (like s and sh).
var phones = []phone{
	{formants: [3]float64{270, 2290, 3010}},
	{formants: [3]float64{390, 1990, 2550}},
	{formants: [3]float64{530, 1840, 2480}},
	{formants: [3]float64{660, 1720, 2410}},
	{formants: [3]float64{730, 1090, 2440}},
	{formants: [3]float64{570, 840, 2410}},
	{formants: [3]float64{440, 1020, 2240}},
	{formants: [3]float64{300, 870, 2240}},
	{hiss: 5000},
	{hiss: 2900},
}

// wordPhones is the number of phones of a word.
const wordPhones = 3

// maxWords is the number of distinct words: two orders of every set of
// three phones.
var maxWords = 2 * len(phones) * (len(phones) - 1) * (len(phones) - 2) / 6

// words returns the phones of n words. Word 2k+1 is word 2k reversed, so
// that the pair differs in order only. The words depend on n alone: the
// sets of three phones are taken in an order fixed once and for all.
func words(n int) ([][wordPhones]int, error) {
	if n < 1 || n > maxWords {
		return nil, fmt.Errorf("synthetic: words: want between 1 and %d words, got %d", maxWords, n)
	}
	var sets [][wordPhones]int
	for a := range phones {
		for b := a + 1; b < len(phones); b++ {
			for c := b + 1; c < len(phones); c++ {
				sets = append(sets, [wordPhones]int{a, b, c})
			}
		}
	}
	rng := rand.New(rand.NewPCG(0x3a11, 0x0bd5)) // fixed: the words are part of the format
	rng.Shuffle(len(sets), func(i, j int) { sets[i], sets[j] = sets[j], sets[i] })
	w := make([][wordPhones]int, n)
	for i := range w {
		if i%2 == 1 {
			w[i] = w[i-1]
			slices.Reverse(w[i][:])
			continue
		}
		w[i] = sets[i/2]
		rng.Shuffle(wordPhones, func(a, b int) { w[i][a], w[i][b] = w[i][b], w[i][a] })
	}
	return w, nil
}

// A speaker says every word in a voice of its own.
type speaker struct {
	tract float64 // factor on every formant: a shorter vocal tract raises them
	pitch float64 // Hz
	tempo float64 // factor on every duration
}

// newSpeaker returns speaker id. Voices are spread evenly over their
// ranges (tract 0.92–1.08, pitch 100–220 Hz, tempo 0.85–1.15), each along
// its own additive sequence, so that a few speakers cover them and no
// speaker is far from all others: speakers 10 and 11, the test speakers of
// SHD and RawHD, lie among 0–9.
func newSpeaker(id int) speaker {
	spread := func(step float64) float64 {
		_, f := math.Modf(0.5 + float64(id)*step)
		return f
	}
	return speaker{tract: 0.92 + 0.16*spread(0.6180339887), pitch: 100 + 120*spread(0.1715728753), tempo: 0.85 + 0.3*spread(0.7320508076)}
}

// A segment is one phone of an utterance.
type segment struct {
	phone
	start, length float64 // s
	shift         float64 // factor on the formants
}

// Timing of the phones of an utterance, in seconds.
const (
	vowelLength = 0.10
	hissLength  = 0.08
	overlap     = 0.03 // between neighbouring phones, which fade into each other
)

// utterance returns the segments of one saying of word w by sp: onset,
// tempo, phone lengths and formants jitter from one utterance to the next.
// It ends by 0.32 + 3·0.10·1.15·1.15·1.3 − 2·0.03 < 0.78 s, inside the
// time grids of SHD and RawHD.
func utterance(rng *rand.Rand, w [wordPhones]int, sp speaker) []segment {
	at := 0.02 + 0.3*rng.Float64()
	tempo := sp.tempo * (0.85 + 0.3*rng.Float64())
	segs := make([]segment, wordPhones)
	for i, p := range w {
		length := vowelLength
		if phones[p].hiss > 0 {
			length = hissLength
		}
		length *= tempo * (0.7 + 0.6*rng.Float64())
		segs[i] = segment{phone: phones[p], start: at, length: length, shift: sp.tract * (1 + 0.06*rng.NormFloat64())}
		at += length - overlap
	}
	return segs
}

// end returns the time the last segment ends.
func end(segs []segment) float64 {
	last := segs[len(segs)-1]
	return last.start + last.length
}

// envelope returns the loudness of s at time t: 0 outside it, rising and
// falling over the overlap at its edges as a raised cosine.
func (s segment) envelope(t float64) float64 {
	u := t - s.start
	if u < 0 || u >= s.length {
		return 0
	}
	edge := min(u, s.length-u)
	if edge >= overlap {
		return 1
	}
	return 0.5 - 0.5*math.Cos(math.Pi*edge/overlap)
}

// Voice of the recorded words.
var formantLevels = [3]float64{1, 0.5, 0.3} // of the three formants

// wordAudio returns total seconds of audio at rate of sp saying segs: a
// vowel is its three formants, sines whose amplitude the speaker's pitch
// modulates as the glottal pulses would; a fricative is noise shifted up
// into its band; under both lies background noise 6 to 16 dB below the
// voice.
func wordAudio(rng *rand.Rand, segs []segment, sp speaker, rate int, total float64) []float64 {
	x := make([]float64, int(total*float64(rate)))
	level := 0.1 + 0.1*rng.Float64()
	noise := level * (0.15 + 0.35*rng.Float64())
	pitch := sp.pitch * (0.95 + 0.1*rng.Float64())
	phases := make([][3]float64, len(segs))
	for i := range phases {
		for k := range phases[i] {
			phases[i][k] = 2 * math.Pi * rng.Float64()
		}
	}
	// Noise low-passed at 1 kHz, scaled back to unit variance: shifted
	// up, the fricatives' band 2 kHz wide around the carrier; left
	// alone, a background hum that falls by 6 dB an octave above 1 kHz,
	// which the features' pre-emphasis makes about flat, as speech is.
	a := math.Exp(-2 * math.Pi * 1000 / float64(rate))
	gain, hiss, hum := math.Sqrt((1+a)/(1-a)), 0.0, 0.0
	for n := range x {
		t := float64(n) / float64(rate)
		hum = a*hum + (1-a)*rng.NormFloat64()
		v := noise * gain * hum
		voice := 1 + 0.8*math.Cos(2*math.Pi*pitch*t)
		for i, s := range segs {
			e := s.envelope(t)
			if e == 0 {
				continue
			}
			if s.hiss > 0 {
				hiss = a*hiss + (1-a)*rng.NormFloat64()
				v += level * e * gain * hiss * math.Sin(2*math.Pi*s.hiss*s.shift*t+phases[i][0])
				continue
			}
			for k, f := range s.formants {
				v += level * e * voice * formantLevels[k] * math.Sin(2*math.Pi*f*s.shift*t+phases[i][k])
			}
		}
		x[n] = v
	}
	return x
}

// A spike of a synthetic spike file: time in s and channel.
type spike struct {
	t float32
	u uint16
}

// Cochlea of the spike files: 700 channels equally spaced on the Mel scale
// up to cochleaTop.
const (
	channels   = 700
	cochleaTop = 8000 // Hz
	silent     = 0.2  // chance that a channel is silent for a whole sample
	noiseRate  = 1    // Hz, noise spikes per channel
)

// band is a group of channels that fire together: Poisson spikes at peak
// rate in its centre, falling off as a Gaussian of width sigma channels.
type band struct {
	centre, sigma, peak float64 // channel, channels, Hz
}

// channelOf returns the channel, possibly fractional, that hears f Hz.
func channelOf(f float64) float64 {
	mel := func(f float64) float64 { return 2595 * math.Log10(1+f/700) }
	return channels * mel(f) / mel(cochleaTop)
}

// bands returns the channel groups s excites in a speaker of the given
// pitch: a vowel's three formants, its pitch and second harmonic, or a
// fricative's wide noise band.
func (s segment) bands(pitch float64) []band {
	if s.hiss > 0 {
		return []band{{channelOf(s.hiss * s.shift), 25, 40}}
	}
	return []band{
		{channelOf(s.formants[0] * s.shift), 4, 120},
		{channelOf(s.formants[1] * s.shift), 5, 90},
		{channelOf(s.formants[2] * s.shift), 6, 60},
		{channelOf(pitch), 3, 90},
		{channelOf(2 * pitch), 3, 60},
	}
}

// wordSpikes returns the spikes, before window seconds, of sp saying segs:
// those of each segment's bands, drawn in 1 ms bins, in the channels that
// are not silent in this sample, and noise spikes in every channel.
func wordSpikes(rng *rand.Rand, segs []segment, sp speaker, window float64) []spike {
	const bin = 0.001 // s
	mute := make([]bool, channels)
	for u := range mute {
		mute[u] = rng.Float64() < silent
	}
	pitch := sp.pitch * (0.95 + 0.1*rng.Float64())
	var spikes []spike
	add := func(t float64, u int) {
		if t >= 0 && t < window && u >= 0 && u < channels && !mute[u] {
			spikes = append(spikes, spike{float32(t), uint16(u)})
		}
	}
	for _, s := range segs {
		for _, b := range s.bands(pitch) {
			lo, hi := max(0, int(b.centre-3*b.sigma)), min(channels-1, int(b.centre+3*b.sigma))
			for u := lo; u <= hi; u++ {
				d := (float64(u) - b.centre) / b.sigma
				p := b.peak * math.Exp(-d*d/2) * bin
				for t := s.start; t < s.start+s.length; t += bin {
					if rng.Float64() < p*s.envelope(t) {
						add(t+bin*rng.Float64(), u)
					}
				}
			}
		}
	}
	for range int(noiseRate * channels * window) {
		add(window*rng.Float64(), rng.IntN(channels))
	}
	return spikes
}
