/* Twin of models/defi/recovery_mode.keel, for SPIN 6.5.2 (conventions in
   README.md). Keel's init block chooses the two debts; SPIN has one initial
   state, so the twin chooses them in two steps before the protocol starts
   (phase 0: d1, phase 1: d2). Those steps are not counted in LEN (every
   trace has both, so breadth-first order is unchanged), and they add
   states that Keel does not have: the pre-init state and one state per
   first debt d1 that has a valid second debt (phase 1). Subtract them from
   "states, stored": with the defaults, d1 = 1..66 (a d2 >= d1 exists iff
   (d1 + d1) * 1.5 <= 200), so 1 + 66 = 67 extra states.
   Parameters (-D): P0, PMIN, PMAX, SHOCK, MCR, CCR, RECOVERY (0/1),
   PERBLOCK, SAFE; -DTRACE for spin_trace.sh. */
/* Expands M(k) for k = b .. b + 63 (R64) or b .. b + 255 (R256). */
#define R4(M, b) M((b)) M((b) + 1) M((b) + 2) M((b) + 3)
#define R16(M, b) R4(M, b) R4(M, (b) + 4) R4(M, (b) + 8) R4(M, (b) + 12)
#define R64(M, b) R16(M, b) R16(M, (b) + 16) R16(M, (b) + 32) R16(M, (b) + 48)
#define R256(M, b) R64(M, b) R64(M, (b) + 64) R64(M, (b) + 128) R64(M, (b) + 192)

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
#ifndef MCR
#define MCR 11000
#endif
#ifndef CCR
#define CCR 15000
#endif
#ifndef RECOVERY
#define RECOVERY 1
#endif
#ifndef PERBLOCK
#define PERBLOCK 1
#endif
#ifndef SAFE
#define SAFE MCR
#endif
#define MAXDEBT (PMAX * 10000 / MCR)

byte phase = 0;
byte price = P0;
short debt1 = 0;
short debt2 = 0;
bit open1 = 0;
bit open2 = 0;
byte liquidations = 0;
bit safe_trove_liquidated = 0;
bit liquidated_under_water = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define TOTAL_COLL (open1 + open2)
#define TOTAL_DEBT ((open1 -> debt1 : 0) + (open2 -> debt2 : 0))
#define RECOVERY_MODE (RECOVERY && TOTAL_DEBT > 0 && TOTAL_COLL * price * 10000 < TOTAL_DEBT * CCR)
#define ICR_BELOW(d, ratio) (price * 10000 < (d) * (ratio))
#define ICR_BELOW_TCR(d) (price * TOTAL_DEBT < TOTAL_COLL * price * (d))
#define LIQ1 (open1 && (ICR_BELOW(debt1, MCR) || (RECOVERY_MODE && ICR_BELOW_TCR(debt1))))
#define LIQ2 (open2 && (ICR_BELOW(debt2, MCR) || (RECOVERY_MODE && ICR_BELOW_TCR(debt2))))
#define MOVE_OK(q) ((q) >= PMIN && (q) <= PMAX && (price - (q)) * 100 <= price * SHOCK && ((q) - price) * 100 <= price * SHOCK)
#define BAD_DEBT (liquidated_under_water || (open1 && price < debt1) || (open2 && price < debt2))

/* the init block: d1, then d2 >= d1 with the opening rules */
#define PICK1(d) :: d_step { phase == 0 && (d) >= 1 && (d) <= MAXDEBT && (d) * MCR <= P0 * 10000 && ((d) + (d)) * CCR <= 2 * P0 * 10000 -> debt1 = (d); phase = 1 }
#define PICK2(d) :: d_step { phase == 1 && (d) >= debt1 && (d) <= MAXDEBT && (d) * MCR <= P0 * 10000 && (debt1 + (d)) * CCR <= 2 * P0 * 10000 -> debt2 = (d); open1 = 1; open2 = 1; phase = 2 }
#define NEXT(q) :: d_step { phase == 2 && !(liquidations < PERBLOCK && (LIQ1 || LIQ2)) && MOVE_OK(q) -> STEP price = (q); liquidations = 0 }

active proctype RecoveryMode() {
  do
  R256(PICK1, 0)
  R256(PICK2, 0)
  R64(NEXT, 50)
  :: d_step { phase == 2 && liquidations < PERBLOCK && LIQ1 -> STEP
       if :: !ICR_BELOW(debt1, SAFE) -> safe_trove_liquidated = 1 :: else -> skip fi;
       if :: price < debt1 -> liquidated_under_water = 1 :: else -> skip fi;
       open1 = 0; debt1 = 0; liquidations++ }
  :: d_step { phase == 2 && liquidations < PERBLOCK && LIQ2 -> STEP
       if :: !ICR_BELOW(debt2, SAFE) -> safe_trove_liquidated = 1 :: else -> skip fi;
       if :: price < debt2 -> liquidated_under_water = 1 :: else -> skip fi;
       open2 = 0; debt2 = 0; liquidations++ }
#ifdef TRACE
  :: d_step { phase == 2 && safe_trove_liquidated -> printf("LEN %d NoSafeTroveLiquidated\n", steps); assert(false) }
  :: d_step { phase == 2 && !safe_trove_liquidated && BAD_DEBT -> printf("LEN %d NoBadDebt\n", steps); assert(false) }
#else
  :: d_step { phase == 2 && (safe_trove_liquidated || BAD_DEBT) -> assert(false) }
#endif
  od
}
