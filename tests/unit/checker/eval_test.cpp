// checker/eval: expressions and action bodies on small models: checked
// arithmetic, range checks on every kind of store, indexing, messages,
// sequences, sets, bags, quantifiers, definitions, statements, and the
// index_of/decode_index enumeration of every value of composite types.
#include <catch2/catch.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "support.hpp"

using namespace keel;
using namespace keel::test;

namespace
{

const char* kDecls = R"(
const M: int = 9223372036854775807
enum Color { red, green, blue }
message Msg = A(x: 0..3) | B(w: bool, x: 0..3) | C
var z: 0..3 = 0
var one: 0..3 = 1
var s: set<0..3> = {1, 2}
var t: set<0..3> = {2, 3}
var e: set<0..3> = {}
var q: seq<0..3, 3> = [1, 2]
var nil: seq<0..3, 3> = []
var full: seq<0..3, 2> = [3, 0]
var a: [1..3] 0..9 = [i: 1..3 => i * 2]
var r: record { f: 0..3, g: bool } = { f: 2, g: true }
var bg: bag<0..2, 2> = {1, 1, 2}
var ma: Msg = A(3)
var mb: Msg = B(true, 2)
var mc: Msg = C
var col: Color = green
var neg: -5..5 = -3
)";

int64_t ev(const std::string& type, const std::string& expr)
{
  return eval_probe(kDecls, type, expr);
}
int64_t ev_int(const std::string& expr)
{
  return ev("int", expr);
}
bool ev_bool(const std::string& expr)
{
  return ev("bool", expr) != 0;
}

// The kind of the EvalError evaluating `expr` raises, or nullopt.
std::optional<ViolationKind> ev_error(const std::string& type, const std::string& expr)
{
  try
  {
    ev(type, expr);
  }
  catch (const EvalError& err)
  {
    return err.kind;
  }
  return std::nullopt;
}

struct ActionRun
{
  Compiled c;
  std::vector<State> succ;
  std::optional<EvalError> error;
  std::string error_pos;  // line:col of the error's span
};

// Compiles `spec`, takes its first initial state and runs every action on it.
ActionRun run_actions(const std::string& spec)
{
  ActionRun r{compile(spec), {}, std::nullopt, ""};
  if (!r.c.ok()) FAIL("does not compile:\n" << r.c.rendered);
  auto init = initial_states(r.c.m());
  REQUIRE_FALSE(init.empty());
  Evaluator evr(r.c.m());
  Collect sink(r.c.m().state_words);
  try
  {
    evr.successors(init[0].data(), sink);
  }
  catch (const EvalError& err)
  {
    r.error = err;
    if (err.span.valid() || err.span.end > 0)
    {
      LineCol lc = r.c.sources->file(err.span.file).line_col(err.span.begin);
      r.error_pos = std::to_string(lc.line) + ":" + std::to_string(lc.column);
    }
  }
  r.succ = sink.states;
  return r;
}

}  // namespace

TEST_CASE("eval: integer arithmetic truncates toward zero", "[eval]")
{
  CHECK(ev_int("2 + 3 * 4") == 14);
  CHECK(ev_int("7 / 2") == 3);
  CHECK(ev_int("-7 / 2") == -3);
  CHECK(ev_int("7 / -2") == -3);
  CHECK(ev_int("-7 % 2") == -1);
  CHECK(ev_int("7 % -2") == 1);
  CHECK(ev_int("min(3, -4) + max(3, -4)") == -1);
  CHECK(ev_int("abs(neg) + abs(3)") == 6);
  CHECK(ev_int("neg * 2") == -6);
  CHECK(ev_int("if one == 1 then 10 else 20") == 10);
  CHECK(ev_int("M") == INT64_MAX);
  CHECK(ev_int("-M - 1") == INT64_MIN);
}

TEST_CASE("eval: division and remainder by zero are violations", "[eval]")
{
  CHECK(ev_error("int", "10 / z") == ViolationKind::DivisionByZero);
  CHECK(ev_error("int", "10 % z") == ViolationKind::DivisionByZero);
  CHECK(ev_error("int", "10 / (one - 1)") == ViolationKind::DivisionByZero);
  CHECK_FALSE(ev_error("int", "10 / one"));
}

TEST_CASE("eval: 64-bit overflow is a violation, never a wrap", "[eval]")
{
  CHECK(ev_error("int", "M + 1") == ViolationKind::Overflow);
  CHECK(ev_error("int", "-M - 2") == ViolationKind::Overflow);
  CHECK(ev_error("int", "M * 2") == ViolationKind::Overflow);
  CHECK(ev_error("int", "(-M - 1) / -1") == ViolationKind::Overflow);
  CHECK(ev_error("int", "(-M - 1) % -1") == ViolationKind::Overflow);
  CHECK(ev_error("int", "-(-M - 1)") == ViolationKind::Overflow);
  CHECK(ev_error("int", "abs(-M - 1)") == ViolationKind::Overflow);
  CHECK(ev_error("int", "sum i: 0..1 . M") == ViolationKind::Overflow);
  CHECK_FALSE(ev_error("int", "M - 1 + 1"));
}

