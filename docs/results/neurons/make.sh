#!/usr/bin/env bash
# Reproduces docs/results/neurons: the spoken stand-ins (into data/, not
# committed), the speech-neurons sweep (records committed, checkpoints
# not), the perceptrons on the same inputs, and the page.
#
#   bash docs/results/neurons/make.sh
#
# Every step skips what is done, so the script can be stopped and run
# again, in a later session or on another machine with a clone: records
# alone mark a run done (--records-suffice). Commit what it wrote with
#   bash docs/results/paper/commit-records.sh docs/results/neurons
#   git add docs/results/neurons/baselines docs/results/neurons/intro.md
set -euo pipefail
cd "$(dirname "$0")/../../.."
R=docs/results/neurons
JOBS=${JOBS:-1}

stand_in() { # folder, expected manifest hash, command…
	local dir=$1 want=$2
	shift 2
	if [ ! -f "$dir/manifest.tsv" ]; then
		go run ./cmd/speech "$@" --out "$dir"
	fi
	local got
	got=$(sha256sum "$dir/manifest.tsv" | cut -d' ' -f1)
	if [ "$got" != "$want" ]; then
		echo "make.sh: $dir/manifest.tsv hashes to $got, the frozen stand-in's is $want (other espeak-ng or sox versions?)" >&2
		exit 1
	fi
}
stand_in data/speech-hd cc6448a39cc3269447d124dc35f72b35b21b2584f5837d1e858c89472985d219 --set rawhd
stand_in data/speech-sc d8de2f8313eabf42a400a830f4f1556536aae77b75764653748ac1c91c026a6a --set rawsc
[ -f data/standin-shd/shd_test.h5 ] || go run ./cmd/speech --spikes data/speech-hd --out data/standin-shd
[ -f data/standin-ssc/ssc_test.h5 ] || go run ./cmd/speech --spikes data/speech-sc --out data/standin-ssc

# -buildvcs=true: the records then name the commit that made them.
go run -buildvcs=true ./cmd/sweep --preset speech-neurons --out "$R/runs/study" --jobs "$JOBS" --records-suffice --no-wait

B=$R/baselines
grid=(--model mlp --hidden 128 --lr 0.001,0.003 --l2 0.001,0.01 --seeds 5 --out "$B")
[ -f "$B/baseline_rawhd.json" ] || go run ./cmd/baseline --dataset rawhd --data-dir data/speech-hd "${grid[@]}"
[ -f "$B/baseline_shd.json" ] || go run ./cmd/baseline --dataset shd --data-dir data/standin-shd --bin 10 "${grid[@]}"
[ -f "$B/baseline_rawsc.json" ] || go run ./cmd/baseline --dataset rawsc --data-dir data/speech-sc "${grid[@]}"
[ -f "$B/baseline_ssc.json" ] || go run ./cmd/baseline --dataset ssc --data-dir data/standin-ssc --bin 5 "${grid[@]}"

go run ./cmd/study --runs "$R/runs" --baselines "$B" --intro "$R/intro.md" --out "$R"
