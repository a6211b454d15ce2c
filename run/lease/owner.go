package lease

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// Owner describes the holder of a lease.
type Owner struct {
	Host string `json:"host"`
	PID  int    `json:"pid"`
	// Start is the process's start time in clock ticks after boot (Linux),
	// which tells a dead process from a new one with the same pid.
	Start string `json:"start,omitempty"`
	// Boot and PIDNamespace tell, with Host, whether a pid means a process
	// this machine can see: containers and `unshare --pid` give several
	// process trees the same host name, and a pid of another tree says
	// nothing about this one's processes (Linux: the kernel's boot ID and
	// the inode of /proc/self/ns/pid).
	Boot         string    `json:"boot_id,omitempty"`
	PIDNamespace string    `json:"pid_ns,omitempty"`
	Worker       string    `json:"worker,omitempty"` // e.g. "slurm job 1234 task 5"
	Since        time.Time `json:"since"`
	// TTL is the time to live of the holder's lease, which its heartbeat
	// keeps; others judge the lease stale by it (bounded by MaxTTL).
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
	pid := os.Getpid()
	return Owner{Host: host, PID: pid, Start: processStart(pid), Boot: bootID(), PIDNamespace: pidNamespace(),
		Worker: worker, Since: time.Now()}
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

// bootID returns the kernel's boot ID, "" where there is none.
func bootID() string {
	b, err := readlimit.ReadFile("/proc/sys/kernel/random/boot_id", 4<<10)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// pidNamespace names the calling process's pid namespace ("pid:[4026531836]"
// on Linux), "" where it cannot be told.
func pidNamespace() string {
	ns, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		return ""
	}
	return ns
}

// sameProcessTree reports whether the pids of o are those this process
// sees: same host, same boot, same pid namespace. A lease file that does
// not name its boot and namespace (written by an older version, or on a
// system without them) is of another tree unless this process cannot name
// its own either.
func (o Owner) sameProcessTree() bool {
	host, _ := os.Hostname()
	return o.Host == host && o.PID > 0 && o.Boot == bootID() && o.PIDNamespace == pidNamespace()
}

// alive reports whether o's process is known to run (true), known to be
// gone (false), or cannot be told from here (ok = false).
func (o Owner) alive() (alive, ok bool) {
	if !o.sameProcessTree() {
		return false, false
	}
	if o.Start != "" {
		if start := processStart(o.PID); start != "" || processStart(os.Getpid()) != "" {
			return start == o.Start, true
		}
	}
	return processAlive(o.PID)
}
