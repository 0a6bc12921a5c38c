#include "checker/smt/term_util.hpp"

#include <unordered_set>

namespace keel::smt
{

namespace
{

// Post-order over the DAG below `root`: `visit(t)` once per node, after its
// arguments. `seen` carries over between roots.
template <typename F>
void post_order(const TermTable& table, Term root, std::unordered_set<Term>& seen, F&& visit)
{
  std::vector<std::pair<Term, bool>> stack{{root, false}};
  while (!stack.empty())
  {
    auto [t, expanded] = stack.back();
    stack.pop_back();
    if (expanded)
    {
      visit(t);
      continue;
    }
    if (!seen.insert(t).second) continue;
    stack.push_back({t, true});
    const TermNode& n = table.node(t);
    for (auto it = n.args.rbegin(); it != n.args.rend(); ++it)
      if (!seen.count(*it)) stack.push_back({*it, false});
  }
}

// Rebuilds `root` bottom-up in `to`: leaves through `leaf`, applications
// with their rebuilt arguments. `memo` maps the nodes of `from` done so far
// (and is what makes a node be visited once).
template <typename Leaf>
Term rebuild(const TermTable& from, Solver& to, Term root, std::unordered_map<Term, Term>& memo, Leaf&& leaf)
{
  std::vector<std::pair<Term, bool>> stack{{root, false}};
  while (!stack.empty())
  {
    auto [t, expanded] = stack.back();
    stack.pop_back();
    if (memo.count(t)) continue;
    // A copy: making terms in `to` may move `from`'s nodes (they are one table for substitute).
    const TermNode n = from.node(t);
    if (n.kind != TermKind::App)
    {
      memo.emplace(t, leaf(t, n));
      continue;
    }
    if (!expanded)
    {
      stack.push_back({t, true});
      for (auto it = n.args.rbegin(); it != n.args.rend(); ++it)
        if (!memo.count(*it)) stack.push_back({*it, false});
      continue;
    }
    std::vector<Term> args;
    args.reserve(n.args.size());
    for (Term a : n.args) args.push_back(memo.at(a));
    const uint32_t num_indices = op_info(n.op).num_indices;
    memo.emplace(t, to.make_term(n.op, args, std::span<const uint32_t>(n.indices.data(), num_indices)));
  }
  return memo.at(root);
}

}  // namespace

std::vector<Term> constants_of(const TermTable& table, const std::vector<Term>& terms)
{
  std::vector<Term> out;
  std::unordered_set<Term> seen;
  for (Term root : terms)
    post_order(table, root, seen,
               [&](Term t)
               {
                 if (table.node(t).kind == TermKind::Const) out.push_back(t);
               });
  return out;
}

Term substitute(Solver& solver, Term t, const std::unordered_map<Term, Term>& map)
{
  const TermTable& table = solver.terms();
  for (auto& [from, to] : map)
    if (table.node(from).kind != TermKind::Const || table.sort_of(from) != table.sort_of(to))
      user_error("substitute: " + table.to_smtlib(from) + " is not a constant of the sort of " + table.to_smtlib(to));
  std::unordered_map<Term, Term> memo;
  return rebuild(table, solver, t, memo,
                 [&](Term leaf, const TermNode&)
                 {
                   auto it = map.find(leaf);
                   return it == map.end() ? leaf : it->second;
                 });
}

Sort TermCopier::copy(Sort s)
{
  if (auto it = d_sorts.find(s); it != d_sorts.end()) return it->second;
  const SortNode& n = d_from.node(s);
  Sort out;
  switch (n.kind)
  {
    case SortKind::Bool:
    case SortKind::Int:
      out = d_to.make_sort(n.kind);
      break;
    case SortKind::BitVec:
      out = d_to.make_sort(n.kind, n.width);
      break;
    case SortKind::Array:
      out = d_to.make_sort(n.kind, copy(n.index), copy(n.element));
      break;
  }
  d_sorts.emplace(s, out);
  return out;
}

Term TermCopier::operator()(Term t)
{
  return rebuild(d_from, d_to, t, d_terms,
                 [&](Term, const TermNode& n)
                 {
                   if (n.kind == TermKind::Const) return d_to.make_const(n.name, copy(n.sort));
                   return d_to.make_value(*n.value);
                 });
}

}  // namespace keel::smt
