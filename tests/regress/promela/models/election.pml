/* Leader election under partial synchrony (models/consensus/leader_election.keel),
   3 nodes, with the faults written by hand as docs/faults.md and Keel's
   lowering define them (flags, sides and budget counters are state):
     crash(Node) at most C: crashed[i], cused; a crashed node's actions are off;
     partition(Node) at most 1: side[i], partitioned, pused; partition(group)
       for a proper non-empty group holding node 0; heal (free); a receive
       skips messages whose sender is on the other side;
     drop(net) at most D: dused; removes one present message;
     gst(net): gused; afterwards no drop and no new partition, and the gst
       step itself heals (partitioned and every side set to false).
   The network as bits: rv[MT*i + t - 1] RequestVote(i, t);
   vt[MT*(3*i + j) + t - 1] Vote(i, j, t). term[i], voted[i] (votedFor + 1),
   leaders[t - 1] (a bit per node). -DAT (2) AsyncTerms, -DR (2) Reserve
   (MaxTerm = AT + R), -DQ (2) Quorum, -DC (1), -DD (1), -DP (1), -DG (1)
   the budgets; -DTRACE for spin_trace.sh.
   The timing guard of Timeout: before gst a node may start terms up to AT;
   after it, only when CAN_PROGRESS fails: no live node leads a term at or
   above its own, and no live candidate of such a term can still reach a
   quorum (its votes plus the live nodes that may still grant one). */
#ifndef AT
#define AT 2
#endif
#ifndef R
#define R 2
#endif
#define MT (AT + R)
#ifndef Q
#define Q 2
#endif
#ifndef C
#define C 1
#endif
#ifndef D
#define D 1
#endif
#ifndef P
#define P 1
#endif
#ifndef G
#define G 1
#endif
byte term[3];
byte voted[3];
byte leaders[MT];
bit rv[3 * MT];
bit vt[9 * MT];
bit crashed[3];
byte cused = 0;
bit side[3];
bit partitioned = 0;
byte pused = 0;
byte dused = 0;
byte gused = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define RV(i, t) rv[MT*(i) + (t) - 1]
#define VT(i, j, t) vt[MT*(3*(i) + (j)) + (t) - 1]
#define SAME_SIDE(a, b) (!partitioned || side[a] == side[b])

#define LEADING(l) (!crashed[l] && term[l] > 0 && (leaders[term[l] - 1] & (1 << (l))))
/* j may still count for candidate c in term t */
#define GRANTS(j, c, t) (VT(j, c, t) || (!crashed[j] && RV(c, t) && \
    (term[j] < (t) || (term[j] == (t) && (voted[j] == 0 || voted[j] == (c) + 1)))))
#define CAN_WIN(c, j1, j2) (!crashed[c] && voted[c] == (c) + 1 && \
    1 + GRANTS(j1, c, term[c]) + GRANTS(j2, c, term[c]) >= Q)
#define ADVANCES(c, j1, j2, x) (term[c] > 0 && term[c] >= (x) && (LEADING(c) || CAN_WIN(c, j1, j2)))
#define CAN_PROGRESS(x) (ADVANCES(0, 1, 2, x) || ADVANCES(1, 0, 2, x) || ADVANCES(2, 0, 1, x))
#define TIMEOUT(i) :: d_step { !crashed[i] && term[i] < MT && \
    ((gused == 0 && term[i] < AT) || (gused == 1 && !CAN_PROGRESS(term[i]))) -> term[i]++; voted[i] = (i) + 1; \
    assert(!RV(i, term[i])); RV(i, term[i]) = 1; STEP }
/* node i handles RequestVote(c, t) */
#define HANDLE(i, c, t) :: d_step { !crashed[i] && RV(c, t) && SAME_SIDE(c, i) && \
    ((t) > term[i] || ((t) == term[i] && (voted[i] == 0 || voted[i] == (c) + 1))) && !VT(i, c, t) -> \
    term[i] = t; voted[i] = (c) + 1; VT(i, c, t) = 1; STEP }
#define VOTES(i, t) (1 + ((i) != 0 && VT(0, i, t)) + ((i) != 1 && VT(1, i, t)) + ((i) != 2 && VT(2, i, t)))
#define BECOME(i, t) :: d_step { !crashed[i] && term[i] == (t) && voted[i] == (i) + 1 && \
    !(leaders[(t) - 1] & (1 << (i))) && VOTES(i, t) >= Q -> leaders[(t) - 1] = leaders[(t) - 1] | (1 << (i)); STEP }
#define CRASH(i) :: d_step { !crashed[i] && cused < C -> crashed[i] = 1; cused++; STEP }
#define DROP_RV(i, t) :: d_step { RV(i, t) && dused < D && gused < 1 -> RV(i, t) = 0; dused++; STEP }
#define DROP_VT(i, j, t) :: d_step { VT(i, j, t) && dused < D && gused < 1 -> VT(i, j, t) = 0; dused++; STEP }
#define PARTITION(a, b, c) :: d_step { !partitioned && pused < P && gused < 1 -> \
    side[0] = a; side[1] = b; side[2] = c; partitioned = 1; pused++; STEP }

#define PER_TERM(t) \
  HANDLE(0, 1, t) HANDLE(0, 2, t) HANDLE(1, 0, t) HANDLE(1, 2, t) HANDLE(2, 0, t) HANDLE(2, 1, t) \
  BECOME(0, t) BECOME(1, t) BECOME(2, t) \
  DROP_RV(0, t) DROP_RV(1, t) DROP_RV(2, t) \
  DROP_VT(0, 1, t) DROP_VT(0, 2, t) DROP_VT(1, 0, t) DROP_VT(1, 2, t) DROP_VT(2, 0, t) DROP_VT(2, 1, t)

#define SIZE(m) (((m) & 1) + (((m) >> 1) & 1) + (((m) >> 2) & 1))
#if MT >= 4
#define SAFE (SIZE(leaders[0]) <= 1 && SIZE(leaders[1]) <= 1 && SIZE(leaders[2]) <= 1 && SIZE(leaders[3]) <= 1)
#elif MT >= 3
#define SAFE (SIZE(leaders[0]) <= 1 && SIZE(leaders[1]) <= 1 && SIZE(leaders[2]) <= 1)
#else
#define SAFE (SIZE(leaders[0]) <= 1 && SIZE(leaders[1]) <= 1)
#endif

active proctype Election() {
  do
  TIMEOUT(0) TIMEOUT(1) TIMEOUT(2)
  PER_TERM(1)
  PER_TERM(2)
#if MT >= 3
  PER_TERM(3)
#endif
#if MT >= 4
  PER_TERM(4)
#endif
  CRASH(0) CRASH(1) CRASH(2)
  PARTITION(1, 0, 0) PARTITION(1, 1, 0) PARTITION(1, 0, 1)
  :: d_step { partitioned -> partitioned = 0; side[0] = 0; side[1] = 0; side[2] = 0; STEP }
  :: d_step { gused < G -> gused = 1; partitioned = 0; side[0] = 0; side[1] = 0; side[2] = 0; STEP }
#ifdef TRACE
  :: d_step { !(SAFE) -> printf("LEN %d\n", steps); assert(false) }
#else
  :: d_step { !(SAFE) -> assert(false) }
#endif
  od
}
