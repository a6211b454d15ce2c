package speech

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// The layouts the stand-ins are written in.
const (
	RawHD = "rawhd" // Heidelberg Digits: FLAC at 48 kHz, 20 classes
	RawSC = "rawsc" // Speech Commands v0.02: 1 s WAV at 16 kHz, word folders
)

// Sample rates of the published recordings.
const (
	hdRate = 48000
	scRate = 16000
)

// HDDigits are the words of the Heidelberg Digits, English then German,
// in label order (audio.RawHDClassNames).
var HDDigits = [2][10]string{
	{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"},
	{"null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"},
}

// SCWords are the 35 words of Speech Commands v0.02, alphabetically.
var SCWords = []string{"backward", "bed", "bird", "cat", "dog", "down", "eight", "five", "follow", "forward",
	"four", "go", "happy", "house", "learn", "left", "marvin", "nine", "no", "off", "on", "one", "right",
	"seven", "sheila", "six", "stop", "three", "tree", "two", "up", "visual", "wow", "yes", "zero"}

// variants are the espeak-ng voice variants that speakers are drawn from:
// those that sound like people (the robots, the demon and the announcer
// are left out).
var variants = []string{"adam", "Alex", "Alicia", "Andrea", "Andy", "Annie", "antonio", "aunty", "belinda",
	"benjamin", "boris", "caleb", "david", "Denis", "Diogo", "ed", "edward", "edward2", "f1", "f2", "f3",
	"f4", "f5", "Gene", "Gene2", "grandma", "grandpa", "gustave", "Henrique", "Hugo", "iven", "iven2",
	"iven3", "iven4", "Jacky", "john", "kaukovalta", "klatt", "klatt2", "klatt3", "klatt4", "klatt5",
	"klatt6", "Lee", "linda", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "marcelo", "Marco", "Mario",
	"max", "Michael", "michel", "miguel", "Mike", "norbert", "Nguyen", "pablo", "paul", "pedro", "quincy",
	"rob", "robert", "sandro", "shelby", "steph", "steph2", "steph3", "travis", "victor", "zac", "anika",
	"whisper", "whisperf"}

// englishAccents are the espeak-ng voices that speak English.
var englishAccents = []string{"en-gb", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp",
	"en-gb-x-gbcwmd", "en-029"}

// noises are the kinds of background noise.
var noises = []string{"white", "pink", "brown", "babble"}

// endings are what a word is said as: a statement, a question, an
// exclamation, a list item; espeak-ng's intonation follows them.
var endings = []string{".", "?", "!", ","}

// Config describes a stand-in.
type Config struct {
	// Set is RawHD or RawSC.
	Set string `json:"set"`
	// Speakers say the training files, TestSpeakers the test files and,
	// for RawSC, ValidationSpeakers the validation files; no speaker is
	// in two splits. RawHD has no validation file: the loader holds out
	// a part of the training files (--validation speakers: whole
	// speakers).
	Speakers           int `json:"speakers"`
	ValidationSpeakers int `json:"validation_speakers"`
	TestSpeakers       int `json:"test_speakers"`
	// Trials is how often each speaker says each word.
	Trials int `json:"trials"`
	// Words are RawSC's words (default SCWords); RawHD's are HDDigits.
	Words []string `json:"words,omitempty"`
	// SNR is the range of signal-to-noise ratios, in dB, that the
	// background noise is mixed in at, uniformly.
	SNR [2]float64 `json:"snr_db"`
	// Seed draws the speakers and every recording.
	Seed uint64 `json:"seed"`
}

// DefaultConfig returns the stand-in of set measured in
// docs/measurements/speech-standins.md: 16 training speakers and 4 test
// speakers (RawSC: 16, 2 validation and 2 test), 5 trials of each word,
// noise at 0–20 dB.
func DefaultConfig(set string) Config {
	c := Config{Set: set, Speakers: 16, TestSpeakers: 4, Trials: 5, SNR: [2]float64{0, 20}, Seed: 1}
	if set == RawSC {
		c.ValidationSpeakers, c.TestSpeakers, c.Trials = 2, 2, 3
	}
	return c
}

// Validate reports the first field of c out of range, naming it.
func (c Config) Validate() error {
	switch {
	case c.Set != RawHD && c.Set != RawSC:
		return fmt.Errorf("speech: Set must be %q or %q, got %q", RawHD, RawSC, c.Set)
	case c.Speakers < 1 || c.Speakers > 1000:
		return fmt.Errorf("speech: Speakers must lie in [1, 1000], got %d", c.Speakers)
	case c.TestSpeakers < 1 || c.TestSpeakers > 1000:
		return fmt.Errorf("speech: TestSpeakers must lie in [1, 1000], got %d", c.TestSpeakers)
	case c.Set == RawSC && (c.ValidationSpeakers < 1 || c.ValidationSpeakers > 1000):
		return fmt.Errorf("speech: ValidationSpeakers must lie in [1, 1000] for %s, got %d", RawSC, c.ValidationSpeakers)
	case c.Set == RawHD && c.ValidationSpeakers != 0:
		return fmt.Errorf("speech: ValidationSpeakers must be 0 for %s (the loader holds out training speakers), got %d", RawHD, c.ValidationSpeakers)
	case c.Trials < 1 || c.Trials > 1000:
		return fmt.Errorf("speech: Trials must lie in [1, 1000], got %d", c.Trials)
	case !(c.SNR[0] >= -20 && c.SNR[0] <= c.SNR[1] && c.SNR[1] <= 100):
		return fmt.Errorf("speech: SNR must be a range within [-20, 100] dB, got %v", c.SNR)
	case c.Set == RawHD && len(c.Words) > 0:
		return fmt.Errorf("speech: Words are RawSC's; %s says the Heidelberg digits", RawHD)
	}
	words := c.words()
	for i, w := range words {
		if w == "" || strings.ContainsAny(w, "/\\ \t\n") || strings.HasPrefix(w, "_") || strings.HasPrefix(w, ".") {
			return fmt.Errorf("speech: %q is not a word folder name", w)
		}
		if i > 0 && words[i-1] == w {
			return fmt.Errorf("speech: word %q given twice", w)
		}
	}
	return nil
}

// words returns the classes of RawSC, sorted.
func (c Config) words() []string {
	if c.Set != RawSC {
		return nil
	}
	if len(c.Words) == 0 {
		return SCWords
	}
	return slices.Sorted(slices.Values(c.Words))
}

// Rate returns the sample rate of the recordings of c.
func (c Config) Rate() int {
	if c.Set == RawHD {
		return hdRate
	}
	return scRate
}

// Speaker is a voice of a stand-in.
type Speaker struct {
	ID      string // as in the file names
	Split   string // train, validation or test
	Variant string // espeak-ng voice variant
	Accent  string // espeak-ng voice for English
	Pitch   int    // espeak-ng -p, 0–99
	Speed   int    // espeak-ng -s, words per minute
}

// Recording is everything one file is made from.
type Recording struct {
	Path    string // relative to the data folder, with forward slashes
	Split   string
	Label   int
	Speaker string
	Text    string  // what espeak-ng says
	Voice   string  // espeak-ng -v
	Pitch   int     // espeak-ng -p
	Speed   int     // espeak-ng -s
	Amp     int     // espeak-ng -a
	HighHz  int     // sox highpass
	LowHz   int     // sox lowpass
	Reverb  int     // sox reverb reverberance, %; 0: none
	Room    int     // sox reverb room scale, %
	Onset   float64 // s of silence before the word (RawSC: a fraction of the room left in the second)
	Noise   string  // one of noises
	NoiseAt float64 // where in [0, 1) of its bank the noise is cut
	SNR     float64 // dB
	Level   float64 // peak level, dBFS
}

// Plan returns the speakers and recordings of c, drawn from c.Seed; it
// depends on this package alone, not on espeak-ng or sox.
func Plan(c Config) ([]Speaker, []Recording, error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x5bee_c4))
	speakers := drawSpeakers(rng, c)
	var recs []Recording
	for _, sp := range speakers {
		if c.Set == RawHD {
			for label := range 20 {
				lang, digit := label/10, label%10
				for trial := range c.Trials {
					r := drawRecording(rng, c, sp, lang == 1, HDDigits[lang][digit])
					r.Label = label
					r.Path = fmt.Sprintf("audio/lang-%s_speaker-%s_trial-%d_digit-%d.flac",
						[]string{"english", "german"}[lang], sp.ID, trial, digit)
					recs = append(recs, r)
				}
			}
			continue
		}
		for label, w := range c.words() {
			for trial := range c.Trials {
				r := drawRecording(rng, c, sp, false, w)
				r.Label = label
				r.Path = fmt.Sprintf("%s/%s_nohash_%d.wav", w, sp.ID, trial)
				recs = append(recs, r)
			}
		}
	}
	return speakers, recs, nil
}

