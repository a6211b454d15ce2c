//go:build unix

package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/internal/hostiletest"
)

// TestMain lets the test binary stand in for the command in subprocesses.
func TestMain(m *testing.M) {
	if os.Getenv(hostiletest.AsCommand) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// Item 15 of issue 13, and the archives of the hostile corpus (see
// internal/hostiletest), served by a local server: /<name>/<archive> is
// archive/<name>.tar.gz; /stall/ sends headers and then nothing.
func TestHostileCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if name == "stall" {
			w.Header().Set("Content-Length", "1000000")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			select {
			case <-stop:
			case <-r.Context().Done():
			}
			return
		}
		http.ServeFile(w, r, filepath.Join(hostiletest.Dir(), "archive", filepath.Base(name)+".tar.gz"))
	}))
	defer srv.Close()
	defer close(stop)
	t.Run("cases", func(t *testing.T) {
		for _, c := range hostiletest.Cases(t, "download") {
			t.Run(fmt.Sprint(c.Line), func(t *testing.T) {
				t.Parallel()
				hostiletest.Run(t, c, map[string]string{"server": srv.URL})
			})
		}
	})
}
