package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Item 15 of issue 13: messages read "download: download: …". They name
// the command once and say what to do on the command line.
func TestMessagesNameTheCommandOnce(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"--dataset", "rawsc", "--dir", t.TempDir(), "--base-url", srv.URL}, &out, &errs)
	msg := errs.String()
	if code != 1 || !strings.Contains(msg, "download: GET "+srv.URL+"/speech_commands_v0.02.tar.gz: 404 Not Found") ||
		strings.Contains(msg, "download: download:") || strings.Contains(msg, "Download again") {
		t.Errorf("exit %d:\n%s", code, msg)
	}
	for _, args := range [][]string{{"--max-unpacked", "lots"}, {"--idle-timeout", "0s"}} {
		errs.Reset()
		if code := run(context.Background(), append([]string{"--dataset", "shd", "--dir", t.TempDir()}, args...), &out, &errs); code != 2 || !strings.Contains(errs.String(), args[0]) {
			t.Errorf("%v: exit %d, %s", args, code, errs.String())
		}
	}
}
