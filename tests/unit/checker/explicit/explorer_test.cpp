// checker/explicit/explorer: exact state counts on hand-countable models,
// deadlocks, depth bounds, constraints, shortest (BFS) counterexamples and
// their step labels and bindings.
#include "checker/explicit/explorer.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "support.hpp"

using namespace keel;
using namespace keel::test;

namespace
{

struct Run
{
  Compiled c;
  Verdict v;
};

Run check(const std::string& spec, bool deadlock = false, uint64_t max_depth = 0, const LowerOptions& lo = {})
{
  Run r{compile(spec, lo), {}};
  if (!r.c.ok()) FAIL("does not compile:\n" << r.c.rendered);
  ExplicitOptions o;
  o.check_deadlock = deadlock;
  o.max_depth = max_depth;
  r.v = check_explicit(r.c.m(), o);
  return r;
}

std::vector<std::string> labels(const Run& r)
{
  std::vector<std::string> out;
  for (auto& s : r.v.trace->steps) out.push_back(step_label(r.c.m(), s));
  return out;
}

const char* kTwoCounters = R"(
var x: 0..2 = 0
var y: 0..2 = 0
action IncX when x < 2 { x := x + 1 }
action IncY when y < 2 { y := y + 1 }
)";

}  // namespace

TEST_CASE("explorer: two independent counters 0..2 give 9 states", "[explorer]")
{
  Run r = check(kTwoCounters);
  CHECK(r.v.kind == VerdictKind::Holds);
  CHECK_FALSE(r.v.trace);
  CHECK(r.v.stats.distinct == 9);
  CHECK(r.v.stats.initial == 1);
  // Six states enable IncX and six enable IncY; the initial state counts too.
  CHECK(r.v.stats.generated == 1 + 12);
  CHECK(r.v.stats.action_fired == std::vector<uint64_t>{6, 6});
  CHECK(r.v.stats.depth == 4);
}

TEST_CASE("explorer: deadlock detection on and off", "[explorer]")
{
  Run on = check(kTwoCounters, true);
  REQUIRE(on.v.kind == VerdictKind::Violated);
  CHECK(on.v.violation == ViolationKind::Deadlock);
  CHECK(on.v.property == "deadlock");
  REQUIRE(on.v.trace);
  CHECK(on.v.trace->length() == 4);
  CHECK_FALSE(on.v.trace->failing_step);
  const auto& last = on.v.trace->states.back();
  CHECK(int_var(on.c.m(), last, "x") == 2);
  CHECK(int_var(on.c.m(), last, "y") == 2);
  // The deadlock is found after every other state: the whole space is stored.
  CHECK(on.v.stats.distinct == 9);
  CHECK(exit_code(on.v) == 11);

  Run off = check(kTwoCounters, false);
  CHECK(off.v.kind == VerdictKind::Holds);
  CHECK(exit_code(off.v) == 0);
}

TEST_CASE("explorer: a deadlock in the initial state has a trace of length 0", "[explorer]")
{
  Run r = check("var x: bool\naction Never when x { x := false }\n", true);
  REQUIRE(r.v.kind == VerdictKind::Violated);
  CHECK(r.v.violation == ViolationKind::Deadlock);
  CHECK(r.v.trace->length() == 0);
  CHECK(r.v.trace->states.size() == 1);
}

TEST_CASE("explorer: choose in init gives several initial states", "[explorer]")
{
  Run r = check("var x: 0..3\ninit { choose a: 0..3; x := a }\n");
  CHECK(r.v.kind == VerdictKind::Holds);
  CHECK(r.v.stats.initial == 4);
  CHECK(r.v.stats.distinct == 4);
  CHECK(r.v.stats.depth == 0);

  // Duplicate initial states are generated but stored once.
  Run d = check("var x: 0..3\ninit { choose a: 0..3; x := a / 2 }\n");
  CHECK(d.v.stats.initial == 4);
  CHECK(d.v.stats.distinct == 2);

  // The regression spec init_choose.keel: 6 initial states, 16 in all.
  Run i = check(
      "var x: 0..3\nvar y: 0..8\ninit {\n choose a: 0..3 where a != 2\n x := a\n choose b in {1, 5}\n y := b + a\n}\n"
      "action Step when x < 3 { x := x + 1 }\n");
  CHECK(i.v.stats.initial == 6);
  CHECK(i.v.stats.distinct == 16);
}

