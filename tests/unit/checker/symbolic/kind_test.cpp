// checker/symbolic: the shared encoder's interface (well-formed states,
// initial states decoded into the explicit engine's states, steps), and
// k-induction: proofs at the k derived by hand, counterexamples to
// induction, lemmas, and agreement with the explicit engine, on z3 and cvc5.
#include "checker/symbolic/kind.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "checker/explicit/explorer.hpp"
#include "checker/smt/factory.hpp"
#include "checker/symbolic/encoder.hpp"
#include "support.hpp"

using namespace keel;
using namespace keel::test;

namespace
{

std::vector<std::string> solvers()
{
  std::vector<std::string> out;
  for (const std::string& s : smt::solver_names()) out.push_back(s);
  return out;
}

Verdict kind(const Compiled& c, uint64_t depth, const std::string& solver = "z3", bool deadlock = true)
{
  KindOptions o;
  o.solver = solver;
  o.depth = depth;
  o.check_deadlock = deadlock;
  return check_kind(c.m(), o);
}

Compiled must_compile(const std::string& text)
{
  Compiled c = compile(text);
  if (!c.ok()) FAIL("does not compile:\n" << c.rendered);
  return c;
}

}  // namespace

TEST_CASE("encoder: well-formed states are exactly the encodings of values", "[encoder]")
{
  Compiled c = must_compile(R"(
enum Color { Red, Green, Blue }
var x: 0..2 = 0
var c: Color = Red
var q: seq<0..3, 2> = []
)");
  // Layout (spec/types.hpp): x at bit 0 (2 bits), c at 2 (2 bits), q at 4:
  // its length (2 bits), then two 2-bit slots.
  const Model& m = c.m();
  REQUIRE(m.state_bits == 10);
  for (const std::string& name : solvers())
  {
    INFO("solver " << name);
    auto s = smt::make_solver(name);
    symbolic::Encoder enc(m, *s);
    symbolic::StateTerm st = enc.state("s");
    auto sat_with = [&](uint64_t bits)
    {
      s->push();
      s->assert_formula(enc.well_formed(st));
      smt::Sort bv = s->make_sort(smt::SortKind::BitVec, m.state_bits);
      s->assert_formula(s->make_term(smt::Op::Equal, st.term, s->make_value(static_cast<int64_t>(bits), bv)));
      bool sat = s->check_sat() == smt::Result::Sat;
      s->pop();
      return sat;
    };
    CHECK(sat_with(0));                                     // x = 0, Red, []
    CHECK(sat_with(2 | (2 << 2)));                          // x = 2, Blue
    CHECK_FALSE(sat_with(3));                               // x = 3 is outside 0..2
    CHECK_FALSE(sat_with(3 << 2));                          // no fourth color
    CHECK(sat_with((1 << 4) | (3 << 6)));                   // q = [3]
    CHECK_FALSE(sat_with((3 << 4)));                        // length 3 > capacity 2
    CHECK_FALSE(sat_with((1 << 4) | (3 << 6) | (1 << 8)));  // q = [3] with a non-zero unused slot
  }
}

TEST_CASE("encoder: initial states and steps decode into the explicit engine's states", "[encoder]")
{
  Compiled c = must_compile(R"(
var x: 0..7 = 0
var y: 0..7 = 0
init { choose v: 1..3; x := v }
action Step when x < 7 { x := x + 1; y := y + x }
)");
  const Model& m = c.m();
  auto expected = initial_states(m);
  REQUIRE(expected.size() == 3);
  auto s = smt::make_solver("z3");
  symbolic::Encoder enc(m, *s);
  symbolic::StateTerm s0 = enc.state("s0"), s1 = enc.state("s1");
  s->assert_formula(enc.initial_state(s0));
  // Every solution is one of the explicit initial states, and all of them appear.
  std::vector<std::vector<uint64_t>> found;
  s->push();
  while (s->check_sat() == smt::Result::Sat)
  {
    found.push_back(enc.state_value(s0));
    std::vector<uint64_t> v = found.back();
    smt::Sort bv = s->make_sort(smt::SortKind::BitVec, m.state_bits);
    s->assert_formula(
        s->make_term(smt::Op::Not, enc.equal(s0, {s->make_value(static_cast<int64_t>(v[0]), bv), m.state_bits})));
    REQUIRE(found.size() <= 3);
  }
  s->pop();
  std::sort(found.begin(), found.end());
  std::sort(expected.begin(), expected.end());
  CHECK(found == expected);
  // From x = 1, y = 0 the one step leads to x = 2, y = 2: y overflows 0..7 from x = 5, y = 5 on.
  symbolic::Step step = enc.step(s0);
  s->assert_formula(enc.leads_to(step, s1));
  s->push();
  smt::Sort bv = s->make_sort(smt::SortKind::BitVec, m.state_bits);
  s->assert_formula(enc.equal(s0, {s->make_value(int64_t{1}, bv), m.state_bits}));
  REQUIRE(s->check_sat() == smt::Result::Sat);
  std::vector<uint64_t> next = enc.state_value(s1);
  CHECK(int_var(m, next, "x") == 2);
  CHECK(int_var(m, next, "y") == 2);
  s->pop();
  // A failure from a state of its own (not an initial one): x = 5, y = 5 steps to y = 11.
  symbolic::StateTerm s2 = enc.state("s2");
  symbolic::Step from5 = enc.step(s2);
  symbolic::StateTerm five{s->make_value(int64_t{5 | (5 << 3)}, bv), m.state_bits};
  s->push();
  s->assert_formula(enc.mk_and(from5.failure, enc.equal(s2, five)));
  CHECK(s->check_sat() == smt::Result::Sat);
  s->pop();
  symbolic::StateTerm four{s->make_value(int64_t{4 | (3 << 3)}, bv), m.state_bits};  // y = 3 + 5 = 8: fails too
  symbolic::StateTerm low{s->make_value(int64_t{1 | (1 << 3)}, bv), m.state_bits};   // y = 1 + 2 = 3: no failure
  s->push();
  s->assert_formula(enc.mk_and(from5.failure, enc.equal(s2, four)));
  CHECK(s->check_sat() == smt::Result::Sat);
  s->pop();
  s->push();
  s->assert_formula(enc.mk_and(from5.failure, enc.equal(s2, low)));
  CHECK(s->check_sat() == smt::Result::Unsat);
  s->pop();
}