TEST_CASE("eval: comparisons and logic, with short-circuit", "[eval]")
{
  CHECK(ev_bool("neg < 0 && neg >= -3 && neg <= -3 && neg > -4"));
  CHECK(ev_bool("one != z"));
  CHECK(ev_bool("col == green && col != red"));
  CHECK(ev_bool("z == 0 => one == 1"));
  CHECK(ev_bool("z == 1 => 1 / z == 7"));  // the right side is not evaluated
  CHECK(ev_bool("z == 0 || 1 / z == 7"));
  CHECK_FALSE(ev_bool("z == 1 && 1 / z == 7"));
  CHECK(ev_bool("!(z == 1)"));
  CHECK(ev_bool("r == { f: 2, g: true }"));
  CHECK(ev_bool("r != { f: 2, g: false }"));
  CHECK(ev_bool("q == [1, 2] && q != [1, 2, 0] && nil == []"));
}

TEST_CASE("eval: array indexing checks the domain", "[eval]")
{
  CHECK(ev_int("a[1] + a[3]") == 8);
  CHECK(ev_error("int", "a[0]") == ViolationKind::IndexOutOfBounds);
  CHECK(ev_error("int", "a[4]") == ViolationKind::IndexOutOfBounds);
  CHECK(ev_int("(a with [2] = 9)[2]") == 9);
  CHECK(ev_int("(a with [2] = 9)[3]") == 6);
  CHECK(ev_error("int", "(a with [5] = 9)[1]") == ViolationKind::IndexOutOfBounds);
}

TEST_CASE("eval: sequences", "[eval]")
{
  CHECK(ev_int("len(q)") == 2);
  CHECK(ev_int("q[0] * 10 + q[1]") == 12);
  CHECK(ev_int("head(q)") == 1);
  CHECK(ev_int("len(tail(q))") == 1);
  CHECK(ev_int("head(tail(q))") == 2);
  CHECK(ev_int("len(append(q, 3))") == 3);
  CHECK(ev_int("append(q, 3)[2]") == 3);
  CHECK(ev_bool("2 in q && !(3 in q) && !(0 in q)"));
  CHECK(ev_bool("tail(append(nil, 3)) == nil"));
  CHECK(ev_error("int", "q[2]") == ViolationKind::IndexOutOfBounds);
  CHECK(ev_error("int", "q[-1]") == ViolationKind::IndexOutOfBounds);
  CHECK(ev_error("int", "head(nil)") == ViolationKind::EmptySequence);
  CHECK(ev_error("int", "len(tail(nil))") == ViolationKind::EmptySequence);
  CHECK(ev_error("int", "len(append(full, 1))") == ViolationKind::Capacity);
  CHECK(ev_error("int", "len(append(append(append(q, 1), 1), 1))") == ViolationKind::Capacity);
}

TEST_CASE("eval: message tags and fields", "[eval]")
{
  CHECK(ev_bool("ma is A && mb is B && mc is C && !(ma is B)"));
  CHECK(ev_int("ma.x") == 3);
  // `x` sits at a different offset in B than in A.
  CHECK(ev_int("mb.x") == 2);
  CHECK(ev_bool("mb.w"));
  CHECK(ev_error("bool", "ma.w") == ViolationKind::WrongTag);
  CHECK(ev_error("int", "mc.x") == ViolationKind::WrongTag);
  CHECK(ev_bool("ma == A(3) && ma != A(2) && mc == C && mb != C"));
}

TEST_CASE("eval: sets", "[eval]")
{
  CHECK(ev_int("size(s)") == 2);
  CHECK(ev_int("size(e)") == 0);
  CHECK(ev_bool("s union t == {1, 2, 3}"));
  CHECK(ev_bool("s intersect t == {2}"));
  CHECK(ev_bool("s minus t == {1}"));
  CHECK(ev_bool("t minus s == {3}"));
  CHECK(ev_bool("s minus s == e"));
  CHECK(ev_bool("1 in s && !(3 in s) && !(7 in s) && !(neg in s)"));
  CHECK(ev_int("size(all(Color))") == 3);
  CHECK(ev_bool("{x: 0..3 | x % 2 == 0} == {0, 2}"));
  CHECK(ev_bool("{x in s | x > 1} == {2}"));
  CHECK(ev_bool("{x in e | true} == e"));
  CHECK(ev_bool("s == {2, 1}"));  // order does not matter
  CHECK(ev_bool("s != t"));
  CHECK(ev_int("size(s union t intersect {3})") == 3);  // intersect binds tighter
}

TEST_CASE("eval: min and max of a set of integers", "[eval]")
{
  CHECK(ev_int("min(s)") == 1);
  CHECK(ev_int("max(s)") == 2);
  CHECK(ev_int("max(s union t)") == 3);
  CHECK(ev_int("min({x: 0..3 | x > 1})") == 2);
  CHECK(ev_int("min(3, 1)") == 1);
  CHECK(ev_error("int", "min(e)"));
  CHECK(ev_error("int", "max(s intersect {0, 3})"));
}

TEST_CASE("eval: bags", "[eval]")
{
  CHECK(ev_int("count(bg, 1)") == 2);
  CHECK(ev_int("count(bg, 2)") == 1);
  CHECK(ev_int("count(bg, 0)") == 0);
  CHECK(ev_int("count(bg, 7)") == 0);
  CHECK(ev_int("size(bg)") == 3);
  CHECK(ev_bool("1 in bg && !(0 in bg)"));
}

