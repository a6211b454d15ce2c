package download

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"github.com/sirupsen/logrus"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Item 15 of issue 13: a server that stalls after its headers hung the
// command for ever; --base-url was ignored for rawsc; unpacking had no
// size cap and left a partial file after an error; a hard link in an
// archive became an empty file without a word.

// tarGz writes a tar.gz of headers and bodies (a body for each regular file).
func tarGz(t *testing.T, hdrs []*tar.Header, bodies map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(gz)
	for _, h := range hdrs {
		h.ModTime = time.Unix(0, 0)
		if h.Typeflag == tar.TypeReg {
			h.Size, h.Mode = int64(len(bodies[h.Name])), 0o644
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write(bodies[h.Name])
		}
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func TestStalledServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/headers-only/hd_audio.tar.gz" {
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("some bytes"))
			w.(http.Flusher).Flush()
		}
		select { // stall
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	for _, base := range []string{"/headers-only/", "/nothing/"} {
		dir := t.TempDir()
		opts := Options{Logger: testQuiet, BaseURL: srv.URL + base, IdleTimeout: 200 * time.Millisecond}
		start := time.Now()
		err := Fetch(context.Background(), "rawhd", dir, opts)
		if err == nil || !strings.Contains(err.Error(), "sent nothing for 200ms") || !strings.Contains(err.Error(), "run the download again to resume") {
			t.Errorf("%s: %v", base, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: gave up after %v", base, d)
		}
		if base == "/headers-only/" {
			if b, err := os.ReadFile(filepath.Join(dir, "hd_audio.tar.gz.part")); err != nil || string(b) != "some bytes" {
				t.Errorf("the partial download is not kept for resuming: %q %v", b, err)
			}
		}
	}
}

func TestBaseURLServesEveryDataSet(t *testing.T) {
	sc := testTarGz(t, []testEntry{{name: "./yes/a.wav", body: "wav"}})
	sum := sha256.Sum256(sc)
	srv := newTestServer(t, map[string][]byte{"mirror/speech_commands_v0.02.tar.gz": sc})
	dir := t.TempDir()
	opts := Options{Logger: testQuiet, BaseURL: srv.URL + "/mirror/", Checksums: map[string]string{
		"speech_commands_v0.02.tar.gz": "sha256:" + hex.EncodeToString(sum[:])}}
	if err := Fetch(context.Background(), "rawsc", dir, opts); err != nil {
		t.Fatalf("rawsc from the mirror: %v", err)
	}
	if got := testReadFile(t, filepath.Join(dir, "yes/a.wav")); got != "wav" {
		t.Errorf("yes/a.wav holds %q", got)
	}
	plan, _ := planFor("rawsc", Options{})
	if plan[0].url != SpeechCommandsURL {
		t.Errorf("without a mirror rawsc comes from %s", plan[0].url)
	}
}

func TestUnpackingIsCapped(t *testing.T) {
	// 64 MiB of zeros, a few dozen kilobytes packed: a zip bomb.
	bomb := tarGz(t, []*tar.Header{{Name: "ok.txt", Typeflag: tar.TypeReg}, {Name: "bomb.bin", Typeflag: tar.TypeReg}},
		map[string][]byte{"ok.txt": []byte("ok"), "bomb.bin": make([]byte, 64<<20)})
	srv := newTestServer(t, map[string][]byte{"hd_audio.tar.gz": bomb})
	dir := t.TempDir()
	opts := Options{Logger: testQuiet, BaseURL: srv.URL, Checksums: map[string]string{"hd_audio.tar.gz": testMD5(bomb)}}
	err := Fetch(context.Background(), "rawhd", dir, opts)
	if err == nil || !strings.Contains(err.Error(), `entry "bomb.bin": the archive unpacks to more than 16 MiB`) || !strings.Contains(err.Error(), "zip bomb") {
		t.Fatalf("bomb: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bomb.bin")); !os.IsNotExist(err) {
		t.Error("the partial file of the refused entry is still there")
	}
	if _, err := os.Stat(filepath.Join(dir, ".hd_audio.tar.gz.unpacked")); !os.IsNotExist(err) {
		t.Error("a refused archive is marked unpacked")
	}
	// The absolute cap applies to large archives.
	if c := (Options{MaxUnpacked: 1 << 30}).unpackCap(1 << 30); c != 1<<30 {
		t.Errorf("cap of a 1 GiB archive with MaxUnpacked 1 GiB: %d", c)
	}
}

func TestHardLinksAreCopiedWithAWarning(t *testing.T) {
	good := tarGz(t, []*tar.Header{{Name: "audio/a.flac", Typeflag: tar.TypeReg}, {Name: "audio/b.flac", Typeflag: tar.TypeLink, Linkname: "audio/a.flac"}},
		map[string][]byte{"audio/a.flac": []byte("flac bytes")})
	outside := tarGz(t, []*tar.Header{{Name: "b", Typeflag: tar.TypeLink, Linkname: "../../etc/passwd"}}, nil)
	missing := tarGz(t, []*tar.Header{{Name: "b", Typeflag: tar.TypeLink, Linkname: "a"}}, nil)
	for name, c := range map[string]struct {
		archive []byte
		want    string
	}{"good": {good, ""}, "outside": {outside, "outside the archive's folder"}, "missing": {missing, "does not hold before it"}} {
		srv := newTestServer(t, map[string][]byte{"hd_audio.tar.gz": c.archive})
		dir := t.TempDir()
		log := newTestLog()
		opts := Options{Logger: log, BaseURL: srv.URL, Checksums: map[string]string{"hd_audio.tar.gz": testMD5(c.archive)}}
		err := Fetch(context.Background(), "rawhd", dir, opts)
		if c.want != "" {
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want an error saying %q", name, err, c.want)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := testReadFile(t, filepath.Join(dir, "audio/b.flac")); got != "flac bytes" {
			t.Errorf("the hard link holds %q", got)
		}
		warned := false
		for _, e := range log.hook.AllEntries() {
			warned = warned || (e.Level == logrus.WarnLevel && strings.Contains(e.Message, "hard link"))
		}
		if !warned {
			t.Error("no warning for the hard link")
		}
	}
}
