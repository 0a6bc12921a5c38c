/* Twin of models/defi/sequencer_grace.keel, for SPIN 6.5.2, one SPIN state
   per Keel state (conventions in README.md).
   Parameters (-D): COLL, P0, PMIN, PMAX, SHOCK, OUTAGES, MAXOUT, GRACE,
   BYPASS, UDELAY; -DTRACE for spin_trace.sh. */
/* Expands M(k) for k = b .. b + 63 (R64) or b .. b + 255 (R256). */
#define R4(M, b) M((b)) M((b) + 1) M((b) + 2) M((b) + 3)
#define R16(M, b) R4(M, b) R4(M, (b) + 4) R4(M, (b) + 8) R4(M, (b) + 12)
#define R64(M, b) R16(M, b) R16(M, (b) + 16) R16(M, (b) + 32) R16(M, (b) + 48)
#define R256(M, b) R64(M, b) R64(M, (b) + 64) R64(M, (b) + 128) R64(M, (b) + 192)

#ifndef COLL
#define COLL 1
#endif
#ifndef P0
#define P0 100
#endif
#ifndef PMIN
#define PMIN 60
#endif
#ifndef PMAX
#define PMAX 100
#endif
#ifndef SHOCK
#define SHOCK 5
#endif
#ifndef OUTAGES
#define OUTAGES 1
#endif
#ifndef MAXOUT
#define MAXOUT 1
#endif
#ifndef GRACE
#define GRACE 2
#endif
#ifndef BYPASS
#define BYPASS 9500
#endif
#ifndef UDELAY
#define UDELAY 1
#endif
#define LTV 7500
#define LT 8000
#define LB 10500
#define MAXDEBT (COLL * PMAX * LTV / 10000)

byte price = P0;
byte oracle = P0;
byte coll = COLL;
short debt = 0;
short deficit = 0;
bit sequencer_up = 1;
byte down_for = 0;
byte outages = 0;
byte grace_left = 0;
byte since_restart = UDELAY;
bit healthy_at_outage = 0;
bit liquidated_unwarned = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define LIQUIDATABLE (debt > 0 && coll * oracle * LT < debt * 10000)
#define ALLOWED (sequencer_up && (grace_left == 0 || coll * oracle * LT < debt * BYPASS))
#define MOVE_OK(q) ((q) >= PMIN && (q) <= PMAX && (price - (q)) * 100 <= price * SHOCK && ((q) - price) * 100 <= price * SHOCK)
#define BAD_DEBT (!(deficit == 0 && coll * price >= debt))

#define BORROW(a) :: d_step { (a) <= MAXDEBT && sequencer_up && grace_left == 0 && (debt + (a)) * 10000 <= coll * oracle * LTV -> STEP debt = debt + (a) }
#define NEXT(q) \
  :: d_step { !(ALLOWED && LIQUIDATABLE) && !(!sequencer_up && down_for == MAXOUT) && MOVE_OK(q) -> STEP \
       price = (q); \
       if :: sequencer_up -> oracle = (q); grace_left = (grace_left > 0 -> grace_left - 1 : 0); \
                             since_restart = (since_restart + 1 < UDELAY -> since_restart + 1 : UDELAY) \
          :: else -> down_for++ fi }

active proctype SequencerGrace() {
  do
  R256(BORROW, 1)
  R64(NEXT, 50)
  :: d_step { sequencer_up && outages < OUTAGES -> STEP
       sequencer_up = 0; outages++; healthy_at_outage = !LIQUIDATABLE }
  :: d_step { !sequencer_up -> STEP
       sequencer_up = 1; down_for = 0; grace_left = GRACE; since_restart = 0; oracle = price }
  :: d_step { ALLOWED && LIQUIDATABLE -> STEP
       if :: healthy_at_outage && since_restart < UDELAY -> liquidated_unwarned = 1 :: else -> skip fi;
       if :: coll * oracle * 10000 < debt * LB -> deficit = debt - (coll * oracle * 10000 + LB - 1) / LB
          :: else -> skip fi;
       coll = 0; debt = 0 }
#ifdef TRACE
  :: d_step { BAD_DEBT -> printf("LEN %d NoBadDebt\n", steps); assert(false) }
  :: d_step { !BAD_DEBT && liquidated_unwarned -> printf("LEN %d OwnerCanReact\n", steps); assert(false) }
#else
  :: d_step { BAD_DEBT || liquidated_unwarned -> assert(false) }
#endif
  od
}
