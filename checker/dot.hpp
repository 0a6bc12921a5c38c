// Graphviz DOT output: a counterexample as a path, and the whole reachable
// state graph of a small model (with a counterexample highlighted).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "checker/trace.hpp"
#include "spec/model.hpp"

namespace keel
{

// The trace as a path: one node per state (labelled with every variable,
// changed ones marked `*`), one edge per step (fault steps dashed and orange),
// the failing step as a red octagon, a lasso's loop edge back to its state.
std::string trace_dot(const Model& m, const Trace& t);

// Explores the reachable state graph breadth-first (no deadlock or property
// stops: every reachable state, constraint-cut states not expanded) and writes
// it as DOT: one node per state, one edge per (state, step label, successor).
// States violating an invariant are filled red, states where an action fails
// while running are double-bordered; `highlight` (may be null) is drawn in red
// by matching its states. Returns false with `error` set (and writes nothing)
// when the graph has more than `max_states` states or the initial states
// cannot be computed.
bool write_state_graph_dot(const Model& m, std::ostream& os, uint64_t max_states, const Trace* highlight,
                           std::string& error);

}  // namespace keel
