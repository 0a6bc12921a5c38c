#include "checker/smt/solver_base.hpp"

#include <exception>

namespace keel::smt
{

SolverBase::SolverBase(std::string name, Capabilities capabilities)
    : d_name(std::move(name)), d_capabilities(capabilities)
{
}

template <typename F>
auto SolverBase::guarded(const char* what, F&& f) -> decltype(f())
{
  try
  {
    return f();
  }
  catch (const SmtError&)
  {
    throw;
  }
  catch (const std::exception& e)
  {
    // Arguments were checked above, so a back end that rejects them is a bug
    // here or there.
    bug(d_name + " failed in " + what + ": " + e.what());
  }
}

void SolverBase::sync()
{
  guarded("lowering a sort",
          [&]
          {
            for (; d_lowered_sorts < d_table.num_sorts(); ++d_lowered_sorts)
            {
              Sort s(d_table.serial(), d_lowered_sorts);
              lower_sort(s, d_table.node(s));
            }
          });
  try
  {
    guarded("lowering a term",
            [&]
            {
              for (; d_lowered_terms < d_table.num_terms(); ++d_lowered_terms)
              {
                Term t(d_table.serial(), d_lowered_terms);
                lower_term(t, d_table.node(t));
              }
            });
  }
  catch (...)
  {
    // Forget the terms the back end has not got, so the table and the back
    // end stay in step.
    while (d_table.num_terms() > d_lowered_terms) d_table.discard_last_term();
    throw;
  }
}

void SolverBase::require(SortKind kind) const
{
  switch (kind)
  {
    case SortKind::Bool:
      return;
    case SortKind::Int:
      require(d_capabilities.integers, "integers");
      return;
    case SortKind::BitVec:
      require(d_capabilities.bit_vectors, "bit_vectors");
      return;
    case SortKind::Array:
      require(d_capabilities.arrays, "arrays");
      return;
  }
}

void SolverBase::require(bool capability, const char* name) const
{
  if (!capability) unsupported(d_name + " lacks capability " + name);
}

Sort SolverBase::make_sort(SortKind kind)
{
  require(kind);
  Sort s = d_table.make_sort(kind);
  sync();
  return s;
}

Sort SolverBase::make_sort(SortKind kind, uint32_t width)
{
  require(kind);
  Sort s = d_table.make_sort(kind, width);
  sync();
  return s;
}

Sort SolverBase::make_sort(SortKind kind, Sort index, Sort element)
{
  require(kind);
  Sort s = d_table.make_sort(kind, index, element);
  sync();
  return s;
}

Term SolverBase::make_const(std::string_view name, Sort sort)
{
  Term t = d_table.make_const(name, sort);
  sync();
  return t;
}

Term SolverBase::make_value(const Value& value)
{
  if (value.is_int()) require(SortKind::Int);
  if (value.is_bitvector()) require(SortKind::BitVec);
  Term t = d_table.make_value(value);
  sync();
  return t;
}

Term SolverBase::make_value(int64_t value, Sort sort)
{
  Term t = d_table.make_value(value, sort);
  sync();
  return t;
}

Term SolverBase::make_term(Op op, std::span<const Term> args, std::span<const uint32_t> indices)
{
  switch (op_info(op).rule)
  {
    case TypeRule::IntArith:
    case TypeRule::IntCompare:
      require(SortKind::Int);
      break;
    case TypeRule::BvArith:
    case TypeRule::BvCompare:
    case TypeRule::Concat:
    case TypeRule::Extract:
    case TypeRule::Extend:
      require(SortKind::BitVec);
      break;
    case TypeRule::Select:
    case TypeRule::Store:
      require(SortKind::Array);
      break;
    case TypeRule::Bool:
    case TypeRule::Ite:
    case TypeRule::SameSort:
      break;
  }
  Term t = d_table.make_term(op, args, indices);
  sync();
  return t;
}

void SolverBase::set_option(std::string_view name, std::string_view value)
{
  if (name.empty()) user_error("set_option needs an option name");
  guarded("set_option", [&] { do_set_option(name, value); });
}

void SolverBase::assert_formula(Term formula)
{
  if (d_table.kind(d_table.sort_of(formula)) != SortKind::Bool)
    user_error("assert_formula needs a Bool term, got one of sort " + d_table.to_smtlib(d_table.sort_of(formula)));
  if (!d_capabilities.incremental && d_num_checks > 0)
    unsupported(d_name + " is not incremental: no assertions after check_sat");
  d_last = LastCheck::None;
  guarded("assert_formula", [&] { do_assert(formula); });
}

Result SolverBase::record(Result r, bool assuming)
{
  ++d_num_checks;
  d_last = r == Result::Sat ? LastCheck::Sat : r == Result::Unsat ? LastCheck::Unsat : LastCheck::Unknown;
  d_last_assuming = assuming;
  return r;
}

Result SolverBase::check_sat()
{
  if (!d_capabilities.incremental && d_num_checks > 0)
    unsupported(d_name + " is not incremental: one check_sat per solver");
  d_last = LastCheck::None;
  d_last_assumptions.clear();
  return record(guarded("check_sat", [&] { return do_check_sat(); }), false);
}

Result SolverBase::check_sat_assuming(const std::vector<Term>& assumptions)
{
  if (!d_capabilities.incremental && d_num_checks > 0)
    unsupported(d_name + " is not incremental: one check_sat per solver");
  for (size_t i = 0; i < assumptions.size(); ++i)
    if (d_table.kind(d_table.sort_of(assumptions[i])) != SortKind::Bool)
      user_error("check_sat_assuming: assumption " + std::to_string(i + 1) + " has sort " +
                 d_table.to_smtlib(d_table.sort_of(assumptions[i])) + ", expected Bool");
  d_last = LastCheck::None;
  d_last_assumptions = assumptions;
  return record(guarded("check_sat_assuming", [&] { return do_check_sat_assuming(assumptions); }), true);
}

std::vector<Term> SolverBase::get_unsat_assumptions()
{
  if (!d_capabilities.unsat_assumptions) unsupported(d_name + " does not report unsat assumptions");
  if (d_last != LastCheck::Unsat || !d_last_assuming)
    user_error("get_unsat_assumptions needs an unsat check_sat_assuming just before (no assert, push or pop since)");
  std::vector<Term> core = guarded("get_unsat_assumptions", [&] { return do_get_unsat_assumptions(); });
  for (Term t : core)
  {
    bool found = false;
    for (Term a : d_last_assumptions) found = found || a == t;
    KEEL_SMT_ASSERT(found, d_name + " reported an unsat assumption that was not assumed: " + d_table.to_smtlib(t));
  }
  return core;
}

void SolverBase::push(uint32_t levels)
{
  if (!d_capabilities.incremental) unsupported(d_name + " is not incremental: no push");
  d_last = LastCheck::None;
  if (levels == 0) return;
  guarded("push", [&] { do_push(levels); });
  d_scope_level += levels;
}

void SolverBase::pop(uint32_t levels)
{
  if (!d_capabilities.incremental) unsupported(d_name + " is not incremental: no pop");
  if (levels > d_scope_level)
    user_error("pop " + std::to_string(levels) + " at scope level " + std::to_string(d_scope_level));
  d_last = LastCheck::None;
  if (levels == 0) return;
  guarded("pop", [&] { do_pop(levels); });
  d_scope_level -= levels;
}

Value SolverBase::get_value(Term term)
{
  const SortNode& sort = d_table.node(d_table.sort_of(term));
  if (d_last != LastCheck::Sat) user_error("get_value needs a sat check just before (no assert, push or pop since)");
  if (sort.kind == SortKind::Array) unsupported("get_value of an array term (" + d_table.to_smtlib(term) + ")");
  Value v = guarded("get_value", [&] { return do_get_value(term); });
  bool kind_ok = (sort.kind == SortKind::Bool && v.is_bool()) || (sort.kind == SortKind::Int && v.is_int()) ||
                 (sort.kind == SortKind::BitVec && v.is_bitvector() && v.as_bitvector().width() == sort.width);
  KEEL_SMT_ASSERT(kind_ok, d_name + " returned value " + v.to_smtlib() + " for a term of sort " +
                               d_table.to_smtlib(d_table.sort_of(term)));
  return v;
}

ChcAnswer SolverBase::solve_chc(const ChcSystem& system)
{
  require(d_capabilities.chc, "chc");
  system.check(d_table);
  d_last = LastCheck::None;
  ChcAnswer answer = guarded("solve_chc", [&] { return do_solve_chc(system); });
  if (answer.result == ChcResult::Safe)
  {
    KEEL_SMT_ASSERT(answer.interpretations.size() == system.relations().size(),
                    d_name + " answered safe without an interpretation of every relation");
    for (Term t : answer.interpretations)
      KEEL_SMT_ASSERT(d_table.kind(d_table.sort_of(t)) == SortKind::Bool,
                      d_name + " interpreted a relation by a non-Boolean term");
  }
  for (size_t c : answer.derivation)
    KEEL_SMT_ASSERT(c < system.clauses().size(), d_name + " named a clause that is not in the system");
  return answer;
}

ChcAnswer SolverBase::do_solve_chc(const ChcSystem&)
{
  unsupported(d_name + " has no Horn clause engine");
}

}  // namespace keel::smt
