#include "checker/symbolic/kind.hpp"

#include <chrono>
#include <memory>
#include <optional>

#include "checker/smt/errors.hpp"
#include "checker/symbolic/confirm.hpp"
#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/unrolling.hpp"

namespace keel
{

namespace
{

using smt::Term;
using symbolic::Encoder;
using symbolic::StateChecks;
using symbolic::StateTerm;
using symbolic::Step;

constexpr const char* kEngine = "k-induction";

// The step case, grown one state at a time in its own solver: the path
// t@0 .. t@k of pairwise distinct well-formed states, each but the last good
// and expanded, each a successor of the one before; the query is whether t@k
// can be bad.
class StepCase
{
 public:
  StepCase(Encoder& enc, bool check_deadlock) : d_enc(enc), d_s(enc.solver()), d_check_deadlock(check_deadlock)
  {
    add_state();
  }

  // Is there a path of k good states followed by a bad one? (k = the states
  // so far; call with k = 1, 2, ...). On sat the model is kept for cti().
  bool bad_after(uint64_t k)
  {
    if (d_open)
    {
      d_s.pop();
      d_open = false;
    }
    while (d_states.size() < k + 1)
    {
      size_t i = d_states.size() - 1;
      d_s.assert_formula(d_enc.mk_not(d_bad[i]));
      d_s.assert_formula(d_checks[i].expanded);
      add_state();
      d_s.assert_formula(d_enc.leads_to(d_steps[i], d_states[i + 1]));
    }
    if (d_bad[k] == d_enc.false_term()) return false;
    d_s.push();
    d_s.assert_formula(d_bad[k]);
    smt::Result r = d_s.check_sat();
    if (r == smt::Result::Unknown) throw smt::SmtError(smt::SmtErrorKind::Unsupported, "the solver answered unknown");
    if (r == smt::Result::Sat)
    {
      d_open = true;
      return true;
    }
    d_s.pop();
    return false;
  }

  // After a sat bad_after(k): the states t@0 .. t@k.
  std::vector<std::vector<uint64_t>> cti(uint64_t k)
  {
    std::vector<std::vector<uint64_t>> states;
    for (uint64_t i = 0; i <= k; ++i) states.push_back(d_enc.state_value(d_states[i]));
    return states;
  }

 private:
  void add_state()
  {
    size_t i = d_states.size();
    StateTerm t = d_enc.state("t@" + std::to_string(i));
    d_s.assert_formula(d_enc.well_formed(t));
    // The simple-path constraint: it makes the step case fail only finitely
    // often on a finite state space, so some k proves every property that holds.
    for (const StateTerm& u : d_states) d_s.assert_formula(d_enc.mk_not(d_enc.equal(t, u)));
    d_states.push_back(t);
    d_checks.push_back(d_enc.state_checks(t));
    d_steps.push_back(d_enc.step(t));
    Term bad = d_enc.mk_or(d_checks[i].bad, d_enc.mk_and(d_checks[i].expanded, d_steps[i].failure));
    if (d_check_deadlock) bad = d_enc.mk_or(bad, d_enc.deadlocked(d_checks[i], d_steps[i]));
    d_bad.push_back(bad);
  }

  Encoder& d_enc;
  smt::Solver& d_s;
  bool d_check_deadlock;
  bool d_open = false;
  std::vector<StateTerm> d_states;
  std::vector<StateChecks> d_checks;
  std::vector<Step> d_steps;
  std::vector<Term> d_bad;
};

}  // namespace

Verdict check_kind(const Model& model, const KindOptions& options)
{
  auto start = std::chrono::steady_clock::now();
  Verdict v;
  uint64_t reached = 0;
  std::string logic = "QF_BV";
  try
  {
    if (options.depth < 1) throw smt::SmtError(smt::SmtErrorKind::Unsupported, "the depth must be at least 1");
    std::unique_ptr<smt::Solver> base_solver = symbolic::open_solver(options.solver, options.smt_log);
    std::unique_ptr<smt::Solver> step_solver =
        symbolic::open_solver(options.solver, options.smt_log.empty() ? "" : options.smt_log + ".step");
    Encoder base_enc(model, *base_solver, options.arith), step_enc(model, *step_solver, options.arith);
    symbolic::Unrolling base(base_enc, options.check_deadlock, kEngine);
    StepCase step(step_enc, options.check_deadlock);
    for (uint64_t k = 0; k <= options.depth; ++k)
    {
      reached = k;
      if (std::optional<Verdict> found = base.search(k))
      {
        v = std::move(*found);
        break;
      }
      if (k == 0) continue;
      if (!step.bad_after(k))
      {
        v.kind = VerdictKind::Holds;
        v.induction_k = k;
        break;
      }
      if (k == options.depth)
      {
        Trace cti = symbolic::trace_through(model, step.cti(k), kEngine);
        v = symbolic::confirm_any_violation(model, std::move(cti), options.check_deadlock, kEngine);
        v.kind = VerdictKind::NotInductive;
        v.induction_k = k;
        v.bound = options.depth;
      }
    }
    logic = symbolic::logic_description({base_enc.arithmetic_widths(), step_enc.arithmetic_widths()}, options.arith);
  }
  catch (const symbolic::NotSupported& e)
  {
    v = symbolic::not_supported_verdict(kEngine, e.what);
  }
  catch (const smt::SmtError& e)
  {
    v = symbolic::solver_failure_verdict(kEngine, e.what());
  }
  v.stats.action_fired.assign(model.actions.size(), 0);
  v.stats.depth = reached;
  v.stats.logic = logic;
  v.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

}  // namespace keel
