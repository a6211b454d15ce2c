package download

import (
	"archive/tar"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// The archives of the hostile corpus (../../testdata/hostile/archive),
// which cmd/download's tests serve to the command. Regenerate with
//
//	go test ./datasets/download -run TestHostileArchivesAreCurrent -update
var update = flag.Bool("update", false, "rewrite the archives of the hostile corpus")

const archiveCorpus = "../../testdata/hostile/archive"

func hostileArchives(t *testing.T) map[string][]byte {
	reg := func(name string) *tar.Header { return &tar.Header{Name: name, Typeflag: tar.TypeReg} }
	hd := map[string][]byte{"audio/lang-english_speaker-00_trial-0_digit-1.flac": []byte("flac bytes"),
		"train_filenames.txt": []byte("lang-english_speaker-00_trial-0_digit-1.flac\n")}
	good := tarGz(t, []*tar.Header{reg("audio/lang-english_speaker-00_trial-0_digit-1.flac"), reg("train_filenames.txt")}, hd)
	bomb := tarGz(t, []*tar.Header{reg("audio/zeros.flac")}, map[string][]byte{"audio/zeros.flac": make([]byte, 64<<20)})
	return map[string][]byte{
		"good.tar.gz":     good,
		"zip-bomb.tar.gz": bomb,
		"dotdot.tar.gz":   tarGz(t, []*tar.Header{reg("../../escaped.txt")}, map[string][]byte{"../../escaped.txt": []byte("x")}),
		"absolute.tar.gz": tarGz(t, []*tar.Header{reg("/tmp/spikegrad-absolute.txt")}, map[string][]byte{"/tmp/spikegrad-absolute.txt": []byte("x")}),
		"symlink.tar.gz": tarGz(t, []*tar.Header{{Name: "audio/passwd", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}, reg("train_filenames.txt")},
			map[string][]byte{"train_filenames.txt": []byte("\n")}),
		"hardlink.tar.gz": tarGz(t, []*tar.Header{reg("audio/a.flac"), {Name: "audio/b.flac", Typeflag: tar.TypeLink, Linkname: "audio/a.flac"}},
			map[string][]byte{"audio/a.flac": []byte("flac bytes")}),
		"hardlink-outside.tar.gz": tarGz(t, []*tar.Header{{Name: "audio/b.flac", Typeflag: tar.TypeLink, Linkname: "../../../etc/passwd"}}, nil),
		"truncated.tar.gz":        good[:len(good)/2],
		"not-gzip.tar.gz":         []byte("<html>mirror error page</html>\n"),
	}
}

func TestHostileArchivesAreCurrent(t *testing.T) {
	for name, b := range hostileArchives(t) {
		path := filepath.Join(archiveCorpus, name)
		if *update {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if old, err := os.ReadFile(path); err != nil || !bytes.Equal(old, b) {
			t.Errorf("%s is missing or out of date (%v): go test ./datasets/download -run TestHostileArchivesAreCurrent -update", name, err)
		}
	}
}
