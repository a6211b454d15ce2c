package train

import (
	"fmt"
	"math"
	"strings"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio"
	"github.com/spikegrad/spikegrad/datasets/mnist"
	"github.com/spikegrad/spikegrad/datasets/shd"
)

// loadFiles reads the data sets that come from files in DataDir.
func (s *Settings) loadFiles() (*datasets.Data, error) {
	switch s.Dataset {
	case "mnist":
		c := mnist.Default()
		c.Dir, c.Steps, c.DT, c.ValidationFraction, c.Seed = s.DataDir, s.Steps, s.DT, s.ValidationFraction, s.DataSeed
		return mnist.Load(c)
	case "shd", "ssc":
		if s.DataDir == "" {
			return nil, fmt.Errorf("data-dir: the %s files are not downloaded here; run go run ./cmd/download --dataset %s --dir <folder> and pass --data-dir <folder>",
				strings.ToUpper(s.Dataset), s.Dataset)
		}
		c := shd.Default()
		if s.Dataset == "ssc" {
			c = shd.DefaultSSC()
		}
		c.Dir, c.Steps, c.DT, c.ValidationFraction, c.Seed = s.DataDir, s.Steps, s.DT, s.ValidationFraction, s.DataSeed
		if s.Validation != "" {
			c.Validation = s.Validation
		}
		return shd.Load(c)
	case "rawhd":
		if s.DataDir == "" {
			return nil, fmt.Errorf("data-dir: the Heidelberg Digits audio is not downloaded here; run go run ./cmd/download --dataset rawhd --dir <folder> and pass --data-dir <folder>")
		}
		c := audio.DefaultRawHD(s.DataDir)
		mel, err := s.melGrid(c.Mel)
		if err != nil {
			return nil, err
		}
		c.Mel, c.ValidationFraction, c.Seed, c.Validation = mel, s.ValidationFraction, s.DataSeed, s.Validation
		if c.LoadOptions, err = s.audioOptions(); err != nil {
			return nil, err
		}
		return audio.RawHD(c)
	case "rawsc":
		if s.DataDir == "" {
			return nil, fmt.Errorf("data-dir: the Speech Commands audio is not downloaded here; run go run ./cmd/download --dataset rawsc --dir <folder> and pass --data-dir <folder>")
		}
		c := audio.DefaultRawSC(s.DataDir)
		mel, err := s.melGrid(c.Mel)
		if err != nil {
			return nil, err
		}
		c.Mel = mel
		if c.LoadOptions, err = s.audioOptions(); err != nil {
			return nil, err
		}
		return audio.RawSC(c)
	}
	return nil, fmt.Errorf("dataset: unknown data set %q", s.Dataset)
}

// audioOptions returns the loading settings of the audio data sets. The
// limit is applied before decoding, with the data seed.
func (s *Settings) audioOptions() (audio.LoadOptions, error) {
	st, err := audio.ParseStorage(s.FeatureStorage)
	if err != nil {
		return audio.LoadOptions{}, fmt.Errorf("feature-storage: %w", err)
	}
	return audio.LoadOptions{CacheDir: s.CacheDir, NoCache: s.NoCache, SkipBadFiles: s.SkipBadFiles,
		Limit: s.Limit, LimitSeed: s.DataSeed, Storage: st}, nil
}

// fitBatch shrinks the batch to the training split if it is larger, as
// happens with a small --limit, and notes it in d.
func (s *Settings) fitBatch(d *datasets.Data) {
	if n := d.Train.Len(); s.Batch > n && n > 0 {
		d.Notes = append(d.Notes, fmt.Sprintf("batch: %d is larger than the training split of %d samples; using %d", s.Batch, n, n))
		s.Batch = n
	}
}

// melGrid puts the Mel frames of the audio data sets on the time grid of
// s: Steps frames, one every DT ms, so that a network step is one frame
// hop and the time constants keep their meaning. The hop must be a whole
// number of samples at the feature rate.
func (s *Settings) melGrid(mc audio.MelConfig) (audio.MelConfig, error) {
	hop := s.DT * float64(mc.SampleRate) / 1000 // samples
	if math.Round(hop) < 1 || math.Abs(hop-math.Round(hop)) > 1e-6 {
		return mc, fmt.Errorf("dt: for %s, Δt is the hop between Mel frames and must be a whole number of samples at %d Hz (a multiple of %g ms), got %g ms",
			s.Dataset, mc.SampleRate, 1000/float64(mc.SampleRate), s.DT)
	}
	mc.Frames = s.Steps
	mc.DT = s.DT
	return mc, nil
}
