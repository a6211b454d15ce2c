package sweep

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/run/lease"
	"github.com/spikegrad/spikegrad/runner"
)

// IDsDir is the folder of out where workers take a brief lease per run ID
// while they choose its folder, so that sweeps that share out and list the
// same run under other names train it once, in one folder.
const IDsDir = ".ids"

func (w *worker) folder(name string) string { return filepath.Join(w.out, name) }

// locate returns the name of the folder in out that holds j's run: the
// first by name of the folders that do — another sweep's, which listed the
// same run under its own name — or j.Name if none does. A folder holds j's
// run when its name ends in the first 12 digits of j's ID and what it
// holds, if anything, is of j's ID.
func (w *worker) locate(j Job) string {
	if len(j.ID) < 12 {
		return j.Name
	}
	suffix := "-" + j.ID[:12]
	entries, err := os.ReadDir(w.out)
	if err != nil {
		return j.Name
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && strings.HasSuffix(n, suffix) && (n == j.Name || ofRun(w.folder(n), j.ID)) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return j.Name
	}
	sort.Strings(names)
	return names[0]
}

// ofRun reports whether run folder dir holds nothing of another run than
// id: its record and last checkpoint, where present, are of id.
func ofRun(dir, id string) bool {
	if rec, err := run.LoadRecord(filepath.Join(dir, run.RecordFile)); err == nil && recordID(rec) != id {
		return false
	}
	if ck, err := runner.LoadCheckpoint(filepath.Join(dir, run.LastFile)); err == nil && ck.Settings.ID() != id {
		return false
	}
	return true
}

// claim takes the lease on the folder of j's run, which it chooses under a
// brief lease on j's ID: a worker of another sweep with the same run
// chooses after this one has claimed its folder, and so finds it.
func (w *worker) claim(j Job) (name string, l *lease.Lease, err error) {
	// The ID names a folder: only the hexadecimal digits of run.Settings.ID.
	if j.ID == "" || strings.Trim(j.ID, "0123456789abcdef") != "" {
		return "", nil, fmt.Errorf("run %s: ID %q is not the hexadecimal digits of a run's settings hash", j.Name, j.ID)
	}
	idl, err := lease.Claim(filepath.Join(w.out, IDsDir, j.ID), w.o.Lease, w.owner)
	if err != nil {
		return "", nil, err
	}
	defer idl.Release()
	name = w.locate(j)
	l, err = lease.Claim(w.folder(name), w.o.Lease, w.owner)
	return name, l, err
}

// Held is a run that another worker holds.
type Held struct {
	Job    Job
	Folder string
	Holder *lease.HeldError // who holds it, and since when; nil if it just ended
}

// waitNote is how often a waiting worker says which runs it waits for.
const waitNote = time.Minute

// waiting tells Options.Waiting, at the start of a wait and then every
// waitNote, which runs others hold.
func (w *worker) waiting(jobs []Job) {
	if w.o.Waiting == nil || time.Since(w.noted) < waitNote {
		return
	}
	w.noted = time.Now()
	var held []Held
	for _, j := range jobs {
		name := w.locate(j)
		h, _ := lease.Holder(w.folder(name), w.o.Lease)
		held = append(held, Held{Job: j, Folder: w.folder(name), Holder: h})
	}
	w.o.Waiting(held)
}
