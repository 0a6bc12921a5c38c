/* One-shot propose / prevote / precommit BFT protocol
   (models/consensus/bft.keel), N = 2..5 nodes, node 0 the proposer, with
   byzantine(Node) at most F written by hand as in docs/faults.md: the flags
   byz[i] and the budget counter used are state; corrupt(i) needs !byz[i]
   and used < F; forge(i, m) (free) needs byz[i] and m, a message from i,
   absent (capacity 1); a Byzantine node's honest actions are disabled.
   State, one to one with Keel's: the network as bits, index 2*i + v:
     pv[]  Prevote(i, v)   pc[]  Precommit(i, v)
   prop[v] is Proposal(v) (no sender field: the proposer, node 0, signs it,
   and the Keel model writes a Byzantine proposer's proposals as the action
   ByzantinePropose), and decided[i], decision[i], byz[i], used. Q defaults to N - F.
   -DN -DF [-DQ]; -DACC checks the accountability invariants of
   bft_accountability.keel instead of Agreement and Validity (with -DDF the
   design threshold f); -DTRACE for spin_trace.sh. -DC=k adds bft.keel's
   crash(Node) at most k (default 0): the flags crashed[i] and the counter
   cused; crash(i) needs !crashed[i] and cused < C; a crashed node takes no
   honest step, is never corrupted (corrupt needs !crashed) and forges
   nothing. */
#ifndef N
#define N 4
#endif
#ifndef F
#define F 1
#endif
#ifndef Q
#define Q (N - F)
#endif
#ifndef C
#define C 0
#endif
bit decided[N];
bit decision[N];
bit byz[N];
byte used = 0;
bit crashed[N];
byte cused = 0;
bit prop[2];
bit pv[2 * N];
bit pc[2 * N];
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

/* Sum over the nodes of a bit array at 2*i + v. */
#define T(a, i, v) (N > i -> a[2*(i) + (v)] : 0)
#define SUM(a, v) (a[v] + a[2 + (v)] + T(a, 2, v) + T(a, 3, v) + T(a, 4, v))

#define HONEST_OK(i, j) (byz[i] || byz[j] || !decided[i] || !decided[j] || decision[i] == decision[j])
#define AGREE_I(i) (N <= i || (HONEST_OK(0,i) && HONEST_OK(1,i) && (i < 3 || HONEST_OK(2,i)) && (i < 4 || HONEST_OK(3,i))))
#define AGREE (HONEST_OK(0,1) && AGREE_I(2) && AGREE_I(3) && AGREE_I(4))
#define VALID_I(i) (N <= i || byz[i] || !decided[i] || prop[decision[i]])
#define VALID (VALID_I(0) && VALID_I(1) && VALID_I(2) && VALID_I(3) && VALID_I(4))

#ifdef ACC
#ifndef DF
#define DF 1
#endif
/* conflicting messages signed by i, in the one round */
#define CONF(i) (N > i && ((i == 0 && prop[0] && prop[1]) || (pv[2*(i)] && pv[2*(i)+1]) || (pc[2*(i)] && pc[2*(i)+1])))
#define NCONF (CONF(0) + CONF(1) + CONF(2) + CONF(3) + CONF(4))
#define DISAGREE (!AGREE)
#define ACCOUNTABLE (!DISAGREE || NCONF >= DF + 1)
#define BLAMED_OK(i) (!CONF(i) || byz[i])
#define NO_FALSE (BLAMED_OK(0) && BLAMED_OK(1) && BLAMED_OK(2) && BLAMED_OK(3) && BLAMED_OK(4))
#define GOOD (ACCOUNTABLE && NO_FALSE)
#else
#define GOOD (AGREE && VALID)
#endif

#define OK(i) (!byz[i] && !crashed[i])
#define VOTE(i, v) \
  :: d_step { OK(i) && !pv[2*(i)] && !pv[2*(i)+1] && prop[v] -> pv[2*(i) + (v)] = 1; STEP } \
  :: d_step { OK(i) && !pc[2*(i)] && !pc[2*(i)+1] && SUM(pv, v) >= Q -> pc[2*(i) + (v)] = 1; STEP } \
  :: d_step { OK(i) && !decided[i] && SUM(pc, v) >= Q -> decided[i] = 1; decision[i] = v; STEP } \
  :: d_step { byz[i] && !crashed[i] && !pv[2*(i) + (v)] -> pv[2*(i) + (v)] = 1; STEP } \
  :: d_step { byz[i] && !crashed[i] && !pc[2*(i) + (v)] -> pc[2*(i) + (v)] = 1; STEP }
#define NODE(i) VOTE(i, 0) VOTE(i, 1) \
  :: d_step { OK(i) && used < F -> byz[i] = 1; used++; STEP } \
  :: d_step { !crashed[i] && cused < C -> crashed[i] = 1; cused++; STEP }

active proctype Bft() {
  do
  :: d_step { OK(0) && !prop[0] && !prop[1] -> prop[0] = 1; STEP }
  :: d_step { OK(0) && !prop[0] && !prop[1] -> prop[1] = 1; STEP }
  :: d_step { byz[0] && !crashed[0] && !prop[0] -> prop[0] = 1; STEP }
  :: d_step { byz[0] && !crashed[0] && !prop[1] -> prop[1] = 1; STEP }
  NODE(0)
  NODE(1)
#if N >= 3
  NODE(2)
#endif
#if N >= 4
  NODE(3)
#endif
#if N >= 5
  NODE(4)
#endif
#ifdef TRACE
  :: d_step { !(GOOD) -> printf("LEN %d\n", steps); assert(false) }
#else
  :: d_step { !(GOOD) -> assert(false) }
#endif
  od
}
