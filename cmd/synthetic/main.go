// Command synthetic writes a stand-in for one of the file-based data sets
// (shd, ssc, rawhd, rawsc) in its published layout, for trying the
// loaders, cmd/train and cmd/baseline without a download. --words makes
// the classes speech-like and hard to tell apart (see
// synthetic.Options); without it every class is a tone or a band of
// channels, which any classifier tells apart.
//
//	go run ./cmd/synthetic --dataset rawhd --words --train 8000 --test 2000 --dir /tmp/rawhd
//	go run ./cmd/train --dataset rawhd --data-dir /tmp/rawhd
//
// The same flags always write the same files.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/datasets/synthetic"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("synthetic", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataset := fs.String("dataset", "", "data set to write: shd, ssc, rawhd or rawsc")
	dir := fs.String("dir", "", "folder to write into (created if needed); point --data-dir of cmd/train at it")
	train := fs.Int("train", 800, "shd, ssc, rawhd: samples of the training file (shd, rawhd: the validation split is drawn from them)")
	valid := fs.Int("valid", 200, "ssc: samples of the validation file")
	test := fs.Int("test", 200, "shd, ssc, rawhd: samples of the test file")
	perWord := fs.Int("per-word", 50, "rawsc: recordings of each word, one per speaker, a tenth each for validation and test")
	classes := fs.Int("classes", 35, "rawsc: words, the first of the 35 of Speech Commands in alphabetical order")
	words := fs.Bool("words", false, "speech-like classes: words of three phones, spoken by varied speakers in noise")
	seed := fs.Uint64("seed", 1, "seed of the samples")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		// The flag package printed the error; a guess at the flag meant
		// is worth a line more.
		if hinted := cli.HintFlag(fs, err); hinted != err {
			fmt.Fprintf(stderr, "synthetic: %v\n", hinted)
		}
		return 2
	}
	if fs.NArg() > 0 || *dir == "" {
		fmt.Fprintln(stderr, "synthetic: want --dataset and --dir and no arguments (see --help)")
		return 2
	}
	// The flags that apply to the data set, checked here so that the
	// message names the flag rather than the package's parameter.
	counts := map[string][]string{"shd": {"train", "test"}, "ssc": {"train", "valid", "test"}, "rawhd": {"train", "test"}}[*dataset]
	for _, name := range counts {
		if n := *map[string]*int{"train": train, "valid": valid, "test": test}[name]; n < 1 || n > synthetic.MaxSamples {
			fmt.Fprintf(stderr, "synthetic: --%s: want a sample count in [1, %d], got %d\n", name, synthetic.MaxSamples, n)
			return 2
		}
	}
	if *dataset == "rawsc" && (*perWord < synthetic.MinPerWord || *perWord > synthetic.MaxPerWord) {
		fmt.Fprintf(stderr, "synthetic: --per-word: want %d to %d recordings per word (a tenth each, at least one, for validation and test), got %d\n",
			synthetic.MinPerWord, synthetic.MaxPerWord, *perWord)
		return 2
	}
	o := synthetic.Options{Words: *words}
	start := time.Now()
	var err error
	switch *dataset {
	case "shd":
		err = synthetic.WriteSHDWith(*dir, *train, *test, *seed, o)
	case "ssc":
		err = synthetic.WriteSSCWith(*dir, *train, *valid, *test, *seed, o)
	case "rawhd":
		err = synthetic.WriteRawHDWith(*dir, *train, *test, *seed, o)
	case "rawsc":
		all := synthetic.CommandWords()
		if *classes < 1 || *classes > len(all) {
			fmt.Fprintf(stderr, "synthetic: --classes: want 1 to %d words, got %d\n", len(all), *classes)
			return 2
		}
		err = synthetic.WriteRawSCWith(*dir, all[:*classes], *perWord, *seed, o)
	default:
		fmt.Fprintf(stderr, "synthetic: --dataset: want shd, ssc, rawhd or rawsc, got %q\n", *dataset)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, err) // the package's errors already start with "synthetic:"
		return 1
	}
	fmt.Fprintf(stdout, "wrote synthetic %s into %s in %v\n", *dataset, *dir, time.Since(start).Round(time.Millisecond))
	return 0
}
