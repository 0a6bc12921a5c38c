#include "checker/liveness/liveness_check.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "checker/eval.hpp"
#include "checker/explicit/state_store.hpp"
#include "checker/liveness/fair_cycle.hpp"
#include "checker/liveness/ltl.hpp"
#include "checker/liveness/property.hpp"

namespace keel
{

namespace
{

constexpr uint32_t kStutter = 0xffffffffu;  // the model edge of a stuttering step

// The reachable state graph, built once for all properties: states in a
// visited set (discovery order), out-edges in compressed rows, each edge
// with the action and the process instance that produced it.
struct ModelGraph
{
  explicit ModelGraph(size_t words) : store(words) {}
  StateStore store;
  size_t initial = 0;
  std::vector<uint64_t> first_edge;  // edges of state i: [first_edge[i], first_edge[i + 1])
  std::vector<uint32_t> to, action, self;
  size_t states() const { return store.size(); }
};

class LivenessChecker
{
 public:
  LivenessChecker(const Model& m, const LivenessOptions& o) : d_m(m), d_o(o), d_eval(m), d_graph(m.state_words) {}

  Verdict run()
  {
    d_start = std::chrono::steady_clock::now();
    build_graph();
    build_constraints();
    Verdict v;
    for (const TemporalProperty& p : d_m.properties)
    {
      v = check_property(p);
      if (v.kind != VerdictKind::Holds) break;
    }
    v.stats.distinct = d_graph.states();
    v.stats.initial = d_graph.initial;
    v.stats.generated = d_graph.to.size();
    v.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - d_start).count();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    v.stats.peak_rss_bytes = static_cast<uint64_t>(ru.ru_maxrss) * 1024;  // graph and product included
    return v;
  }

 private:
  struct Collect : SuccessorSink
  {
    Evaluator* ev = nullptr;
    size_t words = 0;
    std::vector<uint64_t> next;
    std::vector<uint32_t> action, self;
    void emit(uint32_t a, const uint64_t* s) override
    {
      next.insert(next.end(), s, s + words);
      action.push_back(a);
      self.push_back(static_cast<uint32_t>(ev->current_self_index()));
    }
  };

  bool meets_constraints(const uint64_t* s)
  {
    for (const NamedPredicate& c : d_m.constraints)
      if (!d_eval.holds(c.expr, s)) return false;
    return true;
  }

  void build_graph()
  {
    const size_t W = d_m.state_words;
    Collect init;
    init.ev = &d_eval;
    init.words = W;
    d_eval.initial_states(init);
    for (size_t i = 0; i < init.action.size(); ++i) d_graph.store.insert(init.next.data() + i * W, 0xffffffffu);
    d_graph.initial = d_graph.store.size();
    std::vector<uint64_t> cur(W);
    Collect c;
    c.ev = &d_eval;
    c.words = W;
    d_graph.first_edge.push_back(0);
    for (size_t i = 0; i < d_graph.store.size(); ++i)
    {
      std::copy(d_graph.store.state(i), d_graph.store.state(i) + W, cur.begin());
      c.next.clear();
      c.action.clear();
      c.self.clear();
      // A state outside the constraints is kept but not expanded, as in the
      // safety search: its behaviours end there (they stutter).
      if (meets_constraints(cur.data())) d_eval.successors(cur.data(), c);
      // Edges differing only in bindings other than `self` are one edge here.
      std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> out;
      for (size_t k = 0; k < c.action.size(); ++k)
      {
        auto [idx, fresh] = d_graph.store.insert(c.next.data() + k * W, static_cast<uint32_t>(i));
        (void)fresh;
        out.emplace_back(static_cast<uint32_t>(idx), c.action[k], c.self[k]);
      }
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
      for (auto& [t, a, s] : out)
      {
        // A step that leaves the state as it is counts as stuttering, as
        // TLA+'s <<A>>_vars: it neither takes nor enables fairness.
        if (t == i) continue;
        d_graph.to.push_back(t);
        d_graph.action.push_back(a);
        d_graph.self.push_back(s);
      }
      d_graph.first_edge.push_back(d_graph.to.size());
      if (d_graph.store.size() > d_o.max_product_nodes)
        throw std::length_error("the state graph has more than " + std::to_string(d_o.max_product_nodes) +
                                " states; liveness checking keeps the whole graph in memory");
      progress("graph", i + 1, d_graph.store.size());
    }
  }

