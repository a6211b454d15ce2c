package synthetic

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio"
	"github.com/spikegrad/spikegrad/datasets/audio/mel"
	"github.com/spikegrad/spikegrad/datasets/shd"
)

func TestWordsComeInReversedPairs(t *testing.T) {
	w, err := words(maxWords)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[wordPhones]int]bool{}
	for i, x := range w {
		if seen[x] {
			t.Errorf("word %d %v is a repeat", i, x)
		}
		seen[x] = true
		if i%2 == 1 {
			r := w[i-1]
			slices.Reverse(r[:])
			if x != r {
				t.Errorf("word %d %v is not word %d %v reversed", i, x, i-1, w[i-1])
			}
		}
	}
	// Fewer words are the first of more: the classes of a data set do not
	// depend on how many there are.
	few, _ := words(20)
	if !slices.Equal(few, w[:20]) {
		t.Errorf("words(20) = %v, want the first 20 of words(%d)", few, maxWords)
	}
	for _, n := range []int{0, maxWords + 1} {
		if _, err := words(n); err == nil {
			t.Errorf("words(%d): no error", n)
		}
	}
}

// The test speakers of SHD and RawHD (10, 11) sound like the training
// speakers (0–9): each of their voice parameters lies within the training
// speakers' range.
func TestTestSpeakersLieAmongTrainingSpeakers(t *testing.T) {
	lo, hi := newSpeaker(0), newSpeaker(0)
	for id := 1; id < 10; id++ {
		s := newSpeaker(id)
		lo = speaker{min(lo.tract, s.tract), min(lo.pitch, s.pitch), min(lo.tempo, s.tempo)}
		hi = speaker{max(hi.tract, s.tract), max(hi.pitch, s.pitch), max(hi.tempo, s.tempo)}
	}
	for _, id := range []int{10, 11} {
		s := newSpeaker(id)
		if s.tract < lo.tract || s.tract > hi.tract || s.tempo < lo.tempo || s.tempo > hi.tempo || s.pitch < lo.pitch || s.pitch > hi.pitch {
			t.Errorf("speaker %d %+v lies outside the training speakers' range %+v–%+v", id, s, lo, hi)
		}
	}
}

// An utterance fits the time grids of RawHD (80 frames of 10 ms) and SHD
// (0.79 s), whatever the speaker and the jitter.
func TestUtterancesFitTheWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	w, _ := words(maxWords)
	for i := range 5000 {
		segs := utterance(rng, w[i%len(w)], newSpeaker(i%100))
		if e := end(segs); e > shdWindow {
			t.Fatalf("utterance %d ends at %.3f s", i, e)
		}
		for k := 1; k < len(segs); k++ {
			if segs[k].start <= segs[k-1].start || segs[k].start > segs[k-1].start+segs[k-1].length {
				t.Fatalf("utterance %d: segment %d does not follow segment %d: %+v", i, k, k-1, segs)
			}
		}
	}
}

// testBandPeak returns the step at which the input to units [lo, hi) of
// sample i of s, summed over a window of 10 steps, is largest: for the
// band of a sound, when it is heard.
func testBandPeak(s *datasets.Split, i, lo, hi int) int {
	f := testFeatures(s, i)
	sums := make([]float64, len(f))
	for n, row := range f {
		for _, v := range row[lo:hi] {
			sums[n] += v
		}
	}
	best, arg := math.Inf(-1), 0
	for n := range len(f) - 10 {
		if w := floats.Sum(sums[n : n+10]); w > best {
			best, arg = w, n
		}
	}
	return arg
}

