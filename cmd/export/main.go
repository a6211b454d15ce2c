// Command export writes a trained network as a NIR file, the exchange
// format of snnTorch, Norse, Spyx, Rockpool, Sinabs, Lava and several
// neuromorphic chips (see package nir for the layout and the mapping from
// spikegrad's discrete-time neurons to NIR's parameters):
//
//	go run ./cmd/export --checkpoint runs/<run>/best.npz --nir model.nir
//
// The file carries the run's settings in its metadata, so cmd/eval
// evaluates it and cmd/train --resume fine-tunes it like the checkpoint.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/nir"
	"github.com/spikegrad/spikegrad/runner"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	checkpoint, out string
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "export: %v\n", err)
		return 2
	}
	if err := export(o, stdout); err != nil {
		fmt.Fprintf(stderr, "export: %v\n", err)
		return 1
	}
	return 0
}

func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.checkpoint, "checkpoint", "", "checkpoint (.npz) written by cmd/train (required)")
	fs.StringVar(&o.out, "nir", "", "NIR file to write (required; conventionally .nir)")
	if err := fs.Parse(args); err != nil {
		return nil, cli.HintFlag(fs, err)
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	case o.checkpoint == "":
		return nil, fmt.Errorf("--checkpoint is required")
	case o.out == "":
		return nil, fmt.Errorf("--nir is required")
	}
	return o, nil
}

func export(o *options, stdout io.Writer) error {
	ck, err := runner.LoadCheckpoint(o.checkpoint)
	if err != nil {
		return err
	}
	w := ck.Weights
	spec, err := ck.Settings.Spec(w.W[0].Shape()[0], w.W[len(w.W)-1].Shape()[1])
	if err != nil {
		return fmt.Errorf("checkpoint %s: settings: %w", o.checkpoint, err)
	}
	js, err := json.Marshal(ck.Settings)
	if err != nil {
		return err
	}
	if err := nir.Export(o.out, &nir.Network{Spec: spec, Weights: w, Settings: js}); err != nil {
		return err
	}
	layers := []string{fmt.Sprint(spec.Inputs)}
	for _, h := range spec.Hidden {
		layers = append(layers, fmt.Sprint(h))
	}
	kind := "feed-forward"
	if spec.Recurrent {
		kind = "recurrent"
	}
	fmt.Fprintf(stdout, "wrote %s: %s-%d %s network, %s readout, Δt = %g ms, %v weights\n",
		o.out, strings.Join(layers, "-"), spec.Outputs, kind, spec.Readout, spec.DT, w.W[0].Dtype())
	return nil
}
