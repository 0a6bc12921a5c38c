/* Raft's core (models/consensus/raft.keel): 3 servers, one d_step per Keel
   action binding, the restart fault and the lost replies written by hand as
   in docs/faults.md and the model (the budget counters rused and lost are
   state; restart(s) resets s's volatile variables to their initial values).
   State, one to one with Keel's (lengths ML <= 2; with ML = 1 the second
   slots stay 0):
     term[s] 0..MT   voted[s], vmem[s]: votedFor, votedForMem + 1 (0 = none)
     role[s] 0 follower, 1 candidate, 2 leader
     lg[2*s + i - 1]  log[i]           vg[s]  votesGranted as a bit mask
     mi[3*l + f]      matchIndex[f] of l
     com[i - 1], cin[i - 1]  the ghosts committed, committedIn
   -DMT -DML (3, 2) MaxTerm, MaxLog; -DLOST (1) LostReplies; -DR (1) the
   restart budget; -DVOLATILE, -DNOLOG, -DOLD the mutants VolatileVote,
   NoLogCheck, CountOldEntries; -DTRACE for spin_trace.sh.
   The progress version of the model: -DG (1) the gst(net) budget (the
   bit gst is gst(net).used; drop(net) at most 0 and the network, always
   empty, add no state), -DRES (2) Reserve, -DCR (0) Crashes (the bits
   down[s]), -DUNLUCKY for -D Lucky=false. After gst no reply is lost and
   Timeout takes the timing guard: term < MT + RES, no live leader and no
   live candidate that can win (PROGRESSING), and (unless UNLUCKY) a log at
   least as up to date as a majority of the live servers (LUCKY); before
   it, term < MT. A down server takes no step and no request from or to it
   is handled. With -DG=0 the model is the one before the progress
   properties. */
#ifndef MT
#define MT 3
#endif
#ifndef ML
#define ML 2
#endif
#ifndef LOST
#define LOST 1
#endif
#ifndef R
#define R 1
#endif
#ifndef G
#define G 1
#endif
#ifndef RES
#define RES 2
#endif
#ifndef CR
#define CR 0
#endif
byte term[3];
byte voted[3];
byte vmem[3];
byte role[3];
byte lg[6];
byte vg[3];
byte mi[9];
byte com[2];
byte cin[2];
byte lost = 0;
byte rused = 0;
bit gst = 0;
bit down[3];
bit grant = 0;   /* scratch, reset at the end of each d_step */
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#ifdef VOLATILE
#define VOTE(s) vmem[s]
#else
#define VOTE(s) voted[s]
#endif
#ifdef NOLOG
#define LOGOK(c, v) (1)
#else
#define LOGOK(c, v) (LASTTERM(c) > LASTTERM(v) || (LASTTERM(c) == LASTTERM(v) && LEN(c) >= LEN(v)))
#endif
#ifdef OLD
#define OWNTERM(s, k) (1)
#else
#define OWNTERM(s, k) (lg[2*(s) + (k) - 1] == term[s])
#endif

#define LEN(s) ((lg[2*(s)] != 0) + (lg[2*(s) + 1] != 0))
#define LASTTERM(s) (LEN(s) == 0 -> 0 : lg[2*(s) + LEN(s) - 1])
#define BIT(s) (1 << (s))
#define SIZE(m) ((((m) >> 0) & 1) + (((m) >> 1) & 1) + (((m) >> 2) & 1))
#define MAYLOSE(d) ((d) || (lost < LOST && !gst))
#define LIVE(s) (!down[s])
#define UPTODATE(c, v) (LASTTERM(c) > LASTTERM(v) || (LASTTERM(c) == LASTTERM(v) && LEN(c) >= LEN(v)))
/* v would grant candidate c its vote */
#define COULDGRANT(v, c) (LIVE(v) && term[v] <= term[c] && \
    (term[v] < term[c] || VOTE(v) == 0 || VOTE(v) == (c) + 1) && LOGOK(c, v))
