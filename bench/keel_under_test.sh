# Sourced by the benchmark scripts: picks the Keel under test.
# KEEL_COMMIT=REV: build REV (git archive, Release, tests off) in a scratch
# folder, so the result names an exact commit. Otherwise the binary $KEEL as
# it is. Either way the binary is copied into $WORK first, so a rebuild of
# build/ during the run is harmless. Needs ROOT, WORK, OUT, KEEL and a `die`
# function; sets KEEL (the copy) and KEEL_DESC (what it is, for the results).
keel_under_test() {
  if [ -n "${KEEL_COMMIT:-}" ]; then
    local rev launcher=""
    rev=$(git -C "$ROOT" rev-parse --short "$KEEL_COMMIT") || die "unknown commit $KEEL_COMMIT"
    mkdir -p "$WORK/keel-src"
    git -C "$ROOT" archive "$rev" | tar -x -C "$WORK/keel-src"
    echo "== building Keel $rev (Release) in a scratch folder"
    command -v ccache >/dev/null && launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
    cmake -S "$WORK/keel-src" -B "$WORK/keel-build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKEEL_TESTS=OFF $launcher \
      >"$OUT/keel_build.log" 2>&1 \
      && cmake --build "$WORK/keel-build" --target keel >>"$OUT/keel_build.log" 2>&1 \
      || { tail -20 "$OUT/keel_build.log" >&2; die "building Keel $rev failed"; }
    KEEL=$WORK/keel-build/keel
    KEEL_DESC="commit $rev (git archive, CMAKE_BUILD_TYPE=Release, KEEL_TESTS=OFF)"
  else
    [ -x "$KEEL" ] || die "no Keel binary at $KEEL: build it (cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build) or set KEEL_COMMIT=HEAD"
    local dirty
    dirty=$(git -C "$ROOT" status --porcelain -- checker spec frontend CMakeLists.txt 2>/dev/null || true)
    KEEL_DESC="$KEEL (working tree at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')${dirty:+, with uncommitted changes to checker/ spec/ frontend/ CMakeLists.txt})"
  fi
  cp "$KEEL" "$WORK/keel"
  KEEL=$WORK/keel
}
