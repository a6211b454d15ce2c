package report

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/report/raster"
)

// LoadSnapshots reads the JSON that cmd/eval --snapshot writes.
func LoadSnapshots(path string) ([]metrics.Snapshot, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("raster: %w", err)
	}
	var snaps []metrics.Snapshot
	if err := json.Unmarshal(b, &snaps); err != nil {
		return nil, fmt.Errorf("raster: snapshot %s: %w", path, err)
	}
	if len(snaps) == 0 {
		return nil, fmt.Errorf("raster: snapshot %s holds no samples", path)
	}
	return snaps, nil
}

// Snapshot draws the activity of a network on a few inputs (paper Fig.
// 2c–e, 8a–b) with raster.DrawSnapshot: snaps as cmd/eval --snapshot
// writes them, or as train.Evaluator.Snapshots returns them.
func Snapshot(path string, snaps []metrics.Snapshot, o raster.SnapshotOptions) error {
	samples := make([]raster.Sample, len(snaps))
	for i, sn := range snaps {
		samples[i] = raster.Sample{Index: sn.Index, Label: sn.Label, Predicted: sn.Predicted,
			Input: sn.Input, Spikes: sn.Spikes, Membrane: sn.Membrane, Readout: sn.Readout}
	}
	return raster.DrawSnapshot(path, samples, o)
}