TEST_CASE("eval: quantifiers over types and sets", "[eval]")
{
  CHECK(ev_bool("forall x: 0..3 . x < 4"));
  CHECK_FALSE(ev_bool("forall x: 0..3 . x < 3"));
  CHECK(ev_bool("exists x: 0..3 . x == 3"));
  CHECK_FALSE(ev_bool("exists x: 0..3 . x == 4"));
  CHECK(ev_bool("forall x in s . x > 0"));
  CHECK_FALSE(ev_bool("exists x in s . x == 3"));
  CHECK(ev_bool("forall x in e . false"));
  CHECK_FALSE(ev_bool("exists x in e . true"));
  CHECK(ev_int("sum x in s . x") == 3);
  CHECK(ev_int("sum x: -2..2 . x") == 0);
  CHECK(ev_int("count x: 0..9 . x % 3 == 0") == 4);
  CHECK(ev_int("sum x, y: 0..2 . x * y") == 9);
  CHECK(ev_int("count x, y: 0..2 . x < y") == 3);
  CHECK(ev_bool("forall x, y in s . x + y >= 2"));
  CHECK(ev_bool("exists c: Color . c == col"));
  CHECK(ev_int("count c: Color . c != col") == 2);
  CHECK(ev_bool("forall b: bool . b || !b"));
  // Quantifiers short-circuit: no division by zero is reached.
  CHECK(ev_bool("exists x: 0..3 . x == 0 || 1 / x == 1"));
}

TEST_CASE("eval: quantifiers over composite domains enumerate every value", "[eval]")
{
  CHECK(ev_int("count u: set<0..2> . size(u) == 2") == 3);
  CHECK(ev_int("count u: set<0..2> . true") == 8);
  CHECK(ev_int("count v: record { a: bool, b: 0..2 } . v.a") == 3);
  CHECK(ev_int("count w: seq<0..1, 2> . len(w) == 2") == 4);
  CHECK(ev_int("count w: seq<0..1, 2> . true") == 7);
  CHECK(ev_int("count m: Msg . m is B") == 8);
  CHECK(ev_int("count m: Msg . true") == 4 + 8 + 1);
  CHECK(ev_int("count k: bag<bool, 2> . size(k) == 2") == 3);
  CHECK(ev_int("count f: [bool] 0..2 . f[true] == 1") == 3);
  CHECK(ev_bool("exists u: set<0..3> . u == s"));
  CHECK(ev_bool("exists m: Msg . m == mb"));
}

TEST_CASE("eval: records and arrays", "[eval]")
{
  CHECK(ev_int("r.f") == 2);
  CHECK(ev_bool("r.g"));
  CHECK(ev_int("(r with { f: 1 }).f") == 1);
  CHECK(ev_bool("(r with { f: 1, g: false }) == { f: 1, g: false }"));
  CHECK(ev_bool("a == [i: 1..3 => 2 * i]"));
  CHECK(ev_bool("[_ => 0] == (a with [1] = 0 with [2] = 0 with [3] = 0)"));
  CHECK_FALSE(ev_bool("[_ => 0] == (a with [1] = 0 with [3] = 0)"));
}

TEST_CASE("eval: arrays indexed by a composite key", "[eval]")
{
  const std::string d =
      "var a: [set<0..1>] 0..3 = [k: set<0..1> => size(k)]\n"
      "var b: [record { p: bool }] 0..3 = [_ => 1]\n";
  CHECK_NOTHROW(eval_probe(d, "int", "a[{1}]"));
  CHECK(eval_probe(d, "int", "a[{0, 1}] + b[{ p: true }]") == 3);
  CHECK(eval_probe(d, "bool", "(a with [{}] = 3)[{}] == 3"));
  ActionRun r = run_actions(d + "action A { a[{0}] := 3 }");
  CHECK_FALSE(r.error);
  REQUIRE(r.succ.size() == 1);
  CHECK(text_var(r.c.m(), r.succ[0], "a") == "[0, 3, 1, 2]");
}

TEST_CASE("eval: definitions, including calls nested in their own arguments", "[eval]")
{
  std::string d = std::string(kDecls) +
                  "def g(n: 0..20): int = n + 1\n"
                  "def h(x: 0..30, y: 0..30): int = x - y\n"
                  "def first(w: seq<0..3, 3>): int = head(w)\n"
                  "def both(u: set<0..3>, v: set<0..3>): set<0..3> = u intersect v\n";
  CHECK(eval_probe(d, "int", "g(g(g(1)))") == 4);
  CHECK(eval_probe(d, "int", "h(h(10, 3), h(5, 1))") == 3);
  CHECK(eval_probe(d, "int", "h(1, h(5, 1))") == -3);
  CHECK(eval_probe(d, "int", "first(tail(q))") == 2);
  CHECK(eval_probe(d, "bool", "both(s, t) == {2}"));
  CHECK(eval_probe(d, "bool", "both(both(s, t), s) == {2}"));
  // Arguments are range checked against the parameter types.
  bool raised = false;
  try
  {
    eval_probe(d, "int", "g(21)");
  }
  catch (const EvalError& err)
  {
    raised = true;
    CHECK(err.kind == ViolationKind::OutOfRange);
  }
  CHECK(raised);
}

