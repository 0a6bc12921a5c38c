#include "checker/symbolic/confirm.hpp"

#include <optional>

#include "checker/eval.hpp"
#include "checker/smt/errors.hpp"

namespace keel::symbolic
{

namespace
{

struct Discard : SuccessorSink
{
  void emit(uint32_t, const uint64_t*) override {}
};

struct Count : SuccessorSink
{
  uint64_t n = 0;
  void emit(uint32_t, const uint64_t*) override { ++n; }
};

[[noreturn]] void not_confirmed(const std::string& engine, const std::string& what)
{
  throw smt::SmtError(smt::SmtErrorKind::Bug, engine + ": the solver's " + what + " is not confirmed by the evaluator");
}

std::optional<Verdict> state_violation(const Model& m, Trace& trace)
{
  Verdict v;
  v.kind = VerdictKind::Violated;
  const uint64_t* s = trace.states.back().data();
  Evaluator ev(m);
  auto fail_eval = [&](const EvalError& e, const NamedPredicate& p, const char* what)
  {
    v.violation = e.kind;
    v.property = p.name;
    v.message = std::string("while evaluating ") + what + " " + p.name + ": " + e.message;
    v.span = e.span;
    v.trace = std::move(trace);
    return v;
  };
  for (const NamedPredicate& inv : m.invariants)
  {
    bool ok;
    try
    {
      ok = ev.holds(inv.expr, s);
    }
    catch (const EvalError& e)
    {
      return fail_eval(e, inv, "invariant");
    }
    if (!ok)
    {
      v.violation = ViolationKind::Invariant;
      v.property = inv.name;
      v.message = (inv.is_lemma ? "lemma " : "invariant ") + inv.name + " is violated";
      v.span = inv.span;
      v.explanation = ev.explain_false(inv.expr, s);
      v.trace = std::move(trace);
      return v;
    }
  }
  for (const NamedPredicate& c : m.constraints)
  {
    try
    {
      ev.holds(c.expr, s);
    }
    catch (const EvalError& e)
    {
      return fail_eval(e, c, "constraint");
    }
  }
  return std::nullopt;
}

std::optional<Verdict> step_failure(const Model& m, Trace& trace)
{
  Discard sink;
  Evaluator ev(m);
  try
  {
    ev.successors(trace.states.back().data(), sink);
  }
  catch (const EvalError& e)
  {
    Verdict v;
    v.kind = VerdictKind::Violated;
    TraceStep failing;
    failing.action = ev.current_action();
    failing.bindings = ev.current_bindings();
    failing.span = e.span;
    trace.failing_step = failing;
    v.violation = e.kind;
    v.property = violation_name(e.kind);
    v.message = e.message;
    v.span = e.span;
    v.trace = std::move(trace);
    return v;
  }
  return std::nullopt;
}

std::optional<Verdict> deadlock(const Model& m, Trace& trace)
{
  Count sink;
  Evaluator ev(m);
  try
  {
    ev.successors(trace.states.back().data(), sink);
  }
  catch (const EvalError&)
  {
    return std::nullopt;
  }
  if (sink.n) return std::nullopt;
  Verdict v;
  v.kind = VerdictKind::Violated;
  v.violation = ViolationKind::Deadlock;
  v.property = "deadlock";
  v.message = "no action is enabled";
  v.trace = std::move(trace);
  return v;
}

}  // namespace

Trace trace_through(const Model& m, std::vector<std::vector<uint64_t>> states, const std::string& engine)
{
  Trace t;
  t.states = std::move(states);
  for (size_t j = 0; j + 1 < t.states.size(); ++j)
  {
    auto step = step_between(m, t.states[j].data(), t.states[j + 1].data());
    if (!step)
      throw smt::SmtError(smt::SmtErrorKind::Bug, engine + ": step " + std::to_string(j + 1) +
                                                      " of the counterexample does not replay in the evaluator");
    t.steps.push_back(*step);
  }
  return t;
}

Verdict confirm_initial_failure(const Model& m, const std::string& engine)
{
  Discard sink;
  Evaluator ev(m);
  try
  {
    ev.initial_states(sink);
  }
  catch (const EvalError& e)
  {
    Verdict v;
    v.kind = VerdictKind::Violated;
    v.violation = e.kind;
    v.property = violation_name(e.kind);
    v.message = "in the initial state: " + e.message;
    v.span = e.span;
    Trace t;
    TraceStep failing;
    failing.action = -1;
    failing.bindings = ev.current_bindings();
    t.failing_step = failing;
    v.trace = t;
    return v;
  }
  not_confirmed(engine, "failure in the initial states");
}

Verdict confirm_state_violation(const Model& m, Trace trace, const std::string& engine)
{
  if (auto v = state_violation(m, trace)) return std::move(*v);
  not_confirmed(engine, "invariant violation");
}

Verdict confirm_step_failure(const Model& m, Trace trace, const std::string& engine)
{
  if (auto v = step_failure(m, trace)) return std::move(*v);
  not_confirmed(engine, "failing step");
}

Verdict confirm_deadlock(const Model& m, Trace trace, const std::string& engine)
{
  if (auto v = deadlock(m, trace)) return std::move(*v);
  not_confirmed(engine, "deadlock");
}

Verdict confirm_any_violation(const Model& m, Trace trace, bool check_deadlock, const std::string& engine)
{
  if (auto v = state_violation(m, trace)) return std::move(*v);
  if (auto v = step_failure(m, trace)) return std::move(*v);
  if (check_deadlock)
    if (auto v = deadlock(m, trace)) return std::move(*v);
  not_confirmed(engine, "bad state");
}

Verdict not_supported_verdict(const std::string& engine, const std::string& what)
{
  return solver_failure_verdict("not supported yet by the " + engine + " engine", what);
}

Verdict solver_failure_verdict(const std::string& prefix, const std::string& message)
{
  Verdict v;
  v.kind = VerdictKind::Error;
  v.message = prefix + ": " + message;
  return v;
}

}  // namespace keel::symbolic
