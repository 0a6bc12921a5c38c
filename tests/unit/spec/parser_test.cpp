// spec/parser: declaration and statement shapes, operator precedence and
// associativity, literal disambiguation, and syntax errors (K1xxx) with positions.
#include "spec/parser.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <sstream>
#include <string>

using namespace keel;
using namespace keel::ast;

namespace
{

struct Parsed
{
  SourceManager sm;
  DiagnosticEngine diags{sm};
  Spec spec;
  bool aborted = false;

  std::string code() const { return diags.diagnostics().empty() ? "" : diag_code_id(diags.diagnostics()[0].code); }
  std::string pos() const
  {
    if (diags.diagnostics().empty()) return "";
    LineCol lc = sm.file(0).line_col(diags.diagnostics()[0].span.begin);
    return std::to_string(lc.line) + ":" + std::to_string(lc.column);
  }
  std::string message() const { return diags.diagnostics().empty() ? "" : diags.diagnostics()[0].message; }
};

std::unique_ptr<Parsed> parse_text(const std::string& text)
{
  auto p = std::make_unique<Parsed>();
  FileId id = p->sm.add("p.keel", text);
  try
  {
    p->spec = parse(p->sm, id, p->diags);
  }
  catch (const CompileAborted&)
  {
    p->aborted = true;
  }
  return p;
}

std::string sx(const TypeExpr& t);

std::string sx(const Expr& e)
{
  auto kids = [&](size_t from = 0)
  {
    std::string s;
    for (size_t i = from; i < e.kids.size(); ++i) s += " " + sx(*e.kids[i]);
    return s;
  };
  auto binder = [&]()
  {
    std::string s;
    for (size_t i = 0; i < e.binder->names.size(); ++i) s += (i ? "," : "") + e.binder->names[i].name;
    if (e.binder->type)
      s += ":" + sx(*e.binder->type);
    else
      s += " in " + sx(*e.binder->set);
    return s;
  };
  switch (e.kind)
  {
    case ExprKind::IntLit:
      return std::to_string(e.int_value);
    case ExprKind::BoolLit:
      return e.int_value ? "true" : "false";
    case ExprKind::Name:
      return e.name.name;
    case ExprKind::Call:
      return "(call " + e.name.name + kids() + ")";
    case ExprKind::Unary:
      return std::string(e.unop == UnOp::Neg ? "(neg" : "(not") + kids() + ")";
    case ExprKind::Binary:
    {
      static const char* const ops[] = {"+", "-",  "*",  "/",  "%",  "==", "!=",    "<",         "<=",
                                        ">", ">=", "&&", "||", "=>", "in", "union", "intersect", "minus"};
      return std::string("(") + ops[static_cast<int>(e.binop)] + kids() + ")";
    }
    case ExprKind::Ite:
      return "(if" + kids() + ")";
    case ExprKind::Quant:
    {
      static const char* const qs[] = {"forall", "exists", "sum", "count"};
      return std::string("(") + qs[static_cast<int>(e.quant)] + " " + binder() + kids() + ")";
    }
    case ExprKind::Field:
      return "(. " + sx(*e.kids[0]) + " " + e.name.name + ")";
    case ExprKind::Index:
      return "([]" + kids() + ")";
    case ExprKind::IsTag:
      return "(is " + sx(*e.kids[0]) + " " + e.name.name + ")";
    case ExprKind::RecordLit:
    {
      std::string s = "(rec";
      for (size_t i = 0; i < e.names.size(); ++i) s += " " + e.names[i].name + "=" + sx(*e.kids[i]);
      return s + ")";
    }
    case ExprKind::RecordWith:
    {
      std::string s = "(with " + sx(*e.kids[0]);
      for (size_t i = 0; i < e.names.size(); ++i) s += " " + e.names[i].name + "=" + sx(*e.kids[i + 1]);
      return s + ")";
    }
    case ExprKind::ArrayWith:
      return "(with[]" + kids() + ")";
    case ExprKind::ArrayLit:
      return "(arr " + (e.binder ? binder() : std::string("_")) + kids() + ")";
    case ExprKind::SetLit:
      return "(set" + kids() + ")";
    case ExprKind::SetComp:
      return "(comp " + binder() + kids() + ")";
    case ExprKind::SeqLit:
      return "(seq" + kids() + ")";
  }
  return "?";
}

std::string sx(const TypeExpr& t)
{
  switch (t.kind)
  {
    case TypeKind::Bool:
      return "bool";
    case TypeKind::Int:
      return "int";
    case TypeKind::Range:
      return "(range " + sx(*t.lo) + " " + sx(*t.hi) + ")";
    case TypeKind::Named:
      return t.name.name;
    case TypeKind::InlineEnum:
    {
      std::string s = "(enum";
      for (auto& v : t.values) s += " " + v.name;
      return s + ")";
    }
    case TypeKind::Record:
    {
      std::string s = "(record";
      for (auto& f : t.fields) s += " " + f.name.name + ":" + sx(*f.type);
      return s + ")";
    }
    case TypeKind::Array:
      return "(array " + sx(*t.key) + " " + sx(*t.elem) + ")";
    case TypeKind::Set:
      return "(set " + sx(*t.elem) + ")";
    case TypeKind::Seq:
      return "(seq " + sx(*t.elem) + " " + sx(*t.cap) + ")";
    case TypeKind::Bag:
      return "(bag " + sx(*t.elem) + " " + sx(*t.cap) + ")";
  }
  return "?";
}

// Parses `invariant I: <expr>` and returns the expression's s-expression.
std::string expr(const std::string& text)
{
  auto p = parse_text("invariant I: " + text);
  if (p->aborted)
  {
    std::ostringstream os;
    p->diags.render_all(os);
    return "ERROR " + os.str();
  }
  REQUIRE(p->spec.decls.size() == 1);
  return sx(*p->spec.decls[0]->value);
}

std::string type(const std::string& text)
{
  auto p = parse_text("var v: " + text);
  if (p->aborted)
  {
    std::ostringstream os;
    p->diags.render_all(os);
    return "ERROR " + os.str();
  }
  REQUIRE(p->spec.decls.size() == 1);
  return sx(*p->spec.decls[0]->type);
}

}  // namespace

