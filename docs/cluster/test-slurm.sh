#!/bin/bash
# End-to-end test of docs/cluster/slurm-sweep.sh on a real Slurm: makes
# this machine a one-node cluster (Debian's slurm-wlm and munge packages),
# builds the sweep binary once, and submits the script as arrays of several
# shapes, without an array, again (a resubmission), and with a task
# cancelled in the middle of a run; then checks that every run of every
# sweep is completed, and was completed by exactly one task. It is not part
# of go test. Run it as root on a machine (or container) you can spare:
#
#   docs/cluster/test-slurm.sh            # installs, configures, runs
#   KEEP_SLURM=1 docs/cluster/test-slurm.sh   # leave the daemons running
#
# It writes /etc/slurm/slurm.conf and works in a temporary folder.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/spikegrad-slurm.XXXXXX)
chmod 755 "$work"
echo "working in $work"

source "$repo/docs/cluster/slurm-node.sh"

# Build once, as a cluster user would on the login node.
mkdir -p "$work/bin"
(cd "$repo" && CGO_ENABLED=0 go build -o "$work/bin/spikegrad-sweep" ./cmd/sweep)
cp "$repo/docs/cluster/slurm-sweep.sh" "$work/"
cd "$work"
cat >tiny.yaml <<EOF
name: tiny
base: {randman-classes: 3, randman-units: 8, randman-samples: 40, randman-train: 24, randman-validation: 8,
       randman-window: 15, steps: 30, hidden: [6], epochs: 4, batch: 12}
grid:
  seed: [1, 2, 3, 4, 5, 6]
EOF
runs=$(bin/spikegrad-sweep --file tiny.yaml --dry-run)

# check <job name>: every run completed in sweeps/<name>, and completed
# ("run completed") by exactly one task in the Slurm outputs of that name.
check() {
	local name=$1 bad=0
	for r in $runs; do
		if ! grep -q '"status": "completed"' "sweeps/$name/$r/record.json" 2>/dev/null; then
			echo "FAIL $name: $r is not completed"
			bad=1
		fi
		n=$(cat logs/"$name"-*.out | grep 'msg="run completed"' | grep -c "run=\"$r\"" || true)
		if [[ $n != "${2:-1}" ]]; then
			echo "FAIL $name: $r completed $n times"
			bad=1
		fi
	done
	[[ $bad == 0 ]] && echo "ok   $name: $(echo "$runs" | wc -l) runs, each completed once"
	return $bad
}

submit() { # submit <job name> [sbatch options]: waits for the job
	local name=$1
	shift
	sbatch --wait --parsable --job-name="$name" --cpus-per-task=1 --mem=1G --output="logs/$name-%A_%a.out" "$@" \
		slurm-sweep.sh --file tiny.yaml
}
mkdir -p logs
status=0
for spec in 0-7:2 1,3 5-8; do
	name=array-${spec//[,:]/_}
	submit "$name" --array="$spec" >/dev/null
	check "$name" || status=1
done
submit no-array >/dev/null
check no-array || status=1
# Resubmitting trains nothing.
before=$(cat logs/no-array-*.out | grep -c 'msg="run completed"')
submit no-array >/dev/null
after=$(cat logs/no-array-*.out | grep -c 'msg="run completed"')
skipped=$(cat logs/no-array-*.out | grep -c 'msg="already completed' || true)
if [[ $before == "$after" && $skipped == "$(echo "$runs" | wc -l)" ]]; then
	echo "ok   resubmission: nothing trained again"
else
	echo "FAIL resubmission: $before then $after completions, $skipped skipped"
	status=1
fi
# A task cancelled in the middle of a run: its run is taken over.
sed -i 's/epochs: 4/epochs: 30/' tiny.yaml
runs=$(bin/spikegrad-sweep --file tiny.yaml --dry-run)
job=$(sbatch --parsable --job-name=cancelled --array=0-1 --cpus-per-task=1 --mem=1G --output="logs/cancelled-%A_%a.out" \
	slurm-sweep.sh --file tiny.yaml)
for _ in $(seq 120); do
	ls sweeps/cancelled/*/last.npz >/dev/null 2>&1 && break
	sleep 0.5
done
scancel --signal=KILL "${job}_0"
sbatch --wait --job-name=cancelled --array=0 --cpus-per-task=1 --mem=1G --output="logs/cancelled-%A_%a.out" \
	slurm-sweep.sh --file tiny.yaml >/dev/null
while squeue -h -j "$job" | grep -q .; do sleep 1; done
check cancelled || status=1
grep -h resumed_at_epoch logs/cancelled-*.out | head -3 || true
stat -c '%A %n' sweeps/no-array/*/record.json | head -2
exit $status
