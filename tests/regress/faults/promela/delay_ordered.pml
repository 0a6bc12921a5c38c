/* delay(chan) by 1 at most 1 on an ordered channel (faults/delay_ordered.keel,
   delay_fifo_broken.keel), written by hand from docs/faults.md: the queue is
   q[0..n-1]; h[2*k + v-1] counts held copies of M(v) with k protocol steps
   left; protocol actions count them down (TICK) and wait while one is due;
   delay takes M from any position; a release appends at the tail.
   Default: the sender of delay_ordered.keel (count). -DFIFO: the receiver of
   delay_fifo_broken.keel with the delay bound 2 (D2), which asserts when it
   gets a message out of order; -DTRACE counts steps for spin_trace.sh. */
#ifdef FIFO
#define D 2
#else
#define D 1
#endif
byte next = 1;
byte q[2];
byte n = 0;
byte used = 0;
byte h[2 * (D + 1)];
#ifdef FIFO
byte expect = 1;
#endif
#ifdef TRACE
byte steps = 0;
#define STEP steps++
#else
#define STEP skip
#endif
#define FREE (h[0] == 0 && h[1] == 0)
#if D == 1
#define TICK h[0] = h[2]; h[1] = h[3]; h[2] = 0; h[3] = 0
#else
#define TICK h[0] = h[2]; h[1] = h[3]; h[2] = h[4]; h[3] = h[5]; h[4] = 0; h[5] = 0
#endif
/* delay the message at position p: shift the rest down */
#define DELAY(p) :: d_step { FREE && used < 1 && p < n -> h[2 * D + q[p] - 1]++; \
    if :: p == 0 -> q[0] = q[1] :: else -> skip fi; q[n - 1] = 0; n--; used++; STEP }
#define RELEASE(k, v) :: d_step { h[2 * k + v - 1] > 0 -> assert(n < 2); h[2 * k + v - 1]--; q[n] = v; n++; STEP }

active proctype DelayOrdered() {
  do
  :: d_step { FREE && next <= 2 -> q[n] = next; n++; next++; TICK; STEP }
#ifdef FIFO
  :: d_step { FREE && n > 0 ->
#ifdef TRACE
       if :: q[0] != expect -> printf("LEN %d\n", steps + 1); assert(false) :: else -> skip fi;
#else
       assert(q[0] == expect);
#endif
       q[0] = q[1]; q[1] = 0; n--; if :: expect < 3 -> expect++ :: else -> skip fi; TICK; STEP }
  :: d_step { FREE && next == 3 && n == 0 -> TICK; STEP }
#endif
  DELAY(0)
  DELAY(1)
  RELEASE(0, 1) RELEASE(0, 2) RELEASE(1, 1) RELEASE(1, 2)
#if D >= 2
  RELEASE(2, 1) RELEASE(2, 2)
#endif
  od
}
