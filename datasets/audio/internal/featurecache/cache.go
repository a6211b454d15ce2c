package featurecache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// Version changes whenever the decoding, resampling or feature code
// changes what it computes, or the entry layout changes, so that stale
// entries stop matching.
const Version = 2

// magic starts every cache entry.
var magic = [8]byte{'S', 'G', 'M', 'E', 'L', 0, 0, Version}

// File and directory modes. The process umask applies on top, so with
// the usual umask 022 other users of a shared cache can read every entry.
const (
	fileMode = 0o644
	dirMode  = 0o755
)

// Element types of an entry's values.
const (
	dtypeF32 = 1
	dtypeF16 = 2
)

// Entry is what the cache keeps for one recording: a Rows×Cols feature
// matrix, row-major, as float32 (F32) or half-precision bits (F16), and
// the sample rate and length of the recording it was computed from, so
// that a cached load can check the recording as a decoding load does.
type Entry struct {
	Rate    int // Hz
	Samples int // at Rate
	Rows    int
	Cols    int
	F32     []float32
	F16     []uint16
	// Set and Name say where the entry came from (such as "rawsc" and
	// "yes/0a7c2a8d_nohash_0.wav"), for List.
	Set, Name string
}

// Cache stores the features of audio files on disk, one file per
// recording, so that a second load reads a few kilobytes per recording
// instead of decoding, resampling and transforming it again.
//
// An entry is named by a SHA-256 of its Key: the data set, the
// recording's name relative to the data folder, its size and
// modification time, and every feature setting. A changed recording or
// setting simply misses, while a data folder that is moved or mounted
// elsewhere keeps its entries. Entries are written to a temporary file
// and renamed into place, so readers never see a partial entry, and carry
// a CRC-32, so a damaged entry (say after a crash, since nothing is
// fsynced) is recomputed. A hit refreshes the entry's modification time
// at most once a day, which is what Prune goes by.
type Cache struct {
	dir string
}

// Open returns the cache in dir, creating dir if needed.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("featurecache: %w", err)
	}
	return &Cache{dir: dir}, nil
}

// Dir returns the cache's directory.
func (fc *Cache) Dir() string { return fc.dir }

