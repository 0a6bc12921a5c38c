// Counterexamples found by a solver, confirmed by the reference evaluator
// (checker/eval): each step is found by re-running the actions from the
// previous state (so step labels and bindings are the explicit engine's), and
// the violation is re-derived on the concrete last state. A solver's answer
// the evaluator does not confirm is an encoding bug: these functions then
// throw smt::SmtError (kind Bug), naming `engine`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/trace.hpp"
#include "spec/model.hpp"

namespace keel::symbolic
{

// The states, with the step between each two named by the evaluator.
Trace trace_through(const Model& m, std::vector<std::vector<uint64_t>> states, const std::string& engine);

// A failure while computing the initial states.
Verdict confirm_initial_failure(const Model& m, const std::string& engine);
// An invariant (or lemma) false, or an invariant or constraint not evaluable, in the trace's last state.
Verdict confirm_state_violation(const Model& m, Trace trace, const std::string& engine);
// A failure while running an action from the trace's last state.
Verdict confirm_step_failure(const Model& m, Trace trace, const std::string& engine);
// No action runs from the trace's last state.
Verdict confirm_deadlock(const Model& m, Trace trace, const std::string& engine);

// Which of the three above the last state shows, tried in that order (deadlock
// only if `check_deadlock`).
Verdict confirm_any_violation(const Model& m, Trace trace, bool check_deadlock, const std::string& engine);

// The verdict error of an engine that stopped on a construct its encoding
// does not cover (yet): "not supported yet by the <engine> engine: <what>".
Verdict not_supported_verdict(const std::string& engine, const std::string& what);
// The verdict error of an engine that stopped on its solver (a timeout, an
// unknown answer, a bug): "<prefix>: <message>".
Verdict solver_failure_verdict(const std::string& prefix, const std::string& message);

}  // namespace keel::symbolic
