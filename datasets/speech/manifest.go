package speech

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// manifestHeader names the columns of manifest.tsv.
const manifestHeader = "path\tbytes\tsha256"

// MakeManifest returns the manifest of the files in dir: a header and one
// line per file, path (with forward slashes), size in bytes and SHA-256,
// sorted by path. manifest.tsv itself and hidden files and folders (such
// as the feature cache, .spikegrad-cache) are left out.
func MakeManifest(dir string) ([]byte, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			if rel = filepath.ToSlash(rel); rel != ManifestFile {
				paths = append(paths, rel)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("speech: %w", err)
	}
	slices.Sort(paths)
	var b strings.Builder
	b.WriteString(manifestHeader + "\n")
	for _, p := range paths {
		size, sum, err := hashFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%s\t%d\t%s\n", p, size, sum)
	}
	return []byte(b.String()), nil
}

func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", fmt.Errorf("speech: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("speech: %w", err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// ManifestHash returns the SHA-256 of a manifest: one hash for a whole
// stand-in.
func ManifestHash(manifest []byte) string {
	s := sha256.Sum256(manifest)
	return hex.EncodeToString(s[:])
}

// Verify checks the files of dir against its manifest.tsv: an error names
// the files that are missing, differ or are not listed (at most ten of
// each).
func Verify(dir string) error {
	want, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return fmt.Errorf("speech: %w (was the stand-in written to the end?)", err)
	}
	got, err := MakeManifest(dir)
	if err != nil {
		return err
	}
	if string(got) == string(want) {
		return nil
	}
	parse := func(b []byte) map[string]string {
		m := map[string]string{}
		for line := range strings.SplitSeq(strings.TrimSpace(string(b)), "\n") {
			p, rest, _ := strings.Cut(line, "\t")
			if p != "path" {
				m[p] = rest
			}
		}
		return m
	}
	w, g := parse(want), parse(got)
	var missing, changed, extra []string
	for p, v := range w {
		if gv, ok := g[p]; !ok {
			missing = append(missing, p)
		} else if gv != v {
			changed = append(changed, p)
		}
	}
	for p := range g {
		if _, ok := w[p]; !ok {
			extra = append(extra, p)
		}
	}
	var parts []string
	for _, l := range []struct {
		what  string
		paths []string
	}{{"missing", missing}, {"changed", changed}, {"not in the manifest", extra}} {
		if len(l.paths) == 0 {
			continue
		}
		slices.Sort(l.paths)
		n, more := len(l.paths), ""
		if n > 10 {
			more = " and " + strconv.Itoa(len(l.paths)-10) + " more"
			l.paths = l.paths[:10]
		}
		parts = append(parts, fmt.Sprintf("%d %s (%s%s)", n, l.what, strings.Join(l.paths, ", "), more))
	}
	if len(parts) == 0 {
		return fmt.Errorf("speech: %s does not match the files of %s (malformed manifest)", ManifestFile, dir)
	}
	return fmt.Errorf("speech: %s does not match the files: %s", dir, strings.Join(parts, "; "))
}
