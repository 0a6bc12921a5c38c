#!/usr/bin/env bash
# bv vs lia (--arith), side by side under the same load. See bench/README.md
# ("bv vs lia").
#
#   bench/run_arith.sh                       # build/keel, every engine
#   KEEL=build-x/keel ENGINES="pdr" bench/run_arith.sh
#
# Part 1, the corpus: every spec under tests/regress and examples/ whose RUN
# line is a `keel check`, that has no temporal property (the lasso search is
# measured by tests/ci/liveness_agree_test.sh) and that is linear (`--arith
# lia` is not refused with K4003). For each spec and each engine
# configuration, the bv run and then the lia run, one after the other, so
# that the machine's load falls on both alike:
#   bmc-z3     --engine bmc  --depth BMC_DEPTH --solver z3
#   bmc-cvc5   --engine bmc  --depth BMC_DEPTH --solver cvc5
#   kind       --engine kind --depth KIND_DEPTH (z3)
#   pdr        --engine pdr (Spacer on z3)
# each under a wall-clock limit (BMC_TIMEOUT, KIND_TIMEOUT, PDR_TIMEOUT).
# A run is decided when it ends in a verdict line that is not an error:
# bmc "holds up to depth D" or a violation; kind and pdr a proof or a
# violation ("not inductive" is not decided). The table gives, per
# configuration and encoding, the runs decided and the total wall time.
# Which engine is right is not judged here: the agreement tests
# (tests/ci/*_agree_test.sh) compare the verdicts with the explicit engine's.
#
# Part 2, hyperfine: a few representative specs (HYPERFINE_SPECS), both
# commands in one invocation (-N --runs RUNS), medians and the ratio lia/bv.
#
# Environment: KEEL (default build/keel), OUT (default bench/results/arith),
# ENGINES ("bmc-z3 bmc-cvc5 kind pdr"), BMC_DEPTH (5), KIND_DEPTH (6),
# BMC_TIMEOUT (5), KIND_TIMEOUT (5), PDR_TIMEOUT (10), RUNS (5),
# HYPERFINE (1: run part 2; 0: skip). Needs hyperfine, python3 and bc.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KEEL=${KEEL:-$ROOT/build/keel}
OUT=${OUT:-$ROOT/bench/results/arith}
ENGINES=${ENGINES:-"bmc-z3 bmc-cvc5 kind pdr"}
BMC_DEPTH=${BMC_DEPTH:-5}
KIND_DEPTH=${KIND_DEPTH:-6}
BMC_TIMEOUT=${BMC_TIMEOUT:-5}
KIND_TIMEOUT=${KIND_TIMEOUT:-5}
PDR_TIMEOUT=${PDR_TIMEOUT:-10}
RUNS=${RUNS:-5}
HYPERFINE=${HYPERFINE:-1}
# name|keel check arguments (relative to the repository root)
HYPERFINE_SPECS=${HYPERFINE_SPECS:-"pdr-mutex|tests/regress/pdr/mutex_token.keel --engine pdr
pdr-bakery|tests/regress/bakery.keel --engine pdr
kind-peterson|tests/regress/peterson.keel --engine kind --depth 6
bmc-twophase-n3|tests/regress/twophase_n3.keel --engine bmc --depth 8
bmc-cvc5-diehard|tests/regress/diehard.keel --engine bmc --depth 6 --solver cvc5"}

die() { echo "run_arith.sh: ERROR: $*" >&2; exit 1; }
for t in python3 bc; do command -v "$t" >/dev/null || die "$t not found"; done
[ -x "$KEEL" ] || die "no Keel binary at $KEEL (build it, or set KEEL)"
cd "$ROOT" || exit 1
mkdir -p "$OUT"
runs="$OUT/runs.tsv"
echo -e "spec\tengine\tarith\tdecided\tseconds\tverdict" >"$runs"

# decided | undecided, from a run's output and exit status.
classify() {
  local out="$1" rc="$2" v
  [ "$rc" = 124 ] && { echo undecided; return; }
  v=$(grep '^verdict: ' <<<"$out" | tail -n 1)
  case "$v" in
    "verdict: violated"* | "verdict: holds"*) echo decided ;;
    *) echo undecided ;;
  esac
}

