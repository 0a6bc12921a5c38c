#include "checker/liveness/ltl.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <cassert>
#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace keel::liveness
{

struct Formula::Node
{
  LtlOp op;
  int atom = -1;
  std::shared_ptr<const Node> lhs, rhs;
  int size = 1;
  uint64_t hash = 0;
};

LtlOp Formula::op() const
{
  return d_node->op;
}
int Formula::atom() const
{
  return d_node->atom;
}
Formula Formula::lhs() const
{
  assert(d_node->lhs && "no operand");
  return Formula(d_node->lhs);
}
Formula Formula::rhs() const
{
  assert(d_node->rhs && "no second operand");
  return Formula(d_node->rhs);
}
int Formula::size() const
{
  return d_node->size;
}
uint64_t Formula::hash() const
{
  return d_node->hash;
}

namespace
{

uint64_t mix(uint64_t h, uint64_t v)
{
  // splitmix64's finalizer over the running hash and the next value.
  uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool is_binary(LtlOp op)
{
  return op == LtlOp::And || op == LtlOp::Or || op == LtlOp::Until || op == LtlOp::Release;
}

bool is_unary(LtlOp op)
{
  return op == LtlOp::Not || op == LtlOp::Next || op == LtlOp::Eventually || op == LtlOp::Always;
}

}  // namespace

Formula Formula::make(LtlOp op, int atom, const Formula* lhs, const Formula* rhs)
{
  auto n = std::make_shared<Node>();
  n->op = op;
  n->atom = atom;
  n->hash = mix(static_cast<uint64_t>(op), static_cast<uint64_t>(atom + 1));
  if (lhs)
  {
    n->lhs = lhs->d_node;
    n->size += lhs->size();
    n->hash = mix(n->hash, lhs->hash());
  }
  if (rhs)
  {
    n->rhs = rhs->d_node;
    n->size += rhs->size();
    n->hash = mix(n->hash, rhs->hash());
  }
  return Formula(std::move(n));
}

bool Formula::operator==(const Formula& o) const
{
  if (d_node == o.d_node) return true;
  const Node& a = *d_node;
  const Node& b = *o.d_node;
  if (a.hash != b.hash || a.op != b.op || a.atom != b.atom || a.size != b.size) return false;
  if (a.lhs && !(Formula(a.lhs) == Formula(b.lhs))) return false;
  if (a.rhs && !(Formula(a.rhs) == Formula(b.rhs))) return false;
  return true;
}

Formula ltl_true()
{
  return Formula::make(LtlOp::True, -1, nullptr, nullptr);
}

Formula ltl_false()
{
  return Formula::make(LtlOp::False, -1, nullptr, nullptr);
}

Formula atom(int i)
{
  assert(i >= 0 && "atoms are numbered from 0");
  return Formula::make(LtlOp::Atom, i, nullptr, nullptr);
}

Formula make_unary(LtlOp op, const Formula& a)
{
  return Formula::make(op, -1, &a, nullptr);
}

Formula make_binary(LtlOp op, const Formula& a, const Formula& b)
{
  return Formula::make(op, -1, &a, &b);
}

Formula ltl_not(const Formula& a)
{
  return make_unary(LtlOp::Not, a);
}
Formula ltl_and(const Formula& a, const Formula& b)
{
  return make_binary(LtlOp::And, a, b);
}
Formula ltl_or(const Formula& a, const Formula& b)
{
  return make_binary(LtlOp::Or, a, b);
}
Formula implies(const Formula& a, const Formula& b)
{
  return ltl_or(ltl_not(a), b);
}
Formula next(const Formula& a)
{
  return make_unary(LtlOp::Next, a);
}
Formula until(const Formula& a, const Formula& b)
{
  return make_binary(LtlOp::Until, a, b);
}
Formula release(const Formula& a, const Formula& b)
{
  return make_binary(LtlOp::Release, a, b);
}
Formula eventually(const Formula& a)
{
  return make_unary(LtlOp::Eventually, a);
}
Formula always(const Formula& a)
{
  return make_unary(LtlOp::Always, a);
}
Formula leads_to(const Formula& p, const Formula& q)
{
  return always(implies(p, eventually(q)));
}

namespace
{

Formula nnf_of(const Formula& f, bool negated)
{
  switch (f.op())
  {
    case LtlOp::True:
      return negated ? ltl_false() : f;
    case LtlOp::False:
      return negated ? ltl_true() : f;
    case LtlOp::Atom:
      return negated ? ltl_not(f) : f;
    case LtlOp::Not:
      return nnf_of(f.lhs(), !negated);
    case LtlOp::And:
    case LtlOp::Or:
    {
      Formula a = nnf_of(f.lhs(), negated), b = nnf_of(f.rhs(), negated);
      return (f.op() == LtlOp::And) != negated ? ltl_and(a, b) : ltl_or(a, b);
    }
    case LtlOp::Until:
    case LtlOp::Release:
    {
      Formula a = nnf_of(f.lhs(), negated), b = nnf_of(f.rhs(), negated);
      return (f.op() == LtlOp::Until) != negated ? until(a, b) : release(a, b);
    }
    case LtlOp::Eventually:
    case LtlOp::Always:
    {
      Formula a = nnf_of(f.lhs(), negated);
      return (f.op() == LtlOp::Eventually) != negated ? eventually(a) : always(a);
    }
    case LtlOp::Next:
      return next(nnf_of(f.lhs(), negated));
  }
  assert(false && "unknown LTL operator");
  return f;
}

bool is(const Formula& f, LtlOp op)
{
  return f.op() == op;
}

// One rule applied at the root of `f` (whose operands are already
// simplified), or nothing when none matches.
std::optional<Formula> rewrite_root(const Formula& f, LtlRewrite& fired)
{
  auto rule = [&](LtlRewrite r, Formula result) -> std::optional<Formula>
  {
    fired = r;
    return result;
  };
  switch (f.op())
  {
    case LtlOp::And:
    {
      Formula a = f.lhs(), b = f.rhs();
      if (is(a, LtlOp::False) || is(b, LtlOp::False)) return rule(LtlRewrite::ConstAnd, ltl_false());
      if (is(a, LtlOp::True)) return rule(LtlRewrite::ConstAnd, b);
      if (is(b, LtlOp::True)) return rule(LtlRewrite::ConstAnd, a);
      if (a == b) return rule(LtlRewrite::IdemAndOr, a);
      break;
    }
    case LtlOp::Or:
    {
      Formula a = f.lhs(), b = f.rhs();
      if (is(a, LtlOp::True) || is(b, LtlOp::True)) return rule(LtlRewrite::ConstOr, ltl_true());
      if (is(a, LtlOp::False)) return rule(LtlRewrite::ConstOr, b);
      if (is(b, LtlOp::False)) return rule(LtlRewrite::ConstOr, a);
      if (a == b) return rule(LtlRewrite::IdemAndOr, a);
      break;
    }
    case LtlOp::Next:
      if (is(f.lhs(), LtlOp::True) || is(f.lhs(), LtlOp::False)) return rule(LtlRewrite::ConstNext, f.lhs());
      break;
    case LtlOp::Eventually:
    case LtlOp::Always:
    {
      Formula a = f.lhs();
      bool ev = is(f, LtlOp::Eventually);
      if (is(a, LtlOp::True) || is(a, LtlOp::False)) return rule(LtlRewrite::ConstTemporal, a);
      if (ev && is(a, LtlOp::Eventually)) return rule(LtlRewrite::FF, a);
      if (!ev && is(a, LtlOp::Always)) return rule(LtlRewrite::GG, a);
      if (ev && is(a, LtlOp::Always) && is(a.lhs(), LtlOp::Eventually)) return rule(LtlRewrite::FGF, a);
      if (!ev && is(a, LtlOp::Eventually) && is(a.lhs(), LtlOp::Always)) return rule(LtlRewrite::GFG, a);
      if (ev && is(a, LtlOp::Until)) return rule(LtlRewrite::EventuallyUntil, eventually(a.rhs()));
      if (!ev && is(a, LtlOp::Release)) return rule(LtlRewrite::AlwaysRelease, always(a.rhs()));
      break;
    }
    case LtlOp::Until:
    {
      Formula a = f.lhs(), b = f.rhs();
      if (is(b, LtlOp::True) || is(b, LtlOp::False)) return rule(LtlRewrite::UntilConst, b);
      if (is(a, LtlOp::False)) return rule(LtlRewrite::UntilConst, b);
      if (is(a, LtlOp::True)) return rule(LtlRewrite::UntilConst, eventually(b));
      if (a == b) return rule(LtlRewrite::IdemUntil, a);
      break;
    }
    case LtlOp::Release:
    {
      Formula a = f.lhs(), b = f.rhs();
      if (is(b, LtlOp::True) || is(b, LtlOp::False)) return rule(LtlRewrite::ReleaseConst, b);
      if (is(a, LtlOp::True)) return rule(LtlRewrite::ReleaseConst, b);
      if (is(a, LtlOp::False)) return rule(LtlRewrite::ReleaseConst, always(b));
      if (a == b) return rule(LtlRewrite::IdemUntil, a);
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

Formula simplify_nnf(const Formula& f, LtlRewriteCounts* counts)
{
  Formula g = f;
  if (is_unary(f.op()) && !is(f, LtlOp::Not))
    g = make_unary(f.op(), simplify_nnf(f.lhs(), counts));
  else if (is_binary(f.op()))
    g = make_binary(f.op(), simplify_nnf(f.lhs(), counts), simplify_nnf(f.rhs(), counts));
  // A rule's result is built from simplified operands, so only its root can
  // match again; each rule shrinks the formula, so this ends.
  LtlRewrite fired{};
  while (std::optional<Formula> r = rewrite_root(g, fired))
  {
    if (counts) ++(*counts)[static_cast<size_t>(fired)];
    g = *r;
  }
  return g;
}

}  // namespace

Formula nnf(const Formula& f)
{
  return nnf_of(f, false);
}

const char* ltl_rewrite_name(LtlRewrite r)
{
  switch (r)
  {
    case LtlRewrite::ConstAnd:
      return "const-and";
    case LtlRewrite::ConstOr:
      return "const-or";
    case LtlRewrite::IdemAndOr:
      return "idem-and-or";
    case LtlRewrite::ConstNext:
      return "const-next";
    case LtlRewrite::ConstTemporal:
      return "const-temporal";
    case LtlRewrite::FF:
      return "FF";
    case LtlRewrite::GG:
      return "GG";
    case LtlRewrite::FGF:
      return "FGF";
    case LtlRewrite::GFG:
      return "GFG";
    case LtlRewrite::UntilConst:
      return "until-const";
    case LtlRewrite::ReleaseConst:
      return "release-const";
    case LtlRewrite::IdemUntil:
      return "idem-until";
    case LtlRewrite::EventuallyUntil:
      return "eventually-until";
    case LtlRewrite::AlwaysRelease:
      return "always-release";
    case LtlRewrite::Count_:
      break;
  }
  return "?";
}

Formula simplify(const Formula& f, LtlRewriteCounts* counts)
{
  return simplify_nnf(nnf(f), counts);
}

namespace
{

std::string atom_name(int i, const std::vector<std::string>& names)
{
  if (i >= 0 && static_cast<size_t>(i) < names.size()) return names[i];
  return "p" + std::to_string(i);
}

std::string operand_text(const Formula& f, const std::vector<std::string>& names);

std::string formula_text(const Formula& f, const std::vector<std::string>& names)
{
  switch (f.op())
  {
    case LtlOp::True:
      return "true";
    case LtlOp::False:
      return "false";
    case LtlOp::Atom:
      return atom_name(f.atom(), names);
    case LtlOp::Not:
      return "!" + operand_text(f.lhs(), names);
    case LtlOp::Next:
      return "X " + operand_text(f.lhs(), names);
    case LtlOp::Eventually:
      return "F " + operand_text(f.lhs(), names);
    case LtlOp::Always:
      return "G " + operand_text(f.lhs(), names);
    case LtlOp::And:
      return operand_text(f.lhs(), names) + " && " + operand_text(f.rhs(), names);
    case LtlOp::Or:
      return operand_text(f.lhs(), names) + " || " + operand_text(f.rhs(), names);
    case LtlOp::Until:
      return operand_text(f.lhs(), names) + " U " + operand_text(f.rhs(), names);
    case LtlOp::Release:
      return operand_text(f.lhs(), names) + " R " + operand_text(f.rhs(), names);
  }
  return "?";
}

std::string operand_text(const Formula& f, const std::vector<std::string>& names)
{
  std::string s = formula_text(f, names);
  return is_binary(f.op()) ? "(" + s + ")" : s;
}

}  // namespace

std::string to_string(const Formula& f, const std::vector<std::string>& names)
{
  return formula_text(f, names);
}

// ---------------------------------------------------------------------------
// Translation

namespace
{

// A set of subformula ids.
using Bits = std::vector<uint64_t>;

bool has(const Bits& b, int i)
{
  return (b[i >> 6] >> (i & 63)) & 1;
}
void add(Bits& b, int i)
{
  b[i >> 6] |= uint64_t{1} << (i & 63);
}
bool subset(const Bits& a, const Bits& b)
{
  for (size_t w = 0; w < a.size(); ++w)
    if (a[w] & ~b[w]) return false;
  return true;
}

// The subformulas of the (simplified) formula, each once, operands first.
struct Closure
{
  struct Sub
  {
    LtlOp op;
    int atom = -1;
    int lhs = -1, rhs = -1;
  };
  std::vector<Sub> subs;
  std::map<std::tuple<LtlOp, int, int, int>, int> index;
  std::vector<int> opposite;  // for a literal, the id of its negation if present, else -1
  std::vector<int> untils;    // ids of until and eventually subformulas: one acceptance set each

  int intern(const Formula& f)
  {
    int l = -1, r = -1;
    if (is_unary(f.op()) || is_binary(f.op())) l = intern(f.lhs());
    if (is_binary(f.op())) r = intern(f.rhs());
    auto key = std::make_tuple(f.op(), f.atom(), l, r);
    auto it = index.find(key);
    if (it != index.end()) return it->second;
    int id = static_cast<int>(subs.size());
    subs.push_back({f.op(), f.atom(), l, r});
    index.emplace(key, id);
    if (f.op() == LtlOp::Until || f.op() == LtlOp::Eventually) untils.push_back(id);
    return id;
  }

  void link_literals()
  {
    opposite.assign(subs.size(), -1);
    for (size_t i = 0; i < subs.size(); ++i)
      if (subs[i].op == LtlOp::Not)
      {
        opposite[i] = subs[i].lhs;
        opposite[subs[i].lhs] = static_cast<int>(i);
      }
  }
};

// The automaton while it is being reduced: acceptance as a set of bits of any
// width, initial as a flag.
struct WorkState
{
  std::vector<int> pos, neg, succ;
  Bits acc;
  bool initial = false;
};

struct Work
{
  std::vector<WorkState> states;
  int num_acc = 0;
};

// A state still to be expanded, as in GPVW's `expand`: formulas still to
// process (`todo`), those already processed (`now`, the old set), those
// the successor must satisfy (`next`), and the states with an edge into it
// (-1: the initial pseudo-state).
struct Pending
{
  std::vector<int> todo;
  Bits now, next;
  std::vector<int> incoming;
};

constexpr size_t kMaxTableauStates = 1 << 20;

Work tableau(const Closure& c, int root)
{
  size_t words = (c.subs.size() + 63) / 64;
  struct Built
  {
    Bits now, next;
    std::vector<int> incoming;
  };
  std::vector<Built> built;
  std::map<std::pair<Bits, Bits>, int> by_sets;
  std::vector<Pending> stack;
  stack.push_back({{root}, Bits(words), Bits(words), {-1}});
  while (!stack.empty())
  {
    Pending p = std::move(stack.back());
    stack.pop_back();
    if (p.todo.empty())
    {
      auto key = std::make_pair(p.now, p.next);
      auto it = by_sets.find(key);
      if (it != by_sets.end())
      {
        Built& b = built[it->second];
        b.incoming.insert(b.incoming.end(), p.incoming.begin(), p.incoming.end());
        continue;
      }
      if (built.size() >= kMaxTableauStates)
        throw std::length_error("not supported yet: the formula's automaton has more than " +
                                std::to_string(kMaxTableauStates) + " tableau states");
      int id = static_cast<int>(built.size());
      by_sets.emplace(key, id);
      Pending succ{{}, Bits(words), Bits(words), {id}};
      for (size_t i = 0; i < c.subs.size(); ++i)
        if (has(p.next, static_cast<int>(i))) succ.todo.push_back(static_cast<int>(i));
      built.push_back({std::move(p.now), std::move(p.next), std::move(p.incoming)});
      stack.push_back(std::move(succ));
      continue;
    }
    int eta = p.todo.back();
    p.todo.pop_back();
    if (has(p.now, eta))
    {
      stack.push_back(std::move(p));
      continue;
    }
    const Closure::Sub& s = c.subs[eta];
    add(p.now, eta);
    switch (s.op)
    {
      case LtlOp::False:
        break;  // contradiction: the branch closes
      case LtlOp::True:
        stack.push_back(std::move(p));
        break;
      case LtlOp::Atom:
      case LtlOp::Not:
        if (c.opposite[eta] < 0 || !has(p.now, c.opposite[eta])) stack.push_back(std::move(p));
        break;
      case LtlOp::And:
        p.todo.push_back(s.lhs);
        p.todo.push_back(s.rhs);
        stack.push_back(std::move(p));
        break;
      case LtlOp::Next:
        add(p.next, s.lhs);
        stack.push_back(std::move(p));
        break;
      case LtlOp::Always:  // G a = a & X G a
        p.todo.push_back(s.lhs);
        add(p.next, eta);
        stack.push_back(std::move(p));
        break;
      case LtlOp::Or:
      case LtlOp::Until:
      case LtlOp::Release:
      case LtlOp::Eventually:
      {
        // Two branches. a | b: {a} or {b}. a U b: {b} or {a, X(a U b)}.
        // a R b: {a, b} or {b, X(a R b)}. F b: {b} or {X F b}.
        // A disjunct already processed makes the split useless.
        int a = s.lhs, b = s.op == LtlOp::Eventually ? s.lhs : s.rhs;
        if (s.op == LtlOp::Eventually) a = -1;
        bool done = s.op == LtlOp::Release ? (has(p.now, a) && has(p.now, b))
                                           : has(p.now, b) || (s.op == LtlOp::Or && has(p.now, a));
        if (done)
        {
          stack.push_back(std::move(p));
          break;
        }
        Pending other = p;
        switch (s.op)
        {
          case LtlOp::Or:
            p.todo.push_back(a);
            other.todo.push_back(b);
            break;
          case LtlOp::Until:
            p.todo.push_back(a);
            add(p.next, eta);
            other.todo.push_back(b);
            break;
          case LtlOp::Release:
            p.todo.push_back(b);
            add(p.next, eta);
            other.todo.push_back(a);
            other.todo.push_back(b);
            break;
          default:  // Eventually
            add(p.next, eta);
            other.todo.push_back(b);
            break;
        }
        stack.push_back(std::move(p));
        stack.push_back(std::move(other));
        break;
      }
    }
  }

  Work w;
  w.num_acc = static_cast<int>(c.untils.size());
  size_t acc_words = (c.untils.size() + 63) / 64;
  w.states.resize(built.size());
  for (size_t q = 0; q < built.size(); ++q)
  {
    WorkState& st = w.states[q];
    const Built& b = built[q];
    for (size_t i = 0; i < c.subs.size(); ++i)
    {
      if (!has(b.now, static_cast<int>(i))) continue;
      if (c.subs[i].op == LtlOp::Atom) st.pos.push_back(c.subs[i].atom);
      if (c.subs[i].op == LtlOp::Not) st.neg.push_back(c.subs[c.subs[i].lhs].atom);
    }
    std::sort(st.pos.begin(), st.pos.end());
    std::sort(st.neg.begin(), st.neg.end());
    // In acceptance set j unless the state promises untils[j] without
    // fulfilling it now: no run may postpone a b forever in a U b.
    st.acc.assign(acc_words, 0);
    for (size_t j = 0; j < c.untils.size(); ++j)
    {
      const Closure::Sub& u = c.subs[c.untils[j]];
      int goal = u.op == LtlOp::Eventually ? u.lhs : u.rhs;
      if (!has(b.now, c.untils[j]) || has(b.now, goal)) add(st.acc, static_cast<int>(j));
    }
    for (int from : b.incoming)
    {
      if (from < 0)
        st.initial = true;
      else
        w.states[from].succ.push_back(static_cast<int>(q));
    }
  }
  for (WorkState& st : w.states)
  {
    std::sort(st.succ.begin(), st.succ.end());
    st.succ.erase(std::unique(st.succ.begin(), st.succ.end()), st.succ.end());
  }
  return w;
}

// Keeps the states in `keep`, renumbered in order; edges to others dropped.
void restrict_to(Work& w, const std::vector<char>& keep)
{
  std::vector<int> renum(w.states.size(), -1);
  std::vector<WorkState> out;
  for (size_t q = 0; q < w.states.size(); ++q)
    if (keep[q])
    {
      renum[q] = static_cast<int>(out.size());
      out.push_back(std::move(w.states[q]));
    }
  for (WorkState& st : out)
  {
    std::vector<int> succ;
    for (int t : st.succ)
      if (renum[t] >= 0) succ.push_back(renum[t]);
    st.succ = std::move(succ);
  }
  w.states = std::move(out);
}

// Rule prune: a state that cannot be reached from an initial state, or from
// which no accepting cycle (a cycle through every acceptance set) can be
// reached, is on no accepting run.
uint64_t prune(Work& w)
{
  size_t n = w.states.size();
  std::vector<char> reached(n, 0);
  std::vector<int> todo;
  for (size_t q = 0; q < n; ++q)
    if (w.states[q].initial)
    {
      reached[q] = 1;
      todo.push_back(static_cast<int>(q));
    }
  while (!todo.empty())
  {
    int q = todo.back();
    todo.pop_back();
    for (int t : w.states[q].succ)
      if (!reached[t])
      {
        reached[t] = 1;
        todo.push_back(t);
      }
  }

  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  Graph g(n);
  for (size_t q = 0; q < n; ++q)
    for (int t : w.states[q].succ) boost::add_edge(q, t, g);
  std::vector<int> comp(n);
  int ncomp = n ? boost::strong_components(
                      g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)))
                : 0;
  size_t acc_words = (static_cast<size_t>(w.num_acc) + 63) / 64;
  std::vector<Bits> comp_acc(ncomp, Bits(acc_words));
  std::vector<char> comp_cycle(ncomp, 0);
  for (size_t q = 0; q < n; ++q)
  {
    for (size_t k = 0; k < acc_words; ++k) comp_acc[comp[q]][k] |= w.states[q].acc[k];
    for (int t : w.states[q].succ)
      if (comp[t] == comp[q]) comp_cycle[comp[q]] = 1;
  }
  Bits all(acc_words);
  for (int j = 0; j < w.num_acc; ++j) add(all, j);

  // Backwards from the states of accepting components.
  std::vector<std::vector<int>> pred(n);
  for (size_t q = 0; q < n; ++q)
    for (int t : w.states[q].succ) pred[t].push_back(static_cast<int>(q));
  std::vector<char> live(n, 0);
  for (size_t q = 0; q < n; ++q)
    if (comp_cycle[comp[q]] && subset(all, comp_acc[comp[q]]))
    {
      live[q] = 1;
      todo.push_back(static_cast<int>(q));
    }
  while (!todo.empty())
  {
    int q = todo.back();
    todo.pop_back();
    for (int p : pred[q])
      if (!live[p])
      {
        live[p] = 1;
        todo.push_back(p);
      }
  }
  std::vector<char> keep(n);
  uint64_t removed = 0;
  for (size_t q = 0; q < n; ++q)
  {
    keep[q] = reached[q] && live[q];
    removed += !keep[q];
  }
  if (removed) restrict_to(w, keep);
  return removed;
}

// Rule drop-acceptance-set: a set that holds every state, or a superset of
// another set (the lower-numbered one of two equal sets stays), is visited
// infinitely often by every run that visits the other one infinitely often.
uint64_t drop_implied_acceptance_sets(Work& w)
{
  int k = w.num_acc;
  size_t n = w.states.size();
  size_t state_words = (n + 63) / 64;
  std::vector<Bits> column(k, Bits(state_words));
  for (size_t q = 0; q < n; ++q)
    for (int j = 0; j < k; ++j)
      if (has(w.states[q].acc, j)) add(column[j], static_cast<int>(q));
  std::vector<char> keep(k, 1);
  for (int j = 0; j < k; ++j)
  {
    bool everywhere = true;
    for (size_t q = 0; q < n && everywhere; ++q) everywhere = has(column[j], static_cast<int>(q));
    if (everywhere)
    {
      keep[j] = 0;
      continue;
    }
    for (int i = 0; i < k && keep[j]; ++i)
    {
      if (i == j || !subset(column[i], column[j])) continue;
      bool equal = subset(column[j], column[i]);
      if (!equal || i < j) keep[j] = 0;
    }
  }
  int kept = 0;
  std::vector<int> new_index(k, -1);
  for (int j = 0; j < k; ++j)
    if (keep[j]) new_index[j] = kept++;
  if (kept == k) return 0;
  size_t words = (static_cast<size_t>(kept) + 63) / 64;
  for (WorkState& st : w.states)
  {
    Bits acc(words);
    for (int j = 0; j < k; ++j)
      if (keep[j] && has(st.acc, j)) add(acc, new_index[j]);
    st.acc = std::move(acc);
  }
  w.num_acc = kept;
  return static_cast<uint64_t>(k - kept);
}

// Rule merge-bisimilar: states with the same literals and acceptance sets
// whose successors fall in the same classes, recursively (the coarsest such
// partition, by refinement), accept the same words from there on; each class
// becomes one state, initial when one of its members was.
uint64_t merge_bisimilar(Work& w)
{
  size_t n = w.states.size();
  std::vector<int> block(n);
  {
    std::map<std::tuple<std::vector<int>, std::vector<int>, Bits>, int> ids;
    for (size_t q = 0; q < n; ++q)
    {
      const WorkState& st = w.states[q];
      auto key = std::make_tuple(st.pos, st.neg, st.acc);
      auto it = ids.try_emplace(key, static_cast<int>(ids.size())).first;
      block[q] = it->second;
    }
  }
  size_t count = 0;
  for (;;)
  {
    std::map<std::pair<int, std::vector<int>>, int> ids;
    std::vector<int> refined(n);
    for (size_t q = 0; q < n; ++q)
    {
      std::vector<int> succ_blocks;
      for (int t : w.states[q].succ) succ_blocks.push_back(block[t]);
      std::sort(succ_blocks.begin(), succ_blocks.end());
      succ_blocks.erase(std::unique(succ_blocks.begin(), succ_blocks.end()), succ_blocks.end());
      auto it = ids.try_emplace(std::make_pair(block[q], std::move(succ_blocks)), static_cast<int>(ids.size())).first;
      refined[q] = it->second;
    }
    block = std::move(refined);
    if (ids.size() == count) break;
    count = ids.size();
  }
  if (count == n) return 0;
  std::vector<WorkState> out(count);
  std::vector<char> filled(count, 0);
  for (size_t q = 0; q < n; ++q)
  {
    WorkState& o = out[block[q]];
    if (!filled[block[q]])
    {
      filled[block[q]] = 1;
      o.pos = w.states[q].pos;
      o.neg = w.states[q].neg;
      o.acc = w.states[q].acc;
    }
    o.initial = o.initial || w.states[q].initial;
    for (int t : w.states[q].succ) o.succ.push_back(block[t]);
  }
  for (WorkState& o : out)
  {
    std::sort(o.succ.begin(), o.succ.end());
    o.succ.erase(std::unique(o.succ.begin(), o.succ.end()), o.succ.end());
  }
  w.states = std::move(out);
  return n - count;
}

bool contains(const std::vector<int>& sorted, int x)
{
  return std::binary_search(sorted.begin(), sorted.end(), x);
}

// Whether `t` can stand in for `s` on every run: t's literals are among s's
// and its acceptance sets include s's, t is initial when s is, every other
// state with an edge into s has one into t, and t has an edge to every
// successor of s (to itself where s loops). Replacing s by t everywhere in
// an accepting run gives an accepting run on the same word.
bool can_stand_in(const Work& w, const std::vector<std::vector<int>>& pred, int s, int t)
{
  const WorkState& S = w.states[s];
  const WorkState& T = w.states[t];
  if (!std::includes(S.pos.begin(), S.pos.end(), T.pos.begin(), T.pos.end())) return false;
  if (!std::includes(S.neg.begin(), S.neg.end(), T.neg.begin(), T.neg.end())) return false;
  if (!subset(S.acc, T.acc)) return false;
  if (S.initial && !T.initial) return false;
  for (int y : S.succ)
    if (!contains(T.succ, y == s ? t : y)) return false;
  for (int x : pred[s])
    if (x != s && !contains(w.states[x].succ, t)) return false;
  return true;
}

// Rule remove-subsumed: a state another one can stand in for (above) adds no
// word; it is removed, one at a time.
uint64_t remove_subsumed(Work& w)
{
  size_t n = w.states.size();
  // Quadratic in the states: skipped on automata too large to be worth it.
  if (n > 2000) return 0;
  std::vector<std::vector<int>> pred(n);
  for (size_t q = 0; q < n; ++q)
    for (int t : w.states[q].succ) pred[t].push_back(static_cast<int>(q));
  std::vector<char> keep(n, 1);
  uint64_t removed = 0;
  for (size_t s = 0; s < n; ++s)
    for (size_t t = 0; t < n; ++t)
    {
      if (s == t || !keep[t] || !can_stand_in(w, pred, static_cast<int>(s), static_cast<int>(t))) continue;
      keep[s] = 0;
      ++removed;
      for (int y : w.states[s].succ)
        if (y != static_cast<int>(s)) pred[y].erase(std::find(pred[y].begin(), pred[y].end(), static_cast<int>(s)));
      for (int x : pred[s])
      {
        std::vector<int>& succ = w.states[x].succ;
        succ.erase(std::lower_bound(succ.begin(), succ.end(), static_cast<int>(s)));
      }
      w.states[s].succ.clear();
      pred[s].clear();
      break;
    }
  if (removed) restrict_to(w, keep);
  return removed;
}

}  // namespace

Buchi translate(const Formula& f, TranslateStats* stats)
{
  TranslateStats local;
  TranslateStats& st = stats ? *stats : local;
  Formula g = simplify(f, &st.rewrites);
  Closure c;
  int root = c.intern(g);
  c.link_literals();
  Work w = tableau(c, root);
  st.tableau_states += w.states.size();

  for (bool changed = true; changed;)
  {
    uint64_t pruned = prune(w);
    uint64_t dropped = drop_implied_acceptance_sets(w);
    uint64_t merged = merge_bisimilar(w);
    uint64_t subsumed = remove_subsumed(w);
    st.pruned_states += pruned;
    st.dropped_acc_sets += dropped;
    st.merged_states += merged;
    st.subsumed_states += subsumed;
    changed = pruned || dropped || merged || subsumed;
  }
  if (w.num_acc > kMaxAcceptanceSets)
    throw std::length_error("not supported yet: a property needing more than " + std::to_string(kMaxAcceptanceSets) +
                            " acceptance sets (until/eventually subformulas)");

  // Numbered breadth-first from the initial states, for readable output.
  size_t n = w.states.size();
  std::vector<int> order, renum(n, -1);
  for (size_t q = 0; q < n; ++q)
    if (w.states[q].initial)
    {
      renum[q] = static_cast<int>(order.size());
      order.push_back(static_cast<int>(q));
    }
  for (size_t i = 0; i < order.size(); ++i)
    for (int t : w.states[order[i]].succ)
      if (renum[t] < 0)
      {
        renum[t] = static_cast<int>(order.size());
        order.push_back(t);
      }
  assert(order.size() == n && "pruning keeps only reachable states");

  Buchi b;
  b.num_acc = w.num_acc;
  b.states.resize(n);
  for (size_t i = 0; i < n; ++i)
  {
    WorkState& from = w.states[order[i]];
    BuchiState& to = b.states[i];
    to.pos = std::move(from.pos);
    to.neg = std::move(from.neg);
    for (int t : from.succ) to.succ.push_back(renum[t]);
    std::sort(to.succ.begin(), to.succ.end());
    to.acc = w.num_acc ? from.acc[0] : 0;
    if (from.initial) b.initial.push_back(static_cast<int>(i));
  }
  return b;
}

std::string to_string(const Buchi& b, const std::vector<std::string>& names)
{
  std::string out;
  for (size_t q = 0; q < b.states.size(); ++q)
  {
    const BuchiState& s = b.states[q];
    out += "q" + std::to_string(q);
    if (std::binary_search(b.initial.begin(), b.initial.end(), static_cast<int>(q))) out += " init";
    if (b.num_acc)
    {
      out += " acc{";
      bool first = true;
      for (int j = 0; j < b.num_acc; ++j)
        if ((s.acc >> j) & 1)
        {
          out += (first ? "" : ",") + std::to_string(j);
          first = false;
        }
      out += "}";
    }
    out += " [";
    bool first = true;
    for (int a : s.pos)
    {
      out += (first ? "" : " ") + atom_name(a, names);
      first = false;
    }
    for (int a : s.neg)
    {
      out += (first ? "!" : " !") + atom_name(a, names);
      first = false;
    }
    out += "] ->";
    for (int t : s.succ) out += " q" + std::to_string(t);
    out += "\n";
  }
  return out;
}

}  // namespace keel::liveness
