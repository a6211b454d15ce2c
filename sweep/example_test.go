package sweep_test

import (
	"fmt"
	"log"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/sweep"
)

// ExampleParseSweeps reads a sweep file, counts its runs before expanding
// them, and lists the first runs with their folder names: a readable slug
// of the grid point and twelve digits of the ID of all the run's settings
// (the same settings give the same ID in any sweep, so a run is never
// trained twice).
func ExampleParseSweeps() {
	doc := []byte(`
name: beta
base: {epochs: 20}
grid:
  surrogate: [superspike, esser]
  beta: [2, 20]
variants:
  - {hidden: [100]}
  - {hidden: [100, 100]}
`)
	sweeps, err := sweep.ParseSweeps(doc)
	if err != nil {
		log.Fatal(err)
	}
	n, _ := sweep.Count(sweeps)
	fmt.Println(n, "runs")
	jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sweeps)
	if err != nil {
		log.Fatal(err)
	}
	for _, j := range jobs[:3] {
		fmt.Printf("%s: %s β=%g hidden %v, %d epochs\n", j.Name, j.Settings.Surrogate, j.Settings.Beta, j.Settings.Hidden, j.Settings.Epochs)
	}

	// A key that is not a setting is an error that names its line.
	_, err = sweep.ParseSweeps([]byte("grid:\n  betta: [1, 2]\n"))
	fmt.Println(err)
	// Output:
	// 8 runs
	// beta_hidden=100_surrogate=superspike_beta=2-3308f5d86ac9: superspike β=2 hidden [100], 20 epochs
	// beta_hidden=100_surrogate=superspike_beta=20-6a8019f41c2b: superspike β=20 hidden [100], 20 epochs
	// beta_hidden=100_surrogate=esser_beta=2-160370fd3e31: esser β=2 hidden [100], 20 epochs
	// line 2: unknown setting "betta" (did you mean "beta"?)
}
