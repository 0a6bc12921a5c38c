#!/usr/bin/env bash
# Runs one self-describing regression spec and checks Keel's answer against
# the expectations in its header comments:
#   // RUN: keel check %s -D N=3          the command (%s = this file)
#   // EXPECT: holds | no-violation (simulate) | not-inductive (kind) | invariant NAME | deadlock |
#              assert | out-of-range | capacity | division-by-zero | wrong-tag | spec-error | ...
#   // EXIT: 12                           the exit code
#   // STATES: 288                        distinct states (optional)
#   // TRACE-LENGTH: 6                    actions in the shortest counterexample (optional)
#   // LOOP-LENGTH: 3                     steps in a lasso's loop (liveness; optional)
#   // INDUCTION-K: 2                     the k at which k-induction proves, or gives up (optional)
#   // DERIVED: ...                       how the numbers were derived (documentation)
# A line ending in `//~ ERROR` (optionally `//~ ERROR K2001`) must get a
# diagnostic at that line (with that code).
# Usage: run_one.sh KEEL_BINARY SPEC_FILE
set -u
keel="$1"
spec="$2"
fail() { echo "FAIL: $spec: $*"; echo "---- output ----"; echo "$out"; exit 1; }
header() { sed -n "s|^// $1: *||p" "$spec" | head -n 1; }

run=$(header RUN)
expect=$(header EXPECT)
want_exit=$(header EXIT)
states=$(header STATES)
tlen=$(header TRACE-LENGTH)
looplen=$(header LOOP-LENGTH)
kind_k=$(header INDUCTION-K)
[ -n "$run" ] || { echo "FAIL: $spec: no // RUN: line"; exit 1; }
[ -n "$expect" ] || { echo "FAIL: $spec: no // EXPECT: line"; exit 1; }
[ -n "$want_exit" ] || { echo "FAIL: $spec: no // EXIT: line"; exit 1; }

args=${run#keel }
args=${args//%s/$spec}
# --progress is an option of `keel check` only.
extra="--color never"
[ "${args%% *}" = check ] && extra="$extra --progress 0"
# shellcheck disable=SC2086
out=$(timeout 300 "$keel" $args $extra 2>&1)
code=$?
[ "$code" = "$want_exit" ] || fail "exit code $code, expected $want_exit"

case "$expect" in
  holds) grep -q "^verdict: holds" <<<"$out" || fail "expected the verdict 'holds'" ;;
  no-violation) grep -q "^verdict: no violation found" <<<"$out" || fail "expected no violation (keel simulate)" ;;
  not-inductive) grep -q "^verdict: not inductive" <<<"$out" || fail "expected the verdict 'not inductive'" ;;
  spec-error) grep -q "error\[K[0-9]\{4\}\]" <<<"$out" || fail "expected a diagnostic with a code" ;;
  invariant\ *)
    name=${expect#invariant }
    grep -q "^verdict: violated (invariant $name)" <<<"$out" || fail "expected invariant $name to be violated" ;;
  liveness\ *)
    name=${expect#liveness }
    grep -q "^verdict: violated (liveness $name)" <<<"$out" || fail "expected property $name to be violated" ;;
  *) grep -q "^verdict: violated ($expect)" <<<"$out" || fail "expected a '$expect' violation" ;;
esac
if [ -n "$states" ]; then
  grep -q " $states distinct states" <<<"$out" || fail "expected $states distinct states"
fi
if [ -n "$tlen" ]; then
  grep -q "trace length $tlen\( (a lasso.*)\)\?\$" <<<"$out" || fail "expected a shortest counterexample of $tlen steps"
fi
if [ -n "$kind_k" ]; then
  grep -q "^verdict: .* at k=$kind_k[ )]" <<<"$out" || fail "expected k-induction to decide at k=$kind_k"
fi
if [ -n "$looplen" ]; then
  grep -q "to the loop, $looplen in it)\$" <<<"$out" || fail "expected a lasso whose loop has $looplen steps"
fi
# Diagnostics expected on marked lines.
while IFS=: read -r lineno rest; do
  code=$(sed -n 's|.*//~ ERROR *\(K[0-9]\{4\}\).*|\1|p' <<<"$rest")
  pattern="$spec:$lineno:[0-9]*: error"
  [ -n "$code" ] && pattern="$pattern\[$code\]"
  grep -q "$pattern" <<<"$out" || fail "expected a diagnostic${code:+ $code} at line $lineno"
done < <(grep -n '//~ ERROR' "$spec" || true)
echo "PASS: $spec"
