package datasets

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/scigolib/hdf5"
)

// The synthetic data sets below are small stand-ins for SHD, RawHD and
// RawSC, written in the on-disk formats of the published data, so that the
// loaders and a training run can be tried without a download. Their classes
// are easy to tell apart: every class has its own band of channels (SHD) or
// its own tone (RawHD, RawSC), with per-sample jitter and noise. The same
// arguments always give the same files.

// synthRand returns the seeded generator of a synthetic data set; stream
// separates the data sets, so that one seed gives unrelated sets.
func synthRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x5e7_0000+stream))
}

// synthLabels returns n labels that cycle through [0, classes), shuffled,
// so that every class is as common as possible.
func synthLabels(rng *rand.Rand, n, classes int) []int {
	labels := make([]int, n)
	for i := range labels {
		labels[i] = i % classes
	}
	rng.Shuffle(n, func(i, j int) { labels[i], labels[j] = labels[j], labels[i] })
	return labels
}

// synthCounts checks the sizes of the splits of a synthetic data set.
func synthCounts(name string, counts ...int) error {
	for _, n := range counts {
		if n < 1 || n > 1<<20 {
			return fmt.Errorf("datasets: %s: sample counts must lie in [1, %d], got %v", name, 1<<20, counts)
		}
	}
	return nil
}

// Synthetic SHD geometry: the spikes of a sample lie in the first
// synthSHDWindow seconds, inside the default window of DefaultSHD.
const (
	synthSHDWindow   = 0.79 // s
	synthSHDSpeakers = 12
	synthSHDBand     = 10  // channels either side of a class's centre
	synthSHDNoise    = 150 // noise spikes per sample
)

// WriteSyntheticSHD writes a small synthetic Spiking Heidelberg Digits data
// set into dir (created if needed): shd_train.h5 with nTrain samples and
// shd_test.h5 with nTest, in the HDF5 layout of the published files (see
// SHD), with 700 channels, 20 classes named as RawHDClassNames and float16
// spike times, all below 0.79 s. DefaultSHD reads them; so does any grid
// that covers 0.79 s.
//
// The labels cycle through the classes in shuffled order. A sample of
// class c is a sweep over the band of 21 channels around channel 35c+17,
// one channel after the other over about 150 ms from an onset near
// 50 ms + c·20 ms, two to four spikes per channel, plus 150 noise spikes
// spread over all channels and the whole window. Band position, onset and
// spike times jitter from sample to sample, and every speaker (0–9 in the
// training file, 10 and 11 in the test file) speaks at its own rate.
func WriteSyntheticSHD(dir string, nTrain, nTest int, seed uint64) error {
	if err := synthCounts("synthetic SHD", nTrain, nTest); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	rng := synthRand(seed, 1)
	for _, f := range []struct {
		file     string
		n        int
		speakers []uint16
	}{
		{shdTrainFile, nTrain, []uint16{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{shdTestFile, nTest, []uint16{10, 11}},
	} {
		c := synthSHDContent(rng, f.n, f.speakers)
		if err := writeHDF5(filepath.Join(dir, f.file), shdGroups, shdLayout(c), hdf5.WithSuperblockVersion(hdf5.SuperblockV0)); err != nil {
			return err
		}
	}
	return nil
}

// synthSHDContent generates the samples of one synthetic SHD file, spoken
// by the given speakers.
func synthSHDContent(rng *rand.Rand, n int, speakers []uint16) shdContent {
	classes := RawHDClasses
	c := shdContent{keys: RawHDClassNames()}
	for s := range synthSHDSpeakers {
		c.gender = append(c.gender, []string{"female", "male"}[s%2])
		c.age = append(c.age, uint16(21+3*s))
		c.height = append(c.height, float32(1.6+0.025*float64(s)))
	}
	type spike struct {
		t float32
		u uint16
	}
	for _, label := range synthLabels(rng, n, classes) {
		speaker := speakers[rng.IntN(len(speakers))]
		rate := 0.9 + 0.2*float64(speaker)/synthSHDSpeakers // speaking rate
		centre := 35*label + 17 + rng.IntN(7) - 3
		onset := 0.05 + 0.02*float64(label) + 0.01*rng.NormFloat64()
		var spikes []spike
		add := func(t float64, u int) {
			if t >= 0 && t < synthSHDWindow && u >= 0 && u < 700 {
				spikes = append(spikes, spike{float32(t), uint16(u)})
			}
		}
		for k := -synthSHDBand; k <= synthSHDBand; k++ {
			at := onset + rate*0.15*float64(k+synthSHDBand)/(2*synthSHDBand)
			for range 2 + rng.IntN(3) {
				add(at+0.005*rng.NormFloat64(), centre+k)
			}
		}
		for range synthSHDNoise {
			add(synthSHDWindow*rng.Float64(), rng.IntN(700))
		}
		slices.SortFunc(spikes, func(a, b spike) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.u, b.u)) })
		times, units := make([]float32, len(spikes)), make([]uint16, len(spikes))
		for i, s := range spikes {
			times[i], units[i] = s.t, s.u
		}
		c.times = append(c.times, shdHalfTimes(times))
		c.units = append(c.units, shdUnitBytes(units))
		c.labels = append(c.labels, uint16(label))
		c.speakers = append(c.speakers, speaker)
	}
	return c
}

