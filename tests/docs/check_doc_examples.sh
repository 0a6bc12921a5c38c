#!/usr/bin/env bash
# Checks that every ```keel block in a Markdown file is a spec Keel accepts:
# each is written to a temporary file and checked with --max-depth 4; any
# exit code but 150 (spec error) or 255 (internal error) passes, since an
# example may show a violation on purpose.
# Usage: check_doc_examples.sh KEEL_BINARY FILE.md
set -euo pipefail
keel="$1"
doc="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
awk -v dir="$dir" '
  /^```keel[ \t]*$/ { n++; file = sprintf("%s/example%02d.keel", dir, n); inblock = 1; next }
  /^```/ && inblock { inblock = 0; close(file); next }
  inblock { print > file }
' "$doc"
count=0
for f in "$dir"/*.keel; do
  [ -e "$f" ] || continue
  count=$((count + 1))
  set +e
  # Temporal properties need the whole state graph: no depth bound for them.
  bound="--max-depth 4"
  grep -q '^property ' "$f" && bound=""
  # shellcheck disable=SC2086
  out=$("$keel" check "$f" $bound --progress 0 --color never 2>&1)
  code=$?
  set -e
  if [ "$code" -eq 150 ] || [ "$code" -eq 255 ]; then
    echo "FAIL: $doc: example $count is not accepted (exit $code):"
    cat -n "$f"
    echo "$out"
    exit 1
  fi
done
echo "PASS: $doc: $count examples accepted"
