// checker/symbolic/pdr: PDR through Z3's Spacer. Proofs agree with the
// explicit engine, the invariant printed in Keel's syntax parses and holds
// (each conjunct added back to the spec as an invariant), violations come
// back as bmc's shortest traces with the explicit engine's lengths, and what
// PDR cannot decide is an error, never a verdict.
#include "checker/symbolic/pdr.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "checker/explicit/explorer.hpp"
#include "checker/smt/factory.hpp"
#include "support.hpp"

using namespace keel;
using namespace keel::test;

namespace
{

#define REQUIRE_SOLVERS(...)                                       \
  do                                                               \
  {                                                                \
    for (const char* name : {__VA_ARGS__})                         \
      if (!smt::solver_available(name))                            \
      {                                                            \
        WARN("skipped: this Keel has no " << name << " back end"); \
        return;                                                    \
      }                                                            \
  } while (false)

Verdict pdr(const Compiled& c, PdrInvariant* inv = nullptr, const std::string& solver = "z3", bool deadlock = true,
            uint64_t timeout_ms = 60000, symbolic::Arith arith = symbolic::Arith::Bv)
{
  PdrOptions o;
  o.solver = solver;
  o.check_deadlock = deadlock;
  o.timeout_ms = timeout_ms;
  o.arith = arith;
  return check_pdr(c.m(), o, inv);
}

Verdict pdr_lia(const Compiled& c, PdrInvariant* inv = nullptr, const std::string& solver = "z3")
{
  return pdr(c, inv, solver, true, 60000, symbolic::Arith::Lia);
}

Verdict explicit_check(const Compiled& c, bool deadlock = true)
{
  ExplicitOptions o;
  o.check_deadlock = deadlock;
  return check_explicit(c.m(), o);
}

Compiled must_compile(const std::string& spec)
{
  Compiled c = compile(spec);
  if (!c.ok()) FAIL("does not compile:\n" << c.rendered << "\n" << spec);
  return c;
}

// PDR proves the spec; its printed invariant, added to the spec as
// invariants, parses, and the explicit engine and PDR both find it holds.
// Under Lia the spec with the printed invariant is proved again by PDR under
// both encodings.
PdrInvariant proves_and_prints(const std::string& spec, symbolic::Arith arith = symbolic::Arith::Bv)
{
  Compiled c = must_compile(spec);
  PdrInvariant inv;
  Verdict v = pdr(c, &inv, "z3", true, 60000, arith);
  INFO(v.message);
  REQUIRE(v.kind == VerdictKind::Holds);
  CHECK_THAT(v.message, Catch::Contains("proved by PDR"));
  CHECK(explicit_check(c).kind == VerdictKind::Holds);
  INFO("Spacer's invariant: " << inv.smtlib);
  CHECK(inv.unexpressed.empty());
  std::string with = spec;
  for (size_t i = 0; i < inv.conjuncts.size(); ++i)
    with += "\ninvariant Printed" + std::to_string(i) + ": " + inv.conjuncts[i];
  INFO(with);
  Compiled again = must_compile(with);
  CHECK(again.m().invariants.size() == c.m().invariants.size() + inv.conjuncts.size());
  CHECK(explicit_check(again).kind == VerdictKind::Holds);
  CHECK(pdr(again).kind == VerdictKind::Holds);
  if (arith == symbolic::Arith::Lia) CHECK(pdr_lia(again).kind == VerdictKind::Holds);
  return inv;
}

// Spacer's invariant over Int pieces, as the printer writes it: no bit-vector
// artefacts (a modulus for wrap-around, a sign test).
void no_bit_vector_artefacts(const PdrInvariant& inv)
{
  for (const std::string& c : inv.conjuncts)
  {
    INFO(c);
    CHECK(c.find(" % ") == std::string::npos);
    CHECK(c.find("if ") == std::string::npos);
  }
}

// Two nodes pass a token; `ticks` runs on by itself. Mutex is not inductive:
// from crit[0] with the token at node 1, Enter(1) breaks it. Every state
// (crit[0], !crit[1], token = 1, ticks = t) meets Mutex and reaches that
// counterexample to induction by Tick steps, all distinct, so k-induction's
// step case fails for every k up to 200; PDR needs the strengthening
// "crit[i] => token == i" only.
const char* kMutex = R"(
var crit: [0..1] bool = [_ => false]
var token: 0..1 = 0
var ticks: 0..200 = 0
action Enter(i: 0..1) when token == i && !crit[i] { crit[i] := true }
action Exit(i: 0..1) when crit[i] { crit[i] := false; token := 1 - i }
action Tick when ticks < 200 { ticks := ticks + 1 }
invariant Mutex: !(crit[0] && crit[1])
)";

