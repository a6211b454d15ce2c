#!/bin/bash
# Reproduce Zenke & Vogels (2021) at the paper's scale on a Slurm job array:
# task i of n trains every n-th run of the whole plan, all tasks into one
# shared output folder (run folders never overlap; each task keeps its own
# timing file). Resubmitting the array skips completed runs and continues
# stopped ones. The report is written once, after the array:
#
#   jid=$(sbatch --parsable --array=0-63 docs/cluster/slurm-reproduce.sh)
#   sbatch --dependency=afterany:$jid --wrap \
#       "go run ./cmd/reproduce --scale paper --out $PWD/results/paper --data $PWD/data --report-only"
#
# SPIKEGRAD_DATA is the folder holding shd/, rawhd/ and rawsc/ (go run
# ./cmd/download fills them); their sweeps are left out without it.
#
#SBATCH --job-name=spikegrad-paper
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=24:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

OUT=${SPIKEGRAD_OUT:-$PWD/results/paper}
DATA=${SPIKEGRAD_DATA:-$PWD/data}
# reproduce reads SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and
# SLURM_ARRAY_TASK_COUNT itself to pick its shard.
BIN="${TMPDIR:-/tmp}/spikegrad-reproduce-$SLURM_ARRAY_TASK_ID"
go build -o "$BIN" ./cmd/reproduce
exec "$BIN" --scale paper --out "$OUT" --data "$DATA" --jobs "${SLURM_CPUS_PER_TASK:-1}" "$@"
