#!/usr/bin/env bash
# Every counterexample Keel writes can be replayed: for each regression spec
# that expects a violation, write its trace as ITF and re-check it with
# `keel replay` under the same options.
# Usage: replay_all_test.sh KEEL_BINARY
set -uo pipefail
keel="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
replayed=0
failed=0
while IFS= read -r spec; do
  run=$(sed -n 's|^// RUN: *||p' "$spec" | head -n 1)
  want=$(sed -n 's|^// EXIT: *||p' "$spec" | head -n 1)
  case "$run" in "keel check "*) ;; *) continue ;; esac
  [ "$want" = 11 ] || [ "$want" = 12 ] || continue
  args=${run#keel check }
  args=${args//%s/$spec}
  # shellcheck disable=SC2086
  "$keel" check $args --progress 0 --color never --trace-out "$work/t.json" > "$work/check.txt" 2>&1
  [ -s "$work/t.json" ] || continue
  # A violation while computing the initial states has no state to replay.
  grep -q '"states": \[\]' "$work/t.json" && continue
  # The model options only: `keel replay` has no depth bound, engine or encoding.
  options=$(sed -E 's/--(max-depth|depth|auto-states) +[0-9]+//g; s/--(engine|solver|smt-log|arith|pdr-timeout) +[^ ]+//g' <<<"${args#"$spec"}")
  # shellcheck disable=SC2086
  if "$keel" replay "$spec" $options "$work/t.json" > "$work/replay.txt" 2>&1 && grep -q "^replay: the trace follows the spec" "$work/replay.txt"; then
    replayed=$((replayed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: the trace of $spec does not replay"
    cat "$work/replay.txt"
  fi
  rm -f "$work/t.json"
done < <(find tests/regress examples -name '*.keel' | sort)
echo "$replayed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$replayed" -gt 20 ]