// Two counters that move together: x == y is inductive by itself.
const char* kCountersTogether = R"(
var x: 0..7 = 0
var y: 0..7 = 0
action Inc when x < 5 { x := x + 1; y := y + 1 }
action Reset when x == 5 { x := 0; y := 0 }
invariant Same: x == y
)";

// Two processes take turns; the turn variable makes OneInside inductive once
// strengthened with "inside at i => turn == i".
const char* kTurnProcesses = R"(
type Id = 0..1
var turn: Id = 0
process Node(self: Id) {
  var inside: bool = false
  action Enter when turn == self && !inside { inside := true }
  action Leave when inside { inside := false; turn := 1 - self }
}
invariant OneInside: !(Node[0].inside && Node[1].inside)
)";

}  // namespace

TEST_CASE("pdr: proves mutual exclusion with a strengthening invariant it prints", "[pdr][z3]")
{
  REQUIRE_SOLVERS("z3");
  PdrInvariant inv = proves_and_prints(kMutex);
  CHECK_FALSE(inv.conjuncts.empty());
  CHECK(inv.pieces == std::vector<std::string>{"crit[0]", "crit[1]", "token", "ticks"});
  // The strengthening relates the critical sections to the token; ticks plays no part.
  for (const std::string& c : inv.conjuncts)
  {
    INFO(c);
    CHECK(c.find("token") != std::string::npos);
    CHECK(c.find("ticks") == std::string::npos);
  }
}

TEST_CASE("pdr: printed invariants over enums, arrays, records and sets parse and hold", "[pdr][z3]")
{
  REQUIRE_SOLVERS("z3");
  SECTION("a commit protocol over enums")
  {
    proves_and_prints(R"(
enum Phase { idle, prepared, committed, aborted }
var tm: Phase = idle
var rm: [1..2] Phase = [_ => idle]
action Prepare(r: 1..2) when tm == idle && rm[r] == idle { rm[r] := prepared }
action Commit when tm == idle && rm[1] == prepared && rm[2] == prepared { tm := committed }
action Abort when tm == idle { tm := aborted }
action RmCommit(r: 1..2) when tm == committed && rm[r] == prepared { rm[r] := committed }
action RmAbort(r: 1..2) when tm == aborted && rm[r] != committed { rm[r] := aborted }
action Done when tm != idle { skip }
invariant Consistent: !(rm[1] == committed && rm[2] == aborted) && !(rm[2] == committed && rm[1] == aborted)
)");
  }
  SECTION("records, sets, ranges with an offset")
  {
    PdrInvariant inv = proves_and_prints(R"(
type Id = 1..3
var voted: set<Id> = {}
var acct: record { bal: -2..5, open: bool } = { bal: -2, open: false }
action Vote(i: Id) when !(i in voted) { voted := voted union {i} }
action Open when !acct.open { acct.open := true }
action Dep when acct.open && acct.bal < 5 { acct.bal := acct.bal + 1 }
action Idle { skip }
invariant BalOnlyIfOpen: acct.bal > -2 => acct.open
)");
    CHECK(inv.pieces ==
          std::vector<std::string>{"(1 in voted)", "(2 in voted)", "(3 in voted)", "acct.bal", "acct.open"});
  }
  SECTION("two counters that move together")
  {
    PdrInvariant inv = proves_and_prints(kCountersTogether);
    CHECK(std::find(inv.conjuncts.begin(), inv.conjuncts.end(), "x == y") != inv.conjuncts.end());
  }
  SECTION("process variables")
  {
    PdrInvariant inv = proves_and_prints(kTurnProcesses);
    CHECK(inv.pieces == std::vector<std::string>{"turn", "Node[0].inside", "Node[1].inside"});
  }
}

