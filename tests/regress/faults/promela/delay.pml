/* One message held back by delay(chan) by D at most 1
   (faults/delay_one_d1.keel, delay_one_d2.keel, delay_gst.keel), the fault
   written by hand from docs/faults.md: h[k] counts the held copies of M with
   k protocol steps left; the protocol actions Send, Work and Recv count
   them down (TICK), and nothing but a release runs while h[0] > 0; delay
   takes M out of the channel into h[D] and spends one unit; release(k)
   puts one back. -DD=1|2; -DGST adds gst(chan), after which no delay
   starts. */
#ifndef D
#define D 1
#endif
bit sent = 0;
bit got = 0;
byte work = 0;
byte c = 0;
byte used = 0;
byte h[D + 1];
bit g = 0;
#define FREE (h[0] == 0)
#if D == 1
#define TICK h[0] = h[1]; h[1] = 0
#else
#define TICK h[0] = h[1]; h[1] = h[2]; h[2] = 0
#endif
#define RELEASE(k) :: d_step { h[k] > 0 -> assert(c < 1); h[k]--; c++ }

active proctype DelayOne() {
  do
  :: d_step { FREE && !sent -> c++; sent = 1; TICK }
  :: d_step { FREE && sent && work < 2 -> work++; TICK }
  :: d_step { FREE && c > 0 -> c--; got = 1; TICK }
  :: d_step { FREE && used < 1 && c > 0 && !g -> c--; h[D]++; used++ }
  RELEASE(0)
  RELEASE(1)
#if D >= 2
  RELEASE(2)
#endif
#ifdef GST
  :: d_step { FREE && !g -> g = 1 }
#endif
  od
}
