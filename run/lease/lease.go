package lease

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// A Lease is the claim of this process on a run folder, from Claim until
// Release or until another process takes the folder over.
type Lease struct {
	dir   string
	gen   int
	path  string // the lease file
	stage string // the generation's own folder, through which it writes
	ttl   time.Duration
	owner Owner
	took  *Takeover

	mu   sync.Mutex
	lost error
	hook func(name string) // SetBeforePublish
	stop chan struct{}
	done chan struct{}
}

// Takeover describes the lease a claim took over.
type Takeover struct {
	Owner  Owner
	File   string // the lease file taken over
	Reason string // why it was stale
}

// HeldError is the error of Claim when another process holds the lease.
type HeldError struct {
	Dir   string
	File  string // the live lease file
	Owner Owner
	Age   time.Duration // since the holder last refreshed it
	TTL   time.Duration // the holder's time to live, as bounded here
}

func (e *HeldError) Error() string {
	msg := fmt.Sprintf("run folder %s is in use by %s since %s (lease refreshed %s ago",
		e.Dir, e.Owner, e.Owner.Since.Format(time.RFC3339), e.Age.Round(time.Second))
	if e.TTL > 0 {
		msg += fmt.Sprintf("; abandoned once not refreshed for %v", e.TTL)
	}
	return msg + "; lease file " + e.File + ")"
}

// ErrLost is what errors of a lease that another process took over match
// (errors.Is).
var ErrLost = errors.New("lease lost")

// LostError says that another process took the folder over.
type LostError struct {
	Dir   string
	By    Owner  // the new holder, as its lease file names it
	File  string // the new holder's lease file, or the vanished own one
	Taken bool   // false: the own lease file was removed by someone
}

func (e *LostError) Error() string {
	if !e.Taken {
		return fmt.Sprintf("lease on %s lost: its file %s was removed", e.Dir, e.File)
	}
	return fmt.Sprintf("lease on %s lost: %s took the run over (lease file %s); what it writes stands", e.Dir, e.By, e.File)
}

func (e *LostError) Is(target error) bool { return target == ErrLost }

// DefaultTTL is the time to live of the lease a run takes on its folder:
// ten minutes, well above the attribute caching of network file systems
// and the clock differences of a cluster.
const DefaultTTL = 10 * time.Minute

// MaxTTL bounds the time to live that a lease file may claim: a file that
// claims more (forged, or written by a confused process) is judged by
// MaxTTL, so it cannot keep a run from others for longer than a day.
const MaxTTL = 24 * time.Hour

// Holder returns the owner of the live lease on dir, if any.
func Holder(dir string, ttl time.Duration) (*HeldError, error) {
	ls, err := listLeases(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	c := current(ls)
	if c.gen == 0 || c.done {
		return nil, nil
	}
	held, _, err := live(dir, c, ttl)
	return held, err
}

// live returns a HeldError if lease file c is live, or nil and why it is
// stale: its process is known to be dead, it was not refreshed for its
// holder's time to live (ttl if the file does not say, at most MaxTTL) —
// whether or not its process still runs —, or its modification time lies
// further in the future than any clock difference within that time to
// live explains.
func live(dir string, c leaseFile, ttl time.Duration) (*HeldError, *Takeover, error) {
	path := filepath.Join(dir, c.name)
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil // renamed or removed meanwhile: look again
		}
		return nil, nil, err
	}
	o := readOwner(path)
	if o.TTL > 0 {
		ttl = min(o.TTL, MaxTTL)
	}
	took := &Takeover{Owner: o, File: path}
	alive, known := o.alive()
	if known && !alive {
		took.Reason = fmt.Sprintf("its process (pid %d on this machine) has ended", o.PID)
		return nil, took, nil
	}
	// A holder that runs but has not refreshed its lease for its time to
	// live is stopped or hung: the heartbeat, not the process, is what
	// keeps a lease, and the fence makes taking it over safe.
	if known {
		took.Reason = fmt.Sprintf("its process (pid %d on this machine) runs but has stopped refreshing it: ", o.PID)
	}
	now := time.Now()
	if ahead := fi.ModTime().Sub(now); ahead > ttl {
		took.Reason += fmt.Sprintf("its modification time lies %v in the future, more than its time to live of %v", ahead.Round(time.Second), ttl)
		return nil, took, nil
	}
	age := max(0, now.Sub(fi.ModTime()))
	if age > ttl {
		took.Reason += fmt.Sprintf("not refreshed for %v, more than its time to live of %v", age.Round(time.Second), ttl)
		return nil, took, nil
	}
	return &HeldError{Dir: dir, File: path, Owner: o, Age: age, TTL: ttl}, nil, nil
}

// readOwner reads the owner a lease file names; an unreadable one names
// nobody, and its age decides.
func readOwner(path string) Owner {
	var o Owner
	if b, err := readSmall(path); err == nil {
		json.Unmarshal(b, &o)
	}
	if o.TTL < 0 {
		o.TTL = 0
	}
	return o
}

