package nearest

import "testing"

func TestName(t *testing.T) {
	names := []string{"hidden", "epochs", "beta", "batch", "reg-upper-threshold", "scale"}
	for _, c := range []struct{ in, want string }{
		{"hiden", "hidden"}, {"EPOCHS", "epochs"}, {"betta", "beta"}, {"bach", "batch"},
		{"reg-upper-treshold", "reg-upper-threshold"}, {"sacle", "scale"},
		{"colour", ""}, {"", ""}, {"x", ""},
	} {
		got, ok := Name(c.in, names)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("Name(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"kitten", "sitting", 3}, {"beta", "betta", 1}, {"sacle", "scale", 2}} {
		if d := editDistance(c.a, c.b); d != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, d, c.d)
		}
	}
}
