#!/usr/bin/env python3
"""An independent perceptron in numpy: the check that cmd/baseline's is not
under-trained.

Reads the .npz that `cmd/baseline --write-features` writes (train_x,
train_y, validation_x, validation_y, test_x, test_y), fits a perceptron
with one hidden layer of ReLU units by full-batch gradient descent with
Nesterov momentum and weight decay, and keeps the weights of the step best
on validation accuracy, stopping when it has not improved for --patience
evaluations. Every choice is made on validation accuracy alone: for each
(learning rate, weight decay) of the grid, every seed is fitted, and the
point with the best mean validation accuracy over the seeds is selected;
the test accuracy of its seeds is reported as mean and 95 % confidence
interval (Student's t). The features are standardised per dimension with
the training split's mean and standard deviation (--no-standardise to
use them as they are).

Prints one JSON object on stdout. No code is shared with the Go side.
"""

import argparse
import json
import math
import sys
import time

import numpy as np

# Two-sided 97.5 % quantiles of Student's t, by degrees of freedom.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365,
        8: 2.306, 9: 2.262, 10: 2.228, 15: 2.131, 20: 2.086, 30: 2.042}


def t975(df):
    if df in T975:
        return T975[df]
    keys = sorted(k for k in T975 if k <= df)
    return T975[keys[-1]] if keys else float("nan")


def mean_ci(xs):
    xs = np.asarray(xs, dtype=np.float64)
    m = float(xs.mean())
    if len(xs) < 2:
        return m, float("nan"), float("nan")
    sd = float(xs.std(ddof=1))
    return m, sd, t975(len(xs) - 1) * sd / math.sqrt(len(xs))


def accuracy(params, x, y):
    w1, b1, w2, b2 = params
    h = np.maximum(x @ w1 + b1, 0)
    return float(np.mean(np.argmax(h @ w2 + b2, axis=1) == y))


def fit(x, y, xv, yv, classes, hidden, lr, wd, seed, max_steps, every, patience, momentum):
    rng = np.random.default_rng(seed)
    n, d = x.shape
    # He initialisation for the ReLU layer, Glorot for the readout.
    w1 = (rng.standard_normal((d, hidden)) * math.sqrt(2.0 / d)).astype(np.float32)
    b1 = np.zeros(hidden, np.float32)
    w2 = (rng.standard_normal((hidden, classes)) * math.sqrt(2.0 / (hidden + classes))).astype(np.float32)
    b2 = np.zeros(classes, np.float32)
    params = [w1, b1, w2, b2]
    vel = [np.zeros_like(p) for p in params]
    onehot = np.zeros((n, classes), np.float32)
    onehot[np.arange(n), y] = 1
    best = (-1.0, 0, [p.copy() for p in params])
    since = 0
    for step in range(1, max_steps + 1):
        # Nesterov: the gradient at the look-ahead point.
        look = [p + momentum * v for p, v in zip(params, vel)]
        w1, b1, w2, b2 = look
        a = x @ w1 + b1
        h = np.maximum(a, 0)
        z = h @ w2 + b2
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        dz = (p - onehot) / n
        gw2 = h.T @ dz + wd * w2
        gb2 = dz.sum(axis=0)
        dh = (dz @ w2.T) * (a > 0)
        gw1 = x.T @ dh + wd * w1
        gb1 = dh.sum(axis=0)
        for i, g in enumerate((gw1, gb1, gw2, gb2)):
            vel[i] = momentum * vel[i] - lr * g
            params[i] = params[i] + vel[i]
        if step % every == 0:
            acc = accuracy(params, xv, yv)
            if acc > best[0]:
                best = (acc, step, [q.copy() for q in params])
                since = 0
            else:
                since += 1
                if since >= patience:
                    break
    return best, step


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("features", help=".npz written by cmd/baseline --write-features")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--lr", default="0.03,0.1,0.3", help="learning rates, comma-separated")
    ap.add_argument("--wd", default="1e-4,1e-3,1e-2", help="weight decays, comma-separated")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--max-steps", type=int, default=3000)
    ap.add_argument("--every", type=int, default=10, help="steps between validation checks")
    ap.add_argument("--patience", type=int, default=30, help="checks without improvement before stopping")
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--no-standardise", action="store_true")
    a = ap.parse_args()

    d = np.load(a.features)
    x, y = d["train_x"].astype(np.float32), d["train_y"].astype(np.int64)
    xv, yv = d["validation_x"].astype(np.float32), d["validation_y"].astype(np.int64)
    xt, yt = d["test_x"].astype(np.float32), d["test_y"].astype(np.int64)
    if not a.no_standardise:
        mu, sd = x.mean(axis=0), x.std(axis=0)
        sd[sd == 0] = 1
        x, xv, xt = (x - mu) / sd, (xv - mu) / sd, (xt - mu) / sd
    classes = int(max(y.max(), yv.max(), yt.max())) + 1

    grid = []
    began = time.time()
    for lr in [float(v) for v in a.lr.split(",")]:
        for wd in [float(v) for v in a.wd.split(",")]:
            runs = []
            for seed in range(1, a.seeds + 1):
                t0 = time.time()
                (val, step, params), last = fit(x, y, xv, yv, classes, a.hidden, lr, wd, seed,
                                                a.max_steps, a.every, a.patience, a.momentum)
                runs.append({"seed": seed, "best_step": step, "last_step": last, "validation": val,
                             "test": accuracy(params, xt, yt), "seconds": round(time.time() - t0, 1)})
                print(f"lr {lr:g} wd {wd:g} seed {seed}: validation {val:.4f} at step {step} of {last}",
                      file=sys.stderr)
            grid.append({"lr": lr, "wd": wd, "runs": runs,
                         "validation_mean": float(np.mean([r["validation"] for r in runs]))})
    pick = max(range(len(grid)), key=lambda i: (grid[i]["validation_mean"], -i))
    sel = grid[pick]
    tm, tsd, tci = mean_ci([r["test"] for r in sel["runs"]])
    vm, vsd, vci = mean_ci([r["validation"] for r in sel["runs"]])
    out = {
        "hidden": a.hidden, "standardised": not a.no_standardise, "momentum": a.momentum,
        "max_steps": a.max_steps, "every": a.every, "patience": a.patience,
        "train": len(y), "validation": len(yv), "test": len(yt), "features": int(x.shape[1]),
        "selected": {"lr": sel["lr"], "wd": sel["wd"]},
        "test_mean": tm, "test_std": tsd, "test_ci95": tci,
        "validation_mean": vm, "validation_std": vsd, "validation_ci95": vci,
        "runs": sel["runs"],
        # Only the validation means of the points not selected: the choice
        # reads nothing else.
        "grid": [{"lr": g["lr"], "wd": g["wd"], "validation_mean": g["validation_mean"]} for g in grid],
        "seconds": round(time.time() - began, 1),
    }
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