TEST_CASE("kind: proves at the k derived by hand", "[kind]")
{
  // x = 6 is good and leads to the bad 7 (k = 1 fails); nothing leads to 6 (k = 2 proves).
  Compiled c = must_compile(R"(
var x: 0..7 = 0
action Inc when x < 5 { x := x + 1 }
action Reset when x == 5 { x := 0 }
action Jump when x == 6 { x := 7 }
invariant NotSeven: x != 7
)");
  for (const std::string& s : solvers())
  {
    INFO("solver " << s);
    Verdict v = kind(c, 5, s);
    INFO(v.message);
    REQUIRE(v.kind == VerdictKind::Holds);
    CHECK(v.induction_k == 2);
    // With k limited to 1 the step case fails from x = 6.
    Verdict n = kind(c, 1, s);
    REQUIRE(n.kind == VerdictKind::NotInductive);
    CHECK(n.induction_k == 1);
    REQUIRE(n.trace);
    REQUIRE(n.trace->states.size() == 2);
    CHECK(int_var(c.m(), n.trace->states[0], "x") == 6);
    CHECK(n.property == "NotSeven");
  }
}

TEST_CASE("kind: not inductive without a lemma, proved with it", "[kind]")
{
  const std::string spec = R"(
var x: 0..15 = 0
var y: 0..15 = 0
action Tick { x := (x + 1) % 16; y := (y + 1) % 16 }
invariant NotApart: !(x == 0 && y == 8)
)";
  Compiled plain = must_compile(spec);
  Compiled lemma = must_compile(spec + "lemma Together: x == y\n");
  REQUIRE(lemma.m().invariants.size() == 2);
  CHECK(lemma.m().invariants[1].is_lemma);
  CHECK_FALSE(lemma.m().invariants[0].is_lemma);
  for (const std::string& s : solvers())
  {
    INFO("solver " << s);
    Verdict n = kind(plain, 6, s);
    REQUIRE(n.kind == VerdictKind::NotInductive);
    CHECK(n.induction_k == 6);
    CHECK(n.bound == 6);
    REQUIRE(n.trace);
    CHECK(n.trace->states.size() == 7);
    CHECK(n.trace->steps.size() == 6);
    // The cycle through the bad state: 16 states, 15 of them good.
    Verdict p = kind(plain, 16, s);
    CHECK(p.kind == VerdictKind::Holds);
    CHECK(p.induction_k == 16);
    Verdict l = kind(lemma, 6, s);
    CHECK(l.kind == VerdictKind::Holds);
    CHECK(l.induction_k == 1);
  }
}

TEST_CASE("kind: a false lemma is a violation, like an invariant", "[kind]")
{
  Compiled c = must_compile(R"(
var x: 0..3 = 0
action Inc when x < 3 { x := x + 1 }
action Reset when x == 3 { x := 0 }
lemma Wrong: x < 2
)");
  Verdict v = kind(c, 5);
  REQUIRE(v.kind == VerdictKind::Violated);
  CHECK(v.property == "Wrong");
  CHECK(v.message == "lemma Wrong is violated");
  CHECK(v.trace->length() == 2);
  Verdict e = check_explicit(c.m(), {});
  REQUIRE(e.kind == VerdictKind::Violated);
  CHECK(e.property == "Wrong");
  CHECK(e.trace->length() == 2);
}

