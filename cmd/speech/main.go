// Command speech writes spoken stand-ins for the raw audio data sets,
// words said by espeak-ng in many voices and accents and put through sox
// (band limits, reverberation, noise at 0–20 dB), in the layouts that
// cmd/train reads with --dataset rawhd or rawsc (see package
// datasets/speech):
//
//	go run ./cmd/speech --set rawhd --out data/speech-hd
//	go run ./cmd/speech --set rawsc --out data/speech-sc --speakers 16 --trials 3
//	go run ./cmd/train --dataset rawhd --data-dir data/speech-hd
//	go run ./cmd/speech --verify data/speech-hd
//	go run ./cmd/speech --spikes data/speech-hd --out data/speech-shd
//	go run ./cmd/train --dataset shd --data-dir data/speech-shd
//
// --spikes turns a stand-in it wrote into spikes of 700 channels with the
// cochlea model of package datasets/cochlea, in the layout of the Spiking
// Heidelberg Digits (shd_train.h5, shd_test.h5, from rawhd) or of the
// Spiking Speech Commands (ssc_train.h5, ssc_valid.h5, ssc_test.h5, from
// rawsc), which cmd/train reads with --dataset shd or ssc.
//
// Writing the audio needs the Debian packages espeak-ng, sox and libsox-fmt-all. The same
// flags give the same files (with the same versions of espeak-ng and sox);
// the folder's manifest.tsv lists them with their sizes and SHA-256, and
// --verify checks a folder against it. The last line printed is the hash
// of the manifest.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spikegrad/spikegrad/datasets/cochlea"
	"github.com/spikegrad/spikegrad/datasets/speech"
)

