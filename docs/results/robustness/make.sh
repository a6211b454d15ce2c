#!/usr/bin/env bash
# Reproduces docs/results/robustness: runs the robustness preset (63 runs on
# the default randman task) and writes one report per finding.
#
#   bash docs/results/robustness/make.sh [sweep-folder]
#
# Completed runs in the sweep folder are skipped, so the script can be
# interrupted and restarted.
set -euo pipefail
cd "$(dirname "$0")/../../.."
S=${1:-sweeps/robustness}
R=docs/results/robustness

go run ./cmd/sweep --preset robustness --out "$S" --jobs 2

report() { local name=$1; shift; go run ./cmd/report --out "$R/$name" "$@"; }
report layers     --runs "$S/layers_*"     --group hidden --top 2 --bars hidden
report gradient   --runs "$S/gradient_*"   --group surrogate,beta --top 2 --bars surrogate --bars-color beta
report shapes     --runs "$S/shapes_*"     --group surrogate,beta --top 1 --bars beta --bars-color surrogate --surrogates
report reset      --runs "$S/reset_*"      --group hidden,diff-reset --top 2 --bars hidden --bars-color diff-reset
report recurrence --runs "$S/recurrence_*" --group recurrent-grad --top 2 --bars recurrent-grad
report readout    --runs "$S/readout_*"    --group readout,recurrent --top 1 --bars readout --bars-color recurrent
report activity   --runs "$S/activity_*" --runs "$S/layers_hidden=100_*" --group reg-upper-strength,reg-upper-threshold --top 1 \
    --spikes --spikes-by hidden --hist --hist-by reg-upper-strength

# Run folders end in 12 digits of the run's ID.
go run ./cmd/eval --checkpoint "$(echo "$S"/layers_hidden=100_seed=1-*/best.npz)" --split test \
    --snapshot 4 --snapshot-out "$R/snapshot/snapshot.json" > "$R/snapshot/eval.txt"
report snapshot --snapshot "$R/snapshot/snapshot.json"
rm "$R/snapshot/snapshot.json" # large; regenerate with the command above
