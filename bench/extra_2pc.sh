#!/usr/bin/env bash
# Extra rows for bench/README.md, all on two-phase commit with one N: SPIN
# variants (d_step instead of atomic, a small DFS stack, COLLAPSE
# compression, Consistent in O(N) form, no invariant asserts) and Keel with
# Consistent in O(N) form and without its two invariants.
#
#   KEEL=/path/to/keel N=8 bench/extra_2pc.sh
#
# Keel's variants are examples/two_phase_commit.keel with the Consistent
# line rewritten, or with its `invariant` lines removed (written to a
# scratch folder). Every variant must
# report the same number of states as Keel; the script stops otherwise.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-8}
RUNS=${RUNS:-5}
KEEL=${KEEL:-$ROOT/build/keel}
OUT=${OUT:-$ROOT/bench/results/2pc_extra}
PML=$ROOT/bench/two_phase_commit/2pc.pml
SPEC=$ROOT/examples/two_phase_commit.keel
BASE="-O2 -DNOREDUCE -DSAFETY -DVECTORSZ=64 -DMEMLIM=16384"
die() { echo "extra_2pc.sh: ERROR: $*" >&2; exit 1; }
[ -x "$KEEL" ] || die "no Keel binary at $KEEL"
mkdir -p "$OUT"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cp "$KEEL" "$W/keel"
grep -v '^invariant' "$SPEC" >"$W/2pc_noinv.keel"
sed 's/^invariant Consistent: .*/invariant Consistent: !((exists r: RM . rmState[r] == aborted) \&\& (exists r: RM . rmState[r] == committed))/' \
  "$SPEC" >"$W/2pc_linear.keel"
grep -q 'exists r: RM' "$W/2pc_linear.keel" || die "cannot rewrite Consistent in $SPEC"
cp "$PML" "$W/2pc.pml"

states=$("$W/keel" check "$SPEC" -D N="$N" --progress 0 | sed -n 's/^Statistics: .* \([0-9]*\) distinct states.*/\1/p')
s2=$("$W/keel" check "$W/2pc_noinv.keel" -D N="$N" --progress 0 | sed -n 's/^Statistics: .* \([0-9]*\) distinct states.*/\1/p')
[ "$states" = "$s2" ] || die "keel without invariants: $s2 states, with: $states"
s3=$("$W/keel" check "$W/2pc_linear.keel" -D N="$N" --progress 0 | sed -n 's/^Statistics: .* \([0-9]*\) distinct states.*/\1/p')
[ "$states" = "$s3" ] || die "keel with O(N) Consistent: $s3 states, original: $states"
w=$(python3 -c "import math; print(max(10, math.ceil(math.log2($states)) + 1))")

# name | spin -D flags | gcc flags | pan flags
VARIANTS=(
  "spin atomic (main row)||$BASE|-m1000000 -c0 -w$w"
  "spin d_step|-DSTEP=d_step|$BASE|-m1000000 -c0 -w$w"
  "spin atomic, -m100 (small DFS stack)||$BASE|-m100 -c0 -w$w"
  "spin atomic, -DCOLLAPSE||$BASE -DCOLLAPSE|-m1000000 -c0 -w$w"
  "spin atomic, Consistent in O(N) form|-DLINEAR|$BASE|-m1000000 -c0 -w$w"
  "spin atomic, no invariant asserts|-DNOINV|$BASE|-m1000000 -c0 -w$w"
)
cmds=()
i=0
for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name sflags cflags pflags <<<"$v"
  d=$W/v$i; mkdir -p "$d"; cp "$W/2pc.pml" "$d/"
  (cd "$d" && spin -DN="$N" $sflags -a 2pc.pml >/dev/null && gcc $cflags -o pan pan.c) || die "build $name"
  (cd "$d" && ./pan $pflags) >"$OUT/v$i.log" 2>&1
  st=$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' "$OUT/v$i.log")
  st=$(python3 -c "print(int(float('$st')))")
  [ "$st" = "$states" ] || die "$name: $st states stored, Keel: $states"
  mb=$(sed -n 's/^ *\([0-9.]*\)\ttotal actual memory usage.*/\1/p' "$OUT/v$i.log")
  echo "$name: $st states, total actual memory $mb MB"
  cmds+=(-n "$name" "$d/pan $pflags")
  i=$((i + 1))
done
cmds+=(-n "keel (main row)" "$W/keel check $SPEC -D N=$N --progress 0")
cmds+=(-n "keel, Consistent in O(N) form" "$W/keel check $W/2pc_linear.keel -D N=$N --progress 0")
cmds+=(-n "keel, no invariants" "$W/keel check $W/2pc_noinv.keel -D N=$N --progress 0")

# Wait (up to 15 min) until at least one of the cores is idle.
for _ in $(seq 1 90); do
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  idle=$(( (b[4] + b[5] - a[4] - a[5]) * 100 / ( $(echo "${b[@]:1}" | tr ' ' '+') - ( $(echo "${a[@]:1}" | tr ' ' '+') ) + 1 ) ))
  [ "$idle" -ge 45 ] && break
  sleep 8
done
echo "idle CPU before timing: ${idle}%"
(cd "$W" && hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$OUT/hyperfine_extra_n$N.json" "${cmds[@]}")
python3 - "$OUT/hyperfine_extra_n$N.json" "$states" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]; n = int(sys.argv[2])
print(f"\n| variant (N states = {n:,}) | median s | CPU s (user+sys, mean) | distinct states/s (median) | distinct states/s (CPU) |")
print("|---|---:|---:|---:|---:|")
for x in r:
    c = x['user'] + x['system']
    print(f"| {x['command']} | {x['median']:.3f} | {c:.3f} | {n / x['median']:,.0f} | {n / c:,.0f} |")
EOF
