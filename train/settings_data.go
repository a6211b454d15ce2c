package train

import (
	"fmt"
	"math"

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
	case "shd":
		if s.DataDir == "" {
			return nil, fmt.Errorf("data-dir: the SHD files are not downloaded here; run the download command and pass --data-dir")
		}
		c := shd.Default()
		c.Dir, c.Steps, c.DT, c.ValidationFraction, c.Seed = s.DataDir, s.Steps, s.DT, s.ValidationFraction, s.DataSeed
		return shd.Load(c)
	case "rawhd":
		if s.DataDir == "" {
			return nil, fmt.Errorf("data-dir: the Heidelberg Digits audio is not downloaded here; pass --data-dir")
		}
		c := audio.DefaultRawHD(s.DataDir)
		mel, err := s.melGrid(c.Mel)
		if err != nil {
			return nil, err
		}
		c.Mel, c.ValidationFraction, c.Seed = mel, s.ValidationFraction, s.DataSeed
		return audio.RawHD(c)
	case "rawsc":
		if s.DataDir == "" {
			return nil, fmt.Errorf("data-dir: the Speech Commands audio is not downloaded here; pass --data-dir")
		}
		c := audio.DefaultRawSC(s.DataDir)
		mel, err := s.melGrid(c.Mel)
		if err != nil {
			return nil, err
		}
		c.Mel = mel
		return audio.RawSC(c)
	}
	return nil, fmt.Errorf("dataset: unknown data set %q", s.Dataset)
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
