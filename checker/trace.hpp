// One Trace type and one Verdict type for every engine; printers in
// trace_text.cpp (readable) and trace_itf.cpp (ITF JSON, as Apalache and
// Quint write it).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "checker/eval.hpp"
#include "spec/model.hpp"

namespace keel
{

struct TraceStep
{
  int action = -1;                // index into Model::actions; -1 for the initial state
  std::vector<Binding> bindings;  // parameters, then choices, in order
  bool is_fault = false;
  bool stutter = false;  // a lasso's stuttering step: no action, the state stays (a deadlock, or no fair action taken)
  Span span;
};

struct Trace
{
  std::vector<std::vector<uint64_t>> states;  // states[0] is initial
  std::vector<TraceStep> steps;               // steps[i] leads to states[i + 1]
  std::optional<TraceStep> failing_step;      // a step that raised a violation while running
  std::optional<size_t> loop;                 // lasso: the last state returns to states[*loop] ...
  std::optional<TraceStep> loop_step;         // ... by this step (a stutter when the loop is a state that stays)

  // The number of actions: steps, plus the failing step if it is an action
  // (a failure while computing the initial states adds none).
  // A lasso counts its loop's closing step too: the prefix and one round of the loop.
  size_t length() const
  {
    return steps.size() + (failing_step && failing_step->action >= 0 ? 1 : 0) + (loop_step ? 1 : 0);
  }
};

enum class VerdictKind
{
  Holds,           // exhaustive: every reachable state explored
  HoldsUpToBound,  // explored up to a stated depth
  Violated,        // a trace breaks a property
  NotInductive,    // k-induction's step case fails: a counterexample to induction (not a bug)
  Error,           // the engine could not decide
};

struct Stats
{
  uint64_t initial = 0, generated = 0, distinct = 0;
  uint64_t depth = 0;  // the largest BFS depth reached (initial states are depth 0)
  double seconds = 0;
  uint64_t peak_rss_bytes = 0;
  double bytes_per_state = 0;
  std::vector<uint64_t> action_fired;  // successors produced per action
  std::string logic;                   // symbolic engines: the SMT logic of the encoding (e.g. QF_BV)
  bool state_limit_hit = false;        // explicit: stopped at ExplicitOptions::max_states
};

struct Verdict
{
  VerdictKind kind = VerdictKind::Holds;
  std::optional<ViolationKind> violation;
  std::string property;  // invariant name, or the violation's kind
  std::string message;
  Span span;  // where the violated thing is written
  std::optional<Trace> trace;
  std::vector<std::string> explanation;  // for a violated invariant: the failing conjunct and bindings
  uint64_t bound = 0;                    // for HoldsUpToBound: the depth
  uint64_t induction_k = 0;              // k-induction: the k it proved at (Holds) or gave up at (NotInductive)
  Stats stats;
};

// The step (action and bindings) that leads from `from` to `to`, found by
// re-running the successor function: engines keep no labels while searching
// and name the steps of a trace afterwards. nullopt if no action does.
std::optional<TraceStep> step_between(const Model& m, const uint64_t* from, const uint64_t* to);

// Leaves a lasso's stuttering steps out (a step that keeps the state: the
// automaton of a temporal property needed it, the behaviour does not): the
// properties are insensitive to stuttering, so the shorter lasso is a
// counterexample too. A loop made only of stuttering keeps one step (the
// behaviour stops there). No-op for a trace without a loop.
void drop_stutter_steps(Trace& t);

// TLC-compatible exit codes (docs/cli.md).
int exit_code(const Verdict& v);

// Printers.
std::string step_label(const Model& m, const TraceStep& s);
void print_trace_text(std::ostream& os, const Model& m, const Trace& t, bool color);
std::string trace_itf(const Model& m, const Trace& t, const std::string& source, const Verdict& v);
// A self-contained HTML viewer (inline CSS and JavaScript, the trace as JSON).
std::string trace_html(const Model& m, const Trace& t, const std::string& source, const Verdict& v);

}  // namespace keel
