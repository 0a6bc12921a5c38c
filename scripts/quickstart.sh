#!/usr/bin/env bash
# Quick start: install what is missing, build, and check a shipped example.
# The die-hard puzzle's invariant is violated on purpose: Keel prints the
# shortest counterexample (6 steps) and exits with 12, TLC's code for a
# safety violation; this script reports that as the expected outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
scripts/build.sh
set +e
./build/keel check examples/diehard.keel
code=$?
set -e
echo
if [ "$code" -eq 12 ]; then
  echo "quickstart: keel found the expected counterexample (exit 12). Next: ./build/keel check examples/two_phase_commit.keel"
  exit 0
fi
echo "quickstart: unexpected exit code $code"
exit 1
