#!/usr/bin/env bash
# The explicit liveness check and the symbolic lasso search agree on the
# liveness corpus (tests/regress/liveness): the same property violated, or
# "holds" against "holds up to depth D" (the symbolic engine is bounded).
# Lasso lengths are not compared: the explicit engine reports a short lasso,
# the symbolic one the shortest in positions of the product (automaton
# stutters included), and either may differ from the other. Each encoding
# of integers in ARITH runs in turn (--arith bv, --arith lia); under lia a
# spec with nonlinear arithmetic is counted as nonlinear, not run.
# Usage: liveness_agree_test.sh KEEL_BINARY
#   (env: LIVENESS_SOLVERS="z3 cvc5", LIVENESS_TIMEOUT=120, ARITH="bv lia")
set -uo pipefail
keel="$1"
solvers="${LIVENESS_SOLVERS:-z3 cvc5}"
limit="${LIVENESS_TIMEOUT:-120}"
ariths="${ARITH:-bv lia}"
nonlinear=0
agree=0
disagree=0
undecided=0
verdict_of() { grep '^verdict: ' <<<"$1" | tail -n 1; }
normalize() {
  if [[ "$1" =~ ^verdict:\ violated\ \((liveness\ [A-Za-z0-9_]+)\),\ trace\ length\ ([0-9]+) ]]; then
    echo "violated ${BASH_REMATCH[1]}"
  elif [[ "$1" =~ ^verdict:\ holds ]]; then
    echo "holds"
  else
    echo "other: $1"
  fi
}
for spec in tests/regress/liveness/*.keel; do
  run=$(sed -n 's|^// RUN: *||p' "$spec" | head -n 1)
  args=${run#keel check }
  args=${args//%s/$spec}
  # shellcheck disable=SC2086
  out=$("$keel" check $args --engine explicit --progress 0 --color never 2>&1)
  ex=$(normalize "$(verdict_of "$out")")
  depth=5
  if [[ "$ex" == violated* ]]; then
    len=$(sed -n 's/^verdict: .*trace length \([0-9]*\).*/\1/p' <<<"$out")
    depth=$((len + 2))
  fi
  for arith in $ariths; do
  for solver in $solvers; do
    # shellcheck disable=SC2086
    bout=$(timeout "$limit" "$keel" check $args --engine bmc --depth "$depth" --solver "$solver" --arith "$arith" --progress 0 --color never 2>&1)
    rc=$?
    if grep -q "error\[K4003\]" <<<"$bout"; then
      nonlinear=$((nonlinear + 1))
      continue
    fi
    if [ "$rc" = 124 ] || grep -q "not supported yet" <<<"$bout"; then
      undecided=$((undecided + 1))
      echo "undecided: $spec ($solver, $arith)"
      continue
    fi
    got=$(normalize "$(verdict_of "$bout")")
    if [ "$got" = "$ex" ]; then
      agree=$((agree + 1))
    else
      disagree=$((disagree + 1))
      echo "DISAGREE: $spec ($solver, $arith, depth $depth): explicit '$ex', bmc '$got'"
    fi
  done
  done
done
echo "liveness agreement ($ariths): $agree agree, $undecided undecided, $nonlinear nonlinear (lia, not run), $disagree disagree"
[ "$disagree" = 0 ] || exit 1
# Every spec of the corpus must be compared on at least one solver.
[ "$agree" -ge "$(ls tests/regress/liveness/*.keel | wc -l)" ] || { echo "FAIL: too few agreements"; exit 1; }