TEST_CASE("explorer: a spec without actions has just its initial state", "[explorer]")
{
  Run r = check("var x: 0..3 = 2\n");
  CHECK(r.v.kind == VerdictKind::Holds);
  CHECK(r.v.stats.distinct == 1);
  Run d = check("var x: 0..3 = 2\n", true);
  CHECK(d.v.violation == ViolationKind::Deadlock);
}

TEST_CASE("explorer: parameterized actions and sets", "[explorer]")
{
  // Every subset of 0..3 is reachable.
  Run r = check(
      "type Elem = 0..3\nvar s: set<Elem> = {}\n"
      "action Add(e: Elem) when !(e in s) { s := s union {e} }\n"
      "action Remove(e: Elem) when e in s { s := s minus {e} }\n",
      true);
  CHECK(r.v.kind == VerdictKind::Holds);
  CHECK(r.v.stats.distinct == 16);
  CHECK(r.v.stats.action_fired == std::vector<uint64_t>{32, 32});
}

TEST_CASE("explorer: processes multiply the state space", "[explorer]")
{
  Run r = check("process P(self: 0..2) {\n var on: bool\n action Flip { on := !on }\n}\n", true);
  CHECK(r.v.kind == VerdictKind::Holds);
  CHECK(r.v.stats.distinct == 8);
  CHECK(r.v.stats.generated == 1 + 8 * 3);
}

TEST_CASE("explorer: -D overrides change the state space", "[explorer]")
{
  const char* spec = "const N: int = 2\nvar x: 0..N = 0\naction Inc when x < N { x := x + 1 }\n";
  CHECK(check(spec).v.stats.distinct == 3);
  LowerOptions o;
  o.overrides["N"] = "6";
  CHECK(check(spec, false, 0, o).v.stats.distinct == 7);
}

TEST_CASE("explorer: max depth bounds the search", "[explorer]")
{
  const char* grid = R"(
var x: 0..9 = 0
var y: 0..9 = 0
action Right when x < 9 { x := x + 1 }
action Left when x > 0 { x := x - 1 }
action Up when y < 9 { y := y + 1 }
action Down when y > 0 { y := y - 1 }
)";
  Run r = check(grid, true, 3);
  CHECK(r.v.kind == VerdictKind::HoldsUpToBound);
  CHECK(r.v.bound == 3);
  CHECK(r.v.stats.distinct == 10);  // x + y <= 3
  CHECK(r.v.stats.depth == 3);
  CHECK(exit_code(r.v) == 0);

  Run one = check(grid, true, 1);
  CHECK(one.v.stats.distinct == 3);

  Run full = check(grid, true);
  CHECK(full.v.kind == VerdictKind::Holds);
  CHECK(full.v.stats.distinct == 100);
  CHECK(full.v.stats.depth == 18);

  // A bound beyond the diameter explores everything and says so.
  Run big = check(kTwoCounters, false, 10);
  CHECK(big.v.kind == VerdictKind::Holds);
  CHECK(big.v.stats.distinct == 9);
}

TEST_CASE("explorer: a violation within the bound is still found", "[explorer]")
{
  Run r = check("var x: 0..9 = 0\naction Inc when x < 9 { x := x + 1 }\ninvariant Low: x < 3\n", false, 5);
  CHECK(r.v.kind == VerdictKind::Violated);
  CHECK(r.v.trace->length() == 3);
  Run beyond = check("var x: 0..9 = 0\naction Inc when x < 9 { x := x + 1 }\ninvariant Low: x < 7\n", false, 5);
  CHECK(beyond.v.kind == VerdictKind::HoldsUpToBound);
  CHECK(beyond.v.stats.distinct == 6);
}