TEST_CASE("parser: declarations in order, with their kinds and names", "[parser]")
{
  auto p = parse_text(R"(protocol P
const N: int = 3
type T = 0..N
enum Color { red, green }
message Msg = A(x: T, y: bool) | B
var v: T = 0
init { v := 1 }
def f(a, b: T): bool = a == b
action Go(i: T) when v < N { v := i }
process Node(self: T) { var s: bool; action Flip { s := !s } }
network net[T]: ordered Msg capacity 2
invariant Inv: v <= N
constraint Small: v < 2
)");
  REQUIRE_FALSE(p->aborted);
  auto& ds = p->spec.decls;
  REQUIRE(ds.size() == 13);
  std::vector<DeclKind> want = {DeclKind::Protocol,  DeclKind::Const,   DeclKind::TypeAlias, DeclKind::Enum,
                                DeclKind::Message,   DeclKind::Var,     DeclKind::Init,      DeclKind::Def,
                                DeclKind::Action,    DeclKind::Process, DeclKind::Network,   DeclKind::Invariant,
                                DeclKind::Constraint};
  for (size_t i = 0; i < want.size(); ++i) CHECK(ds[i]->kind == want[i]);
  CHECK(ds[0]->name.name == "P");
  CHECK(ds[1]->name.name == "N");
  CHECK(sx(*ds[1]->type) == "int");
  CHECK(sx(*ds[1]->value) == "3");
  CHECK(sx(*ds[2]->type) == "(range 0 N)");
  CHECK(ds[3]->enum_values.size() == 2);
  CHECK(ds[3]->enum_values[1].name == "green");
  REQUIRE(ds[4]->variants.size() == 2);
  CHECK(ds[4]->variants[0].tag.name == "A");
  CHECK(ds[4]->variants[0].fields.size() == 2);
  CHECK(ds[4]->variants[1].fields.empty());
  CHECK(ds[6]->body.size() == 1);
  // `a, b: T` gives two parameters of the same type.
  REQUIRE(ds[7]->params.size() == 2);
  CHECK(ds[7]->params[0].name.name == "a");
  CHECK(ds[7]->params[1].name.name == "b");
  CHECK(sx(*ds[7]->params[1].type) == "T");
  CHECK(sx(*ds[7]->value) == "(== a b)");
  CHECK(sx(*ds[8]->value) == "(< v N)");
  REQUIRE(ds[9]->params.size() == 1);
  REQUIRE(ds[9]->members.size() == 2);
  CHECK(ds[9]->members[0]->kind == DeclKind::Var);
  CHECK(ds[9]->members[1]->kind == DeclKind::Action);
  CHECK(ds[10]->ordered);
  REQUIRE(ds[10]->index);
  CHECK(sx(*ds[10]->index) == "T");
  CHECK(sx(*ds[10]->capacity) == "2");
  CHECK(ds[12]->name.name == "Small");
}

