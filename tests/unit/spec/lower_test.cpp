// spec/lower: the Model built from a spec (layout, constants, overrides,
// processes) and one test per name/type diagnostic, checking the code and the
// file:line:col of the rendered diagnostic.
#include <catch2/catch.hpp>
#include <string>

#include "support.hpp"

using namespace keel;
using keel::test::compile;
using keel::test::Compiled;

namespace
{

// Compiles `text`, requires it to fail, and checks the first diagnostic's code
// and its rendered "t.keel:LINE:COL: error[CODE]" prefix.
void expect_error(const std::string& text, const std::string& code, const std::string& line_col,
                  const std::string& message_part = "")
{
  Compiled c = compile(text);
  INFO(text);
  INFO(c.rendered);
  CHECK_FALSE(c.ok());
  CHECK(c.first_code() == code);
  CHECK(c.first_pos() == line_col);
  CHECK(c.rendered.rfind("t.keel:" + line_col + ": error[" + code + "]", 0) == 0);
  if (!message_part.empty()) CHECK(c.rendered.find(message_part) != std::string::npos);
}

}  // namespace

TEST_CASE("lower: variables are laid out side by side", "[lower]")
{
  Compiled c = compile("protocol Layout\nvar a: bool\nvar b: 0..5 = 2\nvar c: [0..2] 0..3\nvar d: set<0..63>\n");
  REQUIRE(c.ok());
  const Model& m = c.m();
  CHECK(m.name == "Layout");
  REQUIRE(m.vars.size() == 4);
  CHECK(m.vars[0].offset == 0);
  CHECK(m.vars[1].offset == 1);
  CHECK(m.vars[2].offset == 4);
  CHECK(m.vars[3].offset == 10);
  CHECK(m.state_bits == 74);
  CHECK(m.state_words == 2);
  CHECK(m.vars[0].init == kNone);  // no initializer: the zero encoding
  CHECK(m.vars[1].init != kNone);
  CHECK(m.vars[2].type == m.types->array(m.types->range(0, 2), m.types->range(0, 3)));
}

TEST_CASE("lower: a spec with no variables still has one state word", "[lower]")
{
  Compiled c = compile("action A { skip }");
  REQUIRE(c.ok());
  CHECK(c.m().state_bits == 0);
  CHECK(c.m().state_words == 1);
}

TEST_CASE("lower: aliases of the same structure are the same type", "[lower]")
{
  Compiled c = compile("type T = 0..3\ntype U = 0..3\nvar x: T\nvar y: U\nvar s: set<T>\nvar t: set<0..3>");
  REQUIRE(c.ok());
  CHECK(keel::test::var(c.m(), "x").type == keel::test::var(c.m(), "y").type);
  CHECK(keel::test::var(c.m(), "s").type == keel::test::var(c.m(), "t").type);
}

TEST_CASE("lower: constants, their defaults and -D overrides", "[lower]")
{
  const char* spec = "const N: int = 2 + 1\nconst B: bool = true\nvar x: 0..N = N\ninvariant I: B\n";
  Compiled c = compile(spec);
  REQUIRE(c.ok());
  CHECK(c.m().constants.at("N") == 3);
  CHECK(c.m().constants.at("B") == 1);
  CHECK(c.m().vars[0].type->hi == 3);

  LowerOptions o;
  o.overrides["N"] = "5";
  o.overrides["B"] = "false";
  Compiled d = compile(spec, o);
  REQUIRE(d.ok());
  CHECK(d.m().constants.at("N") == 5);
  CHECK(d.m().constants.at("B") == 0);
  CHECK(d.m().vars[0].type->hi == 5);

  LowerOptions neg;
  neg.overrides["N"] = "-4";
  Compiled e = compile("const N: int = 2\nvar x: N..0", neg);
  REQUIRE(e.ok());
  CHECK(e.m().vars[0].type->lo == -4);
}

TEST_CASE("lower: constant expressions fold through definitions and operators", "[lower]")
{
  Compiled c = compile(
      "const N: int = 10\ndef Half: int = N / 2\nvar x: -N % 3..max(Half, 2) * 2\nvar y: 0..(if N > 5 then 1 else 2)");
  REQUIRE(c.ok());
  CHECK(c.m().vars[0].type->lo == -1);
  CHECK(c.m().vars[0].type->hi == 10);
  CHECK(c.m().vars[1].type->hi == 1);
}

TEST_CASE("lower: processes turn variables into arrays and give actions self", "[lower]")
{
  Compiled c = compile(
      "process Node(self: 0..2) {\n  var up: bool = self == 1\n  action Flip { up := !up }\n}\n"
      "invariant I: Node[0].up || !Node[0].up\n");
  REQUIRE(c.ok());
  const Model& m = c.m();
  REQUIRE(m.vars.size() == 1);
  CHECK(m.vars[0].name == "Node.up");
  CHECK(m.vars[0].process == "Node");
  CHECK(m.vars[0].type == m.types->array(m.types->range(0, 2), m.types->bool_type()));
  REQUIRE(m.actions.size() == 1);
  CHECK(m.actions[0].name == "Flip");
  CHECK(m.actions[0].process == "Node");
  REQUIRE(m.actions[0].params.size() == 1);
  CHECK(m.locals[m.actions[0].params[0]].name == "self");
}

