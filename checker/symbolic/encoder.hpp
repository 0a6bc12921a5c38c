// The Model as SMT bit-vector formulas, through the solver-neutral layer
// (checker/smt/): the one encoding that the symbolic engines (bmc,
// k-induction, pdr) share. A state is one bit-vector of Model::state_bits
// bits in the explicit engine's encoding (spec/types.hpp), so a model of a
// formula decodes straight into explicit states. docs/engines.md describes
// the encoding.
//
// The encoder builds terms only; it never asserts or checks anything, so an
// engine decides what goes into which solver scope.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "checker/smt/solver.hpp"
#include "spec/model.hpp"

namespace keel::symbolic
{

// A construct the encoding does not cover (yet). Engines answer it as the
// verdict error "not supported yet by the <engine> engine: <what>".
struct NotSupported
{
  std::string what;
};

// A state: a bit-vector term of Model::state_bits bits. A model without
// state bits (width 0) has no term: all its states are equal.
struct StateTerm
{
  smt::Term term;
  uint32_t width = 0;
};

// One symbolic way of running an action (or the initial-state block): under
// `condition` (a Bool term over the source state), the result is `state`.
struct Successor
{
  smt::Term condition;
  StateTerm state;
  int action = -1;        // the action (index into Model::actions); -1 for the initializers
  uint64_t self = kNone;  // for a process action: the index of `self` in its identity type
};

// Everything one step from a state can do.
struct Step
{
  std::vector<Successor> successors;  // every action, every parameter binding, every path
  smt::Term failure;                  // some action fails while running (range, capacity, assert, ...)
  smt::Term enabled;                  // some action runs (to a successor or to a failure): no deadlock
};

// What is true of a single state.
struct StateChecks
{
  smt::Term bad;       // an invariant (or lemma) is false, or an invariant or constraint cannot be evaluated
  smt::Term expanded;  // every constraint holds: the state gets successors (and may deadlock)
};

class Encoder
{
 public:
  // Every term is made in `solver`, which must outlive the encoder.
  Encoder(const Model& model, smt::Solver& solver);
  ~Encoder();
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  const Model& model() const;
  smt::Solver& solver() const;

  // ---- Boolean helpers that fold constants (true_term() and false_term()
  // are the constants, so an engine can test `t == false_term()`).
  smt::Term true_term() const;
  smt::Term false_term() const;
  smt::Term mk_not(smt::Term a);
  smt::Term mk_and(smt::Term a, smt::Term b);
  smt::Term mk_or(smt::Term a, smt::Term b);
  smt::Term mk_or(const std::vector<smt::Term>& terms);
  smt::Term mk_and(const std::vector<smt::Term>& terms);

  // ---- states
  // A fresh state constant named `name` (e.g. "s@3"); the same name gives the same constant.
  StateTerm state(const std::string& name);
  smt::Term equal(StateTerm a, StateTerm b);
  // Every value in the state is one of its type's values in canonical
  // encoding (a range below its size, an enum below its count, a sequence's
  // unused slots and a message's unused bits zero, ...). Every reachable
  // state is well formed; a free state (k-induction's first, pdr's) is not
  // unless this is assumed.
  smt::Term well_formed(StateTerm s);

  // ---- the system
  // The initial states: one successor per path through the initializers and
  // the `init` block (its conditions mention no state), and their failure.
  Step initial();
  // Everything running one action from `from` can do.
  Step step(StateTerm from);
  // `to` is one of the successors of the step (the step's failures excluded).
  smt::Term leads_to(const Step& step, StateTerm to);
  // Shorthands: `s` is an initial state; `from` steps to `to` without failing.
  smt::Term initial_state(StateTerm s);
  smt::Term transition(StateTerm from, StateTerm to);
  StateChecks state_checks(StateTerm s);
  // A state predicate in `s` with bound locals (local, index of the value),
  // e.g. an atom of a temporal property: {its value, evaluating it fails}.
  std::pair<smt::Term, smt::Term> predicate(StateTerm s, ExprId e,
                                            const std::vector<std::pair<LocalId, uint64_t>>& bindings);
  // `s` is expanded and no action runs from it.
  smt::Term deadlocked(const StateChecks& checks, const Step& step);

  // ---- models
  // After a sat answer: the value of `s` as an explicit state (Model::state_words
  // words plus one spare zero word, as the evaluator expects).
  std::vector<uint64_t> state_value(StateTerm s);

  // ---- statistics
  // The narrowest and widest bit-vector widths at which integer arithmetic
  // (+, -, *, /, %, <, <=; a product's overflow check is 128 bits) has been
  // encoded so far; {0, 0} when there has been none.
  std::pair<uint32_t, uint32_t> arithmetic_widths() const;

 private:
  class Impl;
  std::unique_ptr<Impl> d_impl;
};

// The logic of the terms that encoders made, as the statistics say it, from
// their arithmetic_widths(): "QF_BV (arithmetic at 4..24 bits)", or
// "QF_BV (no arithmetic)".
std::string logic_description(const std::vector<std::pair<uint32_t, uint32_t>>& widths);

}  // namespace keel::symbolic
