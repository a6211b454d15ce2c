package audio

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio/decode"
	"github.com/spikegrad/spikegrad/datasets/audio/internal/featurecache"
	"github.com/spikegrad/spikegrad/datasets/audio/mel"
	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// Storage is the precision in which RawHD and RawSC hold the features of
// a sample in memory (as datasets.Dense) and in the feature cache.
type Storage uint8

const (
	// Float16 keeps 11 significant bits in 2 bytes a value: the full
	// Speech Commands (105 829 clips of 100 frames × 40 filters) take
	// 0.85 GB. The rounding error, below 2⁻¹¹ of a value, is well below
	// the spread that the 16-bit quantisation of the recordings already
	// puts into the features (see the package documentation).
	Float16 Storage = iota
	// Float32 keeps 24 significant bits in 4 bytes a value.
	Float32
)

// String returns "float16" or "float32".
func (s Storage) String() string {
	switch s {
	case Float16:
		return "float16"
	case Float32:
		return "float32"
	}
	return fmt.Sprintf("Storage(%d)", uint8(s))
}

// ParseStorage parses "float16" or "float32".
func ParseStorage(s string) (Storage, error) {
	switch s {
	case "float16":
		return Float16, nil
	case "float32":
		return Float32, nil
	}
	return 0, fmt.Errorf("storage: want float16 or float32, got %q", s)
}

// LoadOptions are the settings that RawHD and RawSC share besides the
// features.
type LoadOptions struct {
	// CacheDir holds the feature cache. "" means the folder CacheDirName
	// inside the data folder if files can be created there, and
	// otherwise UserCacheDir(); an existing cache in a read-only data
	// folder is then still read. A cache that cannot be created or
	// written is a warning in datasets.Data.Warnings, never an error:
	// the load goes on without it.
	CacheDir string
	// NoCache disables the feature cache.
	NoCache bool
	// SkipBadFiles leaves out the recordings that cannot be used
	// (unreadable, corrupt, listed but missing, shorter than a frame or
	// sampled far below the feature band) and lists them in
	// datasets.Data.Skipped. Without it such recordings fail the load
	// with a *BadFilesError naming them all.
	SkipBadFiles bool
	// Limit, if positive, keeps at most Limit recordings of every split:
	// a subset drawn with LimitSeed before any recording is decoded.
	Limit     int
	LimitSeed uint64
	// Storage is the precision of the features in memory and in the
	// cache; the zero value is Float16.
	Storage Storage
}

func (o LoadOptions) validate(set string) error {
	if o.Limit < 0 {
		return fmt.Errorf("%s: Limit must be ≥ 0, got %d", set, o.Limit)
	}
	if o.Storage != Float16 && o.Storage != Float32 {
		return fmt.Errorf("%s: Storage must be Float16 or Float32, got %v", set, o.Storage)
	}
	return nil
}

// BadFilesError reports every recording of a load that cannot be used.
type BadFilesError struct {
	Set   string // "rawhd" or "rawsc"
	Dir   string // the data folder; the files are named relative to it
	Total int    // recordings the load tried
	Files []datasets.FileProblem
}

// badFilesShown is how many bad files an error message names.
const badFilesShown = 5

func (e *BadFilesError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d of %d recordings in %s cannot be used: ", e.Set, len(e.Files), e.Total, e.Dir)
	b.WriteString(problemList(e.Files))
	b.WriteString("; set SkipBadFiles (--skip-bad-files) to load the others without them")
	return b.String()
}

// problemList names the first few problems and counts the rest.
func problemList(ps []datasets.FileProblem) string {
	var parts []string
	for _, p := range ps[:min(len(ps), badFilesShown)] {
		parts = append(parts, p.String())
	}
	if n := len(ps) - badFilesShown; n > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", n))
	}
	return strings.Join(parts, "; ")
}

// item is one listed recording.
type item struct {
	path  string // on disk
	name  string // relative to the data folder, with forward slashes
	label int
	// problem, if set, says why the recording cannot be used, found
	// before decoding (such as a listed file that is missing).
	problem string
}

