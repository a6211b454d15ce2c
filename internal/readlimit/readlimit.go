package readlimit

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Common limits.
const (
	KiB = 1 << 10
	MiB = 1 << 20
	GiB = 1 << 30

	// Config is the limit of a YAML settings file or sweep file: they
	// are a few kilobytes.
	Config = 1 * MiB
	// Record is the limit of a run record, which grows by about a
	// kilobyte per epoch.
	Record = 64 * MiB
)

// TooLargeError reports a file or stream larger than its limit.
type TooLargeError struct {
	Name  string // the file, or what the stream holds
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s, the limit for this kind of file", e.Name, Size(e.Limit))
}

// ReadFile reads the regular file name (see Open), or fails with a
// *TooLargeError once it has read more than limit bytes. The error names
// the file.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, err := Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > limit {
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	// Files of /proc report size 0: the limit still applies while reading.
	return ReadAll(f, name, limit)
}

// ReadAll reads r to its end, or fails with a *TooLargeError naming name
// once it has read more than limit bytes.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	return b, nil
}

// Reader returns a reader of r that fails with a *TooLargeError naming
// name after limit bytes instead of reading on.
func Reader(r io.Reader, name string, limit int64) io.Reader {
	return &limited{r: r, name: name, left: limit, limit: limit}
}

type limited struct {
	r     io.Reader
	name  string
	left  int64
	limit int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells a stream that ends exactly at the limit
		// from one that goes on.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, &TooLargeError{Name: l.name, Limit: l.limit}
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// IsTooLarge reports whether err is or wraps a *TooLargeError.
func IsTooLarge(err error) bool {
	var t *TooLargeError
	return errors.As(err, &t)
}

// Size formats a byte count for people: 512 B, 1.5 KiB, 20 MiB, 7.7 GiB.
func Size(n int64) string {
	switch {
	case n < KiB:
		return fmt.Sprintf("%d B", n)
	case n < MiB:
		return trim(float64(n)/KiB) + " KiB"
	case n < GiB:
		return trim(float64(n)/MiB) + " MiB"
	case n < 1<<40:
		return trim(float64(n)/GiB) + " GiB"
	}
	return trim(float64(n)/(1<<40)) + " TiB"
}

func trim(x float64) string {
	if x >= 100 {
		return fmt.Sprintf("%.0f", x)
	}
	s := fmt.Sprintf("%.1f", x)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}

// ParseSize reads a byte count with an optional unit: 123, 512K, 1.5GiB,
// 8G, 2TB (K, M, G and T are powers of 1024, with or without "iB" or "B").
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	num := strings.TrimRightFunc(t, unicode.IsLetter)
	unit := strings.ToUpper(strings.TrimSpace(t[len(num):]))
	unit = strings.TrimSuffix(strings.TrimSuffix(unit, "B"), "I")
	mult := map[string]float64{"": 1, "K": KiB, "M": MiB, "G": GiB, "T": 1 << 40}[unit]
	x, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || mult == 0 || !(x >= 0) || x*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("want a size such as 8G, 512M or 1.5GiB, got %q", s)
	}
	return int64(x * mult), nil
}