const usage = `Usage: go run ./cmd/speech --set rawhd|rawsc --out <new folder> [flags]
       go run ./cmd/speech --verify <folder>
       go run ./cmd/speech --spikes <folder> --out <new folder>

Writes a spoken stand-in for the Heidelberg Digits (rawhd) or Speech
Commands (rawsc) with espeak-ng and sox, checks one against its manifest,
or turns one into spikes in the layout of SHD (from rawhd) or SSC (from
rawsc) with a cochlea model.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	config  speech.Config
	out     string
	verify  string
	spikes  string
	h5py    bool
	workers int
	quiet   bool
}

func parse(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("speech", flag.ContinueOnError)
	fs.SetOutput(stderr)
	set := fs.String("set", "", "layout and words: rawhd (spoken digits, English and German, 48 kHz FLAC) or rawsc (35 words, 1 s 16 kHz WAV)")
	out := fs.String("out", "", "new folder to write the stand-in into")
	verify := fs.String("verify", "", "check this folder against its manifest.tsv instead of writing")
	spikes := fs.String("spikes", "", "turn the stand-in in this folder into spikes (shd or ssc layout) written to --out")
	writer := fs.String("hdf5", "h5py", "--spikes: HDF5 writer, h5py (the published element types: float16 times, uint16 channels; needs python3 with numpy and h5py) or go (no Python; times and channels as byte sequences that spikegrad reads but h5py sees as uint8)")
	speakers := fs.Int("speakers", -1, "training speakers (default 16)")
	val := fs.Int("validation-speakers", -1, "rawsc: validation speakers (default 2)")
	test := fs.Int("test-speakers", -1, "test speakers (default: rawhd 4, rawsc 2)")
	trials := fs.Int("trials", -1, "times each speaker says each word (default: rawhd 5, rawsc 3)")
	words := fs.String("words", "", "rawsc: comma-separated words (default: the 35 of Speech Commands v0.02)")
	snrLo := fs.Float64("snr-min", 0, "lowest signal-to-noise ratio, dB")
	snrHi := fs.Float64("snr-max", 20, "highest signal-to-noise ratio, dB")
	seed := fs.Uint64("seed", 1, "seed of the speakers and recordings")
	workers := fs.Int("workers", 0, "recordings made at once (0: GOMAXPROCS); does not change the files")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nFlags:\n\n", usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: all settings are flags (see --help)", fs.Arg(0))
	}
	o := &options{out: *out, verify: *verify, spikes: *spikes, workers: *workers, quiet: *quiet}
	if o.verify != "" {
		if *out != "" || *set != "" || *spikes != "" {
			return nil, errors.New("--verify checks a folder; it takes no --set, --out or --spikes")
		}
		return o, nil
	}
	if o.spikes != "" {
		switch {
		case *set != "":
			return nil, errors.New("--spikes takes the layout from the stand-in it reads; it takes no --set")
		case *out == "":
			return nil, errors.New("--out: want a new folder for the spikes")
		case *writer != "h5py" && *writer != "go":
			return nil, fmt.Errorf("--hdf5: want h5py or go, got %q", *writer)
		}
		o.h5py = *writer == "h5py"
		return o, nil
	}
	if *set != speech.RawHD && *set != speech.RawSC {
		return nil, fmt.Errorf("--set: want rawhd or rawsc, got %q", *set)
	}
	if *out == "" {
		return nil, errors.New("--out: want a new folder")
	}
	c := speech.DefaultConfig(*set)
	for _, f := range []struct {
		v   int
		dst *int
	}{{*speakers, &c.Speakers}, {*val, &c.ValidationSpeakers}, {*test, &c.TestSpeakers}, {*trials, &c.Trials}} {
		if f.v >= 0 {
			*f.dst = f.v
		}
	}
	if *words != "" {
		for w := range strings.SplitSeq(*words, ",") {
			c.Words = append(c.Words, strings.TrimSpace(w))
		}
	}
	c.SNR, c.Seed = [2]float64{*snrLo, *snrHi}, *seed
	if err := c.Validate(); err != nil {
		msg := err.Error()
		for field, flag := range map[string]string{"Speakers": "speakers", "ValidationSpeakers": "validation-speakers",
			"TestSpeakers": "test-speakers", "Trials": "trials", "SNR": "snr-min, --snr-max", "Words": "words"} {
			msg = strings.Replace(msg, "speech: "+field+" ", "--"+flag+": ", 1)
		}
		return nil, errors.New(msg)
	}
	o.config = c
	return o, nil
}

func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "speech: %v\n", err)
		return 2
	}
	if o.verify != "" {
		if err := speech.Verify(o.verify); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		m, err := os.ReadFile(filepath.Join(o.verify, speech.ManifestFile))
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s matches its manifest; manifest sha256 %s\n", o.verify, speech.ManifestHash(m))
		return 0
	}
	start := time.Now()
	opts := speech.Options{Workers: o.workers}
	what := "recordings"
	if o.spikes != "" {
		what = "recordings encoded"
	}
	if !o.quiet {
		last := time.Now()
		opts.Progress = func(done, total int) {
			if done == total || time.Since(last) > 5*time.Second {
				last = time.Now()
				fmt.Fprintf(stderr, "speech: %d of %d %s\n", done, total, what)
			}
		}
	}
	if o.spikes != "" {
		return writeSpikes(ctx, o, opts, start, stdout, stderr)
	}
	info, err := speech.Write(ctx, o.out, o.config, opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	m, err := os.ReadFile(filepath.Join(o.out, speech.ManifestFile))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %d recordings (%s layout) to %s in %s with %s and sox %s\n", info.Recordings, info.Config.Set,
		o.out, time.Since(start).Round(time.Second), info.Espeak, info.Sox)
	fmt.Fprintf(stdout, "manifest sha256 %s\n", speech.ManifestHash(m))
	return 0
}

// writeSpikes runs --spikes.
func writeSpikes(ctx context.Context, o *options, opts speech.Options, start time.Time, stdout, stderr io.Writer) int {
	info, err := speech.WriteSpikes(ctx, o.spikes, o.out, cochlea.Default(), speech.SpikeOptions{Options: opts, H5py: o.h5py})
	if err != nil {
		fmt.Fprintln(stderr, err)
		if o.h5py && strings.Contains(err.Error(), "h5py") && strings.Contains(err.Error(), "apt-get") {
			fmt.Fprintln(stderr, "speech: or write without Python: --hdf5 go (byte sequences that spikegrad reads but h5py sees as uint8)")
		}
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	for _, f := range info.Files {
		fmt.Fprintf(stdout, "%s: %d recordings, %d spikes (%d to %d a recording, mean %.0f)\n",
			f.Name, f.Recordings, f.Spikes, f.Fewest, f.Most, f.Mean)
	}
	fmt.Fprintf(stdout, "wrote the %s layout of %s to %s with %s in %s\n", info.Set, o.spikes, o.out, info.HDF5, time.Since(start).Round(time.Second))
	return 0
}
