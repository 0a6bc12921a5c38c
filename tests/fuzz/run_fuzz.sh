#!/usr/bin/env bash
# Builds the libFuzzer target over Keel's front end (lexer, parser, type
# checker and lowering; tests/fuzz/fuzz_frontend.cpp) and runs it.
#
# Usage: tests/fuzz/run_fuzz.sh [SECONDS] [extra libFuzzer flags...]
#   SECONDS  total fuzzing time (default 300), run in chunks of at most 300 s
#            so that progress is saved to the corpus between chunks.
#
# Needs clang-14 and libclang-rt-14-dev (apt-get install -y clang-14 libclang-rt-14-dev);
# override the compilers with CC=... CXX=... for another clang.
#
# Layout:
#   build-fuzz/                       separate clang build, -DKEEL_FUZZ=ON (ASan + UBSan + coverage)
#   tests/fuzz/corpus-work/           scratch corpus the fuzzer grows (gitignored)
#   examples/, tests/regress/         read-only seed directories
#   tests/fuzz/keel.dict              dictionary: keywords and punctuation
#   build-fuzz/artifacts/             crash-*, timeout-*, oom-* inputs
#
# A find: minimize it with
#   build-fuzz/keel_fuzz_frontend -minimize_crash=1 -runs=100000 -exact_artifact_path=min.keel ARTIFACT
# then add it as tests/regress/fuzz/crash-NNN.keel (see docs/fuzzing.md) and fix the front end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
total=${1:-300}
shift || true
build="$root/build-fuzz"
export CC=${CC:-clang-14} CXX=${CXX:-clang++-14}

cmake -S "$root" -B "$build" -G Ninja -DKEEL_FUZZ=ON -DKEEL_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target keel_fuzz_frontend

mkdir -p "$root/tests/fuzz/corpus-work" "$build/artifacts"
# ASan frames are ~10x larger than in a release build: the front end's depth
# limits (1000-deep expressions, 2000 with definitions inlined) are sized for
# an 8 MiB stack in release builds, so give the sanitized target 64 MiB.
ulimit -s 65536 2>/dev/null || ulimit -s unlimited 2>/dev/null || echo "warning: cannot raise the stack limit; deep inputs may report a stack overflow"
left=$total
status=0
while [ "$left" -gt 0 ]; do
  chunk=$(( left < 300 ? left : 300 ))
  echo "== fuzzing for $chunk s ($left s left)"
  "$build/keel_fuzz_frontend" \
    -max_total_time="$chunk" -timeout=5 -rss_limit_mb=2048 -max_len=4096 \
    -dict="$root/tests/fuzz/keel.dict" -artifact_prefix="$build/artifacts/" \
    -print_final_stats=1 "$@" \
    "$root/tests/fuzz/corpus-work" "$root/examples" "$root/tests/regress" || { status=$?; break; }
  left=$(( left - chunk ))
done
ls -l "$build/artifacts"
exit "$status"
