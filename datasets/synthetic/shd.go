package synthetic

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/scigolib/hdf5"
	"github.com/spikegrad/spikegrad/datasets/audio"
	"github.com/spikegrad/spikegrad/datasets/internal/shdfile"
)

// Synthetic SHD geometry: the spikes of a sample lie in the first
// shdWindow seconds, inside the default window of shd.Default.
const (
	shdWindow   = 0.79 // s
	shdSpeakers = 12
	shdBand     = 10  // channels either side of a class's centre
	shdNoise    = 150 // noise spikes per sample
)

// WriteSHD writes a small synthetic Spiking Heidelberg Digits data set
// into dir (created if needed): shd_train.h5 with nTrain samples and
// shd_test.h5 with nTest, in the HDF5 layout of the published files, with
// 700 channels, 20 classes named as audio.RawHDClassNames and float16 spike
// times, all below 0.79 s. shd.Load reads them with shd.Default; so does
// any grid that covers 0.79 s.
//
// The labels cycle through the classes in shuffled order. A sample of
// class c is a sweep over the band of 21 channels around channel 35c+17,
// one channel after the other over about 150 ms from an onset near
// 50 ms + c·20 ms, two to four spikes per channel, plus 150 noise spikes
// spread over all channels and the whole window. Band position, onset and
// spike times jitter from sample to sample, and every speaker (0–9 in the
// training file, 10 and 11 in the test file) speaks at its own rate.
func WriteSHD(dir string, nTrain, nTest int, seed uint64) error {
	return WriteSHDWith(dir, nTrain, nTest, seed, Options{})
}

// WriteSHDWith is WriteSHD with the choices of o: with o.Words, a sample
// of class c holds the spikes of word c of the synthetic vocabulary (see
// Options), said within the first 0.78 s.
func WriteSHDWith(dir string, nTrain, nTest int, seed uint64, o Options) error {
	if err := checkCounts("SHD", nTrain, nTest); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("synthetic: %w", err)
	}
	rng := newRand(seed, 1)
	for _, f := range []struct {
		file     string
		n        int
		speakers []uint16
	}{
		{shdfile.TrainFile, nTrain, []uint16{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{shdfile.TestFile, nTest, []uint16{10, 11}},
	} {
		c, err := shdContent(rng, f.n, f.speakers, audio.RawHDClassNames(), seed, o)
		if err != nil {
			return err
		}
		if err := shdfile.Write(filepath.Join(dir, f.file), shdfile.Groups, shdfile.Layout(c), hdf5.WithSuperblockVersion(hdf5.SuperblockV0)); err != nil {
			return err
		}
	}
	return nil
}

// shdContent generates the samples of one synthetic SHD file of the given
// classes, spoken by the given speakers of the data set of seed.
func shdContent(rng *rand.Rand, n int, speakers []uint16, keys []string, seed uint64, o Options) (shdfile.Content, error) {
	classes := len(keys)
	c := shdfile.Content{Keys: keys}
	for s := range shdSpeakers {
		c.Gender = append(c.Gender, []string{"female", "male"}[s%2])
		c.Age = append(c.Age, uint16(21+3*s))
		c.Height = append(c.Height, float32(1.6+0.025*float64(s)))
	}
	var vocabulary [][wordPhones]int
	if o.Words {
		var err error
		if vocabulary, err = words(classes); err != nil {
			return c, err
		}
	}
	for _, label := range cycledLabels(rng, n, classes) {
		speaker := speakers[rng.IntN(len(speakers))]
		var spikes []spike
		if o.Words {
			sp := newSpeaker(int(speaker))
			spikes = wordSpikes(rng, utterance(rng, vocabulary[label], sp), sp, shdWindow)
		} else {
			spikes = sweepSpikes(rng, label, classes, speaker)
		}
		slices.SortFunc(spikes, func(a, b spike) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.u, b.u)) })
		times, units := make([]float32, len(spikes)), make([]uint16, len(spikes))
		for i, s := range spikes {
			times[i], units[i] = s.t, s.u
		}
		c.Times = append(c.Times, shdfile.HalfTimes(times))
		c.Units = append(c.Units, shdfile.UnitBytes(units))
		c.Labels = append(c.Labels, uint16(label))
		c.Speakers = append(c.Speakers, speaker)
	}
	return c, nil
}

