package lease_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/run/lease"
)

func other(worker string) lease.Owner {
	return lease.Owner{Host: "elsewhere.example", PID: 4242, Worker: worker, Since: time.Now()}
}

// One claim wins; the others learn who holds the folder.
func TestLeaseIsExclusive(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	var wins int
	var mu sync.Mutex
	var wg sync.WaitGroup
	var leases []*lease.Lease
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			l, err := lease.Claim(dir, time.Minute, other("w"+string(rune('a'+i))))
			var held *lease.HeldError
			switch {
			case err == nil:
				mu.Lock()
				wins++
				leases = append(leases, l)
				mu.Unlock()
			case !errors.As(err, &held) || !strings.Contains(err.Error(), "in use by w"):
				t.Errorf("claim %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d claims won, want 1", wins)
	}
	if err := leases[0].Check(); err != nil {
		t.Error(err)
	}
	// Released, the folder is free again, with the next generation.
	if err := leases[0].Release(); err != nil {
		t.Fatal(err)
	}
	l, err := lease.Claim(dir, time.Minute, other("next"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if _, err := os.Stat(filepath.Join(dir, ".lease.2")); err != nil {
		t.Errorf("second claim: %v", err)
	}
}

// A lease not refreshed for its time to live is taken over, and its old
// holder learns it lost the folder.
func TestStaleLeaseIsTakenOver(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	old, err := lease.Claim(dir, 2*time.Hour, other("lost machine"))
	if err != nil {
		t.Fatal(err)
	}
	// The holder stops refreshing (its machine is lost): age the file.
	old.Release()
	os.Rename(filepath.Join(dir, ".lease.1.done"), filepath.Join(dir, ".lease.1"))
	past := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(dir, ".lease.1"), past, past)
	if _, err := lease.Claim(dir, time.Minute, other("too early")); err == nil {
		t.Fatal("a lease an hour old with a time to live of two hours was taken over")
	}
	past = time.Now().Add(-3 * time.Hour)
	os.Chtimes(filepath.Join(dir, ".lease.1"), past, past)
	l, err := lease.Claim(dir, time.Minute, other("new"))
	if err != nil {
		t.Fatalf("stale lease: %v", err)
	}
	defer l.Release()
	if _, err := os.Stat(filepath.Join(dir, ".lease.1")); !os.IsNotExist(err) {
		t.Error("the stale lease file is still there")
	}
}

// A holder that is taken over sees it at its next check.
func TestLostLeaseIsNoticed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	l, err := lease.Claim(dir, time.Minute, other("slow"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	b, _ := json.Marshal(other("taker"))
	os.WriteFile(filepath.Join(dir, ".lease.2"), b, 0o644)
	if err := l.Check(); err == nil || !strings.Contains(err.Error(), "taker") {
		t.Errorf("check after a takeover: %v", err)
	}
}

// A lease of a dead process on this machine is taken over at once.
func TestLeaseOfDeadProcessIsTakenOver(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true command")
	}
	dead := lease.ThisProcess("dead")
	dead.PID, dead.Start = cmd.ProcessState.Pid(), "1"
	b, _ := json.Marshal(dead)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, ".lease.1"), b, 0o644)
	if h, err := lease.Holder(dir, time.Hour); h != nil || err != nil {
		t.Errorf("holder of a dead process's lease: %v %v", h, err)
	}
	alive := lease.ThisProcess("me")
	b, _ = json.Marshal(alive)
	os.WriteFile(filepath.Join(dir, ".lease.2"), b, 0o644)
	if h, _ := lease.Holder(dir, time.Hour); h == nil {
		t.Error("the lease of a live process is not held")
	}
}

