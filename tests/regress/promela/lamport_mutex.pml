/* Lamport's distributed mutual exclusion, 2 processes (lamport_mutex.keel).
   net[p]: the FIFO channel into process p, capacity CAP, messages
   (tag, ts, src) with tag 1 Request, 2 Ack, 3 Release.
   pc: 0 idle, 1 waiting, 2 inCs. reqA/reqT[p*2+q]: p's copy of q's request
   (active, timestamp). acked[p]: p got the other's Ack since its request.
   CONSTRAINT is Keel's `constraint ClockBound`: an action runs only in a
   state that satisfies it, so violating states are stored but not
   expanded, exactly as Keel counts them. Sends assert the channel is not
   full (a Keel capacity violation); the last option asserts mutual
   exclusion. -DSELFLOOP gives constraint-violating states a self-loop so
   that a run without -E reports only genuine deadlocks. */
#ifndef MAXC
#define MAXC 4
#endif
#define CAP 3
chan net[2] = [CAP] of { byte, byte, byte };
byte clock[2];
byte pc[2];
bit reqA[4];
byte reqT[4];
bit acked[2];
#define CONSTRAINT (clock[0] < MAXC && clock[1] < MAXC)
#define SEND(k, t, v, s) assert(len(net[k]) < CAP); net[k]!t,v,s
#define MAX(a, b) ((a) > (b) -> (a) : (b))
/* (ts, id) order: p's request precedes q's */
#define FIRST(p) (!reqA[(p)*2+1-(p)] || reqT[(p)*2+(p)] < reqT[(p)*2+1-(p)] \
   || (reqT[(p)*2+(p)] == reqT[(p)*2+1-(p)] && (p) < 1-(p)))
#define PROC(p) \
  :: d_step { CONSTRAINT && pc[p] == 0 -> clock[p] = clock[p] + 1; \
       reqA[(p)*2+(p)] = 1; reqT[(p)*2+(p)] = clock[p]; acked[p] = 0; \
       SEND(1-(p), 1, clock[p], p); pc[p] = 1 } \
  :: d_step { CONSTRAINT && nempty(net[p]) -> net[p]?tg,ts,sr; \
       clock[p] = MAX(clock[p], ts) + 1; \
       if \
       :: tg == 1 -> reqA[(p)*2+sr] = 1; reqT[(p)*2+sr] = ts; SEND(sr, 2, clock[p], p) \
       :: tg == 2 -> acked[p] = 1 \
       :: tg == 3 -> reqA[(p)*2+sr] = 0 \
       fi; tg = 0; ts = 0; sr = 0 } \
  :: d_step { CONSTRAINT && pc[p] == 1 && acked[p] && FIRST(p) -> pc[p] = 2 } \
  :: d_step { CONSTRAINT && pc[p] == 2 -> clock[p] = clock[p] + 1; reqA[(p)*2+(p)] = 0; \
       SEND(1-(p), 3, clock[p], p); pc[p] = 0 }
active proctype Lamport() {
  byte tg = 0, ts = 0, sr = 0;
  do
  PROC(0)
  PROC(1)
  :: d_step { pc[0] == 2 && pc[1] == 2 -> assert(false) }
#ifdef SELFLOOP
  :: d_step { !CONSTRAINT -> skip }
#endif
  od
}
