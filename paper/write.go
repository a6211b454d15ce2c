package paper

// WriteOptions set what Write states in the README.
type WriteOptions struct {
	Command string // the command that made the results, shown verbatim
}

// Write writes the figures, the table of findings and the README of r
// into r.Out and returns the files written.
func Write(r *Results, o WriteOptions) ([]string, error) {
	return nil, nil
}
