/* Peterson's filter lock for N processes: the Promela twin of
   filter_lock.keel (bench/README.md, "Liveness vs safety").

     spin -DN=3 -a filter_lock.pml
     gcc -O2 -DNOREDUCE -DSAFETY -DNOCLAIM -o pan_safety pan.c  # safety only
     gcc -O2 -DNOREDUCE -o pan_live pan.c                       # with the ltl claim
     ./pan_safety -m1000000 -c0 -w14
     ./pan_live -a -f -m1000000 -c0 -w16                        # weak fairness

   pc[i]: 0 idle, 1 set_victim, 2 waiting, 3 critical; level[i] in
   0..N-1; victim[l] in 0..N-1 (victim[0] is never written). One process
   per Keel process instance (P_0 .. P_{N-1}), because pan's weak fairness
   is per process and `fair weak P` in Keel is per process instance. Every
   process body is `do :: atomic { guard -> update; assert } od`: the
   program counters never change, and pan's states stored are exactly
   Keel's distinct states. No option leaves the state as it is. */
#ifndef N
#define N 3
#endif
#if N < 2 || N > 6
#error "N must be between 2 and 6"
#endif

byte pc[N];      /* all 0: idle */
byte level[N];   /* all 0 */
byte victim[N];  /* all 0 */

/* Unrolled over the processes: FB(P, i) = P(i, 0) && ... && P(i, N-1);
   SUM(P) = P(0) + ... + P(N-1); FA(P) = P(0) && ... && P(N-1). */
#define CAT2(a, b) a ## b
#define CAT(a, b) CAT2(a, b)
#define FB_2(P, i) P(i, 0) && P(i, 1)
#define FB_3(P, i) FB_2(P, i) && P(i, 2)
#define FB_4(P, i) FB_3(P, i) && P(i, 3)
#define FB_5(P, i) FB_4(P, i) && P(i, 4)
#define FB_6(P, i) FB_5(P, i) && P(i, 5)
#define FB(P, i) (CAT(FB_, N)(P, i))
#define SUM_2(P) P(0) + P(1)
#define SUM_3(P) SUM_2(P) + P(2)
#define SUM_4(P) SUM_3(P) + P(3)
#define SUM_5(P) SUM_4(P) + P(4)
#define SUM_6(P) SUM_5(P) + P(5)
#define SUM(P) (CAT(SUM_, N)(P))
#define FA_2(P) P(0) && P(1)
#define FA_3(P) FA_2(P) && P(2)
#define FA_4(P) FA_3(P) && P(3)
#define FA_5(P) FA_4(P) && P(4)
#define FA_6(P) FA_5(P) && P(5)
#define FA(P) (CAT(FA_, N)(P))

/* MutualExclusion: (count i . pc[i] == critical) <= 1. */
#define IN_CS(i) (pc[i] == 3 -> 1 : 0)
#define INV assert(SUM(IN_CS) <= 1)

/* StarvationFree: forall p . [] (pc[p] == set_victim -> <> pc[p] == critical). */
#define LEADS(p) ([] (pc[p] == 1 -> <> (pc[p] == 3)))
ltl StarvationFree { FA(LEADS) }

/* k == self || level[k] < level[self] */
#define BELOW(self, k) ((k) == (self) || level[k] < level[self])

#define PROC(i) \
active proctype P_ ## i() \
{ \
  do \
  :: atomic { pc[i] == 0 -> level[i] = 1; pc[i] = 1; INV }                 /* Try */ \
  :: atomic { pc[i] == 1 -> victim[level[i]] = i; pc[i] = 2; INV }         /* SetVictim */ \
  :: atomic { pc[i] == 2 && (FB(BELOW, i) || victim[level[i]] != i) -> \
       pc[i] = (level[i] == N - 1 -> 3 : 1); \
       level[i] = (level[i] == N - 1 -> level[i] : level[i] + 1); INV }     /* Advance */ \
  :: atomic { pc[i] == 3 -> level[i] = 0; pc[i] = 0; INV }                 /* Exit */ \
  od \
}

PROC(0)
PROC(1)
#if N > 2
PROC(2)
#endif
#if N > 3
PROC(3)
#endif
#if N > 4
PROC(4)
#endif
#if N > 5
PROC(5)
#endif
