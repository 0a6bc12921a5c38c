/* Twin of models/defi/lending_pool.keel, for SPIN 6.5.2, written so that
   one SPIN state is one Keel state (conventions of ../../README.md: one
   active proctype, one d_step per action binding, all state global,
   scratch variables reset at the end of each d_step). The faults are
   written out as in ../../../faults/promela/README.md: budget counters are
   state; NextBlock gets a deviate variant (oracle := q + d, d in -2..2,
   d != 0, kept only inside the price range) and a stale variant (the
   oracle keeps its value), each spending one unit.
   Parameters (-D): COLL, P0, PMIN, PMAX, SHOCK, DELAY, DEV (deviate
   budget), STALE (stale budget); -DTRACE for spin_trace.sh. */
/* Expands M(k) for k = b .. b + 63 (R64) or b .. b + 255 (R256): one
   Promela option per binding of a Keel action parameter. Each option guards
   its own k against the parameter's range, so a twin covers every default
   and -D override without regenerating the file. */
#define R4(M, b) M((b)) M((b) + 1) M((b) + 2) M((b) + 3)
#define R16(M, b) R4(M, b) R4(M, (b) + 4) R4(M, (b) + 8) R4(M, (b) + 12)
#define R64(M, b) R16(M, b) R16(M, (b) + 16) R16(M, (b) + 32) R16(M, (b) + 48)
#define R256(M, b) R64(M, b) R64(M, (b) + 64) R64(M, (b) + 128) R64(M, (b) + 192)
#ifndef COLL
#define COLL 10
#endif
#ifndef P0
#define P0 20
#endif
#ifndef PMIN
#define PMIN 10
#endif
#ifndef PMAX
#define PMAX 24
#endif
#ifndef SHOCK
#define SHOCK 10
#endif
#ifndef DELAY
#define DELAY 0
#endif
#ifndef DEV
#define DEV 0
#endif
#ifndef STALE
#define STALE 0
#endif
#define LTV 7500
#define LT 8000
#define LB 10500
#define CF 5000
#define FULLHF 9500
#define DEVBY 2
#define MAXDEBT (COLL * PMAX * LTV / 10000)

byte price = P0;
byte oracle = P0;
byte coll = COLL;
short debt = 0;
short deficit = 0;
byte late = 0;
bit healthy_liquidated = 0;
byte dev_used = 0;
byte stale_used = 0;
int wanted = 0;
int seize = 0;
int repay = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define LIQUIDATABLE (debt > 0 && coll * oracle * LT < debt * 10000)
#define HEALTHY_TRUE (coll * price * LT >= debt * 10000)
#define HALF (debt * CF / 10000)
#define CLOSE_CAP (coll * oracle * LT > debt * FULLHF -> (HALF > 1 -> HALF : 1) : debt)
#define BAD (!(healthy_liquidated == 0 && deficit == 0 && coll * price >= debt))
#define MOVE_OK(q) ((q) >= PMIN && (q) <= PMAX && (price - (q)) * 100 <= price * SHOCK && ((q) - price) * 100 <= price * SHOCK)
#define BLOCK_OK (!(LIQUIDATABLE && late == DELAY))
#define LATE_NEXT late = (LIQUIDATABLE -> late + 1 : 0)

#define BORROW(a) :: d_step { (a) <= MAXDEBT && (debt + (a)) * 10000 <= coll * oracle * LTV -> STEP debt = debt + (a) }
#define NEXT(q) \
  :: d_step { BLOCK_OK && MOVE_OK(q) -> STEP LATE_NEXT; price = (q); oracle = (q) } \
  :: d_step { BLOCK_OK && MOVE_OK(q) && stale_used < STALE -> STEP LATE_NEXT; price = (q); stale_used++ } \
  DEVIATE(q, -2) DEVIATE(q, -1) DEVIATE(q, 1) DEVIATE(q, 2)
#define DEVIATE(q, d) \
  :: d_step { BLOCK_OK && MOVE_OK(q) && dev_used < DEV && (q) + (d) >= PMIN && (q) + (d) <= PMAX && (d) * (d) <= DEVBY * DEVBY -> \
       STEP LATE_NEXT; price = (q); oracle = (q) + (d); dev_used++ }
#define LIQ(r) \
  :: d_step { (r) <= MAXDEBT && LIQUIDATABLE && (r) <= CLOSE_CAP -> STEP \
       if :: HEALTHY_TRUE -> healthy_liquidated = 1 :: else -> skip fi; \
       wanted = (r) * LB / (oracle * 10000); \
       seize = (wanted < coll -> wanted : coll); \
       repay = (wanted > coll -> (coll * oracle * 10000 + LB - 1) / LB : (r)); \
       coll = coll - seize; debt = debt - repay; \
       if :: coll == 0 && debt > 0 -> deficit = deficit + debt; debt = 0 :: else -> skip fi; \
       wanted = 0; seize = 0; repay = 0 }

active proctype LendingPool() {
  do
  R256(BORROW, 1)
  R64(NEXT, 0)
  R256(LIQ, 1)
#ifdef TRACE
  :: d_step { healthy_liquidated -> printf("LEN %d NoHealthyLiquidated\n", steps); assert(false) }
  :: d_step { !healthy_liquidated && BAD -> printf("LEN %d NoBadDebt\n", steps); assert(false) }
#else
  :: d_step { BAD -> assert(false) }
#endif
  od
}
