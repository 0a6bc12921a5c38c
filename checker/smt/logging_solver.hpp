// LoggingSolver: a decorator that forwards every call to another Solver and
// writes each command as SMT-LIB 2, so the log replays in the solvers' own
// binaries:
//
//     z3 FILE.smt2
//     cvc5 --incremental FILE.smt2
//
// (cvc5 1.0 refuses a second check-sat or a push unless incremental, and no
// (set-option ...) for that is accepted by both, so the flag goes on its
// command line.) After each check-sat the log records the answer as a
// comment (`; sat`), and after each get-value the value, so a log is also the
// expected output of its replay.
//
// Terms are the inner solver's own handles: the logger adds no table of its
// own, and prints terms with the inner table's printer (let-bound sharing).
#pragma once

#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "checker/smt/solver.hpp"

namespace keel::smt
{

class LoggingSolver final : public Solver
{
 public:
  using Solver::make_term;
  using Solver::make_value;

  // Logs to `out`, which must outlive this solver.
  LoggingSolver(std::unique_ptr<Solver> inner, std::ostream& out);
  // Logs to the file at `path` (created or truncated); an error if it cannot be written.
  LoggingSolver(std::unique_ptr<Solver> inner, const std::string& path);

  Solver& inner() { return *d_inner; }

  std::string name() const override { return "log(" + d_inner->name() + ")"; }
  Capabilities capabilities() const override { return d_inner->capabilities(); }
  const TermTable& terms() const override { return d_inner->terms(); }

  Sort make_sort(SortKind kind) override { return d_inner->make_sort(kind); }
  Sort make_sort(SortKind kind, uint32_t width) override { return d_inner->make_sort(kind, width); }
  Sort make_sort(SortKind kind, Sort index, Sort element) override { return d_inner->make_sort(kind, index, element); }
  Term make_const(std::string_view name, Sort sort) override;
  Term make_value(const Value& value) override { return d_inner->make_value(value); }
  Term make_value(int64_t value, Sort sort) override { return d_inner->make_value(value, sort); }
  Term make_term(Op op, std::span<const Term> args, std::span<const uint32_t> indices) override
  {
    return d_inner->make_term(op, args, indices);
  }

  void set_option(std::string_view name, std::string_view value) override;
  void assert_formula(Term formula) override;
  Result check_sat() override;
  Result check_sat_assuming(const std::vector<Term>& assumptions) override;
  std::vector<Term> get_unsat_assumptions() override;
  void push(uint32_t levels = 1) override;
  void pop(uint32_t levels = 1) override;
  uint32_t scope_level() const override { return d_inner->scope_level(); }
  Value get_value(Term term) override;
  // Written between (push 1) and (pop 1) as a HORN problem: declare-fun per
  // relation, one (assert (forall ...)) per clause, and
  // (check-sat-using (using-params horn :fp.engine spacer)), which z3 answers
  // with `sat` for Safe and `unsat` for Unsafe. The block is the CHC-COMP
  // format but for that line (chc.hpp: chc_to_smtlib writes it stand-alone).
  ChcAnswer solve_chc(const ChcSystem& system) override;

 private:
  void start();
  void write(const std::string& text);
  void declare(Term t);
  template <typename F>
  Result logged_check(const std::string& command, F&& check);

  std::unique_ptr<Solver> d_inner;
  std::unique_ptr<std::ofstream> d_file;
  std::ostream* d_out;
  std::unordered_set<Term> d_declared;
  std::unordered_map<std::string, std::string> d_relations;  // declared relation -> its declaration
  uint64_t d_num_queries = 0;
};

}  // namespace keel::smt
