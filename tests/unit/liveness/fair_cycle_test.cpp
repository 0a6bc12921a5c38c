// checker/liveness/fair_cycle: hand-made graphs for each fairness rule, a
// randomized comparison with a brute-force oracle, and a graph of millions
// of nodes. Every lasso returned is validated against the definitions.
#include "checker/liveness/fair_cycle.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <set>
#include <string>
#include <vector>

using namespace keel::liveness;

namespace
{

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
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
};

bool contains(std::span<const uint32_t> s, uint32_t x)
{
  return std::find(s.begin(), s.end(), x) != s.end();
}

// Checks a lasso against the definitions; returns "" or what is wrong.
std::string validate(const FairGraph& g, const Lasso& l)
{
  if (l.prefix.size() != l.prefix_edges.size() || l.loop.size() != l.loop_edges.size()) return "sizes differ";
  if (l.loop.empty()) return "empty loop";
  uint32_t first = l.prefix.empty() ? l.loop[0] : l.prefix[0];
  if (!contains(g.initial, first)) return "does not start at an initial node";
  // The whole walk: prefix then loop, each step an existing edge to the next node.
  std::vector<uint32_t> nodes = l.prefix, ks = l.prefix_edges;
  nodes.insert(nodes.end(), l.loop.begin(), l.loop.end());
  ks.insert(ks.end(), l.loop_edges.begin(), l.loop_edges.end());
  for (size_t i = 0; i < nodes.size(); ++i)
  {
    uint32_t v = nodes[i];
    if (v >= g.num_nodes()) return "no such node";
    if (ks[i] >= g.out_degree(v)) return "no such edge";
    uint32_t want = i + 1 < nodes.size() ? nodes[i + 1] : l.loop[0];
    if (g.edge_to[g.edge(v, ks[i])] != want) return "step " + std::to_string(i) + " does not reach the next node";
  }
  uint64_t seen = 0;
  std::set<uint32_t> taken, enabled;
  std::vector<char> disabled_somewhere(g.num_constraints(), 0);
  for (size_t i = 0; i < l.loop.size(); ++i)
  {
    uint32_t v = l.loop[i];
    seen |= g.acc[v];
    for (uint32_t c : g.enabled(v)) enabled.insert(c);
    for (uint32_t c = 0; c < g.num_constraints(); ++c)
      if (!contains(g.enabled(v), c)) disabled_somewhere[c] = 1;
    for (uint32_t c : g.takes(g.edge(v, l.loop_edges[i]))) taken.insert(c);
  }
  uint64_t all = g.num_acc == 64 ? ~uint64_t{0} : (uint64_t{1} << g.num_acc) - 1;
  if ((seen & all) != all) return "loop misses an acceptance set";
  for (uint32_t c = 0; c < g.num_constraints(); ++c)
  {
    if (!g.constraint_is_strong[c] && !disabled_somewhere[c] && !taken.count(c))
      return "weak constraint " + std::to_string(c) + " starved";
    if (g.constraint_is_strong[c] && enabled.count(c) && !taken.count(c))
      return "strong constraint " + std::to_string(c) + " starved";
  }
  return "";
}

