"""Writes the checkpoints of the hostile corpus that NumPy itself makes.

Run from this folder with a Python that has NumPy:

    python3 numpy_files.py

They are the good checkpoint (checkpoint/good.npz, written by spikegrad)
re-saved by NumPy: with np.savez's own entry names (W0.npy), compressed,
in Fortran order, in float64, and big-endian. spikegrad reads them all as
the same network.
"""
import json

import numpy as np

f = np.load("checkpoint/good.npz")
w0, wout = f["W0"], f["Wout"]
settings = str(f["settings"])
assert json.loads(settings)["hidden"] == [8]

np.savez("checkpoint/numpy-savez.npz", W0=w0, Wout=wout, settings=settings)
np.savez_compressed("checkpoint/numpy-savez-compressed.npz", W0=w0, Wout=wout, settings=settings)
np.savez("checkpoint/numpy-fortran-order.npz", W0=np.asfortranarray(w0), Wout=np.asfortranarray(wout), settings=settings)
s64 = json.loads(settings)
s64["dtype"] = "float64"
np.savez("checkpoint/numpy-float64.npz", W0=w0.astype(np.float64), Wout=wout.astype(np.float64), settings=json.dumps(s64))
np.savez("checkpoint/numpy-big-endian.npz", W0=w0.astype(">f4"), Wout=wout.astype(">f4"), settings=settings)
bad = w0.copy()
bad[2, 3] = np.nan
np.savez("checkpoint/numpy-nan.npz", W0=bad, Wout=wout, settings=settings)