// melLoader turns recordings into datasets.Samples of log Mel features:
// decode, check, mix down, resample to the feature rate, transform. Results
// go through the feature cache when there is one. It gathers the bad files
// and warnings of all the splits it loads, for finish.
type melLoader struct {
	set  string // data set, part of the cache key
	root string // data folder, which item names are relative to
	mel  mel.Config
	opts LoadOptions

	// caches are read in order; new entries go to caches[0] if writable.
	caches   []*featurecache.Cache
	writable bool

	notes, warnings []string
	total           int
	bad             []datasets.FileProblem
	lowRate         []datasets.FileProblem // recordings below the feature band

	storeFails atomic.Int64
	storeMu    sync.Mutex
	storeErr   error // the first failure to store an entry
}

// newMelLoader validates mc and sets up the cache for the data in root.
func newMelLoader(set, root string, mc mel.Config, opts LoadOptions) (*melLoader, error) {
	if _, err := mel.New(mc); err != nil {
		return nil, fmt.Errorf("%s: Mel: %w", set, err)
	}
	l := &melLoader{set: set, root: root, mel: mc, opts: opts}
	if !opts.NoCache {
		l.openCache()
	}
	return l, nil
}

// CacheDirName is the folder, inside a data folder, where RawHD and RawSC
// keep preprocessed features when that folder is writable.
const CacheDirName = ".spikegrad-cache"

// UserCacheDir returns the feature cache in the user's cache directory,
// the place RawHD and RawSC fall back to when the data folder is not
// writable: os.UserCacheDir()/spikegrad/features, such as
// ~/.cache/spikegrad/features on Linux.
func UserCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "spikegrad", "features"), nil
}

// DefaultCacheDir returns the cache folder a load of the data in dataDir
// uses when CacheDir is "": dataDir/CacheDirName if files can be created
// there (creating the folder), and otherwise UserCacheDir(). why says why
// the data folder was not used, or is "".
func DefaultCacheDir(dataDir string) (dir, why string, err error) {
	shared := filepath.Join(dataDir, CacheDirName)
	werr := featurecache.Writable(shared)
	if werr == nil {
		return shared, "", nil
	}
	dir, err = UserCacheDir()
	return dir, fmt.Sprintf("the data folder is not writable (%v)", werr), err
}

// openCache opens the caches of the load, turning every failure into a
// warning.
func (l *melLoader) openCache() {
	dir := l.opts.CacheDir
	var readOnly string // a cache in the data folder that is read but not written
	if dir == "" {
		d, why, err := DefaultCacheDir(l.root)
		if why != "" {
			if shared := filepath.Join(l.root, CacheDirName); isDir(shared) {
				readOnly = shared
			}
		}
		switch {
		case err != nil:
			l.warnings = append(l.warnings, fmt.Sprintf("feature cache: %s and there is no user cache directory (%v); loading without storing features: set CacheDir (--cache-dir) to a writable folder", why, err))
		case why != "":
			l.notes = append(l.notes, fmt.Sprintf("feature cache in %s: %s", d, why))
			dir = d
		default:
			dir = d
		}
	}
	if dir != "" {
		switch err := featurecache.Writable(dir); {
		case err == nil:
			c, _ := featurecache.Open(dir)
			l.caches, l.writable = append(l.caches, c), true
		case isDir(dir):
			l.warnings = append(l.warnings, fmt.Sprintf("feature cache %s is not writable (%v): its entries are read, but new features are not stored", dir, err))
			readOnly = dir
		default:
			l.warnings = append(l.warnings, fmt.Sprintf("feature cache: cannot create %s (%v); loading without a cache: set CacheDir (--cache-dir) to a writable folder or NoCache (--no-cache)", dir, err))
		}
	}
	if readOnly != "" && (len(l.caches) == 0 || l.caches[0].Dir() != readOnly) {
		if c, err := featurecache.Open(readOnly); err == nil {
			l.caches = append(l.caches, c)
		}
	}
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// limit returns at most opts.Limit of items, a seeded subset in list order.
// split separates the subsets of the splits.
func (l *melLoader) limit(items []item, split uint64) []item {
	if l.opts.Limit <= 0 || len(items) <= l.opts.Limit {
		return items
	}
	idx := rand.New(rand.NewPCG(l.opts.LimitSeed, 0x1175+split)).Perm(len(items))[:l.opts.Limit]
	slices.Sort(idx)
	out := make([]item, len(idx))
	for j, i := range idx {
		out[j] = items[i]
	}
	return out
}

// outcome is what loading one item gave.
type outcome struct {
	sample  datasets.Sample
	rate    int
	problem string
}

// load loads every item, in parallel over GOMAXPROCS workers, and returns
// the samples of the usable ones in the order of items. The others are
// kept for finish.
func (l *melLoader) load(items []item) []datasets.Sample {
	l.total += len(items)
	res := make([]outcome, len(items))
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(items)) {
		wg.Go(func() {
			m, _ := mel.New(l.mel) // validated by newMelLoader
			for i := int(next.Add(1) - 1); i < len(items); i = int(next.Add(1) - 1) {
				it := items[i]
				if it.problem != "" {
					res[i].problem = it.problem
					continue
				}
				smp, rate, err := l.sample(m, it)
				res[i] = outcome{sample: smp, rate: rate}
				if err != nil {
					res[i].problem = err.Error()
				}
			}
		})
	}
	wg.Wait()
	out := make([]datasets.Sample, 0, len(items))
	for i, r := range res {
		if r.problem != "" {
			l.bad = append(l.bad, datasets.FileProblem{File: items[i].name, Problem: r.problem})
			continue
		}
		if _, top := l.mel.Band(); float64(r.rate)/2 < top {
			l.lowRate = append(l.lowRate, datasets.FileProblem{File: items[i].name, Problem: fmt.Sprintf("%d Hz", r.rate)})
		}
		out = append(out, r.sample)
	}
	return out
}

