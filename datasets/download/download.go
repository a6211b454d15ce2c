package download

import (
	"cmp"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/sirupsen/logrus"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Official download locations.
const (
	// ZenkeLabBaseURL serves the Spiking Heidelberg Digits, the Spiking
	// Speech Commands and the raw Heidelberg Digits audio.
	ZenkeLabBaseURL = "https://zenkelab.org/datasets/"
	// SpeechCommandsURL serves Speech Commands v0.02.
	SpeechCommandsURL = "https://download.tensorflow.org/data/speech_commands_v0.02.tar.gz"
)

// Options adjusts Fetch. The zero value downloads from the
// official locations and verifies the published checksums.
type Options struct {
	// BaseURL replaces the official server of every data set (a mirror
	// holding the archives under their published file names).
	BaseURL string
	// SpeechCommandsURL replaces the URL of the "rawsc" archive; it takes
	// precedence over BaseURL.
	SpeechCommandsURL string
	// IdleTimeout ends a transfer that receives no data for this long
	// (a server that stalls); 0 means DefaultIdleTimeout. The partial
	// file is kept, and the next Fetch resumes it.
	IdleTimeout time.Duration
	// MaxUnpacked caps the bytes an archive may unpack to; 0 means
	// DefaultMaxUnpacked. An archive also may not unpack to more than
	// MaxRatio times its own size (at least MinRatioCap), which stops a
	// zip bomb long before the cap.
	MaxUnpacked int64
	// Checksums replaces the built-in checksum of an archive, keyed by its
	// file name, as "md5:<hex>" or "sha256:<hex>"; "" means unknown.
	Checksums map[string]string
	// Client makes the requests; nil means http.DefaultClient.
	Client *http.Client
	// Logger receives progress and warnings, notably a Warn record with
	// verified=false for an archive whose checksum is unknown; nil means
	// a logger of logrus's standard one.
	Logger logrus.FieldLogger
	// RemoveArchives deletes each archive once it is unpacked.
	RemoveArchives bool
}

// Defaults of Options.
const (
	DefaultIdleTimeout = time.Minute
	// DefaultMaxUnpacked is far above the largest published archive
	// unpacked (Speech Commands, about 3.8 GB).
	DefaultMaxUnpacked = 32 << 30
	// MaxRatio is the largest unpacked size of an archive over its own:
	// audio and spike files compress by a few times at most.
	MaxRatio = 20
	// MinRatioCap is the least that MaxRatio allows, for small archives.
	MinRatioCap = 16 << 20
)

func (o Options) idleTimeout() time.Duration {
	if o.IdleTimeout > 0 {
		return o.IdleTimeout
	}
	return DefaultIdleTimeout
}

// unpackCap is the most an archive of size bytes may unpack to.
func (o Options) unpackCap(size int64) int64 {
	limit := o.MaxUnpacked
	if limit <= 0 {
		limit = DefaultMaxUnpacked
	}
	return min(limit, max(MaxRatio*size, MinRatioCap))
}

func (o Options) client() *http.Client {
	if o.Client != nil {
		return o.Client
	}
	return http.DefaultClient
}

func (o Options) logger() logrus.FieldLogger {
	if o.Logger != nil {
		return o.Logger
	}
	return logrus.StandardLogger()
}

// archiveFile is one file to fetch, verify and unpack.
type archiveFile struct {
	file string // name of the archive in the target directory
	url  string
	sum  string // "md5:<hex>", "sha256:<hex>" or "" for unknown
}

// Published checksums, by archive. The MD5 sums of the SHD and SSC
// archives are the ones that common loaders (tonic, SpikingJelly) check;
// the SHA-256 of
// Speech Commands v0.02 is the one TensorFlow Datasets and torchaudio check.
// No checksum of hd_audio.tar.gz is known to us, so it is used unverified,
// with a warning.
var checksums = map[string]string{
	"shd_train.h5.zip":             "md5:f3252aeb598ac776c1b526422d90eecb",
	"shd_test.h5.zip":              "md5:1503a5064faa34311c398fb0a1ed0a6f",
	"ssc_train.h5.zip":             "md5:d102be95e7144fcc0553d1f45ba94170",
	"ssc_valid.h5.zip":             "md5:b4eee3516a4a90dd0c71a6ac23a8ae43",
	"ssc_test.h5.zip":              "md5:a35ff1e9cffdd02a20eb850c17c37748",
	"hd_audio.tar.gz":              "",
	"speech_commands_v0.02.tar.gz": "sha256:af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58",
}

// planFor lists the archives of a data set.
func planFor(name string, o Options) ([]archiveFile, error) {
	base := strings.TrimSuffix(cmp.Or(o.BaseURL, ZenkeLabBaseURL), "/") + "/"
	var plan []archiveFile
	switch name {
	case "shd":
		plan = []archiveFile{{file: "shd_train.h5.zip"}, {file: "shd_test.h5.zip"}}
	case "ssc":
		plan = []archiveFile{{file: "ssc_train.h5.zip"}, {file: "ssc_valid.h5.zip"}, {file: "ssc_test.h5.zip"}}
	case "rawhd":
		plan = []archiveFile{{file: "hd_audio.tar.gz"}}
	case "rawsc":
		official := SpeechCommandsURL
		if o.BaseURL != "" {
			official = "" // the mirror's, below
		}
		plan = []archiveFile{{file: "speech_commands_v0.02.tar.gz", url: cmp.Or(o.SpeechCommandsURL, official)}}
	default:
		return nil, fmt.Errorf("download: unknown data set %q (want %s)", name, strings.Join(Datasets, ", "))
	}
	for i, a := range plan {
		if a.url == "" {
			plan[i].url = base + a.file
		}
		sum, ok := o.Checksums[a.file]
		if !ok {
			sum = checksums[a.file]
		}
		plan[i].sum = sum
	}
	return plan, nil
}

// Datasets are the data sets Fetch knows.
var Datasets = []string{"shd", "ssc", "rawhd", "rawsc"}

// Fetch fetches the data set name (one of Datasets) into dir
// and unpacks it there, so that dir can be passed to the data set's loader.
//
// Each archive is first downloaded to <archive>.part. An interrupted
// download keeps that file, and the next call resumes it with an HTTP Range
// request (starting over if the server ignores the range). The complete
// file is checked against the published MD5 or SHA-256 checksum: on a
// mismatch it is deleted and Fetch fails, so a retry starts afresh. Where
// no checksum is known, a warning is logged and the file is used
// unverified. A transfer that receives nothing for Options.IdleTimeout is
// given up, keeping the partial file. Archives are unpacked in place (zip
// for SHD, tar.gz for the audio), refusing entries that would land outside
// dir, skipping symbolic links, copying hard links (with a warning), and
// refusing an archive that unpacks to more than the cap of Options
// (removing the partial file of an entry that could not be written whole).
// A hidden marker file records a finished unpack, so calling Fetch again
// does nothing.
//
// The downloads are large (SHD ≈ 0.5 GB, SSC ≈ 3 GB, RawHD ≈ 0.7 GB,
// Speech Commands ≈ 2.4 GB); ctx cancels them.
func Fetch(ctx context.Context, name, dir string, opts Options) error {
	plan, err := planFor(name, opts)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("download: %w", err)
	}
	for _, a := range plan {
		if err := fetchArchive(ctx, a, dir, opts); err != nil {
			return err
		}
	}
	return nil
}