while IFS= read -r spec; do
  run=$(sed -n 's|^// RUN: *||p' "$spec" | head -n 1)
  case "$run" in "keel check "*) ;; *) continue ;; esac
  grep -qE '^[[:space:]]*property[[:space:]]' "$spec" && continue
  args=${run#keel check }
  args=${args//%s/$spec}
  args=$(sed -E 's/--(dump|dot|cache|trace-out|stats-json|junit|sarif|engine|solver|smt-log|arith) +[^ ]+//g;
                 s/--(max-depth|depth|auto-states|pdr-timeout) +[0-9]+//g' <<<"$args")
  # Linear, and loads: bmc at depth 0 under lia gives a verdict.
  # shellcheck disable=SC2086
  probe=$(timeout 20 "$KEEL" check $args --engine bmc --depth 0 --arith lia --progress 0 --color never 2>&1)
  grep -q '^verdict: ' <<<"$probe" || continue
  for engine in $ENGINES; do
    case "$engine" in
      bmc-z3) opts="--engine bmc --depth $BMC_DEPTH --solver z3" limit=$BMC_TIMEOUT ;;
      bmc-cvc5) opts="--engine bmc --depth $BMC_DEPTH --solver cvc5" limit=$BMC_TIMEOUT ;;
      kind) opts="--engine kind --depth $KIND_DEPTH --solver z3" limit=$KIND_TIMEOUT ;;
      pdr) opts="--engine pdr --solver z3" limit=$PDR_TIMEOUT ;;
      *) die "unknown engine configuration $engine" ;;
    esac
    for arith in bv lia; do
      t0=$(date +%s.%N)
      # shellcheck disable=SC2086
      out=$(timeout "$limit" "$KEEL" check $args $opts --arith "$arith" --progress 0 --color never 2>&1)
      rc=$?
      secs=$(echo "$(date +%s.%N) - $t0" | bc)
      verdict=$(grep '^verdict: ' <<<"$out" | tail -n 1 | cut -c10-70)
      [ "$rc" = 124 ] && verdict="over ${limit}s"
      printf '%s\t%s\t%s\t%s\t%.3f\t%s\n' "$spec" "$engine" "$arith" "$(classify "$out" "$rc")" "$secs" \
        "$verdict" >>"$runs"
    done
  done
done < <(find tests/regress examples -name '*.keel' | sort)

python3 - "$runs" >"$OUT/summary.md" <<'EOF'
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
specs = len({r["spec"] for r in rows})
agg = collections.OrderedDict()
for r in rows:
    a = agg.setdefault((r["engine"], r["arith"]), [0, 0, 0.0])
    a[0] += r["decided"] == "decided"
    a[1] += 1
    a[2] += float(r["seconds"])
# Decided by one encoding only.
by = collections.defaultdict(dict)
for r in rows:
    by[(r["spec"], r["engine"])][r["arith"]] = r["decided"] == "decided"
print(f"{specs} linear specs without temporal properties\n")
print("| engine | encoding | decided | of | only this encoding | total wall time |")
print("|---|---|---|---|---|---|")
for (e, ar), (d, n, s) in agg.items():
    other = "lia" if ar == "bv" else "bv"
    only = sum(1 for (sp, en), v in by.items() if en == e and v.get(ar) and not v.get(other))
    print(f"| {e} | {ar} | {d} | {n} | {only} | {s:.1f} s |")
EOF
cat "$OUT/summary.md"

if [ "$HYPERFINE" = 1 ]; then
  command -v hyperfine >/dev/null || die "hyperfine not found"
  echo
  echo "| command | bv median | lia median | lia / bv |"
  echo "|---|---|---|---|"
  while IFS='|' read -r name cmd; do
    [ -n "$name" ] || continue
    base="$KEEL check $cmd --progress 0 --color never"
    hyperfine -N --runs "$RUNS" --warmup 1 -i --export-json "$OUT/$name.json" \
      -n bv "$base --arith bv" -n lia "$base --arith lia" >/dev/null 2>&1 || die "hyperfine failed on $name"
    python3 - "$OUT/$name.json" "$name" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
bv, lia = r["bv"]["median"], r["lia"]["median"]
print(f"| {sys.argv[2]} | {bv:.3f} s | {lia:.3f} s | {lia / bv:.2f} |")
EOF
  done <<<"$HYPERFINE_SPECS"
fi | tee "$OUT/hyperfine.md"
