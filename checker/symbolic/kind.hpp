// k-induction: proves that every reachable state is good, for all depths.
// A state is good when every invariant and lemma holds in it (and can be
// evaluated), no action fails while running from it, and (with deadlock
// checking) it is not a deadlock. For k = 1, 2, ... up to `depth`:
//   base case  bmc: no counterexample of at most k actions (unrolling.hpp);
//   step case  no k pairwise distinct good states, each a successor of the
//              one before, have a successor that is bad.
// Both hold at some k: every reachable state is good (a proof). The step case
// only fails at every k: "not inductive", and its last witness (k good states
// and a bad one, none of them necessarily reachable) is a counterexample to
// induction, not a bug; a lemma that rules its first state out may make the
// property inductive. docs/engines.md says more.
#pragma once

#include <cstdint>
#include <string>

#include "checker/symbolic/encoder.hpp"
#include "checker/trace.hpp"
#include "spec/model.hpp"

namespace keel
{

struct KindOptions
{
  std::string solver = "z3";  // "z3", "cvc5", or "both" (CrossCheckSolver)
  uint64_t depth = 10;        // the largest k tried (at least 1)
  bool check_deadlock = true;
  std::string smt_log;  // the base case's solver commands here, the step case's in smt_log + ".step"
  symbolic::Arith arith = symbolic::Arith::Bv;  // Lia: the model must be linear
};

// Holds (proved; Verdict::induction_k says at which k), Violated with a
// shortest trace (found by the base case), NotInductive (the step case fails
// at k = depth; the trace is the counterexample to induction, its states[0]
// not an initial state; Verdict::bound = depth: the base case found no
// counterexample of at most `depth` actions either), or Error.
Verdict check_kind(const Model& model, const KindOptions& options);

}  // namespace keel
