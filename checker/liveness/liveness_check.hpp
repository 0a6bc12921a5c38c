// The explicit engine's liveness check: every temporal property of the Model
// (`property NAME: ...`) under its fairness declarations (`fair weak|strong`).
// The reachable state graph is built once; for each property, the product of
// that graph with a Büchi automaton of the property's negation is searched
// for a fair accepting cycle (checker/liveness/fair_cycle.hpp). One found is
// a counterexample: a lasso trace, a prefix then a loop that repeats forever.
// Stuttering is always possible (a behaviour may stop anywhere, as in TLA+),
// so a property that needs progress needs fairness. docs/language.md states
// the semantics; docs/engines.md the algorithm.
#pragma once

#include <cstdint>
#include <ostream>

#include "checker/trace.hpp"
#include "spec/model.hpp"

namespace keel
{

struct LivenessOptions
{
  double progress_seconds = 3.0;
  std::ostream* progress = nullptr;  // null: no progress lines
  uint64_t max_product_nodes = 50'000'000;
};

// Holds when every property holds on every fair behaviour; Violated
// (ViolationKind::Liveness, property = its name) with a lasso trace for the
// first property that fails, in declaration order; Error when the graph is
// too large. Call it after the safety search found nothing: it assumes no
// action fails while running.
Verdict check_liveness(const Model& model, const LivenessOptions& options);

}  // namespace keel
