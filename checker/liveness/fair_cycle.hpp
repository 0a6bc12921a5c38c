// Fair accepting cycles in a finite graph (the search half of liveness
// checking; docs/engines.md, "Liveness: automata and fair cycles"). The
// caller builds the product of the model's state graph with the Büchi
// automaton of the negated property and asks whether a reachable cycle is
// both fair and accepting; one found is a counterexample lasso.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace keel::liveness
{

// A directed graph in compressed form. Node v's out-edges are the edges
// edge_begin[v] .. edge_begin[v+1]-1, in the order they were added; the
// k-th out-edge of v is edge edge_begin[v] + k. Constraint-id sets (what an
// edge takes, what is enabled at a node) are stored once each and shared:
// set i is set_ids[set_begin[i] .. set_begin[i+1]-1], sorted and distinct;
// set 0 is the empty set. Built with FairGraphBuilder.
//
// Fairness constraint c (0 <= c < constraint_is_strong.size()) is "enabled"
// at the nodes whose enabled set contains it and "taken" by the edges whose
// takes set contains it: an edge made by action instance A takes A's
// constraints; a stuttering self-loop takes none.
struct FairGraph
{
  std::vector<uint64_t> edge_begin{0};  // num_nodes() + 1
  std::vector<uint32_t> edge_to;        // per edge: its target
  std::vector<uint32_t> edge_takes;     // per edge: the set of constraints it takes
  std::vector<char> edge_free;          // per edge, or empty: 1 when it does not count in a lasso's length
                                        // (a stuttering step the caller will leave out of its trace)
  std::vector<uint64_t> acc;            // per node: bit j set when the node is in acceptance set j
  std::vector<uint32_t> node_enabled;   // per node: the set of constraints enabled there
  std::vector<uint32_t> set_begin{0, 0};
  std::vector<uint32_t> set_ids;
  std::vector<uint32_t> initial;
  int num_acc = 0;  // at most 64
  std::vector<bool> constraint_is_strong;

  uint32_t num_nodes() const { return static_cast<uint32_t>(edge_begin.size() - 1); }
  uint64_t num_edges() const { return edge_to.size(); }
  uint32_t num_constraints() const { return static_cast<uint32_t>(constraint_is_strong.size()); }
  std::span<const uint32_t> set(uint32_t i) const
  {
    return {set_ids.data() + set_begin[i], set_ids.data() + set_begin[i + 1]};
  }
  std::span<const uint32_t> enabled(uint32_t v) const { return set(node_enabled[v]); }
  std::span<const uint32_t> takes(uint64_t e) const { return set(edge_takes[e]); }
  bool is_enabled(uint32_t v, uint32_t c) const;
  uint64_t edge(uint32_t v, uint32_t k) const { return edge_begin[v] + k; }
  uint32_t out_degree(uint32_t v) const { return static_cast<uint32_t>(edge_begin[v + 1] - edge_begin[v]); }
  // "" when the arrays are consistent, else what is wrong (a bug in the caller).
  std::string check() const;
};

// Builds a FairGraph from nodes and edges added in any order.
class FairGraphBuilder
{
 public:
  FairGraphBuilder(int num_acc, std::vector<bool> constraint_is_strong);
  // A new node; `enabled` may be unsorted and repeat ids.
  uint32_t add_node(uint64_t acc = 0, std::span<const uint32_t> enabled = {});
  void set_acc(uint32_t v, uint64_t acc);
  void set_enabled(uint32_t v, std::span<const uint32_t> enabled);
  void add_initial(uint32_t v);
  // An edge from -> to; it becomes the next out-edge of `from` (its out-edges
  // keep the order they were added in).
  void add_edge(uint32_t from, uint32_t to, std::span<const uint32_t> takes = {});
  // As add_edge, for an edge that costs nothing in a lasso's length: the
  // prefix is then shortest in the edges that are not free.
  void add_free_edge(uint32_t from, uint32_t to, std::span<const uint32_t> takes = {});
  uint32_t num_nodes() const { return static_cast<uint32_t>(d_acc.size()); }
  // The graph; the builder is left empty. Throws std::invalid_argument on
  // an edge to a node never added, a constraint id out of range, or more
  // than 64 acceptance sets.
  FairGraph build();

 private:
  uint32_t intern(std::span<const uint32_t> ids);

  int d_num_acc;
  std::vector<bool> d_strong;
  std::vector<uint64_t> d_acc;
  std::vector<uint32_t> d_enabled;
  std::vector<uint32_t> d_initial;
  std::vector<uint32_t> d_from, d_to, d_takes;
  std::vector<char> d_free;
  std::vector<uint32_t> d_set_begin{0, 0}, d_set_ids;
  std::map<std::vector<uint32_t>, uint32_t> d_set_index;
};

// A path from an initial node, then a cycle. Step i of `prefix` leaves node
// prefix[i] by its out-edge prefix_edges[i] (an index k among that node's
// out-edges, in the order they were added) to prefix[i+1], the last one to
// loop[0]; step i of `loop` leaves loop[i] by loop_edges[i] to loop[i+1],
// the last one back to loop[0]. The prefix is empty when loop[0] is
// initial; the loop has at least one step and may repeat nodes.
struct Lasso
{
  std::vector<uint32_t> prefix, prefix_edges;
  std::vector<uint32_t> loop, loop_edges;
};

struct FairCycleStats
{
  uint64_t reachable = 0;   // nodes reachable from an initial node
  uint64_t components = 0;  // strongly connected components examined, sub-components included
  uint64_t splits = 0;      // components split by removing the nodes of a starved strong constraint
  uint64_t fair_components = 0;
};

// A cycle reachable from an initial node that is accepting (it visits every
// acceptance set) and fair: for each weak constraint, the constraint is
// disabled at some node of the cycle or taken on some edge of it; for each
// strong constraint enabled at some node of the cycle, it is taken on some
// edge of it. Returns one with a shortest prefix among the fair components
// found, or nothing when no such cycle exists. Throws std::invalid_argument
// when g.check() fails.
std::optional<Lasso> find_fair_accepting_cycle(const FairGraph& g, FairCycleStats* stats = nullptr);

}  // namespace keel::liveness
