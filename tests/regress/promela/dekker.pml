/* Dekker's mutual exclusion for 2 processes (dekker.keel).
   pc: 0 ncs, 1 loop, 2 check, 3 waitTurn, 4 cs, 5 leaving.
   One d_step per Keel action binding (self = 0 or 1). The last option
   asserts mutual exclusion; it is never enabled (errors: 0) and adds no
   state. */
bit wants[2];
bit turn = 0;
byte pc[2];
#define PROC(s) \
  :: d_step { pc[s] == 0 -> wants[s] = 1; pc[s] = 1 } \
  :: d_step { pc[s] == 1 -> if :: wants[1-s] -> pc[s] = 2 :: else -> pc[s] = 4 fi } \
  :: d_step { pc[s] == 2 -> if :: turn != s -> wants[s] = 0; pc[s] = 3 :: else -> pc[s] = 1 fi } \
  :: d_step { pc[s] == 3 && turn == s -> wants[s] = 1; pc[s] = 1 } \
  :: d_step { pc[s] == 4 -> turn = 1 - s; pc[s] = 5 } \
  :: d_step { pc[s] == 5 -> wants[s] = 0; pc[s] = 0 }
active proctype Dekker() {
  do
  PROC(0)
  PROC(1)
  :: d_step { pc[0] == 4 && pc[1] == 4 -> assert(false) }
  od
}
