/* Peterson's mutual exclusion for 2 processes (peterson.keel).
   pc: 0 idle, 1 wantIn, 2 waiting, 3 critical. One d_step per Keel
   action binding (the process actions get self = 0 or 1). */
bit flag[2];
bit turn = 0;
byte pc[2];
#define PROC(s) \
  :: d_step { pc[s] == 0 -> flag[s] = 1; pc[s] = 1 } \
  :: d_step { pc[s] == 1 -> turn = 1 - s; pc[s] = 2 } \
  :: d_step { pc[s] == 2 && (!flag[1-s] || turn == s) -> pc[s] = 3 } \
  :: d_step { pc[s] == 3 -> flag[s] = 0; pc[s] = 0 }
active proctype Peterson() {
  do
  PROC(0)
  PROC(1)
  od
}
