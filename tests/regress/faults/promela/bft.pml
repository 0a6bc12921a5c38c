/* One-shot BFT quorum vote (faults/bft_*.keel) with the fault
   byzantine(Replica) at most F written out by hand, following
   docs/faults.md: the flags byz[i] and the budget counter used are ordinary
   state; corrupt(i) needs !byz[i] and used < F, sets byz[i] and spends one
   unit; forge(i, v) (free) needs byz[i] and room for Vote(i, v) (capacity
   1: not present); a Byzantine replica's honest actions are disabled.
   The network is a set: net[2*i + v] is Vote(i, v) present (capacity 1,
   never consumed). Agreement is checked in every state (an always-present
   option that fails when it is false). -DN -DQ -DF; -DTRACE adds the ghost
   step counter for spin_trace.sh. */
#ifndef N
#define N 4
#endif
#ifndef Q
#define Q 3
#endif
#ifndef F
#define F 1
#endif
bit voted[N];
bit decided[N];
bit decision[N];
bit byz[N];
byte used = 0;
bit net[2 * N];
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define VOTES(v) (net[v] + net[2 + v] + (N >= 3 -> net[4 + v] : 0) + (N >= 4 -> net[6 + v] : 0))

#define HONEST_OK(i, j) (byz[i] || byz[j] || !decided[i] || !decided[j] || decision[i] == decision[j])
#define AGREE (HONEST_OK(0,1) && (N < 3 || (HONEST_OK(0,2) && HONEST_OK(1,2))) \
               && (N < 4 || (HONEST_OK(0,3) && HONEST_OK(1,3) && HONEST_OK(2,3))))

#define CAST(i, v) :: d_step { !byz[i] && !voted[i] -> assert(!net[2*i + v]); voted[i] = 1; net[2*i + v] = 1; STEP }
#define DECIDE(i, v) :: d_step { !byz[i] && !decided[i] && VOTES(v) >= Q -> decided[i] = 1; decision[i] = v; STEP }
#define CORRUPT(i) :: d_step { !byz[i] && used < F -> byz[i] = 1; used++; STEP }
#define FORGE(i, v) :: d_step { byz[i] && !net[2*i + v] -> net[2*i + v] = 1; STEP }
#define REPLICA(i) CAST(i, 0) CAST(i, 1) DECIDE(i, 0) DECIDE(i, 1) CORRUPT(i) FORGE(i, 0) FORGE(i, 1)

active proctype Bft() {
  do
  REPLICA(0)
  REPLICA(1)
#if N >= 3
  REPLICA(2)
#endif
#if N >= 4
  REPLICA(3)
#endif
#ifdef TRACE
  :: d_step { !AGREE -> printf("LEN %d\n", steps); assert(false) }
#else
  :: d_step { !AGREE -> assert(false) }
#endif
  od
}
