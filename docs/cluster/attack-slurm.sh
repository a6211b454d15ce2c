#!/bin/bash
# Attack test of the sweep machinery on a real Slurm (one node, Debian's
# slurm-wlm and munge): the runs of a sweep are trained by job arrays whose
# workers are killed with SIGKILL, cancelled with scancel, requeued, and
# paused with SIGSTOP for longer than their lease while another worker
# takes their run over and completes it (then woken with SIGCONT, so the
# stale holder tries to write). Every run must end completed exactly once
# and bit for bit equal to a clean run of the same sweep: the same test
# metrics and history, the same arrays in best.npz and last.npz. The
# woken holder must write nothing and its task must not fail.
#
# It is not part of go test (it installs and starts Slurm); run it as root
# on a machine (or container) you can spare:
#
#   docs/cluster/attack-slurm.sh               # installs, configures, attacks
#   KEEP_SLURM=1 docs/cluster/attack-slurm.sh  # leave the daemons running
#
# It writes /etc/slurm/slurm.conf and works in a temporary folder. Exit
# status 0 means every check passed; each check prints ok or FAIL.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/spikegrad-attack.XXXXXX)
chmod 755 "$work"
echo "working in $work"

source "$repo/docs/cluster/slurm-node.sh"
# Debian's Python, with Debian's numpy (another python3 may come first on PATH).
py=/usr/bin/python3
$py -c 'import numpy' 2>/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y python3-numpy

mkdir -p "$work/bin" "$work/logs"
(cd "$repo" && CGO_ENABLED=0 go build -o "$work/bin/spikegrad-sweep" ./cmd/sweep)
cp "$repo/docs/cluster/slurm-sweep.sh" "$work/"
cd "$work"
# Runs of about ten seconds each on two cores, long enough to be hit in the
# middle.
cat >attack.yaml <<EOF
name: attack
base: {randman-classes: 4, randman-units: 20, randman-samples: 250, randman-train: 200, randman-validation: 25,
       randman-window: 50, steps: 100, hidden: [64], epochs: 30, batch: 50}
grid:
  seed: [1, 2, 3, 4]
EOF
runs=$(bin/spikegrad-sweep --file attack.yaml --dry-run)
lease=8s
status=0

echo "clean reference run"
bin/spikegrad-sweep --file attack.yaml --out clean --jobs 1 2>logs/clean.log >/dev/null

# start <name> <sbatch options…>: submits the sweep as job <name>; prints
# the job ID.
start() {
	local name=$1
	shift
	sbatch --parsable --job-name="$name" --cpus-per-task=1 --mem=1G --output="logs/$name-%A_%a.out" "$@" \
		slurm-sweep.sh --file attack.yaml --lease "$lease"
}
# finish <name> <job>: waits for the job, then runs one more task so that
# runs left by killed tasks are completed.
finish() {
	while squeue -h -j "$2" 2>/dev/null | grep -q .; do sleep 1; done
	sbatch --wait --job-name="$1" --cpus-per-task=1 --mem=1G --output="logs/$1-%A_%a.out" \
		slurm-sweep.sh --file attack.yaml --lease "$lease" >/dev/null
}
# holder <name>: the pid that holds a run of sweeps/<name> with at least
# one epoch done, from its live lease file.
holder() {
	for _ in $(seq 600); do
		for f in sweeps/"$1"/*/.lease.[0-9]*; do
			[[ $f == *.done || $f == *.tmp* || ! -f $f ]] && continue
			[[ -f $(dirname "$f")/last.npz ]] || continue
			$py -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"], sys.argv[1])' "$f" && return 0
		done
		sleep 0.2
	done
	return 1
}
# check <name>: every run completed, by exactly one task, and equal bit for
# bit to the clean run.
check() {
	local name=$1 bad=0
	for r in $runs; do
		n=$(cat logs/"$name"-*.out | grep 'msg="run completed"' | grep -c "run=\"$r\"" || true)
		if [[ $n != 1 ]]; then
			echo "FAIL $name: $r completed $n times"
			bad=1
		fi
	done
	$py - "sweeps/$name" clean $runs <<'PY' || bad=1
import json, sys, numpy as np
got, want, runs = sys.argv[1], sys.argv[2], sys.argv[3:]
def numbers(path):
    r = json.load(open(path))
    for e in r["history"]:
        e.pop("duration_ns", None); e.pop("seconds", None); e.pop("duration", None)
    return r["status"], r.get("test"), r["history"], r["best_epoch"]
bad = 0
for run in runs:
    a, b = numbers(f"{got}/{run}/record.json"), numbers(f"{want}/{run}/record.json")
    if a[0] != "completed" or a[1:] != b[1:]:
        print(f"FAIL {got}: {run}: record differs from the clean run's"); bad = 1
    for f in ("best.npz", "last.npz"):
        x, y = np.load(f"{got}/{run}/{f}"), np.load(f"{want}/{run}/{f}")
        arrays = [k for k in y.files if k not in ("settings", "state")]
        if sorted(x.files) != sorted(y.files) or any(not np.array_equal(x[k], y[k]) for k in arrays):
            print(f"FAIL {got}: {run}: {f} differs from the clean run's"); bad = 1
sys.exit(bad)
PY
	[[ $bad == 0 ]] && echo "ok   $name: $(echo "$runs" | wc -l) runs, each completed once, bit for bit the clean run's"
	return $bad
}

echo "kill -9 of a worker in the middle of a run"
job=$(start kill9 --array=0-1)
read -r pid file < <(holder kill9)
kill -9 "$pid" && echo "     killed pid $pid holding $(dirname "$file")"
finish kill9 "$job"
check kill9 || status=1

echo "scancel of a task in the middle of a run"
job=$(start scancel --array=0-1)
holder scancel >/dev/null
scancel --signal=KILL "${job}_0"
finish scancel "$job"
check scancel || status=1

echo "requeue of a running job"
job=$(start requeue --requeue)
holder requeue >/dev/null
scontrol requeue "$job"
finish requeue "$job"
check requeue || status=1

echo "a holder paused past its lease while another takes its run over"
job=$(start paused --array=0-1)
read -r pid file < <(holder paused)
dir=$(dirname "$file")
kill -STOP "$pid"
echo "     paused pid $pid holding $dir"
# Wait until the other task has taken the run over and completed it.
for _ in $(seq 600); do
	grep -q '"status": "completed"' "$dir/record.json" 2>/dev/null && break
	sleep 0.5
done
kill -CONT "$pid"
echo "     woke pid $pid after the run completed elsewhere"
finish paused "$job"
check paused || status=1
if grep -h 'lease on .* lost' logs/paused-*.out | grep -q 'not done by this worker'; then
	echo "ok   paused: the woken holder's writes were refused (lease lost), and it left the run to the other"
else
	echo "FAIL paused: the woken holder does not report its lost lease"
	status=1
fi
if grep -l 'msg="run failed"' logs/paused-*.out >/dev/null 2>&1; then
	echo "FAIL paused: a task reports a failed run"
	status=1
fi
exit $status