func drawSpeakers(rng *rand.Rand, c Config) []Speaker {
	order := rng.Perm(len(variants))
	n := c.Speakers + c.ValidationSpeakers + c.TestSpeakers
	seen := map[string]bool{}
	out := make([]Speaker, n)
	for i := range out {
		sp := Speaker{
			Variant: variants[order[i%len(order)]],
			Accent:  englishAccents[rng.IntN(len(englishAccents))],
			Pitch:   15 + rng.IntN(71),
			Speed:   140 + rng.IntN(71),
		}
		switch {
		case i < c.Speakers:
			sp.Split = "train"
		case i < c.Speakers+c.ValidationSpeakers:
			sp.Split = "validation"
		default:
			sp.Split = "test"
		}
		if c.Set == RawHD {
			sp.ID = fmt.Sprintf("%02d", i)
		} else {
			for {
				sp.ID = fmt.Sprintf("%08x", rng.Uint32())
				if !seen[sp.ID] {
					break
				}
			}
			seen[sp.ID] = true
		}
		out[i] = sp
	}
	return out
}

func drawRecording(rng *rand.Rand, c Config, sp Speaker, german bool, word string) Recording {
	voice := sp.Accent
	if german {
		voice = "de"
	}
	r := Recording{
		Split:   sp.Split,
		Speaker: sp.ID,
		Text:    word + endings[rng.IntN(len(endings))],
		Voice:   voice + "+" + sp.Variant,
		Pitch:   clamp(sp.Pitch+rng.IntN(21)-10, 0, 99),
		Speed:   int(math.Round(float64(sp.Speed) * (0.85 + 0.3*rng.Float64()))),
		Amp:     60 + rng.IntN(121),
		HighHz:  50 + rng.IntN(351),
		LowHz:   2800 + rng.IntN(5201),
		Noise:   noises[rng.IntN(len(noises))],
		NoiseAt: round3(rng.Float64()),
		SNR:     round3(c.SNR[0] + (c.SNR[1]-c.SNR[0])*rng.Float64()),
		Level:   round3(-20 + 19*rng.Float64()),
	}
	if c.Set == RawHD {
		r.Onset = round3(0.15 * rng.Float64())
	} else {
		r.Onset = round3(rng.Float64())
	}
	if rng.IntN(2) == 0 {
		r.Reverb, r.Room = 10+rng.IntN(61), 10+rng.IntN(91)
	}
	return r
}

func clamp(x, lo, hi int) int { return max(lo, min(hi, x)) }

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// planHeader names the columns of plan.tsv.
const planHeader = "path\tsplit\tlabel\tspeaker\ttext\tvoice\tpitch\tspeed\tamp\thighpass_hz\tlowpass_hz\treverb\troom\tonset\tnoise\tnoise_at\tsnr_db\tlevel_dbfs"

// PlanTSV returns the plan as written to plan.tsv: a header and one line
// per recording.
func PlanTSV(recs []Recording) []byte {
	var b strings.Builder
	b.WriteString(planHeader + "\n")
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	for _, r := range recs {
		fields := []string{r.Path, r.Split, strconv.Itoa(r.Label), r.Speaker, r.Text, r.Voice,
			strconv.Itoa(r.Pitch), strconv.Itoa(r.Speed), strconv.Itoa(r.Amp), strconv.Itoa(r.HighHz),
			strconv.Itoa(r.LowHz), strconv.Itoa(r.Reverb), strconv.Itoa(r.Room), f(r.Onset), r.Noise,
			f(r.NoiseAt), f(r.SNR), f(r.Level)}
		b.WriteString(strings.Join(fields, "\t") + "\n")
	}
	return []byte(b.String())
}
