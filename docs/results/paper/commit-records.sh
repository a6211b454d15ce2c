#!/usr/bin/env bash
# Stages what a reproduction folder should hold in git: the records and
# settings of its completed runs (and unstages those of runs in progress), the report (README.md, findings.csv,
# timing.json, figures/) and the few checkpoints the figures were drawn
# from (figures/checkpoints.txt). Runs still in progress and every other
# checkpoint stay out. Commit afterwards.
#
#   bash docs/results/paper/commit-records.sh docs/results/paper/local
set -euo pipefail
out=${1:?usage: commit-records.sh <reproduction folder>}
n=0
for rec in "$out"/runs/*/*/record.json; do
	[ -e "$rec" ] || continue
	dir=$(dirname "$rec")
	if grep -q '"status": "completed"' "$rec"; then
		git add "$rec" "$dir/settings.yaml"
		n=$((n + 1))
	elif git ls-files --error-unmatch "$rec" >/dev/null 2>&1; then
		# A run in progress has no place in git: keep the last committed
		# state out until it completes.
		git rm -q --cached "$rec" "$dir/settings.yaml"
	fi
done
for f in "$out"/README.md "$out"/findings.csv "$out"/results.csv "$out"/timing*.json "$out"/figures; do
	[ -e "$f" ] && git add "$f"
done
if [ -f "$out/figures/checkpoints.txt" ]; then
	while read -r ck; do
		[ -n "$ck" ] && [ -f "$out/$ck" ] && git add -f "$out/$ck"
	done < "$out/figures/checkpoints.txt"
fi
echo "staged $n completed runs of $out"
