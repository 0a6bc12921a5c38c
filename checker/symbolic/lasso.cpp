#include "checker/symbolic/lasso.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>

#include "checker/liveness/property.hpp"
#include "checker/smt/errors.hpp"
#include "checker/symbolic/confirm.hpp"
#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/unrolling.hpp"

namespace keel
{

namespace
{

using smt::Op;
using smt::Term;
using symbolic::Encoder;
using symbolic::StateTerm;

// One property's lassos, unrolled incrementally in one solver.
class LassoSearch
{
 public:
  LassoSearch(const Model& m, const TemporalProperty& p, Encoder& enc)
      : d_m(m),
        d_p(p),
        d_enc(enc),
        d_s(enc.solver()),
        d_pa(liveness::automaton_of_negation(p)),
        d_fair(liveness::fairness_constraints(m))
  {
    const auto& ba = d_pa.negation;
    uint32_t w = 1;
    while ((uint64_t{1} << w) < ba.states.size()) ++w;
    // The automaton's state: an Int under Lia, so the formulas stay in one logic.
    d_qsort = enc.arith() == symbolic::Arith::Lia ? d_s.make_sort(smt::SortKind::Int)
                                                  : d_s.make_sort(smt::SortKind::BitVec, w);
  }

  bool automaton_empty() const { return d_pa.negation.states.empty() || d_pa.negation.initial.empty(); }

  // A lasso whose loop closes at position k (k steps in all), if there is one.
  std::optional<Trace> search(uint64_t k)
  {
    while (d_states.size() <= k) add_position();
    std::vector<Term> loops;
    for (uint64_t l = 0; l < k; ++l) loops.push_back(loop_closes(l, k));
    Term any = d_enc.mk_or(loops);
    if (any == d_enc.false_term()) return std::nullopt;
    d_s.push();
    d_s.assert_formula(any);
    smt::Result r = d_s.check_sat();
    if (r == smt::Result::Unknown) throw smt::SmtError(smt::SmtErrorKind::Unsupported, "the solver answered unknown");
    std::optional<Trace> out;
    if (r == smt::Result::Sat)
    {
      uint64_t l = 0;
      while (l < k && !d_s.get_value(loops[l]).as_bool()) ++l;
      out = trace(l, k);
    }
    d_s.pop();
    return out;
  }

 private:
  Term q_is(uint64_t i, int a) { return d_s.make_term(Op::Equal, d_q[i], d_s.make_value(int64_t{a}, d_qsort)); }

  // Position i: the state, the automaton state, the atoms; and the step from
  // position i - 1 to i.
  void add_position()
  {
    const uint64_t i = d_states.size();
    const auto& ba = d_pa.negation;
    StateTerm s = d_enc.state("lasso_" + d_p.name + "_s@" + std::to_string(i));
    d_states.push_back(s);
    d_q.push_back(d_s.make_const("lasso_" + d_p.name + "_q@" + std::to_string(i), d_qsort));
    d_checks.push_back(d_enc.state_checks(s));
    // The atoms in this state; a state where one cannot be evaluated is no
    // part of a lasso (the explicit engine reports such a state as an error).
    std::vector<Term> atoms;
    for (const TemporalNode* a : d_pa.atoms)
    {
      auto [value, fails] = d_enc.predicate(s, a->pred, a->bindings);
      atoms.push_back(value);
      d_s.assert_formula(d_enc.mk_not(fails));
    }
    // The automaton state is one of its states, and its labels hold here.
    std::vector<Term> one_of;
    for (int a = 0; a < static_cast<int>(ba.states.size()); ++a)
    {
      Term is = q_is(i, a);
      one_of.push_back(is);
      std::vector<Term> label;
      for (int x : ba.states[a].pos) label.push_back(atoms[x]);
      for (int x : ba.states[a].neg) label.push_back(d_enc.mk_not(atoms[x]));
      d_s.assert_formula(d_s.make_term(Op::Implies, is, d_enc.mk_and(label)));
    }
    d_s.assert_formula(d_enc.mk_or(one_of));
    if (i == 0)
    {
      d_s.assert_formula(d_enc.initial_state(s));
      std::vector<Term> init;
      for (int a : ba.initial) init.push_back(q_is(0, a));
      d_s.assert_formula(d_enc.mk_or(init));
      return;
    }
    // Step i - 1 -> i: an action from an expanded state, or a stutter.
    const uint64_t j = i - 1;
    const StateTerm from = d_states[j];
    d_steps.push_back(d_enc.step(from));
    const symbolic::Step& st = d_steps.back();
    Term stays = d_enc.equal(s, from);
    Term moves = d_enc.mk_and(d_checks[j].expanded, d_enc.leads_to(st, s));
    d_s.assert_formula(d_enc.mk_or(moves, stays));
    for (int a = 0; a < static_cast<int>(ba.states.size()); ++a)
    {
      std::vector<Term> next;
      for (int b : ba.states[a].succ) next.push_back(q_is(i, b));
      d_s.assert_formula(d_s.make_term(Op::Implies, q_is(j, a), d_enc.mk_or(next)));
    }
    // Fairness at step j: constraint c enabled in state j (one of its actions
    // can change the state), and taken by the step (it does).
    std::vector<Term> enabled, taken;
    for (const liveness::FairnessConstraint& c : d_fair)
    {
      std::vector<Term> en, tk;
      for (const symbolic::Successor& succ : st.successors)
      {
        if (succ.action < 0 || !liveness::is_step_of(c, static_cast<uint32_t>(succ.action), succ.self)) continue;
        en.push_back(d_enc.mk_and(succ.condition, d_enc.mk_not(d_enc.equal(succ.state, from))));
        tk.push_back(d_enc.mk_and(succ.condition, d_enc.equal(s, succ.state)));
      }
      enabled.push_back(d_enc.mk_and(d_checks[j].expanded, d_enc.mk_or(en)));
      taken.push_back(d_enc.mk_and(d_enc.mk_and(d_checks[j].expanded, d_enc.mk_not(stays)), d_enc.mk_or(tk)));
    }
    d_enabled.push_back(std::move(enabled));
    d_taken.push_back(std::move(taken));
  }

