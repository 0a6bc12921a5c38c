// What the liveness engines (explicit: liveness_check.cpp, symbolic:
// checker/symbolic/lasso.cpp) share about a temporal property: its atoms
// and the Büchi automaton of its negation, and the fairness constraints of
// the Model, one per `fair` declaration or per process instance.
#pragma once

#include <cstdint>
#include <vector>

#include "checker/liveness/ltl.hpp"
#include "spec/model.hpp"

namespace keel::liveness
{

struct PropertyAutomaton
{
  std::vector<const TemporalNode*> atoms;  // atom i: a state predicate with its bindings
  Buchi negation;                          // accepts exactly the behaviours that violate the property
};

// Throws std::length_error ("not supported yet: ...") for a property too
// large to translate.
PropertyAutomaton automaton_of_negation(const TemporalProperty& p);

struct FairnessConstraint
{
  bool strong = false;
  const Fairness* decl = nullptr;
  uint64_t instance = kNone;  // the process identity's index, for per-instance fairness
};

std::vector<FairnessConstraint> fairness_constraints(const Model& m);

// A step of `action` by process instance `self` (kNone for a non-process
// action) is one of the steps constraint `c` is about.
inline bool is_step_of(const FairnessConstraint& c, uint32_t action, uint64_t self)
{
  bool listed = false;
  for (uint32_t a : c.decl->actions) listed = listed || a == action;
  return listed && (c.instance == kNone || c.instance == self);
}

}  // namespace keel::liveness
