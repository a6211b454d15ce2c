package synthetic

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spikegrad/spikegrad/datasets/audio"
	"github.com/spikegrad/spikegrad/datasets/internal/audioenc"
)

// toneHz returns the tone of class i of n: n frequencies from 300 Hz to
// 5 kHz, equally spaced on the Mel scale, so that they fall into distinct
// filters of mel.Default.
func toneHz(i, n int) float64 {
	mel := func(f float64) float64 { return 2595 * math.Log10(1+f/700) }
	lo, hi := mel(300), mel(5000)
	m := lo
	if n > 1 {
		m += (hi - lo) * float64(i) / float64(n-1)
	}
	return 700 * (math.Pow(10, m/2595) - 1)
}

// toneWord returns total seconds of audio at rate: faint background noise
// and, from onset for length seconds, a tone of freq Hz whose amplitude
// rises and falls like a half sine.
func toneWord(rng *rand.Rand, freq float64, rate int, onset, length, total float64) []float64 {
	x := make([]float64, int(total*float64(rate)))
	amp := 0.2 + 0.2*rng.Float64()
	phase := 2 * math.Pi * rng.Float64()
	for i := range x {
		t := float64(i) / float64(rate)
		x[i] = 0.003 * rng.NormFloat64()
		if u := (t - onset) / length; u >= 0 && u < 1 {
			x[i] += amp * math.Sin(math.Pi*u) * math.Sin(2*math.Pi*freq*t+phase)
		}
	}
	return x
}

// hdRate is the sample rate of the synthetic RawHD recordings, that of
// the published FLAC files.
const hdRate = 48000

// WriteRawHD writes a small synthetic raw Heidelberg Digits data
// set into dir (created if needed), laid out like the unpacked
// hd_audio.tar.gz: nTrain + nTest mono 16-bit 48 kHz FLAC files in
// dir/audio, named lang-<english|german>_speaker-<NN>_trial-<N>_digit-<D>.flac,
// and train_filenames.txt and test_filenames.txt listing them. audio.RawHD
// reads it with any Mel.Frames.
//
// The labels cycle through the 20 classes in shuffled order. A recording
// of class c is a tone of its own frequency (from 300 Hz to 5 kHz, equally
// spaced on the Mel scale, each speaker a little off pitch) that starts
// within the first 80 ms and lasts 0.4 to 0.6 s, in faint noise. Speakers
// 0–9 speak the training files, 10 and 11 the test files.
func WriteRawHD(dir string, nTrain, nTest int, seed uint64) error {
	return WriteRawHDWith(dir, nTrain, nTest, seed, Options{})
}

// WriteRawHDWith is WriteRawHD with the choices of o: with o.Words, class c
// is word c of the synthetic vocabulary (see Options), said within the
// first 0.78 s.
func WriteRawHDWith(dir string, nTrain, nTest int, seed uint64, o Options) error {
	if err := checkCounts("RawHD", nTrain, nTest); err != nil {
		return err
	}
	vocabulary, err := words(audio.RawHDClasses)
	if err != nil {
		return err
	}
	audioDir := filepath.Join(dir, "audio")
	if err := os.MkdirAll(audioDir, 0o755); err != nil {
		return fmt.Errorf("synthetic: %w", err)
	}
	rng := newRand(seed, 2)
	type speakerDigit struct{ speaker, label int }
	trials := map[speakerDigit]int{} // next trial number
	for _, split := range []struct {
		name     string
		n        int
		speakers []int
	}{
		{"train", nTrain, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"test", nTest, []int{10, 11}},
	} {
		var names []string
		for _, label := range cycledLabels(rng, split.n, audio.RawHDClasses) {
			speaker := split.speakers[rng.IntN(len(split.speakers))]
			lang := []string{"english", "german"}[label/10]
			sd := speakerDigit{speaker, label}
			name := fmt.Sprintf("lang-%s_speaker-%02d_trial-%d_digit-%d.flac", lang, speaker, trials[sd], label%10)
			trials[sd]++
			var x []float64
			if o.Words {
				sp := newSpeaker(speaker)
				segs := utterance(rng, vocabulary[label], sp)
				x = wordAudio(rng, segs, sp, hdRate, end(segs)+0.05)
			} else {
				pitch := 1 + 0.01*float64(speaker-6)/6 // ±1 %
				onset, length := 0.02+0.06*rng.Float64(), 0.4+0.2*rng.Float64()
				x = toneWord(rng, pitch*toneHz(label, audio.RawHDClasses), hdRate, onset, length, onset+length+0.05)
			}
			b, err := audioenc.MonoFLAC(x, hdRate)
			if err != nil {
				return err
			}
			if err := writeNewFile(filepath.Join(audioDir, name), b); err != nil {
				return err
			}
			names = append(names, name)
		}
		list := []byte(strings.Join(names, "\n") + "\n")
		if err := writeNewFile(filepath.Join(dir, split.name+"_filenames.txt"), list); err != nil {
			return err
		}
	}
	return nil
}

