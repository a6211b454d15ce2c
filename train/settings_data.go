package train

import (
	"fmt"

	"github.com/spikegrad/spikegrad/datasets"
)

// loadFiles reads the data sets that come from files in DataDir.
func (s *Settings) loadFiles() (*datasets.Data, error) {
	switch s.Dataset {
	case "mnist":
		c := datasets.DefaultMNIST()
		c.Dir, c.Steps, c.DT, c.ValidationFraction, c.Seed = s.DataDir, s.Steps, s.DT/1000, s.ValidationFraction, s.DataSeed
		return datasets.MNIST(c)
	case "shd":
		if s.DataDir == "" {
			return nil, fmt.Errorf("data-dir: the SHD files are not downloaded here; run the download command and pass --data-dir")
		}
		c := datasets.DefaultSHD()
		c.Dir, c.Steps, c.DT, c.ValidationFraction, c.Seed = s.DataDir, s.Steps, s.DT/1000, s.ValidationFraction, s.DataSeed
		return datasets.SHD(c)
	case "rawhd":
		if s.DataDir == "" {
			return nil, fmt.Errorf("data-dir: the Heidelberg Digits audio is not downloaded here; pass --data-dir")
		}
		c := datasets.DefaultRawHD(s.DataDir)
		c.Mel.Frames, c.ValidationFraction, c.Seed = s.Steps, s.ValidationFraction, s.DataSeed
		return datasets.RawHD(c)
	case "rawsc":
		if s.DataDir == "" {
			return nil, fmt.Errorf("data-dir: the Speech Commands audio is not downloaded here; pass --data-dir")
		}
		c := datasets.DefaultRawSC(s.DataDir)
		c.Mel.Frames = s.Steps
		return datasets.RawSC(c)
	}
	return nil, fmt.Errorf("dataset: unknown data set %q", s.Dataset)
}
