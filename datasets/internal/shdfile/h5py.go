package shdfile

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// PythonPackages are the Debian packages WriteH5py needs.
const PythonPackages = "python3-numpy python3-h5py"

// FindPython returns a python3 that imports numpy and h5py, trying
// Debian's /usr/bin/python3 first (one earlier on PATH, such as a
// virtual environment's, may lack them) and then python3 on PATH, and
// the version of h5py; the error says what to install.
func FindPython(ctx context.Context) (python, h5pyVersion string, err error) {
	candidates := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil && p != candidates[0] {
		candidates = append(candidates, p)
	}
	for _, py := range candidates {
		out, err := exec.CommandContext(ctx, py, "-c", "import numpy, h5py; print(h5py.__version__)").Output()
		if err == nil {
			return py, strings.TrimSpace(string(out)), nil
		}
	}
	return "", "", fmt.Errorf("shdfile: no python3 that imports numpy and h5py (apt-get install %s)", PythonPackages)
}

// h5pyScript writes the file named by its argument from standard input:
// a JSON header line (spike counts, time width, class names, speakers)
// and then every sample's times, every sample's channels and the labels,
// little-endian. The times are stored as float16 (or float32) and the
// channels as uint16 variable-length sequences, the element types of the
// published files, with no creation times, so that the same content
// gives the same bytes.
const h5pyScript = `
import json, sys
import h5py, numpy as np
raw = sys.stdin.buffer.read()
nl = raw.index(b"\n")
h = json.loads(raw[:nl])
body = raw[nl + 1:]
counts = np.array(h["counts"], dtype=np.int64)
n, total = len(counts), int(counts.sum())
tt = np.dtype("<f2") if h["time_bytes"] == 2 else np.dtype("<f4")
times = np.frombuffer(body, tt, total, 0)
units = np.frombuffer(body, "<u2", total, total * tt.itemsize)
labels = np.frombuffer(body, "<u2", n, total * (tt.itemsize + 2))
edges = np.concatenate([[0], np.cumsum(counts)])
def vlen(x):
    a = np.empty(n, dtype=object)
    for i in range(n):
        a[i] = x[edges[i]:edges[i + 1]]
    return a
strings = h5py.string_dtype("utf-8")
with h5py.File(sys.argv[1], "w", libver="earliest") as f:
    def put(name, data, dtype):
        f.create_dataset(name, data=data, dtype=dtype, track_times=False)
    put("spikes/times", vlen(times), h5py.vlen_dtype(tt))
    put("spikes/units", vlen(units), h5py.vlen_dtype(np.dtype("<u2")))
    put("labels", labels, "<u2")
    put("extra/keys", np.array(h["keys"], dtype=object), strings)
    if h.get("speaker_names") is not None:
        put("extra/speaker", np.array(h["speaker_names"], dtype=object), strings)
    elif h.get("speakers") is not None:
        put("extra/speaker", np.array(h["speakers"], dtype="<u2"), "<u2")
    f.require_group("extra/meta_info")
`

// WriteH5py writes c as a new HDF5 file at path with the h5py of python
// (see FindPython), with the element types of the published files:
// spikes/times variable-length float16 (float32 if c's times are four
// bytes wide), spikes/units variable-length uint16, labels uint16,
// extra/keys strings, extra/speaker uint16 or, with c.SpeakerNames,
// strings. The speakers' meta information is not written. On failure
// it removes the file.
func WriteH5py(ctx context.Context, python, path string, c Content) error {
	n := len(c.Labels)
	if len(c.Times) != n || len(c.Units) != n {
		return fmt.Errorf("shdfile: %s: %d labels, %d time and %d channel sequences; want one of each per sample", path, n, len(c.Times), len(c.Units))
	}
	width, counts := 0, make([]int, n)
	for i := range n {
		counts[i] = len(c.Units[i]) / 2
		if len(c.Units[i])%2 != 0 {
			return fmt.Errorf("shdfile: %s: sample %d: %d bytes of channels, not uint16", path, i, len(c.Units[i]))
		}
		if counts[i] == 0 {
			continue
		}
		w := len(c.Times[i]) / counts[i]
		if (w != 2 && w != 4) || w*counts[i] != len(c.Times[i]) || (width != 0 && w != width) {
			return fmt.Errorf("shdfile: %s: sample %d: %d bytes of times for %d spikes", path, i, len(c.Times[i]), counts[i])
		}
		width = w
	}
	if width == 0 {
		width = 2
	}
	header := map[string]any{"counts": counts, "time_bytes": width, "keys": c.Keys}
	if c.SpeakerNames != nil {
		header["speaker_names"] = c.SpeakerNames
	} else {
		header["speakers"] = c.Speakers
	}
	var in bytes.Buffer
	if err := json.NewEncoder(&in).Encode(header); err != nil {
		return fmt.Errorf("shdfile: %s: %w", path, err)
	}
	for _, t := range c.Times {
		in.Write(t)
	}
	for _, u := range c.Units {
		in.Write(u)
	}
	for _, l := range c.Labels {
		in.Write(binary.LittleEndian.AppendUint16(nil, l))
	}
	cmd := exec.CommandContext(ctx, python, "-c", h5pyScript, path)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(path)
		msg := strings.TrimSpace(stderr.String())
		if lines := strings.Split(msg, "\n"); len(lines) > 0 {
			msg = lines[len(lines)-1] // the exception, not the traceback
		}
		if ctx.Err() != nil {
			return fmt.Errorf("shdfile: %s: %w", path, errors.Join(ctx.Err(), err))
		}
		return fmt.Errorf("shdfile: %s: h5py: %w: %s", path, err, msg)
	}
	return nil
}