TEST_CASE("parser: a declaration's span covers it", "[parser]")
{
  auto p = parse_text("var x: 0..3 = 0\naction A { x := 1 }");
  REQUIRE_FALSE(p->aborted);
  CHECK(p->spec.decls[0]->span.begin == 0);
  CHECK(p->spec.decls[0]->span.end == 15);
  CHECK(p->spec.decls[1]->span.begin == 16);
  CHECK(p->spec.decls[1]->span.end == 35);
}

TEST_CASE("parser: semicolons separate declarations and statements", "[parser]")
{
  auto p = parse_text("var x: bool;; var y: bool; action A { x := true;; y := false; }");
  REQUIRE_FALSE(p->aborted);
  REQUIRE(p->spec.decls.size() == 3);
  CHECK(p->spec.decls[2]->body.size() == 2);
}

TEST_CASE("parser: arithmetic precedence and left associativity", "[parser]")
{
  CHECK(expr("a + b * c") == "(+ a (* b c))");
  CHECK(expr("a * b + c") == "(+ (* a b) c)");
  CHECK(expr("a - b - c") == "(- (- a b) c)");
  CHECK(expr("a / b % c") == "(% (/ a b) c)");
  CHECK(expr("(a + b) * c") == "(* (+ a b) c)");
  CHECK(expr("-a * b") == "(* (neg a) b)");
  CHECK(expr("- -a") == "(neg (neg a))");
  CHECK(expr("-a[1]") == "(neg ([] a 1))");
}

TEST_CASE("parser: logical precedence, implication is right associative", "[parser]")
{
  CHECK(expr("a || b && c") == "(|| a (&& b c))");
  CHECK(expr("a && b || c") == "(|| (&& a b) c)");
  CHECK(expr("p => q => r") == "(=> p (=> q r))");
  CHECK(expr("p || q => r") == "(=> (|| p q) r)");
  CHECK(expr("!a && b") == "(&& (not a) b)");
  CHECK(expr("a == b && c < d") == "(&& (== a b) (< c d))");
  CHECK(expr("a + 1 <= b * 2") == "(<= (+ a 1) (* b 2))");
}

TEST_CASE("parser: set operators bind tighter than comparison, intersect tighter than union", "[parser]")
{
  CHECK(expr("x in s union t") == "(in x (union s t))");
  CHECK(expr("s union t intersect u") == "(union s (intersect t u))");
  CHECK(expr("s minus t union u") == "(union (minus s t) u)");
  CHECK(expr("s intersect t + 1") == "(intersect s (+ t 1))");
  CHECK(expr("s == t minus u") == "(== s (minus t u))");
}

TEST_CASE("parser: postfix chains", "[parser]")
{
  CHECK(expr("a[i].f[j]") == "([] (. ([] a i) f) j)");
  CHECK(expr("m is Prepared && m.rm == 1") == "(&& (is m Prepared) (== (. m rm) 1))");
  CHECK(expr("r with { f: 2, g: true }") == "(with r f=2 g=true)");
  CHECK(expr("a with [i] = 3") == "(with[] a i 3)");
  CHECK(expr("P[1].state") == "(. ([] P 1) state)");
  CHECK(expr("f(x, y + 1)") == "(call f x (+ y 1))");
  CHECK(expr("g()") == "(call g)");
}

TEST_CASE("parser: quantifiers and if-expressions extend to the right", "[parser]")
{
  CHECK(expr("forall x: T . p && q") == "(forall x:T (&& p q))");
  CHECK(expr("exists x, y: 0..2 . x < y") == "(exists x,y:(range 0 2) (< x y))");
  CHECK(expr("forall x in S . x > 0") == "(forall x in S (> x 0))");
  CHECK(expr("forall x in S union T . p") == "(forall x in (union S T) p)");
  CHECK(expr("forall x in (r.f) . p") == "(forall x in (. r f) p)");
  CHECK(expr("p => forall x: T . q") == "(=> p (forall x:T q))");
  CHECK(expr("a && exists x: T . q") == "(&& a (exists x:T q))");
  CHECK(expr("if c then 1 else 2 + 3") == "(if c 1 (+ 2 3))");
  CHECK(expr("sum x: 0..N . x * 2") == "(sum x:(range 0 N) (* x 2))");
  CHECK(expr("count x: T . x in s") == "(count x:T (in x s))");
  // count(b, e) is the bag built-in, not the quantifier.
  CHECK(expr("count(b, e) == 2") == "(== (call count b e) 2)");
  // The body of a quantifier over a range may start right after the bound.
  CHECK(expr("forall i: 0..2 . a[i]") == "(forall i:(range 0 2) ([] a i))");
}

