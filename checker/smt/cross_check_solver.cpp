#include "checker/smt/cross_check_solver.hpp"

#include <algorithm>

#include "checker/smt/term_util.hpp"

namespace keel::smt
{

namespace
{

std::string cross_name(const std::unique_ptr<Solver>& a, const std::unique_ptr<Solver>& b)
{
  if (!a || !b) user_error("CrossCheckSolver needs two solvers");
  return "cross-check(" + a->name() + ", " + b->name() + ")";
}

Capabilities both(const std::unique_ptr<Solver>& a, const std::unique_ptr<Solver>& b)
{
  if (!a || !b) user_error("CrossCheckSolver needs two solvers");
  return a->capabilities() & b->capabilities();
}

}  // namespace

CrossCheckSolver::CrossCheckSolver(std::unique_ptr<Solver> first, std::unique_ptr<Solver> second)
    : SolverBase(cross_name(first, second), both(first, second)), d_first(std::move(first)), d_second(std::move(second))
{
  sync();
}

void CrossCheckSolver::lower_sort(Sort sort, const SortNode& n)
{
  auto build = [&](Solver& s, const std::vector<Sort>& mine)
  {
    switch (n.kind)
    {
      case SortKind::Bool:
      case SortKind::Int:
        return s.make_sort(n.kind);
      case SortKind::BitVec:
        return s.make_sort(n.kind, n.width);
      case SortKind::Array:
        return s.make_sort(n.kind, mine.at(n.index.index()), mine.at(n.element.index()));
    }
    bug("cross-check: unknown sort kind");
  };
  Sort a = build(*d_first, d_first_sorts);
  Sort b = build(*d_second, d_second_sorts);
  d_first_sorts.push_back(a);
  d_second_sorts.push_back(b);
  KEEL_SMT_ASSERT(d_first_sorts.size() == sort.index() + 1, "cross-check: sorts lowered out of order");
}

void CrossCheckSolver::lower_term(Term term, const TermNode& n)
{
  auto build = [&](Solver& s, const std::vector<Sort>& sorts, bool to_first)
  {
    switch (n.kind)
    {
      case TermKind::Const:
        return s.make_const(n.name, sorts.at(n.sort.index()));
      case TermKind::Value:
        return s.make_value(*n.value);
      case TermKind::App:
      {
        std::vector<Term> args = map(n.args, to_first);
        return s.make_term(n.op, args, std::span<const uint32_t>(n.indices.data(), op_info(n.op).num_indices));
      }
    }
    bug("cross-check: unknown term kind");
  };
  // Both built before either is kept, so a failure leaves the two in step.
  Term a = build(*d_first, d_first_sorts, true);
  Term b = build(*d_second, d_second_sorts, false);
  d_first_terms.push_back(a);
  d_second_terms.push_back(b);
  KEEL_SMT_ASSERT(d_first_terms.size() == term.index() + 1, "cross-check: terms lowered out of order");
}

std::vector<Term> CrossCheckSolver::map(std::span<const Term> terms, bool to_first) const
{
  const std::vector<Term>& natives = to_first ? d_first_terms : d_second_terms;
  std::vector<Term> out;
  out.reserve(terms.size());
  for (Term t : terms) out.push_back(natives.at(t.index()));
  return out;
}

void CrossCheckSolver::do_set_option(std::string_view name, std::string_view value)
{
  d_first->set_option(name, value);
  d_second->set_option(name, value);
}

void CrossCheckSolver::do_assert(Term formula)
{
  d_first->assert_formula(d_first_terms.at(formula.index()));
  d_second->assert_formula(d_second_terms.at(formula.index()));
}

Result CrossCheckSolver::reconcile(const char* command, Result a, Result b)
{
  if (a != Result::Unknown && b != Result::Unknown && a != b)
    bug("cross-check: solvers disagree on query " + std::to_string(d_num_queries) + " (" + command +
        "): " + d_first->name() + " says " + std::string(to_string(a)) + ", " + d_second->name() + " says " +
        std::string(to_string(b)));
  d_answer_from_first = a != Result::Unknown || b == Result::Unknown;
  return d_answer_from_first ? a : b;
}

Result CrossCheckSolver::do_check_sat()
{
  ++d_num_queries;
  Result a = d_first->check_sat();
  Result b = d_second->check_sat();
  return reconcile("check-sat", a, b);
}

Result CrossCheckSolver::do_check_sat_assuming(const std::vector<Term>& assumptions)
{
  ++d_num_queries;
  d_assumptions = assumptions;
  Result a = d_first->check_sat_assuming(map(assumptions, true));
  Result b = d_second->check_sat_assuming(map(assumptions, false));
  return reconcile("check-sat-assuming", a, b);
}

std::vector<Term> CrossCheckSolver::do_get_unsat_assumptions()
{
  const std::vector<Term>& natives = d_answer_from_first ? d_first_terms : d_second_terms;
  Solver& s = d_answer_from_first ? *d_first : *d_second;
  std::vector<Term> out;
  for (Term c : s.get_unsat_assumptions())
  {
    auto it =
        std::find_if(d_assumptions.begin(), d_assumptions.end(), [&](Term a) { return natives.at(a.index()) == c; });
    KEEL_SMT_ASSERT(it != d_assumptions.end(), "cross-check: " + s.name() + " reported a non-assumption");
    out.push_back(*it);
  }
  return out;
}

void CrossCheckSolver::do_push(uint32_t levels)
{
  d_first->push(levels);
  d_second->push(levels);
}

void CrossCheckSolver::do_pop(uint32_t levels)
{
  d_first->pop(levels);
  d_second->pop(levels);
}

Value CrossCheckSolver::do_get_value(Term term)
{
  // Models may differ and both be right; report the one that answered.
  if (d_answer_from_first) return d_first->get_value(d_first_terms.at(term.index()));
  return d_second->get_value(d_second_terms.at(term.index()));
}

ChcAnswer CrossCheckSolver::do_solve_chc(const ChcSystem& system)
{
  auto lowered = [&](bool to_first)
  {
    ChcSystem out;
    for (const Relation& r : system.relations()) out.add_relation(r.name, map(r.formals, to_first));
    auto app = [&](const RelationApp& a) { return RelationApp{a.relation, map(a.args, to_first)}; };
    for (const HornClause& c : system.clauses())
    {
      HornClause d;
      for (const RelationApp& a : c.body) d.body.push_back(app(a));
      if (c.constraint) d.constraint = (to_first ? d_first_terms : d_second_terms).at(c.constraint.index());
      if (c.head) d.head = app(*c.head);
      d.name = c.name;
      out.add_clause(std::move(d));
    }
    return out;
  };
  ++d_num_queries;
  ChcAnswer a = d_first->solve_chc(lowered(true));
  ChcAnswer b = d_second->solve_chc(lowered(false));
  if (a.result != ChcResult::Unknown && b.result != ChcResult::Unknown && a.result != b.result)
    bug("cross-check: solvers disagree on query " + std::to_string(d_num_queries) +
        " (Horn clauses): " + d_first->name() + " says " + std::string(to_string(a.result)) + ", " + d_second->name() +
        " says " + std::string(to_string(b.result)));
  bool from_first = a.result != ChcResult::Unknown || b.result == ChcResult::Unknown;
  ChcAnswer out = from_first ? std::move(a) : std::move(b);
  TermCopier back((from_first ? *d_first : *d_second).terms(), *this);
  for (Term& t : out.interpretations) t = back(t);
  return out;
}

}  // namespace keel::smt
