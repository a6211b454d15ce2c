package runner_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// ExampleExecute does what `go run ./cmd/train --name demo` does, from Go:
// settings in, a run folder out, holding the settings, the best and last
// checkpoints and the run's record. A named folder is never overwritten:
// a second call with the same name is refused, and says how to continue
// the run or start another.
func ExampleExecute() {
	out, err := os.MkdirTemp("", "spikegrad-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(out)

	s := run.DefaultSettings("randman")
	s.Randman.Classes, s.Randman.SamplesPerClass = 3, 100
	s.Randman.TrainPerClass, s.Randman.ValidationPerClass = 80, 10
	s.Epochs, s.Batch, s.Out, s.Name = 2, 40, out, "demo"
	rec, dir, err := runner.Execute(context.Background(), &s, runner.Hooks{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("folder:", filepath.Base(dir))
	for _, f := range []string{run.SettingsFile, run.BestFile, run.LastFile, run.RecordFile} {
		_, err := os.Stat(filepath.Join(dir, f))
		fmt.Printf("%-13s written: %t\n", f, err == nil)
	}
	fmt.Printf("status %s, %d epochs, %d test samples\n", rec.Status, len(rec.History), rec.Test.N)

	_, _, err = runner.Execute(context.Background(), &s, runner.Hooks{})
	fmt.Println("second call refused:", err != nil)
	// Output:
	// folder: demo
	// settings.yaml written: true
	// best.npz      written: true
	// last.npz      written: true
	// record.json   written: true
	// status completed, 2 epochs, 30 test samples
	// second call refused: true
}