TEST_CASE("parser: braces are a set literal, a comprehension or a record literal", "[parser]")
{
  CHECK(expr("{}") == "(set)");
  CHECK(expr("{a, b}") == "(set a b)");
  CHECK(expr("{a}") == "(set a)");
  CHECK(expr("{x: T | x > 1}") == "(comp x:T (> x 1))");
  CHECK(expr("{x in s | x > 1}") == "(comp x in s (> x 1))");
  CHECK(expr("{ f: 1, g: true }") == "(rec f=1 g=true)");
  CHECK(expr("{ a || b, c }") == "(set (|| a b) c)");
}

TEST_CASE("parser: a comprehension may range over a field", "[parser]")
{
  CHECK(expr("{x in r.f | x > 1}") == "(comp x in (. r f) (> x 1))");
}

TEST_CASE("parser: chained array updates apply left to right", "[parser]")
{
  CHECK(expr("a with [1] = x with [2] = y") == "(with[] (with[] a 1 x) 2 y)");
  CHECK(expr("a with [1] = x + 1") == "(with[] a 1 (+ x 1))");
}

TEST_CASE("parser: brackets are an array literal or a sequence literal", "[parser]")
{
  CHECK(expr("[_ => 0]") == "(arr _ 0)");
  CHECK(expr("[i: 0..2 => i + 1]") == "(arr i:(range 0 2) (+ i 1))");
  CHECK(expr("[]") == "(seq)");
  CHECK(expr("[1, 2, 3]") == "(seq 1 2 3)");
}

TEST_CASE("parser: types", "[parser]")
{
  CHECK(type("bool") == "bool");
  CHECK(type("int") == "int");
  CHECK(type("0..3") == "(range 0 3)");
  CHECK(type("-2..N") == "(range (neg 2) N)");
  CHECK(type("N..M") == "(range N M)");
  CHECK(type("Color") == "Color");
  CHECK(type("enum { a, b }") == "(enum a b)");
  CHECK(type("record { f: bool, g: 0..2 }") == "(record f:bool g:(range 0 2))");
  CHECK(type("record { }") == "(record)");
  CHECK(type("[0..2] bool") == "(array (range 0 2) bool)");
  CHECK(type("[T] [U] bool") == "(array T (array U bool))");
  CHECK(type("set<T>") == "(set T)");
  CHECK(type("seq<0..2, 3>") == "(seq (range 0 2) 3)");
  CHECK(type("bag<Msg, N + 1>") == "(bag Msg (+ N 1))");
}

TEST_CASE("parser: a range bound may be any constant expression", "[parser]")
{
  CHECK(type("N-1..N") == "(range (- N 1) N)");
  CHECK(type("N*2..N*3") == "(range (* N 2) (* N 3))");
}

