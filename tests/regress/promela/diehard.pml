/* Die hard jugs (diehard.keel, diehard_states.keel). One d_step per Keel
   action; all state global. -DTRACE adds the ghost step counter and the
   check of NotFour (big != 4) used for the shortest counterexample. */
byte small = 0;
byte big = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif
active proctype DieHard() {
  byte poured;
  do
  :: d_step { true -> STEP small = 3 }
  :: d_step { true -> STEP big = 5 }
  :: d_step { true -> STEP small = 0 }
  :: d_step { true -> STEP big = 0 }
  :: d_step { true -> STEP
       if :: small < 5 - big -> poured = small :: else -> poured = 5 - big fi;
       small = small - poured; big = big + poured; poured = 0 }
  :: d_step { true -> STEP
       if :: big < 3 - small -> poured = big :: else -> poured = 3 - small fi;
       big = big - poured; small = small + poured; poured = 0 }
#ifdef TRACE
  :: d_step { big == 4 -> printf("LEN %d\n", steps); assert(false) }
#endif
  od
}