// Writable reports, by creating and removing a file in it, whether entries
// can be written into dir, which it creates if needed. Unlike a look at
// the permission bits this also sees read-only mounts, and is right for
// root.
func Writable(dir string) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return err
	}
	f, err := createTemp(dir)
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Key identifies the features of recording name (relative to the data
// folder, with forward slashes) of data set set, whose file has the given
// size and modification time, under settings, which must describe
// everything else that the features depend on.
func Key(set, name string, size int64, mtime time.Time, settings string) string {
	h := sha256.New()
	fmt.Fprintf(h, "v%d\x00%s\x00%s\x00%d\x00%d\x00%s", Version, set, name, size, mtime.UnixNano(), settings)
	return hex.EncodeToString(h.Sum(nil))
}

// path shards entries over 256 subdirectories to keep directories small.
func (fc *Cache) path(key string) string {
	return filepath.Join(fc.dir, key[:2], key+entrySuffix)
}

const (
	entrySuffix = ".mel"
	tempPrefix  = ".tmp-"
	// touchAfter is how old an entry's modification time may grow before
	// a hit refreshes it.
	touchAfter = 24 * time.Hour
)

// Load returns the cached entry for key, or false on a miss or a damaged
// entry.
func (fc *Cache) Load(key string) (Entry, bool) {
	p := fc.path(key)
	b, err := os.ReadFile(p)
	if err != nil {
		return Entry{}, false
	}
	e, err := decodeEntry(b)
	if err != nil {
		return Entry{}, false
	}
	if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > touchAfter {
		now := time.Now()
		os.Chtimes(p, now, now) // best effort: the cache may be read-only
	}
	return e, true
}

// Store writes the entry for key atomically.
func (fc *Cache) Store(key string, e Entry) error {
	b, err := encodeEntry(e)
	if err != nil {
		return err
	}
	dst := fc.path(key)
	if err := os.MkdirAll(filepath.Dir(dst), dirMode); err != nil {
		return fmt.Errorf("featurecache: %w", err)
	}
	tmp, err := createTemp(filepath.Dir(dst))
	if err != nil {
		return fmt.Errorf("featurecache: %w", err)
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("featurecache: writing %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("featurecache: %w", err)
	}
	return nil
}

// createTemp creates a new temporary file in dir with mode fileMode less
// the umask. (os.CreateTemp would make it 0600, unreadable to the other
// users of a shared cache.)
func createTemp(dir string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, fmt.Sprintf("%s%016x", tempPrefix, rand.Uint64()))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("featurecache: no free temporary file name in %s", dir)
}

// Entry layout, little-endian: magic; element type (uint8) and three
// zero bytes; rate (uint32); samples (uint64); rows and cols (uint32);
// the lengths (uint16) and bytes of Set and Name; the values row by row;
// a CRC-32 of everything before it.
const fixedHeader = 8 + 4 + 4 + 8 + 4 + 4

// encodeEntry lays out an entry.
func encodeEntry(e Entry) ([]byte, error) {
	n := e.Rows * e.Cols
	dtype, width := dtypeF32, 4
	if e.F16 != nil {
		dtype, width = dtypeF16, 2
	}
	if e.Rows < 1 || e.Cols < 1 || len(e.F32)+len(e.F16) != n || (e.F32 != nil && e.F16 != nil) ||
		e.Rate < 0 || e.Samples < 0 || uint64(e.Rate) > math.MaxUint32 || uint64(e.Rows) > math.MaxUint32 ||
		uint64(e.Cols) > math.MaxUint32 || len(e.Set) > math.MaxUint16 || len(e.Name) > math.MaxUint16 {
		return nil, fmt.Errorf("featurecache: malformed entry (%d×%d, %d float32 and %d float16 values)", e.Rows, e.Cols, len(e.F32), len(e.F16))
	}
	b := make([]byte, 0, fixedHeader+4+len(e.Set)+len(e.Name)+width*n+4)
	b = append(b, magic[:]...)
	b = append(b, byte(dtype), 0, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(e.Rate))
	b = binary.LittleEndian.AppendUint64(b, uint64(e.Samples))
	b = binary.LittleEndian.AppendUint32(b, uint32(e.Rows))
	b = binary.LittleEndian.AppendUint32(b, uint32(e.Cols))
	for _, s := range []string{e.Set, e.Name} {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(s)))
		b = append(b, s...)
	}
	for _, v := range e.F32 {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	for _, v := range e.F16 {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

// header is the part of an entry before its values.
type header struct {
	dtype              byte
	rate, rows, cols   int
	samples            uint64
	set, name          string
	valuesAt, valueLen int
}

// parseHeader reads the header of an entry from b, which may hold just a
// prefix of the entry.
func parseHeader(b []byte) (header, error) {
	var h header
	if len(b) < fixedHeader || !bytes.Equal(b[:8], magic[:]) {
		return h, errors.New("bad header")
	}
	h.dtype = b[8]
	h.rate = int(binary.LittleEndian.Uint32(b[12:]))
	h.samples = binary.LittleEndian.Uint64(b[16:])
	h.rows = int(binary.LittleEndian.Uint32(b[24:]))
	h.cols = int(binary.LittleEndian.Uint32(b[28:]))
	pos := fixedHeader
	for _, dst := range []*string{&h.set, &h.name} {
		if len(b) < pos+2 {
			return h, errors.New("bad header")
		}
		n := int(binary.LittleEndian.Uint16(b[pos:]))
		pos += 2
		if len(b) < pos+n {
			return h, errors.New("bad header")
		}
		*dst = string(b[pos : pos+n])
		pos += n
	}
	switch h.dtype {
	case dtypeF32:
		h.valueLen = 4
	case dtypeF16:
		h.valueLen = 2
	default:
		return h, errors.New("bad element type")
	}
	h.valuesAt = pos
	return h, nil
}

// decodeEntry parses an entry written by encodeEntry.
func decodeEntry(b []byte) (Entry, error) {
	if len(b) < 4 {
		return Entry{}, errors.New("bad size")
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	h, err := parseHeader(body)
	if err != nil {
		return Entry{}, err
	}
	if crc32.ChecksumIEEE(body) != sum {
		return Entry{}, errors.New("bad checksum")
	}
	data := body[h.valuesAt:]
	if h.rows < 1 || h.cols < 1 || len(data)%h.valueLen != 0 || len(data)/h.valueLen%h.cols != 0 || len(data)/h.valueLen/h.cols != h.rows ||
		h.samples > math.MaxInt32 {
		return Entry{}, errors.New("bad size")
	}
	e := Entry{Rate: h.rate, Samples: int(h.samples), Rows: h.rows, Cols: h.cols, Set: h.set, Name: h.name}
	n := h.rows * h.cols
	if h.dtype == dtypeF16 {
		e.F16 = make([]uint16, n)
		for i := range e.F16 {
			e.F16[i] = binary.LittleEndian.Uint16(data[2*i:])
		}
	} else {
		e.F32 = make([]float32, n)
		for i := range e.F32 {
			e.F32[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
		}
	}
	return e, nil
}

// Summary describes the content of a cache directory.
type Summary struct {
	Dir     string
	Entries int
	Bytes   int64
	// Oldest and Newest are the earliest and latest modification times
	// of the entries: when they were written or last used.
	Oldest, Newest time.Time
	// BySet counts the entries of each data set; entries of an older
	// version of the cache count under "(old)" and unreadable ones under
	// "(damaged)".
	BySet map[string]int
	// Temporary counts the temporary files of interrupted writes.
	Temporary int
}

// List summarises the cache in dir. It reads the header of every entry.
func List(dir string) (Summary, error) {
	s := Summary{Dir: dir, BySet: map[string]int{}}
	err := walk(dir, func(path string, fi fs.FileInfo, temp bool) error {
		if temp {
			s.Temporary++
			return nil
		}
		s.Entries++
		s.Bytes += fi.Size()
		if t := fi.ModTime(); s.Oldest.IsZero() || t.Before(s.Oldest) {
			s.Oldest = t
		}
		if t := fi.ModTime(); t.After(s.Newest) {
			s.Newest = t
		}
		s.BySet[entrySet(path)]++
		return nil
	})
	return s, err
}

// entrySet reads the data set name from the header of the entry at path.
func entrySet(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "(damaged)"
	}
	defer f.Close()
	buf := make([]byte, fixedHeader+2+math.MaxUint8)
	n, _ := io.ReadFull(f, buf)
	buf = buf[:n]
	if len(buf) >= 8 && bytes.Equal(buf[:7], magic[:7]) && buf[7] != Version {
		return "(old)"
	}
	if len(buf) < fixedHeader+2 || !bytes.Equal(buf[:8], magic[:]) {
		return "(damaged)"
	}
	l := int(binary.LittleEndian.Uint16(buf[fixedHeader:]))
	if len(buf) < fixedHeader+2+l {
		return "(damaged)"
	}
	return string(buf[fixedHeader+2 : fixedHeader+2+l])
}

// Prune removes the entries of the cache in dir that were last written or
// used before the given time, and temporary files over an hour old. It
// touches nothing but files named like the cache's entries and temporary
// files inside its two-hex-digit shard directories, so pointing it at the
// wrong directory removes nothing else; shard directories it empties are
// removed too. It returns the number of entries removed and the bytes
// freed.
func Prune(dir string, before time.Time) (removed int, freed int64, err error) {
	stale := time.Now().Add(-time.Hour)
	shards := map[string]bool{}
	err = walk(dir, func(path string, fi fs.FileInfo, temp bool) error {
		cut := before
		if temp {
			cut = stale
		}
		if !fi.ModTime().Before(cut) {
			return nil
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if !temp {
			removed++
			freed += fi.Size()
		}
		shards[filepath.Dir(path)] = true
		return nil
	})
	for shard := range shards {
		os.Remove(shard) // fails, as it should, unless empty
	}
	return removed, freed, err
}

// walk calls fn for every entry and temporary file of the cache in dir.
func walk(dir string, fn func(path string, fi fs.FileInfo, temp bool) error) error {
	shards, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("featurecache: %w", err)
	}
	for _, sh := range shards {
		if !sh.IsDir() || !isHex(sh.Name(), 2) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, sh.Name()))
		if err != nil {
			return fmt.Errorf("featurecache: %w", err)
		}
		for _, f := range files {
			name := f.Name()
			temp := len(name) == len(tempPrefix)+16 && name[:len(tempPrefix)] == tempPrefix && isHex(name[len(tempPrefix):], 16)
			entry := len(name) == 64+len(entrySuffix) && name[64:] == entrySuffix && isHex(name[:64], 64) && name[:2] == sh.Name()
			if !f.Type().IsRegular() || !(temp || entry) {
				continue
			}
			fi, err := f.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return fmt.Errorf("featurecache: %w", err)
			}
			if err := fn(filepath.Join(dir, sh.Name(), name), fi, temp); err != nil {
				return fmt.Errorf("featurecache: %w", err)
			}
		}
	}
	return nil
}

// isHex reports whether s consists of n lower-case hexadecimal digits.
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}
