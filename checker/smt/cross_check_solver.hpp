// CrossCheckSolver: a decorator that runs two solvers in lock-step, every
// sort, term and command sent to both, and raises SmtError(Bug) naming the
// query when one says sat and the other unsat. "unknown" disagrees with
// nothing: the known answer is returned, and models and unsat assumptions
// come from the solver that gave it. Meant for tests and for a --cross-check
// debugging mode of the symbolic engines.
//
// It keeps its own TermTable (its terms are pairs of inner terms), so the two
// inner solvers may be anything: back ends, LoggingSolvers, fakes.
#pragma once

#include <memory>

#include "checker/smt/solver_base.hpp"

namespace keel::smt
{

class CrossCheckSolver final : public SolverBase
{
 public:
  CrossCheckSolver(std::unique_ptr<Solver> first, std::unique_ptr<Solver> second);

  Solver& first() { return *d_first; }
  Solver& second() { return *d_second; }
  // check_sat and check_sat_assuming calls so far; errors name the query by this count.
  uint64_t num_queries() const { return d_num_queries; }

 protected:
  void lower_sort(Sort sort, const SortNode& node) override;
  void lower_term(Term term, const TermNode& node) override;
  void do_set_option(std::string_view name, std::string_view value) override;
  void do_assert(Term formula) override;
  Result do_check_sat() override;
  Result do_check_sat_assuming(const std::vector<Term>& assumptions) override;
  std::vector<Term> do_get_unsat_assumptions() override;
  void do_push(uint32_t levels) override;
  void do_pop(uint32_t levels) override;
  Value do_get_value(Term term) override;
  // Both solve the system; Safe against Unsafe is a disagreement. The answer
  // (and its interpretations, copied into this solver) is the known one's.
  ChcAnswer do_solve_chc(const ChcSystem& system) override;

 private:
  Result reconcile(const char* command, Result a, Result b);
  std::vector<Term> map(std::span<const Term> terms, bool to_first) const;

  std::unique_ptr<Solver> d_first;
  std::unique_ptr<Solver> d_second;
  std::vector<Sort> d_first_sorts, d_second_sorts;  // by Sort::index()
  std::vector<Term> d_first_terms, d_second_terms;  // by Term::index()
  std::vector<Term> d_assumptions;
  uint64_t d_num_queries = 0;
  bool d_answer_from_first = true;  // whose model / core to report
};

}  // namespace keel::smt
