package download

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

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
		log.Warn("download: skipping archive entry that is not a regular file", "entry", name, "mode", mode.String())
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
