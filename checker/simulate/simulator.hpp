// The simulation engine: seeded random walks for state spaces too big to
// exhaust. Each walk starts in a uniformly chosen initial state and takes a
// uniformly chosen transition at every step, checking in every state it
// visits exactly what the explicit engine checks (invariants; assertions,
// range, capacity and index bounds while running actions; deadlock). A
// violating walk is shrunk by delta debugging: steps (fault steps first) are
// removed and the rest is re-executed from the same initial state, keeping a
// candidate only if every step is still enabled with the same action and
// bindings and the same violation is reached.
//
// Reproducibility: every random number comes from the generators below,
// whose algorithms are fixed (not the standard library's distributions,
// whose results differ between implementations), so a seed replays the same
// walks on every machine and compiler.
#pragma once

#include <cstdint>
#include <optional>

#include "checker/trace.hpp"
#include "spec/model.hpp"

namespace keel
{

// SplitMix64 (Steele, Lea and Flood, 2014): state += 0x9e3779b97f4a7c15,
// then the output mix. Used to derive seeds.
struct SplitMix64
{
  uint64_t state;
  explicit SplitMix64(uint64_t s) : state(s) {}
  uint64_t next()
  {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

// xoshiro256** 1.0 (Blackman and Vigna, 2018), its four words of state
// filled by four SplitMix64 outputs of the seed. below(n) is uniform on
// [0, n) by rejection: draws below 2^64 mod n are discarded, then r mod n.
class Xoshiro256
{
 public:
  explicit Xoshiro256(uint64_t seed)
  {
    SplitMix64 sm(seed);
    for (uint64_t& w : d_s) w = sm.next();
  }
  Xoshiro256(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) : d_s{s0, s1, s2, s3} {}  // raw state (tests)
  uint64_t next()
  {
    const uint64_t result = rotl(d_s[1] * 5, 7) * 9;
    const uint64_t t = d_s[1] << 17;
    d_s[2] ^= d_s[0];
    d_s[3] ^= d_s[1];
    d_s[1] ^= d_s[2];
    d_s[0] ^= d_s[3];
    d_s[2] ^= t;
    d_s[3] = rotl(d_s[3], 45);
    return result;
  }
  uint64_t below(uint64_t n)  // n >= 1
  {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;)
    {
      uint64_t r = next();
      if (r >= threshold) return r % n;
    }
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t d_s[4];
};

// The seed of walk `walk` (0-based) of a run seeded with `seed`: output
// number walk + 1 of SplitMix64 started at `seed`. Walks are independent of
// one another, so walk i is the same whatever --runs says.
inline uint64_t walk_seed(uint64_t seed, uint64_t walk)
{
  SplitMix64 sm(seed + walk * 0x9e3779b97f4a7c15ULL);
  return sm.next();
}

struct SimulateOptions
{
  uint64_t runs = 100;   // walks
  uint64_t depth = 100;  // at most this many steps per walk
  uint64_t seed = 0;
  bool check_deadlock = true;
  bool shrink = true;
  uint64_t shrink_budget = 20000;  // at most this many re-executions while shrinking
};

struct SimulateResult
{
  // Violated, or HoldsUpToBound with bound = depth and a message saying that
  // the walks found nothing (never a proof: not every state was visited).
  // stats: initial = distinct initial states, generated = successors
  // computed by the walks, depth = the longest walk, action_fired = how
  // often each action was taken by a walk (not shrinking's re-executions).
  Verdict verdict;
  uint64_t seed = 0;
  uint64_t runs_done = 0;                // walks run (the violating one included)
  uint64_t steps = 0;                    // transitions taken by all walks
  std::optional<uint64_t> failing_walk;  // the 0-based index of the violating walk
  size_t length_before_shrink = 0;       // the violating walk's trace length
  size_t faults_before_shrink = 0;       // fault steps in it
  uint64_t shrink_checks = 0;            // re-executions tried while shrinking
  bool shrink_budget_exhausted = false;
  double walk_seconds = 0, shrink_seconds = 0;
};

SimulateResult simulate(const Model& model, const SimulateOptions& options);

}  // namespace keel
