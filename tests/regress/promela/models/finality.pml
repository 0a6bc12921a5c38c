/* BFT finality under a correlated crash (models/consensus/finality_correlated.keel),
   N = 4 validators, Q = 3, with the faults written by hand as docs/faults.md
   defines them (flags and budget counters are state):
     correlated(Validator) by S at most 1: crashed[i], cused; one step crashes
       a group of 1..S validators, none of them crashed;
     restart(Validator) at most S: rused; needs crashed[i], clears it and
       resets the volatile records (pvm, pcm);
     byzantine(Validator) at most F: byz[i], bused; corrupt(i) needs
       !byz[i], !crashed[i]; forge(i, m) (free) needs byz[i], !crashed[i]
       and m, a message from i, absent; honest actions need !byz[i] and
       !crashed[i].
   Records as value + 1 (0 = nothing signed): pv[i], pc[i] durable, pvm[i],
   pcm[i] volatile. Network bits: prev[2*i + b] Prevote(i, b),
   prec[2*i + b] Precommit(i, b). -DS (2), -DF (1), -DVOLATILE; -DTRACE. */
#ifndef S
#define S 2
#endif
#ifndef F
#define F 1
#endif
#define N 4
#define Q 3
byte pv[N];
byte pc[N];
byte pvm[N];
byte pcm[N];
bit prev[2 * N];
bit prec[2 * N];
bit crashed[N];
byte cused = 0;
byte rused = 0;
bit byz[N];
byte bused = 0;
#ifdef TRACE
byte steps = 0;
#define STEP steps++;
#else
#define STEP
#endif

#ifdef VOLATILE
#define PV(i) pvm[i]
#define PC(i) pcm[i]
#else
#define PV(i) pv[i]
#define PC(i) pc[i]
#endif
#define SUM(a, b) (a[b] + a[2 + (b)] + a[4 + (b)] + a[6 + (b)])
#define LIVE(i) (!crashed[i] && !byz[i])

#define VOTES(i, b) \
  :: d_step { LIVE(i) && PV(i) == 0 && !prev[2*(i) + (b)] -> PV(i) = (b) + 1; prev[2*(i) + (b)] = 1; STEP } \
  :: d_step { LIVE(i) && PC(i) == 0 && SUM(prev, b) >= Q && !prec[2*(i) + (b)] -> PC(i) = (b) + 1; prec[2*(i) + (b)] = 1; STEP } \
  :: d_step { byz[i] && !crashed[i] && !prev[2*(i) + (b)] -> prev[2*(i) + (b)] = 1; STEP } \
  :: d_step { byz[i] && !crashed[i] && !prec[2*(i) + (b)] -> prec[2*(i) + (b)] = 1; STEP }
#define VALIDATOR(i) VOTES(i, 0) VOTES(i, 1) \
  :: d_step { !byz[i] && !crashed[i] && bused < F -> byz[i] = 1; bused++; STEP } \
  :: d_step { crashed[i] && rused < S -> crashed[i] = 0; pvm[i] = 0; pcm[i] = 0; rused++; STEP }

/* A correlated crash of the group given by its member bits. */
#define GROUP(a, b, c, d) :: d_step { cused < 1 && (a + b + c + d) <= S && \
    !(a && crashed[0]) && !(b && crashed[1]) && !(c && crashed[2]) && !(d && crashed[3]) -> \
    crashed[0] = crashed[0] | a; crashed[1] = crashed[1] | b; crashed[2] = crashed[2] | c; crashed[3] = crashed[3] | d; \
    cused++; STEP }

#define SAFE (!(SUM(prec, 0) >= Q && SUM(prec, 1) >= Q))

active proctype Finality() {
  do
  VALIDATOR(0) VALIDATOR(1) VALIDATOR(2) VALIDATOR(3)
  GROUP(1,0,0,0) GROUP(0,1,0,0) GROUP(0,0,1,0) GROUP(0,0,0,1)
  GROUP(1,1,0,0) GROUP(1,0,1,0) GROUP(1,0,0,1) GROUP(0,1,1,0) GROUP(0,1,0,1) GROUP(0,0,1,1)
  GROUP(1,1,1,0) GROUP(1,1,0,1) GROUP(1,0,1,1) GROUP(0,1,1,1)
  GROUP(1,1,1,1)
#ifdef TRACE
  :: d_step { !(SAFE) -> printf("LEN %d\n", steps); assert(false) }
#else
  :: d_step { !(SAFE) -> assert(false) }
#endif
  od
}
