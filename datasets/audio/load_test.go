package audio

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio/internal/audiotest"
)

// testLoadSC loads RawSC and returns the data and how many files were
// decoded meanwhile.
func testLoadSC(t *testing.T, c RawSCConfig) (*datasets.Data, int64) {
	t.Helper()
	before := decodes.Load()
	d, err := RawSC(c)
	if err != nil {
		t.Fatal(err)
	}
	return d, decodes.Load() - before
}

// testUserCache points os.UserCacheDir at a fresh folder and returns the
// feature cache inside it.
func testUserCache(t *testing.T) string {
	t.Helper()
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir, err := UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// testReadOnly makes the folders dirs unwritable for the rest of the test.
// Permission bits do not stop root, so callers skip as root.
func testReadOnly(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.Chmod(d, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(d, 0o755) })
	}
}

func TestCacheFollowsAMovedDataFolder(t *testing.T) {
	base := t.TempDir()
	orig := filepath.Join(base, "sc")
	testMakeRawSC(t, orig)
	elsewhere := filepath.Join(t.TempDir(), "cache")
	for _, cacheDir := range []string{"", elsewhere} { // inside the data folder, and a cache of its own
		c := DefaultRawSC(orig)
		c.CacheDir = cacheDir
		first, n := testLoadSC(t, c)
		if n != 12 {
			t.Fatalf("first load decoded %d files, want 12", n)
		}
		moved := filepath.Join(base, "moved-"+filepath.Base(cacheDir))
		if err := os.Rename(orig, moved); err != nil {
			t.Fatal(err)
		}
		c.Dir = moved
		second, n := testLoadSC(t, c)
		if n != 0 {
			t.Errorf("cache %q: the load of the moved folder decoded %d files, want 0", cacheDir, n)
		}
		if !testSameSamples(first, second) {
			t.Errorf("cache %q: the moved folder gave other samples", cacheDir)
		}
		if err := os.Rename(moved, orig); err != nil {
			t.Fatal(err)
		}
	}
	// Entries did not pile up: one per recording.
	if s, err := CacheSummary(elsewhere); err != nil || s.Entries != 12 {
		t.Errorf("the cache holds %d entries (err %v), want 12", s.Entries, err)
	}
}

// testSameSamples reports whether two loads hold the same splits.
func testSameSamples(a, b *datasets.Data) bool {
	for i, s := range []*datasets.Split{a.Train, a.Validation, a.Test} {
		o := []*datasets.Split{b.Train, b.Validation, b.Test}[i]
		if s.Len() != o.Len() {
			return false
		}
		for j := range s.Samples {
			if s.Samples[j].Label != o.Samples[j].Label || !slices.Equal(s.Samples[j].Dense.F16, o.Samples[j].Dense.F16) ||
				!slices.Equal(s.Samples[j].Dense.F32, o.Samples[j].Dense.F32) {
				return false
			}
		}
	}
	return true
}

func TestCacheInReadOnlyDataFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("permission bits do not stop root; TestCacheAsAnotherUser covers read-only data folders for real as root")
	}
	dir := t.TempDir()
	testMakeRawSC(t, dir)
	user := testUserCache(t)
	testReadOnly(t, dir)
	d, n := testLoadSC(t, DefaultRawSC(dir))
	if n != 12 || !testContains(d.Notes, "feature cache in "+user, "not writable") {
		t.Fatalf("decoded %d files, notes %q; want 12 and a note naming %s", n, d.Notes, user)
	}
	if _, n = testLoadSC(t, DefaultRawSC(dir)); n != 0 {
		t.Errorf("second load decoded %d files, want 0 (from the user's cache)", n)
	}
}

func TestCacheBlockedInDataFolder(t *testing.T) {
	// A data folder whose cache folder cannot be created, for root too:
	// its name is taken by a file.
	dir := t.TempDir()
	testMakeRawSC(t, dir)
	audiotest.WriteFile(t, filepath.Join(dir, CacheDirName), []byte("not a folder"))
	user := testUserCache(t)
	d, n := testLoadSC(t, DefaultRawSC(dir))
	if n != 12 || !testContains(d.Notes, "feature cache in "+user) {
		t.Fatalf("decoded %d files, notes %q; want 12 and a note naming %s", n, d.Notes, user)
	}
	if _, n = testLoadSC(t, DefaultRawSC(dir)); n != 0 {
		t.Errorf("second load decoded %d files, want 0 (from the user's cache)", n)
	}
}

