// SolverBase: what every back end shares. It owns the TermTable, so sorts and
// terms are built, deduplicated and type-checked here once for all back ends;
// a back end only lowers each new node (in creation order, exactly once) and
// runs the commands. SolverBase also keeps the SMT-LIB command discipline the
// same on every back end: get_value only after sat, get_unsat_assumptions
// only after an unsat check_sat_assuming, no pop below level 0, push/pop only
// when incremental, and it turns a back end's own exceptions into SmtError.
//
// To add a back end, derive from SolverBase and implement the hooks below
// (see z3/z3_solver.cpp and docs/smt.md).
#pragma once

#include <string>
#include <vector>

#include "checker/smt/solver.hpp"

namespace keel::smt
{

class SolverBase : public Solver
{
 public:
  using Solver::make_term;
  using Solver::make_value;

  std::string name() const override { return d_name; }
  Capabilities capabilities() const override { return d_capabilities; }
  const TermTable& terms() const override { return d_table; }

  Sort make_sort(SortKind kind) override;
  Sort make_sort(SortKind kind, uint32_t width) override;
  Sort make_sort(SortKind kind, Sort index, Sort element) override;
  Term make_const(std::string_view name, Sort sort) override;
  Term make_value(const Value& value) override;
  Term make_value(int64_t value, Sort sort) override;
  Term make_term(Op op, std::span<const Term> args, std::span<const uint32_t> indices) override;

  void set_option(std::string_view name, std::string_view value) override;
  void assert_formula(Term formula) override;
  Result check_sat() override;
  Result check_sat_assuming(const std::vector<Term>& assumptions) override;
  std::vector<Term> get_unsat_assumptions() override;
  void push(uint32_t levels = 1) override;
  void pop(uint32_t levels = 1) override;
  uint32_t scope_level() const override { return d_scope_level; }
  Value get_value(Term term) override;
  ChcAnswer solve_chc(const ChcSystem& system) override;

 protected:
  SolverBase(std::string name, Capabilities capabilities);

  // Lowering: called once per new sort and term, in creation order, so a
  // back end can keep its native objects in a vector indexed by
  // Sort::index() / Term::index(). Arguments are always lowered first.
  virtual void lower_sort(Sort sort, const SortNode& node) = 0;
  virtual void lower_term(Term term, const TermNode& node) = 0;

  // Commands, called after SolverBase has checked the arguments and state.
  virtual void do_set_option(std::string_view name, std::string_view value) = 0;
  virtual void do_assert(Term formula) = 0;
  virtual Result do_check_sat() = 0;
  virtual Result do_check_sat_assuming(const std::vector<Term>& assumptions) = 0;
  // A subset of the assumptions of the last do_check_sat_assuming.
  virtual std::vector<Term> do_get_unsat_assumptions() = 0;
  virtual void do_push(uint32_t levels) = 0;
  virtual void do_pop(uint32_t levels) = 0;
  // The term's sort is Bool, Int or BitVec; return a value of that kind.
  virtual Value do_get_value(Term term) = 0;
  // Only for back ends with the chc capability; the system is checked.
  virtual ChcAnswer do_solve_chc(const ChcSystem& system);

  const TermTable& table() const { return d_table; }
  // Lowers the sorts and terms the table has gained since the last call. A
  // back end calls it at the end of its constructor (the table starts with
  // Bool); SolverBase calls it after every make_*.
  void sync();

 private:
  enum class LastCheck : uint8_t
  {
    None,  // no check since the last assert, push, pop or set_option
    Sat,
    Unsat,
    Unknown,
  };

  // Runs a back-end hook, turning its own exceptions into SmtError(Bug).
  template <typename F>
  auto guarded(const char* what, F&& f) -> decltype(f());
  Result record(Result r, bool assuming);
  // "not supported" unless the solver has the capability.
  void require(SortKind kind) const;
  void require(bool capability, const char* name) const;

  std::string d_name;
  Capabilities d_capabilities;
  TermTable d_table;
  uint32_t d_lowered_sorts = 0;
  uint32_t d_lowered_terms = 0;
  uint32_t d_scope_level = 0;
  uint64_t d_num_checks = 0;
  LastCheck d_last = LastCheck::None;
  bool d_last_assuming = false;
  std::vector<Term> d_last_assumptions;
};

}  // namespace keel::smt
