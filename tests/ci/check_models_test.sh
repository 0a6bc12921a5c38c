#!/usr/bin/env bash
# The CI example catches the broken protocol change and passes the good spec;
# a second run answers both from the result cache.
# Usage: check_models_test.sh KEEL_BINARY
set -uo pipefail
keel="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export KEEL_REPORTS="$work/reports" KEEL_CACHE="$work/cache"
for run in first cached; do
  out=$(examples/ci/check_models.sh "$keel" examples/two_phase_commit.keel examples/ci/change 2>&1)
  code=$?
  [ "$code" -ne 0 ] || { echo "FAIL ($run run): the broken change was not caught"; echo "$out"; exit 1; }
  grep -q "^1 passed, 1 failed$" <<<"$out" || { echo "FAIL ($run run): unexpected summary"; echo "$out"; exit 1; }
  grep -q "FAIL  examples/ci/change/two_phase_commit_v2.keel" <<<"$out" || { echo "FAIL: wrong spec blamed"; echo "$out"; exit 1; }
done
grep -q 'unchanged since a cached check' "$KEEL_REPORTS/examples_two_phase_commit.txt" || { echo "FAIL: the second run did not use the cache"; exit 1; }
grep -q '<failure' "$KEEL_REPORTS/examples_ci_change_two_phase_commit_v2.xml" || { echo "FAIL: no JUnit failure for the broken change"; exit 1; }
echo "PASS: the CI example catches the broken change (and the cache answers the second run)"
