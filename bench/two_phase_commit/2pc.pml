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
   trivially); pan evaluates it once per transition, Keel once per new
   distinct state. -DLINEAR: Consistent in its O(N) form (see below);
   -DNOINV: no invariant check at all. */
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

/* Unrolled quantifiers over RM = 0..N-1, built with the preprocessor:
   FA(P) = P(0) && ... && P(N-1), FB(P, i) = P(i, 0) && ... && P(i, N-1),
   EX(v) = some resource manager is in state v. */
#define CAT2(a, b) a ## b
#define CAT(a, b) CAT2(a, b)
#define FA_1(P) P(0)
#define FA_2(P) FA_1(P) && P(1)
#define FA_3(P) FA_2(P) && P(2)
#define FA_4(P) FA_3(P) && P(3)
#define FA_5(P) FA_4(P) && P(4)
#define FA_6(P) FA_5(P) && P(5)
#define FA_7(P) FA_6(P) && P(6)
#define FA_8(P) FA_7(P) && P(7)
#define FA_9(P) FA_8(P) && P(8)
#define FA_10(P) FA_9(P) && P(9)
#define FA_11(P) FA_10(P) && P(10)
#define FA_12(P) FA_11(P) && P(11)
#define FB_1(P, i) P(i, 0)
#define FB_2(P, i) FB_1(P, i) && P(i, 1)
#define FB_3(P, i) FB_2(P, i) && P(i, 2)
#define FB_4(P, i) FB_3(P, i) && P(i, 3)
#define FB_5(P, i) FB_4(P, i) && P(i, 4)
#define FB_6(P, i) FB_5(P, i) && P(i, 5)
#define FB_7(P, i) FB_6(P, i) && P(i, 6)
#define FB_8(P, i) FB_7(P, i) && P(i, 7)
#define FB_9(P, i) FB_8(P, i) && P(i, 8)
#define FB_10(P, i) FB_9(P, i) && P(i, 9)
#define FB_11(P, i) FB_10(P, i) && P(i, 10)
#define FB_12(P, i) FB_11(P, i) && P(i, 11)
#define FA(P) (CAT(FA_, N)(P))
#define FB(P, i) (CAT(FB_, N)(P, i))
#define NOT_ABORTED(r) (rmState[r] != 3)
#define NOT_COMMITTED(r) (rmState[r] != 2)
#define EX(v) (!FA(CAT(NOT_, v)))

/* Consistent, as written in the Keel spec:
     forall r1, r2: RM . !(rmState[r1] == aborted && rmState[r2] == committed)
   unrolled into N*N conjuncts (the default), or with -DLINEAR in the O(N)
   form !((exists r . aborted) && (exists r . committed)) that one would
   write by hand in Promela. */
#define PAIR(i, j) !(rmState[i] == 3 && rmState[j] == 2)
#define ROW(i) FB(PAIR, i)
#ifdef LINEAR
#define CONSISTENT (!(EX(ABORTED) && EX(COMMITTED)))
#else
#define CONSISTENT FA(ROW)
#endif
/* TypeOK: tmState == committed => tmPrepared == all(RM). */
#define TYPEOK (tmState != 1 || tmPrepared == ALL)

#ifdef NOINV
#define INV skip
#else
#define INV assert(CONSISTENT && TYPEOK)
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
