/* Two-phase commit, Lamport's TLA+ TwoPhase: the same model as
   examples/two_phase_commit.keel, for benchmarking Keel against SPIN.

     spin -DN=7 -a 2pc.pml          # N resource managers, 1 <= N <= 12
     gcc -O2 -DNOREDUCE -DSAFETY -o pan pan.c && ./pan -m1000000 -c0 -w26

   One active proctype, all state global and initialised in its declaration,
   one atomic block (STEP, `atomic` by default) per binding of each Keel
   action, so SPIN's "states, stored" is exactly Keel's distinct-state count
   (there is no pre-loop state: the process starts at the `do`).

   rmState[r]   0 working, 1 prepared, 2 committed, 3 aborted
   tmState      0 init, 1 committed, 2 aborted
   tmPrepared   bit r set  <=>  r in tmPrepared
   msgs         bit r set  <=>  Prepared(r) in msgs   (r = 0..N-1)
                bit N      <=>  Commit in msgs
                bit N+1    <=>  Abort in msgs

   The two Keel invariants are checked by an assert at the end of every
   step, i.e. in every reached state except the initial one (where they hold
   trivially). Compile with -DNOINV to leave them out. */
#ifndef N
#define N 3
#endif
#if N < 1 || N > 12
#error "N must be between 1 and 12"
#endif
/* STEP: atomic (default) or d_step (-DSTEP=d_step). Both give one
   transition and one stored state per action binding here (pan reports
   "0 atomic steps"): no intermediate state of a block is ever stored. On
   the benchmark machine `atomic` was ~5% faster than d_step at N=8. */
#ifndef STEP
#define STEP atomic
#endif

#define ALL      ((1 << N) - 1)
#define COMMIT   (1 << N)
#define ABORT    (1 << (N + 1))

byte  rmState[N];          /* all 0: working */
byte  tmState = 0;
short tmPrepared = 0;
short msgs = 0;

/* ANY(v): some resource manager is in state v (unrolled over 0..N-1). */
#define A(r, v) (rmState[r] == v)
#if N == 1
#define ANY(v) (A(0,v))
#elif N == 2
#define ANY(v) (A(0,v) || A(1,v))
#elif N == 3
#define ANY(v) (A(0,v) || A(1,v) || A(2,v))
#elif N == 4
#define ANY(v) (A(0,v) || A(1,v) || A(2,v) || A(3,v))
#elif N == 5
#define ANY(v) (A(0,v) || A(1,v) || A(2,v) || A(3,v) || A(4,v))
#elif N == 6
#define ANY(v) (A(0,v) || A(1,v) || A(2,v) || A(3,v) || A(4,v) || A(5,v))
#elif N == 7
#define ANY(v) (A(0,v) || A(1,v) || A(2,v) || A(3,v) || A(4,v) || A(5,v) || A(6,v))
#elif N == 8
#define ANY(v) (A(0,v) || A(1,v) || A(2,v) || A(3,v) || A(4,v) || A(5,v) || A(6,v) || A(7,v))
#elif N == 9
#define ANY(v) (A(0,v) || A(1,v) || A(2,v) || A(3,v) || A(4,v) || A(5,v) || A(6,v) || A(7,v) || A(8,v))
#elif N == 10
#define ANY(v) (A(0,v) || A(1,v) || A(2,v) || A(3,v) || A(4,v) || A(5,v) || A(6,v) || A(7,v) || A(8,v) || A(9,v))
#elif N == 11
#define ANY(v) (A(0,v) || A(1,v) || A(2,v) || A(3,v) || A(4,v) || A(5,v) || A(6,v) || A(7,v) || A(8,v) || A(9,v) || A(10,v))
#else
#define ANY(v) (A(0,v) || A(1,v) || A(2,v) || A(3,v) || A(4,v) || A(5,v) || A(6,v) || A(7,v) || A(8,v) || A(9,v) || A(10,v) || A(11,v))
#endif

#ifdef NOINV
#define INV skip
#else
/* Consistent: no RM aborted while another committed.
   TypeOK: tmState == committed => tmPrepared == all(RM). */
#define INV assert(!(ANY(3) && ANY(2)) && (tmState != 1 || tmPrepared == ALL))
#endif

/* The five actions with a parameter r: RM, for one binding of r. */
#define RM(r) \
  :: STEP { tmState == 0 && (msgs & (1 << r)) -> tmPrepared = tmPrepared | (1 << r); INV } /* TMRcvPrepared(r) */ \
  :: STEP { rmState[r] == 0 -> rmState[r] = 1; msgs = msgs | (1 << r); INV }              /* RMPrepare(r) */ \
  :: STEP { rmState[r] == 0 -> rmState[r] = 3; INV }                                      /* RMChooseToAbort(r) */ \
  :: STEP { (msgs & COMMIT) -> rmState[r] = 2; INV }                                      /* RMRcvCommitMsg(r) */ \
  :: STEP { (msgs & ABORT) -> rmState[r] = 3; INV }                                       /* RMRcvAbortMsg(r) */

active proctype TwoPhase()
{
  do
  :: STEP { tmState == 0 && tmPrepared == ALL -> tmState = 1; msgs = msgs | COMMIT; INV } /* TMCommit */
  :: STEP { tmState == 0 -> tmState = 2; msgs = msgs | ABORT; INV }                       /* TMAbort */
  RM(0)
#if N > 1
  RM(1)
#endif
#if N > 2
  RM(2)
#endif
#if N > 3
  RM(3)
#endif
#if N > 4
  RM(4)
#endif
#if N > 5
  RM(5)
#endif
#if N > 6
  RM(6)
#endif
#if N > 7
  RM(7)
#endif
#if N > 8
  RM(8)
#endif
#if N > 9
  RM(9)
#endif
#if N > 10
  RM(10)
#endif
#if N > 11
  RM(11)
#endif
  od
}
