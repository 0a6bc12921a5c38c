// Bounded model checking: the Model unrolled into SMT bit-vector formulas
// through the solver-neutral layer (checker/smt/), one depth at a time, so
// the first counterexample found is a shortest one. States are bit-vectors in
// the explicit engine's encoding (spec/types.hpp), so a model of the formula
// decodes straight into a Trace that every printer understands; the trace's
// steps, and the violation it ends in, are then confirmed by re-running the
// reference evaluator (checker/eval) along it. docs/engines.md says what a
// "holds up to depth K" verdict means.
#pragma once

#include <cstdint>
#include <string>

#include "checker/symbolic/encoder.hpp"
#include "checker/trace.hpp"
#include "spec/model.hpp"

namespace keel
{

struct BmcOptions
{
  std::string solver = "z3";  // "z3", "cvc5", or "both" (CrossCheckSolver)
  uint64_t depth = 10;        // the longest counterexample looked for (actions)
  bool check_deadlock = true;
  std::string smt_log;                          // write every solver command as SMT-LIB 2 here
  symbolic::Arith arith = symbolic::Arith::Bv;  // Lia: the model must be linear
};

// Violated with a shortest trace of at most `depth` actions, HoldsUpToBound
// (bound = depth) when there is none, or Error, e.g. "not supported yet by
// the bmc engine: ..." for a construct the encoding does not cover.
Verdict check_bmc(const Model& model, const BmcOptions& options);

}  // namespace keel
