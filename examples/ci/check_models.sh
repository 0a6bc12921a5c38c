#!/usr/bin/env bash
# Checks every spec under the given folders (default: models/) with Keel, as
# a CI job would: one JUnit report per spec in $KEEL_REPORTS (default
# keel-reports/), results cached in $KEEL_CACHE (default .keel-cache/) so
# unchanged specs are not checked again, and a non-zero exit if any check
# fails. A spec states what it must do with `expect` (e.g. a deliberately
# broken variant: `expect violated Agreement`); without one it must hold.
# Library modules (any folder named lib/) are not specs and are skipped.
#
# Usage: examples/ci/check_models.sh [KEEL_BINARY] [FOLDER...]
set -uo pipefail
keel=${1:-build/keel}
shift || true
folders=("$@")
[ ${#folders[@]} -eq 0 ] && folders=(models)
reports=${KEEL_REPORTS:-keel-reports}
cache=${KEEL_CACHE:-.keel-cache}
mkdir -p "$reports"
failed=0
checked=0
while IFS= read -r spec; do
  checked=$((checked + 1))
  name=$(echo "$spec" | tr '/' '_')
  if "$keel" check "$spec" --no-deadlock --progress 0 --color never --cache "$cache" \
      --junit "$reports/${name%.keel}.xml" > "$reports/${name%.keel}.txt" 2>&1; then
    echo "ok    $spec"
  else
    failed=$((failed + 1))
    echo "FAIL  $spec"
    sed -n '/^Error:/,/^Shortest/p;/^verdict:/p;/EXPECTATION/p;/error\[/p' "$reports/${name%.keel}.txt" | sed 's/^/      /'
  fi
done < <(find "${folders[@]}" -name '*.keel' -not -path '*/lib/*' | sort)
echo "$((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
