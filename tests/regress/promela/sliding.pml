/* Sliding-tile puzzle on R x C cells (sliding_*.keel); 0 is the blank.
   Initial board: cell i holds (i + 1) % (R*C), i.e. 1 2 3 / 4 5 0.
   -DC=2 for the 2 x 2 board (cells 0 1 / 2 3). One d_step per directed
   adjacent pair (from, to): the tile at `from` slides into the blank at `to`.
   -DTRACE checks the target 0 1 2 / 3 4 5 of sliding_target.keel. */
#ifndef C
#define C 3
#endif
#if C == 3
byte b[6] = 0;
#else
byte b[4] = 0;
#endif
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif
#define SLIDE(f,t) :: d_step { b[t] == 0 -> STEP b[t] = b[f]; b[f] = 0 }
#define ADJ(x,y) SLIDE(x,y) SLIDE(y,x)
active proctype Sliding() {
#if C == 3
  d_step { b[0] = 1; b[1] = 2; b[2] = 3; b[3] = 4; b[4] = 5; b[5] = 0 };
#else
  d_step { b[0] = 1; b[1] = 2; b[2] = 3; b[3] = 0 };
#endif
  do
#if C == 3
  ADJ(0,1) ADJ(1,2) ADJ(3,4) ADJ(4,5) ADJ(0,3) ADJ(1,4) ADJ(2,5)
#else
  ADJ(0,1) ADJ(2,3) ADJ(0,2) ADJ(1,3)
#endif
#ifdef TRACE
  :: d_step { b[0] == 0 && b[1] == 1 && b[2] == 2 && b[3] == 3 && b[4] == 4 && b[5] == 5
              -> printf("LEN %d\n", steps); assert(false) }
#endif
  od
}