// takeOver makes the lease of dir's holder stale, as a holder on a lost
// machine leaves it, and claims the folder for another.
func takeOver(t *testing.T, dir string, gen int) *lease.Lease {
	t.Helper()
	past := time.Now().Add(-3 * time.Hour)
	if err := os.Chtimes(filepath.Join(dir, fmt.Sprintf(".lease.%d", gen)), past, past); err != nil {
		t.Fatal(err)
	}
	l, err := lease.Claim(dir, time.Minute, other("taker"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// A holder paused after its check, while another takes the folder over,
// can neither write, rename nor remove a file of the folder: the fence
// stops it, not a check.
func TestStaleWriterIsFenced(t *testing.T) {
	for _, op := range []string{"write", "rename", "remove"} {
		t.Run(op, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			old, err := lease.Claim(dir, time.Hour, other("stale"))
			if err != nil {
				t.Fatal(err)
			}
			defer old.Release()
			if err := old.WriteFile("record.json", text("old")); err != nil {
				t.Fatal(err)
			}
			var taker *lease.Lease
			old.SetBeforePublish(func(string) {
				taker = takeOver(t, dir, 1)
				if err := taker.WriteFile("record.json", text("new")); err != nil {
					t.Error(err)
				}
			})
			switch op {
			case "write":
				err = old.WriteFile("record.json", text("stale"))
			case "rename":
				err = old.Rename("record.json", "record.json.replaced")
			case "remove":
				err = old.Remove("record.json")
			}
			defer taker.Release()
			if !errors.Is(err, lease.ErrLost) || !strings.Contains(err.Error(), "taker") {
				t.Errorf("%s of the stale holder: %v, want an error matching lease.ErrLost naming the new holder", op, err)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "record.json")); string(b) != "new" {
				t.Errorf("record.json holds %q after the stale holder's %s, want the new holder's", b, op)
			}
			if _, err := os.Stat(filepath.Join(dir, "record.json.replaced")); err == nil {
				t.Error("the stale holder's rename landed")
			}
		})
	}
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// A holder renames and removes its folder's files while it holds it.
func TestHolderRenamesAndRemoves(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	l, err := lease.Claim(dir, time.Hour, other("me"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"a", "b"} {
		if err := l.WriteFile(f, text(f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Rename("a", "a.replaced"); err != nil {
		t.Fatal(err)
	}
	if err := l.Remove("b"); err != nil {
		t.Fatal(err)
	}
	if err := l.Remove("b"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("removing a missing file: %v", err)
	}
	if err := l.WriteFile("../x", text("")); err == nil {
		t.Error("a name outside the folder was written")
	}
	l.Release()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != ".lease.1.done a.replaced" {
		t.Errorf("folder holds %s", got)
	}
}

// Containers and `unshare --pid` give process trees the same host name: a
// pid of another tree that does not exist in this one is not a dead
// holder, and its lease stands until its time to live runs out.
func TestLeaseOfAnotherPIDNamespaceIsNotDead(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	o := lease.ThisProcess("container b")
	o.PID, o.Start = 1<<22+7, "12345" // no such process here
	o.PIDNamespace = "pid:[1]"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(o)
	os.WriteFile(filepath.Join(dir, ".lease.1"), b, 0o644)
	if h, err := lease.Holder(dir, time.Hour); h == nil || err != nil {
		t.Errorf("a live lease of another pid namespace is free: %v", err)
	}
	// The same pid in this namespace would be a dead process.
	o.PIDNamespace = lease.ThisProcess("").PIDNamespace
	if o.PIDNamespace == "" {
		t.Skip("no pid namespaces here")
	}
	b, _ = json.Marshal(o)
	os.WriteFile(filepath.Join(dir, ".lease.1"), b, 0o644)
	if h, _ := lease.Holder(dir, time.Hour); h != nil {
		t.Error("the lease of a dead process of this namespace is held")
	}
}

// Lease files are claims of another process, never trusted: one cannot
// hold a run for ever, and one that cannot be claimed past is named.
func TestForgedLeaseFilesAreBounded(t *testing.T) {
	write := func(t *testing.T, name string, o lease.Owner, mtime time.Time) string {
		dir := filepath.Join(t.TempDir(), "run")
		os.MkdirAll(dir, 0o755)
		b, _ := json.Marshal(o)
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
		os.Chtimes(filepath.Join(dir, name), mtime, mtime)
		return dir
	}
	t.Run("future mtime", func(t *testing.T) {
		dir := write(t, ".lease.1", other("forger"), time.Now().AddDate(10, 0, 0))
		l, err := lease.Claim(dir, time.Minute, other("me"))
		if err != nil {
			t.Fatalf("a lease refreshed ten years from now holds the run: %v", err)
		}
		defer l.Release()
		if took := l.TookOver(); took == nil || !strings.Contains(took.Reason, "in the future") {
			t.Errorf("takeover: %+v", took)
		}
	})
	t.Run("huge time to live", func(t *testing.T) {
		o := other("forger")
		o.TTL = 1 << 62
		dir := write(t, ".lease.1", o, time.Now().Add(-lease.MaxTTL-time.Hour))
		l, err := lease.Claim(dir, time.Minute, other("me"))
		if err != nil {
			t.Fatalf("a lease claiming a time to live of %v holds the run past %v: %v", o.TTL, lease.MaxTTL, err)
		}
		l.Release()
	})
	t.Run("last generation", func(t *testing.T) {
		dir := write(t, ".lease.9223372036854775807.done", other("forger"), time.Now())
		_, err := lease.Claim(dir, time.Minute, other("me"))
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, ".lease.9223372036854775807.done")) {
			t.Errorf("claim past the last generation: %v, want an error naming the file", err)
		}
		if _, err := lease.Holder(dir, time.Minute); err == nil {
			t.Error("Holder: no error")
		}
	})
	t.Run("held names its file", func(t *testing.T) {
		dir := write(t, ".lease.3", other("holder"), time.Now())
		_, err := lease.Claim(dir, time.Minute, other("me"))
		var held *lease.HeldError
		if !errors.As(err, &held) || !strings.Contains(err.Error(), filepath.Join(dir, ".lease.3")) {
			t.Errorf("claim of a held folder: %v, want a HeldError naming the lease file", err)
		}
	})
}

// Temporary lease files that a killed claim left are removed by the next
// claim, and a claim that fails on a full disk leaves none.
func TestLeaseTempsDoNotAccumulate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	os.MkdirAll(dir, 0o755)
	left := filepath.Join(dir, ".lease.1.tmp4242.1700000000")
	os.WriteFile(left, []byte("{"), 0o644)
	past := time.Now().Add(-time.Hour)
	os.Chtimes(left, past, past)
	l, err := lease.Claim(dir, time.Minute, other("me"))
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
	if _, err := os.Stat(left); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a killed claim's temporary file is still there: %v", err)
	}
}

// A holder on this machine that runs but stopped refreshing its lease (a
// SIGSTOP, a hang) loses it after its time to live, as a lost machine
// does: the fence makes the takeover safe.
func TestStoppedHolderIsTakenOver(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	os.MkdirAll(dir, 0o755)
	me := lease.ThisProcess("stopped")
	me.TTL = time.Minute
	b, _ := json.Marshal(me)
	os.WriteFile(filepath.Join(dir, ".lease.1"), b, 0o644)
	if h, _ := lease.Holder(dir, time.Minute); h == nil {
		t.Fatal("a freshly refreshed lease of a live process is free")
	}
	past := time.Now().Add(-2 * time.Minute)
	os.Chtimes(filepath.Join(dir, ".lease.1"), past, past)
	l, err := lease.Claim(dir, time.Minute, other("taker"))
	if err != nil {
		t.Fatalf("the lease of a live process that stopped refreshing it is held: %v", err)
	}
	defer l.Release()
	if took := l.TookOver(); took == nil || !strings.Contains(took.Reason, "runs but has stopped refreshing") {
		t.Errorf("takeover: %+v", took)
	}
}
