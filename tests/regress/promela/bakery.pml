/* Lamport's bakery algorithm (bakery.keel), N processes, tickets bounded
   by Keel's constraint TicketBound (every number < MAXT): each action is
   guarded by it, so violating states are stored but not expanded.
   pc: 0 ncs, 1 picking, 2 picked, 3 wait1, 4 wait2, 5 cs.
   -DN=2 or -DN=3; -DMAXT=k. The last option asserts mutual exclusion. */
#ifndef N
#define N 2
#endif
#ifndef MAXT
#define MAXT 3
#endif
byte pc[N];
byte j[N];
bit choosing[N];
byte number[N];
#if N == 2
#define MAXNUM (number[0] > number[1] -> number[0] : number[1])
#define CONSTRAINT (number[0] < MAXT && number[1] < MAXT)
#define TWOIN (pc[0] == 5 && pc[1] == 5)
#else
#define MAX2 (number[0] > number[1] -> number[0] : number[1])
#define MAXNUM (MAX2 > number[2] -> MAX2 : number[2])
#define CONSTRAINT (number[0] < MAXT && number[1] < MAXT && number[2] < MAXT)
#define TWOIN ((pc[0] == 5) + (pc[1] == 5) + (pc[2] == 5) > 1)
#endif
#define PROC(s) \
  :: d_step { CONSTRAINT && pc[s] == 0 -> choosing[s] = 1; pc[s] = 1 } \
  :: d_step { CONSTRAINT && pc[s] == 1 -> number[s] = MAXNUM + 1; pc[s] = 2 } \
  :: d_step { CONSTRAINT && pc[s] == 2 -> choosing[s] = 0; j[s] = 0; pc[s] = 3 } \
  :: d_step { CONSTRAINT && pc[s] == 3 && !choosing[j[s]] -> pc[s] = 4 } \
  :: d_step { CONSTRAINT && pc[s] == 4 && (number[j[s]] == 0 || number[j[s]] > number[s] \
                || (number[j[s]] == number[s] && j[s] >= s)) -> \
       if :: j[s] == N - 1 -> pc[s] = 5 :: else -> j[s] = j[s] + 1; pc[s] = 3 fi } \
  :: d_step { CONSTRAINT && pc[s] == 5 -> number[s] = 0; j[s] = 0; pc[s] = 0 }
active proctype Bakery() {
  do
  PROC(0)
  PROC(1)
#if N >= 3
  PROC(2)
#endif
  :: d_step { TWOIN -> assert(false) }
#ifdef SELFLOOP
  :: d_step { !CONSTRAINT -> skip }
#endif
  od
}
