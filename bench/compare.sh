#!/bin/sh
# bench/compare.sh — spikegrad against the PyTorch reference (issue 25).
#
# Times a training step (forward pass, BPTT, Adam) of three problems with
# spikegrad's benchmarks and with bench/torchref/torchref.py on the same
# network, initial weights and batch, in alternation on this machine:
#
#   randman  20-100-10, T = 100, batch 250, max-over-time readout
#            (BenchmarkRandman/TrainStep)
#   shd12    700-128r-20, T = 400, batch 100, 1.5 % input density, weights
#            of gain 8: about 12 Hz hidden activity
#            (BenchmarkSHDTrainStep/gain=8)
#   shd40    the same with gain 10: about 43 Hz (BenchmarkSHDTrainStep/gain=10)
#
# Every round runs, for each problem, one process of spikegrad's benchmark
# and one of the reference, each taking the median of STEPS steps after
# warm-up (Go: one warm-up step, PyTorch: two), under /usr/bin/time -v for
# the peak memory. It prints per problem the median over the rounds of both
# and their ratio spikegrad/PyTorch (below 1: spikegrad is faster).
#
# usage: bench/compare.sh [-n ROUNDS] [-t THREADS] [-s STEPS] [-o DIR]
#   -n  rounds (default 3)          -t  threads of both (default 2)
#   -s  steps timed per process (default 10)
#   -o  folder for the raw results (default: a temporary one, kept)
# Needs Go, /usr/bin/time and a Python with torch and numpy
# ($SPIKEGRAD_PYTHON, default /usr/bin/python3, Debian's python3-torch).
set -eu

rounds=3 threads=2 steps=10 out=
while getopts n:t:s:o: opt; do
	case $opt in
	n) rounds=$OPTARG ;;
	t) threads=$OPTARG ;;
	s) steps=$OPTARG ;;
	o) out=$OPTARG ;;
	*) sed -n '2,25p' "$0" >&2; exit 2 ;;
	esac
done
py=${SPIKEGRAD_PYTHON:-/usr/bin/python3}
root=$(cd "$(dirname "$0")/.." && pwd)
ref=$root/bench/torchref/torchref.py
[ -n "$out" ] || out=$(mktemp -d /tmp/spikegrad-compare.XXXXXX)
mkdir -p "$out"
"$py" -c 'import torch, numpy' || { echo "compare.sh: $py cannot import torch and numpy" >&2; exit 1; }
# Debian's python3-torch (BLAS_INFO=generic) runs its matrix products on
# whatever libblas.so.3 is: the reference BLAS, 10 times slower than
# OpenBLAS on the SHD step, unless libopenblas0-openmp (or -pthread) is
# installed. A comparison with the reference BLAS flatters spikegrad
# tenfold: refuse it. Builds that bring their own BLAS (pip's, with MKL)
# pass.
blas=$("$py" -c 'import os, torch
if "BLAS_INFO=generic" not in torch.__config__.show():
    print("bundled")
else:
    import ctypes.util
    name = ctypes.util.find_library("blas") or "libblas.so.3"
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"):
        if os.path.exists(os.path.join(d, name)):
            print(os.path.realpath(os.path.join(d, name)))
            break' 2>/dev/null || true)
case $blas in
bundled | *openblas* | *mkl* | *blis*) ;;
*) echo "compare.sh: PyTorch's BLAS is libblas.so.3 = ${blas:-not found}, not an optimised one: install libopenblas0-openmp (apt-get install libopenblas0-openmp), or PyTorch's times mean nothing" >&2; exit 1 ;;
esac

echo "# building the benchmark binary and writing the problems to $out" >&2
(cd "$root" && go test -c -o "$out/train.test" ./train)
(cd "$root/train" && SPIKEGRAD_TORCH_PROBLEMS=$out "$out/train.test" -test.run '^TestWriteTorchProblems$' >/dev/null)

results=$out/results.tsv
printf 'round\tproblem\timpl\tmedian_ms\tcpu_ms\tspikes_per_sample\tmax_rss_kib\n' >"$results"

rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }

for r in $(seq 1 "$rounds"); do
	for p in randman:'^BenchmarkRandman$/^TrainStep$':randman.npz \
		shd12:'^BenchmarkSHDTrainStep$/^gain=8$':shd-gain8.npz \
		shd40:'^BenchmarkSHDTrainStep$/^gain=10$':shd-gain10.npz; do
		name=${p%%:*} rest=${p#*:}
		bench=${rest%:*} problem=${rest##*:}

		(cd "$root/train" && /usr/bin/time -v -o "$out/time.txt" "$out/train.test" -test.run '^$' \
			-test.bench "$bench" -test.benchtime "${steps}x" -test.cpu "$threads") >"$out/go.txt"
		line=$(grep '^Benchmark' "$out/go.txt")
		med=$(echo "$line" | awk '{for (i = 2; i <= NF; i++) if ($i == "median-ms/op") print $(i-1)}')
		cpu=$(echo "$line" | awk '{for (i = 2; i <= NF; i++) if ($i == "cpu-ms/op") print $(i-1)}')
		spk=$(echo "$line" | awk '{for (i = 2; i <= NF; i++) if ($i == "spikes/input") print $(i-1)}')
		printf '%s\t%s\tspikegrad\t%s\t%s\t%s\t%s\n' "$r" "$name" "$med" "$cpu" "${spk:-nan}" "$(rss "$out/time.txt")" >>"$results"

		/usr/bin/time -v -o "$out/time.txt" "$py" "$ref" bench "$out/$problem" \
			--threads "$threads" --steps "$steps" >"$out/torch.json"
		"$py" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("\t".join(str(x) for x in (d["median_ms"], d["cpu_ms"], d["spikes_per_sample"])))' "$out/torch.json" |
			while IFS='	' read -r med cpu spk; do
				printf '%s\t%s\tpytorch\t%s\t%s\t%s\t%s\n' "$r" "$name" "$med" "$cpu" "$spk" "$(rss "$out/time.txt")" >>"$results"
			done
		tail -n 2 "$results" >&2
	done
done

echo "# $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; raw results in $results" >&2
"$py" "$ref" summary "$results"
