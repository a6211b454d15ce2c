package run

// IDAtNumerics is the ID of s under version numerics of the arithmetic.
func IDAtNumerics(s *Settings, numerics int) string { return s.id(numerics) }