func TestCacheOfAnotherUserIsRead(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("permission bits do not stop root; TestCacheAsAnotherUser runs a second user for real as root")
	}
	dir := t.TempDir()
	testMakeRawSC(t, dir)
	testLoadSC(t, DefaultRawSC(dir)) // the first user fills the cache in the data folder
	cache := filepath.Join(dir, CacheDirName)
	shards, _ := filepath.Glob(filepath.Join(cache, "*"))
	testReadOnly(t, append([]string{dir, cache}, shards...)...)
	testUserCache(t)
	d, n := testLoadSC(t, DefaultRawSC(dir))
	if n != 0 {
		t.Errorf("the second user decoded %d files, want 0: the shared entries are readable", n)
	}
	if d.Train.Len() != 6 {
		t.Errorf("train split holds %d samples, want 6", d.Train.Len())
	}
}

// testHelperEnv carries the configuration of a load to a child process.
const testHelperEnv = "SPIKEGRAD_AUDIO_TEST_LOAD"

// testHelperResult is what the child process reports.
type testHelperResult struct {
	Decoded  int64
	Err      string
	Notes    []string
	Warnings []string
	Train    int
}

// TestHelperLoad is not a test of its own: TestCacheAsAnotherUser runs it in
// a child process, as another user, to load the data described in
// testHelperEnv.
func TestHelperLoad(t *testing.T) {
	cfg := os.Getenv(testHelperEnv)
	if cfg == "" {
		t.Skip("runs only as the child process of TestCacheAsAnotherUser")
	}
	var c RawSCConfig
	if err := json.Unmarshal([]byte(cfg), &c); err != nil {
		t.Fatal(err)
	}
	before := decodes.Load()
	d, err := RawSC(c)
	r := testHelperResult{Decoded: decodes.Load() - before}
	if err != nil {
		r.Err = err.Error()
	} else {
		r.Notes, r.Warnings, r.Train = d.Notes, d.Warnings, d.Train.Len()
	}
	b, _ := json.Marshal(r)
	os.Stdout.Write(append([]byte("\nHELPER-RESULT "), append(b, '\n')...))
}

// testWorldReadable makes path and its parents up to /tmp traversable by
// every user.
func testWorldReadable(t *testing.T, path string) {
	t.Helper()
	for p := path; p != "/" && p != os.TempDir(); p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, fi.Mode().Perm()|0o055); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCacheAsAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("switching users needs root; TestCacheInReadOnlyDataFolder and TestCacheOfAnotherUserIsRead cover this with permission bits")
	}
	const nobody = 65534
	// The test binary and the data, readable by the other user. The data
	// folder and its cache belong to root: for the other user they are
	// read-only, as on a shared mount.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "audio.test")
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	testWorldReadable(t, bin)
	dir := t.TempDir()
	testMakeRawSC(t, dir)
	testWorldReadable(t, dir)
	home := t.TempDir()
	testWorldReadable(t, home)
	os.Chmod(home, 0o777)

	run := func(c RawSCConfig) testHelperResult {
		t.Helper()
		cfg, _ := json.Marshal(c)
		cmd := exec.Command(bin, "-test.run=^TestHelperLoad$", "-test.v")
		cmd.Env = []string{testHelperEnv + "=" + string(cfg), "HOME=/nonexistent", "XDG_CACHE_HOME=" + home, "PATH=/usr/bin:/bin"}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child process: %v\n%s", err, out)
		}
		return testParseHelper(t, out)
	}

	// The data folder is read-only for the other user, who has no cache
	// yet: the load goes on, keeping the features in the user's cache.
	r := run(DefaultRawSC(dir))
	if r.Err != "" || r.Decoded != 12 || r.Train != 6 || !testContains(r.Notes, "feature cache in "+filepath.Join(home, "spikegrad", "features")) {
		t.Fatalf("first load as another user: %+v", r)
	}
	if r = run(DefaultRawSC(dir)); r.Err != "" || r.Decoded != 0 {
		t.Fatalf("second load as another user decoded %d files (err %q), want 0", r.Decoded, r.Err)
	}
	// Once root has filled the cache in the data folder, a fresh user
	// reads it and decodes nothing.
	testLoadSC(t, DefaultRawSC(dir))
	os.RemoveAll(filepath.Join(home, "spikegrad"))
	if r = run(DefaultRawSC(dir)); r.Err != "" || r.Decoded != 0 || r.Train != 6 {
		t.Fatalf("load of root's cache as another user: %+v", r)
	}
	// A cache folder the user names but cannot write is read, with a
	// warning.
	c := DefaultRawSC(dir)
	c.CacheDir = filepath.Join(dir, CacheDirName)
	if r = run(c); r.Err != "" || r.Decoded != 0 || !testContains(r.Warnings, "is not writable", "not stored") {
		t.Fatalf("load with a read-only CacheDir as another user: %+v", r)
	}
}

