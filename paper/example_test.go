package paper_test

import (
	"fmt"
	"log"

	"github.com/spikegrad/spikegrad/paper"
)

// ExampleNewPlan lists what the local scale trains for Fig. 5e–f, and
// one shard of its four-way split as a Slurm array task would take it.
// The plan is pure: nothing is trained or written until Execute.
func ExampleNewPlan() {
	p, err := paper.NewPlan(paper.Options{Scale: paper.Local, Sweeps: []string{"fig5-recurrent"}})
	if err != nil {
		log.Fatal(err)
	}
	b := p.Batch("fig5-recurrent")
	s := b.Jobs[0].Settings
	fmt.Printf("%s: %d runs on %s, %d epochs; the first: surrogate %s β = %g, η = %g, hidden %v, recurrent gradient %t\n",
		b.Sweep, len(b.Jobs), b.Dataset, s.Epochs, s.Surrogate, s.Beta, s.LR, s.Hidden, s.RecurrentGrad)
	fmt.Println("runs of the plan:", p.Runs())

	shard, err := paper.NewPlan(paper.Options{Scale: paper.Local, Shard: 1, Shards: 4})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("runs of shard 1 of 4:", shard.Runs())
	// Output:
	// fig5-recurrent: 128 runs on randman, 40 epochs; the first: surrogate superspike β = 2, η = 0.001, hidden [100], recurrent gradient false
	// runs of the plan: 128
	// runs of shard 1 of 4: 168
}
