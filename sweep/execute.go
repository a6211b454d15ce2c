package sweep

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/run/lease"
	"github.com/spikegrad/spikegrad/runner"
)

// Outcome is what became of one run of a sweep.
type Outcome struct {
	Job Job
	// Folder is the run's folder: out/Job.Name, or the folder of another
	// sweep in out that holds the same run (the same ID).
	Folder string
	// Skipped is true for a run found completed: by an earlier sweep, or
	// by another worker of this one.
	Skipped bool
	// Elsewhere is true for a run that another worker holds (when this one
	// does not wait) or that failed in another worker while this one ran;
	// Err says which.
	Elsewhere bool
	// Resumed is true for a run continued from its last.npz: one that a
	// killed or interrupted worker left.
	Resumed bool
	Record  *run.Record
	Err     error
}

// Options set how Work runs a sweep.
type Options struct {
	// Jobs is the number of runs this process trains at once (≥ 1). Each
	// run's programs share the cores (GOMAXPROCS) with the others: a run
	// gets GOMAXPROCS/Jobs of them, at least one (runner.Hooks.Cores),
	// which changes its speed, never its numbers.
	Jobs int
	// Lease is the time to live of the lease on a run's folder (see
	// lease.Lease); 0 means lease.DefaultTTL. A worker that dies without
	// a trace (a lost machine) is taken over after this time; one on the
	// same machine as soon as it is gone.
	Lease time.Duration
	// Poll is how often, at most, a waiting worker looks again at runs
	// that others hold (it looks more often at first); 0 means a tenth of
	// the lease, at most 10 seconds.
	Poll time.Duration
	// NoWait makes the worker stop when no run is left to claim, instead
	// of waiting for the runs that other workers hold to end (and taking
	// over those whose worker dies).
	NoWait bool
	// Worker names this worker in the leases, for people: "slurm job 12
	// task 3" (see WorkerFromEnv).
	Worker string
	// Hooks, if set, gives the hooks of each run.
	Hooks func(Job) runner.Hooks
	// Done, if set, is called as each run ends (from several goroutines,
	// one at a time).
	Done func(Outcome)
	// RecordSuffices counts a run as done when its folder holds a
	// completed record of its ID, even if its checkpoints are gone: for
	// results kept in version control, records committed and weights not,
	// where a fresh clone must not train everything again.
	RecordSuffices bool
	// Waiting, if set, is told which runs other workers hold when this
	// one starts waiting for them, and again every minute while it waits.
	Waiting func(held []Held)
}

// Execute runs the runs into out, jobs at a time, as Work does with default
// options.
func Execute(ctx context.Context, runs []Job, out string, jobs int, hooks func(Job) runner.Hooks, done func(Outcome)) error {
	return Work(ctx, runs, out, Options{Jobs: jobs, Hooks: hooks, Done: done})
}

