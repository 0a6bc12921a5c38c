/* Two-phase commit for the liveness benchmark: the Promela twin of
   2pc_live.keel (bench/README.md, "Liveness vs safety").

     spin -DN=5 -a 2pc_live.pml
     gcc -O2 -DNOREDUCE -DSAFETY -DNOCLAIM -o pan_safety pan.c  # safety only
     gcc -O2 -DNOREDUCE -o pan_live pan.c                       # with the ltl claim
     ./pan_safety -m1000000 -c0 -w18
     ./pan_live -a -f -m1000000 -c0 -w19                        # weak fairness

   The encoding is bench/two_phase_commit/2pc.pml's (rmState[r] 0 working,
   1 prepared, 2 committed, 3 aborted; tmState 0 init, 1 committed,
   2 aborted; tmPrepared and msgs bit masks, bit N of msgs Commit, bit N+1
   Abort), but with one process for the transaction manager and one per
   resource manager (TM, RM_0 .. RM_{N-1}), because pan's weak fairness is
   per process and Keel's fairness declarations are per process instance.
   Every process body is `end: do :: atomic { guard -> update; assert } od`,
   so every process is always at its `do`: the program counters never
   change, and pan's states stored are exactly Keel's distinct states (no
   intermediate state of an atomic block is stored: none can block).

   As in 2pc_live.keel, no option can leave the state as it is (a
   receiver ignores a message it already acted on), so pan's "the process
   moved" and Keel's "the action was taken" (a step that changes the state)
   mean the same. The final states, everyone decided, have no successor;
   the `end` labels make them valid end states, where pan's claim may
   stutter, as Keel's behaviours stutter in a state with no successor. */
#ifndef N
#define N 3
#endif
#if N < 1 || N > 12
#error "N must be between 1 and 12"
#endif

#define ALL      ((1 << N) - 1)
#define COMMIT   (1 << N)
#define ABORT    (1 << (N + 1))

byte  rmState[N];          /* all 0: working */
byte  tmState = 0;
short tmPrepared = 0;
short msgs = 0;

/* Unrolled quantifiers over RM = 0..N-1 (as in 2pc.pml):
   FA(P) = P(0) && ... && P(N-1), FB(P, i) = P(i, 0) && ... && P(i, N-1). */
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

/* The invariants, literally as in the Keel spec, checked at the end of
   every step. */
#define PAIR(i, j) !(rmState[i] == 3 && rmState[j] == 2)
#define ROW(i) FB(PAIR, i)
#define CONSISTENT FA(ROW)
#define TYPEOK (tmState != 1 || tmPrepared == ALL)
#define INV assert(CONSISTENT && TYPEOK)

/* Terminates: eventually every RM is committed or aborted. -DALL_COMMIT:
   eventually every RM is committed, which is false (any RM may abort); run.sh
   checks that both tools find that violation. */
#ifdef ALL_COMMIT
#define DECIDED(r) (rmState[r] == 2)
#else
#define DECIDED(r) (rmState[r] >= 2)
#endif
#define ALL_DECIDED FA(DECIDED)
ltl Terminates { <> (ALL_DECIDED) }

/* The transaction manager: TMRcvPrepared(r) for each r, TMCommit, TMAbort. */
#define RCV(r) \
  :: atomic { tmState == 0 && (msgs & (1 << r)) && !(tmPrepared & (1 << r)) -> tmPrepared = tmPrepared | (1 << r); INV }

active proctype TM()
{
end:
  do
  :: atomic { tmState == 0 && tmPrepared == ALL -> tmState = 1; msgs = msgs | COMMIT; INV } /* TMCommit */
  :: atomic { tmState == 0 -> tmState = 2; msgs = msgs | ABORT; INV }                       /* TMAbort */
  RCV(0)
#if N > 1
  RCV(1)
#endif
#if N > 2
  RCV(2)
#endif
#if N > 3
  RCV(3)
#endif
#if N > 4
  RCV(4)
#endif
#if N > 5
  RCV(5)
#endif
#if N > 6
  RCV(6)
#endif
#if N > 7
  RCV(7)
#endif
#if N > 8
  RCV(8)
#endif
#if N > 9
  RCV(9)
#endif
#if N > 10
  RCV(10)
#endif
#if N > 11
  RCV(11)
#endif
  od
}

/* Resource manager r: RMPrepare, RMChooseToAbort, RMRcvCommitMsg,
   RMRcvAbortMsg, each for itself only. */
#define RMPROC(r) \
active proctype RM_ ## r() \
{ \
end: \
  do \
  :: atomic { rmState[r] == 0 -> rmState[r] = 1; msgs = msgs | (1 << r); INV } \
  :: atomic { rmState[r] == 0 -> rmState[r] = 3; INV } \
  :: atomic { (msgs & COMMIT) && rmState[r] != 2 -> rmState[r] = 2; INV } \
  :: atomic { (msgs & ABORT) && rmState[r] != 3 -> rmState[r] = 3; INV } \
  od \
}

RMPROC(0)
#if N > 1
RMPROC(1)
#endif
#if N > 2
RMPROC(2)
#endif
#if N > 3
RMPROC(3)
#endif
#if N > 4
RMPROC(4)
#endif
#if N > 5
RMPROC(5)
#endif
#if N > 6
RMPROC(6)
#endif
#if N > 7
RMPROC(7)
#endif
#if N > 8
RMPROC(8)
#endif
#if N > 9
RMPROC(9)
#endif
#if N > 10
RMPROC(10)
#endif
#if N > 11
RMPROC(11)
#endif
