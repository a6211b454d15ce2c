package main

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBadFlags(t *testing.T) {
	for want, args := range map[string][]string{
		"--dataset": {"--dataset", "cifar", "--dir", "x"},
		"--dir":     {"--dataset", "shd"},
	} {
		var out, errs bytes.Buffer
		if code := run(context.Background(), args, &out, &errs); code != 2 || !strings.Contains(errs.String(), want) {
			t.Errorf("%v: exit %d, %q", args, code, errs.String())
		}
	}
}

// TestCorruptArchiveIsRefused serves archives that do not match the
// published SHD checksums from a local server: the command must fail and
// say why.
func TestCorruptArchiveIsRefused(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("shd_train.h5")
	w.Write([]byte("not the real file"))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(buf.Bytes())
	}))
	defer srv.Close()
	for _, name := range []string{"shd", "ssc"} {
		var out, errs bytes.Buffer
		code := run(context.Background(), []string{"--dataset", name, "--dir", t.TempDir(), "--base-url", srv.URL + "/"}, &out, &errs)
		if code != 1 || !strings.Contains(strings.ToLower(errs.String()), "checksum") {
			t.Errorf("%s: exit %d, stderr %q; want a checksum error", name, code, errs.String())
		}
	}
}