  void progress(const char* phase, uint64_t done, uint64_t total)
  {
    if (!d_o.progress) return;
    auto now = std::chrono::steady_clock::now();
    double since = std::chrono::duration<double>(now - d_last_progress).count();
    double elapsed = std::chrono::duration<double>(now - d_start).count();
    if (elapsed < d_o.progress_seconds || since < d_o.progress_seconds) return;
    d_last_progress = now;
    *d_o.progress << "liveness " << phase << ": " << done << " of " << total << " nodes expanded, " << elapsed
                  << " s\n";
  }

  // Fairness: one constraint per declaration, or per process instance.
  void build_constraints()
  {
    d_constraints = liveness::fairness_constraints(d_m);
    d_action_fair.assign(d_m.actions.size(), {});
    for (uint32_t c = 0; c < d_constraints.size(); ++c)
      for (uint32_t a : d_constraints[c].decl->actions) d_action_fair[a].push_back(c);
    // What each model edge takes, and what is enabled at each model state.
    d_enabled.assign(d_graph.states(), {});
    d_takes.assign(d_graph.to.size(), {});
    for (size_t s = 0; s < d_graph.states(); ++s)
    {
      for (uint64_t e = d_graph.first_edge[s]; e < d_graph.first_edge[s + 1]; ++e)
      {
        for (uint32_t c : d_action_fair[d_graph.action[e]])
          if (liveness::is_step_of(d_constraints[c], d_graph.action[e], d_graph.self[e]))
          {
            d_takes[e].push_back(c);
            d_enabled[s].push_back(c);
          }
      }
      std::sort(d_enabled[s].begin(), d_enabled[s].end());
      d_enabled[s].erase(std::unique(d_enabled[s].begin(), d_enabled[s].end()), d_enabled[s].end());
    }
  }

  // ----------------------------------------------------------- one property
  Verdict check_property(const TemporalProperty& p)
  {
    liveness::PropertyAutomaton pa = liveness::automaton_of_negation(p);
    const liveness::Buchi& ba = pa.negation;
    const auto& atoms = pa.atoms;

    // Atom values per model state.
    const size_t stride = (atoms.size() + 63) / 64;
    std::vector<uint64_t> val(std::max<size_t>(stride, 1) * d_graph.states(), 0);
    for (size_t s = 0; s < d_graph.states(); ++s)
      for (size_t id = 0; id < atoms.size(); ++id)
        if (d_eval.holds_bound(atoms[id]->pred, d_graph.store.state(s), atoms[id]->bindings))
          val[s * stride + id / 64] |= uint64_t{1} << (id % 64);
    auto label_ok = [&](int q, size_t s)
    {
      const liveness::BuchiState& bs = ba.states[q];
      for (int a : bs.pos)
        if (!(val[s * stride + a / 64] >> (a % 64) & 1)) return false;
      for (int a : bs.neg)
        if (val[s * stride + a / 64] >> (a % 64) & 1) return false;
      return true;
    };

    // The product, explored from its initial nodes.
    const uint64_t nq = std::max<size_t>(ba.states.size(), 1);
    std::unordered_map<uint64_t, uint32_t> ids;
    std::vector<std::pair<uint32_t, int>> nodes;  // (model state, automaton state)
    std::vector<bool> strong;
    for (const liveness::FairnessConstraint& c : d_constraints) strong.push_back(c.strong);
    liveness::FairGraphBuilder b(ba.num_acc, strong);
    std::vector<std::vector<uint32_t>> model_edge;  // per product node, in out-edge order
    auto node_of = [&](uint32_t s, int q) -> uint32_t
    {
      uint64_t key = s * nq + static_cast<uint64_t>(q);
      auto it = ids.find(key);
      if (it != ids.end()) return it->second;
      if (nodes.size() >= d_o.max_product_nodes)
        throw std::length_error("the product of the state graph and the property's automaton has more than " +
                                std::to_string(d_o.max_product_nodes) + " nodes");
      uint32_t id = b.add_node(ba.states[q].acc, d_enabled[s]);
      ids.emplace(key, id);
      nodes.push_back({s, q});
      model_edge.emplace_back();
      return id;
    };
    for (uint32_t s = 0; s < d_graph.initial; ++s)
      for (int q : ba.initial)
        if (label_ok(q, s)) b.add_initial(node_of(s, q));
    for (uint32_t n = 0; n < nodes.size(); ++n)
    {
      auto [s, q] = nodes[n];
      auto follow = [&](uint32_t t, uint32_t e)
      {
        for (int q2 : ba.states[q].succ)
          if (label_ok(q2, t))
          {
            uint32_t to = node_of(t, q2);
            if (e == kStutter)
              b.add_free_edge(n, to);
            else
              b.add_edge(n, to, d_takes[e]);
            model_edge[n].push_back(e);
          }
      };
      for (uint64_t e = d_graph.first_edge[s]; e < d_graph.first_edge[s + 1]; ++e)
        follow(d_graph.to[e], static_cast<uint32_t>(e));
      follow(s, kStutter);  // a behaviour may stop here: stutter forever
      progress("product", n + 1, nodes.size());
    }
    liveness::FairGraph g = b.build();

    Verdict v;
    v.stats.depth = nodes.size();  // reported as product nodes by the caller
    d_product_nodes += nodes.size();
    auto lasso = liveness::find_fair_accepting_cycle(g);
    if (!lasso)
    {
      v.kind = VerdictKind::Holds;
      return v;
    }
    v.kind = VerdictKind::Violated;
    v.violation = ViolationKind::Liveness;
    v.property = p.name;
    v.span = p.span;
    v.message = "property " + p.name + " is violated: a behaviour" +
                (d_m.fairness.empty() ? "" : " that meets every fairness constraint") +
                " never satisfies it (a lasso: a prefix, then a loop repeated forever)";
    v.trace = lasso_trace(*lasso, nodes, model_edge);
    return v;
  }

