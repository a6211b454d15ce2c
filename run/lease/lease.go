package lease

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// A Lease is the claim of this process on a run folder, from Claim until
// Release or until another process takes the folder over.
type Lease struct {
	dir   string
	gen   int
	path  string
	ttl   time.Duration
	owner Owner

	mu   sync.Mutex
	lost error
	stop chan struct{}
	done chan struct{}
}

// Owner describes the holder of a lease.
type Owner struct {
	Host string `json:"host"`
	PID  int    `json:"pid"`
	// Start is the process's start time in clock ticks after boot (Linux),
	// which tells a dead process from a new one with the same pid.
	Start  string    `json:"start,omitempty"`
	Worker string    `json:"worker,omitempty"` // e.g. "slurm job 1234 task 5"
	Since  time.Time `json:"since"`
	// TTL is the time to live of the holder's lease, which its heartbeat
	// keeps; others judge the lease stale by it.
	TTL time.Duration `json:"ttl_ns,omitempty"`
}

func (o Owner) String() string {
	if o.PID == 0 && o.Host == "" && o.Worker == "" {
		return "another process (its lease file names none)"
	}
	s := fmt.Sprintf("pid %d on %s", o.PID, o.Host)
	if o.Worker != "" {
		s = o.Worker + ", " + s
	}
	return s
}

// ThisProcess describes the calling process as a lease owner, with worker
// naming it for people (empty: none).
func ThisProcess(worker string) Owner {
	host, _ := os.Hostname()
	return Owner{Host: host, PID: os.Getpid(), Start: processStart(os.Getpid()), Worker: worker, Since: time.Now()}
}

// processStart returns field 22 of /proc/<pid>/stat, the process's start
// time, or "" where there is no /proc.
func processStart(pid int) string {
	b, err := readlimit.ReadFile(fmt.Sprintf("/proc/%d/stat", pid), 64<<10)
	if err != nil {
		return ""
	}
	s := string(b)
	// The command name, field 2, is in parentheses and may hold spaces.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return ""
	}
	return f[19]
}

// alive reports whether o's process is known to run (true), known to be
// gone (false), or cannot be told from here (ok = false).
func (o Owner) alive() (alive, ok bool) {
	host, _ := os.Hostname()
	if o.Host != host || o.PID <= 0 {
		return false, false
	}
	if o.Start != "" {
		if start := processStart(o.PID); start != "" || processStart(os.Getpid()) != "" {
			return start == o.Start, true
		}
	}
	return processAlive(o.PID)
}

// HeldError is the error of Claim when another process holds the lease.
type HeldError struct {
	Dir   string
	Owner Owner
	Age   time.Duration // since the holder last refreshed it
}

func (e *HeldError) Error() string {
	msg := fmt.Sprintf("run folder %s is in use by %s since %s (lease refreshed %s ago",
		e.Dir, e.Owner, e.Owner.Since.Format(time.RFC3339), e.Age.Round(time.Second))
	if e.Owner.TTL > 0 {
		msg += fmt.Sprintf("; abandoned once not refreshed for %v", e.Owner.TTL)
	}
	return msg + ")"
}

// DefaultTTL is the time to live of the lease a run takes on its folder:
// ten minutes, well above the attribute caching of network file systems
// and the clock differences of a cluster.
const DefaultTTL = 10 * time.Minute

const leasePrefix = ".lease."

// leaseFile is one lease file of a folder.
type leaseFile struct {
	gen  int
	done bool
	name string
}

func listLeases(dir string) ([]leaseFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []leaseFile
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), leasePrefix)
		if !ok {
			continue
		}
		num, done := strings.CutSuffix(rest, ".done")
		g, err := strconv.Atoi(num)
		if err != nil || g < 1 {
			continue
		}
		out = append(out, leaseFile{gen: g, done: done, name: e.Name()})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].gen != out[j].gen {
			return out[i].gen < out[j].gen
		}
		return !out[i].done
	})
	return out, nil
}

// current returns the highest generation's file, or gen 0 if none.
func current(ls []leaseFile) leaseFile {
	var c leaseFile
	for _, l := range ls {
		if l.gen > c.gen || (l.gen == c.gen && l.done) {
			c = l
		}
	}
	return c
}

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
	return live(dir, c, ttl)
}

