// The executions from the initial states, unrolled one action at a time in
// one incremental solver: the bmc engine, and the base case of k-induction.
// Lengths are searched in increasing order, so the first counterexample is
// a shortest one; it is returned confirmed by the evaluator (confirm.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/symbolic/encoder.hpp"
#include "checker/trace.hpp"

namespace keel::symbolic
{

// A solver by name: "z3", "cvc5", or "both" (the two cross-checked); with
// `smt_log` not empty, every command is also written there as SMT-LIB 2.
std::unique_ptr<smt::Solver> open_solver(const std::string& name, const std::string& smt_log);

class Unrolling
{
 public:
  // `engine` names the engine in error messages. The encoder's solver is
  // used for this unrolling only (its assertions accumulate).
  Unrolling(Encoder& enc, bool check_deadlock, std::string engine);

  // Looks for a counterexample of exactly `length` actions: for length 0 a
  // failure in the initial states, an invariant violation or a deadlock in an
  // initial state; for length k > 0 a failure while running the k-th action,
  // or an invariant violation or deadlock in the state after k actions.
  // Lengths must be searched as 0, 1, 2, ... (each once).
  std::optional<Verdict> search(uint64_t length);

  // The longest length searched so far.
  uint64_t searched() const { return d_length; }

 private:
  bool query(smt::Term bad);
  Trace trace_to(uint64_t k);

  Encoder& d_enc;
  smt::Solver& d_s;
  bool d_check_deadlock;
  std::string d_engine;
  uint64_t d_length = 0;
  bool d_started = false;
  std::vector<StateTerm> d_states;
  std::vector<StateChecks> d_checks;
  std::vector<std::optional<Step>> d_steps;
};

}  // namespace keel::symbolic
