/* Twin of models/defi/english_auction.keel, for SPIN 6.5.2, one SPIN state
   per Keel state (conventions in README.md). bidder: 0 nobody, 1 the lone
   bidder, 2 the keepers.
   Parameters (-D): VALUE, TAB, BEG, TTL, TAU, CONG, MINREC; -DTRACE for
   spin_trace.sh. */
/* Expands M(k) for k = b .. b + 63 (R64) or b .. b + 255 (R256). */
#define R4(M, b) M((b)) M((b) + 1) M((b) + 2) M((b) + 3)
#define R16(M, b) R4(M, b) R4(M, (b) + 4) R4(M, (b) + 8) R4(M, (b) + 12)
#define R64(M, b) R16(M, b) R16(M, (b) + 16) R16(M, (b) + 32) R16(M, (b) + 48)
#define R256(M, b) R64(M, b) R64(M, (b) + 64) R64(M, (b) + 128) R64(M, (b) + 192)

#ifndef VALUE
#define VALUE 100
#endif
#ifndef TAB
#define TAB 80
#endif
#ifndef BEG
#define BEG 3
#endif
#ifndef TTL
#define TTL 1
#endif
#ifndef TAU
#define TAU 4
#endif
#ifndef CONG
#define CONG 3
#endif
#ifndef MINREC
#define MINREC 50
#endif
#define MIN(a, b) ((a) < (b) -> (a) : (b))
#define HONEST_BID MIN(TAB, VALUE)

short bid = 0;
byte bidder = 0;
byte bid_age = 0;
byte age = 0;
byte waited = 0;
bit keepers_in = 0;
bit settled = 0;
short raised = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define OPEN (!settled && age < TAU && (bidder == 0 || bid_age < TTL))
#define ACCEPTABLE(b) ((b) > bid && (b) <= TAB && ((b) * 100 >= bid * (100 + BEG) || (b) == TAB))
#define KEEPERS_MUST_BID (keepers_in && OPEN && bid < HONEST_BID && ACCEPTABLE(HONEST_BID))
#define BAD (settled && raised * 100 < MINREC * MIN(TAB, VALUE))
#define LONE_BID(b) :: d_step { OPEN && ACCEPTABLE(b) -> STEP bid = (b); bidder = 1; bid_age = 0 }

active proctype EnglishAuction() {
  do
  R256(LONE_BID, 1)
  :: d_step { !keepers_in && !settled -> STEP keepers_in = 1 }
  :: d_step { keepers_in && OPEN && bid < HONEST_BID && ACCEPTABLE(HONEST_BID) -> STEP
       bid = HONEST_BID; bidder = 2; bid_age = 0 }
  :: d_step { !settled && bidder != 0 && (bid_age >= TTL || age >= TAU) -> STEP settled = 1; raised = bid }
  :: d_step { !settled && bidder == 0 && age >= TAU -> STEP age = 0 }
  :: d_step { !settled && !KEEPERS_MUST_BID && (keepers_in || waited < CONG) -> STEP
       waited = MIN(waited + 1, CONG); age = MIN(age + 1, TAU);
       bid_age = (bidder == 0 -> 0 : MIN(bid_age + 1, TTL)) }
#ifdef TRACE
  :: d_step { BAD -> printf("LEN %d NoFireSale\n", steps); assert(false) }
#else
  :: d_step { BAD -> assert(false) }
#endif
  od
}