// Claim takes the lease on run folder dir (created if missing) for owner
// o, with time to live ttl, and starts its heartbeat. If another process
// holds a live lease, it returns a *HeldError naming it.
//
// Before it returns, Claim fences every earlier holder: it removes their
// generations' folders, so that nothing they write from then on can
// appear in dir (see WriteFile), and only then may the caller read what
// the folder holds.
func Claim(dir string, ttl time.Duration, o Owner) (*Lease, error) {
	if ttl <= 0 || ttl > MaxTTL {
		return nil, fmt.Errorf("lease: time to live must be in (0, %v], got %v", MaxTTL, ttl)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("out: %w", err)
	}
	var lastFile string
	for attempt := 0; attempt < 5; attempt++ {
		ls, err := listLeases(dir)
		if err != nil {
			return nil, fmt.Errorf("lease: %w", err)
		}
		c := current(ls)
		var took *Takeover
		if c.gen > 0 && !c.done {
			held, t, err := live(dir, c, ttl)
			if err != nil {
				return nil, fmt.Errorf("lease: %w", err)
			}
			if held != nil {
				return nil, held
			}
			took = t
		}
		if c.gen >= MaxGeneration {
			return nil, fmt.Errorf("lease: run folder %s: lease file %s is of generation %d, the last one there may be; remove the run's lease files if no process holds it",
				dir, filepath.Join(dir, c.name), c.gen)
		}
		o.TTL = ttl
		l := &Lease{dir: dir, gen: c.gen + 1, ttl: ttl, owner: o, took: took}
		l.path = filepath.Join(dir, fmt.Sprintf("%s%d", leasePrefix, l.gen))
		l.stage = filepath.Join(dir, fmt.Sprintf("%s%d", stagePrefix, l.gen))
		lastFile = l.path
		b, _ := json.Marshal(o)
		err = create(l.path, append(b, '\n'))
		if errors.Is(err, fs.ErrExist) {
			continue // another process took this generation: look again
		}
		if err != nil {
			return nil, fmt.Errorf("lease: %w", err)
		}
		// The own folder first, then the look for newer generations: a
		// claimant of a newer one either is seen here, or creates its
		// lease file after this folder exists and so fences it.
		if err := os.Mkdir(l.stage, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			os.Remove(l.path)
			return nil, fmt.Errorf("lease: %w", err)
		}
		if err := l.check(); err != nil {
			os.RemoveAll(l.stage)
			os.Remove(l.path)
			continue // a newer generation appeared at once
		}
		if err := fence(dir, l.gen); err != nil {
			os.RemoveAll(l.stage)
			os.Remove(l.path)
			return nil, fmt.Errorf("lease: %w", err)
		}
		// Earlier generations' lease files are of no use any more.
		for _, old := range ls {
			if old.gen < l.gen {
				os.Remove(filepath.Join(dir, old.name))
			}
		}
		removeOldTemps(dir)
		l.stop, l.done = make(chan struct{}), make(chan struct{})
		go l.heartbeat()
		return l, nil
	}
	return nil, fmt.Errorf("lease: run folder %s: lost the race for its lease five times in a row (last tried %s); other processes keep claiming it", dir, lastFile)
}

// Dir returns the folder the lease is on.
func (l *Lease) Dir() string { return l.dir }

// TTL returns the lease's time to live.
func (l *Lease) TTL() time.Duration { return l.ttl }

// TookOver describes the stale lease this one replaced, nil if the folder
// was free.
func (l *Lease) TookOver() *Takeover { return l.took }

// check looks for a newer generation or a vanished file.
func (l *Lease) check() error {
	ls, err := listLeases(l.dir)
	if err != nil {
		return nil // a transient listing error is not a lost lease
	}
	for _, f := range ls {
		if f.gen > l.gen {
			path := filepath.Join(l.dir, f.name)
			return &LostError{Dir: l.dir, By: readOwner(path), File: path, Taken: true}
		}
	}
	if _, err := os.Stat(l.path); errors.Is(err, fs.ErrNotExist) {
		return &LostError{Dir: l.dir, File: l.path}
	}
	return nil
}

// Check returns nil while the lease is held, and an error matching ErrLost
// once another process has taken the folder over. It is a courtesy that
// stops a lost holder early: the fence is in the writes (WriteFile).
func (l *Lease) Check() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost == nil {
		l.lost = l.check()
	}
	return l.lost
}

func (l *Lease) heartbeat() {
	defer close(l.done)
	t := time.NewTicker(max(l.ttl/4, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		if l.Check() != nil {
			return
		}
		now := time.Now()
		os.Chtimes(l.path, now, now)
	}
}

// Release ends the heartbeat and marks the lease as ended, leaving the
// folder free. A lost lease is left to its new holder.
func (l *Lease) Release() error {
	if l == nil || l.stop == nil {
		return nil
	}
	select {
	case <-l.stop:
		return nil // released before
	default:
	}
	close(l.stop)
	<-l.done
	if l.Check() != nil {
		return nil
	}
	os.RemoveAll(l.stage)
	if err := os.Rename(l.path, l.path+".done"); err != nil {
		return fmt.Errorf("lease: %w", err)
	}
	return nil
}
