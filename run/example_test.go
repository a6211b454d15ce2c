package run_test

import (
	"fmt"
	"log"

	"github.com/spikegrad/spikegrad/run"
)

// ExampleSettings_ApplyYAML reads a configuration file over the defaults
// of its data set, checks the memory the run will need, and shows that a
// misspelt key or a bad value is refused with the line or the setting
// named (Set checks the text, Validate the value).
func ExampleSettings_ApplyYAML() {
	doc := []byte(`
dataset: randman
hidden: [100, 100]
surrogate: esser
beta: 20
epochs: 60
`)
	s := run.DefaultSettings(run.DatasetOf(doc, "randman"))
	if err := s.ApplyYAML(doc); err != nil {
		log.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Hidden, s.Surrogate, s.Beta, s.Epochs, s.LR)
	fmt.Println("fits in memory:", s.CheckMemory() == nil)

	fmt.Println(s.ApplyYAML([]byte("hiden: [10]\n")))
	fmt.Println(s.Set("lr", "fast"))
	if err := s.Set("lr", "-1"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Validate())
	// Output:
	// [100 100] esser 20 60 0.005
	// fits in memory: true
	// line 1: unknown key "hiden" (did you mean "hidden"?)
	// lr: want a number, got "fast"
	// lr: want a positive number, got -1
}
