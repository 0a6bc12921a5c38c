/* Single-decree Paxos with a stabilisation point (models/consensus/paxos.keel):
   3 acceptors, quorums of 2 written as pairs (the same states as "at least 2
   of 3": a proposer that may use all three promises can use the pair
   holding the highest report), proposers owning ballots 1..AB (before gst)
   and AB + 1 .. AB + R (the distinguished proposer's, after gst), values
   0..1, messages in a set-like network (never consumed). The faults by hand,
   as docs/faults.md defines them:
     crash(Acceptor) at most C: crashed[a], cused;
     drop(net) at most D: dused; only before gst;
     gst(net) at most G: gused (no partition here, so the step only sets it).
   Encoding (0 = absent): p1a[b-1]; p1b[a*MB + b-1] = 1 + 2*mbal + mval;
   p2a[(b-1)*2 + v]; p2b[a*2*MB + (b-1)*2 + v]. Acceptors: maxBal, maxVBal
   (0 = none), maxVal. Proposers: sent2a[b-1].
   The timing guard of Phase1a: a ballot up to AB only before gst; a later
   one only after gst and when no ballot can still choose (CAN_CHOOSE).
   -DAB (2), -DR (1), -DC (1), -DD (1), -DG (1), -DIGNORE (proposers ignore
   the reported votes), -DTRACE for spin_trace.sh. */
#ifndef AB
#define AB 2
#endif
#ifndef R
#define R 1
#endif
#define MB (AB + R)
#ifndef C
#define C 1
#endif
#ifndef D
#define D 1
#endif
#ifndef G
#define G 1
#endif
byte maxBal[3];
byte maxVBal[3];
bit maxVal[3];
bit crashed[3];
byte cused = 0;
byte dused = 0;
byte gused = 0;
bit sent2a[MB];
bit p1a[MB];
byte p1b[3 * MB];
bit p2a[2 * MB];
bit p2b[6 * MB];
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define P1B(a, b) p1b[(a)*MB + (b) - 1]
#define P2A(b, v) p2a[((b) - 1)*2 + (v)]
#define P2B(a, b, v) p2b[(a)*2*MB + ((b) - 1)*2 + (v)]

#define CHOSEN_AT(b, v) (P2B(0,b,v) + P2B(1,b,v) + P2B(2,b,v) >= 2)
#if MB >= 3
#define CHOSEN(v) (CHOSEN_AT(1, v) || CHOSEN_AT(2, v) || CHOSEN_AT(3, v))
#else
#define CHOSEN(v) (CHOSEN_AT(1, v) || CHOSEN_AT(2, v))
#endif
#define AGREE (!(CHOSEN(0) && CHOSEN(1)))

/* canChoose(b) of the Keel model, for Q = 2 */
#define CAN_PROMISE(a, b) (P1B(a, b) != 0 || (!crashed[a] && p1a[(b)-1] && maxBal[a] < (b)))
#define CAN_VOTE(a, b) (!crashed[a] && maxBal[a] <= (b))
#define VOTE_OR_CAN(a, b, v) (P2B(a, b, v) || CAN_VOTE(a, b))
#define CAN_CHOOSE(b) ((!sent2a[(b)-1] && \
    CAN_PROMISE(0, b) + CAN_PROMISE(1, b) + CAN_PROMISE(2, b) >= 2 && \
    CAN_VOTE(0, b) + CAN_VOTE(1, b) + CAN_VOTE(2, b) >= 2) || \
  (P2A(b, 0) && VOTE_OR_CAN(0, b, 0) + VOTE_OR_CAN(1, b, 0) + VOTE_OR_CAN(2, b, 0) >= 2) || \
  (P2A(b, 1) && VOTE_OR_CAN(0, b, 1) + VOTE_OR_CAN(1, b, 1) + VOTE_OR_CAN(2, b, 1) >= 2))
