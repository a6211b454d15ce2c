package cli

import "strings"

// Repeated is a flag that may be given many times, each value kept in
// order: --set a=1 --set b=2.
type Repeated []string

func (r *Repeated) String() string     { return strings.Join(*r, " ") }
func (r *Repeated) Set(s string) error { *r = append(*r, s); return nil }