TEST_CASE("pdr: violations come back as bmc's shortest traces, of the explicit engine's length", "[pdr][z3]")
{
  REQUIRE_SOLVERS("z3");
  struct Case
  {
    const char* name;
    const char* spec;
    ViolationKind kind;
    size_t length;  // by hand: the actions up to the violation
  };
  const Case cases[] = {
      // x = 0 .. 7 by Inc: the state after 7 steps breaks Small.
      {"invariant",
       "var x: 0..10 = 0\naction Inc when x < 10 { x := x + 1 }\naction Reset when x == 10 { x := 0 }\n"
       "invariant Small: x < 7",
       ViolationKind::Invariant, 7},
      // The 11th Inc stores 11 into 0..10.
      {"out of range", "var x: 0..10 = 0\naction Inc { x := x + 1 }", ViolationKind::OutOfRange, 11},
      // After three Incs nothing is enabled.
      {"deadlock", "var x: 0..3 = 0\naction Inc when x < 3 { x := x + 1 }", ViolationKind::Deadlock, 3},
      // The initial state already breaks it.
      {"initial",
       "var x: 0..3 = 2\naction Inc when x < 3 { x := x + 1 }\naction Dec when x > 0 { x := x - 1 }\n"
       "invariant Zero: x == 0",
       ViolationKind::Invariant, 0},
  };
  for (const Case& k : cases)
  {
    INFO(k.name);
    Compiled c = must_compile(k.spec);
    Verdict e = explicit_check(c);
    REQUIRE(e.kind == VerdictKind::Violated);
    REQUIRE(e.trace->length() == k.length);
    Verdict v = pdr(c);
    INFO(v.message);
    REQUIRE(v.kind == VerdictKind::Violated);
    CHECK(*v.violation == k.kind);
    CHECK(v.trace->length() == k.length);
  }
}

TEST_CASE("pdr: deadlock checking can be switched off", "[pdr][z3]")
{
  REQUIRE_SOLVERS("z3");
  Compiled c = must_compile("var x: 0..3 = 0\naction Inc when x < 3 { x := x + 1 }\ninvariant Bounded: x <= 3");
  CHECK(pdr(c, nullptr, "z3", /*deadlock=*/true).kind == VerdictKind::Violated);
  CHECK(pdr(c, nullptr, "z3", /*deadlock=*/false).kind == VerdictKind::Holds);
}

TEST_CASE("pdr: needs a Horn clause engine: cvc5 alone is refused", "[pdr]")
{
  Compiled c = must_compile(kMutex);
  Verdict v = pdr(c, nullptr, "cvc5");
  CHECK(v.kind == VerdictKind::Error);
  CHECK_THAT(v.message, Catch::Contains("capability chc") && Catch::Contains("cvc5 has none"));
}

TEST_CASE("pdr: with both solvers, z3 and cvc5 check Spacer's invariant in lock-step", "[pdr][z3][cvc5]")
{
  REQUIRE_SOLVERS("z3", "cvc5");
  Compiled c = must_compile(kMutex);
  PdrInvariant inv;
  Verdict v = pdr(c, &inv, "both");
  INFO(v.message);
  REQUIRE(v.kind == VerdictKind::Holds);
  CHECK_THAT(v.message, Catch::Contains("checked by z3 and cvc5"));
  CHECK_FALSE(inv.conjuncts.empty());
  Compiled bad = must_compile("var x: 0..10 = 0\naction Inc { x := x + 1 }");
  Verdict w = pdr(bad, nullptr, "both");
  REQUIRE(w.kind == VerdictKind::Violated);
  CHECK(w.trace->length() == 11);
}

