package nir

import "testing"

// The values of hashlittle(key, len, 0) printed by the driver in lookup3.c
// and used by HDF5's own checksum tests.
func TestLookup3(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint32
	}{
		{"", 0xdeadbeef},
		{"Four score and seven years ago", 0x17770551},
	} {
		if got := lookup3([]byte(tc.in)); got != tc.want {
			t.Errorf("lookup3(%q) = %#x, want %#x", tc.in, got, tc.want)
		}
	}
}
