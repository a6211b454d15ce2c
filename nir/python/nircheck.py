#!/usr/bin/env python3
"""Check spikegrad's exported files from Python, with numpy and h5py only.

    python3 nircheck.py model.nir [--activity activity.json] [--npz best.npz]

model.nir is read the way the NIR reference reader (nir.read) reads a file,
and its layout is checked against what that reader and its type check need:
a scalar /version string, a scalar type per node, parameters as 1-D arrays of
one value per neuron, edges as an N x 2 array of node names whose shapes
match.

With --activity, the network is simulated from the NIR parameters alone,
following the mapping documented in spikegrad's nir package (and recorded in
the file's metadata): explicit Euler steps of dt,

    z[n]   = 1 if v[n] >= v_threshold else 0
    I[n+1] = I[n] + dt/tau_syn * (w_in * x[n] - I[n]),  x[n] = weight @ input[n]
    v[n+1] = (v[n] + dt/tau_mem * (v_leak - v[n] + r * I[n])) * (1 - z[n])

(CubaLI without threshold and reset), state zero at n = 0, logits the max or
sum over n = 1..steps of the CubaLI's v[n]. Every parameter is an array of
one value per neuron (learnt per-neuron time constants differ between
them). A file written for the peers (no CubaLI: the last weights feed the
Output) is simulated the same way, its readout's tau_syn and tau_mem taken
from the metadata (readout_tau_*: one number, or one per neuron separated
by spaces) with r = 1 and w_in = tau_syn/dt. The activity file, written by
spikegrad, holds input spike trains and the hidden spikes and logits
spikegrad computed for them: the spikes must be identical, the logits equal
to 1e-5.

With --convention peers, the network is simulated instead the way snnTorch
and Norse simulate it, from the graph alone, as their NIR importers read it
(neither reads the metadata), for a reader that steps by --dt seconds
(default 1e-4, snnTorch's fixed step). Two programs, one per peer, follow
their equations:

    snnTorch (import_from_nir: Synaptic, reset to zero, r = tau_mem/dt)
        alpha = 1 - dt/tau_syn, beta = 1 - dt/tau_mem,
        threshold = v_threshold / (w_in*dt/tau_syn)
        syn[n] = alpha*syn[n-1] + x[n],  mem[n] = beta*mem[n-1] + syn[n]
        z[n] = mem[n] > threshold, then mem[n] = 0 where z[n]
        (one threshold per CubaLIF: a file whose neurons differ is refused)
    Norse (from_nir: CubaLIF = w_in, LIBoxCell, r, LIFBoxCell)
        i[n] = i[n-1] + dt/tau_syn*(w_in*x[n] - i[n-1])
        v'   = v[n-1] + dt/tau_mem*(v_leak - v[n-1] + r*i[n])
        z[n] = v' > v_threshold,  v[n] = v' where not z[n], v_reset where z[n]

with x[n] = weight @ input[n] (+ bias) + w_rec @ z[n-1] for a recurrent
layer. The readout: a CubaLI node is stepped like Norse's CubaLIF without
spikes; a graph whose last weights feed the Output directly (spikegrad's
export for the peers) is filtered as its metadata's "logits" entry says,
with readout_tau_syn and readout_tau_mem: I = a*I + x[n], U = b*U + (1-b)*I,
logits the max or sum over n = 0..steps-1 of U. Both programs must find
spikegrad's spikes (identical) and logits (1e-5) for a network trained with
spikegrad's euler discretisation.

With --npz, a checkpoint is opened with NumPy and checked against the
layout documented in spikegrad's README (Checkpoints): W0 ... Wout, V0 ...
as [fan_in, fan_out] float arrays, the learnt-tau models' theta_mem<l>,
theta_syn<l> (theta_memout, theta_synout for the readout) as [1, units],
and the settings as a JSON string; with a NIR file too, its weights must be
the checkpoint's, transposed, exactly, and its tau those of the theta:
tau = tau_set*exp(c*tanh(theta/c)), c = ln 10, written as dt/(1 - exp(-dt/tau))
in the file's unit (1e-9).

Prints one JSON line with what it checked; exits with status 1 on a
mismatch.
"""