// The brute-force oracle: a closed walk visits a node set N and an edge set
// E with (N, E) strongly connected, and any such (N, E) with E non-empty is
// covered by a closed walk; fairness and acceptance depend only on (N, E).
// So a fair accepting cycle exists iff some non-empty edge subset, strongly
// connected on its endpoints and reachable, meets the definitions.
bool oracle(const FairGraph& g)
{
  uint32_t n = g.num_nodes();
  uint64_t m = g.num_edges();
  std::vector<uint32_t> src(m);
  for (uint32_t v = 0; v < n; ++v)
    for (uint64_t e = g.edge_begin[v]; e < g.edge_begin[v + 1]; ++e) src[e] = v;
  std::vector<char> reach(n, 0);
  std::vector<uint32_t> todo(g.initial.begin(), g.initial.end());
  for (uint32_t v : todo) reach[v] = 1;
  while (!todo.empty())
  {
    uint32_t v = todo.back();
    todo.pop_back();
    for (uint64_t e = g.edge_begin[v]; e < g.edge_begin[v + 1]; ++e)
      if (!reach[g.edge_to[e]]) reach[g.edge_to[e]] = 1, todo.push_back(g.edge_to[e]);
  }
  uint64_t all = (uint64_t{1} << g.num_acc) - 1;
  for (uint64_t mask = 1; mask < (uint64_t{1} << m); ++mask)
  {
    uint32_t nodes = 0;
    for (uint64_t e = 0; e < m; ++e)
      if ((mask >> e) & 1) nodes |= (1u << src[e]) | (1u << g.edge_to[e]);
    uint32_t start = static_cast<uint32_t>(__builtin_ctz(nodes));
    if (!reach[start]) continue;
    // Strongly connected: everything reached forwards and backwards from start.
    auto closure = [&](bool forward)
    {
      uint32_t got = 1u << start;
      for (bool grew = true; grew;)
      {
        grew = false;
        for (uint64_t e = 0; e < m; ++e)
        {
          if (!((mask >> e) & 1)) continue;
          uint32_t a = forward ? src[e] : g.edge_to[e], b = forward ? g.edge_to[e] : src[e];
          if ((got >> a & 1) && !(got >> b & 1)) got |= 1u << b, grew = true;
        }
      }
      return got;
    };
    if (closure(true) != nodes || closure(false) != nodes) continue;
    uint64_t seen = 0;
    for (uint32_t v = 0; v < n; ++v)
      if (nodes >> v & 1) seen |= g.acc[v];
    if ((seen & all) != all) continue;
    bool fair = true;
    for (uint32_t c = 0; c < g.num_constraints() && fair; ++c)
    {
      bool taken = false, enabled = false, disabled = false;
      for (uint64_t e = 0; e < m; ++e)
        if ((mask >> e & 1) && contains(g.takes(e), c)) taken = true;
      for (uint32_t v = 0; v < n; ++v)
        if (nodes >> v & 1) (contains(g.enabled(v), c) ? enabled : disabled) = true;
      fair = g.constraint_is_strong[c] ? (!enabled || taken) : (disabled || taken);
    }
    if (fair) return true;
  }
  return false;
}

std::optional<Lasso> find_checked(const FairGraph& g)
{
  REQUIRE(g.check() == "");
  std::optional<Lasso> l = find_fair_accepting_cycle(g);
  if (l) CHECK(validate(g, *l) == "");
  return l;
}

using Ids = std::vector<uint32_t>;

}  // namespace

TEST_CASE("Fair cycles: the builder groups edges by source in the order added", "[liveness][fair]")
{
  FairGraphBuilder b(1, {false, true});
  uint32_t a = b.add_node(1, Ids{1, 0, 1});
  uint32_t c = b.add_node();
  b.add_edge(c, a, Ids{0});
  b.add_edge(a, c);
  b.add_edge(c, c, Ids{1, 0});
  b.add_initial(a);
  FairGraph g = b.build();
  REQUIRE(g.check() == "");
  CHECK(g.num_nodes() == 2);
  CHECK(g.num_edges() == 3);
  CHECK(g.out_degree(a) == 1);
  CHECK(g.edge_to[g.edge(c, 0)] == a);
  CHECK(g.edge_to[g.edge(c, 1)] == c);
  CHECK(std::vector<uint32_t>(g.enabled(a).begin(), g.enabled(a).end()) == Ids{0, 1});
  CHECK(g.takes(g.edge(c, 1)).size() == 2);
  CHECK(g.takes(g.edge(a, 0)).empty());
  CHECK(g.set_begin.size() == 4);  // {}, {0,1}, {0}: shared between node a and edge (c,c)

  FairGraphBuilder bad(0, {false});
  bad.add_node();
  CHECK_THROWS_AS(bad.add_edge(0, 0, Ids{3}), std::invalid_argument);
  bad.add_edge(0, 5);
  CHECK_THROWS_AS(bad.build(), std::invalid_argument);
  FairGraph broken;
  broken.initial = {2};
  CHECK_THROWS_AS(find_fair_accepting_cycle(broken), std::invalid_argument);
}

TEST_CASE("Fair cycles: self-loops and trivial components", "[liveness][fair]")
{
  // 0 -> 1, no cycle at all.
  FairGraphBuilder b(0, {});
  b.add_node();
  b.add_node();
  b.add_edge(0, 1);
  b.add_initial(0);
  FairGraph g = b.build();
  CHECK_FALSE(find_checked(g));

  // 0 -> 1 -> 1: the self-loop is a cycle; prefix [0], loop [1].
  FairGraphBuilder s(1, {});
  s.add_node(0);
  s.add_node(1);
  s.add_edge(0, 1);
  s.add_edge(1, 1);
  s.add_initial(0);
  FairGraph h = s.build();
  auto l = find_checked(h);
  REQUIRE(l);
  CHECK(l->prefix == Ids{0});
  CHECK(l->loop == Ids{1});
}