#if MB >= 3
#define ANY_CAN_CHOOSE (CAN_CHOOSE(1) || CAN_CHOOSE(2) || CAN_CHOOSE(3))
#else
#define ANY_CAN_CHOOSE (CAN_CHOOSE(1) || CAN_CHOOSE(2))
#endif
#define MAY_START(b) (((b) <= AB && gused == 0) || ((b) > AB && gused == 1 && !ANY_CAN_CHOOSE))

#define PHASE1A(b) :: d_step { !p1a[(b)-1] && MAY_START(b) -> p1a[(b)-1] = 1; STEP }

#define PHASE1B(a, b) :: d_step { !crashed[a] && p1a[(b)-1] && (b) > maxBal[a] -> \
    maxBal[a] = b; assert(P1B(a, b) == 0); P1B(a, b) = 1 + 2*maxVBal[a] + maxVal[a]; STEP }

#define MBAL(a, b) ((P1B(a, b) - 1) / 2)
#define MVAL(a, b) ((P1B(a, b) - 1) % 2)
#ifdef IGNORE
#define VALUE_OK(b, v, a1, a2) (1)
#else
#define VALUE_OK(b, v, a1, a2) ((MBAL(a1,b) == 0 && MBAL(a2,b) == 0) || \
    (MBAL(a1,b) >= MBAL(a2,b) && MBAL(a1,b) > 0 && (v) == MVAL(a1,b)) || \
    (MBAL(a2,b) >= MBAL(a1,b) && MBAL(a2,b) > 0 && (v) == MVAL(a2,b)))
#endif
#define PHASE2A(b, v, a1, a2) :: d_step { !sent2a[(b)-1] && P1B(a1, b) != 0 && P1B(a2, b) != 0 && \
    VALUE_OK(b, v, a1, a2) -> sent2a[(b)-1] = 1; assert(!P2A(b, v)); P2A(b, v) = 1; STEP }

#define PHASE2B(a, b, v) :: d_step { !crashed[a] && P2A(b, v) && (b) >= maxBal[a] && !P2B(a, b, v) -> \
    maxBal[a] = b; maxVBal[a] = b; maxVal[a] = v; P2B(a, b, v) = 1; STEP }

#define CRASH(a) :: d_step { !crashed[a] && cused < C -> crashed[a] = 1; cused++; STEP }
#define DROPBIT(x) :: d_step { x && dused < D && gused == 0 -> x = 0; dused++; STEP }
#define DROPBYTE(x) :: d_step { x != 0 && dused < D && gused == 0 -> x = 0; dused++; STEP }

#define BALLOT(b) PHASE1A(b) \
  PHASE2A(b, 0, 0, 1) PHASE2A(b, 1, 0, 1) PHASE2A(b, 0, 0, 2) PHASE2A(b, 1, 0, 2) \
  PHASE2A(b, 0, 1, 2) PHASE2A(b, 1, 1, 2) \
  PHASE1B(0, b) PHASE1B(1, b) PHASE1B(2, b) \
  PHASE2B(0, b, 0) PHASE2B(0, b, 1) PHASE2B(1, b, 0) PHASE2B(1, b, 1) PHASE2B(2, b, 0) PHASE2B(2, b, 1) \
  DROPBIT(p1a[(b)-1]) DROPBYTE(P1B(0, b)) DROPBYTE(P1B(1, b)) DROPBYTE(P1B(2, b)) \
  DROPBIT(P2A(b, 0)) DROPBIT(P2A(b, 1)) \
  DROPBIT(P2B(0, b, 0)) DROPBIT(P2B(0, b, 1)) DROPBIT(P2B(1, b, 0)) DROPBIT(P2B(1, b, 1)) \
  DROPBIT(P2B(2, b, 0)) DROPBIT(P2B(2, b, 1))

active proctype Paxos() {
  do
  BALLOT(1)
  BALLOT(2)
#if MB >= 3
  BALLOT(3)
#endif
  CRASH(0) CRASH(1) CRASH(2)
  :: d_step { gused < G -> gused = 1; STEP }
#ifdef TRACE
  :: d_step { !AGREE -> printf("LEN %d\n", steps); assert(false) }
#else
  :: d_step { !AGREE -> assert(false) }
#endif
  od
}
