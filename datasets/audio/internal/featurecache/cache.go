package featurecache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math"
	"os"
	"path/filepath"
)

// Version changes whenever the decoding, resampling or feature code
// changes what it computes, so that stale entries stop matching.
const Version = 1

// magic starts every cache entry.
var magic = [8]byte{'S', 'G', 'M', 'E', 'L', 0, 0, Version}

// Cache stores the features of audio files on disk, one file per
// recording, so that a second load reads 16 kB per recording instead of
// decoding, resampling and transforming it again.
//
// An entry is named by a SHA-256 of the recording's absolute path, size and
// modification time and of every feature setting (see Key), so a changed
// recording or setting simply misses. Entries are written to a temporary file and renamed
// into place, so readers never see a partial entry, and carry a CRC-32, so a
// damaged entry (say after a crash, since nothing is fsynced) is recomputed.
type Cache struct {
	dir string
}

// Open returns the cache in dir, creating dir if needed.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("featurecache: %w", err)
	}
	return &Cache{dir: dir}, nil
}

// Key identifies the features of the file at path, described by fi, under
// settings, which must describe everything else that the features depend
// on.
func Key(path string, fi fs.FileInfo, settings string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	h := sha256.New()
	fmt.Fprintf(h, "v%d\x00%s\x00%d\x00%d\x00%s", Version, abs, fi.Size(), fi.ModTime().UnixNano(), settings)
	return hex.EncodeToString(h.Sum(nil))
}

// path shards entries over 256 subdirectories to keep directories small.
func (fc *Cache) path(key string) string {
	return filepath.Join(fc.dir, key[:2], key+".mel")
}

// Load returns the cached features for key, or false on a miss or a
// damaged entry.
func (fc *Cache) Load(key string) ([][]float64, bool) {
	b, err := os.ReadFile(fc.path(key))
	if err != nil {
		return nil, false
	}
	feats, err := decodeFeatures(b)
	return feats, err == nil
}

// Store writes the features for key atomically.
func (fc *Cache) Store(key string, feats [][]float64) error {
	dst := fc.path(key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("featurecache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*")
	if err != nil {
		return fmt.Errorf("featurecache: %w", err)
	}
	_, werr := tmp.Write(encodeFeatures(feats))
	cerr := tmp.Close()
	if err := firstCacheErr(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("featurecache: writing %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("featurecache: %w", err)
	}
	return nil
}

// firstCacheErr returns the first non-nil error.
func firstCacheErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// encodeFeatures lays out an entry: magic, frames and filters as uint32,
// the features as float32 row by row, and a CRC-32 of everything before it,
// all little-endian. float32 loses nothing the Events keep.
func encodeFeatures(feats [][]float64) []byte {
	rows, cols := len(feats), 0
	if rows > 0 {
		cols = len(feats[0])
	}
	b := make([]byte, 0, 8+8+4*rows*cols+4)
	b = append(b, magic[:]...)
	b = binary.LittleEndian.AppendUint32(b, uint32(rows))
	b = binary.LittleEndian.AppendUint32(b, uint32(cols))
	for _, row := range feats {
		for _, v := range row {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// decodeFeatures parses an entry written by encodeFeatures.
func decodeFeatures(b []byte) ([][]float64, error) {
	if len(b) < 20 || !bytes.Equal(b[:8], magic[:]) {
		return nil, fmt.Errorf("bad header")
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("bad checksum")
	}
	rows := int(binary.LittleEndian.Uint32(b[8:12]))
	cols := int(binary.LittleEndian.Uint32(b[12:16]))
	data := body[16:]
	if rows < 1 || cols < 1 || len(data)%4 != 0 || len(data)/4%cols != 0 || len(data)/4/cols != rows {
		return nil, fmt.Errorf("bad size")
	}
	back := make([]float64, rows*cols)
	feats := make([][]float64, rows)
	for i := range feats {
		feats[i] = back[i*cols : (i+1)*cols : (i+1)*cols]
	}
	for i := range back {
		back[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:])))
	}
	return feats, nil
}