TEST_CASE("Fair cycles: weak fairness", "[liveness][fair]")
{
  // Node 0 stutters with constraint 0 (weak) enabled, and could leave by an
  // edge taking it to node 1, where it is disabled.
  auto graph = [](bool exit_loops)
  {
    FairGraphBuilder b(0, {false});
    b.add_node(0, Ids{0});
    b.add_node(0, Ids{});
    b.add_edge(0, 0);          // stutter: takes nothing
    b.add_edge(0, 1, Ids{0});  // the fair action
    if (exit_loops) b.add_edge(1, 1);
    b.add_initial(0);
    return b.build();
  };
  // Continuously enabled, never taken on the only cycle: not fair.
  CHECK_FALSE(find_checked(graph(false)));
  // Node 1's loop is fair (the constraint is disabled there).
  auto l = find_checked(graph(true));
  REQUIRE(l);
  CHECK(l->loop == Ids{1});

  // Enabled only intermittently (at 0, not at 1) on the cycle 0 <-> 1,
  // never taken: fair under weak fairness.
  FairGraphBuilder b(0, {false});
  b.add_node(0, Ids{0});
  b.add_node(0, Ids{});
  b.add_edge(0, 1);
  b.add_edge(1, 0);
  b.add_initial(0);
  auto w = find_checked(b.build());
  REQUIRE(w);
  CHECK(w->loop.size() == 2);
}

TEST_CASE("Fair cycles: strong fairness", "[liveness][fair]")
{
  // The same intermittent cycle under strong fairness: enabled infinitely
  // often, never taken: not fair.
  FairGraphBuilder b(0, {true});
  b.add_node(0, Ids{0});
  b.add_node(0, Ids{});
  b.add_edge(0, 1);
  b.add_edge(1, 0);
  b.add_initial(0);
  CHECK_FALSE(find_checked(b.build()));

  // Taken on the cycle: fair.
  FairGraphBuilder t(0, {true});
  t.add_node(0, Ids{0});
  t.add_node(0, Ids{});
  t.add_edge(0, 1, Ids{0});
  t.add_edge(1, 0);
  t.add_initial(0);
  CHECK(find_checked(t.build()));
}

TEST_CASE("Fair cycles: a starved strong constraint splits the component", "[liveness][fair]")
{
  // 0 <-> 1 <-> 2, constraint 0 (strong) enabled at 2 and never taken: the
  // component {0,1,2} is unfair as a whole, but without node 2 the cycle
  // 0 <-> 1 is fair. With the only acceptance node at 2 there is none.
  auto graph = [](uint64_t acc_at_2)
  {
    FairGraphBuilder b(1, {true});
    b.add_node(1);
    b.add_node(0);
    b.add_node(acc_at_2, Ids{0});
    b.add_edge(0, 1);
    b.add_edge(1, 0);
    b.add_edge(1, 2);
    b.add_edge(2, 1);
    b.add_initial(0);
    return b.build();
  };
  FairCycleStats st;
  auto l = find_fair_accepting_cycle(graph(0), &st);
  REQUIRE(l);
  CHECK(validate(graph(0), *l) == "");
  CHECK(std::find(l->loop.begin(), l->loop.end(), 2u) == l->loop.end());
  CHECK(st.splits == 1);
  FairGraph g2 = graph(1);
  g2.acc[0] = 0;
  CHECK_FALSE(find_checked(g2));

  // Two levels: constraint 0 (strong) enabled at 3, never taken; constraint
  // 1 (strong) enabled at 2, taken only on 3 -> 2. Removing 3 starves
  // constraint 1, removing 2 leaves the fair cycle 0 <-> 1.
  FairGraphBuilder b(0, {true, true});
  b.add_node();
  b.add_node();
  b.add_node(0, Ids{1});
  b.add_node(0, Ids{0});
  b.add_edge(0, 1);
  b.add_edge(1, 0);
  b.add_edge(1, 2);
  b.add_edge(2, 3);
  b.add_edge(3, 2, Ids{1});
  b.add_edge(2, 1);
  b.add_initial(0);
  FairGraph g = b.build();
  FairCycleStats st2;
  auto l2 = find_fair_accepting_cycle(g, &st2);
  REQUIRE(l2);
  CHECK(validate(g, *l2) == "");
  CHECK(st2.splits == 2);
  for (uint32_t v : l2->loop) CHECK(v < 2);
}

