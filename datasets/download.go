package datasets

import (
	"archive/tar"
	"archive/zip"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Official download locations.
const (
	// ZenkeLabBaseURL serves the Spiking Heidelberg Digits and the raw
	// Heidelberg Digits audio.
	ZenkeLabBaseURL = "https://zenkelab.org/datasets/"
	// SpeechCommandsURL serves Speech Commands v0.02.
	SpeechCommandsURL = "https://download.tensorflow.org/data/speech_commands_v0.02.tar.gz"
)

// DownloadOptions adjusts Download. The zero value downloads from the
// official locations and verifies the published checksums.
type DownloadOptions struct {
	// BaseURL replaces ZenkeLabBaseURL for "shd" and "rawhd".
	BaseURL string
	// SpeechCommandsURL replaces the official URL for "rawsc".
	SpeechCommandsURL string
	// Checksums replaces the built-in checksum of an archive, keyed by its
	// file name, as "md5:<hex>" or "sha256:<hex>"; "" means unknown.
	Checksums map[string]string
	// Client makes the requests; nil means http.DefaultClient.
	Client *http.Client
	// Logger receives progress and warnings, notably a Warn record with
	// verified=false for an archive whose checksum is unknown; nil means
	// slog.Default().
	Logger *slog.Logger
	// RemoveArchives deletes each archive once it is unpacked.
	RemoveArchives bool
}

func (o DownloadOptions) client() *http.Client {
	if o.Client != nil {
		return o.Client
	}
	return http.DefaultClient
}

func (o DownloadOptions) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}

// dlArchive is one file to fetch, verify and unpack.
type dlArchive struct {
	file string // name of the archive in the target directory
	url  string
	sum  string // "md5:<hex>", "sha256:<hex>" or "" for unknown
}

// Published checksums, by archive. The MD5 sums of the SHD archives are the
// ones that common SHD loaders (tonic, SpikingJelly) check; the SHA-256 of
// Speech Commands v0.02 is the one TensorFlow Datasets and torchaudio check.
// No checksum of hd_audio.tar.gz is known to us, so it is used unverified,
// with a warning.
var dlChecksums = map[string]string{
	"shd_train.h5.zip":             "md5:f3252aeb598ac776c1b526422d90eecb",
	"shd_test.h5.zip":              "md5:1503a5064faa34311c398fb0a1ed0a6f",
	"hd_audio.tar.gz":              "",
	"speech_commands_v0.02.tar.gz": "sha256:af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58",
}

// dlPlan lists the archives of a data set.
func dlPlan(name string, o DownloadOptions) ([]dlArchive, error) {
	base := strings.TrimSuffix(cmp.Or(o.BaseURL, ZenkeLabBaseURL), "/") + "/"
	var plan []dlArchive
	switch name {
	case "shd":
		plan = []dlArchive{{file: "shd_train.h5.zip"}, {file: "shd_test.h5.zip"}}
	case "rawhd":
		plan = []dlArchive{{file: "hd_audio.tar.gz"}}
	case "rawsc":
		plan = []dlArchive{{file: "speech_commands_v0.02.tar.gz", url: cmp.Or(o.SpeechCommandsURL, SpeechCommandsURL)}}
	default:
		return nil, fmt.Errorf("download: unknown data set %q (want shd, rawhd or rawsc)", name)
	}
	for i, a := range plan {
		if a.url == "" {
			plan[i].url = base + a.file
		}
		sum, ok := o.Checksums[a.file]
		if !ok {
			sum = dlChecksums[a.file]
		}
		plan[i].sum = sum
	}
	return plan, nil
}

// Download fetches the data set name ("shd", "rawhd" or "rawsc") into dir
// and unpacks it there, so that dir can be passed to the data set's loader.
//
// Each archive is first downloaded to <archive>.part. An interrupted
// download keeps that file, and the next call resumes it with an HTTP Range
// request (starting over if the server ignores the range). The complete
// file is checked against the published MD5 or SHA-256 checksum: on a
// mismatch it is deleted and Download fails, so a retry starts afresh. Where
// no checksum is known, a warning is logged and the file is used
// unverified. Archives are unpacked in place (zip for SHD, tar.gz for the
// audio), refusing entries that would land outside dir and skipping links.
// A hidden marker file records a finished unpack, so calling Download again
// does nothing.
//
// The downloads are large (SHD ≈ 0.5 GB, RawHD ≈ 0.7 GB, Speech Commands
// ≈ 2.4 GB); ctx cancels them.
func Download(ctx context.Context, name, dir string, opts DownloadOptions) error {
	plan, err := dlPlan(name, opts)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("download: %w", err)
	}
	for _, a := range plan {
		if err := dlArchiveTo(ctx, a, dir, opts); err != nil {
			return err
		}
	}
	return nil
}