  // Position k repeats position l, and the loop l .. k is accepting and fair.
  Term loop_closes(uint64_t l, uint64_t k)
  {
    const auto& ba = d_pa.negation;
    std::vector<Term> parts;
    parts.push_back(d_enc.equal(d_states[k], d_states[l]));
    parts.push_back(d_s.make_term(Op::Equal, d_q[k], d_q[l]));
    for (int set = 0; set < ba.num_acc; ++set)
    {
      std::vector<Term> visits;
      for (uint64_t i = l; i < k; ++i)
        for (int a = 0; a < static_cast<int>(ba.states.size()); ++a)
          if (ba.states[a].acc >> set & 1) visits.push_back(q_is(i, a));
      parts.push_back(d_enc.mk_or(visits));
    }
    for (size_t c = 0; c < d_fair.size(); ++c)
    {
      std::vector<Term> some_enabled, some_taken, some_disabled;
      for (uint64_t i = l; i < k; ++i)
      {
        some_enabled.push_back(d_enabled[i][c]);
        some_taken.push_back(d_taken[i][c]);
        some_disabled.push_back(d_enc.mk_not(d_enabled[i][c]));
      }
      if (d_fair[c].strong)
        parts.push_back(d_enc.mk_or(d_enc.mk_not(d_enc.mk_or(some_enabled)), d_enc.mk_or(some_taken)));
      else
        parts.push_back(d_enc.mk_or(d_enc.mk_or(some_disabled), d_enc.mk_or(some_taken)));
    }
    return d_enc.mk_and(parts);
  }

  // The lasso in the solver's model: states 0 .. k - 1, the last returning
  // to state l. Each step is named by re-running the evaluator (which also
  // confirms it is a step of the spec).
  Trace trace(uint64_t l, uint64_t k)
  {
    std::vector<std::vector<uint64_t>> states;
    for (uint64_t i = 0; i <= k; ++i) states.push_back(d_enc.state_value(d_states[i]));
    Trace t;
    auto name = [&](uint64_t i)
    {
      TraceStep st;
      if (states[i] == states[i + 1])
      {
        st.stutter = true;
        return st;
      }
      auto found = step_between(d_m, states[i].data(), states[i + 1].data());
      if (!found) throw std::logic_error("the solver's lasso has a step the evaluator does not allow");
      return *found;
    };
    for (uint64_t i = 0; i < k; ++i)
    {
      t.states.push_back(states[i]);
      if (i + 1 < k)
        t.steps.push_back(name(i));
      else
        t.loop_step = name(i);
    }
    t.loop = l;
    drop_stutter_steps(t);
    return t;
  }

  const Model& d_m;
  const TemporalProperty& d_p;
  Encoder& d_enc;
  smt::Solver& d_s;
  liveness::PropertyAutomaton d_pa;
  std::vector<liveness::FairnessConstraint> d_fair;
  smt::Sort d_qsort;
  std::vector<StateTerm> d_states;
  std::vector<Term> d_q;
  std::vector<symbolic::StateChecks> d_checks;
  std::vector<symbolic::Step> d_steps;
  std::vector<std::vector<Term>> d_enabled, d_taken;  // per step, per fairness constraint
};

}  // namespace

Verdict check_liveness_bmc(const Model& model, const LassoOptions& options)
{
  auto start = std::chrono::steady_clock::now();
  Verdict v;
  v.kind = VerdictKind::HoldsUpToBound;
  v.bound = options.depth;
  std::vector<std::pair<uint32_t, uint32_t>> widths;
  std::string logic = "QF_BV";
  try
  {
    for (const TemporalProperty& p : model.properties)
    {
      auto solver = symbolic::open_solver(options.solver, options.smt_log);
      Encoder enc(model, *solver, options.arith);
      LassoSearch search(model, p, enc);
      if (search.automaton_empty()) continue;  // the property holds on every behaviour
      std::optional<Trace> found;
      for (uint64_t k = 1; k <= options.depth && !found; ++k) found = search.search(k);
      widths.push_back(enc.arithmetic_widths());
      if (found)
      {
        v.kind = VerdictKind::Violated;
        v.violation = ViolationKind::Liveness;
        v.property = p.name;
        v.span = p.span;
        v.message = "property " + p.name + " is violated: a behaviour" +
                    (model.fairness.empty() ? "" : " that meets every fairness constraint") +
                    " never satisfies it (a lasso: a prefix, then a loop repeated forever)";
        v.trace = std::move(found);
        break;
      }
    }
    logic = symbolic::logic_description(widths, options.arith);
  }
  catch (const symbolic::NotSupported& e)
  {
    v = symbolic::not_supported_verdict("bmc", e.what);
  }
  catch (const smt::SmtError& e)
  {
    v = symbolic::solver_failure_verdict("bmc (liveness)", e.what());
  }
  catch (const std::length_error& e)
  {
    v = symbolic::solver_failure_verdict("bmc (liveness)", e.what());
  }
  v.stats.action_fired.assign(model.actions.size(), 0);
  v.stats.logic = logic;
  v.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

}  // namespace keel
