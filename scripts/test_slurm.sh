#!/usr/bin/env bash
# `make test-slurm` and CTest `slurm_launcher`: the SLURM launcher against a real single-node SLURM (Debian's slurmctld, slurmd,
# slurm-client and munge), configured in a temporary directory, started on localhost, and stopped at
# the end. A two-job smoke sweep must run to completion through sbatch array tasks, and the smoke study
# (tuning sweep, pick, main sweep, report) with every sweep an array the study waits for.
# usage: scripts/test_slurm.sh STANLEY_BINARY
set -euo pipefail
STANLEY=$(readlink -f "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)

PKGS=(slurmctld slurmd slurm-client munge)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "test-slurm: installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "test-slurm: SKIPPED: needs root (it starts munged, slurmctld and slurmd on this machine)" >&2
  exit 77
fi

T=$(mktemp -d /tmp/stanley-slurm.XXXXXX)
chmod 755 "$T"   # munged runs as the munge user
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$T/munge/munged.pid" ] && kill "$(cat "$T/munge/munged.pid")" 2>/dev/null || true  # it daemonises
  wait 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT

# munge: the key the package created, our own socket so a system munged (if any) is untouched.
mkdir -p "$T/munge"
chown munge:munge "$T/munge"
MUNGE_SOCKET="$T/munge/munge.socket"
su -s /bin/sh munge -c "munged --socket=$MUNGE_SOCKET --pid-file=$T/munge/munged.pid --log-file=$T/munge/munged.log --seed-file=$T/munge/seed"
for _ in $(seq 50); do [ -S "$MUNGE_SOCKET" ] && break; sleep 0.1; done

NODE=$(hostname -s)
CPUS=$(nproc)
mkdir -p "$T/state" "$T/spool"
cat > "$T/slurm.conf" <<CONF
ClusterName=stanleytest
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"
slurmctld -D -i > "$T/slurmctld.out" 2>&1 & pids+=($!)
slurmd -D > "$T/slurmd.out" 2>&1 & pids+=($!)
for i in $(seq 60); do
  sinfo -h -o '%T' 2>/dev/null | grep -qE '^idle' && break
  [ "$i" = 60 ] && { echo "test-slurm: the node never became idle"; cat "$T"/slurmctld.log "$T"/slurmd.log; exit 1; }
  sleep 1
done
echo "test-slurm: slurmctld and slurmd up on $NODE ($CPUS CPUs)"

cd "$ROOT"
start=$(date +%s)
"$STANLEY" run -m experiment=rings scale=smoke sampler=langevin,stanley launcher=slurm \
  launcher.cpus_per_task=1 launcher.time=00:10:00 run.dir="$T/sweep" --wait
"$STANLEY" sweep status "$T/sweep" | tee "$T/status.txt"
grep -q "2 done, 0 running, 0 pending, 0 failed" "$T/status.txt" || { echo "test-slurm: FAILED"; cat "$T"/sweep/logs/*; exit 1; }
grep -q "#SBATCH --array=0,1" "$T/sweep/slurm/array.sh"
for j in 0 1; do [ -f "$T/sweep/$j/metrics.h5" ] || { echo "test-slurm: job $j wrote no metrics.h5"; exit 1; }; done
swept=$(( $(date +%s) - start ))
"$STANLEY" study smoke dir="$T/study" seeds=0 launcher=slurm launcher.cpus_per_task=1 launcher.time=00:10:00
for f in tune/slurm/array.sh main/slurm/array.sh tune.md paired.md; do
  [ -f "$T/study/$f" ] || { echo "test-slurm: the study through SLURM left no $f"; cat "$T"/study/*/logs/* 2>/dev/null; exit 1; }
done
echo "test-slurm: passed (two-job sweep through sbatch --wait in $swept s; smoke study through SLURM in $(( $(date +%s) - start - swept )) s)"