// scRate is the sample rate of the Speech Commands recordings.
const scRate = 16000

// WriteRawSC writes a small synthetic Speech Commands data set into
// dir (created if needed), laid out like the unpacked
// speech_commands_v0.02.tar.gz: a folder per word holding perWord mono
// 16-bit 16 kHz WAV files of one second, named <speaker>_nohash_0.wav,
// validation_list.txt and testing_list.txt naming the held-out files as
// word/file.wav, and a _background_noise_ folder of noise that audio.RawSC
// ignores. perWord must be at least 3.
//
// As in the published set, the partition is by speaker: perWord speakers
// say every word once; the first max(1, perWord/10) of them form the
// validation split, as many more the test split and the rest the training
// split. Word i in alphabetical order (label i for audio.RawSC) is a tone of its
// own frequency, from 300 Hz to 5 kHz equally spaced on the Mel scale, that
// starts between 50 and 200 ms and lasts 0.3 to 0.5 s, in faint noise.
// Words must be distinct folder names that do not start with "_" or ".".
func WriteRawSC(dir string, words []string, perWord int, seed uint64) error {
	return WriteRawSCWith(dir, words, perWord, seed, Options{})
}

// WriteRawSCWith is WriteRawSC with the choices of o: with o.Words, word i
// in alphabetical order is word i of the synthetic vocabulary (see
// Options), said within the first 0.78 s; at most 240 words.
func WriteRawSCWith(dir string, names []string, perWord int, seed uint64, o Options) error {
	if len(names) == 0 {
		return errors.New("synthetic: RawSC: no words")
	}
	sorted := slices.Sorted(slices.Values(names))
	for i, w := range sorted {
		if w == "" || strings.ContainsAny(w, `/\`) || strings.HasPrefix(w, "_") || strings.HasPrefix(w, ".") {
			return fmt.Errorf("synthetic: RawSC: %q is not a word folder name", w)
		}
		if i > 0 && w == sorted[i-1] {
			return fmt.Errorf("synthetic: RawSC: word %q given twice", w)
		}
	}
	if perWord < MinPerWord || perWord > MaxPerWord {
		return fmt.Errorf("synthetic: RawSC: perWord must lie in [%d, %d] for non-empty splits, got %d", MinPerWord, MaxPerWord, perWord)
	}
	var vocabulary [][wordPhones]int
	if o.Words {
		var err error
		if vocabulary, err = words(len(sorted)); err != nil {
			return err
		}
	}
	rng := newRand(seed, 3)
	speakers := make([]string, 0, perWord)
	seen := map[string]bool{}
	for len(speakers) < perWord {
		if s := fmt.Sprintf("%08x", rng.Uint32()); !seen[s] {
			seen[s] = true
			speakers = append(speakers, s)
		}
	}
	held := max(1, perWord/10)
	var lists [2][]string // validation, testing
	for label, w := range sorted {
		if err := os.MkdirAll(filepath.Join(dir, w), 0o755); err != nil {
			return fmt.Errorf("synthetic: %w", err)
		}
		for j, spk := range speakers {
			var x []float64
			if o.Words {
				sp := newSpeaker(j)
				x = wordAudio(rng, utterance(rng, vocabulary[label], sp), sp, scRate, 1)
			} else {
				pitch := 1 + 0.01*(2*float64(j)/float64(perWord)-1) // ±1 %
				onset, length := 0.05+0.15*rng.Float64(), 0.3+0.2*rng.Float64()
				x = toneWord(rng, pitch*toneHz(label, len(sorted)), scRate, onset, length, 1)
			}
			b, err := audioenc.MonoWAV(x, scRate)
			if err != nil {
				return err
			}
			name := spk + "_nohash_0.wav"
			if err := writeNewFile(filepath.Join(dir, w, name), b); err != nil {
				return err
			}
			if part := j / held; part < 2 {
				lists[part] = append(lists[part], w+"/"+name)
			}
		}
	}
	for i, name := range []string{"validation_list.txt", "testing_list.txt"} {
		if err := writeNewFile(filepath.Join(dir, name), []byte(strings.Join(lists[i], "\n")+"\n")); err != nil {
			return err
		}
	}
	return writeBackgroundNoise(rng, filepath.Join(dir, "_background_noise_"))
}

// writeBackgroundNoise writes a second of white noise and a README into
// dir, like the _background_noise_ folder of Speech Commands.
func writeBackgroundNoise(rng *rand.Rand, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("synthetic: %w", err)
	}
	x := make([]float64, scRate)
	for i := range x {
		x[i] = 0.1 * rng.NormFloat64()
	}
	b, err := audioenc.MonoWAV(x, scRate)
	if err != nil {
		return err
	}
	if err := writeNewFile(filepath.Join(dir, "white_noise.wav"), b); err != nil {
		return err
	}
	readme := "Noise recordings for mixing into the words during training; not a word.\n"
	return writeNewFile(filepath.Join(dir, "README.md"), []byte(readme))
}
