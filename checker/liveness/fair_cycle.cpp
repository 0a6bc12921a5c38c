#include "checker/liveness/fair_cycle.hpp"

#include <algorithm>
#include <deque>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <cassert>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <utility>

namespace keel::liveness
{

namespace
{

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

uint64_t all_sets(int num_acc)
{
  return num_acc >= 64 ? ~uint64_t{0} : (uint64_t{1} << num_acc) - 1;
}

}  // namespace

bool FairGraph::is_enabled(uint32_t v, uint32_t c) const
{
  std::span<const uint32_t> s = enabled(v);
  return std::binary_search(s.begin(), s.end(), c);
}

std::string FairGraph::check() const
{
  if (edge_begin.empty() || edge_begin[0] != 0) return "edge_begin must start with 0";
  uint32_t n = num_nodes();
  if (edge_begin.back() != edge_to.size()) return "edge_begin must end with the number of edges";
  if (edge_takes.size() != edge_to.size()) return "edge_takes and edge_to differ in size";
  if (!edge_free.empty() && edge_free.size() != edge_to.size()) return "edge_free and edge_to differ in size";
  if (acc.size() != n || node_enabled.size() != n) return "acc and node_enabled need one entry per node";
  if (num_acc < 0 || num_acc > 64) return "num_acc must be 0..64";
  if (set_begin.size() < 2 || set_begin[0] != 0 || set_begin[1] != 0) return "set 0 must be the empty set";
  if (set_begin.back() != set_ids.size()) return "set_begin must end with the size of set_ids";
  uint32_t sets = static_cast<uint32_t>(set_begin.size() - 1);
  for (uint32_t i = 0; i < sets; ++i)
  {
    if (set_begin[i] > set_begin[i + 1]) return "set_begin must not decrease";
    std::span<const uint32_t> s = set(i);
    for (size_t k = 0; k < s.size(); ++k)
    {
      if (s[k] >= num_constraints()) return "constraint id out of range in set " + std::to_string(i);
      if (k && s[k - 1] >= s[k]) return "set " + std::to_string(i) + " is not sorted and distinct";
    }
  }
  for (uint32_t v = 0; v < n; ++v)
  {
    if (edge_begin[v] > edge_begin[v + 1]) return "edge_begin must not decrease";
    if (node_enabled[v] >= sets) return "node " + std::to_string(v) + " names no enabled set";
    if (num_acc < 64 && (acc[v] >> num_acc)) return "node " + std::to_string(v) + " is in an undeclared acceptance set";
  }
  for (uint64_t e = 0; e < edge_to.size(); ++e)
  {
    if (edge_to[e] >= n) return "edge " + std::to_string(e) + " leads to no node";
    if (edge_takes[e] >= sets) return "edge " + std::to_string(e) + " names no takes set";
  }
  for (uint32_t v : initial)
    if (v >= n) return "initial node " + std::to_string(v) + " does not exist";
  return "";
}

FairGraphBuilder::FairGraphBuilder(int num_acc, std::vector<bool> constraint_is_strong)
    : d_num_acc(num_acc), d_strong(std::move(constraint_is_strong))
{
  d_set_index.emplace(std::vector<uint32_t>{}, 0);
}

uint32_t FairGraphBuilder::intern(std::span<const uint32_t> ids)
{
  std::vector<uint32_t> key(ids.begin(), ids.end());
  std::sort(key.begin(), key.end());
  key.erase(std::unique(key.begin(), key.end()), key.end());
  for (uint32_t c : key)
    if (c >= d_strong.size())
      throw std::invalid_argument("fairness constraint " + std::to_string(c) + " was not declared");
  auto it = d_set_index.find(key);
  if (it != d_set_index.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(d_set_begin.size() - 1);
  d_set_ids.insert(d_set_ids.end(), key.begin(), key.end());
  d_set_begin.push_back(static_cast<uint32_t>(d_set_ids.size()));
  d_set_index.emplace(std::move(key), id);
  return id;
}

uint32_t FairGraphBuilder::add_node(uint64_t acc, std::span<const uint32_t> enabled)
{
  if (d_acc.size() >= kNone) throw std::invalid_argument("more than 2^32 - 1 nodes");
  d_acc.push_back(acc);
  d_enabled.push_back(intern(enabled));
  return static_cast<uint32_t>(d_acc.size() - 1);
}

void FairGraphBuilder::set_acc(uint32_t v, uint64_t acc)
{
  d_acc.at(v) = acc;
}

void FairGraphBuilder::set_enabled(uint32_t v, std::span<const uint32_t> enabled)
{
  d_enabled.at(v) = intern(enabled);
}

void FairGraphBuilder::add_initial(uint32_t v)
{
  d_initial.push_back(v);
}

void FairGraphBuilder::add_edge(uint32_t from, uint32_t to, std::span<const uint32_t> takes)
{
  d_from.push_back(from);
  d_to.push_back(to);
  d_takes.push_back(intern(takes));
  d_free.push_back(0);
}

void FairGraphBuilder::add_free_edge(uint32_t from, uint32_t to, std::span<const uint32_t> takes)
{
  add_edge(from, to, takes);
  d_free.back() = 1;
}

FairGraph FairGraphBuilder::build()
{
  uint32_t n = num_nodes();
  if (d_num_acc < 0 || d_num_acc > 64) throw std::invalid_argument("a fair graph has 0 to 64 acceptance sets");
  for (uint64_t a : d_acc)
    if (d_num_acc < 64 && (a >> d_num_acc)) throw std::invalid_argument("a node is in an undeclared acceptance set");
  for (size_t i = 0; i < d_from.size(); ++i)
    if (d_from[i] >= n || d_to[i] >= n) throw std::invalid_argument("an edge names a node that was not added");
  for (uint32_t v : d_initial)
    if (v >= n) throw std::invalid_argument("an initial node that was not added");

  FairGraph g;
  g.num_acc = d_num_acc;
  g.constraint_is_strong = std::move(d_strong);
  // Edges grouped by source, each group in the order added (counting sort).
  g.edge_begin.assign(static_cast<size_t>(n) + 1, 0);
  for (uint32_t f : d_from) ++g.edge_begin[f + 1];
  for (uint32_t v = 0; v < n; ++v) g.edge_begin[v + 1] += g.edge_begin[v];
  g.edge_to.resize(d_from.size());
  g.edge_takes.resize(d_from.size());
  bool any_free = std::find(d_free.begin(), d_free.end(), 1) != d_free.end();
  if (any_free) g.edge_free.resize(d_from.size());
  {
    std::vector<uint64_t> fill(g.edge_begin.begin(), g.edge_begin.end() - 1);
    for (size_t i = 0; i < d_from.size(); ++i)
    {
      uint64_t e = fill[d_from[i]]++;
      g.edge_to[e] = d_to[i];
      g.edge_takes[e] = d_takes[i];
      if (any_free) g.edge_free[e] = d_free[i];
    }
  }
  g.acc = std::move(d_acc);
  g.node_enabled = std::move(d_enabled);
  g.set_begin = std::move(d_set_begin);
  g.set_ids = std::move(d_set_ids);
  g.initial = std::move(d_initial);
  std::sort(g.initial.begin(), g.initial.end());
  g.initial.erase(std::unique(g.initial.begin(), g.initial.end()), g.initial.end());
  *this = FairGraphBuilder(0, {});
  return g;
}

namespace
{

using CsrGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                    boost::no_property, uint32_t, uint64_t>;

// The edges of a sub-problem (a set of nodes, numbered locally in list
// order) that stay inside it, as (local source, local target) pairs in
// source order, produced on the fly for Boost's sorted-edges constructor.
class LocalEdgeIterator
{
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = std::pair<uint32_t, uint32_t>;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = const value_type&;

  LocalEdgeIterator(const FairGraph& g, const std::vector<uint32_t>& nodes, const std::vector<uint32_t>& local,
                    uint32_t i)
      : d_g(&g), d_nodes(&nodes), d_local(&local), d_i(i)
  {
    if (d_i < d_nodes->size()) d_e = d_g->edge_begin[(*d_nodes)[d_i]];
    settle();
  }
  reference operator*() const { return d_cur; }
  pointer operator->() const { return &d_cur; }
  LocalEdgeIterator& operator++()
  {
    ++d_e;
    settle();
    return *this;
  }
  bool operator==(const LocalEdgeIterator& o) const { return d_i == o.d_i && (d_i == d_nodes->size() || d_e == o.d_e); }
  bool operator!=(const LocalEdgeIterator& o) const { return !(*this == o); }

 private:
  // Moves to the next edge (from d_e on) whose target is in the sub-problem.
  void settle()
  {
    while (d_i < d_nodes->size())
    {
      uint64_t end = d_g->edge_begin[(*d_nodes)[d_i] + 1];
      for (; d_e < end; ++d_e)
      {
        uint32_t t = (*d_local)[d_g->edge_to[d_e]];
        if (t != kNone)
        {
          d_cur = {d_i, t};
          return;
        }
      }
      if (++d_i < d_nodes->size()) d_e = d_g->edge_begin[(*d_nodes)[d_i]];
    }
  }

  const FairGraph* d_g;
  const std::vector<uint32_t>* d_nodes;
  const std::vector<uint32_t>* d_local;
  uint32_t d_i;
  uint64_t d_e = 0;
  value_type d_cur{};
};

class Search
{
 public:
  Search(const FairGraph& g, FairCycleStats& stats) : g(g), st(stats) {}

  std::optional<Lasso> run()
  {
    uint32_t n = g.num_nodes();
    local.assign(n, kNone);
    breadth_first_from_initial();
    // In the caller's order rather than breadth-first order: the caller's
    // numbering usually keeps neighbours closer in memory.
    std::vector<uint32_t> reachable;
    for (uint32_t v = 0; v < n; ++v)
      if (dist[v] != kNone) reachable.push_back(v);
    st.reachable = reachable.size();
    taken.assign(g.num_constraints(), 0);
    enabled_count.assign(g.num_constraints(), 0);
    bad.assign(g.num_constraints(), 0);

    // Sub-problems still to decompose: disjoint node sets.
    std::vector<std::vector<uint32_t>> work;
    if (!reachable.empty()) work.push_back(std::move(reachable));
    while (!work.empty())
    {
      std::vector<uint32_t> nodes = std::move(work.back());
      work.pop_back();
      decompose(nodes, work);
    }
    if (best.empty()) return std::nullopt;
    return lasso();
  }

 private:
  const FairGraph& g;
  FairCycleStats& st;
  std::vector<uint32_t> local;  // node -> its index in the current node list, kNone when outside
  std::vector<uint32_t> dist, parent, parent_edge;
  std::vector<uint32_t> taken, enabled_count;  // per constraint, within the current component
  std::vector<char> bad;                       // per constraint: strong, enabled but not taken
  std::vector<uint32_t> best;                  // the fair component with the closest node so far
  uint32_t best_dist = kNone;

  void breadth_first_from_initial()
  {
    uint32_t n = g.num_nodes();
    dist.assign(n, kNone);
    parent.assign(n, kNone);
    parent_edge.assign(n, kNone);
    // 0-1 breadth-first search: free edges cost nothing.
    std::deque<uint32_t> order;
    for (uint32_t v : g.initial)
      if (dist[v] == kNone)
      {
        dist[v] = 0;
        order.push_back(v);
      }
    while (!order.empty())
    {
      uint32_t v = order.front();
      order.pop_front();
      for (uint64_t e = g.edge_begin[v]; e < g.edge_begin[v + 1]; ++e)
      {
        uint32_t t = g.edge_to[e];
        bool free = !g.edge_free.empty() && g.edge_free[e];
        uint32_t d = dist[v] + (free ? 0 : 1);
        if (dist[t] != kNone && dist[t] <= d) continue;
        dist[t] = d;
        parent[t] = v;
        parent_edge[t] = static_cast<uint32_t>(e - g.edge_begin[v]);
        if (free)
          order.push_front(t);
        else
          order.push_back(t);
      }
    }
  }

  // Splits `nodes` into strongly connected components and judges each: a
  // component is dropped when it has no cycle, misses an acceptance set, or
  // starves a weak constraint (enabled at all of its nodes, taken on none of
  // its edges: every cycle inside it starves it too); it is fair when every
  // strong constraint enabled in it is taken in it (a cycle through all of
  // its nodes and edges is then fair and accepting); otherwise the nodes
  // where a starved strong constraint is enabled cannot be on a fair cycle
  // and the rest is decomposed again.
  void decompose(const std::vector<uint32_t>& nodes, std::vector<std::vector<uint32_t>>& work)
  {
    uint32_t m = static_cast<uint32_t>(nodes.size());
    for (uint32_t i = 0; i < m; ++i) local[nodes[i]] = i;
    std::vector<uint32_t> comp(m);
    uint32_t ncomp;
    {
      CsrGraph csr(boost::edges_are_sorted, LocalEdgeIterator(g, nodes, local, 0),
                   LocalEdgeIterator(g, nodes, local, m), m);
      ncomp = static_cast<uint32_t>(boost::strong_components(
          csr, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, csr))));
    }
    // Members of each component, contiguous.
    std::vector<uint32_t> start(static_cast<size_t>(ncomp) + 1, 0), members(m);
    for (uint32_t i = 0; i < m; ++i) ++start[comp[i] + 1];
    for (uint32_t c = 0; c < ncomp; ++c) start[c + 1] += start[c];
    {
      std::vector<uint32_t> fill(start.begin(), start.end() - 1);
      for (uint32_t i = 0; i < m; ++i) members[fill[comp[i]]++] = nodes[i];
    }
    for (uint32_t c = 0; c < ncomp; ++c)
    {
      std::span<const uint32_t> cm(members.data() + start[c], members.data() + start[c + 1]);
      judge(cm, comp, c, work);
    }
    for (uint32_t v : nodes) local[v] = kNone;
  }

  void judge(std::span<const uint32_t> cm, const std::vector<uint32_t>& comp, uint32_t c,
             std::vector<std::vector<uint32_t>>& work)
  {
    auto inside = [&](uint32_t t) { return local[t] != kNone && comp[local[t]] == c; };
    bool cycle = cm.size() > 1;
    uint64_t acc = 0;
    std::vector<uint32_t> touched;
    for (uint32_t v : cm)
    {
      acc |= g.acc[v];
      for (uint32_t k : g.enabled(v))
        if (enabled_count[k]++ == 0 && !taken[k]) touched.push_back(k);
      for (uint64_t e = g.edge_begin[v]; e < g.edge_begin[v + 1]; ++e)
      {
        if (!inside(g.edge_to[e])) continue;
        cycle = true;
        for (uint32_t k : g.takes(e))
          if (taken[k]++ == 0 && !enabled_count[k]) touched.push_back(k);
      }
    }
    if (!cycle)
    {
      reset(touched);
      return;
    }
    ++st.components;
    bool ok = (acc & all_sets(g.num_acc)) == all_sets(g.num_acc);
    bool any_bad = false;
    for (uint32_t k : touched)
    {
      if (!g.constraint_is_strong[k] && enabled_count[k] == cm.size() && !taken[k]) ok = false;
      if (g.constraint_is_strong[k] && enabled_count[k] && !taken[k]) bad[k] = any_bad = true;
    }
    // A weak constraint enabled nowhere here is disabled everywhere: fine.
    if (ok && !any_bad)
    {
      ++st.fair_components;
      uint32_t closest = kNone;
      for (uint32_t v : cm) closest = std::min(closest, dist[v]);
      if (closest < best_dist)
      {
        best_dist = closest;
        best.assign(cm.begin(), cm.end());
      }
    }
    else if (ok)
    {
      ++st.splits;
      std::vector<uint32_t> rest;
      for (uint32_t v : cm)
      {
        bool keep = true;
        for (uint32_t k : g.enabled(v)) keep = keep && !bad[k];
        if (keep) rest.push_back(v);
      }
      if (!rest.empty()) work.push_back(std::move(rest));
    }
    reset(touched);
  }

  void reset(const std::vector<uint32_t>& touched)
  {
    for (uint32_t k : touched) taken[k] = enabled_count[k] = bad[k] = 0;
  }

  // ------------------------------------------------------------ the lasso

  struct Step
  {
    uint32_t node;
    uint64_t edge;
  };

  // The prefix: the breadth-first path to the component's closest node; the
  // loop: from there, greedily to the nearest node or edge that meets a
  // requirement not met yet (an acceptance set, a weak constraint disabled
  // or taken, a strong constraint enabled on the loop so far and to be
  // taken), then back; repeated while closing the loop enabled another
  // strong constraint. Every requirement can be met inside the component,
  // which is fair.
  Lasso lasso()
  {
    for (uint32_t i = 0; i < best.size(); ++i) local[best[i]] = i;
    uint32_t root = best[0];
    for (uint32_t v : best)
      if (dist[v] < dist[root]) root = v;

    Lasso out;
    for (uint32_t v = root; parent[v] != kNone; v = parent[v])
    {
      out.prefix.push_back(parent[v]);
      out.prefix_edges.push_back(parent_edge[v]);
    }
    std::reverse(out.prefix.begin(), out.prefix.end());
    std::reverse(out.prefix_edges.begin(), out.prefix_edges.end());

    uint32_t nc = g.num_constraints();
    std::vector<char> met(nc, 0), required(nc, 0);
    for (uint32_t k = 0; k < nc; ++k) required[k] = !g.constraint_is_strong[k];  // weak ones always
    uint64_t seen = 0;
    std::vector<uint32_t> unmet_weak;  // refreshed before each search
    for (uint32_t k = 0; k < nc; ++k)
      if (!g.constraint_is_strong[k]) unmet_weak.push_back(k);
    auto visit = [&](uint32_t v)
    {
      seen |= g.acc[v];
      for (uint32_t k : g.enabled(v))
        if (g.constraint_is_strong[k]) required[k] = 1;
      for (uint32_t k : unmet_weak)
        if (!g.is_enabled(v, k)) met[k] = 1;
    };
    auto take = [&](uint64_t e)
    {
      for (uint32_t k : g.takes(e)) met[k] = 1;
    };
    auto refresh = [&]() { std::erase_if(unmet_weak, [&](uint32_t k) { return met[k] != 0; }); };
    auto unmet = [&]()
    {
      if ((seen & all_sets(g.num_acc)) != all_sets(g.num_acc)) return true;
      for (uint32_t k = 0; k < nc; ++k)
        if (required[k] && !met[k]) return true;
      return false;
    };
    auto node_target = [&](uint32_t v)
    {
      if (g.acc[v] & ~seen & all_sets(g.num_acc)) return true;
      for (uint32_t k : unmet_weak)
        if (!g.is_enabled(v, k)) return true;
      return false;
    };
    auto edge_target = [&](uint64_t e)
    {
      for (uint32_t k : g.takes(e))
        if (required[k] && !met[k]) return true;
      return false;
    };

    uint32_t cur = root;
    visit(root);
    std::vector<Step> loop;
    for (;;)
    {
      std::vector<Step> path;
      refresh();
      if (unmet())
        path = shortest_path(cur, node_target, edge_target);
      else if (cur == root && !loop.empty())
        break;
      else
        path = shortest_path(
            cur, [](uint32_t) { return false; }, [&](uint64_t e) { return g.edge_to[e] == root; });
      if (path.empty()) throw std::logic_error("internal error: a fair component without the cycle it promised");
      for (const Step& s : path)
      {
        loop.push_back(s);
        take(s.edge);
        visit(g.edge_to[s.edge]);
      }
      cur = g.edge_to[path.back().edge];
    }
    for (const Step& s : loop)
    {
      out.loop.push_back(s.node);
      out.loop_edges.push_back(static_cast<uint32_t>(s.edge - g.edge_begin[s.node]));
    }
    for (uint32_t v : best) local[v] = kNone;
    return out;
  }

  // A shortest path inside the component (nodes with `local` set) from
  // `from` to a node other than `from` meeting `node_goal`, or ending with
  // an edge meeting `edge_goal`; empty when there is none.
  template <typename NodeGoal, typename EdgeGoal>
  std::vector<Step> shortest_path(uint32_t from, NodeGoal node_goal, EdgeGoal edge_goal)
  {
    std::vector<uint64_t> via(best.size(), ~uint64_t{0});  // the edge a node was reached by
    std::vector<uint32_t> queue{from};
    via[local[from]] = ~uint64_t{0} - 1;
    auto path_to = [&](uint32_t v, std::vector<Step> tail)
    {
      std::vector<Step> p;
      for (; v != from; v = p.back().node)
      {
        uint64_t e = via[local[v]];
        p.push_back({source_of(e), e});
      }
      std::reverse(p.begin(), p.end());
      p.insert(p.end(), tail.begin(), tail.end());
      return p;
    };
    for (size_t i = 0; i < queue.size(); ++i)
    {
      uint32_t v = queue[i];
      if (i > 0 && node_goal(v)) return path_to(v, {});
      for (uint64_t e = g.edge_begin[v]; e < g.edge_begin[v + 1]; ++e)
      {
        uint32_t t = g.edge_to[e];
        if (local[t] == kNone) continue;
        if (edge_goal(e)) return path_to(v, {{v, e}});
        if (via[local[t]] != ~uint64_t{0}) continue;
        via[local[t]] = e;
        queue.push_back(t);
      }
    }
    return {};
  }

  // The source of edge e (edges are grouped by source).
  uint32_t source_of(uint64_t e) const
  {
    auto it = std::upper_bound(g.edge_begin.begin(), g.edge_begin.end(), e);
    return static_cast<uint32_t>(it - g.edge_begin.begin() - 1);
  }
};

}  // namespace

std::optional<Lasso> find_fair_accepting_cycle(const FairGraph& g, FairCycleStats* stats)
{
  std::string problem = g.check();
  if (!problem.empty()) throw std::invalid_argument("find_fair_accepting_cycle: " + problem);
  FairCycleStats local;
  Search s(g, stats ? *stats : local);
  return s.run();
}

}  // namespace keel::liveness
