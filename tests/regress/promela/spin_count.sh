#!/bin/sh
# Counts the reachable states of a Promela model written in the regression
# corpus' style (one active proctype, all state global, one atomic block per
# Keel action). Usage: sh spin_count.sh NAME.pml [extra spin -D flags]
# Prints SPIN's "states, stored" line. Dataflow optimisations (-o1 -o2 -o3)
# are disabled so that SPIN neither resets dead variables nor merges
# statements, and partial-order reduction is disabled (-DNOREDUCE), so every
# stored state is one valuation of the global variables.
set -e
f=$1; shift
d=$(mktemp -d)
cp "$f" "$d/m.pml"
cd "$d"
spin "$@" -o1 -o2 -o3 -a m.pml >/dev/null
gcc -O2 -DNOREDUCE -DMEMLIM=8000 -o pan pan.c
./pan -E -m10000000 -w24 | grep -E "errors|states, stored"
rm -rf "$d"