// Work trains the runs of a sweep into out as one of any number of workers:
// processes on one or many machines, started at any time, that share out.
// Every run has a folder out/<Job.Name>; a worker claims a run by taking
// the lease on its folder (lease.Claim), trains it and releases it, so no
// two workers train one run, and a run whose worker was killed is taken
// over, continuing from its last.npz, once its lease is stale. A run that
// another sweep in out lists under another name (the same ID) is trained
// once, in the folder that holds it first: workers choose a run's folder
// under a brief lease on its ID (IDsDir), and Outcome.Folder names it. A
// worker whose run another took over (it was paused past its lease)
// reports it as Elsewhere, not as failed. A run is
// done when its folder holds a completed record of the run's ID and both
// checkpoints (or, with RecordSuffices, the record alone); a run whose
// checkpoints were deleted is trained again, its earlier record kept as
// record.json.replaced. A run that failed is not retried by workers that
// were already running when it failed, and is by those started later (a
// restarted sweep).
//
// Work returns when every run is done or failed (or, with NoWait, when no
// run is left to claim); the error lists the runs that failed in this
// worker. Interrupted by ctx, it stops its runs after their current batch;
// their folders keep every finished epoch and the next worker continues
// them.
func Work(ctx context.Context, runs []Job, out string, o Options) error {
	if o.Jobs < 1 {
		return fmt.Errorf("jobs: want ≥ 1, got %d", o.Jobs)
	}
	if o.Lease <= 0 {
		o.Lease = lease.DefaultTTL
	}
	if o.Poll <= 0 {
		o.Poll = min(o.Lease/10, 10*time.Second)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("out: %w", err)
	}
	w := &worker{o: o, out: out, start: time.Now(), owner: lease.ThisProcess(o.Worker)}
	pending := append([]Job(nil), runs...)
	sem := make(chan struct{}, o.Jobs)
	var wg sync.WaitGroup
	wait := 100 * time.Millisecond
	for len(pending) > 0 && ctx.Err() == nil {
		var held []Job
		started := false
		for _, j := range pending {
			if ctx.Err() != nil {
				break
			}
			name := w.locate(j)
			switch st := w.inspect(j, name); st.kind {
			case done:
				w.report(Outcome{Job: j, Folder: w.folder(name), Skipped: true, Record: st.rec})
				continue
			case failedElsewhere:
				w.report(Outcome{Job: j, Folder: w.folder(name), Elsewhere: true, Record: st.rec, Err: fmt.Errorf("failed in another worker: %s", st.rec.Error)})
				continue
			case busy:
				held = append(held, j)
				continue
			}
			// Free: wait for a slot, then claim.
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
			}
			if ctx.Err() != nil {
				break
			}
			name, claim, err := w.claim(j)
			var he *lease.HeldError
			switch {
			case errors.As(err, &he):
				<-sem
				held = append(held, j)
				continue
			case err != nil:
				<-sem
				w.fail(j, err)
				continue
			}
			started = true
			wg.Add(1)
			go func(j Job) {
				defer func() { <-sem; wg.Done() }()
				w.train(ctx, j, name, claim)
			}(j)
		}
		pending = held
		if len(pending) == 0 || ctx.Err() != nil {
			break
		}
		if o.NoWait {
			break
		}
		w.waiting(pending)
		// Wait for the runs others hold: briefly at first (a run that is
		// about to end), then up to Poll between looks.
		if started {
			wait = 100 * time.Millisecond
			continue
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
		}
		wait = min(2*wait, o.Poll)
	}
	// Runs held by others when this worker stops waiting (no-wait, or
	// interrupted) are theirs.
	for _, j := range pending {
		name := w.locate(j)
		if st := w.inspect(j, name); st.kind != busy {
			continue
		}
		var err error = errors.New("held by another worker")
		if h, _ := lease.Holder(w.folder(name), o.Lease); h != nil {
			err = h
		}
		w.report(Outcome{Job: j, Folder: w.folder(name), Elsewhere: true, Err: err})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return fmt.Errorf("sweep interrupted; finished epochs are kept and the next run of the sweep continues them: %w", ctx.Err())
	}
	if len(w.failed) > 0 {
		sort.Strings(w.failed)
		return fmt.Errorf("%d runs failed:\n  %s", len(w.failed), strings.Join(w.failed, "\n  "))
	}
	return nil
}

// worker is the state of Work.
type worker struct {
	o      Options
	out    string
	start  time.Time
	owner  lease.Owner
	mu     sync.Mutex
	failed []string
	noted  time.Time // when Waiting was last called
}

