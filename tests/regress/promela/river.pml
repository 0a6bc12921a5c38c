/* Wolf, goat and cabbage (river_crossing*.keel). 0 = near bank, 1 = far.
   A move is taken only if it leads to a safe placement (Keel's require).
   -DTRACE checks NotAllAcross. */
bit farmer = 0;
bit wolf = 0;
bit goat = 0;
bit cabbage = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif
#define SAFE(f,w,g,c) (!(g == w || g == c) || g == f)
active proctype River() {
  do
  :: d_step { SAFE(1-farmer, wolf, goat, cabbage) -> STEP farmer = 1 - farmer }
  :: d_step { wolf == farmer && SAFE(1-farmer, 1-wolf, goat, cabbage) -> STEP
              farmer = 1 - farmer; wolf = farmer }
  :: d_step { goat == farmer && SAFE(1-farmer, wolf, 1-goat, cabbage) -> STEP
              farmer = 1 - farmer; goat = farmer }
  :: d_step { cabbage == farmer && SAFE(1-farmer, wolf, goat, 1-cabbage) -> STEP
              farmer = 1 - farmer; cabbage = farmer }
#ifdef TRACE
  :: d_step { farmer && wolf && goat && cabbage -> printf("LEN %d\n", steps); assert(false) }
#endif
  od
}
