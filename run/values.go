package run

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// value is one setting's storage: a flag.Value that can also be read from
// and written to YAML.
type value interface {
	flag.Value
	decode(n *yaml.Node) error
	encode() any
}

type stringValue string

func (v *stringValue) String() string     { return string(*v) }
func (v *stringValue) Set(s string) error { *v = stringValue(s); return nil }
func (v *stringValue) encode() any        { return string(*v) }
func (v *stringValue) decode(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return fmt.Errorf("want a string")
	}
	*v = stringValue(n.Value)
	return nil
}

type intValue int

func (v *intValue) String() string { return strconv.Itoa(int(*v)) }
func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("want an integer, got %q", s)
	}
	*v = intValue(n)
	return nil
}
func (v *intValue) encode() any               { return int(*v) }
func (v *intValue) decode(n *yaml.Node) error { return decodeScalar(n, "!!int", v) }

type uint64Value uint64

func (v *uint64Value) String() string { return strconv.FormatUint(uint64(*v), 10) }
func (v *uint64Value) Set(s string) error {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return fmt.Errorf("want a non-negative integer, got %q", s)
	}
	*v = uint64Value(n)
	return nil
}
func (v *uint64Value) encode() any               { return uint64(*v) }
func (v *uint64Value) decode(n *yaml.Node) error { return decodeScalar(n, "!!int", v) }

type floatValue float64

func (v *floatValue) String() string { return strconv.FormatFloat(float64(*v), 'g', -1, 64) }
func (v *floatValue) Set(s string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return fmt.Errorf("want a number, got %q", s)
	}
	*v = floatValue(f)
	return nil
}
func (v *floatValue) encode() any { return float64(*v) }
func (v *floatValue) decode(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!float" && n.Tag != "!!int") {
		return fmt.Errorf("want a number, got %q", n.Value)
	}
	return v.Set(n.Value)
}

type boolValue bool

func (v *boolValue) String() string { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("want true or false, got %q", s)
	}
	*v = boolValue(b)
	return nil
}
func (v *boolValue) IsBoolFlag() bool          { return true }
func (v *boolValue) encode() any               { return bool(*v) }
func (v *boolValue) decode(n *yaml.Node) error { return decodeScalar(n, "!!bool", v) }

// decodeScalar accepts a YAML scalar of the given tag and parses it with Set.
func decodeScalar(n *yaml.Node, tag string, v flag.Value) error {
	if n.Kind != yaml.ScalarNode || n.Tag != tag {
		return fmt.Errorf("want %s, got %q", strings.TrimPrefix(tag, "!!"), n.Value)
	}
	return v.Set(n.Value)
}

type intsValue []int

func (v *intsValue) String() string {
	parts := make([]string, len(*v))
	for i, n := range *v {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

func (v *intsValue) Set(s string) error {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" || s == "none" {
		*v = nil
		return nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("want comma-separated positive sizes, got %q", s)
		}
		out = append(out, n)
	}
	*v = out
	return nil
}

func (v *intsValue) encode() any { return append([]int{}, *v...) }

func (v *intsValue) decode(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		return v.Set(n.Value)
	case yaml.SequenceNode:
		var out []int
		for _, e := range n.Content {
			var x intValue
			if err := decodeScalar(e, "!!int", &x); err != nil || x < 1 {
				return fmt.Errorf("want a list of positive sizes, got %q", e.Value)
			}
			out = append(out, int(x))
		}
		*v = out
		return nil
	}
	return fmt.Errorf("want a list of layer sizes")
}

// sizeValue is a byte count, written with a unit (8G, 512M).
type sizeValue int64

func (v *sizeValue) String() string {
	n := int64(*v)
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if n != 0 && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func (v *sizeValue) Set(s string) error {
	n, err := readlimit.ParseSize(s)
	if err != nil {
		return err
	}
	*v = sizeValue(n)
	return nil
}

func (v *sizeValue) encode() any { return v.String() }

func (v *sizeValue) decode(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int") {
		return fmt.Errorf("want a size such as 8G, got %q", n.Value)
	}
	return v.Set(n.Value)
}
