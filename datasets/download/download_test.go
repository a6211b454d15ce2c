package download

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/datasets/shd"
	"github.com/spikegrad/spikegrad/datasets/synthetic"
)

// testEntry is one member of a test archive; link marks a symbolic link.
type testEntry struct {
	name, body string
	link       bool
}

func testTarGz(t testing.TB, entries []testEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}
		switch {
		case e.link:
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeSymlink, e.body, 0
		case strings.HasSuffix(e.name, "/"):
			hdr.Typeflag, hdr.Mode = tar.TypeDir, 0o755
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeReg {
			tw.Write([]byte(e.body))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testZip(t testing.TB, entries []testEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testMD5(b []byte) string {
	s := md5.Sum(b)
	return "md5:" + hex.EncodeToString(s[:])
}

// testServer serves files by name with Range support and records the Range
// header of every request. truncateFirst makes the first full request of a
// file send only half its bytes and then drop the connection.
type testServer struct {
	*httptest.Server
	mu            sync.Mutex
	files         map[string][]byte
	ranges        []string
	truncateFirst bool
	truncated     bool
}

func newTestServer(t *testing.T, files map[string][]byte) *testServer {
	s := &testServer{files: files}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *testServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.ranges = append(s.ranges, r.Header.Get("Range"))
	cut := s.truncateFirst && !s.truncated && r.Header.Get("Range") == ""
	if cut {
		s.truncated = true
	}
	b, ok := s.files[strings.TrimPrefix(r.URL.Path, "/")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if cut {
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b[:len(b)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // drop the connection mid-body
	}
	http.ServeContent(w, r, "", time.Unix(0, 0), bytes.NewReader(b))
}

func (s *testServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ranges...)
}

// testQuiet discards the progress records of tests that do not check them.
var testQuiet = func() *logrus.Logger { l := logrus.New(); l.SetOutput(io.Discard); return l }()

// testLog collects log entries.
type testLog struct {
	*logrus.Logger
	hook *logtest.Hook
}

func newTestLog() *testLog {
	l, h := logtest.NewNullLogger()
	return &testLog{l, h}
}

// unverifiedWarnings counts Warn entries with verified=false.
func (h *testLog) unverifiedWarnings() int {
	n := 0
	for _, e := range h.hook.AllEntries() {
		if v, ok := e.Data["verified"].(bool); e.Level == logrus.WarnLevel && ok && !v {
			n++
		}
	}
	return n
}

var testHDArchive = []testEntry{
	{name: "audio/"},
	{name: "audio/lang-english_speaker-00_trial-0_digit-1.flac", body: "flac bytes"},
	{name: "train_filenames.txt", body: "lang-english_speaker-00_trial-0_digit-1.flac\n"},
}

func testReadFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDownloadRawHDUnpacksOnce(t *testing.T) {
	archive := testTarGz(t, testHDArchive)
	srv := newTestServer(t, map[string][]byte{"hd_audio.tar.gz": archive})
	dir := t.TempDir()
	opts := Options{Logger: testQuiet, BaseURL: srv.URL, Checksums: map[string]string{"hd_audio.tar.gz": testMD5(archive)}}
	for range 2 {
		if err := Fetch(context.Background(), "rawhd", dir, opts); err != nil {
			t.Fatal(err)
		}
	}
	if got := testReadFile(t, filepath.Join(dir, "audio", "lang-english_speaker-00_trial-0_digit-1.flac")); got != "flac bytes" {
		t.Errorf("unpacked file holds %q", got)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("made %d requests, want 1: the second call should find the data unpacked", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "hd_audio.tar.gz.part")); err == nil {
		t.Error("partial file left behind")
	}
}

func TestDownloadUnknownChecksumWarns(t *testing.T) {
	archive := testTarGz(t, testHDArchive)
	srv := newTestServer(t, map[string][]byte{"hd_audio.tar.gz": archive})
	log := newTestLog()
	opts := Options{BaseURL: srv.URL + "/", Logger: log, RemoveArchives: true}
	dir := t.TempDir()
	if err := Fetch(context.Background(), "rawhd", dir, opts); err != nil {
		t.Fatal(err)
	}
	if n := log.unverifiedWarnings(); n != 1 {
		t.Errorf("got %d warnings with verified=false, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "hd_audio.tar.gz")); err == nil {
		t.Error("RemoveArchives kept the archive")
	}
}

func TestDownloadResumesTruncatedTransfer(t *testing.T) {
	archive := testTarGz(t, append(testHDArchive, testEntry{name: "big.bin", body: strings.Repeat("spikegrad", 5000)}))
	srv := newTestServer(t, map[string][]byte{"hd_audio.tar.gz": archive})
	srv.truncateFirst = true
	dir := t.TempDir()
	opts := Options{Logger: testQuiet, BaseURL: srv.URL, Checksums: map[string]string{"hd_audio.tar.gz": testMD5(archive)}}

	err := Fetch(context.Background(), "rawhd", dir, opts)
	if err == nil || !strings.Contains(err.Error(), "resume") {
		t.Fatalf("first call: got %v, want an interrupted download", err)
	}
	part, statErr := os.Stat(filepath.Join(dir, "hd_audio.tar.gz.part"))
	if statErr != nil || part.Size() == 0 || part.Size() >= int64(len(archive)) {
		t.Fatalf("partial file: %v, %v", part, statErr)
	}
	if err := Fetch(context.Background(), "rawhd", dir, opts); err != nil {
		t.Fatalf("second call: %v", err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || reqs[1] != "bytes="+strconv.FormatInt(part.Size(), 10)+"-" {
		t.Errorf("requests had Range headers %q, want a resume from byte %d", reqs, part.Size())
	}
	if got := testReadFile(t, filepath.Join(dir, "big.bin")); got != strings.Repeat("spikegrad", 5000) {
		t.Error("resumed archive unpacked wrongly")
	}
}

func TestDownloadCompletePartAndIgnoredRange(t *testing.T) {
	archive := testTarGz(t, testHDArchive)
	opts := func(url string) Options {
		return Options{Logger: testQuiet, BaseURL: url, Checksums: map[string]string{"hd_audio.tar.gz": testMD5(archive)}}
	}
	// A .part that already holds the whole file: the server answers 416.
	srv := newTestServer(t, map[string][]byte{"hd_audio.tar.gz": archive})
	dir := t.TempDir()
	testWriteFile(t, filepath.Join(dir, "hd_audio.tar.gz.part"), archive)
	if err := Fetch(context.Background(), "rawhd", dir, opts(srv.URL)); err != nil {
		t.Fatalf("complete part: %v", err)
	}
	// A .part longer than the file cannot be resumed: it is removed.
	dir = t.TempDir()
	testWriteFile(t, filepath.Join(dir, "hd_audio.tar.gz.part"), append(bytes.Clone(archive), "junk"...))
	if err := Fetch(context.Background(), "rawhd", dir, opts(srv.URL)); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Fatalf("overlong part: got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "hd_audio.tar.gz.part")); err == nil {
		t.Error("overlong part kept")
	}
	// A server that ignores Range and sends everything: start over.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(archive) }))
	defer plain.Close()
	dir = t.TempDir()
	testWriteFile(t, filepath.Join(dir, "hd_audio.tar.gz.part"), []byte("stale prefix"))
	if err := Fetch(context.Background(), "rawhd", dir, opts(plain.URL)); err != nil {
		t.Fatalf("range ignored: %v", err)
	}
}

func TestDownloadChecksumMismatchRemovesFile(t *testing.T) {
	archive := testTarGz(t, testHDArchive)
	corrupt := bytes.Clone(archive)
	corrupt[len(corrupt)/2] ^= 0xff
	srv := newTestServer(t, map[string][]byte{"hd_audio.tar.gz": corrupt})
	dir := t.TempDir()
	opts := Options{Logger: testQuiet, BaseURL: srv.URL, Checksums: map[string]string{"hd_audio.tar.gz": testMD5(archive)}}
	err := Fetch(context.Background(), "rawhd", dir, opts)
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Fatalf("got %v, want a checksum mismatch", err)
	}
	for _, f := range []string{"hd_audio.tar.gz", "hd_audio.tar.gz.part", "train_filenames.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s exists after a failed check", f)
		}
	}
	// A corrupt archive already in place is caught and removed too.
	testWriteFile(t, filepath.Join(dir, "hd_audio.tar.gz"), corrupt)
	if err := Fetch(context.Background(), "rawhd", dir, opts); err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Fatalf("existing corrupt archive: got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "hd_audio.tar.gz")); err == nil {
		t.Error("corrupt archive kept")
	}
}

func TestDownloadSHDZipAndRawSCSHA256(t *testing.T) {
	train := testZip(t, []testEntry{{name: "shd_train.h5", body: "train"}})
	test := testZip(t, []testEntry{{name: "shd_test.h5", body: "test"}})
	sc := testTarGz(t, []testEntry{{name: "./yes/a.wav", body: "wav"}, {name: "./validation_list.txt", body: "yes/a.wav\n"}})
	sum := sha256.Sum256(sc)
	srv := newTestServer(t, map[string][]byte{"shd_train.h5.zip": train, "shd_test.h5.zip": test, "sc/v2.tar.gz": sc})
	dir := t.TempDir()
	opts := Options{Logger: testQuiet, BaseURL: srv.URL, SpeechCommandsURL: srv.URL + "/sc/v2.tar.gz", Checksums: map[string]string{
		"shd_train.h5.zip":             testMD5(train),
		"shd_test.h5.zip":              testMD5(test),
		"speech_commands_v0.02.tar.gz": "sha256:" + hex.EncodeToString(sum[:]),
	}}
	for _, name := range []string{"shd", "rawsc"} {
		if err := Fetch(context.Background(), name, dir, opts); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for f, want := range map[string]string{"shd_train.h5": "train", "shd_test.h5": "test", "yes/a.wav": "wav"} {
		if got := testReadFile(t, filepath.Join(dir, f)); got != want {
			t.Errorf("%s holds %q, want %q", f, got, want)
		}
	}
	// The built-in SHD checksums reject these test archives.
	opts.Checksums = nil
	if err := Fetch(context.Background(), "shd", t.TempDir(), opts); err == nil || !strings.Contains(err.Error(), "f3252aeb598ac776c1b526422d90eecb") {
		t.Errorf("built-in checksum: got %v", err)
	}
}

func TestDownloadSSC(t *testing.T) {
	// Real SSC files, zipped as published, unpack into a folder that the
	// loader reads.
	src := t.TempDir()
	if err := synthetic.WriteSSC(src, 35, 35, 35, 1); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	sums := map[string]string{}
	for _, part := range []string{"train", "valid", "test"} {
		name := "ssc_" + part + ".h5"
		zipped := testZip(t, []testEntry{{name: name, body: testReadFile(t, filepath.Join(src, name))}})
		files[name+".zip"], sums[name+".zip"] = zipped, testMD5(zipped)
	}
	srv := newTestServer(t, files)
	dir := t.TempDir()
	if err := Fetch(context.Background(), "ssc", dir, Options{Logger: testQuiet, BaseURL: srv.URL, Checksums: sums}); err != nil {
		t.Fatal(err)
	}
	c := shd.DefaultSSC()
	c.Dir = dir
	if d, err := shd.Load(c); err != nil || d.Validation.Len() != 35 {
		t.Fatalf("loading the download: %v", err)
	}
	// The published checksums reject these archives, naming the expected
	// sum of the first.
	err := Fetch(context.Background(), "ssc", t.TempDir(), Options{Logger: testQuiet, BaseURL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "d102be95e7144fcc0553d1f45ba94170") {
		t.Errorf("built-in checksum: got %v", err)
	}
}

func TestDownloadRefusesPathTraversal(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "data")
	tgz := testTarGz(t, []testEntry{{name: "ok.txt", body: "ok"}, {name: "../evil.txt", body: "evil"}})
	srv := newTestServer(t, map[string][]byte{
		"hd_audio.tar.gz":  tgz,
		"shd_train.h5.zip": testZip(t, []testEntry{{name: "../../evil-zip.txt", body: "evil"}}),
	})
	opts := Options{BaseURL: srv.URL, Checksums: map[string]string{"hd_audio.tar.gz": testMD5(tgz), "shd_train.h5.zip": ""}, Logger: newTestLog()}
	for _, name := range []string{"rawhd", "shd"} {
		if err := Fetch(context.Background(), name, dir, opts); err == nil || !strings.Contains(err.Error(), "outside") {
			t.Errorf("%s: got %v, want a refused entry", name, err)
		}
	}
	for _, f := range []string{filepath.Join(parent, "evil.txt"), filepath.Join(filepath.Dir(parent), "evil-zip.txt")} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s was written", f)
		}
	}
	for _, name := range []string{"/tmp/spikegrad-abs.txt", "a/../../b", ""} {
		if _, err := unpackTarget(dir, name); err == nil {
			t.Errorf("entry %q accepted", name)
		}
	}
}

func TestDownloadSkipsLinks(t *testing.T) {
	tgz := testTarGz(t, []testEntry{{name: "link", body: "/etc/passwd", link: true}, {name: "f.txt", body: "x"}})
	srv := newTestServer(t, map[string][]byte{"hd_audio.tar.gz": tgz})
	dir := t.TempDir()
	log := newTestLog()
	opts := Options{BaseURL: srv.URL, Checksums: map[string]string{"hd_audio.tar.gz": testMD5(tgz)}, Logger: log}
	if err := Fetch(context.Background(), "rawhd", dir, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "link")); err == nil {
		t.Error("symbolic link was created")
	}
}

func TestDownloadErrors(t *testing.T) {
	srv := newTestServer(t, nil)
	opts := Options{Logger: testQuiet, BaseURL: srv.URL}
	if err := Fetch(context.Background(), "mnist", t.TempDir(), opts); err == nil || !strings.Contains(err.Error(), "unknown data set") {
		t.Errorf("unknown name: got %v", err)
	}
	dir := t.TempDir()
	if err := Fetch(context.Background(), "rawhd", dir, opts); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing file: got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "hd_audio.tar.gz.part")); err == nil {
		t.Error("a failed request left a partial file")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Fetch(ctx, "rawhd", t.TempDir(), opts); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Errorf("cancelled context: got %v", err)
	}
	bad := Options{Logger: testQuiet, BaseURL: srv.URL, Checksums: map[string]string{"hd_audio.tar.gz": "crc:1234"}}
	srv.mu.Lock()
	srv.files = map[string][]byte{"hd_audio.tar.gz": testTarGz(t, testHDArchive)}
	srv.mu.Unlock()
	if err := Fetch(context.Background(), "rawhd", t.TempDir(), bad); err == nil || !strings.Contains(err.Error(), "crc:1234") {
		t.Errorf("malformed checksum: got %v", err)
	}
}

// testWriteFile writes b to path, creating its directory.
func testWriteFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
