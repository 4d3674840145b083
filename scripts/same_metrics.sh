#!/bin/bash
# Did a change alter any number? Every sampler at smoke scale on rings and fmnist, once with each of two
# `stanley` binaries (the same seed and threads), then metrics.h5 compared dataset by dataset
# (scripts/compare_metrics.py: timings left out, everything else exact). Exit 1 if any pair differs.
#   usage: scripts/same_metrics.sh OLD_STANLEY NEW_STANLEY [OUT_DIR]
#   e.g.   cp build/stanley /tmp/stanley-before; <change, build>; scripts/same_metrics.sh /tmp/stanley-before build/stanley
set -u
[ $# -ge 2 ] || { echo "usage: $0 OLD_STANLEY NEW_STANLEY [OUT_DIR]" >&2; exit 2; }
old=$1 new=$2 out=${3:-$(mktemp -d)}
mkdir -p "$out"
here=$(cd "$(dirname "$0")/.." && pwd)
samplers=$(ls "$here"/configs/sampler/*.yaml | xargs -n1 basename | sed 's/\.yaml$//')
fail=0
for exp in rings fmnist; do
  for s in $samplers; do
    for side in old new; do
      bin=$old; [ $side = new ] && bin=$new
      "$bin" run experiment=$exp scale=smoke sampler=$s threads=1 run.dir="$out/$side/$exp-$s" > "$out/$side-$exp-$s.log" 2>&1 ||
        { echo "$exp $s: the $side binary failed (see $out/$side-$exp-$s.log)"; fail=1; continue 2; }
    done
    if result=$(/usr/bin/python3 "$here"/scripts/compare_metrics.py "$out/old/$exp-$s" "$out/new/$exp-$s" 2>&1); then
      echo "$exp $s: $(tail -1 <<< "$result")"
    else
      echo "$exp $s: DIFFERS"; echo "$result" | tail -5; fail=1
    fi
  done
done
echo "runs under $out"
exit $fail
