package download

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync/atomic"
	"time"
)

// fetchResumable downloads url into part, appending to what part already
// holds. A transfer that receives nothing for idle (before the response's
// headers or within its body) is ended; part keeps what arrived.
func fetchResumable(ctx context.Context, client *http.Client, url, part string, idle time.Duration) error {
	var have int64
	if fi, err := os.Stat(part); err == nil {
		have = fi.Size()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var stalled atomic.Bool
	timer := time.AfterFunc(idle, func() { stalled.Store(true); cancel() })
	defer timer.Stop()
	stallErr := func(err error) error {
		if stalled.Load() {
			return fmt.Errorf("download: %s sent nothing for %v (the server stalls); %s is kept, run the download again to resume", url, idle, part)
		}
		return err
	}
	resp, err := get(ctx, client, url, have)
	if err != nil {
		return stallErr(err)
	}
	defer resp.Body.Close()
	flag, err := openMode(resp, have, part)
	if err != nil || flag == 0 {
		return err
	}
	f, err := os.OpenFile(part, flag, 0o644)
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	n, err := io.Copy(f, &idleReader{r: resp.Body, timer: timer, idle: idle})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if stalled.Load() {
			return stallErr(err)
		}
		return fmt.Errorf("download: %s interrupted after %d more bytes; %s is kept, run the download again to resume: %w", url, n, part, err)
	}
	return nil
}

// idleReader restarts timer for idle at every read that brings data.
type idleReader struct {
	r     io.Reader
	timer *time.Timer
	idle  time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.timer.Reset(r.idle)
	}
	return n, err
}

// get requests url, from byte offset from on.
func get(ctx context.Context, client *http.Client, url string, from int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	if from > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", from))
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	return resp, nil
}

// openMode decides, from the response to a request for the bytes after
// the have bytes already in part, how to open part for the body: appending
// for a partial response, truncating for a full one, and not at all (flag
// 0) when part is already complete.
func openMode(resp *http.Response, have int64, part string) (flag int, err error) {
	cr := resp.Header.Get("Content-Range")
	switch resp.StatusCode {
	case http.StatusPartialContent:
		var start int64
		if _, err := fmt.Sscanf(cr, "bytes %d-", &start); err != nil || start != have {
			return 0, fmt.Errorf("download: %s: server resumed at Content-Range %q, want byte %d", resp.Request.URL, cr, have)
		}
		return os.O_WRONLY | os.O_APPEND, nil
	case http.StatusOK:
		// The server sends the whole file (it may ignore Range): start over.
		return os.O_WRONLY | os.O_CREATE | os.O_TRUNC, nil
	case http.StatusRequestedRangeNotSatisfiable:
		var total int64
		if _, err := fmt.Sscanf(cr, "bytes */%d", &total); err == nil && total == have {
			return 0, nil
		}
		os.Remove(part)
		return 0, fmt.Errorf("download: %s: partial file %s does not fit the server's file (Content-Range %q); removed it, run the download again", resp.Request.URL, part, cr)
	}
	return 0, fmt.Errorf("download: GET %s: %s", resp.Request.URL, resp.Status)
}
