package sweep

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// Outcome is what became of one run of a sweep.
type Outcome struct {
	Job     Job
	Skipped bool // completed by an earlier invocation
	Record  *run.Record
	Err     error
}

// Execute runs the runs into out, jobs at a time. Runs whose folder holds a
// completed record are skipped, so an interrupted sweep restarted with the
// same arguments only does what is missing. done, if set, is called as each
// run ends (from several goroutines, one at a time). A failed run does not
// stop the others; the returned error lists the failures.
func Execute(ctx context.Context, runs []Job, out string, jobs int, hooks func(Job) runner.Hooks, done func(Outcome)) error {
	if jobs < 1 {
		return fmt.Errorf("jobs: want ≥ 1, got %d", jobs)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("out: %w", err)
	}
	var (
		mu     sync.Mutex
		failed []string
		wg     sync.WaitGroup
	)
	sem := make(chan struct{}, jobs)
	for _, r := range runs {
		r.Settings.Out = out
		if run.Completed(filepath.Join(out, r.Name)) {
			report(&mu, done, Outcome{Job: r, Skipped: true})
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(r Job) {
			defer func() { <-sem; wg.Done() }()
			var h runner.Hooks
			if hooks != nil {
				h = hooks(r)
			}
			rec, _, err := runner.Execute(ctx, &r.Settings, h)
			if err != nil {
				mu.Lock()
				failed = append(failed, fmt.Sprintf("%s: %v", r.Name, err))
				mu.Unlock()
			}
			report(&mu, done, Outcome{Job: r, Record: rec, Err: err})
		}(r)
	}
	wg.Wait()
	if ctx.Err() != nil {
		return fmt.Errorf("sweep interrupted; completed runs are kept and skipped on restart: %w", ctx.Err())
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		return fmt.Errorf("%d runs failed:\n  %s", len(failed), strings.Join(failed, "\n  "))
	}
	return nil
}

func report(mu *sync.Mutex, done func(Outcome), o Outcome) {
	if done == nil {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	done(o)
}
