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
# fails the test: it is a bug in one of the engines. Each encoding of
# integers in ARITH runs in turn (`--arith bv`, `--arith lia`); a spec with
# nonlinear arithmetic is counted as nonlinear under lia, not run.
# Usage: bmc_agree_test.sh KEEL_BINARY
#   (env: BMC_HOLDS_DEPTH=4, BMC_TIMEOUT=20, BMC_SOLVERS="z3 cvc5", ARITH="bv lia")
set -uo pipefail
keel="$1"
holds_depth="${BMC_HOLDS_DEPTH:-4}"
limit="${BMC_TIMEOUT:-20}"
solvers="${BMC_SOLVERS:-z3 cvc5}"
ariths="${ARITH:-bv lia}"
agree=0
unsupported=0
disagree=0
declare -A a_agree a_unsupported a_disagree a_nonlinear a_seconds
for arith in $ariths; do
  a_agree[$arith]=0 a_unsupported[$arith]=0 a_disagree[$arith]=0 a_nonlinear[$arith]=0 a_seconds[$arith]=0
done
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
  args=$(sed -E 's/--(dump|dot|cache|trace-out|stats-json|junit|sarif|engine|solver|smt-log|arith) +[^ ]+//g;
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
  for arith in $ariths; do
  for solver in $solvers; do
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    bout=$(timeout "$limit" "$keel" check $args --progress 0 --color never --engine bmc --depth "$depth" --solver "$solver" --arith "$arith" 2>&1)
    rc=$?
    a_seconds[$arith]=$(echo "${a_seconds[$arith]} + $(date +%s.%N) - $t0" | bc)
    if grep -q "error\[K4003\]" <<<"$bout"; then
      a_nonlinear[$arith]=$((a_nonlinear[$arith] + 1))
      continue
    fi
    if grep -q "not supported yet by the bmc engine" <<<"$bout"; then
      unsupported=$((unsupported + 1)) a_unsupported[$arith]=$((a_unsupported[$arith] + 1))
      echo "unsupported: $spec ($solver, $arith): $(grep -o 'not supported yet by the bmc engine: .*' <<<"$bout" | head -n 1)"
      continue
    fi
    if [ "$rc" = 124 ]; then
      unsupported=$((unsupported + 1)) a_unsupported[$arith]=$((a_unsupported[$arith] + 1))
      echo "unsupported: $spec ($solver, $arith): over ${limit}s at depth $depth"
      continue
    fi
    got=$(normalize "$(verdict_of "$bout")")
    if [ "$got" = "$ex" ]; then
      agree=$((agree + 1)) a_agree[$arith]=$((a_agree[$arith] + 1))
    else
      disagree=$((disagree + 1)) a_disagree[$arith]=$((a_disagree[$arith] + 1))
      echo "DISAGREE: $spec ($solver, $arith, depth $depth): explicit says '$ex', bmc says '$got'"
      grep -E '^(Error|keel: )' <<<"$bout" | head -n 3
    fi
  done
  done
done < <(find tests/regress examples -name '*.keel' | sort)
for arith in $ariths; do
  printf '%s: %d agree, %d unsupported, %d nonlinear (not run), %d disagree, %.1f s\n' "$arith" "${a_agree[$arith]}" \
    "${a_unsupported[$arith]}" "${a_nonlinear[$arith]}" "${a_disagree[$arith]}" "${a_seconds[$arith]}"
done
echo "$agree agree, $unsupported unsupported, $disagree disagree"
# The engines must really have been compared: most of the corpus, not a
# handful, has to finish within the time limit (285 of 334 runs do today).
[ "$disagree" -eq 0 ] && [ "$agree" -ge 150 ]
