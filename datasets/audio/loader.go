package audio

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio/internal/featurecache"
)

// item is one labelled recording to be turned into a datasets.Sample.
type item struct {
	path  string
	label int
}

// melLoader turns recordings into datasets.Samples of log Mel features: decode,
// mix down, resample to the feature rate, transform. Results go through the
// feature cache when there is one.
type melLoader struct {
	mel   MelConfig
	cache *featurecache.Cache // nil disables caching
}

// newMelLoader validates mc and opens the cache in cacheDir unless noCache.
func newMelLoader(mc MelConfig, cacheDir string, noCache bool) (*melLoader, error) {
	if _, err := NewMel(mc); err != nil {
		return nil, err
	}
	l := &melLoader{mel: mc}
	if noCache {
		return l, nil
	}
	c, err := featurecache.Open(cacheDir)
	if err != nil {
		return nil, fmt.Errorf("audio: feature cache: %w (set CacheDir to a writable directory or NoCache)", err)
	}
	l.cache = c
	return l, nil
}

// CacheDirName is the directory, inside a data set's directory, where RawHD
// and RawSC keep preprocessed features unless told otherwise.
const CacheDirName = ".spikegrad-cache"

// cacheDirOr returns dir, or the default cache directory inside dataDir.
func cacheDirOr(dir, dataDir string) string {
	if dir != "" {
		return dir
	}
	return filepath.Join(dataDir, CacheDirName)
}

// samples loads every item, in parallel over GOMAXPROCS workers, and returns
// the Samples in the order of items. On failure it stops early and returns
// the error of the first failing item in that order, which names its file.
func (l *melLoader) samples(items []item) ([]datasets.Sample, error) {
	out := make([]datasets.Sample, len(items))
	errs := make([]error, len(items))
	var failed atomic.Bool
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(items)) {
		wg.Go(func() {
			m, _ := NewMel(l.mel) // validated by newMelLoader
			for i := int(next.Add(1) - 1); i < len(items) && !failed.Load(); i = int(next.Add(1) - 1) {
				feats, err := l.features(m, items[i].path)
				if err != nil {
					errs[i] = err
					failed.Store(true)
					return
				}
				out[i] = datasets.Sample{Label: items[i].label, Events: featureEvents(feats)}
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
func (l *melLoader) features(m *Mel, path string) ([][]float64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	var key string
	if l.cache != nil {
		key = featurecache.Key(path, fi, l.settings())
		if feats, ok := l.cache.Load(key); ok && l.fits(feats) {
			return feats, nil
		}
	}
	feats, err := fileFeatures(m, path)
	if err != nil {
		return nil, err
	}
	if l.cache != nil {
		if err := l.cache.Store(key, feats); err != nil {
			return nil, err
		}
	}
	return feats, nil
}

// settings describes everything besides the recording that the features
// depend on, for the cache key: the feature settings and the resampler.
func (l *melLoader) settings() string {
	return fmt.Sprintf("%#v\x00%g/%d/%g", l.mel, resampleRolloff, resampleZeros, resampleBeta)
}

// fits reports whether cached features have the configured shape.
func (l *melLoader) fits(feats [][]float64) bool {
	return (l.mel.Frames == 0 || len(feats) == l.mel.Frames) && len(feats[0]) == l.mel.Filters
}

// fileFeatures decodes, resamples and transforms one recording.
func fileFeatures(m *Mel, path string) ([][]float64, error) {
	a, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	x, err := Resample(a.Samples, a.SampleRate, m.c.SampleRate)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	feats, err := m.Features(x)
	if err != nil {
		return nil, fmt.Errorf("audio: %w (file %s)", err, path)
	}
	return feats, nil
}

// featureEvents turns a [frames][channels] feature matrix into one datasets.Event per
// entry: Step = frame, Unit = channel, Value = feature, frame by frame.
func featureEvents(feats [][]float64) []datasets.Event {
	if len(feats) == 0 {
		return nil
	}
	ev := make([]datasets.Event, 0, len(feats)*len(feats[0]))
	for t, row := range feats {
		for u, v := range row {
			ev = append(ev, datasets.Event{Step: int32(t), Unit: int32(u), Value: float32(v)})
		}
	}
	return ev
}

// readNameList reads a list of relative file names, one a line, skipping
// blank lines and trailing white space (such as the \r of DOS line ends).
// An empty list is an error: a split must hold samples.
func readNameList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			names = append(names, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s lists no files", path)
	}
	return names, nil
}