TEST_CASE("Fair cycles: acceptance sets", "[liveness][fair]")
{
  // A ring 0 -> 1 -> 2 -> 3 -> 0 with set 0 at node 1 and set 1 at node 3:
  // the loop must pass both. Without node 3's mark, none accepts.
  FairGraphBuilder b(2, {});
  b.add_node(0);
  b.add_node(1);
  b.add_node(0);
  b.add_node(2);
  for (uint32_t v = 0; v < 4; ++v) b.add_edge(v, (v + 1) % 4);
  b.add_edge(0, 0);
  b.add_initial(0);
  FairGraph g = b.build();
  auto l = find_checked(g);
  REQUIRE(l);
  CHECK(l->loop.size() == 4);
  g.acc[3] = 0;
  CHECK_FALSE(find_checked(g));
}

TEST_CASE("Fair cycles: unreachable components are ignored, the closest is chosen", "[liveness][fair]")
{
  // 0 -> 1 -> 2 -> 3 (3 loops, accepting); 4 loops and accepts but cannot
  // be reached; 1 loops too but is not accepting.
  FairGraphBuilder b(1, {});
  for (uint64_t acc : {0, 0, 0, 1, 1}) b.add_node(acc);
  b.add_edge(0, 1);
  b.add_edge(1, 2);
  b.add_edge(2, 3);
  b.add_edge(3, 3);
  b.add_edge(4, 4);
  b.add_edge(1, 1);
  b.add_initial(0);
  FairGraph g = b.build();
  auto l = find_checked(g);
  REQUIRE(l);
  CHECK(l->prefix == Ids{0, 1, 2});
  CHECK(l->loop == Ids{3});
  g.edge_to[g.edge(2, 0)] = 2;  // 2 now loops instead of reaching 3
  CHECK_FALSE(find_checked(g));

  // Two accepting loops, at distance 3 and 1: the closer one.
  FairGraphBuilder c(1, {});
  for (uint64_t acc : {0, 0, 0, 1, 1}) c.add_node(acc);
  c.add_edge(0, 1);
  c.add_edge(1, 2);
  c.add_edge(2, 3);
  c.add_edge(3, 3);
  c.add_edge(0, 4);
  c.add_edge(4, 4);
  c.add_initial(0);
  auto m = find_checked(c.build());
  REQUIRE(m);
  CHECK(m->prefix == Ids{0});
  CHECK(m->prefix_edges == Ids{1});
  CHECK(m->loop == Ids{4});
}

TEST_CASE("Fair cycles: agree with a brute-force oracle on random graphs", "[liveness][fair]")
{
  Rng rng{42};
  int found = 0, none = 0;
  for (int round = 0; round < 20000; ++round)
  {
    uint32_t n = 1 + rng.below(6);
    uint32_t nc = rng.below(4);
    std::vector<bool> strong(nc);
    for (uint32_t c = 0; c < nc; ++c) strong[c] = rng.below(2);
    int num_acc = static_cast<int>(rng.below(3));
    FairGraphBuilder b(num_acc, strong);
    std::vector<Ids> enabled(n);
    for (uint32_t v = 0; v < n; ++v)
    {
      for (uint32_t c = 0; c < nc; ++c)
        if (rng.below(2)) enabled[v].push_back(c);
      b.add_node(num_acc ? rng.below(1u << num_acc) : 0, enabled[v]);
    }
    uint32_t m = rng.below(13);
    for (uint32_t i = 0; i < m; ++i)
    {
      uint32_t from = rng.below(n), to = rng.below(n);
      Ids takes;
      // Mostly what the product gives (an edge takes constraints enabled at
      // its source), sometimes anything.
      bool any = rng.below(4) == 0;
      for (uint32_t c = 0; c < nc; ++c)
        if ((any || contains(enabled[from], c)) && rng.below(3) == 0) takes.push_back(c);
      b.add_edge(from, to, takes);
    }
    b.add_initial(rng.below(n));
    if (rng.below(3) == 0) b.add_initial(rng.below(n));
    FairGraph g = b.build();
    bool expected = oracle(g);
    std::optional<Lasso> l = find_fair_accepting_cycle(g);
    INFO("round " << round);
    REQUIRE(l.has_value() == expected);
    if (l) REQUIRE(validate(g, *l) == "");
    (expected ? found : none)++;
  }
  CHECK(found > 4000);
  CHECK(none > 4000);
}

