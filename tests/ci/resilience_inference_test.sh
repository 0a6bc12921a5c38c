#!/usr/bin/env bash
# `keel resilience` infers "violated" for larger budgets of a fault that only
# adds behaviours, and never for gst, whose stabilisation point is weakly
# fair and so removes the behaviours that never stabilise.
# Usage: resilience_inference_test.sh KEEL_BINARY
set -uo pipefail
keel="$1"
failed=0
expect() {  # expect NAME WANT GOT
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1"; echo "  want: $2"; echo "  got:  $3"; failed=1
  else
    echo "ok: $1"
  fi
}
# crash_done deadlocks at every budget (the processes finish): the cells
# above budget 0 are inferred, not run.
got=$("$keel" resilience tests/regress/faults/crash_done.keel --sweep crash=0..2 --format csv | cut -d, -f1,2,7 | tr '\n' ' ')
expect "crash budgets are monotone" "crash,verdict,inferred 0,violated,false 1,violated,true 2,violated,true " "$got"
# gst_eventually: EventuallyDone fails without the stabilisation point
# (tests/regress/liveness/gst_never.keel) and holds with it; the gst=1 cell
# must be run, not inferred from gst=0.
got=$("$keel" resilience tests/regress/liveness/gst_eventually.keel --no-deadlock --sweep gst=0..1 --format csv | cut -d, -f1,2,7 | tr '\n' ' ')
expect "gst is not inferred" "gst,verdict,inferred 0,violated,false 1,holds,false " "$got"
exit $failed