TEST_CASE("explorer: constraints cut exploration but cut states are checked", "[explorer]")
{
  const char* spec = "var x: 0..10 = 0\naction Inc when x < 10 { x := x + 1 }\nconstraint Small: x < 5\n";
  Run r = check(std::string(spec) + "invariant NeverSix: x != 6\n", true);
  CHECK(r.v.kind == VerdictKind::Holds);  // x = 5 is cut, not a deadlock
  CHECK(r.v.stats.distinct == 6);

  Run inv = check(std::string(spec) + "invariant NotFive: x != 5\n", true);
  REQUIRE(inv.v.kind == VerdictKind::Violated);
  CHECK(inv.v.property == "NotFive");
  CHECK(inv.v.trace->length() == 5);

  // A constraint false in the initial state: only the initial state.
  Run init = check("var x: 0..10 = 0\naction Inc when x < 10 { x := x + 1 }\nconstraint Never: x > 0\n", true);
  CHECK(init.v.kind == VerdictKind::Holds);
  CHECK(init.v.stats.distinct == 1);
}

TEST_CASE("explorer: counterexamples are shortest (breadth-first)", "[explorer]")
{
  // Slow path 0 -> 1 -> 2 -> 3 -> 4 and a shortcut 0 -> 3 -> 4.
  Run r = check(
      "var x: 0..4 = 0\naction Slow when x < 4 { x := x + 1 }\naction Jump when x == 0 { x := 3 }\n"
      "invariant NotFour: x != 4\n");
  REQUIRE(r.v.kind == VerdictKind::Violated);
  CHECK(r.v.violation == ViolationKind::Invariant);
  CHECK(r.v.property == "NotFour");
  CHECK(r.v.message == "invariant NotFour is violated");
  REQUIRE(r.v.trace);
  CHECK(r.v.trace->length() == 2);
  CHECK(labels(r) == std::vector<std::string>{"Jump", "Slow"});
  REQUIRE(r.v.trace->states.size() == 3);
  CHECK(int_var(r.c.m(), r.v.trace->states[0], "x") == 0);
  CHECK(int_var(r.c.m(), r.v.trace->states[1], "x") == 3);
  CHECK(int_var(r.c.m(), r.v.trace->states[2], "x") == 4);
  CHECK(exit_code(r.v) == 12);
  // The span points at the invariant.
  LineCol lc = r.c.sources->file(0).line_col(r.v.span.begin);
  CHECK(lc.line == 4);
  CHECK(lc.column == 1);
}

TEST_CASE("explorer: trace steps carry parameter and choice bindings", "[explorer]")
{
  Run r = check(
      "var x: 0..9 = 0\nvar y: 0..9 = 0\n"
      "action Set(v: 0..9) when x == 0 { x := v }\n"
      "action Pick when x == 5 { choose c: 1..3 where c > 1; y := c }\n"
      "invariant I: y != 3\n");
  REQUIRE(r.v.kind == VerdictKind::Violated);
  REQUIRE(r.v.trace->steps.size() == 2);
  CHECK(labels(r) == std::vector<std::string>{"Set(v = 5)", "Pick(c = 3)"});
  const TraceStep& s0 = r.v.trace->steps[0];
  CHECK(s0.action == static_cast<int>(action_index(r.c.m(), "Set")));
  REQUIRE(s0.bindings.size() == 1);
  CHECK(s0.bindings[0].name == "v");
  CHECK(value_text(s0.bindings[0].type, s0.bindings[0].bits.data(), 0) == "5");
  CHECK_FALSE(s0.is_fault);
  const TraceStep& s1 = r.v.trace->steps[1];
  REQUIRE(s1.bindings.size() == 1);
  CHECK(s1.bindings[0].name == "c");
}

TEST_CASE("explorer: an invariant violated in an initial state has length 0", "[explorer]")
{
  Run r = check("var x: 0..3\ninit { choose a: 0..3; x := a }\naction A { skip }\ninvariant NotThree: x != 3\n");
  REQUIRE(r.v.kind == VerdictKind::Violated);
  CHECK(r.v.property == "NotThree");
  REQUIRE(r.v.trace);
  CHECK(r.v.trace->length() == 0);
  REQUIRE(r.v.trace->states.size() == 1);
  CHECK(r.v.trace->steps.empty());
  CHECK(int_var(r.c.m(), r.v.trace->states[0], "x") == 3);
}

