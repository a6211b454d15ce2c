//go:build unix

package hostiletest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Limits of every case.
const (
	// TimeLimit ends a case that hangs.
	TimeLimit = 60 * time.Second
	// AddressSpace caps the virtual memory of the process (ulimit -v), so
	// that an allocation the command did not refuse fails as "fatal
	// error: out of memory" instead of swapping the machine.
	AddressSpace = 3 << 30
	// MaxRSS is the most resident memory a case may have used.
	MaxRSS = 1 << 30
)

// Case is one line of the manifest.
type Case struct {
	Line    int
	Command string
	Exit    int      // the expected exit status
	Args    []string // with {corpus}, {tmp} and {server} to fill in
	Want    []string // in the output (standard output and error together)
	Refuse  []string // not in the output
}

func (c Case) String() string {
	return fmt.Sprintf("manifest.txt:%d: %s %s", c.Line, c.Command, strings.Join(c.Args, " "))
}

// Dir returns the corpus folder.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "hostile")
}

// Cases returns the manifest's cases of a command. A line reads
//
//	command | exit status | arguments | expected ;; expected ;; !unexpected
//
// with " | " (spaces around) between the fields.
func Cases(t testing.TB, command string) []Case {
	t.Helper()
	f, err := os.Open(filepath.Join(Dir(), "manifest.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Case
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, " | ")
		if len(parts) != 4 {
			t.Fatalf("manifest.txt:%d: want 4 fields separated by \" | \"", n)
		}
		c := Case{Line: n, Command: strings.TrimSpace(parts[0]), Args: strings.Fields(parts[2])}
		if c.Exit, err = strconv.Atoi(strings.TrimSpace(parts[1])); err != nil {
			t.Fatalf("manifest.txt:%d: exit status: %v", n, err)
		}
		for _, w := range strings.Split(parts[3], ";;") {
			w = strings.TrimSpace(w)
			switch {
			case w == "":
			case strings.HasPrefix(w, "!"):
				c.Refuse = append(c.Refuse, w[1:])
			default:
				c.Want = append(c.Want, w)
			}
		}
		if c.Command == command {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatalf("the manifest has no case of %s", command)
	}
	return out
}

// failures are what must never show: a panic, a Go runtime failure.
var failures = []string{"panic:", "fatal error:", "goroutine ", "runtime error", "SIGSEGV"}

// Run runs the case with the test binary as its command and checks it;
// vars fill in the placeholders of the arguments ({corpus} and {tmp} are
// filled in here). It returns the output.
func Run(t *testing.T, c Case, vars map[string]string) string {
	t.Helper()
	repl := []string{"{corpus}", Dir(), "{tmp}", t.TempDir()}
	for k, v := range vars {
		repl = append(repl, "{"+k+"}", v)
	}
	r := strings.NewReplacer(repl...)
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = r.Replace(a)
	}
	ctx, cancel := context.WithTimeout(context.Background(), TimeLimit)
	defer cancel()
	// The shell caps the address space, then becomes the command.
	sh := fmt.Sprintf(`ulimit -v %d && exec "$0" "$@"`, AddressSpace>>10)
	cmd := exec.CommandContext(ctx, "/bin/sh", append([]string{"-c", sh, os.Args[0]}, args...)...)
	cmd.Env = append(os.Environ(), AsCommand+"=1", "GOMAXPROCS=2")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	text := out.String()
	if ctx.Err() != nil {
		t.Errorf("%v: no end after %v (a hang?)\n%s", c, TimeLimit, text)
		return text
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Errorf("%v: %v", c, err)
		return text
	}
	if code != c.Exit {
		t.Errorf("%v: exit status %d, want %d\n%s", c, code, c.Exit, text)
	}
	for _, f := range failures {
		if strings.Contains(text, f) {
			t.Errorf("%v: the output shows %q:\n%s", c, f, text)
			break
		}
	}
	for _, w := range c.Want {
		if !strings.Contains(text, r.Replace(w)) {
			t.Errorf("%v: the output does not say %q:\n%s", c, r.Replace(w), text)
		}
	}
	for _, w := range c.Refuse {
		if strings.Contains(text, r.Replace(w)) {
			t.Errorf("%v: the output says %q:\n%s", c, r.Replace(w), text)
		}
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && int64(ru.Maxrss)<<10 > MaxRSS {
		t.Errorf("%v: used %d MiB of memory", c, ru.Maxrss>>10)
	}
	if testing.Verbose() {
		t.Logf("%v: exit %d in %v", c, code, time.Since(start).Round(time.Millisecond))
	}
	return text
}