// TestWordsOrderShowsInTime checks that in the spike files and the
// recordings alike, a word's sounds come in its order: the hiss of words
// that start with it comes earlier than that of the reversed words, which
// end with it.
func TestWordsOrderShowsInTime(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: fits classifiers to spoken words: 5 s")
	}
	w, _ := words(audio.RawHDClasses)
	const s = 8           // the phone like s, the only sound above 4 kHz
	var first, last []int // classes that start or end with it
	for c, x := range w {
		switch s {
		case x[0]:
			first = append(first, c)
		case x[2]:
			last = append(last, c)
		}
	}
	if phones[s].hiss < 4000 || len(first) == 0 || len(last) == 0 {
		t.Fatalf("no classes that start (%v) or end (%v) with the hiss of phone %d", first, last, s)
	}
	dir := t.TempDir()
	o := Options{Words: true}
	if err := WriteSHDWith(filepath.Join(dir, "shd"), 200, 20, 2, o); err != nil {
		t.Fatal(err)
	}
	if err := WriteRawHDWith(filepath.Join(dir, "rawhd"), 200, 20, 2, o); err != nil {
		t.Fatal(err)
	}
	c := shd.Default()
	c.Dir = filepath.Join(dir, "shd")
	spikes, err := shd.Load(c)
	if err != nil {
		t.Fatal(err)
	}
	recordings, err := audio.RawHD(audio.DefaultRawHD(filepath.Join(dir, "rawhd")))
	if err != nil {
		t.Fatal(err)
	}
	// Its band: the SHD channels and Mel filters above 4 kHz.
	recipe := mel.Default()
	hissFilter := 0
	for hissFilter < recipe.Filters && recipe.Centers()[hissFilter] < 4000 {
		hissFilter++
	}
	for _, d := range []struct {
		name   string
		split  *datasets.Split
		lo, hi int
	}{
		{"shd", spikes.Train, int(channelOf(4000)), channels},
		{"rawhd", recordings.Train, hissFilter, recipe.Filters},
	} {
		mean := func(classes []int) float64 {
			var sum float64
			n := 0
			for i, smp := range d.split.Samples {
				if slices.Contains(classes, smp.Label) {
					sum += float64(testBandPeak(d.split, i, d.lo, d.hi))
					n++
				}
			}
			return sum / float64(n)
		}
		early, late := mean(first), mean(last)
		if !(late > early+10) {
			t.Errorf("%s: the hiss of words that start with it comes at step %.1f on average, of those that end with it at %.1f", d.name, early, late)
		}
	}
}

func TestWriteWordsIsDeterministic(t *testing.T) {
	o := Options{Words: true}
	for name, write := range map[string]func(dir string, seed uint64) error{
		"shd":   func(dir string, seed uint64) error { return WriteSHDWith(dir, 20, 20, seed, o) },
		"ssc":   func(dir string, seed uint64) error { return WriteSSCWith(dir, 35, 35, 35, seed, o) },
		"rawhd": func(dir string, seed uint64) error { return WriteRawHDWith(dir, 20, 20, seed, o) },
		"rawsc": func(dir string, seed uint64) error {
			return WriteRawSCWith(dir, []string{"yes", "no", "up"}, 5, seed, o)
		},
	} {
		a, b, other := t.TempDir(), t.TempDir(), t.TempDir()
		for _, w := range []struct {
			dir  string
			seed uint64
		}{{a, 4}, {b, 4}, {other, 5}} {
			if err := write(w.dir, w.seed); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		testSameFiles(t, a, b)
		if testDirsEqual(a, other) {
			t.Errorf("%s: seeds 4 and 5 wrote the same files", name)
		}
	}
}

// testDirsEqual reports whether dirs a and b hold the same files.
func testDirsEqual(a, b string) bool {
	same := true
	filepath.WalkDir(a, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		x, _ := os.ReadFile(path)
		y, _ := os.ReadFile(filepath.Join(b, rel))
		same = same && slices.Equal(x, y)
		return nil
	})
	return same
}

// Samples of the spike files have spikes in every part of the word and a
// plausible count: a few thousand, like those of SHD.
func TestWordSpikesLookLikeSHD(t *testing.T) {
	dir := t.TempDir()
	if err := WriteSHDWith(dir, 40, 20, 1, Options{Words: true}); err != nil {
		t.Fatal(err)
	}
	c := shd.Default()
	c.Dir = dir
	d, stats, err := shd.LoadWithStats(c)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Train.Dropped+stats.Test.Dropped != 0 {
		t.Errorf("spikes outside the grid: %+v %+v", stats.Train, stats.Test)
	}
	for _, s := range []*datasets.Split{d.Train, d.Validation, d.Test} {
		for i, smp := range s.Samples {
			var n float32
			for _, e := range smp.Events {
				n += e.Value
			}
			if n < 500 || n > 6000 {
				t.Errorf("%s sample %d has %g spikes", s.Name, i, n)
			}
		}
	}
}

func TestWriteWordsErrors(t *testing.T) {
	dir := t.TempDir()
	many := make([]string, maxWords+1)
	for i := range many {
		many[i] = string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	if err := WriteRawSCWith(dir, many, 5, 1, Options{Words: true}); err == nil {
		t.Errorf("%d words: no error", len(many))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a rejected vocabulary still wrote %d entries", len(entries))
	}
	// The easy sets take any number of words.
	if err := WriteRawSCWith(dir, many, 3, 1, Options{}); err != nil {
		t.Error(err)
	}
}
