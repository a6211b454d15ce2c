#!/usr/bin/python3
"""PyTorch CPU reference of spikegrad's networks (issue 25's yardstick).

The network is the one of docs/conventions.md, written the way Zenke &
Vogels' tutorial code writes it: the input projection of all steps in one
matrix product, then one Python loop over time whose body is a hand-fused
update of the state tensors (no in-place operations), a custom
torch.autograd.Function for the spike (Heaviside forward, surrogate
backward), and autograd for backpropagation through time.

Per hidden layer, n = 0 … T−1, I[0] = U[0] = 0:

    S[n]   = H(U[n] − 1)                    H(0) = 1
    I[n+1] = β_syn·I[n] + S_in[n]·W (+ Detach(S[n])·V)
    U[n+1] = (β_mem·U[n] + (1 − β_mem)·I[n])·(1 − Detach(S[n]))

and the readout, which neither spikes nor resets,

    I_o[n+1] = β_syn·I_o[n] + S_last[n]·W_out
    U_o[n+1] = β_out·U_o[n] + (1 − β_out)·I_o[n]

with logits max or sum over U_o[1..T], softmax cross-entropy averaged over
the batch, plus the activity regularisers when their strengths are set.

A problem file (.npz, written by the Go package of this folder) holds the
network's settings as JSON (entry "config"), its weights (W0 …, Wout, V0 …,
each [fan_in, fan_out]), the input events of the batch (arrays "sample",
"step", "unit", "value") and the labels.

    torchref.py grad  PROBLEM OUT     loss and gradients, into OUT (.npz)
    torchref.py bench PROBLEM         time training steps (forward, BPTT, Adam)
    torchref.py summary RESULTS       the table of bench/compare.sh's results

Run it with Debian's /usr/bin/python3 and python3-torch.
"""

import argparse
import json
import math
import statistics
import sys
import time

import numpy as np
import torch


# ---------------------------------------------------------------------------
# The spike and its surrogate derivative.

def surrogate(shape, beta, x):
    """h(x), the stand-in for dS/dU at x = U − 1 (docs/conventions.md)."""
    ax = x.abs()
    if shape == "superspike":
        return 1.0 / (beta * ax + 1.0) ** 2
    if shape == "asymptotic":
        return beta / (beta * ax + 1.0) ** 2
    if shape == "sigmoid":
        e = torch.exp(-beta * ax)
        return e / (1.0 + e) ** 2
    if shape == "esser":
        return torch.clamp(1.0 - beta * ax, min=0.0)
    if shape == "exact":
        return torch.zeros_like(x)
    raise ValueError(f"unknown surrogate {shape!r}")


