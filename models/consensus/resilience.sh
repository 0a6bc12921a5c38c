#!/usr/bin/env bash
# Regenerates the resilience tables of the consensus models (models/README.md,
# section "Consensus"): one `keel resilience` sweep per table, printed as a
# Markdown matrix. Cells: "holds"; "x N" violated, shortest counterexample N
# steps; "violated*" inferred from a smaller fault budget (not run).
# Usage, from the repository root: models/consensus/resilience.sh [KEEL]
# (KEEL defaults to build/keel). About two minutes; each table's time goes
# to stderr.
set -euo pipefail
keel=${1:-build/keel}
dir=models/consensus

# table TITLE SPEC ARGS...: one two-dimensional sweep as a Markdown table.
table() {
  local title=$1 spec=$2 start=$SECONDS
  shift 2
  local shown="" a
  for a in "$@"; do
    case $a in *"("*) shown="$shown '$a'" ;; *) shown="$shown $a" ;; esac
  done
  echo "**$title**"
  echo
  echo "\`keel resilience $dir/$spec --no-deadlock$shown\`"
  echo
  "$keel" resilience "$dir/$spec" --no-deadlock --format csv "$@" | awk -F, '
    NR == 1 { rowdim = $1; coldim = $2; next }
    {
      if (!($1 in seenr)) { seenr[$1] = 1; rows[++nr] = $1 }
      if (!($2 in seenc)) { seenc[$2] = 1; cols[++nc] = $2 }
      if ($3 == "holds") cell = "holds"
      else if ($8 == "true") cell = "violated*"
      else if ($3 == "violated") cell = "x " $6
      else cell = $3
      v[$1 SUBSEP $2] = cell
    }
    END {
      line = "| " rowdim " \\ " coldim " |"; sep = "|---|"
      for (c = 1; c <= nc; c++) { line = line " " cols[c] " |"; sep = sep "---|" }
      print line; print sep
      for (r = 1; r <= nr; r++) {
        line = "| " rows[r] " |"
        for (c = 1; c <= nc; c++) line = line " " v[rows[r] SUBSEP cols[c]] " |"
        print line
      }
    }'
  echo
  echo "$spec $*: $((SECONDS - start)) s" >&2
}

table "Two-phase commit: participant and coordinator crashes." \
  two_phase_commit.keel --sweep 'crash(Participant)=0..3' --sweep 'crash(Coordinator)=0..1'
table "Two-phase commit with a backup coordinator: participant crashes against the mutants (coordinator and backup may both crash)." \
  two_phase_commit_backup.keel --sweep 'crash(Participant)=0..2' --sweep Mutant=0..3
table "Paxos: acceptor crashes against the quorum size (3 acceptors, 1 lost message)." \
  paxos.keel --sweep crash=0..3 --sweep Q=1..3
table "Paxos: lost messages against the ignore-votes mutant (no crash)." \
  paxos.keel --fault crash=0 --sweep drop=0..2 --sweep Mutant=0..1
table "One-shot BFT: the tolerated F (= the Byzantine budget; Q = N - F) against N." \
  bft.keel --sweep F=0..1 --sweep N=1..5
table "One-shot BFT designed for F = 1 (N = 4, Q = 3): actual Byzantine nodes." \
  bft.keel --sweep byzantine=0..3 --sweep N=4..4
table "One-shot BFT (N = 4, F = 1, Q = 3): crashes against Byzantine nodes." \
  bft.keel --sweep crash=0..3 --sweep byzantine=0..1
table "Accountability (N = 4, designed for F = 1): Byzantine nodes against the designed F." \
  bft_accountability.keel --sweep byzantine=0..2 --sweep F=1..1
table "Raft (3 terms before gst and 2 after, logs of 2, 1 lost reply): restarts against the mutants." \
  raft.keel --sweep restart=0..2 --sweep Mutant=0..3
table "Raft (3 terms before gst and 2 after, logs of 2, no mutant): lost replies against restarts." \
  raft.keel --sweep LostReplies=0..2 --sweep restart=0..1
table "Leader election (3 nodes, 2 terms before gst and 2 after, 1 lost message, a partition, gst): crashes against the quorum." \
  leader_election.keel --sweep crash=0..3 --sweep Quorum=1..3
table "Finality (N = 4, F = 1, Q = 3): Byzantine validators against the share that crashes together." \
  finality_correlated.keel --sweep byzantine=0..1 --sweep Share=1..4
table "Finality without Byzantine validators: the slashing-protection record durable (Mutant 0) or in memory (Mutant 1), against the share." \
  finality_correlated.keel --fault byzantine=0 --sweep Mutant=0..1 --sweep Share=1..4