// dlArchiveTo fetches, verifies and unpacks one archive.
func dlArchiveTo(ctx context.Context, a dlArchive, dir string, o DownloadOptions) error {
	log := o.logger()
	marker := filepath.Join(dir, "."+a.file+".unpacked")
	if _, err := os.Stat(marker); err == nil {
		log.Info("datasets: already unpacked", "file", a.file, "dir", dir)
		return nil
	}
	archive := filepath.Join(dir, a.file)
	if _, err := os.Stat(archive); err != nil {
		log.Info("datasets: downloading", "url", a.url, "to", archive)
		if err := dlResumable(ctx, o.client(), a.url, archive+".part"); err != nil {
			return err
		}
		if err := dlVerified(archive+".part", a, log); err != nil {
			return err
		}
		if err := os.Rename(archive+".part", archive); err != nil {
			return fmt.Errorf("download: %w", err)
		}
	} else if err := dlVerified(archive, a, log); err != nil {
		return err
	}
	if err := unpackArchive(archive, dir, log); err != nil {
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

// dlResumable downloads url into part, appending to what part already holds.
func dlResumable(ctx context.Context, client *http.Client, url, part string) error {
	var have int64
	if fi, err := os.Stat(part); err == nil {
		have = fi.Size()
	}
	resp, err := dlGet(ctx, client, url, have)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	flag, err := dlOpenMode(resp, have, part)
	if err != nil || flag == 0 {
		return err
	}
	f, err := os.OpenFile(part, flag, 0o644)
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	n, err := io.Copy(f, resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("download: %s interrupted after %d more bytes; %s is kept, call Download again to resume: %w", url, n, part, err)
	}
	return nil
}

// dlGet requests url, from byte offset from on.
func dlGet(ctx context.Context, client *http.Client, url string, from int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	if from > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", from))
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	return resp, nil
}

// dlOpenMode decides, from the response to a request for the bytes after
// the have bytes already in part, how to open part for the body: appending
// for a partial response, truncating for a full one, and not at all (flag
// 0) when part is already complete.
func dlOpenMode(resp *http.Response, have int64, part string) (flag int, err error) {
	cr := resp.Header.Get("Content-Range")
	switch resp.StatusCode {
	case http.StatusPartialContent:
		var start int64
		if _, err := fmt.Sscanf(cr, "bytes %d-", &start); err != nil || start != have {
			return 0, fmt.Errorf("download: %s: server resumed at Content-Range %q, want byte %d", resp.Request.URL, cr, have)
		}
		return os.O_WRONLY | os.O_APPEND, nil
	case http.StatusOK:
		// The server sends the whole file (it may ignore Range): start over.
		return os.O_WRONLY | os.O_CREATE | os.O_TRUNC, nil
	case http.StatusRequestedRangeNotSatisfiable:
		var total int64
		if _, err := fmt.Sscanf(cr, "bytes */%d", &total); err == nil && total == have {
			return 0, nil
		}
		os.Remove(part)
		return 0, fmt.Errorf("download: %s: partial file %s does not fit the server's file (Content-Range %q); removed it, call Download again", resp.Request.URL, part, cr)
	}
	return 0, fmt.Errorf("download: GET %s: %s", resp.Request.URL, resp.Status)
}

// dlVerified checks path against the checksum of a. A mismatching file is
// removed.
func dlVerified(path string, a dlArchive, log *slog.Logger) error {
	if a.sum == "" {
		log.Warn("datasets: no published checksum; archive not verified", "file", a.file, "url", a.url, "verified", false)
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
		return fmt.Errorf("download: %s: %s checksum mismatch: got %s, want %s; the corrupt file was removed, call Download again", a.file, algo, got, want)
	}
	log.Info("datasets: checksum verified", "file", a.file, "algorithm", algo, "verified", true)
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

// unpackArchive extracts a .zip or .tar.gz archive into dir.
func unpackArchive(archive, dir string, log *slog.Logger) error {
	var err error
	switch {
	case strings.HasSuffix(archive, ".zip"):
		err = unpackZip(archive, dir, log)
	case strings.HasSuffix(archive, ".tar.gz"), strings.HasSuffix(archive, ".tgz"):
		err = unpackTarGz(archive, dir, log)
	default:
		err = errors.New("unknown archive type")
	}
	if err != nil {
		return fmt.Errorf("download: unpacking %s: %w", archive, err)
	}
	return nil
}

// unpackTarget returns where entry name of an archive goes inside dir. It
// refuses absolute names and names that climb out of dir with "..".
func unpackTarget(dir, name string) (string, error) {
	local := filepath.FromSlash(name)
	if !filepath.IsLocal(local) {
		return "", fmt.Errorf("entry %q would be written outside %s", name, dir)
	}
	return filepath.Join(dir, local), nil
}

func unpackTarGz(archive, dir string, log *slog.Logger) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := unpackEntry(dir, hdr.Name, hdr.FileInfo().Mode(), tr, log); err != nil {
			return err
		}
	}
}

func unpackZip(archive, dir string, log *slog.Logger) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if err := unpackZipEntry(dir, zf, log); err != nil {
			return err
		}
	}
	return nil
}

func unpackZipEntry(dir string, zf *zip.File, log *slog.Logger) error {
	rc, err := zf.Open()
	if err != nil {
		return fmt.Errorf("entry %q: %w", zf.Name, err)
	}
	defer rc.Close()
	return unpackEntry(dir, zf.Name, zf.Mode(), rc, log)
}

// unpackEntry creates a directory or writes a regular file; links and
// special files are skipped, since the data sets contain none and a link
// could point outside dir.
func unpackEntry(dir, name string, mode os.FileMode, r io.Reader, log *slog.Logger) error {
	target, err := unpackTarget(dir, name)
	if err != nil {
		return err
	}
	switch {
	case mode.IsDir():
		return os.MkdirAll(target, 0o755)
	case !mode.IsRegular():
		log.Warn("datasets: skipping archive entry that is not a regular file", "entry", name, "mode", mode.String())
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	out, err := os.Create(target)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return fmt.Errorf("entry %q: %w", name, err)
	}
	return out.Close()
}