// sweepSpikes returns the spikes of a sample of the easy sets: a sweep
// over the band of channels of label, plus noise.
func sweepSpikes(rng *rand.Rand, label, classes int, speaker uint16) []spike {
	spacing := channels / classes                  // channels between the centres of two classes
	rate := 0.9 + 0.2*float64(speaker)/shdSpeakers // speaking rate
	centre := spacing*label + spacing/2 + rng.IntN(7) - 3
	onset := 0.05 + 0.4*float64(label)/float64(classes) + 0.01*rng.NormFloat64()
	var spikes []spike
	add := func(t float64, u int) {
		if t >= 0 && t < shdWindow && u >= 0 && u < channels {
			spikes = append(spikes, spike{float32(t), uint16(u)})
		}
	}
	for k := -shdBand; k <= shdBand; k++ {
		at := onset + rate*0.15*float64(k+shdBand)/(2*shdBand)
		for range 2 + rng.IntN(3) {
			add(at+0.005*rng.NormFloat64(), centre+k)
		}
	}
	for range shdNoise {
		add(shdWindow*rng.Float64(), rng.IntN(channels))
	}
	return spikes
}

// sscWords are the 35 words of Speech Commands v0.02, the classes of SSC.
var sscWords = []string{"backward", "bed", "bird", "cat", "dog", "down", "eight", "five", "follow", "forward",
	"four", "go", "happy", "house", "learn", "left", "marvin", "nine", "no", "off", "on", "one", "right",
	"seven", "sheila", "six", "stop", "three", "tree", "two", "up", "visual", "wow", "yes", "zero"}

// CommandWords returns the 35 words of Speech Commands v0.02 in
// alphabetical order: the classes of SSC and of the full RawSC.
func CommandWords() []string { return slices.Clone(sscWords) }

// WriteSSC writes a small synthetic Spiking Speech Commands data set into
// dir (created if needed): ssc_train.h5, ssc_valid.h5 and ssc_test.h5
// with nTrain, nValid and nTest samples, in the HDF5 layout of SHD, with
// 700 channels, the 35 words of Speech Commands as classes, float16 spike
// times below 0.79 s and speakers stored as eight-digit hexadecimal
// names, as Speech Commands names them; each file has speakers of its
// own. shd.Load reads them with shd.DefaultSSC.
//
// A sample is made as by WriteSHD: a sweep over the band of channels of
// its class (20 channels apart) from an onset that grows with the class,
// plus noise spikes.
func WriteSSC(dir string, nTrain, nValid, nTest int, seed uint64) error {
	return WriteSSCWith(dir, nTrain, nValid, nTest, seed, Options{})
}

// WriteSSCWith is WriteSSC with the choices of o: with o.Words, a sample
// of word i holds the spikes of word i of the synthetic vocabulary (see
// Options), said within the first 0.78 s.
func WriteSSCWith(dir string, nTrain, nValid, nTest int, seed uint64, o Options) error {
	if err := checkCounts("SSC", nTrain, nValid, nTest); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("synthetic: %w", err)
	}
	rng := newRand(seed, 4)
	for i, f := range []struct {
		part string
		n    int
	}{{"train", nTrain}, {"valid", nValid}, {"test", nTest}} {
		speakers := []uint16{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
		if i > 0 {
			speakers = []uint16{uint16(8 + 2*i), uint16(9 + 2*i)}
		}
		c, err := shdContent(rng, f.n, speakers, sscWords, seed, o)
		if err != nil {
			return err
		}
		for _, s := range c.Speakers {
			c.SpeakerNames = append(c.SpeakerNames, fmt.Sprintf("%08x", 0x0a7c2a8d+uint32(s)*0x101))
		}
		c.Gender, c.Age, c.Height = nil, nil, nil // the meta information of SHD's speakers
		sets := slices.DeleteFunc(shdfile.Layout(c), func(s shdfile.Set) bool { return s.Dims[0] == 0 })
		if err := shdfile.Write(filepath.Join(dir, shdfile.FileName("ssc", f.part)), shdfile.Groups, sets, hdf5.WithSuperblockVersion(hdf5.SuperblockV0)); err != nil {
			return err
		}
	}
	return nil
}