TEST_CASE("eval: initial values and init blocks", "[eval]")
{
  Compiled c = compile(kDecls);
  REQUIRE(c.ok());
  auto init = initial_states(c.m());
  REQUIRE(init.size() == 1);
  const State& s0 = init[0];
  CHECK(int_var(c.m(), s0, "one") == 1);
  CHECK(int_var(c.m(), s0, "neg") == -3);
  CHECK(text_var(c.m(), s0, "a") == "[1 => 2, 2 => 4, 3 => 6]");
  CHECK(text_var(c.m(), s0, "q") == "[1, 2]");
  CHECK(text_var(c.m(), s0, "bg") == "bag{1 x2, 2}");
  CHECK(text_var(c.m(), s0, "mb") == "B(true, 2)");

  // Initializers run in order and may read earlier variables; init runs after.
  Compiled d = compile("var x: 0..9 = 3\nvar y: 0..9 = x + 1\ninit { x := y * 2 }\n");
  REQUIRE(d.ok());
  auto i2 = initial_states(d.m());
  REQUIRE(i2.size() == 1);
  CHECK(int_var(d.m(), i2[0], "x") == 8);
  CHECK(int_var(d.m(), i2[0], "y") == 4);

  // A variable without initializer starts at its type's first value.
  Compiled f = compile("var x: 3..9\nvar c: enum { p, q }\nvar b: bool\nvar r: record { u: 2..4 }\n");
  REQUIRE(f.ok());
  auto i3 = initial_states(f.m());
  REQUIRE(i3.size() == 1);
  CHECK(int_var(f.m(), i3[0], "x") == 3);
  CHECK(text_var(f.m(), i3[0], "c") == "p");
  CHECK(text_var(f.m(), i3[0], "b") == "false");
  CHECK(text_var(f.m(), i3[0], "r") == "{ u: 2 }");
}

TEST_CASE("eval: init with choose gives one initial state per choice", "[eval]")
{
  Compiled c = compile(
      "var x: 0..3\nvar y: 0..8\ninit {\n choose a: 0..3 where a != 2\n x := a\n choose b in {1, 5}\n y := b + a\n}\n");
  REQUIRE(c.ok());
  auto init = initial_states(c.m());
  REQUIRE(init.size() == 6);
  std::set<std::pair<int64_t, int64_t>> got;
  for (auto& s : init) got.insert({int_var(c.m(), s, "x"), int_var(c.m(), s, "y")});
  CHECK(got == std::set<std::pair<int64_t, int64_t>>{{0, 1}, {0, 5}, {1, 2}, {1, 6}, {3, 4}, {3, 8}});
}

TEST_CASE("eval: out-of-range stores raise OutOfRange with the statement's position", "[eval]")
{
  struct Case
  {
    const char* spec;
    const char* pos;
  };
  Case cases[] = {
      {"var x: 0..3 = 3\naction Inc { x := x + 1 }", "2:14"},
      {"var y: -2..2 = -2\naction Dec { y := y - 1 }", "2:14"},
      {"var r: record { f: 0..3 }\naction A { r.f := 4 }", "2:12"},
      {"var a: [0..1] 0..3\naction A { a[1] := 9 }", "2:12"},
      {"var a: [0..1] 0..3\naction A { a := [_ => 4] }", nullptr},
      {"var a: [0..1] 0..3\naction A { a := a with [0] = 4 }", nullptr},
      {"var r: record { f: 0..3 }\naction A { r := { f: 5 } }", nullptr},
      {"var r: record { f: 0..3 }\naction A { r := r with { f: 5 } }", nullptr},
      {"message Msg = P(v: 0..3)\nvar m: Msg = P(0)\naction A { m := P(7) }", nullptr},
      {"var q: seq<0..3, 2>\naction A { q := [9] }", nullptr},
      {"var q: seq<0..3, 2>\naction A { q := append(q, 9) }", nullptr},
      {"var s: set<0..3>\naction A { s := {5} }", nullptr},
      {"var x: 0..3\ndef f(n: 0..3): int = n\naction A { x := f(x + 4) - 4 }", nullptr},
  };
  for (const Case& c : cases)
  {
    INFO(c.spec);
    ActionRun r = run_actions(c.spec);
    REQUIRE(r.error);
    CHECK(r.error->kind == ViolationKind::OutOfRange);
    if (c.pos) CHECK(r.error_pos == c.pos);
    CHECK(r.succ.empty());
  }
}

TEST_CASE("eval: in-range stores succeed, ranges with negative bounds", "[eval]")
{
  ActionRun r = run_actions("var y: -2..2 = -2\naction Inc { y := y + 4 }");
  REQUIRE_FALSE(r.error);
  REQUIRE(r.succ.size() == 1);
  CHECK(int_var(r.c.m(), r.succ[0], "y") == 2);
}

TEST_CASE("eval: intermediate values may leave the range if the stored value is in it", "[eval]")
{
  ActionRun r = run_actions("var x: 0..3 = 3\naction A { x := x + 10 - 12 }");
  REQUIRE_FALSE(r.error);
  REQUIRE(r.succ.size() == 1);
  CHECK(int_var(r.c.m(), r.succ[0], "x") == 1);
}

TEST_CASE("eval: statements read the writes before them, guards read the old state", "[eval]")
{
  ActionRun r = run_actions("var x: 0..9 = 1\nvar y: 0..9\naction A when x == 1 { x := 2; y := x + 1; x := x + y }");
  REQUIRE(r.succ.size() == 1);
  CHECK(int_var(r.c.m(), r.succ[0], "x") == 5);
  CHECK(int_var(r.c.m(), r.succ[0], "y") == 3);
}