import argparse
import json
import sys

import h5py
import numpy as np

# The fields of the reference implementation's node classes (nir/ir/*.py)
# that nir.read passes to their constructors: a missing one or any other
# key makes it fail. v_reset is optional since NIR 1.0.6.
FIELDS = {
    "Input": ({"shape"}, set()),
    "Output": ({"shape"}, set()),
    "Linear": ({"weight"}, set()),
    "Affine": ({"weight", "bias"}, set()),
    "CubaLIF": ({"tau_syn", "tau_mem", "r", "v_leak", "v_threshold"}, {"v_reset", "w_in"}),
    "CubaLI": ({"tau_syn", "tau_mem", "r", "v_leak"}, {"w_in"}),
}
KNOWN = set(FIELDS)
NEURON_FIELDS = {
    "CubaLIF": ["tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "w_in"],
    "CubaLI": ["tau_syn", "tau_mem", "r", "v_leak", "w_in"],
}


class Mismatch(Exception):
    pass


class Refused(Exception):
    """What a peer's importer refuses."""


def expect(cond, msg):
    if not cond:
        raise Mismatch(msg)


def hdf2dict(group):
    """The reference reader's hdf2dict: bytes become str."""
    out = {}
    for key, item in group.items():
        if isinstance(item, h5py.Group):
            out[key] = hdf2dict(item)
        else:
            v = item[()]
            out[key] = v.decode("utf8") if isinstance(v, bytes) else v
    return out


def read_nir(path):
    with h5py.File(path, "r") as f:
        version = f["version"][()]
        expect(isinstance(version, bytes), "/version is not a scalar string: %r" % (version,))
        root = hdf2dict(f["node"])
    expect(root.get("type") == "NIRGraph", "/node/type is %r, want the string NIRGraph" % (root.get("type"),))
    nodes = root["nodes"]
    for name, node in nodes.items():
        expect(isinstance(node.get("type"), str), "node %s: type %r is not a scalar string" % (name, node.get("type")))
        expect(node["type"] in KNOWN, "node %s: unexpected type %s" % (name, node["type"]))
        required, optional = FIELDS[node["type"]]
        keys = set(node) - {"type", "metadata"}
        expect(required <= keys <= required | optional, "node %s (%s): fields %s, the reference reader takes %s and optionally %s"
               % (name, node["type"], sorted(keys), sorted(required), sorted(optional)))
        for field in NEURON_FIELDS.get(node["type"], []):
            a = node[field]
            expect(isinstance(a, np.ndarray) and a.ndim == 1, "node %s: %s is not a 1-D array" % (name, field))
        if node["type"] in NEURON_FIELDS:
            sizes = {node[k].shape for k in NEURON_FIELDS[node["type"]] + ["v_reset"] if k in node}
            expect(len(sizes) == 1, "node %s: parameters of different shapes %s" % (name, sizes))
    edges = root["edges"]
    expect(edges.ndim == 2 and edges.shape[1] == 2, "edges have shape %s, want (N, 2)" % (edges.shape,))
    edges = [(a.decode("utf8"), b.decode("utf8")) for a, b in edges]
    for a, b in edges:
        expect(a in nodes and b in nodes, "edge %s -> %s names a missing node" % (a, b))
        expect(np.array_equal(out_shape(nodes[a]), in_shape(nodes[b])),
               "edge %s -> %s: shapes %s -> %s" % (a, b, out_shape(nodes[a]), in_shape(nodes[b])))
    meta = root.get("metadata", {})
    return version.decode("utf8"), nodes, edges, meta


def in_shape(node):
    t = node["type"]
    if t in ("Input", "Output"):
        return np.asarray(node["shape"])
    if t in ("Linear", "Affine"):
        return np.array([node["weight"].shape[1]])
    return np.array(node["tau_syn"].shape)


def out_shape(node):
    if node["type"] in ("Linear", "Affine"):
        return np.array([node["weight"].shape[0]])
    return in_shape(node)


def layers(nodes, edges):
    """The chain input -> (weights -> CubaLIF [loop])* -> weights -> CubaLI
    -> output, as (weights, neurons, loop or None) per layer."""
    succ = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
    loop = {}
    for a, b in edges:
        if nodes[a]["type"] == "CubaLIF" and nodes[b]["type"] in ("Linear", "Affine") and succ.get(b) == [a]:
            loop[a] = b

    def next_of(n):
        nxt = [b for b in succ.get(n, []) if b != loop.get(n)]
        expect(len(nxt) == 1, "node %s: successors %s, want one" % (n, nxt))
        return nxt[0]

    inputs = [n for n in nodes if nodes[n]["type"] == "Input"]
    expect(len(inputs) == 1, "want one Input node, got %s" % inputs)
    out, at = [], inputs[0]
    while True:
        fc = next_of(at)
        expect(nodes[fc]["type"] in ("Linear", "Affine"), "node %s: type %s, want weights" % (fc, nodes[fc]["type"]))
        nrn = next_of(fc)
        out.append((fc, nrn, loop.get(nrn)))
        if nodes[nrn]["type"] == "CubaLI":
            expect(nodes[next_of(nrn)]["type"] == "Output", "node %s: the readout does not feed the Output" % nrn)
            return out
        expect(nodes[nrn]["type"] == "CubaLIF", "node %s: type %s, want CubaLIF" % (nrn, nodes[nrn]["type"]))
        at = nrn


def weight(node):
    w = np.asarray(node["weight"], dtype=np.float64)
    if node["type"] == "Affine":
        return w, np.asarray(node["bias"], dtype=np.float64)
    return w, 0.0


def simulate(nodes, edges, meta, x):
    """x: [batch, T, inputs] spikes. Returns the hidden spikes per layer,
    [batch, T, units], and the logits [batch, outputs]."""
    dt = float(meta["dt"])
    expect(meta["threshold"].startswith("z[n] = 1 if v[n] >= v_threshold"), "threshold rule %r" % meta["threshold"])
    expect(meta["reset"].startswith("to zero, multiplicative"), "reset rule %r" % meta["reset"])
    batch, T, _ = x.shape
    spikes, s_in = [], x
    for fc, nrn, loop in peer_layers(nodes, edges):
        w, b = weight(nodes[fc])
        N = w.shape[0]
        if nrn is None:  # the readout of a file for the peers, from the metadata
            expect("the paper's readout" in meta.get("logits", ""), "no readout recipe of the paper's discretisation in the metadata")
            p = {"tau_syn": per_neuron(meta["readout_tau_syn"], N), "tau_mem": per_neuron(meta["readout_tau_mem"], N),
                 "r": np.ones(N), "w_in": per_neuron(meta["readout_tau_syn"], N) / dt, "v_leak": np.zeros(N)}
            spiking = False
        else:
            p = {k: np.asarray(v, dtype=np.float64) for k, v in nodes[nrn].items() if k != "type" and isinstance(v, np.ndarray)}
            spiking = nodes[nrn]["type"] == "CubaLIF"
        I, v = np.zeros((batch, N)), np.zeros((batch, N))
        z = np.zeros((batch, N))
        out = np.zeros((batch, T, N))
        pots = np.zeros((batch, T + 1, N))
        wrec, brec = weight(nodes[loop]) if loop else (None, 0.0)
        for n in range(T):
            if spiking:
                z = (v >= p["v_threshold"]).astype(np.float64)
                out[:, n] = z
            xin = s_in[:, n] @ w.T + b
            if wrec is not None:
                xin = xin + z @ wrec.T + brec
            v_next = v + dt / p["tau_mem"] * (p["v_leak"] - v + p["r"] * I)
            if spiking:
                v_next = v_next * (1 - z)
            I = I + dt / p["tau_syn"] * (p["w_in"] * xin - I)
            v = v_next
            pots[:, n + 1] = v
        if spiking:
            spikes.append(out)
            s_in = out
        else:
            reduce = {"max": np.max, "sum": np.sum}[meta["readout"]]
            return spikes, reduce(pots[:, 1:], axis=1)
    raise Mismatch("no CubaLI readout")


def peer_layers(nodes, edges):
    """The chain as the peers see it: (weights, neurons or None, loop)."""
    succ = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
    out = []
    try:
        return layers(nodes, edges)
    except Mismatch:
        pass
    # The last weights feed the Output: no readout node.
    loop = {}
    for a, b in edges:
        if nodes[a]["type"] == "CubaLIF" and nodes[b]["type"] in ("Linear", "Affine") and succ.get(b) == [a]:
            loop[a] = b
    at = [n for n in nodes if nodes[n]["type"] == "Input"][0]
    while True:
        nxt = [b for b in succ.get(at, []) if b != loop.get(at)]
        expect(len(nxt) == 1, "node %s: successors %s, want one" % (at, nxt))
        fc = nxt[0]
        nxt = succ.get(fc, [])
        expect(len(nxt) == 1, "node %s: successors %s, want one" % (fc, nxt))
        if nodes[nxt[0]]["type"] == "Output":
            out.append((fc, None, None))
            return out
        out.append((fc, nxt[0], loop.get(nxt[0])))
        at = nxt[0]


def per_neuron(v, n):
    """A metadata time constant: one number, or n separated by spaces."""
    a = np.array(str(v).split(), dtype=np.float64)
    expect(a.size in (1, n), "metadata value %.60r: want 1 or %d numbers" % (v, n))
    return np.broadcast_to(a, (n,)).copy()


def params(node):
    return {k: np.asarray(v, dtype=np.float64) for k, v in node.items() if k != "type" and isinstance(v, np.ndarray)}


def simulate_peer(peer, nodes, edges, meta, x, dt):
    """x: [batch, T, inputs]. The hidden spikes and logits that snnTorch
    (peer "snntorch") or Norse ("norse") compute, stepping by dt."""
    batch, T, _ = x.shape
    spikes, s_in = [], x
    chain = peer_layers(nodes, edges)
    for fc, nrn, loop in chain:
        w, b = weight(nodes[fc])
        N = w.shape[0]
        xs = s_in @ w.T + b  # [batch, T, N], the feed-forward input
        if nrn is None:  # the readout's filter, from the metadata
            expect(meta.get("logits", "").startswith("x[n] = output at step n"), "no readout recipe in the metadata")
            a = 1 - dt / per_neuron(meta["readout_tau_syn"], N)
            bb = 1 - dt / per_neuron(meta["readout_tau_mem"], N)
            I, U = np.zeros((batch, N)), np.zeros((batch, N))
            pots = np.zeros((batch, T, N))
            paper = "the paper's readout" in meta["logits"]
            for n in range(T):
                if paper:
                    U = bb * U + (1 - bb) * I
                    I = a * I + xs[:, n]
                else:
                    I = a * I + xs[:, n]
                    U = bb * U + (1 - bb) * I
                pots[:, n] = U
            reduce = {"max": np.max, "sum": np.sum}[meta["readout"]]
            return spikes, reduce(pots, axis=1)
        p = params(nodes[nrn])
        spiking = nodes[nrn]["type"] == "CubaLIF"
        expect(np.allclose(p["v_leak"], 0), "node %s: v_leak is not zero" % nrn)
        w_in = p.get("w_in", np.ones(N))
        wrec, brec = weight(nodes[loop]) if loop else (None, 0.0)
        z = np.zeros((batch, N))
        out = np.zeros((batch, T, N))
        pots = np.zeros((batch, T, N))
        if peer == "snntorch" and spiking:
            if not np.allclose(p["r"], p["tau_mem"] / dt):
                raise Refused("node %s: r is not tau_mem/dt: snnTorch refuses it" % nrn)
            alpha, beta = 1 - dt / p["tau_syn"], 1 - dt / p["tau_mem"]
            thr = p["v_threshold"] / (w_in * dt / p["tau_syn"])
            if np.unique(thr).size != 1:
                raise Refused("node %s: v_threshold differs between neurons: snnTorch's importer takes one per CubaLIF" % nrn)
            thr = float(thr[0])
            syn, mem = np.zeros((batch, N)), np.zeros((batch, N))
            for n in range(T):
                xin = xs[:, n] + (z @ wrec.T + brec if wrec is not None else 0)
                syn = alpha * syn + xin
                mem = beta * mem + syn
                z = (mem > thr).astype(np.float64)
                mem = mem * (1 - z)
                out[:, n] = z
        else:  # Norse, and the CubaLI readout for both
            i, v = np.zeros((batch, N)), np.zeros((batch, N))
            for n in range(T):
                xin = xs[:, n] + (z @ wrec.T + brec if wrec is not None else 0)
                i = i + dt / p["tau_syn"] * (w_in * xin - i)
                v = v + dt / p["tau_mem"] * (p["v_leak"] - v + p["r"] * i)
                if spiking:
                    z = (v > p["v_threshold"]).astype(np.float64)
                    v = np.where(z > 0, p.get("v_reset", np.zeros(N)), v)
                    out[:, n] = z
                pots[:, n] = v
        if not spiking:
            reduce = {"max": np.max, "sum": np.sum}[meta["readout"]]
            return spikes, reduce(pots, axis=1)
        spikes.append(out)
        s_in = out
    raise Mismatch("no readout")


def check_activity(nodes, edges, meta, path, convention="paper", dt=1e-4):
    with open(path) as f:
        act = json.load(f)
    x = np.asarray(act["inputs"], dtype=np.float64)
    if convention == "peers":
        report = {}
        for peer in ("snntorch", "norse"):
            try:
                spikes, logits = simulate_peer(peer, nodes, edges, meta, x, dt)
            except Refused as e:
                report[peer + "_refused"] = str(e)
                continue
            try:
                r = compare(act, x, spikes, logits)
            except Mismatch as e:
                raise Mismatch("%s: %s" % (peer, e))
            report.update({peer + "_" + k: v for k, v in r.items()})
            report.update(r)
        return report
    spikes, logits = simulate(nodes, edges, meta, x)
    return compare(act, x, spikes, logits)


def compare(act, x, spikes, logits):
    want_spikes = [np.asarray(s, dtype=np.float64) for s in (act["spikes"] or [])]
    expect(len(spikes) == len(want_spikes), "%d hidden layers, spikegrad has %d" % (len(spikes), len(want_spikes)))
    count = 0
    for l, (got, want) in enumerate(zip(spikes, want_spikes)):
        expect(got.shape == want.shape, "layer %d: spikes of shape %s, spikegrad's %s" % (l, got.shape, want.shape))
        diff = np.argwhere(got != want)
        expect(len(diff) == 0, "layer %d: %d spikes differ, first at (sample, step, neuron) %s" % (l, len(diff), diff[:1].tolist()))
        count += int(got.sum())
    want = np.asarray(act["logits"], dtype=np.float64)
    expect(logits.shape == want.shape, "logits of shape %s, spikegrad's %s" % (logits.shape, want.shape))
    err = float(np.max(np.abs(logits - want) / np.maximum(1, np.abs(want))))
    expect(err <= 1e-5, "logits differ by up to %g (relative to max(1, |logit|))" % err)
    return {"hidden_spikes": count, "max_logit_diff": float(np.max(np.abs(logits - want))), "max_logit_rel_diff": err,
            "max_abs_logit": float(np.max(np.abs(want))), "samples": int(x.shape[0])}


def check_taus(settings, readout, theta_mem, theta_syn, node, meta):
    """A layer's NIR tau against the checkpoint's theta: tau =
    tau_set*exp(c*tanh(theta/c)), c = ln 10, decay exp(-dt/tau), and the
    file's Euler-matched step/(1 - decay), step its dt."""
    c = np.log(10.0)
    dt, step = float(settings.get("dt", 1)), float(meta["dt"])
    for theta, key, field in ((theta_mem, "tau-readout" if readout else "tau-mem", "tau_mem"), (theta_syn, "tau-syn", "tau_syn")):
        tau = float(settings[key]) * np.exp(c * np.tanh(np.asarray(theta, dtype=np.float64) / c))
        want = step / -np.expm1(-dt / tau)
        got = np.asarray(node[field], dtype=np.float64)
        err = np.max(np.abs(got - want) / want)
        expect(err < 1e-9, "%s: %s differs from the checkpoint's theta by up to %g (relative)" % (key, field, err))


def check_npz(path, nodes, edges, meta=None):
    f = np.load(path)
    keys = set(f.files)
    expect("settings" in keys, "no settings array")
    expect(f["settings"].shape == () and f["settings"].dtype.kind == "U", "settings: %s %s, want a string" % (f["settings"].shape, f["settings"].dtype))
    settings = json.loads(str(f["settings"]))
    hidden, recurrent = settings["hidden"], settings["recurrent"]
    names = ["W%d" % l for l in range(len(hidden))] + ["Wout"] + (["V%d" % l for l in range(len(hidden))] if recurrent else [])
    suffixes = [str(l) for l in range(len(hidden))] + ["out"]
    # The learnt-tau models' per-neuron theta, [1, units] each (docs/neurons.md).
    theta = ["theta_%s%s" % (k, x) for x in suffixes for k in ("mem", "syn")] if settings.get("neuron", "lif").startswith("lif-learn-tau") else []
    expect(keys == set(names) | set(theta) | {"settings"}, "arrays %s, want %s and settings" % (sorted(keys), names + theta))
    dtypes = {f[k].dtype for k in names}
    expect(len(dtypes) == 1 and dtypes <= {np.dtype("float32"), np.dtype("float64")}, "dtypes %s" % dtypes)
    widths = [f["W0"].shape[0]] + list(hidden) + [f["Wout"].shape[1]]
    for l, k in enumerate(names[: len(hidden) + 1]):
        expect(f[k].shape == (widths[l], widths[l + 1]), "%s has shape %s, want [fan_in, fan_out] = %s" % (k, f[k].shape, (widths[l], widths[l + 1])))
    for l in range(len(hidden) if recurrent else 0):
        expect(f["V%d" % l].shape == (hidden[l], hidden[l]), "V%d has shape %s" % (l, f["V%d" % l].shape))
    for l, x in enumerate(suffixes if theta else []):
        for k in ("mem", "syn"):
            expect(f["theta_%s%s" % (k, x)].shape == (1, widths[l + 1]), "theta_%s%s has shape %s" % (k, x, f["theta_%s%s" % (k, x)].shape))
    out = {"npz_arrays": names + theta, "npz_dtype": str(dtypes.pop())}
    if nodes is not None:
        chain = peer_layers(nodes, edges)
        expect(len(chain) == len(hidden) + 1, "the NIR file has %d layers, the checkpoint %d" % (len(chain), len(hidden) + 1))
        for l, (fc, nrn, loop) in enumerate(chain):
            k = names[l]
            expect(np.array_equal(nodes[fc]["weight"].T, f[k]), "%s differs from node %s's weight, transposed" % (k, fc))
            expect(nodes[fc]["weight"].dtype == f[k].dtype, "%s is %s, node %s's weight %s" % (k, f[k].dtype, fc, nodes[fc]["weight"].dtype))
            if loop:
                expect(np.array_equal(nodes[loop]["weight"].T, f["V%d" % l]), "V%d differs from node %s's weight, transposed" % (l, loop))
            if theta and nrn is not None:
                check_taus(settings, l == len(hidden), f["theta_mem" + suffixes[l]][0], f["theta_syn" + suffixes[l]][0], nodes[nrn], meta)
        out["npz_equals_nir"] = True
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("nir", nargs="?")
    ap.add_argument("--activity")
    ap.add_argument("--npz")
    ap.add_argument("--convention", choices=["paper", "peers"], default="paper")
    ap.add_argument("--dt", type=float, default=1e-4, help="the peers' step in seconds (--convention peers)")
    a = ap.parse_args()
    report = {}
    nodes = edges = meta = None
    try:
        if a.nir:
            version, nodes, edges, meta = read_nir(a.nir)
            report.update({"version": version, "nodes": len(nodes), "edges": len(edges)})
            if a.activity:
                report.update(check_activity(nodes, edges, meta, a.activity, a.convention, a.dt))
        if a.npz:
            report.update(check_npz(a.npz, nodes, edges, meta))
    except Mismatch as e:
        print(json.dumps({"error": str(e)}))
        return 1
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
