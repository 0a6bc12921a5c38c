// The Model as SMT formulas, through the solver-neutral layer
// (checker/smt/): the one encoding that the symbolic engines (bmc,
// k-induction, pdr) share. Under Arith::Bv a state is one bit-vector of
// Model::state_bits bits in the explicit engine's encoding (spec/types.hpp),
// so a model of a formula decodes straight into explicit states; under
// Arith::Lia (linear models only) a state is a list of scalar pieces, Int
// and Bool terms, decoded piece by piece into the same explicit states.
// docs/engines.md describes both.
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

// How integers (and so states) are encoded: interval-sized bit-vectors, or
// linear integer arithmetic over Int pieces.
enum class Arith : uint8_t
{
  Bv,
  Lia,
};

// The first multiplication of two non-constant operands, or division or
// remainder by a non-constant divisor, in what the encoder reads of the
// model (initializers, the init block, guards, bodies, definitions as
// called, invariants, constraints, temporal atoms); kNone when the model is
// linear. A constant is a literal, a named constant (-D overrides are
// folded at lowering), an operation on constants, or a local that the
// encoder unrolls to one value at a time (an action parameter, a quantified
// or chosen value, a `let` of a constant).
ExprId first_nonlinear(const Model& model);
// As first_nonlinear, and also the first division or remainder of a
// non-constant dividend by a constant (x % 2): linear, but encoded with
// div/mod under Lia, where Spacer generalises poorly (docs/engines.md).
ExprId first_division(const Model& model);
// "a * b at file:line:col" for the expression first_nonlinear found.
std::string describe_nonlinear(const Model& model, ExprId e);
// --arith auto: Lia for a linear model, else Bv.
inline Arith arith_for(const Model& model)
{
  return first_nonlinear(model) == kNone ? Arith::Lia : Arith::Bv;
}

// A state. Arith::Bv: a bit-vector term of Model::state_bits bits (a model
// without state bits, width 0, has no term: all its states are equal).
// Arith::Lia: `pieces`, one Int or Bool term per scalar piece; `width` is
// their number.
struct StateTerm
{
  smt::Term term;
  uint32_t width = 0;
  std::vector<smt::Term> pieces = {};
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
  // Every term is made in `solver`, which must outlive the encoder. Under
  // Arith::Lia the model must be linear (first_nonlinear); a nonlinear
  // operation met anyway is answered as NotSupported.
  Encoder(const Model& model, smt::Solver& solver, Arith arith = Arith::Bv);
  ~Encoder();
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  const Model& model() const;
  smt::Solver& solver() const;
  Arith arith() const;

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
  // A fresh state constant named `name` (e.g. "s@3"; under Lia its pieces
  // "s@3.x", "s@3.a.2", ...); the same name gives the same constants.
  StateTerm state(const std::string& name);
  // Lia: the state made of the given Int and Bool constants, one per piece,
  // in the order of piece_sorts() (pdr's relation arguments).
  StateTerm state_of_pieces(const std::vector<smt::Term>& pieces);
  // Lia: the sort of each piece (Int or Bool), in order, with a readable name
  // suffix (".x", ".a.2", ".q.len").
  std::vector<std::pair<smt::Sort, std::string>> piece_sorts();
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
  // Bv: the narrowest and widest bit-vector widths at which integer
  // arithmetic (+, -, *, /, %, <, <=; a product's overflow check is 128
  // bits) has been encoded so far; {0, 0} when there has been none. Lia:
  // {0, 0} when no Int term has been made, else {1, 1}.
  std::pair<uint32_t, uint32_t> arithmetic_widths() const;

 private:
  class Impl;
  std::unique_ptr<Impl> d_impl;
};

// The logic of the terms that encoders made, as the statistics say it, from
// their arithmetic_widths(): "QF_BV (arithmetic at 4..24 bits)", or
// "QF_BV (no arithmetic)"; under Lia "QF_LIA", or "QF_LIA (no integer
// terms)" for a model of Booleans only.
std::string logic_description(const std::vector<std::pair<uint32_t, uint32_t>>& widths, Arith arith = Arith::Bv);

}  // namespace keel::symbolic
