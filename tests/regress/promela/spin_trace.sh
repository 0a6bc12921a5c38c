#!/bin/sh
# Shortest counterexample of a corpus Promela model compiled with -DTRACE:
# the model then carries a ghost step counter `steps` (incremented once per
# Keel action) and prints "LEN n" just before the assertion that marks the
# violation. SPIN's breadth-first search (-DBFS) finds a violation at the
# smallest depth first; the trail is replayed with `spin -t` to print LEN.
# Usage: sh spin_trace.sh NAME.pml [extra spin -D flags]
set -e
f=$1; shift
d=$(mktemp -d)
cp "$f" "$d/m.pml"
cd "$d"
spin -DTRACE "$@" -o1 -o2 -o3 -a m.pml >/dev/null
gcc -O2 -DNOREDUCE -DBFS -DMEMLIM=8000 -o pan pan.c
./pan -E -m10000000 | grep -E "violated|errors" || true
spin -DTRACE "$@" -t m.pml | grep -E "LEN" || echo "no trail"
rm -rf "$d"
