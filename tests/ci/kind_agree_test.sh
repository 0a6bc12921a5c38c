#!/usr/bin/env bash
# k-induction agrees with the explicit engine on the regression corpus.
# For every spec under tests/regress and examples/ whose RUN line is a
# `keel check` that the explicit engine decides within the time limit: run
# `--engine kind --depth D` (D: the explicit counterexample's length for a
# violation, else KIND_DEPTH) and compare. What k-induction decides must be
# what the explicit engine says: "holds" (proved) against "holds", a
# violation of the same kind and the same trace length against a violation.
# "not inductive", "not supported" and running out of time are undecided,
# not disagreements. A proof where the explicit engine finds a violation, or
# any other difference, fails the test: it is a bug in one of the engines.
# Specs whose explicit state space exceeds KIND_MAX_STATES, or whose
# counterexample is longer than KIND_MAX_LENGTH, are left out, to keep the
# run short (about two and a half minutes). The test also fails unless at least KIND_MIN_PROOFS
# proofs and KIND_MIN_VIOLATIONS violations agree (under each encoding of
# integers in ARITH: --arith bv, --arith lia; a spec with nonlinear
# arithmetic is counted as nonlinear under lia, not run), so it cannot pass
# vacuously.
# Usage: kind_agree_test.sh KEEL_BINARY
#   (env: KIND_DEPTH=6 KIND_TIMEOUT=3 KIND_SOLVER=z3 KIND_MAX_STATES=20000
#         KIND_MAX_LENGTH=12 KIND_MIN_PROOFS=40 KIND_MIN_VIOLATIONS=25 ARITH="bv lia")
set -uo pipefail
keel="$1"
depth_holds="${KIND_DEPTH:-6}"
limit="${KIND_TIMEOUT:-3}"
solver="${KIND_SOLVER:-z3}"
max_states="${KIND_MAX_STATES:-20000}"
max_length="${KIND_MAX_LENGTH:-12}"
# About half of what agrees today (87 proofs, 50 violations with a 5 s limit).
min_proofs="${KIND_MIN_PROOFS:-40}"
min_violations="${KIND_MIN_VIOLATIONS:-25}"
ariths="${ARITH:-bv lia}"
skipped=0
disagree=0
declare -A a_proofs a_violations a_undecided a_disagree a_nonlinear a_seconds
for arith in $ariths; do
  a_proofs[$arith]=0 a_violations[$arith]=0 a_undecided[$arith]=0 a_disagree[$arith]=0 a_nonlinear[$arith]=0
  a_seconds[$arith]=0
done
verdict_of() { grep '^verdict: ' <<<"$1" | tail -n 1; }
# "violated KIND LENGTH" / "holds" / "not-inductive" / "other: ..."
normalize() {
  local v="$1"
  if [[ "$v" =~ ^verdict:\ violated\ \(([a-z-]+).*trace\ length\ ([0-9]+) ]]; then
    echo "violated ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
  elif [[ "$v" =~ ^verdict:\ holds\ up\ to ]]; then
    echo "bounded"
  elif [[ "$v" =~ ^verdict:\ holds ]]; then
    echo "holds"
  elif [[ "$v" =~ ^verdict:\ not\ inductive ]]; then
    echo "not-inductive"
  else
    echo "other: $v"
  fi
}
while IFS= read -r spec; do
  run=$(sed -n 's|^// RUN: *||p' "$spec" | head -n 1)
  case "$run" in "keel check "*) ;; *) continue ;; esac
  args=${run#keel check }
  args=${args//%s/$spec}
  # The explicit engine's outputs and the spec's own choice of engine are dropped.
  args=$(sed -E 's/--(dump|dot|cache|trace-out|stats-json|junit|sarif|engine|solver|smt-log|arith) +[^ ]+//g;
                 s/--(max-depth|depth|auto-states) +[0-9]+//g' <<<"$args")
  # shellcheck disable=SC2086
  out=$(timeout "$limit" "$keel" check $args --engine explicit --progress 0 --color never 2>&1)
  ex=$(normalize "$(verdict_of "$out")")
  # Temporal properties are the explicit engine's alone: liveness verdicts are not compared.
  case "$ex" in "violated liveness"*) continue ;; holds | violated*) ;; *) continue ;; esac
  states=$(sed -n 's/.* \([0-9]*\) distinct states.*/\1/p' <<<"$out" | head -n 1)
  if [ -n "$states" ] && [ "$states" -gt "$max_states" ]; then
    skipped=$((skipped + 1))
    continue
  fi
  if [[ "$ex" == violated* ]]; then depth=${ex##* }; else depth=$depth_holds; fi
  if [ "$depth" -gt "$max_length" ]; then
    skipped=$((skipped + 1))
    continue
  fi
  [ "$depth" -ge 1 ] || depth=1
  for arith in $ariths; do
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  kout=$(timeout "$limit" "$keel" check $args --progress 0 --color never --engine kind --depth "$depth" --solver "$solver" --arith "$arith" 2>&1)
  rc=$?
  a_seconds[$arith]=$(echo "${a_seconds[$arith]} + $(date +%s.%N) - $t0" | bc)
  if grep -q "error\[K4003\]" <<<"$kout"; then
    a_nonlinear[$arith]=$((a_nonlinear[$arith] + 1))
    continue
  fi
  got=$(normalize "$(verdict_of "$kout")")
  # "bounded" against "holds": the safety part proved, the temporal properties not checked (the
  # explicit engine's alone). Against a violation it is a disagreement: the base case missed it.
  if [ "$rc" = 124 ] || grep -q "not supported yet by the k-induction engine" <<<"$kout" || [ "$got" = not-inductive ] ||
    { [ "$got" = bounded ] && [ "$ex" = holds ]; }; then
    a_undecided[$arith]=$((a_undecided[$arith] + 1))
    reason=$got
    [ "$rc" = 124 ] && reason="over ${limit}s"
    echo "undecided: $spec ($arith, depth $depth): $reason"
    continue
  fi
  if [ "$got" = "$ex" ]; then
    if [ "$got" = holds ]; then
      a_proofs[$arith]=$((a_proofs[$arith] + 1))
    else
      a_violations[$arith]=$((a_violations[$arith] + 1))
    fi
  else
    disagree=$((disagree + 1)) a_disagree[$arith]=$((a_disagree[$arith] + 1))
    echo "DISAGREE: $spec ($arith, depth $depth): explicit says '$ex', k-induction says '$got'"
    grep -E '^(Error|keel: )' <<<"$kout" | head -n 3
  fi
  done
done < <(find tests/regress examples -name '*.keel' | sort)
ok=1
for arith in $ariths; do
  printf '%s: %d proofs and %d violations agree, %d undecided, %d nonlinear (not run), %d disagree, %.1f s\n' \
    "$arith" "${a_proofs[$arith]}" "${a_violations[$arith]}" "${a_undecided[$arith]}" "${a_nonlinear[$arith]}" \
    "${a_disagree[$arith]}" "${a_seconds[$arith]}"
  [ "${a_proofs[$arith]}" -ge "$min_proofs" ] && [ "${a_violations[$arith]}" -ge "$min_violations" ] || ok=0
done
echo "$skipped left out (over $max_states states or $max_length steps), $disagree disagree"
[ "$disagree" -eq 0 ] && [ "$ok" = 1 ]