// sample returns the sample of one recording and its sample rate, from
// the cache if it holds the features.
func (l *melLoader) sample(m *mel.Extractor, it item) (datasets.Sample, int, error) {
	fi, err := os.Stat(it.path)
	if err != nil {
		return datasets.Sample{}, 0, bare(err) // the caller names the file
	}
	if !fi.Mode().IsRegular() {
		return datasets.Sample{}, 0, errors.New("not a regular file")
	}
	var key string
	var e featurecache.Entry
	hit := false
	if len(l.caches) > 0 {
		key = featurecache.Key(l.set, it.name, fi.Size(), fi.ModTime(), l.settings())
		for _, c := range l.caches {
			if e, hit = c.Load(key); hit && l.fits(e) {
				break
			}
			hit = false
		}
	}
	if !hit {
		if e, err = l.compute(m, it); err != nil {
			return datasets.Sample{}, 0, err
		}
		if l.writable {
			if err := l.caches[0].Store(key, e); err != nil {
				l.storeFailed(err)
			}
		}
	} else if err := l.checkRecording(e.Rate, e.Samples); err != nil {
		return datasets.Sample{}, 0, err
	}
	return datasets.Sample{Label: it.label, Dense: datasets.Dense{F32: e.F32, F16: e.F16}}, e.Rate, nil
}

func (l *melLoader) storeFailed(err error) {
	if l.storeFails.Add(1) == 1 {
		l.storeMu.Lock()
		l.storeErr = err
		l.storeMu.Unlock()
	}
}

// compute decodes, checks, resamples and transforms one recording.
func (l *melLoader) compute(m *mel.Extractor, it item) (featurecache.Entry, error) {
	decodes.Add(1)
	a, err := decode.File(it.path)
	if err != nil {
		return featurecache.Entry{}, bare(err) // the caller names the file
	}
	if err := l.checkRecording(a.SampleRate, len(a.Samples)); err != nil {
		return featurecache.Entry{}, err
	}
	x, err := mel.Resample(a.Samples, a.SampleRate, l.mel.SampleRate)
	if err != nil {
		return featurecache.Entry{}, err
	}
	feats, err := m.Features(x)
	if err != nil {
		return featurecache.Entry{}, fmt.Errorf("audio: %w", err)
	}
	values := make([]float32, 0, len(feats)*l.mel.Filters)
	for _, row := range feats {
		for _, v := range row {
			values = append(values, float32(v))
		}
	}
	d := datasets.NewDense(values, l.opts.Storage == Float16)
	return featurecache.Entry{Rate: a.SampleRate, Samples: len(a.Samples), Rows: len(feats), Cols: l.mel.Filters,
		F32: d.F32, F16: d.F16, Set: l.set, Name: it.name}, nil
}

