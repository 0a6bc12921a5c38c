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
# Each encoding of integers in ARITH runs in turn (`--arith bv`, `--arith
# lia`: Int and Bool pieces); a spec with nonlinear arithmetic is counted as
# nonlinear under lia, not run. The re-check by k-induction always uses
# `--arith bv`, so that an invariant found over Int pieces is checked by
# the other encoding.
# The test fails unless, under each encoding, at least PDR_MIN_PROOFS
# proofs, PDR_MIN_VIOLATIONS violations and PDR_MIN_LEMMA_CHECKS lemma
# re-checks agree, so that it cannot pass vacuously.
# Usage: pdr_agree_test.sh KEEL_BINARY
#   (env: PDR_TIMEOUT=10 PDR_SOLVER=z3 PDR_MAX_STATES=200000
#         PDR_MIN_PROOFS=60 PDR_MIN_VIOLATIONS=30 PDR_MIN_LEMMA_CHECKS=40 ARITH="bv lia")
# At 10 s per run (a shared 2-core machine, Z3 4.8.12, bv only): 108 proofs
# (72 re-proved from the printed invariant), 54 violations, 27 undecided, 16
# left out, 0 disagreements, in about 10 minutes. At 6 s, ARITH="bv lia":
# bv 99 proofs (66 re-proved) and 50 violations, 39 undecided; lia 102
# proofs (70 re-proved) and 52 violations, 23 undecided, 11 nonlinear; 19
# left out; 0 disagreements; 11 minutes under load.
set -uo pipefail
keel="$1"
limit="${PDR_TIMEOUT:-10}"
solver="${PDR_SOLVER:-z3}"
max_states="${PDR_MAX_STATES:-200000}"
min_proofs="${PDR_MIN_PROOFS:-60}"
min_violations="${PDR_MIN_VIOLATIONS:-30}"
min_lemma_checks="${PDR_MIN_LEMMA_CHECKS:-40}"
ariths="${ARITH:-bv lia}"
skipped=0
declare -A proofs violations lemma_checks recheck_undecided undecided nonlinear disagree seconds
for arith in $ariths; do
  proofs[$arith]=0 violations[$arith]=0 lemma_checks[$arith]=0 recheck_undecided[$arith]=0
  undecided[$arith]=0 nonlinear[$arith]=0 disagree[$arith]=0 seconds[$arith]=0
done
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
  args=$(sed -E 's/--(dump|dot|cache|trace-out|stats-json|junit|sarif|engine|solver|smt-log|arith) +[^ ]+//g;
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
  for arith in $ariths; do
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  pout=$(timeout "$limit" "$keel" check $args --progress 0 --color never --engine pdr --solver "$solver" \
    --arith "$arith" 2>&1)
  rc=$?
  seconds[$arith]=$(echo "${seconds[$arith]} + $(date +%s.%N) - $t0" | bc)
  if grep -q "error\[K4003\]" <<<"$pout"; then
    nonlinear[$arith]=$((nonlinear[$arith] + 1))
    continue
  fi
  got=$(normalize "$(verdict_of "$pout")")
  if [ "$rc" = 124 ] || grep -qE "not supported yet by the pdr engine|Spacer could not decide|bmc could not look" <<<"$pout"; then
    undecided[$arith]=$((undecided[$arith] + 1))
    reason=$(grep -oE "not supported yet by the pdr engine: .*|Spacer could not decide.*|bmc could not look.*" <<<"$pout" | head -n 1)
    [ "$rc" = 124 ] && reason="over ${limit}s"
    echo "undecided: $spec ($arith): $reason"
    continue
  fi
  if [ "$got" != "$ex" ]; then
    disagree[$arith]=$((disagree[$arith] + 1))
    echo "DISAGREE: $spec ($arith): explicit says '$ex', pdr says '$got'"
    grep -E '^(Error|keel: )' <<<"$pout" | head -n 3
    continue
  fi
  if [ "$got" != holds ]; then
    violations[$arith]=$((violations[$arith] + 1))
    continue
  fi
  proofs[$arith]=$((proofs[$arith] + 1))
  # The printed invariant, pasted into the spec as lemmas, proves it at k=1.
  grep -q "^  // not expressible in Keel" <<<"$pout" && continue
  # Renamed, so that they cannot clash with lemmas the spec already has.
  lemmas=$(grep -E '^  lemma Pdr[0-9]+: ' <<<"$pout" | sed -E 's/^  lemma Pdr([0-9]+):/lemma PdrRecheck\1:/')
  copy="$tmp/$(basename "$spec")"
  { cat "$spec"; echo; echo "$lemmas"; } >"$copy"
  # shellcheck disable=SC2086
  kout=$(timeout "$limit" "$keel" check ${args/$spec/$copy} -I "$(dirname "$spec")" --progress 0 --color never \
    --engine kind --depth 1 --arith bv 2>&1)
  if [ $? = 124 ]; then
    # A printed invariant can be long (Spacer may list states one by one).
    recheck_undecided[$arith]=$((recheck_undecided[$arith] + 1))
    echo "undecided: $spec ($arith): re-proving from the printed invariant took over ${limit}s"
  elif grep -q "^verdict: holds (proved by k-induction at k=1)" <<<"$kout"; then
    lemma_checks[$arith]=$((lemma_checks[$arith] + 1))
  else
    disagree[$arith]=$((disagree[$arith] + 1))
    echo "DISAGREE: $spec ($arith): the invariant PDR printed does not prove it again at k=1:"
    echo "$lemmas" | head -n 5
    grep -E '^(verdict|Error|keel: |.*error)' <<<"$kout" | head -n 3
  fi
  done
done < <(find tests/regress examples -name '*.keel' | sort)
ok=1
for arith in $ariths; do
  printf '%s: %d proofs (%d re-proved from the printed invariant, %d over time) and %d violations agree, %d undecided, %d nonlinear (not run), %d disagree, %.1f s in pdr\n' \
    "$arith" "${proofs[$arith]}" "${lemma_checks[$arith]}" "${recheck_undecided[$arith]}" "${violations[$arith]}" \
    "${undecided[$arith]}" "${nonlinear[$arith]}" "${disagree[$arith]}" "${seconds[$arith]}"
  [ "${disagree[$arith]}" -eq 0 ] && [ "${proofs[$arith]}" -ge "$min_proofs" ] &&
    [ "${violations[$arith]}" -ge "$min_violations" ] && [ "${lemma_checks[$arith]}" -ge "$min_lemma_checks" ] || ok=0
done
echo "$skipped left out (temporal properties, or over $max_states states)"
[ "$ok" = 1 ]