TEST_CASE("explorer: a violation raised while an action runs counts that action", "[explorer]")
{
  Run r = check("var x: 0..3 = 0\naction Inc { x := x + 1 }\n");
  REQUIRE(r.v.kind == VerdictKind::Violated);
  CHECK(r.v.violation == ViolationKind::OutOfRange);
  CHECK(r.v.property == "out-of-range");
  REQUIRE(r.v.trace);
  CHECK(r.v.trace->states.size() == 4);  // x = 0, 1, 2, 3
  REQUIRE(r.v.trace->failing_step);
  CHECK(r.v.trace->failing_step->action == 0);
  CHECK(r.v.trace->length() == 4);
  CHECK(labels(r) == std::vector<std::string>{"Inc", "Inc", "Inc"});
  LineCol lc = r.c.sources->file(0).line_col(r.v.span.begin);
  CHECK(lc.line == 2);
  CHECK(lc.column == 14);

  Run a = check(
      "var x: 0..3 = 0\naction Inc when x < 3 { x := x + 1 }\naction Check(k: 0..1) when x == 2 { assert k == 0 }\n");
  REQUIRE(a.v.kind == VerdictKind::Violated);
  CHECK(a.v.violation == ViolationKind::Assert);
  CHECK(a.v.trace->length() == 3);
  REQUIRE(a.v.trace->failing_step);
  CHECK(step_label(a.c.m(), *a.v.trace->failing_step) == "Check(k = 1)");
}

TEST_CASE("explorer: an error while evaluating an invariant is reported with its kind", "[explorer]")
{
  Run r = check("var x: 0..3 = 2\naction Dec when x > 0 { x := x - 1 }\ninvariant Ratio: 6 / x > 0\n");
  REQUIRE(r.v.kind == VerdictKind::Violated);
  CHECK(r.v.violation == ViolationKind::DivisionByZero);
  CHECK(r.v.property == "Ratio");
  CHECK(r.v.trace->length() == 2);
}

TEST_CASE("explorer: a violation in an initializer is reported", "[explorer]")
{
  Run r = check("var x: 0..3 = 5\naction A { skip }\n");
  REQUIRE(r.v.kind == VerdictKind::Violated);
  CHECK(r.v.violation == ViolationKind::OutOfRange);
  REQUIRE(r.v.trace);
  CHECK(r.v.trace->states.empty());
  REQUIRE(r.v.trace->failing_step);
  CHECK(r.v.trace->failing_step->action == -1);
}

TEST_CASE("explorer: messages through an unordered network", "[explorer]")
{
  // Two distinct messages are sent once each and received in either order.
  Run r = check(R"(
message Msg = M(n: 0..1)
network net: unordered Msg capacity 1
var sent: 0..2 = 0
var got: seq<0..1, 2> = []
action Send when sent < 2 { send net(M(sent)); sent := sent + 1 }
action Recv { receive m from net; got := append(got, m.n) }
)",
                false);
  CHECK(r.v.kind == VerdictKind::Holds);
  // (sent, net, got): (0,{},[]), (1,{M0},[]), (1,{},[0]), (2,{M0,M1},[]), (2,{M1},[0]),
  // (2,{M0},[1]), (2,{},[0,1]), (2,{},[1,0]).
  CHECK(r.v.stats.distinct == 8);
}

TEST_CASE("explorer: the visited set grows past its first table", "[explorer]")
{
  Run r = check(
      "var x: 0..255\nvar y: 0..255\naction IncX when x < 255 { x := x + 1 }\n"
      "action IncY when y < 255 { y := y + 1 }\n");
  CHECK(r.v.kind == VerdictKind::Holds);
  CHECK(r.v.stats.distinct == 65536);
  CHECK(r.v.stats.depth == 510);
  CHECK(r.v.stats.generated == 1 + 2 * 255 * 256);
}

TEST_CASE("explorer: the dump lists every distinct state", "[explorer]")
{
  Compiled c = compile(kTwoCounters);
  REQUIRE(c.ok());
  std::ostringstream dump;
  ExplicitOptions o;
  o.check_deadlock = false;
  o.dump = &dump;
  Verdict v = check_explicit(c.m(), o);
  std::istringstream in(dump.str());
  std::set<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.insert(line);
  CHECK(lines.size() == 9);
  CHECK(lines.count("x = 0 /\\ y = 0"));
  CHECK(lines.count("x = 2 /\\ y = 1"));
}
