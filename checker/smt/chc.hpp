// Constrained Horn clauses (CHC), solver-neutral: relations (uninterpreted
// predicates), clauses `body relations ∧ constraint → head` (or → false), and
// an answer that says whether the clauses are satisfiable: Safe (they are:
// here is an interpretation of every relation, e.g. an inductive invariant),
// Unsafe (they are not: false is derivable, e.g. a bad state is reachable),
// or Unknown. Solver::solve_chc runs it (capability `chc`: Z3's Spacer);
// docs/smt.md describes the shape and the log format.
//
// Relations and clauses are made of the solver's own terms. A relation names
// its parameters with constants of the table (its `formals`), and an answer
// interprets it as a formula over exactly these constants. In a clause every
// constant is one of the clause's variables, universally quantified (a CHC
// problem has no free constants).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/smt/term_table.hpp"
#include "checker/smt/value.hpp"

namespace keel::smt
{

using RelationId = uint32_t;

struct Relation
{
  std::string name;
  std::vector<Term> formals;  // distinct constants; their sorts are the parameter sorts
};

struct RelationApp
{
  RelationId relation = 0;
  std::vector<Term> args;  // one per formal, of its sort
};

// body[0] ∧ ... ∧ constraint → head; no head: → false (a query).
struct HornClause
{
  std::vector<RelationApp> body;
  Term constraint;  // Bool; the null term means true
  std::optional<RelationApp> head;
  std::string name;  // optional; shown in logs
};

class ChcSystem
{
 public:
  RelationId add_relation(std::string name, std::vector<Term> formals);
  size_t add_clause(HornClause clause);

  const std::vector<Relation>& relations() const { return d_relations; }
  const Relation& relation(RelationId r) const { return d_relations.at(r); }
  const std::vector<HornClause>& clauses() const { return d_clauses; }

  // Throws a user error unless the system is well formed in `table`: terms of
  // this table, formals distinct constants, arguments of the formals' sorts,
  // Bool constraints, relation names distinct and not those of constants.
  void check(const TermTable& table) const;

 private:
  std::vector<Relation> d_relations;
  std::vector<HornClause> d_clauses;
};

enum class ChcResult : uint8_t
{
  Safe,     // satisfiable: an interpretation of the relations models every clause
  Unsafe,   // unsatisfiable: false is derivable
  Unknown,  // gave up (time limit, incompleteness)
};
// "safe", "unsafe", "unknown".
std::string_view to_string(ChcResult r);

// A ground instance of a relation, derived on the way to false.
struct GroundFact
{
  RelationId relation = 0;
  std::vector<Value> args;
};

struct ChcAnswer
{
  ChcResult result = ChcResult::Unknown;
  // Safe: one formula per relation (by RelationId) over that relation's formals.
  std::vector<Term> interpretations;
  // Unsafe, as far as the back end tells: the clauses of a derivation of
  // false (indices into clauses(), from a fact to the query), and the facts
  // it derives in that order. A hint, not a certificate: callers re-derive
  // the counterexample themselves.
  std::vector<size_t> derivation;
  std::vector<GroundFact> facts;
  // Unknown: the back end's reason.
  std::string reason;
};

// The clause's variables: the constants in its body, constraint and head, in
// order of first occurrence.
std::vector<Term> clause_variables(const TermTable& table, const HornClause& clause);

// The clause as one closed SMT-LIB formula: (forall (vars) (=> body head)),
// or the implication alone when it has no variables.
std::string clause_to_smtlib(const TermTable& table, const ChcSystem& system, const HornClause& clause);

// A complete SMT-LIB 2 script in the HORN logic (the CHC-COMP format):
// declare-fun per relation, one assert per clause, (check-sat). Note that in
// HORN `sat` means Safe and `unsat` Unsafe.
std::string chc_to_smtlib(const TermTable& table, const ChcSystem& system);

}  // namespace keel::smt
