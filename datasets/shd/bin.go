package shd

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/internal/half"
	"github.com/spikegrad/spikegrad/datasets/internal/shdfile"
)

// binFile checks the raw data sets of a file against c and bins the spikes.
func binFile(raw *rawFile, name string, c Config) (*binnedFile, error) {
	n := len(raw.labels)
	if len(raw.times) != n || len(raw.units) != n {
		return nil, fmt.Errorf("%s, %s and %s have %d, %d and %d entries, want equal counts",
			shdfile.Times, shdfile.Units, shdfile.Labels, len(raw.times), len(raw.units), n)
	}
	keys := raw.keys
	if keys == nil {
		for i := range c.Classes {
			keys = append(keys, strconv.Itoa(i))
		}
	} else if len(keys) != c.Classes {
		return nil, fmt.Errorf("%s has %d class names, want %d (shd.Config.Classes)", shdfile.Keys, len(keys), c.Classes)
	}
	if raw.speakers != nil && len(raw.speakers) != n {
		return nil, fmt.Errorf("%s has %d entries for %d samples", shdfile.Speaker, len(raw.speakers), n)
	}
	width, err := timeWidth(raw.times, raw.units)
	if err != nil {
		return nil, err
	}
	f := &binnedFile{
		split:    &datasets.Split{Name: name, Steps: c.Steps, Units: c.Units, Classes: c.Classes, Samples: make([]datasets.Sample, n)},
		keys:     keys,
		noKeys:   raw.keys == nil,
		speakers: raw.speakers,
		stats:    FileStats{Samples: n, TimeBytes: width},
	}
	b := &binner{c: c, width: width, dt: c.DT / 1000}
	for i := range n {
		label, err := toLabel(raw.labels[i], c.Classes)
		if err != nil {
			return nil, fmt.Errorf("sample %d: %w", i, err)
		}
		events, err := b.bin(raw.times[i], raw.units[i], &f.stats)
		if err != nil {
			return nil, fmt.Errorf("sample %d: %w", i, err)
		}
		f.split.Samples[i] = datasets.Sample{Label: label, Events: events}
	}
	return f, nil
}

// toLabel converts a stored label to an int in [0, classes).
func toLabel(l float64, classes int) (int, error) {
	if !(l >= 0 && l < float64(classes)) || l != math.Trunc(l) {
		return 0, fmt.Errorf("label %g outside [0, %d) (shd.Config.Classes)", l, classes)
	}
	return int(l), nil
}

// timeWidth infers the byte width of the stored spike times from the
// byte counts of the times and units of each sample.
//
// The HDF5 reader returns variable-length data as raw bytes without their
// element type. The channels are uint16 in SHD, which gives the number of
// spikes of a sample; the times of the sample then take 2 bytes per spike
// if they are float16 and 4 if float32. The width must be the same for all
// samples, which catches files whose channels are not uint16.
func timeWidth(times, units [][]byte) (int, error) {
	width := 0
	for i := range units {
		if len(units[i])%2 != 0 {
			return 0, fmt.Errorf("sample %d: %s holds %d bytes, not a whole number of uint16 channels", i, shdfile.Units, len(units[i]))
		}
		spikes := len(units[i]) / 2
		if spikes == 0 {
			if len(times[i]) != 0 {
				return 0, fmt.Errorf("sample %d: %d bytes of %s but no channels", i, len(times[i]), shdfile.Times)
			}
			continue
		}
		w := len(times[i]) / spikes
		if w*spikes != len(times[i]) || (width != 0 && w != width) {
			return 0, fmt.Errorf("sample %d: %d bytes of %s for %d spikes; earlier samples use %d bytes per time",
				i, len(times[i]), shdfile.Times, spikes, width)
		}
		if w != 2 && w != 4 {
			return 0, fmt.Errorf("sample %d: %s elements are %d bytes wide, want 2 (float16) or 4 (float32)", i, shdfile.Times, w)
		}
		width = w
	}
	return width, nil
}

// binner bins the spikes of one sample after another, reusing its
// buffer.
type binner struct {
	c     Config
	width int
	dt    float64 // Δt in seconds, the unit of the stored spike times
	keys  []uint64
}

// bin decodes the spikes of one sample, bins them and adds its counts to
// st. Spike times must be finite and non-negative.
func (b *binner) bin(times, units []byte, st *FileStats) ([]datasets.Event, error) {
	n := len(units) / 2
	st.Spikes += n
	if n == 0 {
		st.EmptySamples++
		return nil, nil
	}
	b.keys = b.keys[:0]
	dropped := 0
	for j := range n {
		unit := int(binary.LittleEndian.Uint16(units[2*j:]))
		if unit >= b.c.Units {
			return nil, fmt.Errorf("spike %d: channel %d outside [0, %d) (shd.Config.Units)", j, unit, b.c.Units)
		}
		t := b.time(times, j)
		if !(t >= 0) || math.IsInf(t, 1) {
			return nil, fmt.Errorf("spike %d: time %g s is not a finite non-negative number", j, t)
		}
		step := math.Floor(t / b.dt)
		if step >= float64(b.c.Steps) {
			dropped++
			continue
		}
		b.keys = append(b.keys, uint64(step)<<32|uint64(unit))
	}
	st.Dropped += dropped
	if dropped > 0 {
		st.TruncatedSamples++
	}
	return countEvents(b.keys), nil
}

// time decodes spike time j of a sample, in seconds.
func (b *binner) time(times []byte, j int) float64 {
	if b.width == 2 {
		return float64(half.ToFloat32(binary.LittleEndian.Uint16(times[2*j:])))
	}
	return float64(math.Float32frombits(binary.LittleEndian.Uint32(times[4*j:])))
}

// countEvents sorts step<<32 | unit keys and turns every run of equal keys
// into one event whose Value counts the run.
func countEvents(keys []uint64) []datasets.Event {
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	distinct := 1
	for j := 1; j < len(keys); j++ {
		if keys[j] != keys[j-1] {
			distinct++
		}
	}
	events := make([]datasets.Event, 0, distinct)
	for j, k := range keys {
		if j > 0 && k == keys[j-1] {
			events[len(events)-1].Value++
			continue
		}
		events = append(events, datasets.Event{Step: int32(k >> 32), Unit: int32(uint32(k)), Value: 1})
	}
	return events
}