TEST_CASE("eval: composite assignment may read its own target", "[eval]")
{
  ActionRun r = run_actions(
      "var a: [0..2] 0..9 = [i: 0..2 => i]\nvar q: seq<0..9, 3> = [1, 2]\n"
      "action A { a := [i: 0..2 => a[2 - i]]; q := tail(append(q, q[0])) }");
  REQUIRE(r.succ.size() == 1);
  CHECK(text_var(r.c.m(), r.succ[0], "a") == "[0 => 2, 1 => 1, 2 => 0]");
  CHECK(text_var(r.c.m(), r.succ[0], "q") == "[2, 1]");
}

TEST_CASE("eval: guards, parameters, choose, require and if", "[eval]")
{
  // One transition per parameter binding that satisfies the guard.
  ActionRun p = run_actions("var x: 0..9\naction Set(v: 0..9) when v % 3 == 0 { x := v }");
  CHECK(p.succ.size() == 4);

  // Choices branch and each branch starts from the same state.
  ActionRun c = run_actions("var x: 0..9 = 1\naction A { choose v: 0..2; x := x + v }");
  REQUIRE(c.succ.size() == 3);
  std::multiset<int64_t> xs;
  for (auto& s : c.succ) xs.insert(int_var(c.c.m(), s, "x"));
  CHECK(xs == std::multiset<int64_t>{1, 2, 3});

  // Nested choices with writes between them.
  ActionRun n = run_actions(
      "var x: 0..9\nvar y: 0..9\naction A { choose a: 0..1; x := x + a; choose b: 0..1 where b <= a; y := x + b }");
  std::set<std::pair<int64_t, int64_t>> got;
  for (auto& s : n.succ) got.insert({int_var(n.c.m(), s, "x"), int_var(n.c.m(), s, "y")});
  CHECK(n.succ.size() == 3);
  CHECK(got == std::set<std::pair<int64_t, int64_t>>{{0, 0}, {1, 1}, {1, 2}});

  ActionRun in =
      run_actions("var x: 0..9\nvar s: set<0..9> = {2, 4, 7}\naction A { choose v in s where v > 2; x := v }");
  CHECK(in.succ.size() == 2);

  ActionRun none = run_actions("var x: 0..9\naction A { choose v: 0..3 where v > 5; x := v }");
  CHECK(none.succ.empty());

  ActionRun req = run_actions("var x: 0..9\naction A(v: 0..9) { require v > 6; x := v }");
  CHECK(req.succ.size() == 3);

  ActionRun ite =
      run_actions("var x: 0..9 = 4\naction A { if x > 5 { x := 0 } else if x > 3 { x := 1 } else { x := 2 } }");
  REQUIRE(ite.succ.size() == 1);
  CHECK(int_var(ite.c.m(), ite.succ[0], "x") == 1);

  ActionRun let = run_actions("var x: 0..9 = 4\naction A { let d = x * 2; x := d - 1 }");
  REQUIRE(let.succ.size() == 1);
  CHECK(int_var(let.c.m(), let.succ[0], "x") == 7);

  ActionRun skip = run_actions("var x: 0..9 = 4\naction A { skip }");
  REQUIRE(skip.succ.size() == 1);
  CHECK(int_var(skip.c.m(), skip.succ[0], "x") == 4);

  ActionRun disabled = run_actions("var x: 0..9 = 4\naction A when x > 4 { x := 0 }");
  CHECK(disabled.succ.empty());
  CHECK_FALSE(disabled.error);
}

TEST_CASE("eval: let and choose copy values, later writes do not change them", "[eval]")
{
  ActionRun l = run_actions(
      "var a: [0..2] 0..9 = [i: 0..2 => i + 1]\nvar b: 0..9\naction A { let old = a; a[0] := 7; b := old[0] }");
  REQUIRE(l.succ.size() == 1);
  CHECK(int_var(l.c.m(), l.succ[0], "b") == 1);
  CHECK(text_var(l.c.m(), l.succ[0], "a") == "[0 => 7, 1 => 2, 2 => 3]");

  // The set a choice ranges over is taken before the branches run.
  ActionRun c = run_actions("var s: set<0..3> = {0, 1, 3}\naction A { choose v in s; s := s minus {v} }");
  std::set<std::string> got;
  for (auto& st : c.succ) got.insert(text_var(c.c.m(), st, "s"));
  CHECK(c.succ.size() == 3);
  CHECK(got == std::set<std::string>{"{1, 3}", "{0, 3}", "{0, 1}"});
}

