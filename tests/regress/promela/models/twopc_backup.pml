/* Two-phase commit with a backup coordinator
   (models/consensus/two_phase_commit_backup.keel), 3 participants, with the
   crash faults written by hand as in docs/faults.md: crashed flags and a
   budget counter per declaration are state; crash(i) needs !crashed[i] and
   budget left; a crashed process's actions are disabled.
   State, one to one with Keel's (participants r = 0..2 stand for 1..3):
     prep[r]      Prepared(r) in msgs
     commit[c], abort[c]   Commit(c), Abort(c) in msgs (c = 0 coordinator, 1 backup)
     query        Query in msgs
     ans[r]       0: no Answer(r, _); 1 + s: Answer(r, s) (a participant
                  answers once, so there is at most one)
     dec[c]       0 undecided, 1 commit, 2 abort
     heard[r]     the coordinator's tmPrepared (the backup's stays empty)
     rm[r]        0 working, 1 prepared, 2 committed, 3 aborted
     fenced[r], pcr[r], pused, ccr[c], cused
   -DMUTANT=0|1|2|3 as the Keel constant Mutant (3: a fenced participant
   may still prepare); -DCP, -DCC the participant
   and coordinator crash budgets (1, 2); -DTRACE for spin_trace.sh.
   -DLIVE adds a check for the progress property Terminates: every action
   is monotone (the keel file's DERIVED lines say why), so a behaviour that
   is weakly fair to every process ends stuttering in a state where no
   live process can change the state (QUIET); Terminates fails iff such a
   state is reachable with the backup alive and a live participant
   undecided. The check asserts there; with spin_trace.sh, LEN is the
   shortest prefix of such a lasso (Keel's trace length minus its loop of
   one stutter). It checks the reachable quiet states only: the reduction
   from fair behaviours to quiet states rests on the monotonicity argument,
   which SPIN does not check. */
#ifndef MUTANT
#define MUTANT 0
#endif
#ifndef CP
#define CP 1
#endif
#ifndef CC
#define CC 2
#endif
bit prep[3];
bit commit[2];
bit abort[2];
bit query = 0;
byte ans[3];
byte dec[2];
bit heard[3];
byte rm[3];
bit fenced[3];
bit pcr[3];
byte pused = 0;
bit ccr[2];
byte cused = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define ANSWERED(r) (ans[r] != 0 || (MUTANT == 1 && pcr[r]))
#define COMPLETE (ANSWERED(0) && ANSWERED(1) && ANSWERED(2))
/* An answer of working (1) or aborted (4) forbids commit; committed (3) forbids abort. */
#define NOVETO(r) (ans[r] != 1 && ans[r] != 4)
#define NOCOMMITTED(r) (ans[r] != 3)
#define OBEYS(r, c) ((c) == 1 || !fenced[r] || MUTANT == 2)

#define CONS2(a, b) (!(rm[a] == 3 && rm[b] == 2))
#define CONSISTENT (CONS2(0,1) && CONS2(0,2) && CONS2(1,0) && CONS2(1,2) && CONS2(2,0) && CONS2(2,1))

/* A live process can change the state (Keel's "enabled"). */
#define PMOVES(r) (!pcr[r] && ((rm[r] == 0) || (query && !fenced[r]) || \
  (rm[r] != 2 && ((commit[0] && OBEYS(r, 0)) || commit[1])) || \
  (rm[r] != 3 && ((abort[0] && OBEYS(r, 0)) || abort[1]))))
#define CMOVES (!ccr[0] && dec[0] == 0)
#define BMOVES (!ccr[1] && (!query || (dec[1] == 0 && COMPLETE && \
  ((NOVETO(0) && NOVETO(1) && NOVETO(2)) || (NOCOMMITTED(0) && NOCOMMITTED(1) && NOCOMMITTED(2))))))
#define QUIET (!PMOVES(0) && !PMOVES(1) && !PMOVES(2) && !CMOVES && !BMOVES)
#define DONE(r) (pcr[r] || rm[r] >= 2)
#define TERMINATED (ccr[1] || (DONE(0) && DONE(1) && DONE(2)))

#define PARTICIPANT(r) \
  :: d_step { !pcr[r] && rm[r] == 0 && (!fenced[r] || MUTANT == 3) -> rm[r] = 1; prep[r] = 1; STEP } \
  :: d_step { !pcr[r] && rm[r] == 0 -> rm[r] = 3; STEP } \
  :: d_step { !pcr[r] && commit[0] && OBEYS(r, 0) -> rm[r] = 2; STEP } \
  :: d_step { !pcr[r] && commit[1] && OBEYS(r, 1) -> rm[r] = 2; STEP } \
  :: d_step { !pcr[r] && abort[0] && OBEYS(r, 0) -> rm[r] = 3; STEP } \
  :: d_step { !pcr[r] && abort[1] && OBEYS(r, 1) -> rm[r] = 3; STEP } \
  :: d_step { !pcr[r] && query && !fenced[r] -> fenced[r] = 1; ans[r] = 1 + rm[r]; STEP } \
  :: d_step { !pcr[r] && pused < CP -> pcr[r] = 1; pused++; STEP } \
  :: d_step { !ccr[0] && dec[0] == 0 && prep[r] -> heard[r] = 1; STEP }

active proctype TwoPCBackup() {
  do
  PARTICIPANT(0)
  PARTICIPANT(1)
  PARTICIPANT(2)
  :: d_step { !ccr[0] && dec[0] == 0 && heard[0] && heard[1] && heard[2] -> dec[0] = 1; commit[0] = 1; STEP }
  :: d_step { !ccr[0] && dec[0] == 0 -> dec[0] = 2; abort[0] = 1; STEP }
  :: d_step { !ccr[1] && !query -> query = 1; STEP }
  :: d_step { !ccr[1] && dec[1] == 0 && COMPLETE && NOVETO(0) && NOVETO(1) && NOVETO(2) -> dec[1] = 1; commit[1] = 1; STEP }
  :: d_step { !ccr[1] && dec[1] == 0 && COMPLETE && NOCOMMITTED(0) && NOCOMMITTED(1) && NOCOMMITTED(2) -> dec[1] = 2; abort[1] = 1; STEP }
  :: d_step { !ccr[0] && cused < CC -> ccr[0] = 1; cused++; STEP }
  :: d_step { !ccr[1] && cused < CC -> ccr[1] = 1; cused++; STEP }
#ifdef LIVE
#ifdef TRACE
  :: d_step { QUIET && !TERMINATED -> printf("LEN %d\n", steps); assert(false) }
#else
  :: d_step { QUIET && !TERMINATED -> assert(false) }
#endif
#endif
#ifdef TRACE
  :: d_step { !CONSISTENT -> printf("LEN %d\n", steps); assert(false) }
#else
  :: d_step { !CONSISTENT -> assert(false) }
#endif
  od
}
