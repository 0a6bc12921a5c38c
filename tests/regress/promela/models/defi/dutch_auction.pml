/* Twin of models/defi/dutch_auction.keel, for SPIN 6.5.2, one SPIN state
   per Keel state (conventions in README.md).
   Parameters (-D): VALUE, TAB, MINREC, CONG, BUF, CUT, CUSP, TAIL; -DTRACE
   for spin_trace.sh. */
#ifndef VALUE
#define VALUE 100
#endif
#ifndef TAB
#define TAB 80
#endif
#ifndef MINREC
#define MINREC 50
#endif
#ifndef CONG
#define CONG 3
#endif
#ifndef BUF
#define BUF 120
#endif
#ifndef CUT
#define CUT 90
#endif
#ifndef CUSP
#define CUSP 50
#endif
#ifndef TAIL
#define TAIL 10
#endif
#define TOP (VALUE * BUF / 100)
#define MIN(a, b) ((a) < (b) -> (a) : (b))

short price = TOP;
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

#define NEEDS_REDO (price * 100 < TOP * CUSP || age >= TAIL)
#define KEEPERS_MUST_ACT (keepers_in && !settled && (NEEDS_REDO || price <= VALUE))
#define BAD (settled && raised * 100 < MINREC * MIN(TAB, VALUE))

active proctype DutchAuction() {
  do
  :: d_step { !settled && !NEEDS_REDO -> STEP settled = 1; raised = MIN(price, TAB) }
  :: d_step { !settled && NEEDS_REDO -> STEP price = TOP; age = 0 }
  :: d_step { !keepers_in && !settled -> STEP keepers_in = 1 }
  :: d_step { !settled && !KEEPERS_MUST_ACT && (keepers_in || waited < CONG) -> STEP
       price = price * CUT / 100; age = MIN(age + 1, TAIL); waited = MIN(waited + 1, CONG) }
#ifdef TRACE
  :: d_step { BAD -> printf("LEN %d NoFireSale\n", steps); assert(false) }
#else
  :: d_step { BAD -> assert(false) }
#endif
  od
}