  TraceStep name_step(uint32_t from, uint32_t e)
  {
    TraceStep st;
    if (e == kStutter)
    {
      st.stutter = true;
      return st;
    }
    // Re-run the edge's action and keep the bindings of the successor it
    // reached with the same process instance.
    struct Find : SuccessorSink
    {
      Evaluator* ev;
      const uint64_t* want;
      size_t words;
      uint32_t self;
      std::optional<std::vector<Binding>> found;
      void emit(uint32_t, const uint64_t* next) override
      {
        if (found || static_cast<uint32_t>(ev->current_self_index()) != self) return;
        if (std::equal(next, next + words, want)) found = ev->current_bindings();
      }
    } find;
    find.ev = &d_eval;
    find.want = d_graph.store.state(d_graph.to[e]);
    find.words = d_m.state_words;
    find.self = d_graph.self[e];
    std::vector<uint64_t> cur(d_graph.store.state(from), d_graph.store.state(from) + d_m.state_words);
    d_eval.successors_of(d_graph.action[e], cur.data(), find);
    st.action = static_cast<int>(d_graph.action[e]);
    if (find.found) st.bindings = std::move(*find.found);
    st.is_fault = d_m.actions[st.action].is_fault;
    st.span = d_m.actions[st.action].span;
    return st;
  }

  Trace lasso_trace(const liveness::Lasso& l, const std::vector<std::pair<uint32_t, int>>& nodes,
                    const std::vector<std::vector<uint32_t>>& model_edge)
  {
    // The lasso's nodes: prefix, then the loop; step i goes from node i to
    // node i + 1 (and the loop's last node back to its first) by the edge
    // recorded with it.
    std::vector<uint32_t> seq = l.prefix;
    seq.insert(seq.end(), l.loop.begin(), l.loop.end());
    std::vector<uint32_t> edges = l.prefix_edges;
    edges.insert(edges.end(), l.loop_edges.begin(), l.loop_edges.end());
    Trace t;
    for (size_t i = 0; i < seq.size(); ++i)
    {
      uint32_t s = nodes[seq[i]].first;
      t.states.emplace_back(d_graph.store.state(s), d_graph.store.state(s) + d_m.state_words);
      TraceStep st = name_step(s, model_edge[seq[i]][edges[i]]);
      if (i + 1 < seq.size())
        t.steps.push_back(std::move(st));
      else
        t.loop_step = std::move(st);
    }
    t.loop = l.prefix.size();
    drop_stutter_steps(t);
    return t;
  }

  const Model& d_m;
  const LivenessOptions& d_o;
  Evaluator d_eval;
  ModelGraph d_graph;
  std::vector<liveness::FairnessConstraint> d_constraints;
  std::vector<std::vector<uint32_t>> d_action_fair;  // per action: the constraints that list it
  std::vector<std::vector<uint32_t>> d_enabled;      // per model state
  std::vector<std::vector<uint32_t>> d_takes;        // per model edge
  uint64_t d_product_nodes = 0;
  std::chrono::steady_clock::time_point d_start, d_last_progress;
};

}  // namespace

Verdict check_liveness(const Model& model, const LivenessOptions& options)
{
  try
  {
    return LivenessChecker(model, options).run();
  }
  catch (const std::length_error& e)
  {
    Verdict v;
    v.kind = VerdictKind::Error;
    v.message = std::string("liveness check stopped: ") + e.what();
    return v;
  }
  catch (const EvalError& e)
  {
    Verdict v;
    v.kind = VerdictKind::Error;
    v.message = std::string("liveness check stopped: an action failed while building the state graph: ") + e.message;
    return v;
  }
}

}  // namespace keel
