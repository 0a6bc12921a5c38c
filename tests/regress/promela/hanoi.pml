/* Towers of Hanoi (hanoi*.keel). peg[d] is the peg of disk d, disk 0 the
   smallest. One d_step per binding of Move(d, to). -DN=4 for four disks.
   -DTRACE checks NotSolved (not every disk on peg 2). */
#ifndef N
#define N 3
#endif
byte peg[N];
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif
/* disk d may move to peg t: t differs, and no smaller disk is on peg[d] or t */
#define FREE(d,t) (t != peg[d] && (d < 1 || (peg[0] != peg[d] && peg[0] != t)) \
   && (d < 2 || (peg[1] != peg[d] && peg[1] != t)) \
   && (d < 3 || (peg[2] != peg[d] && peg[2] != t)))
#define MOVE(d,t) :: d_step { FREE(d,t) -> STEP peg[d] = t }
#define MOVES(d) MOVE(d,0) MOVE(d,1) MOVE(d,2)
active proctype Hanoi() {
  do
  MOVES(0)
  MOVES(1)
  MOVES(2)
#if N >= 4
  MOVES(3)
#endif
#ifdef TRACE
  :: d_step { (peg[0] == 2 && peg[1] == 2 && peg[2] == 2
#if N >= 4
        && peg[3] == 2
#endif
        ) -> printf("LEN %d\n", steps); assert(false) }
#endif
  od
}