TEST_CASE("lower: actions, init, invariants and constraints are collected", "[lower]")
{
  Compiled c = compile(
      "var x: 0..3\ninit { x := 1 }\naction A(p: 0..1, q: bool) when p == 0 { x := 2 }\naction B { skip }\n"
      "invariant I1: x < 4\ninvariant I2: true\nconstraint C: x < 3\n");
  REQUIRE(c.ok());
  const Model& m = c.m();
  CHECK(m.init_block != kNone);
  REQUIRE(m.actions.size() == 2);
  CHECK(m.actions[0].params.size() == 2);
  CHECK(m.actions[0].guard != kNone);
  CHECK(m.actions[1].guard == kNone);
  REQUIRE(m.invariants.size() == 2);
  CHECK(m.invariants[1].name == "I2");
  REQUIRE(m.constraints.size() == 1);
  CHECK(m.constraints[0].name == "C");
}

TEST_CASE("lower: K2001 undefined name", "[lower][errors]")
{
  expect_error("var x: 0..3 = 0\ninvariant I: x < y", "K2001", "2:18", "undefined name 'y'");
  expect_error("var x: Foo", "K2001", "1:8", "unknown type 'Foo'");
  expect_error("var x: bool\ninvariant I: foo(1) == 1", "K2001", "2:14", "unknown function 'foo'");
  // A process variable outside its process gets a hint.
  expect_error("process P(self: 0..1) { var s: bool }\ninvariant I: s", "K2001", "2:14", "P[i].s");
}

TEST_CASE("lower: K2002 duplicate name, with a note at the first declaration", "[lower][errors]")
{
  expect_error("var x: bool\nvar x: 0..3", "K2002", "2:5", "'x' is already declared");
  Compiled c = compile("var x: bool\nvar x: 0..3");
  CHECK(c.rendered.find("t.keel:1:5: note: previous declaration of the variable 'x'") != std::string::npos);
  expect_error("def size: int = 1", "K2002", "1:5", "built-in");
  expect_error("enum E { a, b }\nvar a: bool", "K2002", "2:5");
  expect_error("var x: bool\ninvariant I: x\nconstraint I: x", "K2002", "3:12");
  expect_error("action A { skip }\naction A { skip }", "K2002", "2:8");
  expect_error("var r: record { f: bool, f: bool }", "K2002", "1:26");
  expect_error("message M = A | A", "K2002", "1:17");
  expect_error("init { skip }\ninit { skip }", "K2002", "2:1");
}

TEST_CASE("lower: K2003 type mismatch", "[lower][errors]")
{
  expect_error("var x: bool = 1", "K2003", "1:15", "expected a value of type 'bool'");
  expect_error("var x: 0..3\naction A { x := true }", "K2003", "2:17");
  expect_error("var x: 0..3\ninvariant I: x", "K2003", "2:14", "expected a bool");
  expect_error("var x: 0..3\nvar b: bool\ninvariant I: x == b", "K2003", "3:14", "cannot compare");
  expect_error("var x: 0..3\ninvariant I: x[0] == 1", "K2003", "2:14", "only arrays and sequences");
}

TEST_CASE("lower: K2004 assignment to something that is not a variable", "[lower][errors]")
{
  expect_error("var x: 0..3\naction A(p: 0..3) { p := 1 }", "K2004", "2:21", "bound name");
  expect_error("var x: 0..3\naction A { abs(x) := 1 }", "K2004", "2:12");
  expect_error("const N: int = 1\naction A { N := 1 }", "K2004", "2:12");
}

TEST_CASE("lower: K2005 wrong number of arguments", "[lower][errors]")
{
  expect_error("def f(a: 0..3): int = a\ninvariant I: f(1, 2) == 1", "K2005", "2:14", "takes 1 argument(s), given 2");
  expect_error("invariant I: abs(1, 2) == 1", "K2005", "1:14");
  expect_error("message M = A(x: 0..3)\nvar m: M = A", "K2005", "2:12");
  expect_error("message M = A(x: 0..3)\nvar m: M = A(1, 2)", "K2005", "2:12");
}

TEST_CASE("lower: K2006 infinite type where a finite one is needed", "[lower][errors]")
{
  expect_error("var x: int", "K2006", "1:8", "'int' is unbounded");
  expect_error("var a: [int] bool", "K2006", "1:9");
}

TEST_CASE("lower: K2007 a constant expression that is not constant", "[lower][errors]")
{
  expect_error("var y: 0..3\nvar x: 0..y", "K2007", "2:11", "'y' is not a constant");
  expect_error("var y: 0..3\nconst N: int = y", "K2007", "2:16");
}

TEST_CASE("lower: K2008 empty ranges and capacities", "[lower][errors]")
{
  expect_error("var x: 3..1", "K2008", "1:8", "the range 3..1 is empty");
  expect_error("var s: seq<bool, -1>", "K2008", "1:18");
  expect_error("var b: bag<bool, 0>", "K2008", "1:18");
  expect_error("message M = A\nnetwork n: unordered M capacity 0", "K2008", "2:33");
}