TEST_CASE("kind: violations and deadlocks agree with the explicit engine", "[kind]")
{
  const char* specs[] = {
      // out-of-range while running an action, at length 4
      "var x: 0..3 = 0\naction Inc { x := x + 1 }\n",
      // a deadlock at x = 3
      "var x: 0..5 = 0\naction Inc when x < 3 { x := x + 1 }\n",
      // an assertion
      "var x: 0..5 = 0\naction Inc when x < 5 { x := x + 1; assert x != 4 }\naction R when x == 5 { x := 0 }\n",
  };
  for (const char* text : specs)
  {
    Compiled c = must_compile(text);
    Verdict e = check_explicit(c.m(), {});
    REQUIRE(e.kind == VerdictKind::Violated);
    for (const std::string& s : solvers())
    {
      INFO(text << "solver " << s);
      Verdict v = kind(c, 8, s);
      INFO(v.message);
      REQUIRE(v.kind == VerdictKind::Violated);
      CHECK(*v.violation == *e.violation);
      CHECK(v.trace->length() == e.trace->length());
    }
  }
}

TEST_CASE("kind: deadlock freedom is part of the inductive property", "[kind]")
{
  // Reachable: 0..3, no deadlock; x = 5 is unreachable, good by the invariant, and a deadlock.
  Compiled c = must_compile(R"(
var x: 0..5 = 0
action Inc when x < 3 { x := x + 1 }
action Reset when x == 3 { x := 0 }
action Skip when x == 4 { x := 5 }
invariant Bounded: x <= 5
)");
  Verdict v = kind(c, 1);
  REQUIRE(v.kind == VerdictKind::NotInductive);
  CHECK(*v.violation == ViolationKind::Deadlock);
  // x = 4 has no predecessor: 2 steps prove it.
  Verdict p = kind(c, 3);
  CHECK(p.kind == VerdictKind::Holds);
  CHECK(p.induction_k == 2);
  // Without deadlock checking there is nothing left to break: k = 1.
  Verdict n = kind(c, 3, "z3", false);
  CHECK(n.kind == VerdictKind::Holds);
  CHECK(n.induction_k == 1);
}

TEST_CASE("explicit: a state limit stops the search with the depth it covered", "[explorer]")
{
  Compiled c = must_compile(R"(
var x: 0..1000 = 0
action Inc when x < 1000 { x := x + 1 }
action Reset when x == 1000 { x := 0 }
)");
  ExplicitOptions o;
  o.max_states = 10;
  Verdict v = check_explicit(c.m(), o);
  CHECK(v.stats.state_limit_hit);
  REQUIRE(v.kind == VerdictKind::HoldsUpToBound);
  // States 0..9 stored; the 10th (x = 9) was found expanding x = 8 (depth 8):
  // with deadlock checking, no counterexample of at most 7 actions.
  CHECK(v.stats.distinct == 10);
  CHECK(v.bound == 7);
  o.max_states = 0;
  Verdict full = check_explicit(c.m(), o);
  CHECK_FALSE(full.stats.state_limit_hit);
  CHECK(full.kind == VerdictKind::Holds);
  CHECK(full.stats.distinct == 1001);
}

TEST_CASE("encoder: every reachable state is well formed (sequences, bags, messages, faults)", "[encoder]")
{
  // Messages of different payload sizes through an ordered and an unordered
  // network, with drops, duplicates and reordering, and a sequence variable:
  // k-induction assumes well-formed states, so every reachable one must be.
  Compiled c = must_compile(R"(
message M = A(x: 0..2) | B | C(y: bool, z: 0..3)
network q: ordered M capacity 3
network b: unordered M capacity 2
var log: seq<0..3, 3> = []
var n: 0..2 = 0
var sentB: bool = false
var sentC: bool = false
// Each message is sent once (and duplicated at most once): no capacity is exceeded.
action SendA when n < 2 { send q(A(n)); n := n + 1 }
action SendC when !sentC { send b(C(true, 3)); sentC := true }
action SendB when !sentB { send q(B); sentB := true }
action Move { receive m from q; send b(m) }
action Take { receive m from b; if m is C { log := append(log, m.z) } }
action Pop when len(log) > 0 { log := tail(log) }
fault drop(q) at most 1
fault duplicate(b) at most 1
fault reorder(q) at most 1
)");
  const Model& m = c.m();
  // Every reachable state, breadth-first.
  std::vector<State> seen = initial_states(m);
  std::set<State> visited(seen.begin(), seen.end());
  for (size_t i = 0; i < seen.size(); ++i)
    for (State& s : successors(m, seen[i]))
      if (visited.insert(s).second) seen.push_back(s);
  REQUIRE(seen.size() > 100);
  auto solver = smt::make_solver("z3");
  symbolic::Encoder enc(m, *solver);
  symbolic::StateTerm st = enc.state("s");
  solver->assert_formula(enc.mk_not(enc.well_formed(st)));
  size_t bad = 0;
  for (const State& s : seen)
  {
    std::string bin(m.state_bits, '0');
    for (uint32_t i = 0; i < m.state_bits; ++i)
      if (bits::test(s.data(), i)) bin[m.state_bits - 1 - i] = '1';
    solver->push();
    solver->assert_formula(enc.equal(st, {solver->make_value(smt::BitVector::from_binary(bin)), m.state_bits}));
    if (solver->check_sat() != smt::Result::Unsat) ++bad;
    solver->pop();
  }
  CHECK(bad == 0);
}
