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
	target          string
	step            float64
	convert         bool
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
	if err := export(o, stdout, stderr); err != nil {
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
	fs.StringVar(&o.target, "target", "peers", "who reads the file: peers (snnTorch's import_from_nir and Norse's from_nir as they are: time constants in seconds for a reader stepping by --step, no readout node; see the README) or spikegrad (time in ms with dt in the metadata, a CubaLI readout: read back bit for bit)")
	fs.Float64Var(&o.step, "step", nir.DefaultPeerStep, "--target peers: the reader's time step in seconds (snnTorch's importer uses 1e-4 whatever the file says; give Norse's from_nir the same dt)")
	fs.BoolVar(&o.convert, "convert", false, "export a network trained with the paper's discretisation without a warning (the peers step it by explicit Euler: another network)")
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
	case o.target != "peers" && o.target != "spikegrad":
		return nil, fmt.Errorf("--target %.40q: want peers or spikegrad", o.target)
	case !(o.step > 0) || o.step > 1e3:
		return nil, fmt.Errorf("--step %g: want a time step in seconds, > 0", o.step)
	}
	return o, nil
}

func export(o *options, stdout, stderr io.Writer) error {
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
	opt := nir.ExportOptions{Target: nir.TargetSpikegrad, Convert: o.convert}
	if o.target == "peers" {
		opt.Target, opt.Step = nir.TargetPeers, o.step
	}
	warn, err := nir.ExportWith(o.out, &nir.Network{Spec: spec, Weights: w, Settings: js}, opt)
	if err != nil {
		return err
	}
	for _, m := range warn {
		fmt.Fprintf(stderr, "export: warning: %s\n", m)
	}
	layers := []string{fmt.Sprint(spec.Inputs)}
	for _, h := range spec.Hidden {
		layers = append(layers, fmt.Sprint(h))
	}
	kind := "feed-forward"
	if spec.Recurrent {
		kind = "recurrent"
	}
	disc := spec.Discretisation
	if disc == "" {
		disc = "paper"
	}
	neuron := ""
	if spec.Neuron != "" && spec.Neuron != "lif" {
		neuron = fmt.Sprintf(", neuron %s (each neuron's time constants in the CubaLIF arrays)", spec.Neuron)
	}
	fmt.Fprintf(stdout, "wrote %s: %s-%d %s network, %s discretisation, %s readout, Δt = %g ms, %v weights%s\n",
		o.out, strings.Join(layers, "-"), spec.Outputs, kind, disc, spec.Readout, spec.DT, w.W[0].Dtype(), neuron)
	if opt.Target == nir.TargetPeers {
		fmt.Fprintf(stdout, "for snnTorch and Norse: time constants in seconds for a step of %g s (Norse: from_nir(graph, dt=%g)); the output is the readout's input current, see the README for the logits\n", o.step, o.step)
	}
	return nil
}
