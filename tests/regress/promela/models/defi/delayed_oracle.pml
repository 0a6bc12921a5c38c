/* Twin of models/defi/delayed_oracle.keel, for SPIN 6.5.2, one SPIN state
   per Keel state (conventions in README.md). The OSM queue osm[1..Slots] is
   osm1..osm3 (Delay <= 3); slots past Slots keep their initial value, as
   they do not exist in Keel. NextBlock gets the stale(osm) variant: the
   queue does not shift, one unit of budget is spent.
   Parameters (-D): INK, P0, PMIN, PMAX, FALL, RISE, DELAY, KDELAY (keeper
   delay), STALE (budget); NOPOKE for Keel's -D Pokes=false (NextBlock
   never shifts the queue); -DTRACE for spin_trace.sh.
   -DLIVE adds a check for the progress properties Liquidated and
   UndercollateralizedLiquidated under weak fairness of NextBlock and Bark.
   With RISE 0 every step is monotone (the Keel file's DERIVED lines say
   why), so a fair behaviour ends stuttering in a state where neither
   NextBlock nor Bark can change the state (QUIET), and both properties
   hold iff every reachable QUIET state is safe at the true price (QUIET
   already implies safe at the OSM price). The check asserts at a QUIET
   state that is not; with spin_trace.sh, LEN is the shortest prefix of
   such a lasso (Keel's trace length minus its loop of one stutter). The
   reduction from fair behaviours to QUIET states rests on the
   monotonicity argument, which SPIN does not check. */
/* Expands M(k) for k = b .. b + 63 (R64) or b .. b + 255 (R256). */
#define R4(M, b) M((b)) M((b) + 1) M((b) + 2) M((b) + 3)
#define R16(M, b) R4(M, b) R4(M, (b) + 4) R4(M, (b) + 8) R4(M, (b) + 12)
#define R64(M, b) R16(M, b) R16(M, (b) + 16) R16(M, (b) + 32) R16(M, (b) + 48)
#define R256(M, b) R64(M, b) R64(M, (b) + 64) R64(M, (b) + 128) R64(M, (b) + 192)

#ifndef INK
#define INK 1
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
#ifndef FALL
#define FALL 10
#endif
#ifndef RISE
#define RISE 0
#endif
#ifndef DELAY
#define DELAY 1
#endif
#ifndef KDELAY
#define KDELAY 0
#endif
#ifndef STALE
#define STALE 0
#endif
#define MAT 15000
#define MAXART (INK * PMAX * 10000 / MAT)
#define SLOTS (DELAY == 0 -> 1 : DELAY)

byte price = P0;
byte osm1 = P0;
byte osm2 = P0;
byte osm3 = P0;
byte ink = INK;
short art = 0;
short bad_debt = 0;
byte late = 0;
bit safe_vault_barked = 0;
byte stale_used = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#define OSM_PRICE (DELAY == 0 -> price : (DELAY == 1 -> osm1 : (DELAY == 2 -> osm2 : osm3)))
#define UNSAFE (art * MAT > ink * OSM_PRICE * 10000)
#define SAFE_TRUE (art * MAT <= ink * price * 10000)
#define BAD_DEBT (!(bad_debt == 0 && ink * price >= art))
#define MOVE_OK(q) ((q) >= PMIN && (q) <= PMAX && (price - (q)) * 100 <= price * FALL && ((q) - price) * 100 <= price * RISE)
#define BLOCK_OK (!(UNSAFE && late == KDELAY))
#define LATE_NEXT late = (UNSAFE -> late + 1 : 0)
#ifdef NOPOKE
#define POKES 0
#else
#define POKES 1
#endif
/* NextBlock (the honest variant) can change the state: the price can move
   by one unit, the poke changes the queue, or late changes. */
#define POKE_CHANGES (POKES && (osm1 != price || (SLOTS >= 2 && osm2 != osm1) || (SLOTS >= 3 && osm3 != osm2)))
#define NEXT_CHANGES (BLOCK_OK && ((price > PMIN && price * FALL >= 100) || \
  (price < PMAX && price * RISE >= 100) || POKE_CHANGES || UNSAFE || late != 0))
#define QUIET (!UNSAFE && !NEXT_CHANGES)
/* osm := [i => if i == 1 then price else osm[i - 1]], for the slots that exist */
#define SHIFT \
  if :: SLOTS >= 3 -> osm3 = osm2 :: else -> skip fi; \
  if :: SLOTS >= 2 -> osm2 = osm1 :: else -> skip fi; \
  osm1 = price

#define DRAW(a) :: d_step { (a) <= MAXART && (art + (a)) * MAT <= ink * OSM_PRICE * 10000 -> STEP art = art + (a) }
#define NEXT(q) \
  :: d_step { BLOCK_OK && MOVE_OK(q) -> STEP LATE_NEXT; if :: POKES -> SHIFT :: else -> skip fi; price = (q) } \
  :: d_step { BLOCK_OK && MOVE_OK(q) && stale_used < STALE -> STEP LATE_NEXT; price = (q); stale_used++ }

active proctype DelayedOracle() {
  do
  R256(DRAW, 1)
  R64(NEXT, 50)
  :: d_step { UNSAFE -> STEP
       if :: SAFE_TRUE -> safe_vault_barked = 1 :: else -> skip fi;
       bad_debt = bad_debt + art - (art < ink * price -> art : ink * price);
       art = 0; ink = 0 }
#ifdef LIVE
#ifdef TRACE
  :: d_step { QUIET && !SAFE_TRUE -> printf("LEN %d UndercollateralizedLiquidated\n", steps); assert(false) }
#else
  :: d_step { QUIET && !SAFE_TRUE -> assert(false) }
#endif
#endif
#ifdef TRACE
  :: d_step { BAD_DEBT -> printf("LEN %d NoBadDebt\n", steps); assert(false) }
  :: d_step { !BAD_DEBT && safe_vault_barked -> printf("LEN %d NoSafeVaultLiquidated\n", steps); assert(false) }
#else
  :: d_step { BAD_DEBT || safe_vault_barked -> assert(false) }
#endif
  od
}