def spike_function(shape, beta):
    """An autograd Function: S = H(x) forward, h(x)·dL/dS backward."""

    class Spike(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return (x >= 0).to(x.dtype)

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * surrogate(shape, beta, x)

    return Spike.apply


# ---------------------------------------------------------------------------
# The network.

class Net:
    """The network of a problem's config, on weights given as tensors."""

    def __init__(self, cfg, dtype):
        self.cfg = cfg
        self.dtype = dtype
        self.hidden = list(cfg["hidden"])
        self.recurrent = bool(cfg["recurrent"])
        self.diff_reset = bool(cfg["diff_reset"])
        self.recurrent_grad = bool(cfg["recurrent_grad"])
        self.readout = cfg["readout"]
        if self.readout not in ("max", "sum"):
            raise ValueError(f"unknown readout {self.readout!r}")
        self.bsyn = cfg["beta_syn"]
        self.bmem = cfg["beta_mem"]
        self.bout = cfg["beta_out"]
        self.spike = spike_function(cfg["surrogate"], cfg["surrogate_beta"])
        self.reg = cfg.get("reg", {})

    def names(self):
        """Weight names in spikegrad's order: W0 …, Wout, then V0 …."""
        n = [f"W{l}" for l in range(len(self.hidden))] + ["Wout"]
        if self.recurrent:
            n += [f"V{l}" for l in range(len(self.hidden))]
        return n

    def hidden_layer(self, x, W, V):
        """Spikes [batch, T, units] of one LIF layer driven by x [batch, T, fan_in]."""
        batch, T, _ = x.shape
        # S_in[n]·W for every n at once, taken apart into steps by one
        # unbind: indexing h[:, n] in the loop, as the tutorial code does,
        # makes the backward pass build a zero tensor of h's whole size for
        # every step and add them up, O(T²) work.
        h = torch.matmul(x, W).unbind(dim=1)
        units = W.shape[1]
        syn = torch.zeros(batch, units, dtype=self.dtype)
        mem = torch.zeros(batch, units, dtype=self.dtype)
        bsyn, bmem, leak = self.bsyn, self.bmem, 1.0 - self.bmem
        spikes = []
        for n in range(T):
            s = self.spike(mem - 1.0)
            rst = s if self.diff_reset else s.detach()
            new_syn = bsyn * syn + h[n]
            if V is not None:
                r = s if self.recurrent_grad else s.detach()
                new_syn = new_syn + torch.matmul(r, V)
            new_mem = (bmem * mem + leak * syn) * (1.0 - rst)
            spikes.append(s)
            syn, mem = new_syn, new_mem
        return torch.stack(spikes, dim=1)

    def readout_layer(self, x, W):
        """Logits [batch, outputs]: max or sum over U_o[1..T]."""
        batch, T, _ = x.shape
        h = torch.matmul(x, W).unbind(dim=1)
        syn = torch.zeros(batch, W.shape[1], dtype=self.dtype)
        mem = torch.zeros(batch, W.shape[1], dtype=self.dtype)
        bsyn, bout, leak = self.bsyn, self.bout, 1.0 - self.bout
        trace = []
        for n in range(T):
            new_syn = bsyn * syn + h[n]
            new_mem = bout * mem + leak * syn
            trace.append(new_mem)
            syn, mem = new_syn, new_mem
        u = torch.stack(trace, dim=1)
        if self.readout == "max":
            return u.max(dim=1).values
        return u.sum(dim=1)

    def loss(self, weights, x, labels):
        """(total loss, cross-entropy, per-layer spike counts [batch, units])."""
        L = len(self.hidden)
        V = weights[L + 1:] if self.recurrent else [None] * L
        counts = []
        layer_in = x
        for l in range(L):
            s = self.hidden_layer(layer_in, weights[l], V[l])
            counts.append(s.sum(dim=1))
            layer_in = s
        logits = self.readout_layer(layer_in, weights[L])
        ce = torch.nn.functional.cross_entropy(logits, labels)
        total = ce
        for c in counts:
            total = total + self.penalty(c)
        return total, ce, counts

    def penalty(self, counts):
        """The activity regularisers of one layer, averaged over the batch."""
        r = self.reg
        M = counts.shape[1]
        p = torch.zeros((), dtype=self.dtype)
        if r.get("lower_strength", 0) > 0:
            d = torch.relu(r["lower_threshold"] - counts)
            p = p + (r["lower_strength"] / M * (d * d).sum(dim=1)).mean()
        if r.get("upper_strength", 0) > 0:
            d = torch.relu(counts.mean(dim=1) - r["upper_threshold"])
            p = p + (r["upper_strength"] * d ** int(r["upper_exp"])).mean()
        return p


# ---------------------------------------------------------------------------
# Problem files.

def load_problem(path, dtype=None):
    """(net, weights, dense input [batch, T, inputs], labels) of a problem file."""
    with np.load(path, allow_pickle=False) as z:
        cfg = json.loads(str(z["config"]))
        if dtype is None:
            dtype = {"float32": torch.float32, "float64": torch.float64}[cfg["dtype"]]
        net = Net(cfg, dtype)
        weights = [torch.tensor(np.asarray(z[n]), dtype=dtype) for n in net.names()]
        labels = torch.tensor(np.asarray(z["labels"]), dtype=torch.long)
        x = torch.zeros(len(labels), cfg["steps"], cfg["inputs"], dtype=dtype)
        sample = torch.tensor(np.asarray(z["sample"]), dtype=torch.long)
        step = torch.tensor(np.asarray(z["step"]), dtype=torch.long)
        unit = torch.tensor(np.asarray(z["unit"]), dtype=torch.long)
        value = torch.tensor(np.asarray(z["value"]), dtype=dtype)
        x.index_put_((sample, step, unit), value, accumulate=True)
    for w in weights:
        w.requires_grad_(True)
    return net, weights, x, labels


def cmd_grad(args):
    dtype = {"auto": None, "float32": torch.float32, "float64": torch.float64}[args.dtype]
    net, weights, x, labels = load_problem(args.problem, dtype)
    total, ce, counts = net.loss(weights, x, labels)
    total.backward()
    out = {"loss": np.array([total.item()]), "ce": np.array([ce.item()])}
    for n, w in zip(net.names(), weights):
        out["grad_" + n] = w.grad.detach().to(torch.float64).numpy()
    for l, c in enumerate(counts):
        out[f"counts{l}"] = c.detach().to(torch.float64).numpy()
    np.savez(args.out, **out)


def cmd_bench(args):
    torch.set_num_threads(args.threads)
    net, weights, x, labels = load_problem(args.problem)
    lr = net.cfg.get("lr", 5e-3)
    opt = torch.optim.Adam(weights, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    saved = [w.detach().clone() for w in weights]
    restore = bool(net.cfg.get("restore", False))
    spikes = float("nan")

    def step():
        nonlocal spikes
        if restore:  # every step from the same weights, as the Go benchmark
            with torch.no_grad():
                for w, s in zip(weights, saved):
                    w.copy_(s)
        opt.zero_grad(set_to_none=True)
        total, _, counts = net.loss(weights, x, labels)
        total.backward()
        opt.step()
        if counts:
            spikes = counts[0].sum().item() / x.shape[0]

    for _ in range(args.warmup):
        step()
    times = []
    cpu = []
    for _ in range(args.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    res = {
        "problem": args.problem,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "dtype": str(net.dtype).replace("torch.", ""),
        "steps": args.steps,
        "median_ms": 1e3 * statistics.median(times),
        "mean_ms": 1e3 * statistics.fmean(times),
        "min_ms": 1e3 * min(times),
        "cpu_ms": 1e3 * statistics.median(cpu),
        "spikes_per_sample": spikes,
    }
    print(json.dumps(res))


def cmd_summary(args):
    """Per problem: medians over the rounds of compare.sh's results.tsv."""
    import csv
    rows = list(csv.DictReader(open(args.results), delimiter="\t"))
    problems = list(dict.fromkeys(r["problem"] for r in rows))

    def med(p, impl, col):
        v = [float(r[col]) for r in rows if r["problem"] == p and r["impl"] == impl]
        return statistics.median(v) if v else float("nan")

    def num(x):
        return "—" if math.isnan(x) else f"{x:.0f}"

    def rounds(p):
        return len({r["round"] for r in rows if r["problem"] == p})

    print("| problem | rounds | spikegrad ms (cpu-ms) | PyTorch ms (cpu-ms) | spikegrad / PyTorch, wall (cpu) "
          "| per-round ratios, wall | hidden spikes/sample (Go, torch) | peak RSS MiB (Go, torch) |")
    print("|---|---:|---:|---:|---:|---|---:|---:|")
    for p in problems:
        g, t = med(p, "spikegrad", "median_ms"), med(p, "pytorch", "median_ms")
        per = []
        for r in sorted({r["round"] for r in rows if r["problem"] == p}, key=int):
            v = {x["impl"]: float(x["median_ms"]) for x in rows if x["problem"] == p and x["round"] == r}
            if "spikegrad" in v and "pytorch" in v:
                per.append(v["spikegrad"] / v["pytorch"])
        rss = [max((float(r["max_rss_kib"]) for r in rows if r["problem"] == p and r["impl"] == i), default=float("nan")) / 1024
               for i in ("spikegrad", "pytorch")]
        print(f"| {p} | {rounds(p)} | {g:.1f} ({med(p, 'spikegrad', 'cpu_ms'):.0f}) "
              f"| {t:.1f} ({med(p, 'pytorch', 'cpu_ms'):.0f}) "
              f"| {g / t:.3f} ({med(p, 'spikegrad', 'cpu_ms') / med(p, 'pytorch', 'cpu_ms'):.3f}) "
              f"| {', '.join(f'{x:.3f}' for x in per)} "
              f"| {num(med(p, 'spikegrad', 'spikes_per_sample'))}, {num(med(p, 'pytorch', 'spikes_per_sample'))} "
              f"| {rss[0]:.0f}, {rss[1]:.0f} |")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("grad", help="loss and gradients of a problem")
    g.add_argument("problem")
    g.add_argument("out")
    g.add_argument("--dtype", default="auto", choices=["auto", "float32", "float64"])
    b = sub.add_parser("bench", help="time training steps of a problem")
    b.add_argument("problem")
    b.add_argument("--threads", type=int, default=2)
    b.add_argument("--warmup", type=int, default=2)
    b.add_argument("--steps", type=int, default=10)
    s = sub.add_parser("summary", help="table of bench/compare.sh's results")
    s.add_argument("results")
    args = p.parse_args(argv)
    {"grad": cmd_grad, "bench": cmd_bench, "summary": cmd_summary}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