// fetchArchive fetches, verifies and unpacks one archive.
func fetchArchive(ctx context.Context, a archiveFile, dir string, o Options) error {
	log := o.logger()
	marker := filepath.Join(dir, "."+a.file+".unpacked")
	if _, err := os.Stat(marker); err == nil {
		log.WithFields(logrus.Fields{"file": a.file, "dir": dir}).Info("download: already unpacked")
		return nil
	}
	archive := filepath.Join(dir, a.file)
	if _, err := os.Stat(archive); err != nil {
		log.WithFields(logrus.Fields{"url": a.url, "to": archive}).Info("download: downloading")
		if err := fetchResumable(ctx, o.client(), a.url, archive+".part", o.idleTimeout()); err != nil {
			return err
		}
		if err := verify(archive+".part", a, log); err != nil {
			return err
		}
		if err := os.Rename(archive+".part", archive); err != nil {
			return fmt.Errorf("download: %w", err)
		}
	} else if err := verify(archive, a, log); err != nil {
		return err
	}
	if err := unpackArchive(archive, dir, o, log); err != nil {
		return err
	}
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		return fmt.Errorf("download: %w", err)
	}
	if o.RemoveArchives {
		return os.Remove(archive)
	}
	return nil
}

// verify checks path against the checksum of a. A mismatching file is
// removed.
func verify(path string, a archiveFile, log logrus.FieldLogger) error {
	if a.sum == "" {
		log.WithFields(logrus.Fields{"file": a.file, "url": a.url, "verified": false}).Warn("download: no published checksum; archive not verified")
		return nil
	}
	algo, want, ok := strings.Cut(a.sum, ":")
	var h hash.Hash
	switch {
	case ok && algo == "md5":
		h = md5.New()
	case ok && algo == "sha256":
		h = sha256.New()
	default:
		return fmt.Errorf("download: %s: checksum %q is not md5:<hex> or sha256:<hex>", a.file, a.sum)
	}
	got, err := hashFile(path, h)
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	if !strings.EqualFold(got, want) {
		os.Remove(path)
		return fmt.Errorf("download: %s: %s checksum mismatch: got %s, want %s; the corrupt file was removed, run the download again", a.file, algo, got, want)
	}
	log.WithFields(logrus.Fields{"file": a.file, "algorithm": algo, "verified": true}).Info("download: checksum verified")
	return nil
}

func hashFile(path string, h hash.Hash) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