TEST_CASE("parser: statements", "[parser]")
{
  auto p = parse_text(R"(action A {
  x := 1
  a[i].f := 2
  if c { skip } else if d { skip } else { skip }
  choose v: 0..3 where v > 1
  choose w in s
  require x > 0
  assert x > 0, "x positive"
  assert y
  let z = x + 1
  send net(Msg(1))
  send q[2](B)
  receive m from net where m is A
  receive n from q[1]
})");
  REQUIRE_FALSE(p->aborted);
  const Block& b = p->spec.decls[0]->body;
  REQUIRE(b.size() == 13);
  CHECK(b[0]->kind == StmtKind::Assign);
  CHECK(sx(*b[1]->a) == "(. ([] a i) f)");
  CHECK(b[2]->kind == StmtKind::If);
  REQUIRE(b[2]->else_block.size() == 1);
  CHECK(b[2]->else_block[0]->kind == StmtKind::If);  // else if nests an if
  CHECK(b[2]->else_block[0]->else_block.size() == 1);
  CHECK(b[3]->kind == StmtKind::Choose);
  CHECK(b[3]->name.name == "v");
  REQUIRE(b[3]->type);
  CHECK(sx(*b[3]->b) == "(> v 1)");
  CHECK(b[4]->kind == StmtKind::Choose);
  CHECK_FALSE(b[4]->type);
  CHECK(sx(*b[4]->a) == "s");
  CHECK_FALSE(b[4]->b);
  CHECK(b[5]->kind == StmtKind::Require);
  CHECK(b[6]->kind == StmtKind::Assert);
  CHECK(b[6]->message == "x positive");
  CHECK(b[7]->message.empty());
  CHECK(b[8]->kind == StmtKind::Let);
  CHECK(b[8]->name.name == "z");
  CHECK(b[9]->kind == StmtKind::Send);
  CHECK(sx(*b[9]->a) == "net");
  CHECK(sx(*b[9]->b) == "(call Msg 1)");
  CHECK(sx(*b[10]->a) == "([] q 2)");
  CHECK(sx(*b[10]->b) == "B");
  CHECK(b[11]->kind == StmtKind::Receive);
  CHECK(b[11]->name.name == "m");
  CHECK(sx(*b[11]->b) == "(is m A)");
  CHECK(sx(*b[12]->a) == "([] q 1)");
  CHECK_FALSE(b[12]->b);
}

TEST_CASE("parser: `init` is a keyword only before a block", "[parser]")
{
  auto p = parse_text("var init: bool = true\ninvariant I: init\ninit { init := false }");
  REQUIRE_FALSE(p->aborted);
  REQUIRE(p->spec.decls.size() == 3);
  CHECK(p->spec.decls[0]->kind == DeclKind::Var);
  CHECK(p->spec.decls[0]->name.name == "init");
  CHECK(sx(*p->spec.decls[1]->value) == "init");
  CHECK(p->spec.decls[2]->kind == DeclKind::Init);
}

TEST_CASE("parser: K1001 with the position of the unexpected token", "[parser][errors]")
{
  struct Case
  {
    const char* text;
    const char* pos;
    const char* message;
  };
  Case cases[] = {
      {"var x 0..3", "1:7", "expected ':' after the variable name, found '0'"},
      {"var x: 0..3 =", "1:14", "expected an expression, found end of file"},
      {"action A { x = 1 }", "1:14", nullptr},
      {"action A { x := 1", "1:18", "expected '}' to close the block, found end of file"},
      {"invariant I: if c then 1", "1:25", nullptr},
      {"var x: bool\n\n  when", "3:3", nullptr},
      {"invariant I: (a + b", "1:20", "expected ')' to close the parenthesis, found end of file"},
      {"network n: Msg capacity 2", "1:12", nullptr},
      {"network n: ordered Msg", "1:23", nullptr},
      {"process P(a: T, b: T) { }", "1:9", nullptr},
      {"process P(a: T) { def f: int = 1 }", "1:19", nullptr},
      {"invariant I: {x, y: T | p}", nullptr, nullptr},
      {"var x: seq<bool 3>", "1:17", nullptr},
      {"protocol P protocol Q", "1:12", nullptr},
  };
  for (const Case& c : cases)
  {
    INFO(c.text);
    auto p = parse_text(c.text);
    CHECK(p->aborted);
    CHECK(p->code() == "K1001");
    if (c.pos) CHECK(p->pos() == c.pos);
    if (c.message) CHECK(p->message() == c.message);
  }
}

TEST_CASE("parser: temporal properties and fairness", "[parser]")
{
  auto p = parse_text("var x: bool\nproperty P: always (x ~> eventually !x) && (x until !x)\nfair weak A\nfair strong Node.act");
  REQUIRE_FALSE(p->aborted);
  auto bad = parse_text("var x: bool\nfair sometimes A");
  CHECK(bad->aborted);
  CHECK(bad->code() == "K1001");
  // Outside a property, always/eventually are ordinary names.
  auto q = parse_text("var always: bool\ninvariant I: always || !always");
  CHECK_FALSE(q->aborted);
}