#define OTHER(c, v) ((c) != (v) && !(vg[c] & BIT(v)) && COULDGRANT(v, c))
#define CANWIN(c) (LIVE(c) && role[c] == 1 && SIZE(vg[c]) + OTHER(c, 0) + OTHER(c, 1) + OTHER(c, 2) >= 2)
#define PROG(s) (LIVE(s) && (role[s] == 2 || CANWIN(s)))
#define PROGRESSING (PROG(0) || PROG(1) || PROG(2))
#ifdef UNLUCKY
#define LUCKY(s) (1)
#else
#define LUCKY(s) ((LIVE(0) && UPTODATE(s, 0)) + (LIVE(1) && UPTODATE(s, 1)) + (LIVE(2) && UPTODATE(s, 2)) >= 2)
#endif

#define TIMEOUT(s) :: d_step { LIVE(s) && role[s] != 2 && \
    (gst -> (term[s] < MT + RES && !PROGRESSING && LUCKY(s)) : term[s] < MT) -> \
    term[s]++; role[s] = 1; VOTE(s) = (s) + 1; vg[s] = BIT(s); STEP }

/* voter v, candidate c, delivered d */
#define HRV(v, c, d) :: d_step { LIVE(v) && LIVE(c) && role[c] == 1 && MAYLOSE(d) && \
    (term[c] < term[v] -> (d) : \
      ((term[c] > term[v] || VOTE(v) == 0 || VOTE(v) == (c) + 1) && LOGOK(c, v)) \
      || ((d) && term[c] > term[v])) -> \
    if \
    :: term[c] < term[v] -> term[c] = term[v]; role[c] = 0; vg[c] = 0; VOTE(c) = 0 \
    :: else -> \
       grant = (term[c] > term[v] || VOTE(v) == 0 || VOTE(v) == (c) + 1) && LOGOK(c, v); \
       if :: !(d) -> lost++ :: else -> skip fi; \
       if \
       :: term[c] > term[v] -> term[v] = term[c]; role[v] = 0; vg[v] = 0; \
          mi[3*(v)] = 0; mi[3*(v)+1] = 0; mi[3*(v)+2] = 0; VOTE(v) = 0 \
       :: else -> skip \
       fi; \
       if \
       :: grant -> VOTE(v) = (c) + 1; if :: (d) -> vg[c] = vg[c] | BIT(v) :: else -> skip fi \
       :: else -> skip \
       fi \
    fi; grant = 0; STEP }

#define BECOME(s) :: d_step { LIVE(s) && role[s] == 1 && SIZE(vg[s]) >= 2 -> \
    role[s] = 2; vg[s] = 0; mi[3*(s)] = 0; mi[3*(s)+1] = 0; mi[3*(s)+2] = 0; STEP }

#define CLIENT(s) :: d_step { LIVE(s) && role[s] == 2 && LEN(s) < ML && lg[2*(s)] != term[s] && lg[2*(s)+1] != term[s] -> \
    lg[2*(s) + LEN(s)] = term[s]; STEP }

#define CONFLICT(f, l) ((lg[2*(l)] != 0 && lg[2*(f)] != lg[2*(l)]) || (lg[2*(l)+1] != 0 && lg[2*(f)+1] != lg[2*(l)+1]))
/* follower f, leader l, delivered d */
#define HAPP(f, l, d) :: d_step { LIVE(f) && LIVE(l) && role[l] == 2 && MAYLOSE(d) && \
    (term[l] < term[f] -> (d) : ((d) || LEN(l) > 0)) -> \
    if \
    :: term[l] < term[f] -> term[l] = term[f]; role[l] = 0; \
       mi[3*(l)] = 0; mi[3*(l)+1] = 0; mi[3*(l)+2] = 0; VOTE(l) = 0 \
    :: else -> \
       if :: !(d) -> lost++ :: else -> skip fi; \
       if :: term[l] > term[f] -> term[f] = term[l]; VOTE(f) = 0 :: else -> skip fi; \
       role[f] = 0; vg[f] = 0; mi[3*(f)] = 0; mi[3*(f)+1] = 0; mi[3*(f)+2] = 0; \
       if :: CONFLICT(f, l) -> lg[2*(f)] = lg[2*(l)]; lg[2*(f)+1] = lg[2*(l)+1] :: else -> skip fi; \
       if :: (d) && mi[3*(l) + (f)] < LEN(l) -> mi[3*(l) + (f)] = LEN(l) :: else -> skip fi \
    fi; STEP }

