# Sourced by the Slurm test scripts: makes this machine a one-node Slurm
# cluster (Debian's slurm-wlm and munge packages), starts its daemons and
# waits until the node takes jobs. The daemons are stopped when the
# sourcing script exits, unless KEEP_SLURM=1. It writes
# /etc/slurm/slurm.conf; run it as root on a machine you can spare.
if ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge
fi

host=$(hostname -s)
cpus=$(nproc)
mem=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024))
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
cat >/etc/slurm/slurm.conf <<EOF
ClusterName=spikegrad-test
SlurmctldHost=$host
AuthType=auth/munge
CryptoType=crypto/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmdSpoolDir=/var/spool/slurmd
StateSaveLocation=/var/spool/slurmctld
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
MaxArraySize=1001
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

# The daemons, started here and stopped at the end unless KEEP_SLURM=1.
chown munge:munge /run/munge
pkill_ours() {
	for f in /run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid; do
		[[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true
	done
}
[[ ${KEEP_SLURM:-} == 1 ]] || trap pkill_ours EXIT
[[ -S /run/munge/munge.socket.2 ]] || runuser -u munge -- /usr/sbin/munged
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 30); do
	sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed' && break
	scontrol update nodename="$host" state=resume 2>/dev/null || true
	sleep 1
done
sinfo

