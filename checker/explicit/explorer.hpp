// The explicit-state engine: breadth-first search over bit-packed states with
// an exact visited set (full states, open addressing), predecessor links for
// traces, deadlock detection and action coverage. Breadth-first order makes
// every counterexample it reports a shortest one.
#pragma once

#include <cstdint>
#include <ostream>

#include "checker/trace.hpp"
#include "spec/model.hpp"

namespace keel
{

struct ExplicitOptions
{
  bool check_deadlock = true;
  uint64_t max_depth = 0;            // 0: unbounded
  // 0: unbounded. Otherwise the search stops once this many distinct states
  // are stored (Stats::state_limit_hit): HoldsUpToBound for the depth every
  // counterexample of which would have been found, or Error if that is none.
  uint64_t max_states = 0;
  double progress_seconds = 3.0;     // first progress line after this, then every interval
  std::ostream* progress = nullptr;  // null: no progress lines
  std::ostream* dump = nullptr;      // every distinct state, one per line (as TLC's -dump)
};

Verdict check_explicit(const Model& model, const ExplicitOptions& options);

}  // namespace keel