#define ACKED(l, k) (1 + (l != 0 && mi[3*(l)] >= k) + (l != 1 && mi[3*(l)+1] >= k) + (l != 2 && mi[3*(l)+2] >= k))
#define CHANGES(s, k) (com[0] != lg[2*(s)] || (k == 2 && com[1] != lg[2*(s)+1]))
#define COMMIT(s, k) :: d_step { LIVE(s) && role[s] == 2 && lg[2*(s) + k - 1] != 0 && OWNTERM(s, k) && \
    ACKED(s, k) >= 2 && CHANGES(s, k) -> \
    if :: com[0] != lg[2*(s)] -> cin[0] = term[s] :: else -> skip fi; \
    if :: k == 2 && com[1] != lg[2*(s)+1] -> cin[1] = term[s] :: else -> skip fi; \
    com[0] = lg[2*(s)]; if :: k == 2 -> com[1] = lg[2*(s)+1] :: else -> skip fi; STEP }

#define RESTART(s) :: d_step { rused < R -> vmem[s] = 0; role[s] = 0; vg[s] = 0; \
    mi[3*(s)] = 0; mi[3*(s)+1] = 0; mi[3*(s)+2] = 0; rused++; STEP }

#define CRASH(s) :: d_step { LIVE(s) && down[0] + down[1] + down[2] < CR -> down[s] = 1; STEP }

#define SERVER(s, o1, o2) TIMEOUT(s) BECOME(s) CLIENT(s) RESTART(s) CRASH(s) \
  HRV(s, o1, 1) HRV(s, o1, 0) HRV(s, o2, 1) HRV(s, o2, 0) \
  HAPP(s, o1, 1) HAPP(s, o1, 0) HAPP(s, o2, 1) HAPP(s, o2, 0) \
  COMMIT(s, 1) COMMIT2(s)
#if ML >= 2
#define COMMIT2(s) COMMIT(s, 2)
#else
#define COMMIT2(s)
#endif

#define TWO_LEADERS(a, b) (role[a] == 2 && role[b] == 2 && term[a] == term[b])
#define ELECTION (!TWO_LEADERS(0,1) && !TWO_LEADERS(0,2) && !TWO_LEADERS(1,2))
#define MATCH(a, b) (!(lg[2*(a)+1] != 0 && lg[2*(a)+1] == lg[2*(b)+1]) || lg[2*(a)] == lg[2*(b)])
#define LOGMATCH (MATCH(0,1) && MATCH(1,0) && MATCH(0,2) && MATCH(2,0) && MATCH(1,2) && MATCH(2,1))
#define HOLDERS(i) ((lg[i-1] == com[i-1]) + (lg[2+i-1] == com[i-1]) + (lg[4+i-1] == com[i-1]))
#define DURABLE (((com[0] == 0) || HOLDERS(1) >= 2) && ((com[1] == 0) || HOLDERS(2) >= 2))
#define HAS(s, i) (!(role[s] == 2 && com[i-1] != 0 && term[s] > cin[i-1]) || lg[2*(s) + i - 1] == com[i-1])
#define COMPLETE (HAS(0,1) && HAS(1,1) && HAS(2,1) && HAS(0,2) && HAS(1,2) && HAS(2,2))
#define GOOD (ELECTION && LOGMATCH && DURABLE && COMPLETE)

active proctype Raft() {
  do
  :: d_step { !gst && G > 0 -> gst = 1; STEP }
  SERVER(0, 1, 2)
  SERVER(1, 0, 2)
  SERVER(2, 0, 1)
#ifdef TRACE
  :: d_step { !(GOOD) -> printf("LEN %d\n", steps); assert(false) }
#else
  :: d_step { !(GOOD) -> assert(false) }
#endif
  od
}
