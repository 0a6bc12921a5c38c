/* Twin of models/defi/oracle_aggregation.keel, for SPIN 6.5.2, one SPIN
   state per Keel state (conventions in README.md). Feeds 1..N are obs[0..N-1]
   (N <= 5); feeds 1..BYZ are Byzantine. The faults stale(obs) and
   deviate(obs) by 3 make variants of both actions that assign obs, Report
   and Lie, as Keel's lowering does (docs/faults.md). The median and the
   honest range are computed by a deterministic loop inside the d_step that
   checks the invariants; that d_step changes no state unless it fails.
   Parameters (-D): N, BYZ, P0, PMIN, PMAX, SHOCK, DEV (threshold, bps),
   HB (heartbeat), MINA, MAXA (band), LIMIT (staleness limit), STALE, DEVN
   (budgets); -DTRACE for spin_trace.sh. */
/* Expands M(k) for k = b .. b + 63 (R64) or b .. b + 255 (R256). */
#define R4(M, b) M((b)) M((b) + 1) M((b) + 2) M((b) + 3)
#define R16(M, b) R4(M, b) R4(M, (b) + 4) R4(M, (b) + 8) R4(M, (b) + 12)
#define R64(M, b) R16(M, b) R16(M, (b) + 16) R16(M, (b) + 32) R16(M, (b) + 48)
#define R256(M, b) R64(M, b) R64(M, (b) + 64) R64(M, (b) + 128) R64(M, (b) + 192)

#ifndef N
#define N 3
#endif
#ifndef BYZ
#define BYZ 1
#endif
#ifndef P0
#define P0 20
#endif
#ifndef PMIN
#define PMIN 10
#endif
#ifndef PMAX
#define PMAX 30
#endif
#ifndef SHOCK
#define SHOCK 10
#endif
#ifndef DEV
#define DEV 500
#endif
#ifndef HB
#define HB 3
#endif
#ifndef MINA
#define MINA PMIN
#endif
#ifndef MAXA
#define MAXA PMAX
#endif
#ifndef LIMIT
#define LIMIT HB
#endif
#ifndef STALE
#define STALE 0
#endif
#ifndef DEVN
#define DEVN 0
#endif
#define DEVBY 3
#define AGECAP (HB > LIMIT + 1 -> HB : LIMIT + 1)
#define COLLECTING 0
#define PUBLISHED 1

byte price = P0;
byte obs[5] = P0;
byte next_feed = N + 1;
bit phase = PUBLISHED;
byte answer = P0;
byte age = 0;
byte stale_used = 0;
byte dev_used = 0;
byte m = 0;
byte lo = 0;
byte hi = 0;
byte i = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define ABS(x) ((x) >= 0 -> (x) : -(x))
#define CNT(p) ((N > 0 && obs[0] <= (p)) + (N > 1 && obs[1] <= (p)) + (N > 2 && obs[2] <= (p)) + (N > 3 && obs[3] <= (p)) + (N > 4 && obs[4] <= (p)))
/* m := the least price with at least (N + 1) / 2 reports at or below it */
#define MEDIAN m = PMIN; do :: CNT(m) < (N + 1) / 2 -> m++ :: else -> break od
#define DEVIATES (ABS(m - answer) * 10000 > answer * DEV)
#define MOVE_OK(q) ((q) >= PMIN && (q) <= PMAX && (price - (q)) * 100 <= price * SHOCK && ((q) - price) * 100 <= price * SHOCK)
#define IN_RANGE(x) ((x) >= PMIN && (x) <= PMAX)
#define ACCURATE (ABS(answer - price) * 10000 <= answer * DEV)

#define NEXT(q) :: d_step { phase == PUBLISHED && MOVE_OK(q) -> STEP price = (q); next_feed = 1; phase = COLLECTING }
/* Report(f): obs[f] := price, and its stale / deviate variants */
#define REPORT_DEV(f, d) \
  :: d_step { phase == COLLECTING && (f) == next_feed && (f) > BYZ && (f) <= N && dev_used < DEVN && IN_RANGE(price + (d)) -> STEP obs[(f) - 1] = price + (d); next_feed++; dev_used++ }
#define REPORT(f) \
  :: d_step { phase == COLLECTING && (f) == next_feed && (f) > BYZ && (f) <= N -> STEP obs[(f) - 1] = price; next_feed++ } \
  :: d_step { phase == COLLECTING && (f) == next_feed && (f) > BYZ && (f) <= N && stale_used < STALE -> STEP next_feed++; stale_used++ } \
  REPORT_DEV(f, -3) REPORT_DEV(f, -2) REPORT_DEV(f, -1) REPORT_DEV(f, 1) REPORT_DEV(f, 2) REPORT_DEV(f, 3)
/* Lie(f, v): obs[f] := v for every price v, and its variants */
#define LIE_DEV(f, v, d) \
  :: d_step { phase == COLLECTING && (f) == next_feed && (f) <= BYZ && IN_RANGE(v) && dev_used < DEVN && IN_RANGE((v) + (d)) -> STEP obs[(f) - 1] = (v) + (d); next_feed++; dev_used++ }
#define LIE1(f, v) \
  :: d_step { phase == COLLECTING && (f) == next_feed && (f) <= BYZ && IN_RANGE(v) -> STEP obs[(f) - 1] = (v); next_feed++ } \
  :: d_step { phase == COLLECTING && (f) == next_feed && (f) <= BYZ && IN_RANGE(v) && stale_used < STALE -> STEP next_feed++; stale_used++ } \
  LIE_DEV(f, v, -3) LIE_DEV(f, v, -2) LIE_DEV(f, v, -1) LIE_DEV(f, v, 1) LIE_DEV(f, v, 2) LIE_DEV(f, v, 3)
#define LIE_F1(v) LIE1(1, v)
#define LIE_F2(v) LIE1(2, v)
#define LIE_F3(v) LIE1(3, v)
#define LIE_F4(v) LIE1(4, v)
#define LIE_F5(v) LIE1(5, v)

active proctype OracleAggregation() {
  do
  R64(NEXT, 0)
  REPORT(1) REPORT(2) REPORT(3) REPORT(4) REPORT(5)
  R64(LIE_F1, 0) R64(LIE_F2, 0) R64(LIE_F3, 0) R64(LIE_F4, 0) R64(LIE_F5, 0)
  :: d_step { phase == COLLECTING && next_feed == N + 1 -> STEP
       MEDIAN;
       if :: m >= MINA && m <= MAXA && (DEVIATES || age + 1 >= HB) -> answer = m; age = 0
          :: else -> age = (age + 1 < AGECAP -> age + 1 : AGECAP) fi;
       phase = PUBLISHED; m = 0 }
  /* the invariants, in Keel's order */
  :: d_step { phase == PUBLISHED ->
       MEDIAN; lo = PMAX; hi = PMIN; i = BYZ;
       do :: i < N -> if :: obs[i] < lo -> lo = obs[i] :: else -> skip fi;
                      if :: obs[i] > hi -> hi = obs[i] :: else -> skip fi; i++
          :: else -> break od;
#ifdef TRACE
       if :: BYZ < N && !(lo <= m && m <= hi) -> printf("LEN %d MedianWithinHonest\n", steps); assert(false)
          :: else -> skip fi;
       if :: age <= LIMIT && !ACCURATE -> printf("LEN %d ConsumerPriceAccurate\n", steps); assert(false)
          :: else -> skip fi;
#else
       assert(!(BYZ < N && !(lo <= m && m <= hi)) && !(age <= LIMIT && !ACCURATE));
#endif
       m = 0; lo = 0; hi = 0; i = 0 }
  od
}
