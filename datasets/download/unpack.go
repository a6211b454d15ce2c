package download

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"github.com/sirupsen/logrus"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// unpackArchive extracts a .zip or .tar.gz archive into dir, refusing to
// write more than o's cap for its size.
func unpackArchive(archive, dir string, o Options, log logrus.FieldLogger) error {
	fi, err := os.Stat(archive)
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	u := &unpacker{dir: dir, log: log, left: o.unpackCap(fi.Size()), cap: o.unpackCap(fi.Size()), size: fi.Size()}
	switch {
	case strings.HasSuffix(archive, ".zip"):
		err = u.zip(archive)
	case strings.HasSuffix(archive, ".tar.gz"), strings.HasSuffix(archive, ".tgz"):
		err = u.tarGz(archive)
	default:
		err = errors.New("unknown archive type")
	}
	if err != nil {
		return fmt.Errorf("download: unpacking %s: %w", archive, err)
	}
	return nil
}

// unpacker writes the entries of one archive.
type unpacker struct {
	dir  string
	log  logrus.FieldLogger
	left int64 // bytes the archive may still unpack to
	cap  int64
	size int64 // of the archive
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

func (u *unpacker) tarGz(archive string) error {
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
		if hdr.Typeflag == tar.TypeLink {
			if err := u.hardLink(hdr.Name, hdr.Linkname); err != nil {
				return err
			}
			continue
		}
		if err := u.entry(hdr.Name, hdr.FileInfo().Mode(), tr); err != nil {
			return err
		}
	}
}

func (u *unpacker) zip(archive string) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return fmt.Errorf("entry %q: %w", zf.Name, err)
		}
		err = u.entry(zf.Name, zf.Mode(), rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// entry creates a directory or writes a regular file; symbolic links and
// special files are skipped with a warning, since the data sets contain
// none and a link could point outside dir. A file that cannot be written
// whole (a full disk, the size cap) is removed.
func (u *unpacker) entry(name string, mode os.FileMode, r io.Reader) error {
	target, err := unpackTarget(u.dir, name)
	if err != nil {
		return err
	}
	switch {
	case mode.IsDir():
		return os.MkdirAll(target, 0o755)
	case !mode.IsRegular():
		u.log.WithFields(logrus.Fields{"entry": name, "mode": mode.String()}).Warn("download: skipping archive entry that is not a regular file")
		return nil
	}
	return u.write(name, target, r)
}

func (u *unpacker) write(name, target string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	out, err := os.Create(target)
	if err != nil {
		return err
	}
	n, err := io.Copy(out, readlimit.Reader(r, name, u.left))
	u.left -= n
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(target)
		if readlimit.IsTooLarge(err) {
			return fmt.Errorf("entry %q: the archive unpacks to more than %s, the cap for an archive of %s (%d times its size, at least %s, at most the maximum); refused as a likely zip bomb",
				name, readlimit.Size(u.cap), readlimit.Size(u.size), MaxRatio, readlimit.Size(MinRatioCap))
		}
		return fmt.Errorf("entry %q: %w; the partial file was removed", name, err)
	}
	return nil
}

// hardLink resolves a tar hard link by copying the file it links to,
// which an earlier entry must have unpacked inside dir.
func (u *unpacker) hardLink(name, linkname string) error {
	target, err := unpackTarget(u.dir, name)
	if err != nil {
		return err
	}
	src, err := unpackTarget(u.dir, linkname)
	if err != nil {
		return fmt.Errorf("entry %q is a hard link to %q, outside the archive's folder", name, linkname)
	}
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("entry %q is a hard link to %q, which the archive does not hold before it", name, linkname)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("entry %q is a hard link to %q, which is not a regular file", name, linkname)
	}
	u.log.WithFields(logrus.Fields{"entry": name, "link_to": linkname}).Warn("download: archive entry is a hard link; unpacked as a copy")
	return u.write(name, target, f)
}
