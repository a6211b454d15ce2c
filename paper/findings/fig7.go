package findings

import (
	"context"
	"fmt"

	"github.com/spikegrad/spikegrad/paper/samples"
	"github.com/spikegrad/spikegrad/report/raster"
)

// fig7: the input paradigms: a latency-coded MNIST digit and its raster,
// an SHD raster and a Mel spectrogram (RawHD), from the real files where
// present and from synthetic stand-ins otherwise, which the titles say.
func (r results) fig7(ctx context.Context, f *figures, data string) ([]Row, error) {
	const name = "fig7_inputs.png"
	panels, notes, err := samples.InputPanels(ctx, data)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		f.skip(name, fmt.Errorf("%s", n))
	}
	if len(panels) > 0 {
		if err := raster.DrawInputs(f.path(name), panels); err != nil {
			f.skip(name, err)
		} else {
			f.done(name)
		}
	}
	return []Row{{Panel: "Fig. 7", Figure: name, Finding: "the input paradigms: spike latencies (MNIST), spikes (SHD), Mel spectrograms (RawHD, RawSC)",
		Paper: "a digit and its latency raster, an SHD raster, a Mel spectrogram (Fig. 7)", Ours: join("drawn from the data loaders", join(notes...)), Verdict: Shown}}, nil
}