TEST_CASE("eval: values wider than a word", "[eval]")
{
  const char* decls =
      "type Big = 0..99\nvar s: set<Big> = {x: Big | x % 2 == 0}\n"
      "var a: [0..40] 0..7 = [i: 0..40 => i % 8]\nvar t: set<Big> = {x: Big | x >= 60}\n";
  CHECK(eval_probe(decls, "int", "size(s)") == 50);
  CHECK(eval_probe(decls, "int", "size(all(Big))") == 100);
  CHECK(eval_probe(decls, "int", "size(s union t)") == 70);
  CHECK(eval_probe(decls, "int", "size(s intersect t)") == 20);
  CHECK(eval_probe(decls, "int", "size(t minus s)") == 20);
  CHECK(eval_probe(decls, "bool", "98 in s && !(99 in s) && 64 in s && !(65 in s)"));
  CHECK(eval_probe(decls, "int", "sum x in t . 1") == 40);
  CHECK(eval_probe(decls, "int", "a[21] + a[40]") == 5 + 0);
  CHECK(eval_probe(decls, "int", "sum i: 0..40 . a[i]") == 5 * 28);  // five cycles of 0..7, then a[40] = 0

  ActionRun r = run_actions(std::string(decls) + "action A { a[21] := 2; s := s minus {64}; t := t union {0} }");
  REQUIRE(r.succ.size() == 1);
  const State& st = r.succ[0];
  const Variable& av = var(r.c.m(), "a");
  CHECK(bits::get(st.data(), av.offset + 21 * 3, 3) == 2);
  CHECK(bits::get(st.data(), av.offset + 20 * 3, 3) == 4);
  CHECK(bits::get(st.data(), av.offset + 22 * 3, 3) == 6);
  const Variable& sv = var(r.c.m(), "s");
  CHECK(bits::popcount(st.data(), sv.offset, 100) == 49);
  CHECK_FALSE(bits::test(st.data(), sv.offset + 64));
  const Variable& tv = var(r.c.m(), "t");
  CHECK(bits::popcount(st.data(), tv.offset, 100) == 41);
}

TEST_CASE("eval: ranges that do not start at zero, as elements, keys and slots", "[eval]")
{
  const char* decls =
      "var q: seq<5..9, 3> = [6, 7]\nvar s: set<5..9> = {5, 9}\n"
      "var a: [-2..2] -3..-1 = [i: -2..2 => if i < 0 then -3 else -1]\nvar b: bag<5..6, 2> = {6, 6}\n";
  CHECK(eval_probe(decls, "bool", "7 in q && !(5 in q) && !(0 in q)"));
  CHECK(eval_probe(decls, "int", "head(q) + q[1]") == 13);
  CHECK(eval_probe(decls, "bool", "9 in s && !(6 in s) && !(4 in s)"));
  CHECK(eval_probe(decls, "int", "min(s) * 10 + max(s)") == 59);
  CHECK(eval_probe(decls, "int", "sum x in s . x") == 14);
  CHECK(eval_probe(decls, "int", "a[-2] + a[2]") == -4);
  CHECK(eval_probe(decls, "int", "sum i: -2..2 . a[i]") == -9);
  CHECK(eval_probe(decls, "int", "count(b, 6) * 10 + count(b, 5)") == 20);
  Compiled c = compile(decls);
  REQUIRE(c.ok());
  auto st = initial_states(c.m())[0];
  CHECK(text_var(c.m(), st, "s") == "{5, 9}");
  CHECK(text_var(c.m(), st, "a") == "[-2 => -3, -1 => -3, 0 => -1, 1 => -1, 2 => -1]");
  CHECK(text_var(c.m(), st, "b") == "bag{6 x2}");
}

TEST_CASE("eval: a bag literal over its capacity is a capacity violation", "[eval]")
{
  Compiled c = compile("var b: bag<0..2, 2> = {1, 1, 1}");
  REQUIRE(c.ok());
  bool raised = false;
  try
  {
    initial_states(c.m());
  }
  catch (const EvalError& err)
  {
    raised = true;
    CHECK(err.kind == ViolationKind::Capacity);
  }
  CHECK(raised);
}

TEST_CASE("eval: a failed assertion raises Assert with its message", "[eval]")
{
  ActionRun r = run_actions("var x: 0..9 = 4\naction A { x := 5; assert x < 5, \"x too big\" }");
  REQUIRE(r.error);
  CHECK(r.error->kind == ViolationKind::Assert);
  CHECK(r.error->message == "assertion failed: x too big");
  CHECK(r.error_pos == "2:20");
  ActionRun ok = run_actions("var x: 0..9 = 4\naction A { assert x == 4 }");
  CHECK_FALSE(ok.error);
  CHECK(ok.succ.size() == 1);
}

TEST_CASE("eval: the bindings of the running action are available", "[eval]")
{
  Compiled c = compile("var x: 0..9\naction A(p: 0..1) { choose v: 2..3; x := p + v }");
  REQUIRE(c.ok());
  auto init = initial_states(c.m());
  struct Sink : SuccessorSink
  {
    Evaluator* ev;
    std::vector<std::string> labels;
    void emit(uint32_t, const uint64_t*) override
    {
      std::string s;
      for (auto& b : ev->current_bindings()) s += b.name + "=" + value_text(b.type, b.bits.data(), 0) + " ";
      labels.push_back(s);
    }
  } sink;
  Evaluator evr(c.m());
  sink.ev = &evr;
  evr.successors(init[0].data(), sink);
  CHECK(evr.current_action() == 0);
  CHECK(sink.labels == std::vector<std::string>{"p=0 v=2 ", "p=0 v=3 ", "p=1 v=2 ", "p=1 v=3 "});
}

