// Package pngtest holds the check the drawing packages' tests share: that
// a file they wrote is a PNG of a useful size.
package pngtest

import (
	"image/png"
	"os"
	"testing"
)

// Decodes fails t unless path is a PNG at least minW pixels wide.
func Decodes(t *testing.T, path string, minW int) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil || img.Bounds().Dx() < minW {
		t.Fatalf("%s: %v, %v", path, err, img)
	}
}
