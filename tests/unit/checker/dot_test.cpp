// checker/dot: a trace as a DOT path and the state graph of a small model.
// Node and edge counts are checked on the text Keel writes and, when Graphviz
// is installed, on what `dot` itself parses (`dot -Tplain`); without it those
// checks are skipped with a warning.
#include "checker/dot.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "checker/explicit/explorer.hpp"
#include "checker/trace.hpp"
#include "support.hpp"

using namespace keel;
using namespace keel::test;

namespace
{

Compiled compiled(const std::string& spec)
{
  Compiled c = compile(spec, {}, "spec.keel");
  if (!c.ok()) FAIL("does not compile:\n" << c.rendered);
  return c;
}

Verdict violated(const Model& m)
{
  ExplicitOptions o;
  o.check_deadlock = false;
  Verdict v = check_explicit(m, o);
  REQUIRE(v.kind == VerdictKind::Violated);
  REQUIRE(v.trace);
  return v;
}

// Lines of boost::write_graphviz's output: "N[...];" and "N->M [...];".
size_t count_matches(const std::string& text, const std::regex& re)
{
  size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += std::regex_search(line, re) ? 1 : 0;
  return n;
}
size_t vertex_lines(const std::string& dot)
{
  return count_matches(dot, std::regex("^[0-9]+\\["));
}
size_t edge_lines(const std::string& dot)
{
  return count_matches(dot, std::regex("^[0-9]+->[0-9]+ "));
}

bool have_dot()
{
  return std::system("command -v dot >/dev/null 2>&1") == 0;
}

struct Parsed
{
  bool ok = false;
  size_t nodes = 0, edges = 0;
};

// Runs `dot -Tplain` (and `dot -Tsvg`, which must succeed too) on the text.
Parsed graphviz(const std::string& text)
{
  char in_path[] = "/tmp/keel_dot_test_XXXXXX";
  int fd = mkstemp(in_path);
  REQUIRE(fd >= 0);
  close(fd);
  std::string in = in_path, plain = in + ".plain", svg = in + ".svg";
  {
    std::ofstream f(in);
    f << text;
  }
  Parsed p;
  p.ok = std::system(("dot -Tplain '" + in + "' > '" + plain + "' 2>&1").c_str()) == 0 &&
         std::system(("dot -Tsvg '" + in + "' > '" + svg + "' 2>&1").c_str()) == 0;
  std::ifstream f(plain);
  for (std::string line; std::getline(f, line);)
  {
    if (line.rfind("node ", 0) == 0) ++p.nodes;
    if (line.rfind("edge ", 0) == 0) ++p.edges;
  }
  if (!p.ok)
  {
    std::ifstream err(plain);
    std::stringstream ss;
    ss << err.rdbuf();
    UNSCOPED_INFO("dot said: " << ss.str());
  }
  std::remove(in.c_str());
  std::remove(plain.c_str());
  std::remove(svg.c_str());
  return p;
}

// 0 -Inc-> 1 -Inc-> 2 -Reset-> 0: 3 states, 3 transitions.
const char* kCounter = R"(protocol Counter
var x: 0..2 = 0
action Inc when x < 2 { x := x + 1 }
action Reset when x == 2 { x := 0 }
)";

}  // namespace

TEST_CASE("write_state_graph_dot: a 0..2 counter has 3 states and 3 edges", "[dot]")
{
  Compiled c = compiled(kCounter);
  std::ostringstream os;
  std::string error;
  REQUIRE(write_state_graph_dot(c.m(), os, 100, nullptr, error));
  CHECK(error.empty());
  std::string dot = os.str();
  CHECK(dot.rfind("digraph G {", 0) == 0);
  CHECK(vertex_lines(dot) == 3);
  CHECK(edge_lines(dot) == 3);
  CHECK(dot.find("0[label=\"x = 0\\l\", style=\"bold\"]") != std::string::npos);  // the initial state
  CHECK(dot.find("0->1 [label=\"Inc\"]") != std::string::npos);
  CHECK(dot.find("1->2 [label=\"Inc\"]") != std::string::npos);
  CHECK(dot.find("2->0 [label=\"Reset\"]") != std::string::npos);
  CHECK(dot.find("(3 states, 3 transitions)") != std::string::npos);
  CHECK(dot.find("color=red") == std::string::npos);  // nothing to highlight

  if (!have_dot())
  {
    WARN("graphviz (dot) is not installed: skipping the parse check");
    return;
  }
  Parsed p = graphviz(dot);
  CHECK(p.ok);
  CHECK(p.nodes == 3);
  CHECK(p.edges == 3);
}

TEST_CASE("write_state_graph_dot: more states than the limit is an error", "[dot]")
{
  Compiled c = compiled(kCounter);
  std::ostringstream os;
  std::string error;
  CHECK_FALSE(write_state_graph_dot(c.m(), os, 2, nullptr, error));
  CHECK(error.find("more than 2 states") != std::string::npos);
  CHECK(os.str().empty());
  os.str("");
  error.clear();
  CHECK(write_state_graph_dot(c.m(), os, 3, nullptr, error));  // exactly at the limit
}

