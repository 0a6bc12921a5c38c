#include "checker/symbolic/unrolling.hpp"

#include "checker/smt/cross_check_solver.hpp"
#include "checker/smt/errors.hpp"
#include "checker/smt/factory.hpp"
#include "checker/smt/logging_solver.hpp"
#include "checker/symbolic/confirm.hpp"

namespace keel::symbolic
{

using smt::Term;

std::unique_ptr<smt::Solver> open_solver(const std::string& name, const std::string& smt_log)
{
  std::unique_ptr<smt::Solver> s;
  if (name == "both")
    s = std::make_unique<smt::CrossCheckSolver>(smt::make_solver("z3"), smt::make_solver("cvc5"));
  else
    s = smt::make_solver(name);
  if (!smt_log.empty()) s = std::make_unique<smt::LoggingSolver>(std::move(s), smt_log);
  return s;
}

Unrolling::Unrolling(Encoder& enc, bool check_deadlock, std::string engine)
    : d_enc(enc), d_s(enc.solver()), d_check_deadlock(check_deadlock), d_engine(std::move(engine))
{
}

// Is `bad` satisfiable with what is asserted? On sat the scope is left open
// and the model kept, for the trace; the search then ends.
bool Unrolling::query(Term bad)
{
  if (bad == d_enc.false_term()) return false;
  d_s.push();
  d_s.assert_formula(bad);
  smt::Result r = d_s.check_sat();
  if (r == smt::Result::Unknown) throw smt::SmtError(smt::SmtErrorKind::Unsupported, "the solver answered unknown");
  if (r == smt::Result::Sat) return true;
  d_s.pop();
  return false;
}

Trace Unrolling::trace_to(uint64_t k)
{
  std::vector<std::vector<uint64_t>> states;
  for (uint64_t j = 0; j <= k; ++j) states.push_back(d_enc.state_value(d_states[j]));
  return trace_through(d_enc.model(), std::move(states), d_engine);
}

std::optional<Verdict> Unrolling::search(uint64_t length)
{
  const Model& m = d_enc.model();
  if (length != (d_started ? d_length + 1 : 0))
    throw smt::SmtError(smt::SmtErrorKind::Bug, d_engine + ": unrolling lengths out of order");
  d_started = true;
  d_length = length;
  if (length == 0)
  {
    d_states.push_back(d_enc.state("s@0"));
    Step init = d_enc.initial();
    if (query(init.failure)) return confirm_initial_failure(m, d_engine);
    d_s.assert_formula(d_enc.leads_to(init, d_states[0]));
  }
  else
  {
    uint64_t k = length - 1;
    if (!d_steps[k]) d_steps[k] = d_enc.step(d_states[k]);
    const Step& step = *d_steps[k];
    // A failure while running an action from s_k (which the constraints
    // let have successors): a trace of k + 1 actions.
    if (query(d_enc.mk_and(d_checks[k].expanded, step.failure))) return confirm_step_failure(m, trace_to(k), d_engine);
    d_states.push_back(d_enc.state("s@" + std::to_string(length)));
    d_s.assert_formula(d_checks[k].expanded);
    d_s.assert_formula(d_enc.leads_to(step, d_states[length]));
  }
  d_checks.push_back(d_enc.state_checks(d_states[length]));
  d_steps.emplace_back();
  if (query(d_checks[length].bad)) return confirm_state_violation(m, trace_to(length), d_engine);
  if (d_check_deadlock)
  {
    d_steps[length] = d_enc.step(d_states[length]);
    if (query(d_enc.deadlocked(d_checks[length], *d_steps[length])))
      return confirm_deadlock(m, trace_to(length), d_engine);
  }
  return std::nullopt;
}

}  // namespace keel::symbolic
