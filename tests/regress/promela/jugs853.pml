/* Three jugs of 8, 5 and 3 litres, the 8 full (jugs_853*.keel). One
   d_step per Pour(a, b), a != b: pour from a into b until a is empty or
   b is full. -DTRACE checks the target (4, 4, 0). */
byte amt[3];
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif
#define CAPOF(k) ((k) == 0 -> 8 : ((k) == 1 -> 5 : 3))
#define POUR(a, b) :: d_step { true -> STEP \
   if :: amt[a] < CAPOF(b) - amt[b] -> t = amt[a] :: else -> t = CAPOF(b) - amt[b] fi; \
   amt[a] = amt[a] - t; amt[b] = amt[b] + t; t = 0 }
active proctype Jugs() {
  byte t = 0;
  d_step { amt[0] = 8 };
  do
  POUR(0,1) POUR(0,2) POUR(1,0) POUR(1,2) POUR(2,0) POUR(2,1)
#ifdef TRACE
  :: d_step { amt[0] == 4 && amt[1] == 4 -> printf("LEN %d\n", steps); assert(false) }
#endif
  od
}
