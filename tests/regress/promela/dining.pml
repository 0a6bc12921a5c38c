/* Dining philosophers, left fork first (dining_*.keel). phase: 0 thinking,
   1 hasLeft, 2 eating; taken[p]: fork p (between p and p+1) is held.
   -DN=3 or -DN=4. */
#ifndef N
#define N 3
#endif
byte phase[N];
bit taken[N];
#define PHIL(p) \
  :: d_step { phase[p] == 0 && !taken[p] -> taken[p] = 1; phase[p] = 1 } \
  :: d_step { phase[p] == 1 && !taken[(p+1)%N] -> taken[(p+1)%N] = 1; phase[p] = 2 } \
  :: d_step { phase[p] == 2 -> taken[p] = 0; taken[(p+1)%N] = 0; phase[p] = 0 }
active proctype Dining() {
  do
  PHIL(0)
  PHIL(1)
  PHIL(2)
#if N >= 4
  PHIL(3)
#endif
  od
}
