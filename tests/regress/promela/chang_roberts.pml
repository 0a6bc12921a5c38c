/* Chang-Roberts leader election on a ring (leader_election*.keel).
   ring[k]: the ordered channel into node k, capacity N + 1 (the Keel
   network); messages are (tag, value) with tag 1 = Elect, 2 = Leader.
   status: 0 undecided, 1 follower, 2 leader. uid(i) = (2i+1) % N.
   Every send first asserts the channel is not full (Keel would report a
   capacity violation where SPIN would block), so "errors: 0" also shows
   Keel reaches no capacity violation. */
#ifndef N
#define N 3
#endif
#define CAP (N + 1)
#define UID(i) ((2 * (i) + 1) % N)
#define NEXT(i) (((i) + 1) % N)
chan ring[N] = [CAP] of { byte, byte };
bit started[N];
byte status[N];
#define SEND(k, t, v) assert(len(ring[k]) < CAP); ring[k]!t,v
#define NODE(i) \
  :: d_step { !started[i] -> started[i] = 1; SEND(NEXT(i), 1, UID(i)) } \
  :: d_step { nempty(ring[i]) -> ring[i]?tg,vl; \
       if \
       :: tg == 1 -> \
          if \
          :: vl > UID(i) -> SEND(NEXT(i), 1, vl) \
          :: vl == UID(i) -> status[i] = 2; SEND(NEXT(i), 2, vl) \
          :: else -> if :: !started[i] -> SEND(NEXT(i), 1, UID(i)) :: else -> skip fi \
          fi \
       :: else -> \
          if \
          :: vl != UID(i) -> status[i] = 1; SEND(NEXT(i), 2, vl) \
          :: else -> skip \
          fi \
       fi; \
       started[i] = 1; tg = 0; vl = 0 } \
  :: d_step { status[i] != 0 -> skip }
active proctype ChangRoberts() {
  byte tg = 0, vl = 0;
  do
  NODE(0)
  NODE(1)
  NODE(2)
#if N >= 5
  NODE(3)
  NODE(4)
#endif
  od
}
