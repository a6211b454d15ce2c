#!/bin/bash
# Spread a spikegrad sweep over a Slurm job array: task i of n trains every
# n-th run of the grid, starting at run i. All tasks write into one shared
# folder (or copy their folders together afterwards: the run folders never
# overlap). Resubmitting the array skips the runs already completed.
#
#   sbatch --array=0-15 docs/cluster/slurm-sweep.sh --preset robustness
#
#SBATCH --job-name=spikegrad-sweep
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=04:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

OUT=${SPIKEGRAD_OUT:-$PWD/sweeps/${SLURM_ARRAY_JOB_ID}}
# sweep reads SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and
# SLURM_ARRAY_TASK_COUNT itself to pick its shard.
go build -o "${TMPDIR:-/tmp}/spikegrad-sweep-$SLURM_ARRAY_TASK_ID" ./cmd/sweep
exec "${TMPDIR:-/tmp}/spikegrad-sweep-$SLURM_ARRAY_TASK_ID" --out "$OUT" --jobs "${SLURM_CPUS_PER_TASK:-1}" "$@"
