/* Lending position with a lagging oracle (faults/lending_stale_*.keel), the
   fault stale(oracle) at most K written by hand, following docs/faults.md:
   the counter used is state; every binding of Block (the only action that
   assigns oracle) gets a variant that skips `oracle := price` and spends
   one unit. Collateral 1, debt 10, liquidation threshold 80 %: the keeper
   liquidates when 1 * oracle * 80 < 10 * 100 (oracle <= 12); bad debt when
   not liquidated and 1 * price < 10. Blocks move the true price by -S..S
   within 0..14 and do not happen while a liquidation is due. -DK -DS;
   -DTRACE for spin_trace.sh. */
#ifndef K
#define K 2
#endif
#ifndef S
#define S 1
#endif
byte price = 14;
byte oracle = 14;
bit liquidated = 0;
byte used = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif
#define DUE (oracle * 80 < 10 * 100)
#define BAD (!liquidated && price < 10)
#define OK(d) (!liquidated && !DUE && price + (d) >= 0 && price + (d) <= 14)
#define BLOCK(d) \
  :: d_step { OK(d) -> price = price + (d); oracle = price; STEP } \
  :: d_step { OK(d) && used < K -> price = price + (d); used++; STEP }

active proctype Lending() {
  do
  BLOCK(-1) BLOCK(0) BLOCK(1)
#if S >= 2
  BLOCK(-2) BLOCK(2)
#endif
  :: d_step { !liquidated && DUE -> liquidated = 1; STEP }
#ifdef TRACE
  :: d_step { BAD -> printf("LEN %d\n", steps); assert(false) }
#else
  :: d_step { BAD -> assert(false) }
#endif
  od
}