TEST_CASE("eval: unordered networks: send, receive one copy, capacity", "[eval]")
{
  const char* spec = R"(
message Msg = Ping(n: 0..3)
network net: unordered Msg capacity 2
var got: 0..3
var phase: 0..1
action Send2 when phase == 0 { send net(Ping(1)); send net(Ping(2)); send net(Ping(2)); phase := 1 }
action Recv when phase == 1 { receive m from net where m.n > 0; got := m.n }
)";
  Compiled c = compile(spec);
  REQUIRE(c.ok());
  auto init = initial_states(c.m());
  auto s1 = successors(c.m(), init[0]);
  REQUIRE(s1.size() == 1);
  CHECK(text_var(c.m(), s1[0], "net") == "bag{Ping(1), Ping(2) x2}");
  auto s2 = successors(c.m(), s1[0]);
  REQUIRE(s2.size() == 2);  // one branch per distinct message
  std::set<std::string> nets;
  for (auto& s : s2) nets.insert(text_var(c.m(), s, "net") + " got " + text_var(c.m(), s, "got"));
  CHECK(nets == std::set<std::string>{"bag{Ping(2) x2} got 1", "bag{Ping(1), Ping(2)} got 2"});

  ActionRun full = run_actions(
      "message Msg = Ping\nnetwork net: unordered Msg capacity 1\naction A { send net(Ping); send net(Ping) }");
  REQUIRE(full.error);
  CHECK(full.error->kind == ViolationKind::Capacity);
  CHECK(full.error_pos == "3:28");

  ActionRun empty = run_actions(
      "message Msg = Ping\nnetwork net: unordered Msg capacity 1\nvar x: bool\naction A { receive m from net; x := "
      "true }");
  CHECK(empty.succ.empty());
  CHECK_FALSE(empty.error);
}

TEST_CASE("eval: ordered networks are FIFO queues", "[eval]")
{
  const char* spec = R"(
message Msg = V(n: 0..3)
network q[0..1]: ordered Msg capacity 3
var got: seq<0..3, 3>
var phase: 0..1
action Fill when phase == 0 { send q[1](V(1)); send q[1](V(2)); send q[1](V(3)); phase := 1 }
action Take when phase == 1 { receive m from q[1]; got := append(got, m.n) }
action Picky when phase == 1 { receive m from q[1] where m.n == 3; got := [] }
)";
  Compiled c = compile(spec);
  REQUIRE(c.ok());
  auto st = initial_states(c.m())[0];
  auto s1 = successors(c.m(), st);
  REQUIRE(s1.size() == 1);
  CHECK(text_var(c.m(), s1[0], "q") == "[0 => [], 1 => [V(1), V(2), V(3)]]");
  st = s1[0];
  for (int i = 1; i <= 3; ++i)
  {
    auto next = successors(c.m(), st);
    // Picky only matches when the head is V(3).
    REQUIRE(next.size() == (i == 3 ? 2u : 1u));
    st = next[0];
  }
  CHECK(text_var(c.m(), st, "got") == "[1, 2, 3]");
  CHECK(text_var(c.m(), st, "q") == "[0 => [], 1 => []]");
  CHECK(successors(c.m(), st).empty());

  ActionRun full = run_actions("message Msg = P\nnetwork q: ordered Msg capacity 1\naction A { send q(P); send q(P) }");
  REQUIRE(full.error);
  CHECK(full.error->kind == ViolationKind::Capacity);
}

TEST_CASE("eval: FIFO pops shift elements that straddle word boundaries", "[eval]")
{
  // 13-bit messages, 9 slots: the queue spans two words and every shift is unaligned.
  const char* spec = R"(
message Msg = V(n: 0..8191)
network q: ordered Msg capacity 9
var phase: 0..1
var last: 0..8191
init {
  send q(V(101)); send q(V(202)); send q(V(303)); send q(V(404)); send q(V(505))
  send q(V(606)); send q(V(707)); send q(V(808)); send q(V(909))
}
action Take { receive m from q; last := m.n }
)";
  Compiled c = compile(spec);
  REQUIRE(c.ok());
  auto st = initial_states(c.m())[0];
  for (int i = 1; i <= 9; ++i)
  {
    auto next = successors(c.m(), st);
    REQUIRE(next.size() == 1);
    st = next[0];
    CHECK(int_var(c.m(), st, "last") == 101 * i);
  }
  CHECK(text_var(c.m(), st, "q") == "[]");
}

TEST_CASE("eval: process actions run once per identity, with self bound", "[eval]")
{
  Compiled c = compile("process P(self: 0..2) {\n var c: 0..3 = self\n action Inc when c < 3 { c := c + 1 }\n}\n");
  REQUIRE(c.ok());
  auto init = initial_states(c.m());
  REQUIRE(init.size() == 1);
  CHECK(text_var(c.m(), init[0], "P.c") == "[0 => 0, 1 => 1, 2 => 2]");
  auto next = successors(c.m(), init[0]);
  REQUIRE(next.size() == 3);
  std::set<std::string> got;
  for (auto& s : next) got.insert(text_var(c.m(), s, "P.c"));
  CHECK(got ==
        std::set<std::string>{"[0 => 1, 1 => 1, 2 => 2]", "[0 => 0, 1 => 2, 2 => 2]", "[0 => 0, 1 => 1, 2 => 3]"});
}