// testParseHelper finds the result line of the child process.
func testParseHelper(t *testing.T, out []byte) testHelperResult {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "HELPER-RESULT "); ok {
			var r testHelperResult
			if err := json.Unmarshal([]byte(rest), &r); err != nil {
				t.Fatal(err)
			}
			return r
		}
	}
	t.Fatalf("no result from the child process:\n%s", out)
	return testHelperResult{}
}

func TestBadFilesReportedTogether(t *testing.T) {
	root := t.TempDir()
	files := testHDFiles(6)
	testMakeRawHD(t, root, filepath.Join(root, "audio"), files)
	audioFile := func(i int) string { return filepath.Join(root, "audio", files[i].name) }
	b, _ := os.ReadFile(audioFile(1))
	audiotest.WriteFile(t, audioFile(1), b[:len(b)/2])           // truncated, in training
	audiotest.WriteFile(t, audioFile(7), []byte("fLaC garbage")) // corrupt, in test
	c := DefaultRawHD(root)
	c.NoCache = true
	_, err := RawHD(c)
	var bad *BadFilesError
	if !errors.As(err, &bad) {
		t.Fatalf("got %v, want a *BadFilesError", err)
	}
	if len(bad.Files) != 2 || bad.Total != 8 {
		t.Fatalf("%d of %d files reported, want 2 of 8: %v", len(bad.Files), bad.Total, err)
	}
	for _, i := range []int{1, 7} {
		if !strings.Contains(err.Error(), "audio/"+files[i].name) {
			t.Errorf("the error does not name %s: %v", files[i].name, err)
		}
	}
	if !strings.Contains(err.Error(), "2 of 8") || !strings.Contains(err.Error(), "--skip-bad-files") {
		t.Errorf("the error does not count the bad files or offer to skip them: %v", err)
	}

	// Skipped, they are listed and the rest loads.
	c.SkipBadFiles = true
	d, err := RawHD(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Train.Len() + d.Validation.Len() + d.Test.Len(); got != 6 {
		t.Errorf("loaded %d samples, want the 6 good ones", got)
	}
	if len(d.Skipped) != 2 || d.Skipped[0].File != "audio/"+files[1].name || !strings.Contains(d.Skipped[0].Problem, "unexpected EOF") {
		t.Errorf("Skipped = %v", d.Skipped)
	}
	if !testContains(d.Warnings, "skipped 2 of 8") {
		t.Errorf("warnings %q do not count the skipped files", d.Warnings)
	}
}

func TestBadFilesErrorNamesTheFirstFew(t *testing.T) {
	e := &BadFilesError{Set: "rawsc", Dir: "/data", Total: 100}
	for i := range 12 {
		e.Files = append(e.Files, datasets.FileProblem{File: string(rune('a'+i)) + ".wav", Problem: "bad"})
	}
	msg := e.Error()
	if !strings.Contains(msg, "12 of 100") || !strings.Contains(msg, "e.wav: bad") || strings.Contains(msg, "f.wav") || !strings.Contains(msg, "and 7 more") {
		t.Errorf("message %q", msg)
	}
}

func TestRecordingsThatCannotGiveTheFeatures(t *testing.T) {
	dir := t.TempDir()
	testMakeRawSC(t, dir)
	// Replace three training files: an 8 kHz recording, which loses the
	// top of the filterbank; a 1 Hz one and a 10 ms one, which give no
	// features at all.
	audiotest.WriteFile(t, filepath.Join(dir, "yes", "a_nohash_0.wav"), audiotest.MonoWAV(t, audiotest.Tone(500, 8000, 1, 0.3), 8000))
	audiotest.WriteFile(t, filepath.Join(dir, "no", "a_nohash_0.wav"), audiotest.MonoWAV(t, []float64{0.1, -0.1, 0.2}, 1))
	audiotest.WriteFile(t, filepath.Join(dir, "up", "a_nohash_0.wav"), audiotest.MonoWAV(t, audiotest.Tone(3000, 16000, 0.01, 0.3), 16000))
	c := DefaultRawSC(dir)
	c.NoCache = true
	_, err := RawSC(c)
	var bad *BadFilesError
	if !errors.As(err, &bad) || len(bad.Files) != 2 {
		t.Fatalf("got %v, want the 1 Hz and the 10 ms file reported", err)
	}
	for _, want := range []string{"no/a_nohash_0.wav: sampled at 1 Hz", "up/a_nohash_0.wav: 10 ms long, shorter than one 25 ms frame"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
	c.SkipBadFiles = true
	for _, cached := range []bool{false, true} { // the check holds for cached features too
		c.NoCache = !cached
		d, err := RawSC(c)
		if err != nil {
			t.Fatal(err)
		}
		if !testContains(d.Warnings, "1 of 12 recordings are sampled below 16000 Hz", "yes/a_nohash_0.wav: 8000 Hz") {
			t.Errorf("cached %v: warnings %q do not name the 8 kHz file", cached, d.Warnings)
		}
		if len(d.Skipped) != 2 {
			t.Errorf("cached %v: skipped %v", cached, d.Skipped)
		}
	}
}

func TestRawSCEmptyWordFolder(t *testing.T) {
	dir := t.TempDir()
	testMakeRawSC(t, dir)
	os.MkdirAll(filepath.Join(dir, "zebra"), 0o755)
	audiotest.WriteFile(t, filepath.Join(dir, "zebra", "notes.txt"), []byte("no audio"))
	c := DefaultRawSC(dir)
	c.NoCache = true
	d, err := RawSC(c)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Classes != 3 || !slices.Equal(d.ClassNames, []string{"no", "up", "yes"}) {
		t.Errorf("classes %v (%d), want the three words with recordings", d.ClassNames, d.Train.Classes)
	}
	if !testContains(d.Warnings, "without WAV files", "zebra") {
		t.Errorf("warnings %q do not name the empty folder", d.Warnings)
	}
}

func TestRawSCSubsetOfTheOfficialLists(t *testing.T) {
	dir := t.TempDir()
	testMakeRawSC(t, dir)
	// Only two of the three words are here; the lists still name all.
	if err := os.RemoveAll(filepath.Join(dir, "up")); err != nil {
		t.Fatal(err)
	}
	c := DefaultRawSC(dir)
	c.NoCache = true
	d, err := RawSC(c)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.ClassNames, []string{"no", "yes"}) || d.Train.Len() != 4 || d.Validation.Len() != 2 || d.Test.Len() != 2 {
		t.Fatalf("classes %v, splits %d/%d/%d; want [no yes] and 4/2/2", d.ClassNames, d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
	for _, list := range []string{"validation_list.txt", "testing_list.txt"} {
		if !testContains(d.Warnings, list+": 1 of 3 entries name words that are not here (up)") {
			t.Errorf("warnings %q do not count the passed-over entries of %s", d.Warnings, list)
		}
	}
}

func TestRawSCFolderAboveAndListForms(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "speech_commands_v0.02")
	testMakeRawSC(t, dir)
	// List entries with a leading folder and ./ still name word/file.wav.
	audiotest.WriteFile(t, filepath.Join(dir, "testing_list.txt"), []byte("speech_commands_v0.02/yes/c_nohash_1.wav\n./no/c_nohash_1.wav\r\nup/c_nohash_1.wav\n"))
	c := DefaultRawSC(parent)
	c.NoCache = true
	d, err := RawSC(c)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 6 || d.Test.Len() != 3 {
		t.Errorf("splits hold %d/%d/%d samples, want 6/3/3", d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
	// Two candidate folders are named rather than guessed between.
	testMakeRawSC(t, filepath.Join(parent, "copy"))
	if _, err := RawSC(c); err == nil || !strings.Contains(err.Error(), "copy, speech_commands_v0.02") {
		t.Errorf("two data folders below Dir: got %v", err)
	}
}

func TestRawHDListEntriesMatchedByBaseName(t *testing.T) {
	root := t.TempDir()
	files := testHDFiles(3)
	testMakeRawHD(t, root, filepath.Join(root, "audio"), files)
	var lines []string
	for _, f := range files[:3] {
		lines = append(lines, "audio/"+f.name)
	}
	audiotest.WriteFile(t, filepath.Join(root, "train_filenames.txt"), []byte(strings.Join(lines, "\n")))
	c := DefaultRawHD(root)
	c.NoCache = true
	c.ValidationFraction = 0
	d, err := RawHD(c)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 3 {
		t.Errorf("train split holds %d samples, want 3", d.Train.Len())
	}
}

func TestLoadHintsNameTheDownloadCommand(t *testing.T) {
	empty := t.TempDir()
	for name, load := range map[string]func() error{
		"rawhd": func() error { _, err := RawHD(DefaultRawHD(empty)); return err },
		"rawsc": func() error { _, err := RawSC(DefaultRawSC(empty)); return err },
	} {
		want := "go run ./cmd/download --dataset " + name + " --dir " + empty
		if err := load(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want a hint %q", name, err, want)
		}
	}
}

func TestLimitDecodesOnlyTheChosenFiles(t *testing.T) {
	dir := t.TempDir()
	testMakeRawSC(t, dir)
	c := DefaultRawSC(dir)
	c.NoCache = true
	c.Limit, c.LimitSeed = 2, 7
	d, n := testLoadSC(t, c)
	if n != 6 {
		t.Errorf("decoded %d files, want 6: two of each split", n)
	}
	if d.Train.Len() != 2 || d.Validation.Len() != 2 || d.Test.Len() != 2 {
		t.Errorf("splits hold %d/%d/%d samples, want 2/2/2", d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
	if !testContains(d.Notes, "limit") {
		t.Errorf("notes %q do not mention the limit", d.Notes)
	}
	again, _ := testLoadSC(t, c)
	if !testSameSamples(d, again) {
		t.Error("the same LimitSeed chose other files")
	}
}

func TestStorageFloat32AndFloat16(t *testing.T) {
	dir := t.TempDir()
	testMakeRawSC(t, dir)
	c := DefaultRawSC(dir)
	c.CacheDir = t.TempDir()
	half, _ := testLoadSC(t, c)
	c.Storage = Float32
	full, n := testLoadSC(t, c)
	if n != 12 {
		t.Errorf("float32 load decoded %d files, want 12: the storage is part of the cache key", n)
	}
	s16, s32 := half.Train.Samples[0].Dense, full.Train.Samples[0].Dense
	if s16.F16 == nil || s32.F32 == nil || s16.Bytes() != 2*100*40 || s32.Bytes() != 4*100*40 {
		t.Fatalf("storage: float16 sample %d bytes, float32 sample %d bytes", s16.Bytes(), s32.Bytes())
	}
	for k := range s32.Len() {
		v, h := s32.At(k), s16.At(k)
		if d := v - h; d > 1.0/1024*max(v, -v) || d < -1.0/1024*max(v, -v) {
			t.Fatalf("value %d: float16 %g against float32 %g", k, h, v)
		}
	}
	if _, err := ParseStorage("float8"); err == nil {
		t.Error("ParseStorage accepted float8")
	}
}

func TestRawHDSpeakerHeldOutValidation(t *testing.T) {
	root := t.TempDir()
	files := testHDFiles(20) // speakers 0–4, four training recordings each
	testMakeRawHD(t, root, filepath.Join(root, "audio"), files)
	c := DefaultRawHD(root)
	c.NoCache, c.Validation, c.ValidationFraction = true, "speakers", 0.2
	d, err := RawHD(c)
	if err != nil {
		t.Fatal(err)
	}
	if d.Validation.Len() != 4 || d.Train.Len() != 16 || !testContains(d.Notes, "no speaker is in both splits") {
		t.Errorf("splits %d/%d, notes %q; want one of five speakers held out: 16/4", d.Train.Len(), d.Validation.Len(), d.Notes)
	}
	// Issue 23, item 16: one speaker is "speaker 3", not "speakers 03".
	if !regexp.MustCompile(`recordings of speaker [1-9]?[0-9];`).MatchString(strings.Join(d.Notes, "\n")) {
		t.Errorf("notes %q; want the held-out speaker named as one, without leading zeros", d.Notes)
	}
	// The random split says, as shd's does, that it shares speakers.
	c.Validation = "random"
	if d, err = RawHD(c); err != nil || !testContains(d.Notes, "whose speakers are also in training") {
		t.Errorf("random validation split: %v, notes %q", err, d.Notes)
	}
	c.Validation = "folds"
	if _, err := RawHD(c); err == nil || !strings.Contains(err.Error(), "Validation") {
		t.Errorf("unknown Validation: got %v", err)
	}
}