// live returns a HeldError if lease file c is live, nil if it is stale: its
// process is known to be dead, or it was not refreshed for its holder's
// time to live (ttl if the file does not say).
func live(dir string, c leaseFile, ttl time.Duration) (*HeldError, error) {
	path := filepath.Join(dir, c.name)
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil // renamed or removed meanwhile: look again
		}
		return nil, err
	}
	var o Owner
	if b, err := readlimit.ReadFile(path, 64<<10); err == nil {
		json.Unmarshal(b, &o) // an unreadable owner leaves the age to decide
	}
	age := time.Since(fi.ModTime())
	if o.TTL > 0 {
		ttl = o.TTL
	}
	if alive, ok := o.alive(); ok {
		if !alive {
			return nil, nil
		}
		return &HeldError{Dir: dir, Owner: o, Age: age}, nil
	}
	if age > ttl {
		return nil, nil
	}
	return &HeldError{Dir: dir, Owner: o, Age: age}, nil
}

// Claim takes the lease on run folder dir (created if missing) for owner
// o, with time to live ttl, and starts its heartbeat. If another process
// holds a live lease, it returns a *HeldError naming it.
func Claim(dir string, ttl time.Duration, o Owner) (*Lease, error) {
	if ttl <= 0 {
		return nil, fmt.Errorf("lease: time to live must be positive, got %v", ttl)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("out: %w", err)
	}
	for attempt := 0; attempt < 5; attempt++ {
		ls, err := listLeases(dir)
		if err != nil {
			return nil, fmt.Errorf("lease: %w", err)
		}
		c := current(ls)
		if c.gen > 0 && !c.done {
			held, err := live(dir, c, ttl)
			if err != nil {
				return nil, fmt.Errorf("lease: %w", err)
			}
			if held != nil {
				return nil, held
			}
		}
		l := &Lease{dir: dir, gen: c.gen + 1, ttl: ttl, owner: o}
		l.path = filepath.Join(dir, fmt.Sprintf("%s%d", leasePrefix, l.gen))
		o.TTL = ttl
		l.owner = o
		b, _ := json.Marshal(o)
		err = create(l.path, append(b, '\n'))
		if errors.Is(err, fs.ErrExist) {
			continue // another process took this generation: look again
		}
		if err != nil {
			return nil, fmt.Errorf("lease: %w", err)
		}
		if err := l.check(); err != nil {
			os.Remove(l.path)
			continue // a newer generation appeared at once
		}
		// Earlier generations are of no use any more.
		for _, old := range ls {
			if old.gen < l.gen {
				os.Remove(filepath.Join(dir, old.name))
			}
		}
		l.stop, l.done = make(chan struct{}), make(chan struct{})
		go l.heartbeat()
		return l, nil
	}
	return nil, fmt.Errorf("lease: run folder %s: lost the race for its lease five times in a row", dir)
}

// create creates path holding b if it does not exist, atomically: the file
// appears with its content, by a hard link from a temporary file (which
// fails if path exists, also over NFS), or, where links are not supported,
// by O_EXCL and a write.
func create(path string, b []byte) error {
	tmp := fmt.Sprintf("%s.tmp%d.%d", path, os.Getpid(), time.Now().UnixNano())
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	defer os.Remove(tmp)
	err := os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
	}
	return werr
}

// Dir returns the folder the lease is on.
func (l *Lease) Dir() string { return l.dir }

// TTL returns the lease's time to live.
func (l *Lease) TTL() time.Duration { return l.ttl }

// check looks for a newer generation or a vanished file.
func (l *Lease) check() error {
	ls, err := listLeases(l.dir)
	if err != nil {
		return nil // a transient listing error is not a lost lease
	}
	for _, f := range ls {
		if f.gen > l.gen {
			var o Owner
			if b, err := readlimit.ReadFile(filepath.Join(l.dir, f.name), 64<<10); err == nil {
				json.Unmarshal(b, &o)
			}
			return fmt.Errorf("lease on %s lost: %s took the run over (the lease was not refreshed for %v)", l.dir, o, l.ttl)
		}
	}
	if _, err := os.Stat(l.path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("lease on %s lost: its file %s was removed", l.dir, l.path)
	}
	return nil
}

// Check returns nil while the lease is held, and an error once another
// process has taken the folder over. Writers call it before each write.
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
	if err := os.Rename(l.path, l.path+".done"); err != nil {
		return fmt.Errorf("lease: %w", err)
	}
	return nil
}