func (w *worker) report(oc Outcome) {
	if w.o.Done == nil {
		return
	}
	if oc.Folder == "" {
		oc.Folder = filepath.Join(w.out, oc.Job.Name)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.o.Done(oc)
}

func (w *worker) fail(j Job, err error) {
	w.mu.Lock()
	w.failed = append(w.failed, fmt.Sprintf("%s: %v", j.Name, err))
	w.mu.Unlock()
	w.report(Outcome{Job: j, Err: err})
}

type kind int

const (
	free kind = iota
	done
	busy
	failedElsewhere
)

type state struct {
	kind kind
	rec  *run.Record
}

// inspect tells what folder name of out holds of j, without claiming it.
func (w *worker) inspect(j Job, name string) state {
	dir := w.folder(name)
	rec, _ := run.LoadRecord(filepath.Join(dir, run.RecordFile))
	ours := rec != nil && recordID(rec) == j.ID
	if ours && rec.Status == "completed" && (w.o.RecordSuffices || run.Completed(dir)) {
		return state{kind: done, rec: rec}
	}
	if h, _ := lease.Holder(dir, w.o.Lease); h != nil {
		return state{kind: busy}
	}
	if ours && rec.Status == "failed" && rec.Finished.After(w.start) {
		return state{kind: failedElsewhere, rec: rec}
	}
	return state{kind: free}
}

// recordID is the ID of the run a record describes.
func recordID(r *run.Record) string {
	if r.ID != "" {
		return r.ID
	}
	return r.Settings.ID()
}

// train trains j into folder name of out under claim, which it releases.
func (w *worker) train(ctx context.Context, j Job, name string, claim *lease.Lease) {
	defer claim.Release()
	dir := w.folder(name)
	// Under the lease, look again: another worker may have finished it.
	if st := w.inspect(j, name); st.kind == done {
		w.report(Outcome{Job: j, Folder: dir, Skipped: true, Record: st.rec})
		return
	}
	if took := claim.TookOver(); took != nil && w.o.Hooks != nil {
		if note := w.o.Hooks(j).Note; note != nil {
			note(fmt.Sprintf("took the run over from %s: %s", took.Owner, took.Reason))
		}
	}
	s := j.Settings
	s.Out, s.Name, s.Resume = w.out, name, ""
	var h runner.Hooks
	if w.o.Hooks != nil {
		h = w.o.Hooks(j)
	}
	h.Lease = claim
	h.Cores = max(1, runtime.GOMAXPROCS(0)/w.o.Jobs)
	resumed, set, err := prepare(dir, j, claim)
	if errors.Is(err, lease.ErrLost) {
		w.report(Outcome{Job: j, Folder: dir, Elsewhere: true, Err: err})
		return
	}
	if err != nil {
		w.fail(j, err)
		return
	}
	if len(set) > 0 && h.Note != nil {
		h.Note(fmt.Sprintf("starting afresh: there is no usable last.npz to continue from; the earlier %s are kept with the suffix .replaced", strings.Join(set, ", ")))
	}
	if resumed {
		s.Resume = filepath.Join(dir, run.LastFile)
	}
	rec, _, err := runner.Execute(ctx, &s, h)
	switch {
	case errors.Is(err, lease.ErrLost):
		// Another worker took the run over (this one was paused or cut
		// off for longer than the lease): the run is its now.
		w.report(Outcome{Job: j, Folder: dir, Elsewhere: true, Err: err})
	case err != nil && ctx.Err() == nil:
		w.fail(j, err)
	default:
		w.report(Outcome{Job: j, Folder: dir, Resumed: resumed, Record: rec, Err: err})
	}
}

// prepare readies the folder of j, held under its lease, for training: a
// run with a usable last.npz of the same ID is continued from it (resumed
// = true). Otherwise the run starts afresh, and the files a run left there
// (a failed record, a completed record whose checkpoints were deleted, a
// lone best.npz) are renamed with the suffix .replaced rather than
// deleted; set lists them. A folder of another run (another ID) is
// refused.
func prepare(dir string, j Job, claim *lease.Lease) (resumed bool, set []string, err error) {
	rec, rerr := run.LoadRecord(filepath.Join(dir, run.RecordFile))
	if rerr == nil && recordID(rec) != j.ID {
		return false, nil, fmt.Errorf("run folder %s holds another run (ID %s, this one is %s); move it away", dir, recordID(rec), j.ID)
	}
	last := filepath.Join(dir, run.LastFile)
	if _, err := os.Stat(last); err == nil {
		ck, err := runner.LoadCheckpoint(last)
		switch {
		case err != nil:
		case ck.Settings.ID() != j.ID:
			return false, nil, fmt.Errorf("run folder %s holds the checkpoint of another run (ID %s, this one is %s); move it away", dir, ck.Settings.ID(), j.ID)
		case ck.State != nil && ck.State.Epoch <= j.Settings.Epochs:
			return true, nil, nil
		}
	}
	for _, f := range []string{run.RecordFile, run.BestFile, run.LastFile, run.SettingsFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := claim.Rename(f, f+".replaced"); err != nil {
			return false, nil, fmt.Errorf("run folder %s: %w", dir, err)
		}
		if f != run.SettingsFile {
			set = append(set, f)
		}
	}
	return false, set, nil
}

// WorkerFromEnv names the worker that the environment describes: a Slurm
// job (array) task or a Kubernetes Indexed Job's pod; "" otherwise. The
// name is for people only: workers need no index or count to share a
// sweep.
func WorkerFromEnv(getenv func(string) string) string {
	switch {
	case getenv("SLURM_ARRAY_JOB_ID") != "" && getenv("SLURM_ARRAY_TASK_ID") != "":
		return fmt.Sprintf("slurm job %s task %s", getenv("SLURM_ARRAY_JOB_ID"), getenv("SLURM_ARRAY_TASK_ID"))
	case getenv("SLURM_JOB_ID") != "":
		return "slurm job " + getenv("SLURM_JOB_ID")
	case getenv("JOB_COMPLETION_INDEX") != "":
		name := "kubernetes index " + getenv("JOB_COMPLETION_INDEX")
		if h := getenv("HOSTNAME"); h != "" {
			name += " (" + h + ")"
		}
		return name
	}
	return ""
}