TEST_CASE("eval: a violation in an initializer is raised by initial_states", "[eval]")
{
  Compiled c = compile("var x: 0..3 = 5");
  REQUIRE(c.ok());
  Evaluator evr(c.m());
  Collect sink(c.m().state_words);
  bool raised = false;
  try
  {
    evr.initial_states(sink);
  }
  catch (const EvalError& err)
  {
    raised = true;
    CHECK(err.kind == ViolationKind::OutOfRange);
    CHECK(err.message == "value 5 is outside the range 0..3");
  }
  CHECK(raised);
  CHECK(evr.current_action() == -1);
}

TEST_CASE("eval: violation names", "[eval]")
{
  CHECK(std::string(violation_name(ViolationKind::OutOfRange)) == "out-of-range");
  CHECK(std::string(violation_name(ViolationKind::DivisionByZero)) == "division-by-zero");
  CHECK(std::string(violation_name(ViolationKind::WrongTag)) == "wrong-tag");
  CHECK(std::string(violation_name(ViolationKind::IndexOutOfBounds)) == "index-out-of-bounds");
  CHECK(std::string(violation_name(ViolationKind::EmptySequence)) == "empty-sequence");
  CHECK(std::string(violation_name(ViolationKind::Deadlock)) == "deadlock");
}

// ------------------------------------------------------------------ index_of / decode_index

namespace
{

// Every index of `t` decodes to a distinct encoding that maps back to the
// same index, at a word-straddling position, without touching the bits
// around the value; and the all-zero encoding is index 0.
void check_round_trip(const Type* t)
{
  INFO(t->name << " (card " << t->card << ", " << t->bits << " bits)");
  REQUIRE(t->is_finite());
  REQUIRE(t->card <= 100000);
  const size_t words = (t->bits + 61 + 63) / 64 + 2;
  std::set<std::vector<uint64_t>> seen;
  for (size_t pos : {size_t{0}, size_t{61}})
  {
    seen.clear();
    for (uint64_t idx = 0; idx < t->card; ++idx)
    {
      std::vector<uint64_t> w(words, ~uint64_t{0});  // garbage everywhere
      Evaluator::decode_index(t, idx, w.data(), pos);
      REQUIRE(Evaluator::index_of(t, w.data(), pos) == idx);
      // Bits outside [pos, pos + bits) are untouched.
      bool untouched = true;
      for (size_t b = 0; b < pos; ++b) untouched = untouched && bits::test(w.data(), b);
      for (size_t b = pos + t->bits; b < words * 64; ++b) untouched = untouched && bits::test(w.data(), b);
      REQUIRE(untouched);
      std::vector<uint64_t> enc((t->bits + 63) / 64 + 1, 0);
      bits::copy(enc.data(), 0, w.data(), pos, t->bits);
      REQUIRE(seen.insert(enc).second);
    }
  }
  std::vector<uint64_t> zero(words, 0);
  CHECK(Evaluator::index_of(t, zero.data(), 61) == 0);
}

}  // namespace

TEST_CASE("eval: index_of and decode_index round-trip every value", "[eval][index]")
{
  TypeTable tt;
  const Type* r02 = tt.range(0, 2);
  Type* color = tt.new_enum("Color", {"red", "green", "blue"});
  Type* msg = tt.new_message(
      "Msg",
      {{"A", {{"x", tt.range(0, 3), 0}}}, {"B", {{"w", tt.bool_type(), 0}, {"x", tt.range(0, 3), 0}}}, {"C", {}}});
  const Type* rec = tt.record({{"a", tt.bool_type(), 0}, {"b", r02, 0}, {"c", color, 0}});
  std::vector<const Type*> types = {
      tt.bool_type(),
      tt.range(-1, 1),
      tt.range(10, 10),
      color,
      rec,
      tt.array(r02, tt.bool_type()),
      tt.array(color, r02),
      tt.array(tt.bool_type(), rec),
      tt.set(tt.range(0, 3)),
      tt.set(color),
      tt.seq(r02, 3),
      tt.seq(tt.bool_type(), 0),
      tt.seq(tt.range(5, 5), 4),
      tt.seq(rec, 2),
      tt.bag(r02, 2),
      tt.bag(color, 1),
      msg,
      tt.record({{"m", msg, 0}, {"q", tt.seq(tt.bool_type(), 2), 0}}),
      tt.array(tt.range(0, 1), tt.seq(r02, 2)),
      tt.set(msg),
      tt.bag(msg, 1),
      tt.seq(msg, 2),
  };
  for (const Type* t : types) check_round_trip(t);
}

TEST_CASE("eval: index_of agrees with the evaluator's encoding of values", "[eval][index]")
{
  // Sets are their bit patterns: {0, 2} of 0..3 is 0b0101.
  Compiled c = compile("var s: set<0..3> = {0, 2}\nvar q: seq<0..2, 3> = [2, 1]\nvar b: bag<0..2, 2> = {1, 1, 2}");
  REQUIRE(c.ok());
  auto st = initial_states(c.m())[0];
  const Variable& s = var(c.m(), "s");
  CHECK(Evaluator::index_of(s.type, st.data(), s.offset) == 5);
  // A sequence of length 2 comes after the 1 + 3 shorter ones: 4 + (2 + 1 * 3).
  const Variable& q = var(c.m(), "q");
  CHECK(Evaluator::index_of(q.type, st.data(), q.offset) == 9);
  // A bag is its counts in base capacity + 1: 0 + 2 * 3 + 1 * 9.
  const Variable& b = var(c.m(), "b");
  CHECK(Evaluator::index_of(b.type, st.data(), b.offset) == 15);
}
