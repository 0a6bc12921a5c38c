/* Single-decree Paxos (faults/paxos*.keel): 3 acceptors, 2 proposers owning
   ballots 1 and 2, values 0..1, messages in a set-like network (capacity 1
   per distinct message, never consumed), with the faults written by hand,
   following docs/faults.md:
     crash(Acceptor) at most C: crashed[a] flags and the counter cused are
       state; crash(a) needs !crashed[a] and cused < C; a crashed acceptor's
       actions are disabled;
     drop(net) at most D: the counter dused is state; drop(m) needs m present
       and dused < D, removes it.
   Message encoding (all canonical, 0 = absent):
     p1a[b]        P1a(b)
     p1b[a][b]     P1b(a, b, mbal, mval) as 1 + 2*mbal + mval (at most one
                   1b per acceptor and ballot is ever sent: maxBal grows)
     p2a[b][v]     P2a(b, v)
     p2b[a][b][v]  P2b(a, b, v)
   (ballot b is stored at index b - 1.) Acceptor state: maxBal, maxVBal in
   0..2 (0 = none), maxVal in 0..1. Proposer state: sent2a[b].
   -DIGNORE: proposers ignore reported votes (any value). -DSTATELESS: no
   sent2a; a proposer may send a 2a for its ballot whenever none is in the
   network (TLA+ Paxos style), which is only safe if messages are never
   lost. -DC -DD budgets; -DTRACE for spin_trace.sh. */
#ifndef C
#define C 1
#endif
#ifndef D
#define D 2
#endif
byte maxBal[3];
byte maxVBal[3];
bit maxVal[3];
bit crashed[3];
byte cused = 0;
byte dused = 0;
bit sent2a[2];
bit p1a[2];
byte p1b[6];          /* [a*2 + (b-1)] */
bit p2a[4];           /* [(b-1)*2 + v] */
bit p2b[12];          /* [a*4 + (b-1)*2 + v] */
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define P1B(a, b) p1b[(a)*2 + (b) - 1]
#define P2A(b, v) p2a[((b) - 1)*2 + (v)]
#define P2B(a, b, v) p2b[(a)*4 + ((b) - 1)*2 + (v)]

#define CHOSEN_AT(b, v) (P2B(0,b,v) + P2B(1,b,v) + P2B(2,b,v) >= 2)
#define CHOSEN(v) (CHOSEN_AT(1, v) || CHOSEN_AT(2, v))
#define AGREE (!(CHOSEN(0) && CHOSEN(1)))

#define PHASE1A(b) :: d_step { !p1a[(b)-1] -> p1a[(b)-1] = 1; STEP }

#define PHASE1B(a, b) :: d_step { !crashed[a] && p1a[(b)-1] && (b) > maxBal[a] -> \
    maxBal[a] = b; assert(P1B(a, b) == 0); P1B(a, b) = 1 + 2*maxVBal[a] + maxVal[a]; STEP }

#ifdef STATELESS
#define NOT_SENT(b) (!P2A(b, 0) && !P2A(b, 1))
#define MARK(b)
#else
#define NOT_SENT(b) (!sent2a[(b)-1])
#define MARK(b) sent2a[(b)-1] = 1;
#endif
/* Phase2a with the quorum {a1, a2}: read the two 1b messages for ballot b. */
/* The value rule on the two reports (mbal, mval) = ((x-1)/2, (x-1)%2):
   free if neither acceptor voted, else the value of the higher-ballot
   report (either one on a tie). */
#define MB(a, b) ((P1B(a, b) - 1) / 2)
#define MV(a, b) ((P1B(a, b) - 1) % 2)
#ifdef IGNORE
#define VALUE_OK(b, v, a1, a2) (1)
#else
#define VALUE_OK(b, v, a1, a2) ((MB(a1,b) == 0 && MB(a2,b) == 0) || \
    (MB(a1,b) >= MB(a2,b) && MB(a1,b) > 0 && (v) == MV(a1,b)) || \
    (MB(a2,b) >= MB(a1,b) && MB(a2,b) > 0 && (v) == MV(a2,b)))
#endif
/* Phase2a with the quorum {a1, a2}: the two 1b messages for ballot b. */
#define PHASE2A(b, v, a1, a2) :: d_step { NOT_SENT(b) && P1B(a1, b) != 0 && P1B(a2, b) != 0 && \
    VALUE_OK(b, v, a1, a2) -> MARK(b) assert(!P2A(b, v)); P2A(b, v) = 1; STEP }

#define PHASE2B(a, b, v) :: d_step { !crashed[a] && P2A(b, v) && (b) >= maxBal[a] && !P2B(a, b, v) -> \
    maxBal[a] = b; maxVBal[a] = b; maxVal[a] = v; P2B(a, b, v) = 1; STEP }

#define CRASH(a) :: d_step { !crashed[a] && cused < C -> crashed[a] = 1; cused++; STEP }

#define DROPBIT(x) :: d_step { x && dused < D -> x = 0; dused++; STEP }
#define DROPBYTE(x) :: d_step { x != 0 && dused < D -> x = 0; dused++; STEP }

#define BALLOT(b) PHASE1A(b) \
  PHASE2A(b, 0, 0, 1) PHASE2A(b, 1, 0, 1) PHASE2A(b, 0, 0, 2) PHASE2A(b, 1, 0, 2) \
  PHASE2A(b, 0, 1, 2) PHASE2A(b, 1, 1, 2)
#define ACCEPTOR(a) PHASE1B(a, 1) PHASE1B(a, 2) \
  PHASE2B(a, 1, 0) PHASE2B(a, 1, 1) PHASE2B(a, 2, 0) PHASE2B(a, 2, 1) CRASH(a)

active proctype Paxos() {
  do
  BALLOT(1)
  BALLOT(2)
  ACCEPTOR(0)
  ACCEPTOR(1)
  ACCEPTOR(2)
  DROPBIT(p1a[0]) DROPBIT(p1a[1])
  DROPBYTE(p1b[0]) DROPBYTE(p1b[1]) DROPBYTE(p1b[2]) DROPBYTE(p1b[3]) DROPBYTE(p1b[4]) DROPBYTE(p1b[5])
  DROPBIT(p2a[0]) DROPBIT(p2a[1]) DROPBIT(p2a[2]) DROPBIT(p2a[3])
  DROPBIT(p2b[0]) DROPBIT(p2b[1]) DROPBIT(p2b[2]) DROPBIT(p2b[3]) DROPBIT(p2b[4]) DROPBIT(p2b[5])
  DROPBIT(p2b[6]) DROPBIT(p2b[7]) DROPBIT(p2b[8]) DROPBIT(p2b[9]) DROPBIT(p2b[10]) DROPBIT(p2b[11])
#ifdef TRACE
  :: d_step { !AGREE -> printf("LEN %d\n", steps); assert(false) }
#else
  :: d_step { !AGREE -> assert(false) }
#endif
  od
}
