// The solver-neutral SMT layer (STYLE item 3, after smt-switch): one abstract
// Solver with SMT-LIB-named operations, one folder per back end (z3/, cvc5/),
// capability flags, and thin decorators (LoggingSolver, CrossCheckSolver).
// docs/smt.md describes the design; factory.hpp makes solvers by name.
//
// Sorts and terms are handles into the solver's TermTable (term_table.hpp):
// build them only through the solver that will use them. Errors are
// SmtError (errors.hpp) and say whose fault they are.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "checker/smt/chc.hpp"
#include "checker/smt/errors.hpp"
#include "checker/smt/ops.hpp"
#include "checker/smt/term_table.hpp"
#include "checker/smt/value.hpp"

namespace keel::smt
{

enum class Result : uint8_t
{
  Sat,
  Unsat,
  Unknown,
};
// "sat", "unsat", "unknown": what check-sat prints.
std::string_view to_string(Result r);

// What a back end can do, declared once: X(member, description).
#define KEEL_SMT_CAPABILITIES(X)                                                                                \
  X(incremental, "push/pop and more than one check-sat on one solver")                                          \
  X(unsat_assumptions, "get_unsat_assumptions after an unsat check_sat_assuming (a core over the assumptions)") \
  X(integers, "integer arithmetic: Int, +, -, *, div, mod, <, <=, >, >=")                                       \
  X(bit_vectors, "fixed-width bit-vectors: (_ BitVec w) and the bv operators")                                  \
  X(arrays, "arrays: (Array I E), select, store")                                                               \
  X(chc, "constrained Horn clause solving (Z3's Spacer engine)")

struct Capabilities
{
#define KEEL_SMT_CAP_MEMBER(Name, Doc) bool Name = false;
  KEEL_SMT_CAPABILITIES(KEEL_SMT_CAP_MEMBER)
#undef KEEL_SMT_CAP_MEMBER

  friend bool operator==(const Capabilities&, const Capabilities&) = default;
};

struct CapabilityInfo
{
  const char* name;
  const char* description;
  bool Capabilities::*member;
};

inline constexpr CapabilityInfo kCapabilityTable[] = {
#define KEEL_SMT_CAP_INFO(Name, Doc) {#Name, Doc, &Capabilities::Name},
    KEEL_SMT_CAPABILITIES(KEEL_SMT_CAP_INFO)
#undef KEEL_SMT_CAP_INFO
};

// What both can do (a cross-check or portfolio of two solvers).
Capabilities operator&(const Capabilities& a, const Capabilities& b);
// The names of the flags that are set, space-separated, in table order.
std::string to_string(const Capabilities& caps);

class Solver
{
 public:
  virtual ~Solver() = default;

  // "z3", "cvc5", or a decorator's name around its inner solver's.
  virtual std::string name() const = 0;
  virtual Capabilities capabilities() const = 0;
  // The table that holds this solver's sorts and terms (to inspect and print them).
  virtual const TermTable& terms() const = 0;

  // --- Sorts --------------------------------------------------------------
  virtual Sort make_sort(SortKind kind) = 0;                            // Bool, Int
  virtual Sort make_sort(SortKind kind, uint32_t width) = 0;            // BitVec
  virtual Sort make_sort(SortKind kind, Sort index, Sort element) = 0;  // Array

  // --- Terms --------------------------------------------------------------
  // A constant (SMT-LIB declare-fun with no arguments). Names are global, as
  // with :global-declarations: one name, one constant, whatever the scope.
  virtual Term make_const(std::string_view name, Sort sort) = 0;
  virtual Term make_value(const Value& value) = 0;
  // An integer as a value of `sort`: Int, or a bit-vector if it fits the
  // width (read as signed or unsigned; negative values in two's complement).
  virtual Term make_value(int64_t value, Sort sort) = 0;
  // `op` applied to `args`, with `indices` for the indexed operators
  // (extract [hi, lo], zero_extend [n], sign_extend [n]). Type-checked.
  virtual Term make_term(Op op, std::span<const Term> args, std::span<const uint32_t> indices) = 0;

  // --- Commands -----------------------------------------------------------
  virtual void set_option(std::string_view name, std::string_view value) = 0;
  virtual void assert_formula(Term formula) = 0;
  virtual Result check_sat() = 0;
  virtual Result check_sat_assuming(const std::vector<Term>& assumptions) = 0;
  // After an unsat check_sat_assuming: assumptions that together are unsat.
  virtual std::vector<Term> get_unsat_assumptions() = 0;
  virtual void push(uint32_t levels = 1) = 0;
  virtual void pop(uint32_t levels = 1) = 0;
  virtual uint32_t scope_level() const = 0;
  // After a sat check: the value of a Bool, Int or bit-vector term.
  virtual Value get_value(Term term) = 0;

  // --- Constrained Horn clauses (capability `chc`; chc.hpp) ---------------
  // Solves `system` on its own: the assertion stack is neither used nor
  // changed (a model of an earlier check is discarded). The `timeout` option
  // applies. A Safe answer's interpretations are terms of this solver.
  virtual ChcAnswer solve_chc(const ChcSystem& system) = 0;

  // --- Conveniences (derived classes that override the primitives above
  // bring these back into scope with `using Solver::make_term;` etc.) -------
  Term make_value(bool b) { return make_value(Value::boolean(b)); }
  template <std::integral I>
  requires(!std::same_as<I, bool>) Term make_value(I i)
  {
    if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(int64_t))
      if (i > static_cast<uint64_t>(INT64_MAX)) user_error("integer value " + std::to_string(i) + " exceeds int64");
    return make_value(Value::integer(static_cast<int64_t>(i)));
  }
  Term make_value(const BitVector& bv) { return make_value(Value::bitvector(bv)); }

  Term make_term(Op op, Term a) { return make_term(op, std::span<const Term>(&a, 1), {}); }
  Term make_term(Op op, Term a, Term b)
  {
    const Term args[] = {a, b};
    return make_term(op, args, {});
  }
  Term make_term(Op op, Term a, Term b, Term c)
  {
    const Term args[] = {a, b, c};
    return make_term(op, args, {});
  }
  Term make_term(Op op, const std::vector<Term>& args) { return make_term(op, std::span<const Term>(args), {}); }
  // Indexed: make_term(Op::Extract, {7, 4}, x).
  Term make_term(Op op, std::initializer_list<uint32_t> indices, Term a)
  {
    return make_term(op, std::span<const Term>(&a, 1), std::span<const uint32_t>(indices.begin(), indices.size()));
  }

  Sort sort_of(Term t) const { return terms().sort_of(t); }
  std::string to_smtlib(Term t) const { return terms().to_smtlib(t); }
  std::string to_smtlib(Sort s) const { return terms().to_smtlib(s); }
};

}  // namespace keel::smt
