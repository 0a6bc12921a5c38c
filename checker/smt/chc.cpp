#include "checker/smt/chc.hpp"

#include <unordered_set>

#include "checker/smt/errors.hpp"
#include "checker/smt/term_util.hpp"

namespace keel::smt
{

std::string_view to_string(ChcResult r)
{
  switch (r)
  {
    case ChcResult::Safe:
      return "safe";
    case ChcResult::Unsafe:
      return "unsafe";
    case ChcResult::Unknown:
      return "unknown";
  }
  return "?";
}

RelationId ChcSystem::add_relation(std::string name, std::vector<Term> formals)
{
  d_relations.push_back(Relation{std::move(name), std::move(formals)});
  return static_cast<RelationId>(d_relations.size() - 1);
}

size_t ChcSystem::add_clause(HornClause clause)
{
  d_clauses.push_back(std::move(clause));
  return d_clauses.size() - 1;
}

void ChcSystem::check(const TermTable& table) const
{
  std::unordered_set<std::string> names;
  for (const Relation& r : d_relations)
  {
    if (r.name.empty()) user_error("chc: a relation needs a name");
    if (!names.insert(r.name).second) user_error("chc: two relations are called '" + r.name + "'");
    if (table.lookup_const(r.name)) user_error("chc: relation '" + r.name + "' has the name of a constant");
    // The name must print as an SMT-LIB symbol the way constant names do.
    if (r.name.find_first_of("|\\") != std::string::npos || r.name[0] == '@' || r.name[0] == '.')
      user_error("chc: relation name '" + r.name + "' cannot be an SMT-LIB symbol");
    std::unordered_set<Term> seen;
    for (Term f : r.formals)
    {
      if (table.node(f).kind != TermKind::Const)
        user_error("chc: a formal of relation '" + r.name + "' is not a constant: " + table.to_smtlib(f));
      if (!seen.insert(f).second)
        user_error("chc: relation '" + r.name + "' has formal " + table.to_smtlib(f) + " twice");
    }
  }
  auto check_app = [&](const RelationApp& a, size_t clause)
  {
    if (a.relation >= d_relations.size())
      user_error("chc: clause " + std::to_string(clause) + " applies relation #" + std::to_string(a.relation) +
                 ", which was not declared");
    const Relation& r = d_relations[a.relation];
    if (a.args.size() != r.formals.size())
      user_error("chc: clause " + std::to_string(clause) + " applies '" + r.name + "' to " +
                 std::to_string(a.args.size()) + " arguments; it has " + std::to_string(r.formals.size()));
    for (size_t i = 0; i < a.args.size(); ++i)
      if (table.sort_of(a.args[i]) != table.sort_of(r.formals[i]))
        user_error("chc: clause " + std::to_string(clause) + ": argument " + std::to_string(i + 1) + " of '" + r.name +
                   "' has sort " + table.to_smtlib(table.sort_of(a.args[i])) + ", expected " +
                   table.to_smtlib(table.sort_of(r.formals[i])));
  };
  for (size_t i = 0; i < d_clauses.size(); ++i)
  {
    const HornClause& c = d_clauses[i];
    for (const RelationApp& a : c.body) check_app(a, i);
    if (c.head) check_app(*c.head, i);
    if (c.constraint && table.kind(table.sort_of(c.constraint)) != SortKind::Bool)
      user_error("chc: the constraint of clause " + std::to_string(i) + " has sort " +
                 table.to_smtlib(table.sort_of(c.constraint)) + ", expected Bool");
  }
}

std::vector<Term> clause_variables(const TermTable& table, const HornClause& clause)
{
  std::vector<Term> roots;
  for (const RelationApp& a : clause.body) roots.insert(roots.end(), a.args.begin(), a.args.end());
  if (clause.constraint) roots.push_back(clause.constraint);
  if (clause.head) roots.insert(roots.end(), clause.head->args.begin(), clause.head->args.end());
  return constants_of(table, roots);
}

namespace
{

std::string app_to_smtlib(const TermTable& table, const ChcSystem& system, const RelationApp& a)
{
  const Relation& r = system.relation(a.relation);
  if (a.args.empty()) return quote_symbol(r.name);
  std::string out = "(" + quote_symbol(r.name);
  for (Term t : a.args) out += " " + table.to_smtlib(t);
  return out + ")";
}

}  // namespace

std::string clause_to_smtlib(const TermTable& table, const ChcSystem& system, const HornClause& clause)
{
  std::vector<std::string> body;
  for (const RelationApp& a : clause.body) body.push_back(app_to_smtlib(table, system, a));
  if (clause.constraint) body.push_back(table.to_smtlib(clause.constraint));
  std::string lhs;
  if (body.empty())
    lhs = "true";
  else if (body.size() == 1)
    lhs = body[0];
  else
  {
    lhs = "(and";
    for (const std::string& b : body) lhs += " " + b;
    lhs += ")";
  }
  std::string rhs = clause.head ? app_to_smtlib(table, system, *clause.head) : "false";
  std::string implication = "(=> " + lhs + " " + rhs + ")";
  std::vector<Term> vars = clause_variables(table, clause);
  if (vars.empty()) return implication;
  std::string binders;
  for (Term v : vars)
  {
    if (!binders.empty()) binders += " ";
    binders += "(" + table.to_smtlib(v) + " " + table.to_smtlib(table.sort_of(v)) + ")";
  }
  return "(forall (" + binders + ") " + implication + ")";
}

std::string chc_to_smtlib(const TermTable& table, const ChcSystem& system)
{
  system.check(table);
  std::string out = "(set-logic HORN)\n";
  for (const Relation& r : system.relations())
  {
    out += "(declare-fun " + quote_symbol(r.name) + " (";
    for (size_t i = 0; i < r.formals.size(); ++i) out += (i ? " " : "") + table.to_smtlib(table.sort_of(r.formals[i]));
    out += ") Bool)\n";
  }
  for (const HornClause& c : system.clauses())
  {
    if (!c.name.empty()) out += "; " + c.name + "\n";
    out += "(assert " + clause_to_smtlib(table, system, c) + ")\n";
  }
  out += "(check-sat)\n";
  return out;
}

}  // namespace keel::smt
