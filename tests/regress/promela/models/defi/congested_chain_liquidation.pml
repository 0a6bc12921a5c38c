/* Twin of models/defi/congested_chain_liquidation.keel, for SPIN 6.5.2
   (conventions in README.md). Keel's init block chooses the debt; SPIN has
   one initial state, so the twin chooses it in a set-up step (phase 0 ->
   1). That step is not counted in LEN (every trace has it), and it adds one
   state Keel does not have, the pre-init state: subtract 1 from "states,
   stored".
   Parameters (-D): COLL, P0, PMIN, PMAX, FALL, RISE, CAP, DELAY, STALLS,
   MAXSTALL; -DTRACE for spin_trace.sh. */
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
#define PMIN 50
#endif
#ifndef PMAX
#define PMAX 100
#endif
#ifndef FALL
#define FALL 5
#endif
#ifndef RISE
#define RISE 0
#endif
#ifndef CAP
#define CAP 1
#endif
#ifndef DELAY
#define DELAY 1
#endif
#ifndef STALLS
#define STALLS 1
#endif
#ifndef MAXSTALL
#define MAXSTALL 3
#endif
#define LTV 7500
#define LT 8000
#define LB 10500
#define MAXDEBT (COLL * P0 * LTV / 10000)
#define MIN(a, b) ((a) < (b) -> (a) : (b))

bit phase = 0;
byte price = P0;
byte oracle = P0;
byte coll = COLL;
short debt = 0;
short deficit = 0;
bit update_pending = 0;
byte update_wait = 0;
bit liquidation_pending = 0;
byte liquidation_wait = 0;
bit block_open = 1;
byte room = CAP;
bit stalled = 0;
byte stall_len = 0;
byte stalls = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define LIQUIDATABLE (debt > 0 && coll * oracle * LT < debt * 10000)
#define UPDATE_DUE (update_pending && update_wait == DELAY)
#define LIQUIDATION_DUE (liquidation_pending && liquidation_wait == DELAY)
#define SUBMISSIONS_DONE ((oracle == price || update_pending) && (!LIQUIDATABLE || liquidation_pending))
#define DEADLINES_MET (!block_open || room == 0 || (!UPDATE_DUE && !LIQUIDATION_DUE))
#define MOVE_OK(q) ((q) >= PMIN && (q) <= PMAX && (price - (q)) * 100 <= price * FALL && ((q) - price) * 100 <= price * RISE)
#define BAD (!(deficit == 0 && coll * price >= debt))

#define PICK(d) :: d_step { phase == 0 && (d) >= 1 && (d) <= MAXDEBT && (d) * 10000 <= COLL * P0 * LTV -> debt = (d); phase = 1 }
#define END_SLOT(q) \
  :: d_step { phase == 1 && SUBMISSIONS_DONE && DEADLINES_MET && !(stalled && stall_len == MAXSTALL) && MOVE_OK(q) -> STEP \
       if :: block_open -> update_wait = (update_pending -> MIN(update_wait + 1, DELAY) : 0); \
                           liquidation_wait = (liquidation_pending -> MIN(liquidation_wait + 1, DELAY) : 0) \
          :: else -> skip fi; \
       if :: stalled -> stall_len++ :: else -> skip fi; \
       price = (q); room = CAP }

active proctype CongestedChainLiquidation() {
  do
  R256(PICK, 0)
  R64(END_SLOT, 50)
  :: d_step { phase == 1 && oracle != price && !update_pending -> STEP update_pending = 1; update_wait = 0 }
  :: d_step { phase == 1 && LIQUIDATABLE && !liquidation_pending -> STEP liquidation_pending = 1; liquidation_wait = 0 }
  :: d_step { phase == 1 && block_open && room > 0 && update_pending && (room > 1 || UPDATE_DUE || !LIQUIDATION_DUE) -> STEP
       room--; update_pending = 0; oracle = price }
  :: d_step { phase == 1 && block_open && room > 0 && liquidation_pending && (room > 1 || LIQUIDATION_DUE || !UPDATE_DUE) -> STEP
       room--; liquidation_pending = 0;
       if :: LIQUIDATABLE ->
               if :: coll * oracle * 10000 < debt * LB -> deficit = debt - (coll * oracle * 10000 + LB - 1) / LB
                  :: else -> skip fi;
               coll = 0; debt = 0
          :: else -> skip fi }
  :: d_step { phase == 1 && MAXSTALL > 0 && !stalled && block_open && room == CAP && stalls < STALLS -> STEP
       stalled = 1; block_open = 0; stall_len = 0; stalls++ }
  :: d_step { phase == 1 && stalled -> STEP stalled = 0; block_open = 1; room = CAP; stall_len = 0 }
#ifdef TRACE
  :: d_step { phase == 1 && BAD -> printf("LEN %d NoBadDebt\n", steps); assert(false) }
#else
  :: d_step { phase == 1 && BAD -> assert(false) }
#endif
  od
}
