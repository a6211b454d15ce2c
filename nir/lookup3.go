package nir

// lookup3 is Bob Jenkins' hashlittle (lookup3.c, 2006, public domain) with
// an initial value of 0: the checksum HDF5 stores at the end of version 2
// object headers and other metadata blocks (H5_checksum_lookup3).
func lookup3(k []byte) uint32 {
	rot := func(x uint32, k uint) uint32 { return x<<k | x>>(32-k) }
	a := 0xdeadbeef + uint32(len(k))
	b, c := a, a
	word := func(p []byte) uint32 {
		var v uint32
		for i := len(p) - 1; i >= 0; i-- {
			v = v<<8 | uint32(p[i])
		}
		return v
	}
	for len(k) > 12 {
		a += word(k[0:4])
		b += word(k[4:8])
		c += word(k[8:12])
		// mix(a, b, c)
		a -= c
		a ^= rot(c, 4)
		c += b
		b -= a
		b ^= rot(a, 6)
		a += c
		c -= b
		c ^= rot(b, 8)
		b += a
		a -= c
		a ^= rot(c, 16)
		c += b
		b -= a
		b ^= rot(a, 19)
		a += c
		c -= b
		c ^= rot(b, 4)
		b += a
		k = k[12:]
	}
	if len(k) == 0 {
		return c
	}
	// The last 1 to 12 bytes, zero-padded.
	var tail [12]byte
	copy(tail[:], k)
	a += word(tail[0:4])
	b += word(tail[4:8])
	c += word(tail[8:12])
	// final(a, b, c)
	c ^= b
	c -= rot(b, 14)
	a ^= c
	a -= rot(c, 11)
	b ^= a
	b -= rot(a, 25)
	c ^= b
	c -= rot(b, 16)
	a ^= c
	a -= rot(c, 4)
	b ^= a
	b -= rot(a, 14)
	c ^= b
	c -= rot(b, 24)
	return c
}
