#!/bin/bash
# Train a spikegrad sweep on a Slurm cluster: every task of the job is a
# worker that claims runs one by one in a shared output folder, so any
# array (--array=0-15, 0-7:2, 1,3, 5-8, or none at all) and any number of
# resubmissions train every run exactly once. A run whose task died (time
# limit, lost node, scancel) is taken over from its last checkpoint by
# another task, or by the next submission.
#
# Build the command once, on the login node (no Go needed on the compute
# nodes, nothing built per task):
#
#   CGO_ENABLED=0 go build -o bin/spikegrad-sweep ./cmd/sweep
#
# then submit from the same folder:
#
#   sbatch --array=0-15 docs/cluster/slurm-sweep.sh --preset robustness
#
# Results go to sweeps/<job name>/ under the folder you submitted from
# (sweeps/spikegrad-sweep/ by default; sbatch --job-name=beta ... gives
# sweeps/beta/), the same folder at every submission, so resubmitting
# skips the completed runs. Set SPIKEGRAD_OUT to write elsewhere, and
# SPIKEGRAD_BIN to use another binary. Files are created readable by your
# group (umask 022; set SPIKEGRAD_UMASK to change it).
#
#SBATCH --job-name=spikegrad-sweep
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=04:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

submit_dir=${SLURM_SUBMIT_DIR:-$PWD}
bin=${SPIKEGRAD_BIN:-$submit_dir/bin/spikegrad-sweep}
out=${SPIKEGRAD_OUT:-$submit_dir/sweeps/${SLURM_JOB_NAME:-spikegrad-sweep}}
umask "${SPIKEGRAD_UMASK:-022}"

if [[ ! -x $bin ]]; then
	echo "slurm-sweep.sh: no sweep binary at $bin; build it once on the login node:" >&2
	echo "  CGO_ENABLED=0 go build -o bin/spikegrad-sweep ./cmd/sweep" >&2
	exit 2
fi
# The worker's name in the leases and logs comes from SLURM_ARRAY_JOB_ID
# and SLURM_ARRAY_TASK_ID (or SLURM_JOB_ID); it needs no index or count.
exec "$bin" --out "$out" --jobs "${SLURM_CPUS_PER_TASK:-1}" "$@"
