// Command download fetches a data set archive from its official location,
// verifies its checksum, and unpacks it in place; an interrupted download
// resumes where it stopped.
//
//	go run ./cmd/download --dataset shd --dir data/shd
//	go run ./cmd/train --dataset shd --data-dir data/shd
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/datasets/download"
	"github.com/spikegrad/spikegrad/internal/readlimit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("download", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("dataset", "", "data set: "+strings.Join(download.Datasets, ", ")+" (mnist needs no download: it comes with the Go module cache)")
	dir := fs.String("dir", "", "folder to download and unpack into (created if missing)")
	base := fs.String("base-url", "", "replace the official server of every data set (a mirror holding the archives under their published names)")
	remove := fs.Bool("remove-archives", false, "delete each archive once it is unpacked")
	idle := fs.Duration("idle-timeout", download.DefaultIdleTimeout, "give up a transfer that receives nothing for this long (the partial file is kept for the next try)")
	maxUnpacked := fs.String("max-unpacked", "32G", "refuse an archive that unpacks to more than this")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "download: %v\n", cli.HintFlag(fs, err))
		return 2
	}
	switch {
	case !slices.Contains(download.Datasets, *name):
		fmt.Fprintf(stderr, "download: --dataset: want one of %s, got %q\n", strings.Join(download.Datasets, ", "), *name)
		return 2
	case *dir == "":
		fmt.Fprintf(stderr, "download: --dir is required\n")
		return 2
	}
	log, err := cli.NewLogger("text", "info", stderr)
	if err != nil {
		fmt.Fprintf(stderr, "download: %v\n", err)
		return 1
	}
	limit, err := readlimit.ParseSize(*maxUnpacked)
	if err != nil || limit < 1 {
		fmt.Fprintf(stderr, "download: --max-unpacked: %v\n", err)
		return 2
	}
	if *idle <= 0 {
		fmt.Fprintf(stderr, "download: --idle-timeout: want a positive duration, got %v\n", *idle)
		return 2
	}
	opts := download.Options{BaseURL: *base, RemoveArchives: *remove, Logger: log, IdleTimeout: *idle, MaxUnpacked: limit}
	if err := download.Fetch(ctx, *name, *dir, opts); err != nil {
		// The package's errors start with its name, as this command's
		// messages do: say it once.
		fmt.Fprintf(stderr, "download: %s\n", strings.TrimPrefix(err.Error(), "download: "))
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "download: interrupted; run the same command again to resume\n")
			return 130
		}
		return 1
	}
	fmt.Fprintf(stdout, "%s is ready in %s: go run ./cmd/train --dataset %s --data-dir %s\n", *name, *dir, *name, *dir)
	return 0
}