TEST_CASE("lower: K2009 a literal whose type cannot be inferred", "[lower][errors]")
{
  expect_error("invariant I: {} == {}", "K2009", "1:14", "cannot infer the type");
  expect_error("invariant I: [] == []", "K2009", "1:14");
  expect_error("var x: 0..3\ninvariant I: { f: x } == { f: x }", "K2009", "2:14");
}

TEST_CASE("lower: K2010 unknown field or tag", "[lower][errors]")
{
  expect_error("var r: record { a: bool }\ninvariant I: r.b", "K2010", "2:16", "has no field 'b'");
  expect_error("message M = A(x: bool) | B\nvar m: M\ninvariant I: m.y", "K2010", "3:16");
  expect_error("message M = A | B\nvar m: M\ninvariant I: m is C", "K2010", "3:19");
  expect_error("var r: record { a: bool }\naction A { r := { a: true, b: false } }", "K2010", "2:28");
}

TEST_CASE("lower: K2011 tag test on a non-message", "[lower][errors]")
{
  expect_error("var x: bool\ninvariant I: x is Foo", "K2011", "2:14", "'is' tests a message's tag");
}

TEST_CASE("lower: K2012 recursive definitions", "[lower][errors]")
{
  expect_error("def f: int = f + 1\ninvariant I: f == 1", "K2012", "1:14", "refers to itself");
  expect_error("def f: int = g + 1\ndef g: int = f\ninvariant I: f == 1", "K2012", "2:14");
}

TEST_CASE("lower: K2013 a name used where it is not allowed", "[lower][errors]")
{
  expect_error("type T = 0..3\ninvariant I: T == 1", "K2013", "2:14", "is a type, not a value");
  expect_error("process P(self: 0..1) { var s: bool }\ninvariant I: P == 1", "K2013", "2:14", "is a process");
}

TEST_CASE("lower: K2014 a constant expression that fails to evaluate", "[lower][errors]")
{
  expect_error("const N: int = 1 / 0", "K2014", "1:16", "division by zero");
  expect_error("const N: int = 7 % (3 - 3)", "K2014", "1:16");
  expect_error("const N: int = 9223372036854775807 + 1", "K2014", "1:16", "overflow");
  expect_error("const N: int = 2\nvar x: 0..N * 9223372036854775807", "K2014", "2:11");
}

TEST_CASE("lower: K3001 types too large to encode", "[lower][errors]")
{
  expect_error("var s: set<0..70000>", "K3001", "1:8");
  expect_error("var x: 0..9223372036854775807", "K3001", "1:8");
  expect_error("action A(s: set<0..40>) { skip }", "K3001", "1:13");
}

TEST_CASE("lower: K4001 bad overrides have no span", "[lower][errors]")
{
  {
    LowerOptions o;
    o.overrides["M"] = "3";
    Compiled c = compile("const N: int = 1", o);
    CHECK_FALSE(c.ok());
    CHECK(c.first_code() == "K4001");
    CHECK(c.rendered == "keel: error[K4001]: -D M: the spec declares no constant 'M'\n");
  }
  for (std::string bad : {"x", "", "3x", "99999999999999999999"})
  {
    INFO(bad);
    LowerOptions o;
    o.overrides["N"] = bad;
    Compiled c = compile("const N: int = 1", o);
    CHECK_FALSE(c.ok());
    CHECK(c.first_code() == "K4001");
    CHECK(c.rendered.find("expected an integer") != std::string::npos);
  }
  {
    LowerOptions o;
    o.overrides["B"] = "2";
    Compiled c = compile("const B: bool = true", o);
    CHECK(c.first_code() == "K4001");
    CHECK(c.rendered.find("expected true or false") != std::string::npos);
  }
  {
    // 0 and 1 stand for false and true (resilience sweeps give integers).
    LowerOptions o;
    o.overrides["B"] = "0";
    Compiled c = compile("const B: bool = true\nvar x: bool = B\ninvariant I: !x", o);
    CHECK(c.ok());
  }
  {
    // A variable is not a constant.
    LowerOptions o;
    o.overrides["x"] = "1";
    Compiled c = compile("var x: bool", o);
    CHECK(c.first_code() == "K4001");
  }
}

TEST_CASE("lower: K0001 from load_model on a missing file", "[lower][errors]")
{
  SourceManager sm;
  DiagnosticEngine diags(sm);
  auto m = load_model(sm, "/nonexistent/dir/spec.keel", diags, {});
  CHECK_FALSE(m);
  REQUIRE(diags.diagnostics().size() == 1);
  CHECK(std::string(diag_code_id(diags.diagnostics()[0].code)) == "K0001");
  CHECK_FALSE(diags.diagnostics()[0].has_span);
}

TEST_CASE("lower: set operations on literals take the type of their context", "[lower]")
{
  Compiled c = compile(
      "var s: set<0..4> = {}\naction A { s := {0, 1} union {1, 2} }\n"
      "invariant I: s == {} || s == {0} union {1, 2}\n");
  INFO(c.rendered);
  CHECK(c.ok());
}