TEST_CASE("pdr: Spacer running out of time is an error, not a verdict", "[pdr][z3]")
{
  REQUIRE_SOLVERS("z3");
  // minted - debt stays 0, so minted <= 50; Spacer 4.8 learns one bound per
  // frame here instead and runs out of its 300 ms.
  Compiled c = must_compile(R"(
var debt: 0..100 = 0
var minted: 0..100 = 0
action Borrow when debt < 50 { debt := debt + 1; minted := minted + 1 }
action Repay when debt > 0 { debt := debt - 1; minted := minted - 1 }
invariant Backed: minted <= 50
)");
  Verdict v = pdr(c, nullptr, "z3", true, 300);
  CHECK(v.kind == VerdictKind::Error);
  CHECK_THAT(v.message, Catch::Contains("Spacer could not decide") && Catch::Contains("300 ms"));
}

TEST_CASE("pdr under lia: the relation's arguments are Int and Bool pieces, named as in the spec", "[pdr][z3][lia]")
{
  REQUIRE_SOLVERS("z3");
  SECTION("mutual exclusion")
  {
    PdrInvariant inv = proves_and_prints(kMutex, symbolic::Arith::Lia);
    CHECK(inv.pieces == std::vector<std::string>{"crit[0]", "crit[1]", "token", "ticks"});
    CHECK_THAT(inv.smtlib, !Catch::Contains("#b") && !Catch::Contains("bv"));
    for (const std::string& c : inv.conjuncts)
    {
      INFO(c);
      CHECK(c.find("token") != std::string::npos);
      CHECK(c.find("ticks") == std::string::npos);
    }
  }
  SECTION("records, sets, ranges with an offset, enums: values printed as themselves")
  {
    PdrInvariant inv = proves_and_prints(R"(
type Id = 1..3
enum Phase { idle, prepared, committed }
var voted: set<Id> = {}
var acct: record { bal: -2..5, open: bool } = { bal: -2, open: false }
var ph: Phase = idle
action Vote(i: Id) when !(i in voted) { voted := voted union {i} }
action Open when !acct.open { acct.open := true }
action Dep when acct.open && acct.bal < 5 { acct.bal := acct.bal + 1; ph := prepared }
action Idle { skip }
invariant BalOnlyIfOpen: acct.bal > -2 => acct.open
invariant PreparedOnlyIfPaid: ph == prepared => acct.bal > -2
)",
                                         symbolic::Arith::Lia);
    CHECK(inv.pieces ==
          std::vector<std::string>{"(1 in voted)", "(2 in voted)", "(3 in voted)", "acct.bal", "acct.open", "ph"});
    no_bit_vector_artefacts(inv);
  }
  SECTION("two counters that move together")
  {
    PdrInvariant inv = proves_and_prints(kCountersTogether, symbolic::Arith::Lia);
    // Spacer 4.8 states x = y as (<= (+ y (* (- 1) x)) 0) and its mirror:
    // printed as the linear inequalities over the values.
    auto has = [&](const char* c)
    { return std::find(inv.conjuncts.begin(), inv.conjuncts.end(), c) != inv.conjuncts.end(); };
    CHECK((has("x == y") || (has("y <= x") && has("x <= y"))));
  }
  SECTION("a linear relation between wide counters")
  {
    // b = 2a on every reachable state (a = 0..10); Bounded alone is not
    // inductive (a = 0, b = 20 steps to b = 22).
    PdrInvariant inv = proves_and_prints(R"(
var a: 0..100 = 0
var b: 0..200 = 0
action Step when a < 10 { a := a + 1; b := b + 2 }
action Idle { skip }
invariant Bounded: b <= 20
)",
                                         symbolic::Arith::Lia);
    no_bit_vector_artefacts(inv);
  }
  SECTION("process variables")
  {
    PdrInvariant inv = proves_and_prints(kTurnProcesses, symbolic::Arith::Lia);
    CHECK(inv.pieces == std::vector<std::string>{"turn", "Node[0].inside", "Node[1].inside"});
  }
  SECTION("sequences and messages: slots and fields are pieces without a Keel name")
  {
    Compiled c = must_compile(R"(
message Msg = Ping(n: 0..3) | Pong
var q: seq<0..3, 2> = []
var m: Msg = Pong
action Push when len(q) < 2 { q := append(q, 1) }
action Pop when len(q) > 0 { q := tail(q) }
action Send { m := Ping(2) }
invariant Short: len(q) <= 2
)");
    PdrInvariant inv;
    Verdict v = pdr_lia(c, &inv);
    INFO(v.message);
    REQUIRE(v.kind == VerdictKind::Holds);
    CHECK(inv.pieces == std::vector<std::string>{"len(q)", "q[slot 0]", "q[slot 1]", "m", "m[Ping.n]"});
  }
}

