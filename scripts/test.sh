#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with ctest:
# Catch2 unit tests and the self-describing regression corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)"
