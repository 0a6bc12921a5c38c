/* Two-phase commit, TLA+ TwoPhase style (twophase_n2.keel, twophase_n3.keel).
   rmState: 0 working, 1 prepared, 2 committed, 3 aborted.
   tmState: 0 init, 1 committed, 2 aborted.
   tmPrepared[r], msgPrepared[r]: the sets tmPrepared and the Prepared(r)
   part of msgs; msgCommit, msgAbort: Commit in msgs, Abort in msgs.
   -DN=2 .. -DN=5. One d_step per binding of each Keel action. */
#ifndef N
#define N 3
#endif
byte rmState[N];
byte tmState = 0;
bit tmPrepared[N];
bit msgPrepared[N];
bit msgCommit = 0;
bit msgAbort = 0;

#define ALLPREP (tmPrepared[0] && tmPrepared[1] && (N < 3 || tmPrepared[2]) && (N < 4 || tmPrepared[3]) \
                 && (N < 5 || tmPrepared[N-1]))

#define RMACTIONS(r) \
  :: d_step { tmState == 0 && msgPrepared[r] -> tmPrepared[r] = 1 } \
  :: d_step { rmState[r] == 0 -> rmState[r] = 1; msgPrepared[r] = 1 } \
  :: d_step { rmState[r] == 0 -> rmState[r] = 3 } \
  :: d_step { msgCommit -> rmState[r] = 2 } \
  :: d_step { msgAbort -> rmState[r] = 3 }

active proctype TwoPhase() {
  do
  :: d_step { tmState == 0 && ALLPREP -> tmState = 1; msgCommit = 1 }
  :: d_step { tmState == 0 -> tmState = 2; msgAbort = 1 }
  RMACTIONS(0)
  RMACTIONS(1)
#if N >= 3
  RMACTIONS(2)
#endif
#if N >= 4
  RMACTIONS(3)
#endif
#if N >= 5
  RMACTIONS(4)
#endif
  od
}
