// checker/symbolic/bmc: bounded model checking agrees with the explicit
// engine on small specs (verdict kind and shortest trace length), on z3 and
// on cvc5, and its traces decode into the explicit engine's states.
#include "checker/symbolic/bmc.hpp"

#include <catch2/catch.hpp>

#include "checker/explicit/explorer.hpp"
#include "checker/smt/factory.hpp"
#include "support.hpp"

using namespace keel;
using namespace keel::test;

namespace
{

Verdict bmc(const Compiled& c, uint64_t depth, const std::string& solver = "z3", bool deadlock = true)
{
  BmcOptions o;
  o.solver = solver;
  o.depth = depth;
  o.check_deadlock = deadlock;
  return check_bmc(c.m(), o);
}

Verdict explicit_check(const Compiled& c, bool deadlock = true)
{
  ExplicitOptions o;
  o.check_deadlock = deadlock;
  return check_explicit(c.m(), o);
}

std::vector<std::string> solvers()
{
  std::vector<std::string> out;
  for (const std::string& s : smt::solver_names()) out.push_back(s);
  return out;
}

// The two engines find the same violation at the same length.
void agree(const std::string& spec, uint64_t depth, bool deadlock = true)
{
  Compiled c = compile(spec);
  if (!c.ok()) FAIL("does not compile:\n" << c.rendered);
  Verdict e = explicit_check(c, deadlock);
  for (const std::string& s : solvers())
  {
    INFO("solver " << s);
    Verdict b = bmc(c, depth, s, deadlock);
    INFO(b.message);
    if (e.kind == VerdictKind::Violated)
    {
      REQUIRE(b.kind == VerdictKind::Violated);
      CHECK(*b.violation == *e.violation);
      CHECK(b.trace->length() == e.trace->length());
      CHECK(b.trace->states.size() == e.trace->states.size());
    }
    else
      CHECK(b.kind == VerdictKind::HoldsUpToBound);
  }
}

}  // namespace

TEST_CASE("bmc: an invariant violation at the shortest depth, with the explicit engine's states and steps", "[bmc]")
{
  Compiled c = compile(R"(
var x: 0..7 = 0
var y: 0..7 = 0
action IncX when x < 7 { x := x + 1 }
action IncY when y < 7 { y := y + 2 }
invariant Small: x + y < 5
)");
  REQUIRE(c.ok());
  Verdict e = explicit_check(c, false);
  for (const std::string& s : solvers())
  {
    INFO("solver " << s);
    Verdict b = bmc(c, 10, s, false);
    REQUIRE(b.kind == VerdictKind::Violated);
    CHECK(*b.violation == ViolationKind::Invariant);
    CHECK(b.property == "Small");
    REQUIRE(b.trace->length() == e.trace->length());
    // Every step of the trace is an action of the model that leads from one
    // state to the next (the printers read these).
    for (const TraceStep& st : b.trace->steps) CHECK(st.action >= 0);
    CHECK(b.trace->states.front() == e.trace->states.front());
  }
}

TEST_CASE("bmc: no counterexample within the bound is 'holds up to depth K'", "[bmc]")
{
  Compiled c = compile(R"(
var x: 0..3 = 0
action Inc when x < 3 { x := x + 1 }
action Reset when x == 3 { x := 0 }
invariant InRange: x <= 3
)");
  REQUIRE(c.ok());
  Verdict b = bmc(c, 6);
  CHECK(b.kind == VerdictKind::HoldsUpToBound);
  CHECK(b.bound == 6);
  // A violation just past the bound is not found.
  Compiled d = compile(R"(
var x: 0..9 = 0
action Inc when x < 9 { x := x + 1 }
invariant Below: x < 5
)");
  REQUIRE(d.ok());
  CHECK(bmc(d, 4, "z3", false).kind == VerdictKind::HoldsUpToBound);
  Verdict v = bmc(d, 5, "z3", false);
  REQUIRE(v.kind == VerdictKind::Violated);
  CHECK(v.trace->length() == 5);
}

TEST_CASE("bmc: failures while running an action (out-of-range, division by zero, assert) and deadlock", "[bmc]")
{
  agree(R"(
var x: 0..3 = 0
action Inc { x := x + 1 }
)",
        6);
  agree(R"(
var x: 0..3 = 2
var y: 0..3 = 1
action Dec when x > 0 { x := x - 1 }
action Div { y := 3 / x }
)",
        6, false);
  agree(R"(
var x: 0..5 = 0
action Inc when x < 5 { x := x + 1; assert x != 4 }
)",
        6);
  agree(R"(
var x: 0..5 = 0
action Inc when x < 3 { x := x + 1 }
)",
        6);
}

TEST_CASE("bmc: arrays, records, enums, sets, choose and if", "[bmc]")
{
  agree(R"(
type Id = 0..2
enum Color { Red, Green, Blue }
var a: [Id] 0..3
var c: Color = Red
var s: set<Id>
action Set(i: Id) when a[i] < 3 { a[i] := a[i] + 1; s := s union {i} }
action Paint { choose k: Color where k != c; c := k }
action Clear(i: Id) when i in s { if a[i] > 1 { a[i] := 0 } else { s := s minus {i} } }
invariant Few: size(s) < 3 || c == Blue
)",
        8, false);
}

TEST_CASE("bmc: a construct it does not encode is an error, never an answer", "[bmc]")
{
  Compiled c = compile(R"(
var x: 0..3 = 0
action Inc when x < 3 { x := x + 1 }
action Reset when x == 3 { x := 0 }
)");
  REQUIRE(c.ok());
  BmcOptions o;
  o.solver = "no-such-solver";
  o.depth = 3;
  Verdict v = check_bmc(c.m(), o);
  CHECK(v.kind == VerdictKind::Error);
}
