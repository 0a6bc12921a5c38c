// checker/liveness/ltl: formulas, rewrites, and the translation to Büchi
// automata. The sizes of the small automata are derived by hand below; the
// randomized test checks the automaton against a direct evaluation of the
// formula on ultimately periodic words u v^ω.
#include "checker/liveness/ltl.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

using namespace keel::liveness;

namespace
{

// splitmix64: a fixed, portable random sequence.
struct Rng
{
  uint64_t s;
  uint64_t next()
  {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
};

// An ultimately periodic word u v^ω: letter i is a bit mask of the true atoms.
struct Lasso
{
  std::vector<uint32_t> letters;  // u then v
  int loop_start = 0;             // |u|
  int size() const { return static_cast<int>(letters.size()); }
  int succ(int i) const { return i + 1 < size() ? i + 1 : loop_start; }
};

// The truth of `f` at each position of the lasso, by the LTL semantics: on a
// lasso every position has one successor, a U b is the least and a R b the
// greatest solution of its expansion law, computed by iteration.
std::vector<char> holds(const Formula& f, const Lasso& w)
{
  int n = w.size();
  std::vector<char> r(n);
  auto fix = [&](const std::vector<char>& a, const std::vector<char>& b, bool until)
  {
    // until:   x(i) = b(i) | (a(i) & x(succ i)), from all false
    // release: x(i) = b(i) & (a(i) | x(succ i)), from all true
    std::vector<char> x(n, until ? 0 : 1);
    for (bool changed = true; changed;)
    {
      changed = false;
      for (int i = n - 1; i >= 0; --i)
      {
        char v = until ? (b[i] || (a[i] && x[w.succ(i)])) : (b[i] && (a[i] || x[w.succ(i)]));
        if (v != x[i])
        {
          x[i] = v;
          changed = true;
        }
      }
    }
    return x;
  };
  std::vector<char> all_true(n, 1), all_false(n, 0);
  switch (f.op())
  {
    case LtlOp::True:
      return all_true;
    case LtlOp::False:
      return all_false;
    case LtlOp::Atom:
      for (int i = 0; i < n; ++i) r[i] = (w.letters[i] >> f.atom()) & 1;
      return r;
    case LtlOp::Not:
    {
      auto a = holds(f.lhs(), w);
      for (int i = 0; i < n; ++i) r[i] = !a[i];
      return r;
    }
    case LtlOp::And:
    case LtlOp::Or:
    {
      auto a = holds(f.lhs(), w), b = holds(f.rhs(), w);
      for (int i = 0; i < n; ++i) r[i] = f.op() == LtlOp::And ? (a[i] && b[i]) : (a[i] || b[i]);
      return r;
    }
    case LtlOp::Next:
    {
      auto a = holds(f.lhs(), w);
      for (int i = 0; i < n; ++i) r[i] = a[w.succ(i)];
      return r;
    }
    case LtlOp::Until:
      return fix(holds(f.lhs(), w), holds(f.rhs(), w), true);
    case LtlOp::Release:
      return fix(holds(f.lhs(), w), holds(f.rhs(), w), false);
    case LtlOp::Eventually:
      return fix(all_true, holds(f.lhs(), w), true);
    case LtlOp::Always:
      return fix(all_false, holds(f.lhs(), w), false);
  }
  FAIL("unknown operator");
  return r;
}

// Whether the automaton accepts the lasso word: the product of the automaton
// with the lasso (pairs (q, i) whose literals hold at position i) has a
// reachable strongly connected component with an edge inside that meets
// every acceptance set. Tarjan's algorithm, written out here so that the
// check does not share code with the library.
bool accepts(const Buchi& b, const Lasso& w)
{
  int L = w.size();
  int n = static_cast<int>(b.states.size()) * L;
  auto valid = [&](int q, int i)
  {
    for (int a : b.states[q].pos)
      if (!((w.letters[i] >> a) & 1)) return false;
    for (int a : b.states[q].neg)
      if ((w.letters[i] >> a) & 1) return false;
    return true;
  };
  auto succs = [&](int v)
  {
    std::vector<int> out;
    int q = v / L, i = v % L, j = w.succ(i);
    for (int t : b.states[q].succ)
      if (valid(t, j)) out.push_back(t * L + j);
    return out;
  };
  std::vector<int> index(n, -1), low(n, 0), stack;
  std::vector<char> on_stack(n, 0);
  int counter = 0;
  bool found = false;
  uint64_t all = b.num_acc == 64 ? ~uint64_t{0} : (uint64_t{1} << b.num_acc) - 1;
  std::function<void(int)> visit = [&](int v)
  {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = 1;
    for (int t : succs(v))
    {
      if (index[t] < 0)
      {
        visit(t);
        low[v] = std::min(low[v], low[t]);
      }
      else if (on_stack[t])
        low[v] = std::min(low[v], index[t]);
    }
    if (low[v] != index[v]) return;
    std::vector<int> comp;
    int x;
    do
    {
      x = stack.back();
      stack.pop_back();
      on_stack[x] = 0;
      comp.push_back(x);
    } while (x != v);
    bool cycle = comp.size() > 1;
    uint64_t acc = 0;
    for (int y : comp)
    {
      acc |= b.states[y / L].acc;
      for (int t : succs(y))
        if (t == y) cycle = true;
    }
    if (cycle && (acc & all) == all) found = true;
  };
  for (int q : b.initial)
    if (valid(q, 0) && index[q * L] < 0) visit(q * L);
  return found;
}

void check_well_formed(const Buchi& b)
{
  int n = static_cast<int>(b.states.size());
  REQUIRE(b.num_acc >= 0);
  REQUIRE(b.num_acc <= kMaxAcceptanceSets);
  REQUIRE(std::is_sorted(b.initial.begin(), b.initial.end()));
  for (int q : b.initial) REQUIRE((q >= 0 && q < n));
  for (const BuchiState& s : b.states)
  {
    REQUIRE(std::is_sorted(s.succ.begin(), s.succ.end()));
    for (int t : s.succ) REQUIRE((t >= 0 && t < n));
    if (b.num_acc < 64) REQUIRE((s.acc >> b.num_acc) == 0);
  }
}

Formula random_formula(Rng& rng, int atoms, int depth)
{
  if (depth == 0 || rng.below(5) == 0)
  {
    int k = rng.below(12);
    if (k == 0) return ltl_true();
    if (k == 1) return ltl_false();
    return atom(rng.below(atoms));
  }
  Formula a = random_formula(rng, atoms, depth - 1);
  switch (rng.below(10))
  {
    case 0:
      return ltl_not(a);
    case 1:
      return ltl_and(a, random_formula(rng, atoms, depth - 1));
    case 2:
      return ltl_or(a, random_formula(rng, atoms, depth - 1));
    case 3:
      return next(a);
    case 4:
      return until(a, random_formula(rng, atoms, depth - 1));
    case 5:
      return release(a, random_formula(rng, atoms, depth - 1));
    case 6:
      return eventually(a);
    case 7:
      return always(a);
    case 8:
      return implies(a, random_formula(rng, atoms, depth - 1));
    default:
      return leads_to(a, random_formula(rng, atoms, depth - 1));
  }
}

Lasso random_lasso(Rng& rng, int atoms)
{
  Lasso w;
  w.loop_start = rng.below(4);
  int len = w.loop_start + 1 + rng.below(3);
  for (int i = 0; i < len; ++i) w.letters.push_back(static_cast<uint32_t>(rng.below(1 << atoms)));
  return w;
}

Lasso word(std::vector<uint32_t> u, std::vector<uint32_t> v)
{
  Lasso w;
  w.loop_start = static_cast<int>(u.size());
  w.letters = u;
  w.letters.insert(w.letters.end(), v.begin(), v.end());
  return w;
}

bool only_atoms_negated(const Formula& f)
{
  switch (f.op())
  {
    case LtlOp::Not:
      return f.lhs().op() == LtlOp::Atom;
    case LtlOp::True:
    case LtlOp::False:
    case LtlOp::Atom:
      return true;
    case LtlOp::Next:
    case LtlOp::Eventually:
    case LtlOp::Always:
      return only_atoms_negated(f.lhs());
    default:
      return only_atoms_negated(f.lhs()) && only_atoms_negated(f.rhs());
  }
}

const Formula p = atom(0), q = atom(1);

}  // namespace

TEST_CASE("LTL formulas print with their operands parenthesized", "[liveness][ltl]")
{
  CHECK(to_string(leads_to(p, q)) == "G (!p0 || F p1)");
  CHECK(to_string(until(p, release(q, ltl_false()))) == "p0 U (p1 R false)");
  CHECK(to_string(next(ltl_not(ltl_and(p, q))), {"ready", "done"}) == "X !(ready && done)");
  CHECK(to_string(always(eventually(atom(2)))) == "G F p2");
}

TEST_CASE("LTL equality is structural", "[liveness][ltl]")
{
  CHECK(until(p, q) == until(atom(0), atom(1)));
  CHECK(until(p, q) != until(q, p));
  CHECK(until(p, q) != release(p, q));
  CHECK(always(p).size() == 2);
}

TEST_CASE("LTL negation normal form", "[liveness][ltl]")
{
  CHECK(nnf(ltl_not(until(p, q))) == release(ltl_not(p), ltl_not(q)));
  CHECK(nnf(ltl_not(release(p, q))) == until(ltl_not(p), ltl_not(q)));
  CHECK(nnf(ltl_not(eventually(p))) == always(ltl_not(p)));
  CHECK(nnf(ltl_not(always(p))) == eventually(ltl_not(p)));
  CHECK(nnf(ltl_not(next(p))) == next(ltl_not(p)));
  CHECK(nnf(ltl_not(ltl_and(p, ltl_not(q)))) == ltl_or(ltl_not(p), q));
  CHECK(nnf(ltl_not(ltl_not(p))) == p);
  CHECK(nnf(ltl_not(ltl_true())) == ltl_false());
  CHECK(nnf(ltl_not(leads_to(p, q))) == eventually(ltl_and(p, always(ltl_not(q)))));
}

TEST_CASE("LTL rewrites: each rule fires where it matches", "[liveness][ltl]")
{
  struct Case
  {
    Formula in, out;
    LtlRewrite rule;
  };
  Formula t = ltl_true(), f = ltl_false();
  std::vector<Case> cases = {
      {ltl_and(t, p), p, LtlRewrite::ConstAnd},
      {ltl_and(p, f), f, LtlRewrite::ConstAnd},
      {ltl_or(f, p), p, LtlRewrite::ConstOr},
      {ltl_or(p, t), t, LtlRewrite::ConstOr},
      {ltl_and(p, p), p, LtlRewrite::IdemAndOr},
      {ltl_or(q, q), q, LtlRewrite::IdemAndOr},
      {next(t), t, LtlRewrite::ConstNext},
      {eventually(f), f, LtlRewrite::ConstTemporal},
      {always(t), t, LtlRewrite::ConstTemporal},
      {eventually(eventually(p)), eventually(p), LtlRewrite::FF},
      {always(always(p)), always(p), LtlRewrite::GG},
      {eventually(always(eventually(p))), always(eventually(p)), LtlRewrite::FGF},
      {always(eventually(always(p))), eventually(always(p)), LtlRewrite::GFG},
      {until(p, t), t, LtlRewrite::UntilConst},
      {until(f, q), q, LtlRewrite::UntilConst},
      {until(t, q), eventually(q), LtlRewrite::UntilConst},
      {release(p, f), f, LtlRewrite::ReleaseConst},
      {release(f, q), always(q), LtlRewrite::ReleaseConst},
      {release(t, q), q, LtlRewrite::ReleaseConst},
      {until(p, p), p, LtlRewrite::IdemUntil},
      {release(q, q), q, LtlRewrite::IdemUntil},
      {eventually(until(p, q)), eventually(q), LtlRewrite::EventuallyUntil},
      {always(release(p, q)), always(q), LtlRewrite::AlwaysRelease},
  };
  for (const Case& c : cases)
  {
    INFO(to_string(c.in) << "  (" << ltl_rewrite_name(c.rule) << ")");
    LtlRewriteCounts counts{};
    CHECK(simplify(c.in, &counts) == c.out);
    CHECK(counts[static_cast<size_t>(c.rule)] >= 1);
  }
  // Rules apply again to what a rule built, operands first:
  // F (true U F p) -> F (F F p) -> F (F p) -> F p.
  LtlRewriteCounts counts{};
  CHECK(simplify(eventually(until(ltl_true(), eventually(p))), &counts) == eventually(p));
  CHECK(counts[static_cast<size_t>(LtlRewrite::UntilConst)] == 1);
  CHECK(counts[static_cast<size_t>(LtlRewrite::FF)] == 2);
  CHECK(counts[static_cast<size_t>(LtlRewrite::EventuallyUntil)] == 0);
  // Nothing to do: no rule fires.
  counts = {};
  CHECK(simplify(until(p, q), &counts) == until(p, q));
  for (uint64_t c : counts) CHECK(c == 0);
}

// Sizes derived by hand from the tableau (see docs/engines.md for the rules):
//   G p:  one state {p, G p} looping on itself; no until, so no acceptance set.
//   F p:  {F p, p} -> {} (true, loops); {F p} (not accepting) -> both of the
//         first; the state reading p cannot be replaced by the `true` state (it
//         is initial, the other is not): 3 states, 1 set.
//   G F p: {GFp, Fp, p} (accepting) and {GFp, Fp} with F p postponed, each to
//         both: 2 states, 1 set.
//   F G p: {FGp} (loops, not accepting) -> {FGp, Gp, p} -> {Gp, p} (loops);
//         the last two read p, accept and go to the second: bisimilar, merged.
//         2 states, 1 set.
//   p U q: {q} accepting -> {} (true, loops, accepting); {p} postponing ->
//         both: 3 states, 1 set.
//   G (p -> F q): {!p}, {q} (accepting), {F q postponed} (true), plus
//         {!p, q} and {!p, F q postponed}, which {q} and {true} stand in for
//         (same successors and acceptance, fewer literals): 3 states, 1 set.
TEST_CASE("LTL translation: sizes of the small automata", "[liveness][ltl]")
{
  struct Case
  {
    Formula f;
    size_t states;
    int acc;
  };
  std::vector<Case> cases = {
      {always(p), 1, 0},
      {eventually(p), 3, 1},
      {always(eventually(p)), 2, 1},
      {eventually(always(p)), 2, 1},
      {until(p, q), 3, 1},
      {leads_to(p, q), 3, 1},
      {ltl_true(), 1, 0},
      {ltl_false(), 0, 0},
      {ltl_and(p, ltl_not(p)), 0, 0},
      {ltl_and(always(p), eventually(ltl_not(p))), 0, 0},
  };
  for (const Case& c : cases)
  {
    INFO(to_string(c.f));
    Buchi b = translate(c.f);
    INFO(to_string(b));
    check_well_formed(b);
    CHECK(b.states.size() == c.states);
    CHECK(b.num_acc == c.acc);
  }
  // G p exactly: one initial state reading p, looping.
  Buchi g = translate(always(p));
  REQUIRE(g.states.size() == 1);
  CHECK(g.initial == std::vector<int>{0});
  CHECK(g.states[0].pos == std::vector<int>{0});
  CHECK(g.states[0].neg.empty());
  CHECK(g.states[0].succ == std::vector<int>{0});
}

TEST_CASE("LTL translation: statistics name what the reductions did", "[liveness][ltl]")
{
  TranslateStats st;
  Buchi b = translate(leads_to(p, q), &st);
  CHECK(b.states.size() == 3);
  CHECK(st.tableau_states == 5);
  CHECK(st.subsumed_states == 2);
  TranslateStats fg;
  translate(eventually(always(p)), &fg);
  CHECK(fg.merged_states == 1);
}

TEST_CASE("LTL translation: hand-picked words", "[liveness][ltl]")
{
  // Letters: bit 0 = p, bit 1 = q.
  Buchi lt = translate(leads_to(p, q));
  CHECK(accepts(lt, word({}, {0})));           // p never
  CHECK(accepts(lt, word({1}, {2})));          // p answered by q forever after
  CHECK_FALSE(accepts(lt, word({}, {1, 0})));  // p again and again, q never
  CHECK(accepts(lt, word({}, {1, 2})));        // each p followed by a q
  CHECK_FALSE(accepts(lt, word({2, 1}, {0})));

  Buchi u = translate(until(p, q));
  CHECK(accepts(u, word({1, 1, 2}, {0})));
  CHECK_FALSE(accepts(u, word({1, 0, 2}, {0})));
  CHECK_FALSE(accepts(u, word({}, {1})));

  Buchi gf = translate(always(eventually(p)));
  CHECK(accepts(gf, word({0, 0}, {0, 0, 1})));
  CHECK_FALSE(accepts(gf, word({1, 1}, {0})));
}

TEST_CASE("LTL simplify keeps the meaning (random formulas, lasso words)", "[liveness][ltl]")
{
  Rng rng{20240611};
  int checked = 0;
  for (int i = 0; i < 3000; ++i)
  {
    int atoms = 2 + rng.below(2);
    Formula f = random_formula(rng, atoms, 4);
    Formula g = simplify(f);
    REQUIRE(only_atoms_negated(g));
    for (int k = 0; k < 10; ++k)
    {
      Lasso w = random_lasso(rng, atoms);
      INFO(to_string(f) << "  ~>  " << to_string(g));
      REQUIRE(holds(f, w) == holds(g, w));
      ++checked;
    }
  }
  CHECK(checked == 30000);
}

TEST_CASE("LTL translation agrees with the semantics (random formulas, lasso words)", "[liveness][ltl]")
{
  Rng rng{7};
  int pairs = 0, accepted = 0, rejected = 0;
  size_t largest = 0;
  for (int i = 0; i < 2500; ++i)
  {
    int atoms = 2 + rng.below(2);
    Formula f = random_formula(rng, atoms, 4);
    Buchi b = translate(f);
    Buchi nb = translate(ltl_not(f));
    check_well_formed(b);
    check_well_formed(nb);
    largest = std::max({largest, b.states.size(), nb.states.size()});
    for (int k = 0; k < 16; ++k)
    {
      Lasso w = random_lasso(rng, atoms);
      bool expected = holds(f, w)[0];
      bool yes = accepts(b, w), no = accepts(nb, w);
      INFO(to_string(f) << "\n" << to_string(b) << "negation:\n" << to_string(nb));
      REQUIRE(yes == expected);
      REQUIRE(yes != no);  // never both, always one
      ++pairs;
      (expected ? accepted : rejected)++;
    }
  }
  CHECK(pairs == 40000);
  // Both verdicts occur often: the test is not one-sided.
  CHECK(accepted > 5000);
  CHECK(rejected > 5000);
  CHECK(largest < 1000);
}
