// PDR (IC3) proofs through Z3's Spacer: the Model as constrained Horn
// clauses over one invariant relation Inv, with one argument per scalar
// piece of the state (a variable, an array slot, a record field, a set
// member bit, ...), so that the invariant Spacer finds reads as a formula
// over the spec's own names:
//
//   Inv(v)  <- Init(v)
//   Inv(v') <- Inv(v) & expanded(v) & Step(v, v')
//   false   <- Inv(v) & Bad(v)        (an invariant or lemma false, an action
//                                      failing, a deadlock when checked)
//   false   <- InitFailure            (a failure while computing the initial states)
//
// Safe: Spacer's invariant is checked with a plain solver (implied by the
// initial states, inductive, excluding every bad state) before the verdict
// Holds is given, and printed in Keel's syntax. Unsafe: the counterexample
// is found again by bmc (a shortest trace, confirmed by the evaluator),
// never taken from Spacer's derivation. docs/engines.md describes it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/symbolic/encoder.hpp"
#include "checker/trace.hpp"
#include "spec/model.hpp"

namespace keel
{

struct PdrOptions
{
  // "z3" (Spacer, and the invariant checked by z3), or "both" (Spacer on z3,
  // the invariant checked by z3 and cvc5 in lock-step, and the
  // counterexample search cross-checked). cvc5 alone has no CHC engine.
  std::string solver = "z3";
  bool check_deadlock = true;
  uint64_t timeout_ms = 0;  // Spacer's time limit (0: none)
  // When Spacer finds a bad state reachable: the longest counterexample bmc
  // looks for if Spacer does not say how long its derivation is.
  uint64_t cex_depth = 100;
  // Lia: the relation's arguments are Int and Bool pieces (the model must be
  // linear); the counterexample search (bmc) uses the same encoding.
  symbolic::Arith arith = symbolic::Arith::Bv;
  // The Horn clauses and the invariant checks here, as SMT-LIB 2 (z3 FILE
  // replays them); the counterexample search's commands in smt_log + ".bmc".
  std::string smt_log;
};

// The inductive invariant in Keel's syntax: one Keel expression per
// conjunct, over the spec's variables. A conjunct that only an encoding
// detail can state (e.g. the unused slots of a sequence) is kept apart, in
// SMT-LIB over the pieces' names, and the printed conjunction is then
// weaker than the proved invariant (and need not be inductive alone).
struct PdrInvariant
{
  std::vector<std::string> conjuncts;
  std::vector<std::string> unexpressed;
  std::string smtlib;               // the whole invariant as Spacer gave it, over the pieces
  std::vector<std::string> pieces;  // the relation's arguments, by name (e.g. x, a[2], r.f, 3 in s)
};

// Holds (proved: the invariant is in *invariant when given), Violated with a
// shortest trace (found by bmc after Spacer found the state reachable), or
// Error: Spacer's unknown or timeout, a solver without the chc capability,
// an invariant that does not pass the checks, an unconfirmed violation, or
// "not supported yet by the pdr engine: ..." for what the encoding lacks.
Verdict check_pdr(const Model& model, const PdrOptions& options, PdrInvariant* invariant = nullptr);

}  // namespace keel