TEST_CASE("parser: K1003 for nesting deeper than the limit, not a stack overflow", "[parser][errors]")
{
  std::string deep = std::string(5000, '(') + "1" + std::string(5000, ')');
  auto p = parse_text("invariant I: " + deep + " == 1");
  CHECK(p->aborted);
  CHECK(p->code() == "K1003");

  std::string negs(5000, '-');
  auto q = parse_text("invariant I: " + negs + "1 == 1");
  CHECK(q->aborted);
  CHECK(q->code() == "K1003");

  std::string blocks;
  for (int i = 0; i < 1000; ++i) blocks += "if c { ";
  auto r = parse_text("action A { " + blocks);
  CHECK(r->aborted);
  CHECK(r->code() == "K1003");

  std::string types;
  for (int i = 0; i < 1000; ++i) types += "set<";
  auto t = parse_text("var x: " + types + "bool");
  CHECK(t->aborted);
  CHECK(t->code() == "K1003");

  // Left-associative chains are built by a loop; their depth is bounded too.
  std::string chain = "1";
  for (int i = 0; i < 1500; ++i) chain += " + 1";
  auto ch = parse_text("invariant I: " + chain + " == 1");
  CHECK(ch->aborted);
  CHECK(ch->code() == "K1003");

  // Moderate nesting is fine.
  std::string ok = std::string(30, '(') + "1" + std::string(30, ')');
  auto o = parse_text("invariant I: " + ok + " == 1");
  CHECK_FALSE(o->aborted);
  std::string shorter = "1";
  for (int i = 0; i < 300; ++i) shorter += " + 1";
  auto sh = parse_text("invariant I: " + shorter + " == 1");
  CHECK_FALSE(sh->aborted);
  std::string elifs = "0";
  for (int i = 0; i < 100; ++i) elifs = "if c then " + std::to_string(i) + " else " + elifs;
  auto el = parse_text("invariant I: " + elifs + " == 1");
  CHECK_FALSE(el->aborted);
}

TEST_CASE("parser: parentheses nest up to the stated limit", "[parser][errors]")
{
  std::string hundred = std::string(100, '(') + "1" + std::string(100, ')');
  auto p = parse_text("invariant I: " + hundred + " == 1");
  INFO(p->message());
  CHECK_FALSE(p->aborted);
}

TEST_CASE("parser: imports and faults", "[parser]")
{
  auto p = parse_text(
      "import \"lib/market.keel\"\nimport oracle\nfault crash(Node) at most 2\n"
      "fault drop(net) by 1 at most N + 1\nfault restart(Node) at most 1 amnesia\n");
  INFO(p->message());
  REQUIRE_FALSE(p->aborted);
  auto& ds = p->spec.decls;
  REQUIRE(ds.size() == 5);
  CHECK(ds[0]->kind == DeclKind::Import);
  CHECK(ds[0]->name.name == "lib/market.keel");
  CHECK(ds[1]->kind == DeclKind::Import);
  CHECK(ds[1]->name.name == "oracle.keel");
  CHECK(ds[2]->kind == DeclKind::Fault);
  CHECK(ds[2]->name.name == "crash");
  CHECK(ds[2]->target.name == "Node");
  CHECK(sx(*ds[2]->value) == "2");
  CHECK_FALSE(ds[2]->capacity);
  CHECK(sx(*ds[3]->capacity) == "1");
  CHECK(sx(*ds[3]->value) == "(+ N 1)");
  CHECK(ds[4]->kind == DeclKind::Fault);

  auto bad = parse_text("fault crash(Node) at 2");
  CHECK(bad->code() == "K1001");
  CHECK(bad->pos() == "1:22");
}

TEST_CASE("parser: soft keywords stay usable as names", "[parser]")
{
  auto p = parse_text(
      "var from: bool\nvar capacity: 0..3\nvar where: bool\nvar ordered: bool\n"
      "network net: unordered bool capacity capacity + 1\n"
      "action A { receive m from net where m == from; choose v: 0..1 where where; ordered := where }\n");
  INFO(p->message());
  REQUIRE_FALSE(p->aborted);
  REQUIRE(p->spec.decls.size() == 6);
  CHECK(p->spec.decls[1]->name.name == "capacity");
  CHECK(sx(*p->spec.decls[4]->capacity) == "(+ capacity 1)");
  const Block& b = p->spec.decls[5]->body;
  REQUIRE(b.size() == 3);
  CHECK(sx(*b[0]->b) == "(== m from)");
  CHECK(sx(*b[1]->b) == "where");
}

TEST_CASE("parser: a lexical error stops the parse with the lexer's code", "[parser][errors]")
{
  auto p = parse_text("var x: bool\naction A { x := $ }");
  CHECK(p->aborted);
  CHECK(p->code() == "K0002");
  CHECK(p->pos() == "2:17");
}
