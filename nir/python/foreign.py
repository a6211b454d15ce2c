#!/usr/bin/env python3
"""Rewrite a spikegrad NIR file the way other libraries write NIR files.

    python3 foreign.py spikegrad.nir foreign.nir [--snntorch]

The output describes the same discrete network, but as the NIR reference
writer (nir.write) and snnTorch's exporter would store it, with numpy and
h5py only:

- variable-length strings for /version, the node types and the edges;
- every array gzip-compressed;
- weights as float32 Affine nodes with a zero bias;
- snnTorch's parameter convention with its time step dt = 1e-4 (seconds):
  tau = dt/(1 - beta), r = tau_mem/dt, w_in = tau_syn/dt, so that the
  weights are spikegrad's scaled by (1 - beta_mem)*v_threshold (hidden
  layers, v_threshold = 0.8 here) or (1 - beta_out) (readout);
- every parameter a per-neuron array;
- hidden layers with odd index, if recurrent, as snnTorch writes them: a
  NIRGraph subgraph named lif<l> of input, lif, w_rec and output; others
  as a flat loop lif<l>.lif <-> lif<l>.w_rec;
- no metadata: the reader must be told dt.

With --snntorch, the file is what snnTorch's export_to_nir writes for a
classifier of Synaptic (RSynaptic) layers: every recurrent layer as a
subgraph, and the last layer a CubaLIF too (snnTorch has no CubaLI), its
threshold unused by a reader that takes its membrane potential as logits.
"""

import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nircheck import layers, read_nir  # noqa: E402

DT = 1e-4
THRESHOLD = 0.8


def neurons(kind, n, beta_syn, beta_mem, threshold):
    tau_syn, tau_mem = DT / (1 - beta_syn), DT / (1 - beta_mem)
    p = {
        "type": kind,
        "tau_syn": np.full(n, tau_syn),
        "tau_mem": np.full(n, tau_mem),
        "r": np.full(n, tau_mem / DT),
        "w_in": np.full(n, tau_syn / DT),
        "v_leak": np.zeros(n),
    }
    if kind == "CubaLIF":
        p["v_threshold"] = np.full(n, threshold)
        p["v_reset"] = np.zeros(n)
    return p


def affine(w, scale):
    w = (np.asarray(w, dtype=np.float64) * scale).astype(np.float32)
    return {"type": "Affine", "weight": w, "bias": np.zeros(w.shape[0], dtype=np.float32)}


def io(kind, n):
    return {"type": kind, "shape": np.array([n])}


def convert(src, snntorch=False):
    _, nodes, edges, meta = read_nir(src)
    beta_syn, beta_mem, beta_out = (float(meta[k]) for k in ("beta_syn", "beta_mem", "beta_out"))
    chain = layers(nodes, edges)
    out = {"input": io("Input", int(nodes["input"]["shape"][0]))}
    new_edges, prev = [], "input"
    for l, (fc, nrn, loop) in enumerate(chain):
        n = nodes[fc]["weight"].shape[0]
        if l == len(chain) - 1:
            out["fc_out"] = affine(nodes[fc]["weight"], 1 - beta_out)
            out["li"] = neurons("CubaLIF" if snntorch else "CubaLI", n, beta_syn, beta_out, THRESHOLD)
            out["output"] = io("Output", n)
            new_edges += [(prev, "fc_out"), ("fc_out", "li"), ("li", "output")]
            break
        scale = (1 - beta_mem) * THRESHOLD
        out["fc%d" % l] = affine(nodes[fc]["weight"], scale)
        lif = neurons("CubaLIF", n, beta_syn, beta_mem, THRESHOLD)
        new_edges.append((prev, "fc%d" % l))
        if loop and (l % 2 == 1 or snntorch):
            name = "lif%d" % l
            out[name] = {
                "type": "NIRGraph",
                "nodes": {"input": io("Input", n), "lif": lif, "w_rec": affine(nodes[loop]["weight"], scale),
                          "output": io("Output", n)},
                "edges": [("input", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")],
            }
        else:
            name = "lif%d.lif" % l
            out[name] = lif
            if loop:
                out["lif%d.w_rec" % l] = affine(nodes[loop]["weight"], scale)
                new_edges += [(name, "lif%d.w_rec" % l), ("lif%d.w_rec" % l, name)]
        new_edges.append(("fc%d" % l, name))
        prev = name
    return {"type": "NIRGraph", "nodes": out, "edges": new_edges}


def write_recursive(group, node):
    """The reference writer's write_recursive, with gzip compression."""
    for k, v in node.items():
        if isinstance(v, str):
            group.create_dataset(k, data=v, dtype=h5py.string_dtype())
        elif isinstance(v, np.ndarray):
            group.create_dataset(k, data=v, dtype=v.dtype, compression="gzip")
        elif isinstance(v, dict):
            write_recursive(group.create_group(str(k)), v)
        else:
            group.create_dataset(k, data=v)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    graph = convert(src, "--snntorch" in sys.argv[3:])
    with h5py.File(dst, "w") as f:
        f.create_dataset("version", data="1.0.7", dtype=h5py.string_dtype())
        write_recursive(f.create_group("node"), graph)


if __name__ == "__main__":
    main()
