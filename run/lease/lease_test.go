package lease_test

import (
	"encoding/json"
	"errors"
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