// checkRecording rejects recordings that cannot give the features: those
// shorter than one frame, which would become a constant sample, and those
// sampled so low that more than half of the Mel filters lie above their
// Nyquist frequency. A rate that leaves fewer filters empty is a warning
// (see load).
func (l *melLoader) checkRecording(rate, n int) error {
	if rate <= 0 {
		return fmt.Errorf("sample rate %d Hz", rate)
	}
	nyq := float64(rate) / 2
	above := 0
	for _, c := range l.mel.Centers() {
		if c > nyq {
			above++
		}
	}
	if 2*above > l.mel.Filters {
		return fmt.Errorf("sampled at %d Hz: %d of the %d Mel filters lie above its Nyquist frequency of %g Hz, so most features would be empty", rate, above, l.mel.Filters, nyq)
	}
	if ms := 1000 * float64(n) / float64(rate); ms < l.mel.FrameLength {
		return fmt.Errorf("%.3g ms long, shorter than one %g ms frame", ms, l.mel.FrameLength)
	}
	return nil
}

// settings describes everything besides the recording that the features
// depend on, for the cache key: the feature settings, the resampler and
// the storage.
func (l *melLoader) settings() string {
	return fmt.Sprintf("%s\x00%s", l.mel.Recipe(), l.opts.Storage)
}

// fits reports whether a cache entry has the configured shape and storage.
func (l *melLoader) fits(e featurecache.Entry) bool {
	return e.Rows == l.mel.Frames && e.Cols == l.mel.Filters && (e.F16 != nil) == (l.opts.Storage == Float16)
}

// finish turns what the loads gathered into d's notes, warnings and
// skipped files, or into a *BadFilesError.
func (l *melLoader) finish(d *datasets.Data) error {
	if len(l.bad) > 0 && !l.opts.SkipBadFiles {
		return &BadFilesError{Set: l.set, Dir: l.root, Total: l.total, Files: l.bad}
	}
	d.Notes = append(d.Notes, l.notes...)
	d.Warnings = append(d.Warnings, l.warnings...)
	if l.opts.Limit > 0 {
		d.Notes = append(d.Notes, fmt.Sprintf("limit: at most %d recordings of every split, chosen before decoding", l.opts.Limit))
	}
	if len(l.bad) > 0 {
		d.Skipped = l.bad
		d.Warnings = append(d.Warnings, fmt.Sprintf("skipped %d of %d recordings in %s that cannot be used (SkipBadFiles): %s",
			len(l.bad), l.total, l.root, problemList(l.bad)))
	}
	if len(l.lowRate) > 0 {
		_, top := l.mel.Band()
		d.Warnings = append(d.Warnings, fmt.Sprintf("%d of %d recordings are sampled below %g Hz, twice the top of the Mel filterbank, so their top filters get no signal: %s",
			len(l.lowRate), l.total, 2*top, problemList(l.lowRate)))
	}
	if n := l.storeFails.Load(); n > 0 {
		d.Warnings = append(d.Warnings, fmt.Sprintf("feature cache %s: %d entries could not be stored (first: %v); their features were computed but not cached",
			l.caches[0].Dir(), n, l.storeErr))
	}
	return nil
}

// emptyClassWarning names the classes without training samples.
func emptyClassWarning(train *datasets.Split, names []string) string {
	counts := make([]int, train.Classes)
	for _, s := range train.Samples {
		counts[s.Label]++
	}
	var empty []string
	for c, n := range counts {
		if n == 0 {
			name := fmt.Sprint(c)
			if c < len(names) {
				name = names[c]
			}
			empty = append(empty, name)
		}
	}
	if len(empty) == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d classes have no training samples: %s", len(empty), train.Classes, strings.Join(empty, ", "))
}

// readNameList reads a list of relative file names, one a line, skipping
// blank lines and trailing white space (such as the \r of DOS line ends).
// An empty list is an error: a split must hold samples.
func readNameList(path string) ([]string, error) {
	f, err := readlimit.Open(path)
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

// relName returns path relative to root with forward slashes, or path if it
// does not lie below root.
func relName(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// missing describes a listed file that cannot be found.
func missing(err error, list string) string {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Sprintf("listed in %s but missing", list)
	}
	return bare(err).Error()
}

// bare returns the error of a failed file operation or decoding without
// the path, which the caller names its own way.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var fe *decode.FileError
	if errors.As(err, &fe) {
		return fe.Err
	}
	return err
}

// decodes counts the recordings the loads have decoded. Tests use it to
// check that a cached load decodes nothing.
var decodes atomic.Int64
