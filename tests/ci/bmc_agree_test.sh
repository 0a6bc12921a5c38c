#!/usr/bin/env bash
# The bmc engine agrees with the explicit engine on the regression corpus.
# For every spec under tests/regress and examples/ whose RUN line is a
# `keel check` that the explicit engine decides: run the explicit engine,
# then `--engine bmc --depth D` on z3 and on cvc5, where D is the explicit
# counterexample's length (for a violation) or a small depth (when it holds),
# and compare: the same violation kind and the same trace length, or "holds"
# against "holds up to depth D". A spec using a construct the bmc encoding
# does not cover yet (or too slow for it: BMC_TIMEOUT seconds) counts as
# unsupported and is skipped; any other difference is a disagreement, which
# fails the test: it is a bug in one of the engines.
# Usage: bmc_agree_test.sh KEEL_BINARY   (env: BMC_HOLDS_DEPTH=4, BMC_TIMEOUT=20, BMC_SOLVERS="z3 cvc5")
set -uo pipefail
keel="$1"
holds_depth="${BMC_HOLDS_DEPTH:-4}"
limit="${BMC_TIMEOUT:-20}"
solvers="${BMC_SOLVERS:-z3 cvc5}"
agree=0
unsupported=0
disagree=0
verdict_of() { grep '^verdict: ' <<<"$1" | tail -n 1; }
# "violated KIND LENGTH" / "holds" / "other: ..."
normalize() {
  local v="$1"
  if [[ "$v" =~ ^verdict:\ violated\ \(([a-z-]+).*trace\ length\ ([0-9]+) ]]; then
    echo "violated ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
  elif [[ "$v" =~ ^verdict:\ holds ]]; then
    echo "holds"
  else
    echo "other: $v"
  fi
}
while IFS= read -r spec; do
  run=$(sed -n 's|^// RUN: *||p' "$spec" | head -n 1)
  case "$run" in "keel check "*) ;; *) continue ;; esac
  args=${run#keel check }
  args=${args//%s/$spec}
  # Options of the explicit engine only (its dumps and graphs) are dropped,
  # and so is the spec's own choice of engine: both engines are run here.
  args=$(sed -E 's/--(dump|dot|cache|trace-out|stats-json|junit|sarif|engine|solver|smt-log) +[^ ]+//g;
                 s/--(max-depth|depth|auto-states) +[0-9]+//g' <<<"$args")
  # shellcheck disable=SC2086
  out=$(timeout "$limit" "$keel" check $args --engine explicit --progress 0 --color never 2>&1)
  ex=$(normalize "$(verdict_of "$out")")
  case "$ex" in other:*) continue ;; esac
  # Liveness: the symbolic lasso search counts the positions of the product
  # (automaton stutters included), so the explicit lasso's length is no
  # depth bound for it; tests/ci/liveness_agree_test.sh compares those.
  case "$ex" in "violated liveness"*) continue ;; esac
  if [[ "$ex" == violated* ]]; then depth=${ex##* }; else depth=$holds_depth; fi
  for solver in $solvers; do
    # shellcheck disable=SC2086
    bout=$(timeout "$limit" "$keel" check $args --progress 0 --color never --engine bmc --depth "$depth" --solver "$solver" 2>&1)
    rc=$?
    if grep -q "not supported yet by the bmc engine" <<<"$bout"; then
      unsupported=$((unsupported + 1))
      echo "unsupported: $spec ($solver): $(grep -o 'not supported yet by the bmc engine: .*' <<<"$bout" | head -n 1)"
      continue
    fi
    if [ "$rc" = 124 ]; then
      unsupported=$((unsupported + 1))
      echo "unsupported: $spec ($solver): over ${limit}s at depth $depth"
      continue
    fi
    got=$(normalize "$(verdict_of "$bout")")
    if [ "$got" = "$ex" ]; then
      agree=$((agree + 1))
    else
      disagree=$((disagree + 1))
      echo "DISAGREE: $spec ($solver, depth $depth): explicit says '$ex', bmc says '$got'"
      grep -E '^(Error|keel: )' <<<"$bout" | head -n 3
    fi
  done
done < <(find tests/regress examples -name '*.keel' | sort)
echo "$agree agree, $unsupported unsupported, $disagree disagree"
# The engines must really have been compared: most of the corpus, not a
# handful, has to finish within the time limit (285 of 334 runs do today).
[ "$disagree" -eq 0 ] && [ "$agree" -ge 150 ]
