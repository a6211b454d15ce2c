package datasets

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

// audioItem is one labelled recording to be turned into a Sample.
type audioItem struct {
	path  string
	label int
}

// audioLoader turns recordings into Samples of log Mel features: decode,
// mix down, resample to the feature rate, transform. Results go through the
// feature cache when there is one.
type audioLoader struct {
	mel   MelConfig
	cache *featureCache // nil disables caching
}

// newAudioLoader validates mc and opens the cache in cacheDir unless noCache.
func newAudioLoader(mc MelConfig, cacheDir string, noCache bool) (*audioLoader, error) {
	if _, err := NewMel(mc); err != nil {
		return nil, err
	}
	l := &audioLoader{mel: mc}
	if noCache {
		return l, nil
	}
	var err error
	l.cache, err = newFeatureCache(cacheDir)
	return l, err
}

// samples loads every item, in parallel over GOMAXPROCS workers, and returns
// the Samples in the order of items. On failure it stops early and returns
// the error of the first failing item in that order, which names its file.
func (l *audioLoader) samples(items []audioItem) ([]Sample, error) {
	out := make([]Sample, len(items))
	errs := make([]error, len(items))
	var failed atomic.Bool
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(items)) {
		wg.Go(func() {
			m, _ := NewMel(l.mel) // validated by newAudioLoader
			for i := int(next.Add(1) - 1); i < len(items) && !failed.Load(); i = int(next.Add(1) - 1) {
				feats, err := l.features(m, items[i].path)
				if err != nil {
					errs[i] = err
					failed.Store(true)
					return
				}
				out[i] = Sample{Label: items[i].label, Events: featureEvents(feats)}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// features returns the features of the recording at path, from the cache if
// it holds them.
func (l *audioLoader) features(m *Mel, path string) ([][]float64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	var key string
	if l.cache != nil {
		key = featureKey(path, fi, l.mel)
		if feats, ok := l.cache.load(key); ok && l.fits(feats) {
			return feats, nil
		}
	}
	feats, err := fileFeatures(m, path)
	if err != nil {
		return nil, err
	}
	if l.cache != nil {
		if err := l.cache.store(key, feats); err != nil {
			return nil, err
		}
	}
	return feats, nil
}

// fits reports whether cached features have the configured shape.
func (l *audioLoader) fits(feats [][]float64) bool {
	return (l.mel.Frames == 0 || len(feats) == l.mel.Frames) && len(feats[0]) == l.mel.Filters
}

// fileFeatures decodes, resamples and transforms one recording.
func fileFeatures(m *Mel, path string) ([][]float64, error) {
	a, err := ReadAudioFile(path)
	if err != nil {
		return nil, err
	}
	x, err := Resample(a.Samples, a.SampleRate, m.c.SampleRate)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	feats, err := m.Features(x)
	if err != nil {
		return nil, fmt.Errorf("datasets: %w (file %s)", err, path)
	}
	return feats, nil
}

// featureEvents turns a [frames][channels] feature matrix into one Event per
// entry: Step = frame, Unit = channel, Value = feature, frame by frame.
func featureEvents(feats [][]float64) []Event {
	if len(feats) == 0 {
		return nil
	}
	ev := make([]Event, 0, len(feats)*len(feats[0]))
	for t, row := range feats {
		for u, v := range row {
			ev = append(ev, Event{Step: int32(t), Unit: int32(u), Value: float32(v)})
		}
	}
	return ev
}
