package speech

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// Tools are the programs the stand-ins are made with.
type Tools struct {
	Espeak, Sox string // paths
	// Versions, as the programs state them: the files depend on them.
	EspeakVersion, SoxVersion string
}

// ToolMissingError says which program is not installed and which Debian
// packages provide it.
type ToolMissingError struct {
	Program  string
	Packages string
	Err      error
}

func (e *ToolMissingError) Error() string {
	return fmt.Sprintf("speech: %s is not installed (%v); install it with: apt-get install %s", e.Program, e.Err, e.Packages)
}

func (e *ToolMissingError) Unwrap() error { return e.Err }

// AptPackages are the Debian packages that FindTools needs.
const AptPackages = "espeak-ng sox libsox-fmt-all"

// FindTools finds espeak-ng and sox in PATH and asks them their versions.
// A missing program is a *ToolMissingError naming the package to install,
// as is a sox that cannot write FLAC.
func FindTools(ctx context.Context) (Tools, error) {
	var t Tools
	var err error
	if t.Espeak, err = exec.LookPath("espeak-ng"); err != nil {
		return t, &ToolMissingError{"espeak-ng", "espeak-ng", err}
	}
	if t.Sox, err = exec.LookPath("sox"); err != nil {
		return t, &ToolMissingError{"sox", "sox libsox-fmt-all", err}
	}
	out, err := run(ctx, nil, t.Espeak, "--version")
	if err != nil {
		return t, err
	}
	t.EspeakVersion, _, _ = strings.Cut(firstLine(out), "  Data at:")
	if out, err = run(ctx, nil, t.Sox, "--version"); err != nil {
		return t, err
	}
	// "sox:      SoX v14.4.2", the program named as it was called.
	if i := strings.Index(firstLine(out), "SoX"); i >= 0 {
		t.SoxVersion = firstLine(out)[i:]
	} else {
		t.SoxVersion = firstLine(out)
	}
	if out, err = run(ctx, nil, t.Sox, "-h"); err != nil {
		return t, err
	}
	if !hasFormat(string(out), "flac") {
		return t, &ToolMissingError{"sox with FLAC support", "libsox-fmt-all", errors.New("sox -h lists no flac format")}
	}
	return t, nil
}

// hasFormat reports whether sox's help lists format among its file formats.
func hasFormat(help, format string) bool {
	for line := range strings.SplitSeq(help, "\n") {
		if rest, ok := strings.CutPrefix(line, "AUDIO FILE FORMATS:"); ok {
			return strings.Contains(" "+rest+" ", " "+format+" ")
		}
	}
	return false
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(s)
}

// run runs the program with args, stdin as its input, and returns its
// standard output; a failure is an error that quotes the command and its
// standard error.
func run(ctx context.Context, stdin []byte, prog string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, prog, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("speech: %s %s: %v: %s", prog, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}
