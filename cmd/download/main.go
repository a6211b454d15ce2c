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
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/spikegrad/spikegrad/datasets/download"
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
	base := fs.String("base-url", "", "replace the official server of shd, ssc and rawhd (a mirror)")
	remove := fs.Bool("remove-archives", false, "delete each archive once it is unpacked")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "download: %v\n", err)
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
	opts := download.Options{BaseURL: *base, RemoveArchives: *remove,
		Logger: slog.New(slog.NewTextHandler(stderr, nil))}
	if err := download.Fetch(ctx, *name, *dir, opts); err != nil {
		fmt.Fprintf(stderr, "download: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s is ready in %s: go run ./cmd/train --dataset %s --data-dir %s\n", *name, *dir, *name, *dir)
	return 0
}
