package paper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/sweep"
)

// Files and folders of a reproduction's output folder that Execute makes;
// package readme adds the write-up.
const (
	RunsDir    = "runs"        // runs/<sweep>/<run>/record.json, …
	TimingFile = "timing.json" // one entry per invocation of Execute
)

// Session is one invocation of Execute, kept in timing.json so that the
// README can state the wall time of a reproduction done in several
// sessions.
type Session struct {
	Scale Scale  `json:"scale"`
	Shard string `json:"shard,omitempty"`
	// Sweeps are the sweeps the session was limited to (none: all).
	Sweeps   []string  `json:"sweeps,omitempty"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Seconds  float64   `json:"wall_seconds"`
	// CPUSeconds is the processor time the session used (0 where not
	// measured): on an otherwise idle machine the wall time is about
	// CPUSeconds / Cores.
	CPUSeconds float64 `json:"cpu_seconds,omitempty"`
	Jobs       int     `json:"jobs"`
	Cores      int     `json:"cores"`
	Trained    int     `json:"trained"`   // runs that completed in this session
	Skipped    int     `json:"skipped"`   // runs found completed
	Failed     int     `json:"failed"`    // runs that failed
	Completed  bool    `json:"completed"` // every run of the plan done
}

// Event tells the caller of Execute about one run.
type Event struct {
	Sweep string
	sweep.Outcome
	Done, Total int // runs finished so far in this invocation, of the plan
}

// Execute trains the plan's runs into out, jobs at a time, in the plan's
// order, each sweep's runs into out/runs/<sweep>/. Completed runs are skipped; a run
// that was stopped after some epochs continues exactly from its last.npz.
// A completed record marks a run done without its checkpoints (records
// are committed, checkpoints not), so that a fresh clone trains only what
// is missing; the figures that read a run's weights have them made again
// by findings.EnsureWeights.
// A run that another worker holds is put off until every free run is done,
// then waited for. A failed run does not stop the others. Each invocation is appended to
// out/timing.json; shard names the shard ("2/16") there.
func Execute(ctx context.Context, p *Plan, out string, jobs int, shard string, progress func(Event)) error {
	if jobs < 1 {
		return fmt.Errorf("jobs: want ≥ 1, got %d", jobs)
	}
	if err := os.MkdirAll(filepath.Join(out, RunsDir), 0o755); err != nil {
		return fmt.Errorf("out: %w", err)
	}
	s := Session{Scale: p.Scale, Shard: shard, Sweeps: p.Only, Started: time.Now(), Jobs: jobs, Cores: runtime.NumCPU()}
	cpu0 := cpuSeconds()
	total, done := p.Runs(), 0
	timing := filepath.Join(out, sessionFile(shard))
	// The session is saved as it goes, so that a reproduction killed
	// outright still accounts for its time up to its last finished run.
	stamp := func() {
		s.Finished = time.Now()
		s.Seconds = s.Finished.Sub(s.Started).Seconds()
		s.CPUSeconds = cpuSeconds() - cpu0
	}
	stamp()
	if err := saveSession(timing, s); err != nil {
		return err
	}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	// One pool over all sweeps, so that no core idles while the last runs
	// of a sweep finish: each run is a sweep.Execute of its own, which
	// skips it if completed and keeps its folder under its sweep's. The
	// runs another worker holds (a reproduction given some of the same
	// sweeps) are put off until every free run is done, then waited for,
	// and taken over if their worker dies.
	type heldRun struct {
		sweep string
		job   sweep.Job
	}
	var held []heldRun
	slots := make(chan struct{}, jobs)
	start := func(sw string, j sweep.Job, wait bool) bool {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			opt := sweep.Options{Jobs: 1, RecordSuffices: true, NoWait: !wait}
			opt.Done = func(o sweep.Outcome) {
				mu.Lock()
				defer mu.Unlock()
				if o.Elsewhere && !wait {
					held = append(held, heldRun{sw, o.Job})
					return
				}
				done++
				switch {
				case o.Skipped:
					s.Skipped++
				case o.Err != nil:
					s.Failed++
				default:
					s.Trained++
				}
				if progress != nil {
					progress(Event{Sweep: sw, Outcome: o, Done: done, Total: total})
				}
				if !o.Skipped {
					stamp()
					saveSession(timing, s) // best effort; the final save reports errors
				}
			}
			err := sweep.Work(ctx, []sweep.Job{j}, filepath.Join(out, RunsDir, sw), opt)
			if err != nil && ctx.Err() == nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("sweep %s: %w", sw, err))
				mu.Unlock()
			}
		}()
		return true
	}
queue:
	for _, b := range p.Batches {
		if b.Absent != "" || len(b.Jobs) == 0 {
			continue
		}
		for _, j := range resumable(b.Jobs, filepath.Join(out, RunsDir, b.Sweep)) {
			if !start(b.Sweep, j, false) {
				break queue
			}
		}
	}
	wg.Wait()
	for _, h := range held {
		// resumable again: the holder may have stopped the run mid-way.
		if !start(h.sweep, resumable([]sweep.Job{h.job}, filepath.Join(out, RunsDir, h.sweep))[0], true) {
			break
		}
	}
	wg.Wait()
	if ctx.Err() != nil {
		errs = append(errs, fmt.Errorf("interrupted; completed runs are kept, and a rerun continues the others: %w", ctx.Err()))
	}
	stamp()
	s.Completed = len(errs) == 0 && ctx.Err() == nil
	if err := saveSession(timing, s); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// resumable points every run that has a last.npz but no completed record
// at that checkpoint, so that it continues where it stopped instead of
// starting again.
func resumable(jobs []sweep.Job, dir string) []sweep.Job {
	out := make([]sweep.Job, len(jobs))
	for i, j := range jobs {
		out[i] = j
		rd := filepath.Join(dir, j.Name)
		last := filepath.Join(rd, run.LastFile)
		if _, err := os.Stat(last); err == nil && !run.Completed(rd) {
			out[i].Settings.Resume = last
		}
	}
	return out
}

// sessionFile is the timing file of a shard: shards that share an output
// folder each keep their own, so that none overwrites another's.
func sessionFile(shard string) string {
	if shard == "" {
		return TimingFile
	}
	return "timing-shard-" + strings.ReplaceAll(shard, "/", "-of-") + ".json"
}

// Sessions reads the sessions of every timing file in out, oldest first.
func Sessions(out string) ([]Session, error) {
	files, _ := filepath.Glob(filepath.Join(out, "timing*.json"))
	var all []Session
	for _, f := range files {
		ss, err := LoadSessions(f)
		if err != nil {
			return nil, err
		}
		all = append(all, ss...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Started.Before(all[j].Started) })
	return all, nil
}

// LoadSessions reads a timing file; a missing file is no sessions.
func LoadSessions(path string) ([]Session, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ss []Session
	if err := json.Unmarshal(b, &ss); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ss, nil
}

// saveSession writes s into a timing file: in place of the entry of the
// same session (same start), or appended. Processes sharing the folder
// take turns, so that none drops another's session.
func saveSession(path string, s Session) error {
	unlock, err := lockDir(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("timing file %s: %w", path, err)
	}
	defer unlock()
	ss, err := LoadSessions(path)
	if err != nil {
		return err
	}
	i := len(ss)
	for k, o := range ss {
		if o.Started.Equal(s.Started) && o.Shard == s.Shard {
			i = k
		}
	}
	if i == len(ss) {
		ss = append(ss, s)
	} else {
		ss[i] = s
	}
	b, err := json.MarshalIndent(ss, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, append(b, '\n'))
}
