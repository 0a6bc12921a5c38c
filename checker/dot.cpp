#include "checker/dot.hpp"

// GCC 12 reports a false -Wmaybe-uninitialized inside Boost.Graph's edge
// iterator (a boost::optional) when write_graphviz is instantiated.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "checker/bits.hpp"
#include "checker/eval.hpp"
#include "checker/values.hpp"

namespace keel
{

namespace
{

// The body of a DOT double-quoted string: `"` and `\` escaped, each line
// ended by `\l` (left-justified); other escapes are not interpreted.
std::string dot_text(std::string_view s)
{
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) switch (c)
    {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\l";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  return out;
}

std::string dot_quoted(std::string_view s)
{
  return "\"" + dot_text(s) + "\"";
}

std::string location(const Model& m, Span sp)
{
  if (!m.sources || sp.file >= m.sources->size()) return "";
  const SourceFile& f = m.sources->file(sp.file);
  LineCol lc = f.line_col(sp.begin);
  return f.path() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

// Every variable, one per line; with `prev`, changed ones marked "* ".
std::string state_text(const Model& m, const uint64_t* s, const uint64_t* prev)
{
  std::string out;
  for (const Variable& v : m.vars)
  {
    bool changed = prev && !bits::equal(s, v.offset, prev, v.offset, v.type->bits);
    out += (changed ? "* " : prev ? "  " : "") + v.name + " = " + value_text(v.type, s, v.offset) + "\n";
  }
  return out;
}

std::string fault_name(const Model& m, const TraceStep& st)
{
  if (st.action < 0) return "";
  int f = m.actions[st.action].fault;
  return f >= 0 && f < static_cast<int>(m.faults.size()) ? m.faults[f].name : "";
}

const char* kFaultColor = "\"#b45309\"";

// The state graph, as Boost.Graph sees it.
struct VertexProps
{
  std::string label;
  bool initial = false;
  bool on_trace = false;
  bool pruned = false;                // cut by a constraint: not expanded
  std::vector<std::string> violated;  // invariants that do not hold here
  std::vector<std::string> failures;  // actions that fail while running here
};

struct EdgeProps
{
  std::string label;
  bool fault = false;
  bool on_trace = false;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexProps, EdgeProps>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

struct VertexWriter
{
  const Graph* g;
  void operator()(std::ostream& os, Vertex v) const
  {
    const VertexProps& p = (*g)[v];
    std::string label = p.label;
    for (auto& inv : p.violated) label += "violates " + inv + "\n";
    for (auto& f : p.failures) label += "fails: " + f + "\n";
    std::vector<std::string> style;
    if (p.initial) style.push_back("bold");
    if (p.pruned) style.push_back("dashed");
    if (!p.violated.empty()) style.push_back("filled");
    os << "[label=" << dot_quoted(label);
    if (!style.empty())
    {
      std::string s;
      for (auto& x : style) s += (s.empty() ? "" : ",") + x;
      os << ", style=" << dot_quoted(s);
    }
    if (!p.violated.empty()) os << ", fillcolor=\"#ffebe9\"";
    if (!p.failures.empty()) os << ", peripheries=2";
    if (p.on_trace) os << ", color=red, fontcolor=red, penwidth=2";
    os << "]";
  }
};

struct EdgeWriter
{
  const Graph* g;
  void operator()(std::ostream& os, boost::graph_traits<Graph>::edge_descriptor e) const
  {
    const EdgeProps& p = (*g)[e];
    os << "[label=" << dot_quoted(p.label);
    if (p.fault) os << ", style=dashed, fontcolor=" << kFaultColor;
    if (p.on_trace)
      os << ", color=red, penwidth=2.5";
    else if (p.fault)
      os << ", color=" << kFaultColor;
    os << "]";
  }
};

struct GraphWriter
{
  std::string title;
  void operator()(std::ostream& os) const
  {
    os << "label=" << dot_quoted(title) << ";\nlabelloc=t;\n";
    os << "node [shape=box, fontname=\"monospace\", fontsize=10];\n";
    os << "edge [fontname=\"Helvetica\", fontsize=10];\n";
  }
};

// Collects one expansion's successors with their step labels.
struct GraphSink : SuccessorSink
{
  const Model& m;
  Evaluator& ev;
  bool init = false;
  struct Out
  {
    int action;
    std::string label;
    std::vector<uint64_t> state;
  };
  std::vector<Out> out;
  GraphSink(const Model& model, Evaluator& e) : m(model), ev(e) {}
  void emit(uint32_t action, const uint64_t* next) override
  {
    Out o;
    o.action = init ? -1 : static_cast<int>(action);
    if (!init)
    {
      TraceStep st;
      st.action = o.action;
      st.bindings = ev.current_bindings();
      o.label = step_label(m, st);
    }
    o.state.assign(next, next + m.state_words);
    out.push_back(std::move(o));
  }
};

std::string key_of(const uint64_t* s, size_t words)
{
  return std::string(reinterpret_cast<const char*>(s), words * sizeof(uint64_t));
}

}  // namespace

std::string trace_dot(const Model& m, const Trace& t)
{
  std::ostringstream os;
  os << "digraph trace {\n";
  os << "label=" << dot_quoted("Keel counterexample: " + m.name) << ";\nlabelloc=t;\n";
  os << "node [shape=box, fontname=\"monospace\", fontsize=10];\n";
  os << "edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (size_t i = 0; i < t.states.size(); ++i)
  {
    const uint64_t* prev = i > 0 ? t.states[i - 1].data() : nullptr;
    std::string label = "State " + std::to_string(i) + (i == 0 ? ": initial state" : "") + "\n" +
                        state_text(m, t.states[i].data(), prev);
    os << "s" << i << " [label=" << dot_quoted(label);
    bool last = i + 1 == t.states.size();
    if (i == 0) os << ", style=bold";
    // The bad state: the last one, unless a step fails from it or it loops.
    if (last && !t.failing_step && !t.loop) os << ", color=red, fontcolor=red, penwidth=2";
    os << "];\n";
  }
  for (size_t i = 0; i < t.steps.size() && i + 1 < t.states.size(); ++i)
  {
    const TraceStep& st = t.steps[i];
    std::string label = step_label(m, st);
    if (st.is_fault) label = "FAULT " + fault_name(m, st) + "\n" + label;
    std::string loc = st.action >= 0 ? location(m, m.actions[st.action].span) : "";
    if (!loc.empty()) label += "\n" + loc;
    os << "s" << i << " -> s" << i + 1 << " [label=" << dot_quoted(label + "\n");
    if (st.is_fault) os << ", style=dashed, penwidth=2, color=" << kFaultColor << ", fontcolor=" << kFaultColor;
    os << "];\n";
  }
  if (t.failing_step)
  {
    const TraceStep& st = *t.failing_step;
    std::string label = "Step " + std::to_string(t.states.size()) + ": " +
                        (st.action < 0 ? std::string("initialization") : step_label(m, st)) + "\nfails while running\n";
    os << "failing [shape=octagon, color=red, fontcolor=red, penwidth=2, label=" << dot_quoted(label) << "];\n";
    if (!t.states.empty())  // (no states: computing the initial states failed)
      os << "s" << t.states.size() - 1 << " -> failing [color=red, fontcolor=red, style=bold, label="
         << dot_quoted((st.is_fault ? "FAULT " + fault_name(m, st) + "\n" : std::string()) +
                       (st.action < 0 ? std::string("initialization") : step_label(m, st)) + "\n")
         << "];\n";
  }
  if (t.loop && !t.states.empty())
    os << "s" << t.states.size() - 1 << " -> s" << *t.loop
       << " [label=" << dot_quoted("back to state " + std::to_string(*t.loop) + "\n")
       << ", style=dashed, color=blue, fontcolor=blue, constraint=false];\n";
  os << "}\n";
  return os.str();
}

bool write_state_graph_dot(const Model& m, std::ostream& os, uint64_t max_states, const Trace* highlight,
                           std::string& error)
{
  const size_t W = m.state_words;
  Graph g;
  std::unordered_map<std::string, Vertex> index;
  std::vector<std::vector<uint64_t>> states;  // by vertex, W + 1 words (a spare zero word, as the engines keep)
  std::set<std::tuple<Vertex, Vertex, std::string>> seen_edges;
  Evaluator ev(m);
  std::vector<uint64_t> cur(W + 1, 0);

  auto too_many = [&]
  {
    error = "the state graph has more than " + std::to_string(max_states) +
            " states; DOT output is meant for small models (lower the constants with -D)";
    return false;
  };
  // Adds a state if new; false when that exceeds max_states.
  auto add_state = [&](const std::vector<uint64_t>& s, Vertex& v)
  {
    std::string key = key_of(s.data(), W);
    auto it = index.find(key);
    if (it != index.end())
    {
      v = it->second;
      return true;
    }
    if (states.size() >= max_states) return false;
    v = boost::add_vertex(g);
    index.emplace(std::move(key), v);
    states.emplace_back(s.begin(), s.begin() + W).push_back(0);
    const uint64_t* st = states.back().data();
    g[v].label = state_text(m, st, nullptr);
    for (const NamedPredicate& inv : m.invariants)
    {
      try
      {
        if (!ev.holds(inv.expr, st)) g[v].violated.push_back(inv.name);
      }
      catch (const EvalError& e)
      {
        g[v].violated.push_back(inv.name + " (" + e.message + ")");
      }
    }
    for (const NamedPredicate& c : m.constraints)
    {
      bool ok = false;
      try
      {
        ok = ev.holds(c.expr, st);
      }
      catch (const EvalError&)
      {
      }
      if (!ok)
      {
        g[v].pruned = true;
        break;
      }
    }
    return true;
  };

  GraphSink sink(m, ev);
  sink.init = true;
  try
  {
    ev.initial_states(sink);
  }
  catch (const EvalError& e)
  {
    error = "cannot compute the initial states: " + e.message;
    return false;
  }
  for (auto& o : sink.out)
  {
    Vertex v;
    if (!add_state(o.state, v)) return too_many();
    g[v].initial = true;
  }
  sink.init = false;

  for (size_t i = 0; i < states.size(); ++i)
  {
    Vertex from = static_cast<Vertex>(i);
    if (g[from].pruned) continue;
    std::copy(states[i].begin(), states[i].end(), cur.begin());
    for (uint32_t a = 0; a < m.actions.size(); ++a)
    {
      sink.out.clear();
      try
      {
        ev.successors_of(a, cur.data(), sink);
      }
      catch (const EvalError& e)
      {
        TraceStep st;
        st.action = static_cast<int>(a);
        st.bindings = ev.current_bindings();
        g[from].failures.push_back(step_label(m, st) + ": " + e.message);
      }
      for (auto& o : sink.out)
      {
        Vertex to;
        if (!add_state(o.state, to)) return too_many();
        if (!seen_edges.emplace(from, to, o.label).second) continue;
        auto [e, ok] = boost::add_edge(from, to, g);
        g[e].label = o.label;
        g[e].fault = m.actions[a].is_fault;
      }
    }
  }

  if (highlight)
  {
    std::vector<std::optional<Vertex>> path;
    for (const auto& s : highlight->states)
    {
      auto it = s.size() >= W ? index.find(key_of(s.data(), W)) : index.end();
      path.push_back(it == index.end() ? std::nullopt : std::optional<Vertex>(it->second));
      if (path.back()) g[*path.back()].on_trace = true;
    }
    auto mark = [&](std::optional<Vertex> from, std::optional<Vertex> to, const std::string& label)
    {
      if (!from || !to) return;
      boost::graph_traits<Graph>::out_edge_iterator ei, end;
      for (boost::tie(ei, end) = boost::out_edges(*from, g); ei != end; ++ei)
        if (boost::target(*ei, g) == *to && (label.empty() || g[*ei].label == label)) g[*ei].on_trace = true;
    };
    for (size_t i = 0; i < highlight->steps.size() && i + 1 < path.size(); ++i)
      mark(path[i], path[i + 1], step_label(m, highlight->steps[i]));
    if (highlight->loop && *highlight->loop < path.size() && !path.empty())
      mark(path.back(), path[*highlight->loop], "");
  }

  std::string title = "Keel state graph: " + m.name + " (" + std::to_string(boost::num_vertices(g)) + " states, " +
                      std::to_string(boost::num_edges(g)) + " transitions)";
  boost::write_graphviz(os, g, VertexWriter{&g}, EdgeWriter{&g}, GraphWriter{title});
  return true;
}

}  // namespace keel
