#include "checker/liveness/property.hpp"

namespace keel::liveness
{

namespace
{

Formula to_formula(const TemporalProperty& p, int n, std::vector<const TemporalNode*>& atoms)
{
  const TemporalNode& t = p.nodes[n];
  switch (t.op)
  {
    case TemporalOp::Pred:
    {
      for (size_t i = 0; i < atoms.size(); ++i)
        if (atoms[i]->pred == t.pred && atoms[i]->bindings == t.bindings) return atom(static_cast<int>(i));
      atoms.push_back(&t);
      return atom(static_cast<int>(atoms.size() - 1));
    }
    case TemporalOp::Not:
      return ltl_not(to_formula(p, t.a, atoms));
    case TemporalOp::And:
      return ltl_and(to_formula(p, t.a, atoms), to_formula(p, t.b, atoms));
    case TemporalOp::Or:
      return ltl_or(to_formula(p, t.a, atoms), to_formula(p, t.b, atoms));
    case TemporalOp::Implies:
      return implies(to_formula(p, t.a, atoms), to_formula(p, t.b, atoms));
    case TemporalOp::Always:
      return always(to_formula(p, t.a, atoms));
    case TemporalOp::Eventually:
      return eventually(to_formula(p, t.a, atoms));
    case TemporalOp::Until:
      return until(to_formula(p, t.a, atoms), to_formula(p, t.b, atoms));
    case TemporalOp::LeadsTo:
      return leads_to(to_formula(p, t.a, atoms), to_formula(p, t.b, atoms));
  }
  return ltl_true();
}

}  // namespace

PropertyAutomaton automaton_of_negation(const TemporalProperty& p)
{
  PropertyAutomaton out;
  Formula f = to_formula(p, p.root, out.atoms);
  out.negation = translate(ltl_not(f));
  return out;
}

std::vector<FairnessConstraint> fairness_constraints(const Model& m)
{
  std::vector<FairnessConstraint> out;
  for (const Fairness& f : m.fairness)
  {
    if (!f.per_instance)
    {
      out.push_back({f.strong, &f, kNone});
      continue;
    }
    const std::string& proc = m.actions[f.actions.front()].process;
    for (const Process& p : m.processes)
      if (p.name == proc)
        for (uint64_t k = 0; k < p.identity->card; ++k) out.push_back({f.strong, &f, k});
  }
  return out;
}

}  // namespace keel::liveness