// synthToneHz returns the tone of class i of n: n frequencies from 300 Hz to
// 5 kHz, equally spaced on the Mel scale, so that they fall into distinct
// filters of DefaultMel.
func synthToneHz(i, n int) float64 {
	mel := func(f float64) float64 { return 2595 * math.Log10(1+f/700) }
	lo, hi := mel(300), mel(5000)
	m := lo
	if n > 1 {
		m += (hi - lo) * float64(i) / float64(n-1)
	}
	return 700 * (math.Pow(10, m/2595) - 1)
}

// synthWord returns total seconds of audio at rate: faint background noise
// and, from onset for length seconds, a tone of freq Hz whose amplitude
// rises and falls like a half sine.
func synthWord(rng *rand.Rand, freq float64, rate int, onset, length, total float64) []float64 {
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

// sineTone returns amp·sin(2πf·t) sampled at rate for secs seconds.
func sineTone(freq float64, rate int, secs, amp float64) []float64 {
	x := make([]float64, int(secs*float64(rate)))
	for i := range x {
		x[i] = amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
	}
	return x
}

// synthHDRate is the sample rate of the synthetic RawHD recordings, that of
// the published FLAC files.
const synthHDRate = 48000

// WriteSyntheticRawHD writes a small synthetic raw Heidelberg Digits data
// set into dir (created if needed), laid out like the unpacked
// hd_audio.tar.gz: nTrain + nTest mono 16-bit 48 kHz FLAC files in
// dir/audio, named lang-<english|german>_speaker-<NN>_trial-<N>_digit-<D>.flac,
// and train_filenames.txt and test_filenames.txt listing them. RawHD reads
// it with any Mel.Frames.
//
// The labels cycle through the 20 classes in shuffled order. A recording
// of class c is a tone of its own frequency (from 300 Hz to 5 kHz, equally
// spaced on the Mel scale, each speaker a little off pitch) that starts
// within the first 80 ms and lasts 0.4 to 0.6 s, in faint noise. Speakers
// 0–9 speak the training files, 10 and 11 the test files.
func WriteSyntheticRawHD(dir string, nTrain, nTest int, seed uint64) error {
	if err := synthCounts("synthetic RawHD", nTrain, nTest); err != nil {
		return err
	}
	audioDir := filepath.Join(dir, "audio")
	if err := os.MkdirAll(audioDir, 0o755); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	rng := synthRand(seed, 2)
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
		for _, label := range synthLabels(rng, split.n, RawHDClasses) {
			speaker := split.speakers[rng.IntN(len(split.speakers))]
			lang := []string{"english", "german"}[label/10]
			sd := speakerDigit{speaker, label}
			name := fmt.Sprintf("lang-%s_speaker-%02d_trial-%d_digit-%d.flac", lang, speaker, trials[sd], label%10)
			trials[sd]++
			pitch := 1 + 0.01*float64(speaker-6)/6 // ±1 %
			onset, length := 0.02+0.06*rng.Float64(), 0.4+0.2*rng.Float64()
			x := synthWord(rng, pitch*synthToneHz(label, RawHDClasses), synthHDRate, onset, length, onset+length+0.05)
			b, err := monoFLAC(x, synthHDRate)
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

// synthSCRate is the sample rate of the Speech Commands recordings.
const synthSCRate = 16000

// WriteSyntheticRawSC writes a small synthetic Speech Commands data set into
// dir (created if needed), laid out like the unpacked
// speech_commands_v0.02.tar.gz: a folder per word holding perWord mono
// 16-bit 16 kHz WAV files of one second, named <speaker>_nohash_0.wav,
// validation_list.txt and testing_list.txt naming the held-out files as
// word/file.wav, and a _background_noise_ folder of noise that RawSC
// ignores. perWord must be at least 3.
//
// As in the published set, the partition is by speaker: perWord speakers
// say every word once; the first max(1, perWord/10) of them form the
// validation split, as many more the test split and the rest the training
// split. Word i in alphabetical order (label i for RawSC) is a tone of its
// own frequency, from 300 Hz to 5 kHz equally spaced on the Mel scale, that
// starts between 50 and 200 ms and lasts 0.3 to 0.5 s, in faint noise.
// Words must be distinct folder names that do not start with "_" or ".".
func WriteSyntheticRawSC(dir string, words []string, perWord int, seed uint64) error {
	if len(words) == 0 {
		return errors.New("datasets: synthetic RawSC: no words")
	}
	sorted := slices.Sorted(slices.Values(words))
	for i, w := range sorted {
		if w == "" || strings.ContainsAny(w, `/\`) || strings.HasPrefix(w, "_") || strings.HasPrefix(w, ".") {
			return fmt.Errorf("datasets: synthetic RawSC: %q is not a word folder name", w)
		}
		if i > 0 && w == sorted[i-1] {
			return fmt.Errorf("datasets: synthetic RawSC: word %q given twice", w)
		}
	}
	if perWord < 3 || perWord > 1<<16 {
		return fmt.Errorf("datasets: synthetic RawSC: perWord must lie in [3, %d] for non-empty splits, got %d", 1<<16, perWord)
	}
	rng := synthRand(seed, 3)
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
			return fmt.Errorf("datasets: %w", err)
		}
		for j, spk := range speakers {
			pitch := 1 + 0.01*(2*float64(j)/float64(perWord)-1) // ±1 %
			onset, length := 0.05+0.15*rng.Float64(), 0.3+0.2*rng.Float64()
			x := synthWord(rng, pitch*synthToneHz(label, len(sorted)), synthSCRate, onset, length, 1)
			b, err := monoWAV(x, synthSCRate)
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
	return synthBackgroundNoise(rng, filepath.Join(dir, "_background_noise_"))
}

// synthBackgroundNoise writes a second of white noise and a README into
// dir, like the _background_noise_ folder of Speech Commands.
func synthBackgroundNoise(rng *rand.Rand, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	x := make([]float64, synthSCRate)
	for i := range x {
		x[i] = 0.1 * rng.NormFloat64()
	}
	b, err := monoWAV(x, synthSCRate)
	if err != nil {
		return err
	}
	if err := writeNewFile(filepath.Join(dir, "white_noise.wav"), b); err != nil {
		return err
	}
	readme := "Noise recordings for mixing into the words during training; not a word.\n"
	return writeNewFile(filepath.Join(dir, "README.md"), []byte(readme))
}