TEST_CASE("Fair cycles: millions of nodes", "[liveness][fair]")
{
  // A ring of 2,000,000 nodes (a depth-first search goes 2M deep) with a
  // stutter self-loop everywhere; weak constraint 0 is enabled everywhere and
  // taken only on the edge 1,999,999 -> 0; strong constraint 1 is enabled
  // at every 1000th node and never taken, so the ring is unfair as a whole
  // and splits into 2000 chains with self-loops, each unfair under weak
  // fairness (constraint 0 enabled throughout, never taken). The accepting
  // node is 1,000,001.
  const uint32_t n = 2000000;
  auto build = [&](bool strong_starved)
  {
    FairGraphBuilder b(1, {false, true});
    for (uint32_t v = 0; v < n; ++v)
    {
      Ids en{0};
      if (strong_starved && v % 1000 == 500) en.push_back(1);
      b.add_node(v == 1000001 ? 1 : 0, en);
      b.add_edge(v, v);
      b.add_edge(v, (v + 1) % n, v == n - 1 ? Ids{0} : Ids{});
    }
    b.add_initial(0);
    return b.build();
  };
  FairGraph g = build(true);
  FairCycleStats st;
  CHECK_FALSE(find_fair_accepting_cycle(g, &st));
  CHECK(st.reachable == n);
  CHECK(st.splits == 1);
  // The ring, then each remaining node alone (the chains between removed
  // nodes have no cycle but the self-loops).
  CHECK(st.components == 1 + n - 2000);

  FairGraph h = build(false);
  auto l = find_fair_accepting_cycle(h);
  REQUIRE(l);
  CHECK(validate(h, *l) == "");
  // Prefix: none (node 0 is initial and on the ring); the loop is the whole
  // ring: it must take the edge n-1 -> 0 and visit node 1,000,001.
  CHECK(l->prefix.empty());
  CHECK(l->loop.size() == n);
}

// Not run by default (hidden tag): timing on a large random graph, e.g.
//   /usr/bin/time -v build/tests/unit/keel_unit_tests "[fair-bench]" -s
TEST_CASE("Fair cycles: timing on 5 million nodes", "[.][fair-bench]")
{
  // Each node stutters, steps to the next one on a ring and to a random one;
  // weak constraint 0 is enabled everywhere and taken on one edge in 1000;
  // strong constraint 1 is enabled at one node in 1000 and never taken (the
  // giant component splits once); one node in a million accepts.
  const uint32_t n = 5000000;
  Rng rng{1};
  auto t0 = std::chrono::steady_clock::now();
  std::clock_t c0 = std::clock();
  FairGraphBuilder b(1, {false, true});
  for (uint32_t v = 0; v < n; ++v)
  {
    Ids en{0};
    if (rng.below(1000) == 0) en.push_back(1);
    b.add_node(rng.below(1000000) == 0 ? 1 : 0, en);
    b.add_edge(v, v);
    b.add_edge(v, (v + 1) % n);
    b.add_edge(v, rng.below(n), rng.below(1000) == 0 ? Ids{0} : Ids{});
  }
  b.add_initial(0);
  FairGraph g = b.build();
  auto t1 = std::chrono::steady_clock::now();
  std::clock_t c1 = std::clock();
  FairCycleStats st;
  std::optional<Lasso> l = find_fair_accepting_cycle(g, &st);
  auto t2 = std::chrono::steady_clock::now();
  std::clock_t c2 = std::clock();
  REQUIRE(l);
  CHECK(validate(g, *l) == "");
  auto cpu = [](std::clock_t a, std::clock_t b) { return static_cast<double>(b - a) / CLOCKS_PER_SEC; };
  WARN("build " << std::chrono::duration<double>(t1 - t0).count() << " s (cpu " << cpu(c0, c1) << " s), search "
                << std::chrono::duration<double>(t2 - t1).count() << " s (cpu " << cpu(c1, c2) << " s); components "
                << st.components << ", splits " << st.splits << "; prefix " << l->prefix.size() << ", loop "
                << l->loop.size());
}
