package half

import "math"

// ToFloat32 converts an IEEE 754 binary16 (half precision) value, given
// by its bits, to float32, which represents every half value exactly. SHD
// stores its spike times as float16, which Go has no type for.
func ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN, keeping the NaN payload
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	case exp != 0: // normal: rebias the exponent from 15 to 127
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	default: // zero or subnormal: mant · 2^-24, exact in float32
		f := float32(mant) / (1 << 24)
		if sign != 0 {
			f = -f
		}
		return f
	}
}

// FromFloat32 converts f to IEEE 754 binary16 (half precision) bits,
// rounding to nearest with ties to even. Values beyond the largest half
// become infinities; NaNs stay NaNs. It inverts ToFloat32 on every half
// value.
func FromFloat32(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	mant := b & 0x7fffff
	if exp == 0xff { // infinity or NaN, keeping NaNs quiet
		if mant == 0 {
			return sign | 0x7c00
		}
		return sign | 0x7e00 | uint16(mant>>13)
	}
	e := exp - 127 + 15 // half exponent
	switch {
	case e >= 0x1f:
		return sign | 0x7c00
	case e >= 1: // normal: round the 23-bit mantissa to 10 bits; a carry
		// moves into the exponent and, from the largest half, to infinity
		h := sign | uint16(e)<<10 | uint16(mant>>13)
		if rem := mant & 0x1fff; rem > 0x1000 || (rem == 0x1000 && h&1 == 1) {
			h++
		}
		return h
	case e >= -10: // subnormal half k·2^-24; k = 0x400 is the smallest normal
		m := mant | 0x800000
		shift := uint(14 - e)
		k := m >> shift
		if rem, half := m&(1<<shift-1), uint32(1)<<(shift-1); rem > half || (rem == half && k&1 == 1) {
			k++
		}
		return sign | uint16(k)
	}
	return sign // below half the smallest subnormal: zero
}
