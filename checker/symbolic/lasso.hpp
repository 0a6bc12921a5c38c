// Lasso-shaped bounded model checking of temporal properties: the symbolic
// counterpart of checker/liveness/liveness_check.hpp on the shared encoding
// (encoder.hpp). For k = 1, 2, ..., depth it asks the solver for states
// s0 .. sk and automaton states q0 .. qk such that s0 is initial, each step is
// an action or a stutter, the automaton of the property's negation reads the
// states, and (sk, qk) equals some earlier (sl, ql) with the loop l .. k
// visiting every acceptance set and meeting every fairness constraint (an
// explicit loop constraint, as in Biere et al.'s bounded LTL checking). A
// model is a lasso counterexample, confirmed by replaying its steps with the
// evaluator. Finding none up to the depth is the bounded verdict "holds up to
// depth K": a longer lasso may exist (this engine does not prove liveness).
#pragma once

#include <cstdint>
#include <string>

#include "checker/symbolic/encoder.hpp"
#include "checker/trace.hpp"
#include "spec/model.hpp"

namespace keel
{

struct LassoOptions
{
  std::string solver = "z3";  // "z3", "cvc5", or "both"
  uint64_t depth = 10;        // the most positions of a lasso (prefix + loop steps, stuttering included)
  std::string smt_log;
  symbolic::Arith arith = symbolic::Arith::Bv;  // Lia: the model must be linear
};

// Violated (ViolationKind::Liveness) with a lasso for the first property
// that has one within the depth; HoldsUpToBound when none does; Error for a
// construct the encoding does not cover. Safety is not checked here.
Verdict check_liveness_bmc(const Model& model, const LassoOptions& options);

}  // namespace keel