TEST_CASE("pdr under lia: a printed conjunct means exactly Spacer's", "[pdr][z3][lia]")
{
  REQUIRE_SOLVERS("z3");
  // Ranges that do not start at 0 hold their values themselves under lia:
  // x in -5..5 stepping by 2 from -5 stays odd and below 4; the printed
  // bounds are the values, not offsets from -5.
  PdrInvariant inv = proves_and_prints(R"(
var x: -5..5 = -5
var y: 10..20 = 10
action Up when x < 3 { x := x + 2; y := y + 1 }
action Idle { skip }
invariant Below: x != 4 && y <= 14
)",
                                       symbolic::Arith::Lia);
  no_bit_vector_artefacts(inv);
  CHECK(inv.unexpressed.empty());
}

TEST_CASE("pdr under lia: violations come back as bmc's shortest traces, under lia", "[pdr][z3][lia]")
{
  REQUIRE_SOLVERS("z3");
  // By hand: x = 0 .. 7 by Inc, the 7th breaks Small; the 11th Inc stores 11 into 0..10.
  Compiled inv = must_compile(
      "var x: 0..10 = 0\naction Inc when x < 10 { x := x + 1 }\naction Reset when x == 10 { x := 0 }\n"
      "invariant Small: x < 7");
  Verdict v = pdr_lia(inv);
  INFO(v.message);
  REQUIRE(v.kind == VerdictKind::Violated);
  CHECK(*v.violation == ViolationKind::Invariant);
  CHECK(v.trace->length() == 7);
  Compiled range = must_compile("var x: 0..10 = 0\naction Inc { x := x + 1 }");
  Verdict w = pdr_lia(range);
  REQUIRE(w.kind == VerdictKind::Violated);
  CHECK(*w.violation == ViolationKind::OutOfRange);
  CHECK(w.trace->length() == 11);
}

TEST_CASE("pdr under lia: z3 and cvc5 check the invariant over Int pieces in lock-step", "[pdr][z3][cvc5][lia]")
{
  REQUIRE_SOLVERS("z3", "cvc5");
  Compiled c = must_compile(kMutex);
  PdrInvariant inv;
  Verdict v = pdr_lia(c, &inv, "both");
  INFO(v.message);
  REQUIRE(v.kind == VerdictKind::Holds);
  CHECK_THAT(v.message, Catch::Contains("checked by z3 and cvc5"));
  CHECK_FALSE(inv.conjuncts.empty());
}

TEST_CASE("pdr under lia: a nonlinear model is not supported", "[pdr][lia]")
{
  Compiled c = must_compile("var x: 0..3 = 1\nvar y: 0..9 = 1\naction Sq when x < 3 { x := x + 1; y := x * x }");
  Verdict v = pdr_lia(c);
  CHECK(v.kind == VerdictKind::Error);
  CHECK_THAT(v.message, Catch::Contains("not supported yet by the pdr engine") && Catch::Contains("nonlinear"));
}
