#!/usr/bin/env bash
# The symbolic engines: time to prove with k-induction and with PDR, and bmc
# time per depth on z3 and on cvc5. See bench/README.md ("k-induction vs
# PDR, and bmc on z3 vs cvc5").
#
#   bench/run_symbolic.sh                  # time build/keel as it is
#   KEEL=build-x/keel RUNS=3 bench/run_symbolic.sh
#
# Environment: KEEL (binary; default build/keel), RUNS (5), WARMUP (1),
# OUT (results folder; default bench/results/symbolic), TICKS (the mutex
# model's sizes; default "8 16 32"), TWOPC_DEPTHS and PETERSON_DEPTHS (bmc
# depths for each model; defaults "2 4 6" and "4 8 12 16": cvc5 takes about
# 20 s at depth 6 on two-phase commit).
# Needs hyperfine and python3.
#
# Every command is run once first and its verdict checked (a proof must say
# "holds (proved by ...)", bmc "holds up to depth D"), so that a timing is
# never of a run that failed. hyperfine then times it; the table reports the
# median, min and max wall time of RUNS runs (exit codes are ignored: a
# not-inductive answer exits 20 and is timed as it is).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
KEEL=${KEEL:-$ROOT/build/keel}
OUT=${OUT:-$ROOT/bench/results/symbolic}
TICKS=${TICKS:-"8 16 32"}
TWOPC_DEPTHS=${TWOPC_DEPTHS:-"2 4 6"}
PETERSON_DEPTHS=${PETERSON_DEPTHS:-"4 8 12 16"}

die() { echo "run_symbolic.sh: ERROR: $*" >&2; exit 1; }
for t in hyperfine python3; do command -v "$t" >/dev/null || die "$t not found"; done
[ -x "$KEEL" ] || die "no Keel binary at $KEEL (build it, or set KEEL)"

mkdir -p "$OUT"
rm -f "$OUT"/*.json
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$KEEL" "$WORK/keel"
K=$WORK/keel
{
  echo "keel: $KEEL (HEAD $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "keel sha256: $(sha256sum "$K" | cut -d' ' -f1)"
  echo "z3: $(z3 --version 2>/dev/null || echo '?'); cvc5: $(cvc5 --version 2>/dev/null | head -1 || echo '?')"
  echo "hyperfine: $(hyperfine --version)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), nproc $(nproc)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "runs: --warmup $WARMUP --runs $RUNS; date: $(date -u +%Y-%m-%dT%H:%MZ)"
} | tee "$OUT/meta.txt"

# case NAME EXPECTED-VERDICT-REGEX ARGS...: checks the verdict once, then times.
case_() {
  local name=$1 expect=$2
  shift 2
  local out
  out=$(cd "$ROOT" && "$K" check "$@" --progress 0 --color never 2>&1) || true
  grep -qE "^verdict: $expect" <<<"$out" || { echo "$out" | tail -5 >&2; die "$name: expected 'verdict: $expect'"; }
  echo "== $name: $(grep '^verdict: ' <<<"$out")"
  (cd "$ROOT" && hyperfine -N -i --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/$name.json" \
    "$K check $* --progress 0 --color never" >/dev/null)
}

MUTEX=tests/regress/pdr/mutex_token.keel
LEMMA=tests/regress/symbolic/kind_with_lemma.keel
# 1. Time to prove. k-induction proves the mutex model at k = Ticks + 2 (the
# simple path of unreachable good states through every tick value; found by
# trying depths: not inductive at Ticks + 1), PDR at any size.
for t in $TICKS; do
  case_ "prove_mutex_t${t}_kind" "holds \(proved by k-induction at k=$((t + 2))\)" \
    $MUTEX -D Ticks="$t" --engine kind --depth $((t + 2))
  case_ "prove_mutex_t${t}_pdr" "holds \(proved by PDR" $MUTEX -D Ticks="$t" --engine pdr
done
case_ "prove_mutex_t200_kind_k20" "not inductive at k=20" $MUTEX --engine kind --depth 20
case_ "prove_mutex_t200_pdr" "holds \(proved by PDR" $MUTEX --engine pdr
case_ "prove_lemma_kind" "holds \(proved by k-induction at k=1\)" $LEMMA --engine kind --depth 1
case_ "prove_lemma_pdr" "holds \(proved by PDR" $LEMMA --engine pdr

# 2. bmc per depth, z3 vs cvc5, on two models that hold (so every depth up
# to D is searched in full).
for model in tests/regress/twophase_n3.keel tests/regress/peterson.keel; do
  base=$(basename "$model" .keel)
  depths=$TWOPC_DEPTHS
  [ "$base" = peterson ] && depths=$PETERSON_DEPTHS
  for d in $depths; do
    for s in z3 cvc5; do
      case_ "bmc_${base}_d${d}_${s}" "holds up to depth $d" "$model" --engine bmc --depth "$d" --solver "$s"
    done
  done
done

python3 - "$OUT" <<'PY' | tee "$OUT/results.md"
import json, os, statistics, sys
out = sys.argv[1]
def row(name):
    p = os.path.join(out, name + ".json")
    if not os.path.exists(p):
        return None
    t = json.load(open(p))["results"][0]["times"]
    return statistics.median(t), min(t), max(t)
def fmt(r):
    return "-" if r is None else f"{r[0]:.3f} ({r[1]:.3f}-{r[2]:.3f})"
import re
def natural(n):
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", n)]
names = sorted((f[:-5] for f in os.listdir(out) if f.endswith(".json")), key=natural)
print("### Time to prove (wall seconds: median (min-max))\n")
print("| model | k-induction | PDR |")
print("|---|---|---|")
seen = set()
for n in names:
    if not n.startswith("prove_"):
        continue
    key = n.rsplit("_", 1)[0] if not n.endswith("_k20") else n[:-len("_kind_k20")]
    if key in seen:
        continue
    seen.add(key)
    kind = row(key + "_kind") or row(key + "_kind_k20")
    label = key[len("prove_"):]
    note = " (not inductive at k=20: no proof)" if row(key + "_kind_k20") else ""
    print(f"| {label} | {fmt(kind)}{note} | {fmt(row(key + '_pdr'))} |")
print("\n### bmc, time per depth (wall seconds: median (min-max))\n")
print("| model | depth | z3 | cvc5 |")
print("|---|---|---|---|")
for n in names:
    if n.startswith("bmc_") and n.endswith("_z3"):
        base = n[:-3]
        model, depth = base[4:].rsplit("_d", 1)
        print(f"| {model} | {depth} | {fmt(row(base + '_z3'))} | {fmt(row(base + '_cvc5'))} |")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/meta.txt"
