#!/bin/bash
# Did a change alter any number? Every sampler at smoke scale on rings and fmnist, once with each of two
# `stanley` binaries (the same seed and threads), then metrics.h5 compared dataset by dataset
# (scripts/compare_metrics.py: timings left out, everything else exact). Exit 1 if any pair differs.
# Both sides run in one numerics mode (NUMERICS=portable, the default: OpenBLAS's, oneDNN's and ATen's kernel
# choices pinned by environment for both binaries, so an OLD binary from before the pins runs the same
# kernels; NUMERICS=native: neither pinned). The samplers compared are OLD's (OLD_CONFIG_DIR/sampler/*.yaml;
# OLD_CONFIG_DIR, when set, is also the config tree the old binary runs with).
#   usage: [NUMERICS=portable|native] [OLD_CONFIG_DIR=DIR] scripts/same_metrics.sh OLD_STANLEY NEW_STANLEY [OUT_DIR]
#   e.g.   cp build/stanley /tmp/stanley-before; <change, build>; scripts/same_metrics.sh /tmp/stanley-before build/stanley
set -u
[ $# -ge 2 ] || { echo "usage: [NUMERICS=portable|native] [OLD_CONFIG_DIR=DIR] $0 OLD_STANLEY NEW_STANLEY [OUT_DIR]" >&2; exit 2; }
old=$1 new=$2 out=${3:-$(mktemp -d)}
mkdir -p "$out"
here=$(cd "$(dirname "$0")/.." && pwd)
old_configs=${OLD_CONFIG_DIR:-$here/configs}
old_args=(); [ -n "${OLD_CONFIG_DIR:-}" ] && old_args=(--config-dir "$OLD_CONFIG_DIR")
case ${NUMERICS:-portable} in
  portable)  # the pins as runtime/numerics_mode.cpp writes them, from NEW (OLD may predate `stanley numerics`)
    export STANLEY_NUMERICS=portable
    pins=$("$new" numerics portable) || { echo "$new numerics portable failed" >&2; exit 2; }
    while IFS= read -r pin; do export "$pin"; done <<< "$pins" ;;
  native)
    export STANLEY_NUMERICS=native; unset OPENBLAS_CORETYPE ONEDNN_MAX_CPU_ISA ATEN_CPU_CAPABILITY ;;
  *) echo "NUMERICS=${NUMERICS}: expected portable or native" >&2; exit 2 ;;
esac
echo "numerics: ${STANLEY_NUMERICS} (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-} ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-} ATEN_CPU_CAPABILITY=${ATEN_CPU_CAPABILITY:-}); samplers of $old_configs"
samplers=$(ls "$old_configs"/sampler/*.yaml | xargs -n1 basename | sed 's/\.yaml$//')
fail=0
for exp in rings fmnist; do
  for s in $samplers; do
    for side in old new; do
      bin=$old; args=("${old_args[@]}"); [ $side = new ] && { bin=$new; args=(); }
      "$bin" "${args[@]}" run experiment=$exp scale=smoke sampler=$s threads=1 run.dir="$out/$side/$exp-$s" > "$out/$side-$exp-$s.log" 2>&1 ||
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
