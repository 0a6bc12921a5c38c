#!/usr/bin/env bash
# Fault-free equivalence: with every fault budget at 0, a spec's state space
# is exactly the one of the same spec with its fault declarations removed.
# For every regression spec with faults (whose properties do not read the
# fault flags), compares the distinct-state counts of the two.
# Usage: fault_free_equivalence_test.sh KEEL_BINARY
set -uo pipefail
keel="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
compared=0
failed=0
distinct() { sed -n 's/^Statistics:.* \([0-9][0-9]*\) distinct states.*/\1/p' <<<"$1" | head -n 1; }
while IFS= read -r spec; do
  grep -q '^fault ' "$spec" || continue
  # Specs that read the flags a fault adds cannot lose their faults.
  grep -Eq '\.(crashed|byzantine|side)\b' "$spec" && continue
  run=$(sed -n 's|^// RUN: *||p' "$spec" | head -n 1)
  case "$run" in "keel check "*) ;; *) continue ;; esac
  args=${run#keel check }
  args=${args//%s/}
  args=$(sed -E 's/--fault +[^ ]+//g' <<<"$args")
  zero=()
  for kind in $(sed -n 's/^fault \([a-z]*\)(.*/\1/p' "$spec" | sort -u); do zero+=(--fault "$kind=0"); done
  grep -v '^fault ' "$spec" > "$work/nofaults.keel"
  # shellcheck disable=SC2086
  with=$("$keel" check "$spec" $args "${zero[@]}" --no-deadlock --progress 0 2>&1)
  # shellcheck disable=SC2086
  without=$("$keel" check "$work/nofaults.keel" $args --no-deadlock --progress 0 -I "$(dirname "$spec")" 2>&1)
  a=$(distinct "$with")
  b=$(distinct "$without")
  if [ -z "$a" ] || [ -z "$b" ]; then
    grep -q "error\[" <<<"$without" && continue  # the spec needs its faults to be well-formed
    continue
  fi
  compared=$((compared + 1))
  if [ "$a" != "$b" ]; then
    failed=$((failed + 1))
    echo "FAIL: $spec: $a distinct states with every budget at 0, $b without the fault declarations"
  fi
done < <(find tests/regress examples -name '*.keel' | sort)
echo "$compared passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$compared" -ge 10 ]