TEST_CASE("write_state_graph_dot: parameters, faults, violations and a highlighted counterexample", "[dot]")
{
  // Two processes each set their flag once; a crash fault (budget 1) stops
  // one. States: (a, b) flags x crashed set. Counted by hand below.
  Compiled c = compiled(R"(protocol Flags
type Id = 0..1
process Node(self: Id) {
  var done: bool = false
  action Finish when !done { done := true }
}
fault crash(Node) at most 1
invariant NotBoth: !(Node[0].done && Node[1].done)
)");
  const Model& m = c.m();
  Verdict v = violated(m);
  REQUIRE(v.trace->steps.size() == 2);  // Node[0].Finish, Node[1].Finish

  std::ostringstream os;
  std::string error;
  REQUIRE(write_state_graph_dot(m, os, 1000, &*v.trace, error));
  std::string dot = os.str();
  // Without a crash: done flags (F,F) (T,F) (F,T) (T,T): 4 states, 4 Finish
  // edges. With one crash (of 0 or 1) from each of them, and Finish of the
  // live node afterwards: crashed = {0}: done[1] may still become true; the
  // states are (done0, done1, crashed0, crashed1) with exactly one crashed:
  // 4 flag combinations x 2 = 8 states, all reachable (crash in any state,
  // then Finish of the live one), 4 crash edges from the no-crash states to
  // each crashed variant (8 edges), and Finish edges among crashed states:
  // the live node's flag F->T, 2 per crashed node = 4. Total 12 states,
  // 4 + 8 + 4 = 16 edges.
  CHECK(vertex_lines(dot) == 12);
  CHECK(edge_lines(dot) == 16);
  CHECK(dot.find("[label=\"Node[0].Finish\"") != std::string::npos);
  CHECK(dot.find("[label=\"Node[1].crash\", style=dashed") != std::string::npos);  // fault edges are dashed
  // (T,T) violates NotBoth in 3 states: no crash, crashed 0, crashed 1.
  CHECK(count_matches(dot, std::regex("violates NotBoth")) == 3);
  CHECK(count_matches(dot, std::regex("fillcolor=")) == 3);
  // The counterexample (3 states, 2 edges) in red.
  CHECK(count_matches(dot, std::regex("^[0-9]+\\[.*color=red")) == 3);
  CHECK(count_matches(dot, std::regex("^[0-9]+->[0-9]+ .*color=red")) == 2);

  if (!have_dot())
  {
    WARN("graphviz (dot) is not installed: skipping the parse check");
    return;
  }
  Parsed p = graphviz(dot);
  CHECK(p.ok);
  CHECK(p.nodes == 12);
  CHECK(p.edges == 16);
}

TEST_CASE("trace_dot: the path, fault edges, the failing step and the loop", "[dot]")
{
  Compiled c = compiled(R"(protocol Path
type V = 0..1
message Msg = M(v: V)
network net: unordered Msg capacity 2
var sent: 0..2 = 0
var got: 0..2 = 0
action Send when sent < 1 { send net(M(sent)); sent := sent + 1 }
action Recv { receive m from net; got := got + 1; assert got < 2, "received twice" }
fault duplicate(net) at most 1
)");
  const Model& m = c.m();
  Verdict v = violated(m);
  const Trace& t = *v.trace;
  REQUIRE(t.failing_step);
  std::string dot = trace_dot(m, t);
  CHECK(dot.rfind("digraph trace {", 0) == 0);
  size_t n = t.states.size();
  CHECK(count_matches(dot, std::regex("^s[0-9]+ \\[label=")) == n);
  CHECK(count_matches(dot, std::regex("^s[0-9]+ -> s[0-9]+ ")) == n - 1);
  CHECK(dot.find("\"State 0: initial state\\l") != std::string::npos);
  CHECK(dot.find("\\lsent = 0\\l") != std::string::npos);
  CHECK(dot.find("* sent = 1\\l") != std::string::npos);  // changed variables marked
  bool has_fault = false;
  for (const TraceStep& st : t.steps) has_fault = has_fault || st.is_fault;
  CHECK(has_fault);
  CHECK(dot.find("FAULT duplicate(net)") != std::string::npos);
  CHECK(dot.find("style=dashed, penwidth=2, color=\"#b45309\"") != std::string::npos);
  CHECK(dot.find("failing [shape=octagon") != std::string::npos);
  CHECK(dot.find("-> failing [") != std::string::npos);
  CHECK(dot.find("fails while running") != std::string::npos);
  CHECK(dot.find("back to state") == std::string::npos);

  Trace lasso = t;
  lasso.failing_step.reset();
  lasso.loop = 1;
  std::string looped = trace_dot(m, lasso);
  std::ostringstream loop_edge;  // (built with a stream: GCC 12 warns, wrongly, on string + to_string here)
  loop_edge << "s" << n - 1 << " -> s1 [label=\"back to state 1\\l\"";
  CHECK(looped.find(loop_edge.str()) != std::string::npos);
  CHECK(looped.find("failing") == std::string::npos);

  if (!have_dot())
  {
    WARN("graphviz (dot) is not installed: skipping the parse check");
    return;
  }
  Parsed p = graphviz(dot);
  CHECK(p.ok);
  CHECK(p.nodes == n + 1);  // the states and the failing step
  CHECK(p.edges == n);      // the steps and the failing one
  Parsed q = graphviz(looped);
  CHECK(q.ok);
  CHECK(q.nodes == n);
  CHECK(q.edges == n);  // the steps and the loop
}

TEST_CASE("trace_dot: a failure while computing the initial states", "[dot]")
{
  Compiled c = compiled(R"(protocol InitFail
var x: 0..2 = 0
init { choose v: 0..2; x := v; assert v < 1, "boom" }
action A { x := 0 }
)");
  Verdict v = violated(c.m());
  REQUIRE(v.trace->states.empty());
  std::string dot = trace_dot(c.m(), *v.trace);
  CHECK(dot.find("failing [shape=octagon") != std::string::npos);
  CHECK(dot.find("Step 0: initialization") != std::string::npos);
  CHECK(dot.find("->") == std::string::npos);

  std::ostringstream os;
  std::string error;
  CHECK_FALSE(write_state_graph_dot(c.m(), os, 100, nullptr, error));
  CHECK(error.find("initial states") != std::string::npos);
  CHECK(error.find("boom") != std::string::npos);
}
