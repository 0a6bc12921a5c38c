#!/usr/bin/env bash
# Regenerates the resilience tables of models/README.md: one `keel resilience`
# sweep per line below, each printed as a Markdown table (rows: the first
# swept dimension; columns: the second). A cell is `holds`, `x N PROPERTY`
# (violated, shortest counterexample N steps) or `violated*` (inferred from a
# smaller fault budget, not run).
#
# Usage (from the repository root):
#   models/resilience.sh [KEEL_BINARY] [FILTER]
# KEEL_BINARY defaults to build/keel; FILTER keeps the lines whose spec path
# contains it (e.g. `models/resilience.sh build/keel defi/`).
set -euo pipefail
keel=${1:-build/keel}
filter=${2:-}

sweep() {
  local spec=$1
  shift
  case "$spec" in *"$filter"*) ;; *) return 0 ;; esac
  echo "\`keel resilience $spec $*\`"
  echo
  "$keel" resilience "$spec" "$@" --format csv | awk -F, '
    NR == 1 { dims = NF - 6; d1 = $1; d2 = (dims > 1 ? $2 : ""); next }
    {
      r = $1; c = (dims > 1 ? $2 : "-")
      if (!(r in seen_r)) { seen_r[r] = 1; rows[++nr] = r }
      if (!(c in seen_c)) { seen_c[c] = 1; cols[++nc] = c }
      v = $(dims + 1)
      if ($(dims + 6) == "true") cell = "violated*"
      else if (v == "holds") cell = "holds"
      else if (v == "violated") cell = "x " $(dims + 4) " " $(dims + 3)
      else cell = v
      cells[r, c] = cell
    }
    END {
      line = "| " d1 (dims > 1 ? " \\ " d2 : "") " |"; sep = "|---|"
      for (j = 1; j <= nc; j++) { line = line " " (dims > 1 ? cols[j] : "verdict") " |"; sep = sep "---|" }
      print line; print sep
      for (i = 1; i <= nr; i++) {
        line = "| " rows[i] " |"
        for (j = 1; j <= nc; j++) line = line " " cells[rows[i], cols[j]] " |"
        print line
      }
    }'
  echo
}

# Liquidation and markets (models/defi)
sweep models/defi/lending_pool.keel --sweep ShockPct=5..18 --sweep LiquidatorDelay=0..3
sweep models/defi/delayed_oracle.keel --sweep FallPct=12..20 --sweep Delay=0..2
sweep models/defi/delayed_oracle.keel --sweep Delay=0..2 --sweep KeeperDelay=0..2 -D FallPct=15
sweep models/defi/oracle_aggregation.keel --sweep Byzantine=0..2 --sweep stale=0..2
sweep models/defi/oracle_aggregation.keel --sweep Byzantine=0..2 --sweep deviate=0..2
sweep models/defi/oracle_aggregation.keel --sweep MinAnswer=12..15 --sweep StaleLimit=0..1
sweep models/defi/english_auction.keel --sweep Congestion=0..4 --sweep Ttl=1..4
sweep models/defi/dutch_auction.keel --sweep Congestion=0..10 --sweep MinRecoveryPct=78..79
sweep models/defi/dutch_auction.keel --sweep Congestion=0..10 -D MinRecoveryPct=100
sweep models/defi/sequencer_grace.keel --sweep ShockPct=4..10 --sweep MaxOutage=0..3
sweep models/defi/sequencer_grace.keel --sweep ShockPct=4..10 --sweep Grace=0..3
sweep models/defi/sequencer_grace.keel --sweep ShockPct=4..10 --sweep Grace=0..3 -D BypassHF=0
sweep models/defi/recovery_mode.keel --sweep ShockPct=4..11 --sweep PerBlock=1..2 -D Recovery=false
sweep models/defi/recovery_mode.keel --sweep ShockPct=4..11 --sweep PerBlock=1..2 -D SafeICR=15000
sweep models/defi/congested_chain_liquidation.keel --sweep MaxStall=0..4 --sweep ChainDelay=1..3
sweep models/defi/congested_chain_liquidation.keel --sweep MaxStall=0..4 --sweep ChainDelay=1..3 -D Capacity=2
