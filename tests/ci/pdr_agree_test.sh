#!/usr/bin/env bash
# PDR agrees with the explicit engine on the regression corpus, and the
# invariants it prints are Keel that proves the spec again.
# For every spec under tests/regress and examples/ whose RUN line is a
# `keel check` that the explicit engine decides within the time limit: run
# `--engine pdr` and compare. A proof must meet "holds"; a violation (found
# by Spacer, its trace by bmc) must have the explicit engine's kind and
# length. "not supported", Spacer's unknown and running out of time are
# undecided, never agreement; any other difference fails the test.
# Each proof's printed invariant (its `lemma PdrN: ...` lines) is then added
# to a copy of the spec, which must parse and be proved by k-induction at
# k=1: the printed invariant is inductive and excludes every bad state. A
# proof with a conjunct the printer could not state in Keel skips this.
# Specs whose explicit state space exceeds PDR_MAX_STATES, and specs with
# temporal properties (PDR proves safety only), are left out.
# The test fails unless at least PDR_MIN_PROOFS proofs, PDR_MIN_VIOLATIONS
# violations and PDR_MIN_LEMMA_CHECKS lemma re-checks agree, so that it
# cannot pass vacuously.
# Usage: pdr_agree_test.sh KEEL_BINARY
#   (env: PDR_TIMEOUT=10 PDR_SOLVER=z3 PDR_MAX_STATES=200000
#         PDR_MIN_PROOFS=60 PDR_MIN_VIOLATIONS=30 PDR_MIN_LEMMA_CHECKS=40)
# At 10 s per run (a shared 2-core machine, Z3 4.8.12): 108 proofs (72
# re-proved from the printed invariant), 54 violations, 27 undecided, 16
# left out, 0 disagreements, in about 10 minutes.
set -uo pipefail
keel="$1"
limit="${PDR_TIMEOUT:-10}"
solver="${PDR_SOLVER:-z3}"
max_states="${PDR_MAX_STATES:-200000}"
min_proofs="${PDR_MIN_PROOFS:-60}"
min_violations="${PDR_MIN_VIOLATIONS:-30}"
min_lemma_checks="${PDR_MIN_LEMMA_CHECKS:-40}"
proofs=0
violations=0
lemma_checks=0
recheck_undecided=0
undecided=0
skipped=0
disagree=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
verdict_of() { grep '^verdict: ' <<<"$1" | tail -n 1; }
# "violated KIND LENGTH" / "holds" / "other: ..."
normalize() {
  local v="$1"
  if [[ "$v" =~ ^verdict:\ violated\ \(([a-z-]+).*trace\ length\ ([0-9]+) ]]; then
    echo "violated ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
  elif [[ "$v" =~ ^verdict:\ holds\ up\ to ]]; then
    echo "bounded"
  elif [[ "$v" =~ ^verdict:\ holds ]]; then
    echo "holds"
  else
    echo "other: $v"
  fi
}
while IFS= read -r spec; do
  run=$(sed -n 's|^// RUN: *||p' "$spec" | head -n 1)
  case "$run" in "keel check "*) ;; *) continue ;; esac
  # PDR proves safety; temporal properties go to a bounded lasso search
  # after it, whose answers are not proofs: such specs are not compared.
  if grep -qE '^[[:space:]]*property[[:space:]]' "$spec"; then
    skipped=$((skipped + 1))
    continue
  fi
  args=${run#keel check }
  args=${args//%s/$spec}
  # The explicit engine's outputs and the spec's own choice of engine are dropped.
  args=$(sed -E 's/--(dump|dot|cache|trace-out|stats-json|junit|sarif|engine|solver|smt-log) +[^ ]+//g;
                 s/--(max-depth|depth|auto-states|pdr-timeout) +[0-9]+//g' <<<"$args")
  # shellcheck disable=SC2086
  out=$(timeout "$limit" "$keel" check $args --engine explicit --progress 0 --color never 2>&1)
  ex=$(normalize "$(verdict_of "$out")")
  case "$ex" in holds | violated*) ;; *) continue ;; esac
  states=$(sed -n 's/.* \([0-9]*\) distinct states.*/\1/p' <<<"$out" | head -n 1)
  if [ -n "$states" ] && [ "$states" -gt "$max_states" ]; then
    skipped=$((skipped + 1))
    continue
  fi
  # shellcheck disable=SC2086
  pout=$(timeout "$limit" "$keel" check $args --progress 0 --color never --engine pdr --solver "$solver" 2>&1)
  rc=$?
  got=$(normalize "$(verdict_of "$pout")")
  if [ "$rc" = 124 ] || grep -qE "not supported yet by the pdr engine|Spacer could not decide|bmc could not look" <<<"$pout"; then
    undecided=$((undecided + 1))
    reason=$(grep -oE "not supported yet by the pdr engine: .*|Spacer could not decide.*|bmc could not look.*" <<<"$pout" | head -n 1)
    [ "$rc" = 124 ] && reason="over ${limit}s"
    echo "undecided: $spec: $reason"
    continue
  fi
  if [ "$got" != "$ex" ]; then
    disagree=$((disagree + 1))
    echo "DISAGREE: $spec: explicit says '$ex', pdr says '$got'"
    grep -E '^(Error|keel: )' <<<"$pout" | head -n 3
    continue
  fi
  if [ "$got" != holds ]; then
    violations=$((violations + 1))
    continue
  fi
  proofs=$((proofs + 1))
  # The printed invariant, pasted into the spec as lemmas, proves it at k=1.
  grep -q "^  // not expressible in Keel" <<<"$pout" && continue
  # Renamed, so that they cannot clash with lemmas the spec already has.
  lemmas=$(grep -E '^  lemma Pdr[0-9]+: ' <<<"$pout" | sed -E 's/^  lemma Pdr([0-9]+):/lemma PdrRecheck\1:/')
  copy="$tmp/$(basename "$spec")"
  { cat "$spec"; echo; echo "$lemmas"; } >"$copy"
  # shellcheck disable=SC2086
  kout=$(timeout "$limit" "$keel" check ${args/$spec/$copy} -I "$(dirname "$spec")" --progress 0 --color never \
    --engine kind --depth 1 2>&1)
  if [ $? = 124 ]; then
    # A printed invariant can be long (Spacer may list states one by one).
    recheck_undecided=$((recheck_undecided + 1))
    echo "undecided: $spec: re-proving from the printed invariant took over ${limit}s"
  elif grep -q "^verdict: holds (proved by k-induction at k=1)" <<<"$kout"; then
    lemma_checks=$((lemma_checks + 1))
  else
    disagree=$((disagree + 1))
    echo "DISAGREE: $spec: the invariant PDR printed does not prove it again at k=1:"
    echo "$lemmas" | head -n 5
    grep -E '^(verdict|Error|keel: |.*error)' <<<"$kout" | head -n 3
  fi
done < <(find tests/regress examples -name '*.keel' | sort)
echo "$proofs proofs ($lemma_checks re-proved from the printed invariant, $recheck_undecided over time) and" \
  "$violations violations agree," \
  "$undecided undecided, $skipped left out (temporal properties, or over $max_states states), $disagree disagree"
[ "$disagree" -eq 0 ] && [ "$proofs" -ge "$min_proofs" ] && [ "$violations" -ge "$min_violations" ] &&
  [ "$lemma_checks" -ge "$min_lemma_checks" ]
