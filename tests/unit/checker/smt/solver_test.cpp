// checker/smt: the solver-neutral SMT layer. Every back-end test runs once per
// back end, as its own test case tagged [z3] or [cvc5] (STYLE item 8), so
// `keel_unit_tests [cvc5]` or `ctest -R cvc5` runs one back end's share.
// A back end this build lacks is skipped with a warning; a test that needs a
// capability the back end lacks returns early with a warning.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "checker/smt/cross_check_solver.hpp"
#include "checker/smt/factory.hpp"
#include "checker/smt/logging_solver.hpp"
#include "checker/smt/solver_base.hpp"

using namespace keel::smt;

// Under KEEL_SANITIZE, LeakSanitizer reports a 26-byte allocation that
// libcln (cvc5's arbitrary-precision library) never frees; it is not ours.
// This hook is read only by LeakSanitizer, and only names that library.
extern "C" const char* __lsan_default_suppressions()  // NOLINT: the name is LeakSanitizer's
{
  return "leak:libcln.so\n";
}

namespace
{

void run_on_backend(const std::string& backend, const std::function<void(const std::string&)>& body)
{
  if (!solver_available(backend))
  {
    WARN("skipped: this build has no " << backend << " back end");
    return;
  }
  body(backend);
}

// Declares a test body and registers it once per back end.
#define SMT_BACKEND_TEST(Id, Title, Tags)                \
  static void Id(const std::string& backend);            \
  TEST_CASE("smt: " Title " (z3)", "[smt][z3]" Tags)     \
  {                                                      \
    run_on_backend("z3", Id);                            \
  }                                                      \
  TEST_CASE("smt: " Title " (cvc5)", "[smt][cvc5]" Tags) \
  {                                                      \
    run_on_backend("cvc5", Id);                          \
  }                                                      \
  static void Id(const std::string& backend)

// Returns early (with a warning) when the solver lacks a capability.
#define SMT_REQUIRE_CAPABILITY(Solver, Flag)                            \
  if (!(Solver).capabilities().Flag)                                    \
  {                                                                     \
    WARN("skipped: " << (Solver).name() << " lacks capability " #Flag); \
    return;                                                             \
  }

// The kind of SmtError `f` throws; fails the test if it throws nothing.
template <typename F>
SmtErrorKind error_kind(F&& f)
{
  try
  {
    f();
  }
  catch (const SmtError& e)
  {
    return e.kind();
  }
  FAIL("no SmtError thrown");
  return SmtErrorKind::Bug;
}

template <typename F>
std::string error_message(F&& f)
{
  try
  {
    f();
  }
  catch (const SmtError& e)
  {
    return e.what();
  }
  FAIL("no SmtError thrown");
  return "";
}

// Shorthands over one solver.
struct Builder
{
  Solver& s;
  Sort boolean() { return s.make_sort(SortKind::Bool); }
  Sort integer() { return s.make_sort(SortKind::Int); }
  Sort bv(uint32_t w) { return s.make_sort(SortKind::BitVec, w); }
  Term bv_val(int64_t v, uint32_t w) { return s.make_value(v, bv(w)); }
  Term eq(Term a, Term b) { return s.make_term(Op::Equal, a, b); }
  Term negate(Term a) { return s.make_term(Op::Not, a); }
};

// A program-controlled back end: answers check_sat from a script.
class FakeSolver final : public SolverBase
{
 public:
  explicit FakeSolver(std::vector<Result> answers, Capabilities caps = all_capabilities())
      : SolverBase("fake", caps), d_answers(std::move(answers))
  {
    sync();
  }
  static Capabilities all_capabilities()
  {
    Capabilities c;
    for (const CapabilityInfo& info : kCapabilityTable) c.*info.member = true;
    return c;
  }

 protected:
  void lower_sort(Sort, const SortNode&) override {}
  void lower_term(Term, const TermNode&) override {}
  void do_set_option(std::string_view, std::string_view) override {}
  void do_assert(Term) override {}
  Result do_check_sat() override { return next(); }
  Result do_check_sat_assuming(const std::vector<Term>&) override { return next(); }
  std::vector<Term> do_get_unsat_assumptions() override { return {}; }
  void do_push(uint32_t) override {}
  void do_pop(uint32_t) override {}
  Value do_get_value(Term) override { unsupported("the fake solver has no models"); }

 private:
  Result next() { return d_next < d_answers.size() ? d_answers[d_next++] : Result::Unknown; }
  std::vector<Result> d_answers;
  size_t d_next = 0;
};

std::string run_command(const std::string& command)
{
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return out;
}

bool have_program(const std::string& name)
{
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// The sat / unsat / unknown lines of a solver's output, in order.
std::vector<std::string> answers_in(const std::string& output)
{
  std::vector<std::string> out;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (line == "sat" || line == "unsat" || line == "unknown") out.push_back(line);
  return out;
}

std::filesystem::path temp_file(const std::string& stem)
{
  static int counter = 0;
  return std::filesystem::temp_directory_path() /
         ("keel_smt_" + stem + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".smt2");
}

}  // namespace

// ---------------------------------------------------------------------------
// Back-end independent

TEST_CASE("smt: the op table", "[smt]")
{
  std::unordered_set<std::string_view> names;
  for (const OpInfo& info : kOpTable)
  {
    CHECK(names.insert(info.smtlib).second);
    CHECK(op_info(info.op).op == info.op);
    CHECK(info.min_arity >= 1);
    CHECK(info.min_arity <= info.max_arity);
  }
  CHECK(kNumOps == 36);
  CHECK(smtlib_name(Op::Div) == "div");
  CHECK(smtlib_name(Op::Implies) == "=>");
  CHECK(op_info(Op::Extract).num_indices == 2);
  CHECK(op_info(Op::ZeroExtend).num_indices == 1);
  CHECK(op_info(Op::And).max_arity == kAnyArity);
}

TEST_CASE("smt: docs/smt.md lists every op and capability", "[smt]")
{
  // This file is tests/unit/checker/smt/solver_test.cpp; the docs are four levels up.
  std::filesystem::path doc = std::filesystem::path(__FILE__).parent_path() / "../../../../docs/smt.md";
  std::ifstream in(doc);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  for (const OpInfo& info : kOpTable)
  {
    INFO(info.name);
    CHECK(text.str().find("| `" + std::string(info.name) + "` | `" + info.smtlib + "`") != std::string::npos);
  }
  for (const CapabilityInfo& info : kCapabilityTable)
  {
    INFO(info.name);
    std::string quoted = std::string("`") + info.name + "`";
    CHECK(text.str().find(quoted) != std::string::npos);
  }
}

TEST_CASE("smt: bit-vector values", "[smt]")
{
  CHECK(BitVector::from_uint64(8, 0x1ff).to_uint64() == 0xff);
  CHECK(BitVector::from_int64(8, -1).to_binary() == "11111111");
  CHECK(BitVector::from_int64(8, -128).to_int64() == -128);
  CHECK(BitVector::from_int64(8, 127).to_int64() == 127);
  CHECK(BitVector::from_binary("0101").to_smtlib() == "#b0101");
  CHECK(BitVector::from_binary("0101") == BitVector::from_uint64(4, 5));

  BitVector wide = BitVector::from_int64(100, -3);
  CHECK(wide.width() == 100);
  CHECK(wide.to_int64() == -3);
  CHECK(wide.bit(99));
  CHECK(wide.bit(0));
  CHECK(!wide.bit(1));  // -3 = ...11101
  CHECK(error_kind([&] { (void)wide.to_uint64(); }) == SmtErrorKind::User);
  CHECK(BitVector::from_binary(wide.to_binary()) == wide);
  CHECK(error_kind([] { BitVector::from_binary("012"); }) == SmtErrorKind::User);
  CHECK(error_kind([] { BitVector::from_uint64(0, 1); }) == SmtErrorKind::User);

  CHECK(Value::integer(-5).to_smtlib() == "(- 5)");
  CHECK(Value::boolean(true).to_smtlib() == "true");
  CHECK(error_kind([] { (void)Value::integer(1).as_bool(); }) == SmtErrorKind::User);
}

TEST_CASE("smt: solver names and capabilities", "[smt]")
{
  CHECK(known_solver_names() == std::vector<std::string>{"z3", "cvc5"});
  CHECK(error_kind([] { make_solver("yices"); }) == SmtErrorKind::User);
  CHECK(std::string(error_message([] { make_solver("yices"); })).find("known: z3, cvc5") != std::string::npos);
  if (solver_available("z3"))
  {
    auto s = make_solver("z3");
    CHECK(s->name() == "z3");
    CHECK(to_string(s->capabilities()) == "incremental unsat_assumptions integers bit_vectors arrays chc");
  }
  if (solver_available("cvc5"))
  {
    auto s = make_solver("cvc5");
    CHECK(s->name() == "cvc5");
    CHECK(to_string(s->capabilities()) == "incremental unsat_assumptions integers bit_vectors arrays");
    CHECK(!s->capabilities().chc);
  }
}

TEST_CASE("smt: missing capabilities are 'not supported'", "[smt]")
{
  Capabilities caps;  // nothing but bit-vectors
  caps.bit_vectors = true;
  FakeSolver s({Result::Sat, Result::Sat}, caps);
  Builder b{s};
  CHECK(error_kind([&] { s.make_sort(SortKind::Array, b.bv(4), b.bv(4)); }) == SmtErrorKind::Unsupported);
  CHECK(error_kind([&] { s.make_sort(SortKind::Int); }) == SmtErrorKind::Unsupported);
  CHECK(error_kind([&] { s.make_value(3); }) == SmtErrorKind::Unsupported);
  CHECK(std::string(error_message([&] { s.make_value(3); })) == "not supported: fake lacks capability integers");
  Term x = s.make_const("x", b.bv(4));
  s.assert_formula(s.make_term(Op::BVUlt, x, b.bv_val(3, 4)));
  CHECK(error_kind([&] { s.push(); }) == SmtErrorKind::Unsupported);
  CHECK(s.check_sat() == Result::Sat);
  CHECK(error_kind([&] { s.check_sat(); }) == SmtErrorKind::Unsupported);
  CHECK(std::string(error_message([&] { s.push(); })).rfind("not supported: ", 0) == 0);
  CHECK(error_kind([&] { s.get_unsat_assumptions(); }) == SmtErrorKind::Unsupported);
}

TEST_CASE("smt: the printer shares subterms with let", "[smt]")
{
  FakeSolver s({});
  Builder b{s};
  Term x = s.make_const("x", b.bv(8));
  Term t = x;
  for (int i = 0; i < 40; ++i) t = s.make_term(Op::BVAdd, t, t);  // 2^40 leaves as a tree
  std::string text = s.to_smtlib(s.make_term(Op::Equal, t, b.bv_val(0, 8)));
  CHECK(text.size() < 4000);
  CHECK(text.rfind("(let ((_let_0 (bvadd x x))) (let ((_let_1 (bvadd _let_0 _let_0)))", 0) == 0);

  // A deep chain with no sharing prints in linear time and space, without recursion.
  Term deep = s.make_const("deep", b.boolean());
  for (int i = 0; i < 100000; ++i) deep = b.negate(deep);
  CHECK(s.to_smtlib(deep).size() == 100000 * 6 + 4);

  // Names SMT-LIB cannot take bare are quoted; reserved ones are refused.
  CHECK(s.to_smtlib(s.make_const("x y", b.boolean())) == "|x y|");
  CHECK(s.to_smtlib(s.make_const("1st", b.boolean())) == "|1st|");
  CHECK(s.to_smtlib(s.make_const("x@3", b.boolean())) == "x@3");
  CHECK(error_kind([&] { s.make_const("and", b.boolean()); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s.make_const("a|b", b.boolean()); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s.make_const("", b.boolean()); }) == SmtErrorKind::User);
  // A constant that looks like a let name does not capture it.
  s.make_const("_let_0", b.bv(8));
  Term y = s.make_const("y", b.bv(8));
  Term yy = s.make_term(Op::BVMul, y, y);
  CHECK(s.to_smtlib(s.make_term(Op::BVAdd, yy, yy)) == "(let ((_let_1 (bvmul y y))) (bvadd _let_1 _let_1))");
}

// ---------------------------------------------------------------------------
// Once per back end

SMT_BACKEND_TEST(sat_unsat_basics, "sat and unsat basics", "")
{
  auto s = make_solver(backend);
  Builder b{*s};
  Term p = s->make_const("p", b.boolean());
  Term q = s->make_const("q", b.boolean());
  s->assert_formula(s->make_term(Op::Or, p, q));
  s->assert_formula(b.negate(q));
  REQUIRE(s->check_sat() == Result::Sat);
  CHECK(s->get_value(p).as_bool());
  CHECK(!s->get_value(q).as_bool());
  s->assert_formula(b.negate(p));
  CHECK(s->check_sat() == Result::Unsat);
  CHECK(s->check_sat() == Result::Unsat);  // asking again changes nothing
}

SMT_BACKEND_TEST(handles, "terms and sorts are hash-consed handles", "")
{
  auto s = make_solver(backend);
  Builder b{*s};
  CHECK(b.bv(8) == b.bv(8));
  CHECK(b.bv(8) != b.bv(16));
  Term x = s->make_const("x", b.integer());
  CHECK(s->make_const("x", b.integer()) == x);
  Term sum1 = s->make_term(Op::Plus, x, s->make_value(1));
  Term sum2 = s->make_term(Op::Plus, x, s->make_value(1));
  CHECK(sum1 == sum2);
  CHECK(std::hash<Term>()(sum1) == std::hash<Term>()(sum2));
  std::unordered_set<Term> set = {sum1, sum2, x};
  CHECK(set.size() == 2);
  CHECK(s->sort_of(sum1) == b.integer());
  CHECK(s->to_smtlib(sum1) == "(+ x 1)");
  CHECK(s->to_smtlib(s->make_term(Op::Minus, x)) == "(- x)");
  CHECK(s->to_smtlib(s->make_value(-3)) == "(- 3)");
  CHECK(s->to_smtlib(s->make_term(Op::Extract, {7, 4}, b.bv_val(0xab, 8))) == "((_ extract 7 4) #b10101011)");
  CHECK(s->to_smtlib(s->make_sort(SortKind::Array, b.integer(), b.bv(3))) == "(Array Int (_ BitVec 3))");
  CHECK(Term().is_null());
  // A name is one constant: the same name with another sort is an error.
  CHECK(error_kind([&] { s->make_const("x", b.boolean()); }) == SmtErrorKind::User);
  // Terms of another solver are a bug in the caller, caught.
  auto other = make_solver(backend);
  Term foreign = other->make_const("z", other->make_sort(SortKind::Bool));
  CHECK(error_kind([&] { s->assert_formula(foreign); }) == SmtErrorKind::Bug);
}

SMT_BACKEND_TEST(type_errors, "ill-sorted terms and misuse are the caller's errors", "")
{
  auto s = make_solver(backend);
  Builder b{*s};
  Term x = s->make_const("x", b.integer());
  Term p = s->make_const("p", b.boolean());
  Term v = s->make_const("v", b.bv(8));
  CHECK(error_kind([&] { s->make_term(Op::And, p, x); }) == SmtErrorKind::User);
  CHECK(std::string(error_message([&] { s->make_term(Op::And, p, x); })) ==
        "smt: and: argument 2 has sort Int, expected Bool");
  CHECK(error_kind([&] { s->make_term(Op::Not, std::vector<Term>{p, p}); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->make_term(Op::Equal, x, p); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->make_term(Op::BVAdd, v, b.bv_val(1, 4)); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->make_term(Op::Extract, {8, 0}, v); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->make_term(Op::Extract, {2, 3}, v); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->make_term(Op::Extract, v); }) == SmtErrorKind::User);  // no indices
  CHECK(error_kind([&] { s->make_term(Op::Select, v, v); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->make_value(256, b.bv(8)); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->make_value(-129, b.bv(8)); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->make_sort(SortKind::BitVec, 0); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->make_sort(SortKind::BitVec); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->assert_formula(x); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->assert_formula(Term()); }) == SmtErrorKind::User);
  CHECK(error_kind([&] { s->get_value(x); }) == SmtErrorKind::User);  // no check yet
  CHECK(error_kind([&] { s->pop(); }) == SmtErrorKind::User);         // level 0
  CHECK(error_kind([&] { s->check_sat_assuming({x}); }) == SmtErrorKind::User);
  // The solver is still usable after all that.
  s->assert_formula(p);
  CHECK(s->check_sat() == Result::Sat);
}

SMT_BACKEND_TEST(lia, "linear integer arithmetic", "")
{
  auto s = make_solver(backend);
  SMT_REQUIRE_CAPABILITY(*s, integers);
  Builder b{*s};
  Term x = s->make_const("x", b.integer());
  Term y = s->make_const("y", b.integer());
  s->assert_formula(b.eq(s->make_term(Op::Plus, x, y), s->make_value(10)));
  s->assert_formula(b.eq(s->make_term(Op::Minus, x, y), s->make_value(4)));
  REQUIRE(s->check_sat() == Result::Sat);
  CHECK(s->get_value(x).as_int() == 7);
  CHECK(s->get_value(y).as_int() == 3);
  CHECK(s->get_value(s->make_term(Op::Mult, s->make_value(-2), x)).as_int() == -14);
  CHECK(s->get_value(s->make_term(Op::Minus, y)).as_int() == -3);

  // No integer strictly between 5 and 6.
  auto t = make_solver(backend);
  Builder c{*t};
  Term z = t->make_const("z", c.integer());
  t->assert_formula(t->make_term(Op::Gt, z, t->make_value(5)));
  t->assert_formula(t->make_term(Op::Lt, z, t->make_value(6)));
  CHECK(t->check_sat() == Result::Unsat);
}

SMT_BACKEND_TEST(div_mod, "div and mod follow SMT-LIB (Euclidean)", "")
{
  auto s = make_solver(backend);
  SMT_REQUIRE_CAPABILITY(*s, integers);
  Builder b{*s};
  Term q = s->make_const("q", b.integer());
  REQUIRE(s->check_sat() == Result::Sat);
  auto eval = [&](Op op, int64_t l, int64_t r)
  { return s->get_value(s->make_term(op, s->make_value(l), s->make_value(r))).as_int(); };
  CHECK(eval(Op::Div, 7, 2) == 3);
  CHECK(eval(Op::Mod, 7, 2) == 1);
  CHECK(eval(Op::Div, -7, 2) == -4);
  CHECK(eval(Op::Mod, -7, 2) == 1);
  CHECK(eval(Op::Div, 7, -2) == -3);
  CHECK(eval(Op::Mod, 7, -2) == 1);
  CHECK(eval(Op::Div, -7, -2) == 4);
  CHECK(eval(Op::Mod, -7, -2) == 1);
  // x = 3q + 2 and x = 11 pins q = 3.
  Term x = s->make_const("x", b.integer());
  s->assert_formula(b.eq(x, s->make_value(11)));
  s->assert_formula(b.eq(s->make_term(Op::Div, x, s->make_value(3)), q));
  s->assert_formula(b.eq(s->make_term(Op::Mod, x, s->make_value(3)), s->make_value(2)));
  REQUIRE(s->check_sat() == Result::Sat);
  CHECK(s->get_value(q).as_int() == 3);
}

SMT_BACKEND_TEST(bitvectors, "bit-vector arithmetic, overflow and comparisons", "")
{
  auto s = make_solver(backend);
  SMT_REQUIRE_CAPABILITY(*s, bit_vectors);
  Builder b{*s};
  Term x = s->make_const("x", b.bv(8));
  s->assert_formula(b.eq(x, b.bv_val(255, 8)));
  REQUIRE(s->check_sat() == Result::Sat);
  auto val = [&](Term t) { return s->get_value(t).as_bitvector(); };
  CHECK(val(x).to_uint64() == 255);
  CHECK(val(x).to_int64() == -1);
  // Wraparound.
  CHECK(val(s->make_term(Op::BVAdd, x, b.bv_val(1, 8))).to_uint64() == 0);
  CHECK(val(s->make_term(Op::BVMul, b.bv_val(16, 8), b.bv_val(16, 8))).to_uint64() == 0);
  CHECK(val(s->make_term(Op::BVSub, b.bv_val(0, 8), b.bv_val(1, 8))).to_uint64() == 255);
  CHECK(val(s->make_term(Op::BVAdd, std::vector<Term>{x, x, x})).to_uint64() == 253);
  // Division: unsigned, signed, and by zero (all ones; the dividend for rem).
  CHECK(val(s->make_term(Op::BVUDiv, x, b.bv_val(16, 8))).to_uint64() == 15);
  CHECK(val(s->make_term(Op::BVURem, x, b.bv_val(16, 8))).to_uint64() == 15);
  CHECK(val(s->make_term(Op::BVSDiv, b.bv_val(-7, 8), b.bv_val(2, 8))).to_int64() == -3);
  CHECK(val(s->make_term(Op::BVSRem, b.bv_val(-7, 8), b.bv_val(2, 8))).to_int64() == -1);
  CHECK(val(s->make_term(Op::BVUDiv, b.bv_val(9, 8), b.bv_val(0, 8))).to_uint64() == 255);
  CHECK(val(s->make_term(Op::BVURem, b.bv_val(9, 8), b.bv_val(0, 8))).to_uint64() == 9);
  // Bitwise.
  CHECK(val(s->make_term(Op::BVAnd, b.bv_val(0xf0, 8), b.bv_val(0x3c, 8))).to_uint64() == 0x30);
  CHECK(val(s->make_term(Op::BVOr, b.bv_val(0xf0, 8), b.bv_val(0x0c, 8))).to_uint64() == 0xfc);
  CHECK(val(s->make_term(Op::BVNot, b.bv_val(0xf0, 8))).to_uint64() == 0x0f);
  // Signed and unsigned comparisons disagree on 0x80 vs 0x7f.
  Term big = b.bv_val(0x80, 8), small = b.bv_val(0x7f, 8);
  CHECK(!s->get_value(s->make_term(Op::BVUlt, big, small)).as_bool());
  CHECK(s->get_value(s->make_term(Op::BVSlt, big, small)).as_bool());
  CHECK(s->get_value(s->make_term(Op::BVUle, small, big)).as_bool());
  CHECK(!s->get_value(s->make_term(Op::BVSle, small, big)).as_bool());
  CHECK(s->get_value(s->make_term(Op::BVSle, big, big)).as_bool());
  // Width changes.
  Term cat = s->make_term(Op::Concat, b.bv_val(0xa, 4), b.bv_val(0x5, 4));
  CHECK(s->sort_of(cat) == b.bv(8));
  CHECK(val(cat).to_uint64() == 0xa5);
  CHECK(val(s->make_term(Op::Extract, {7, 4}, x)).to_uint64() == 0xf);
  CHECK(val(s->make_term(Op::ZeroExtend, {8}, x)).to_uint64() == 0x00ff);
  CHECK(val(s->make_term(Op::SignExtend, {8}, x)).to_uint64() == 0xffff);
  CHECK(val(s->make_term(Op::SignExtend, {8}, small)).to_uint64() == 0x007f);
  // Values wider than 64 bits go through both ways.
  BitVector wide = BitVector::from_int64(100, -12345);
  Term w = s->make_const("w", b.bv(100));
  auto t = make_solver(backend);
  Builder c{*t};
  Term w2 = t->make_const("w", c.bv(100));
  t->assert_formula(c.eq(w2, t->make_term(Op::BVAdd, t->make_value(wide), t->make_value(1, c.bv(100)))));
  REQUIRE(t->check_sat() == Result::Sat);
  CHECK(t->get_value(w2).as_bitvector() == BitVector::from_int64(100, -12344));
  (void)w;
}

SMT_BACKEND_TEST(bv_overflow_search, "bit-vector overflow found by search", "")
{
  auto s = make_solver(backend);
  SMT_REQUIRE_CAPABILITY(*s, bit_vectors);
  Builder b{*s};
  // An x > 200 (unsigned) with x + 100 < x: the addition wrapped.
  Term x = s->make_const("x", b.bv(8));
  s->assert_formula(s->make_term(Op::BVUlt, b.bv_val(200, 8), x));
  s->assert_formula(s->make_term(Op::BVUlt, s->make_term(Op::BVAdd, x, b.bv_val(100, 8)), x));
  REQUIRE(s->check_sat() == Result::Sat);
  CHECK(s->get_value(x).as_bitvector().to_uint64() > 200);
  // Signed: no positive x (as signed) stays positive after adding 127 when x >= 1... except none wrap below 1.
  auto t = make_solver(backend);
  Builder c{*t};
  Term y = t->make_const("y", c.bv(8));
  t->assert_formula(t->make_term(Op::BVSlt, c.bv_val(0, 8), y));                                // y > 0
  t->assert_formula(t->make_term(Op::BVSlt, t->make_term(Op::BVAdd, y, c.bv_val(127, 8)), y));  // y + 127 < y
  REQUIRE(t->check_sat() == Result::Sat);  // every y in 1..127 wraps
  int64_t yv = t->get_value(y).as_bitvector().to_int64();
  CHECK(yv >= 1);
  CHECK(yv <= 127);
}

SMT_BACKEND_TEST(arrays, "arrays: select over store", "")
{
  auto s = make_solver(backend);
  SMT_REQUIRE_CAPABILITY(*s, arrays);
  Builder b{*s};
  Sort arr = s->make_sort(SortKind::Array, b.bv(4), b.bv(8));
  Term a = s->make_const("a", arr);
  Term i = s->make_const("i", b.bv(4));
  Term j = s->make_const("j", b.bv(4));
  Term stored = s->make_term(Op::Store, a, i, b.bv_val(42, 8));
  CHECK(s->sort_of(stored) == arr);
  // Read-over-write: the stored value at i; a's value elsewhere.
  s->push();
  s->assert_formula(b.negate(b.eq(s->make_term(Op::Select, stored, i), b.bv_val(42, 8))));
  CHECK(s->check_sat() == Result::Unsat);
  s->pop();
  s->push();
  s->assert_formula(b.negate(b.eq(i, j)));
  s->assert_formula(b.negate(b.eq(s->make_term(Op::Select, stored, j), s->make_term(Op::Select, a, j))));
  CHECK(s->check_sat() == Result::Unsat);
  s->pop();
  // A model: a[3] = 7 and i = 3 make stored[3] = 42.
  s->assert_formula(b.eq(s->make_term(Op::Select, a, b.bv_val(3, 4)), b.bv_val(7, 8)));
  s->assert_formula(b.eq(i, b.bv_val(3, 4)));
  REQUIRE(s->check_sat() == Result::Sat);
  CHECK(s->get_value(s->make_term(Op::Select, a, b.bv_val(3, 4))).as_bitvector().to_uint64() == 7);
  CHECK(s->get_value(s->make_term(Op::Select, stored, b.bv_val(3, 4))).as_bitvector().to_uint64() == 42);
  CHECK(error_kind([&] { s->get_value(a); }) == SmtErrorKind::Unsupported);
  // Int-indexed arrays of Bool.
  Sort iarr = s->make_sort(SortKind::Array, b.integer(), b.boolean());
  Term m = s->make_const("m", iarr);
  Term stored2 = s->make_term(Op::Store, m, s->make_value(5), s->make_value(true));
  CHECK(s->check_sat() == Result::Sat);
  CHECK(s->get_value(s->make_term(Op::Select, stored2, s->make_value(5))).as_bool());
}

SMT_BACKEND_TEST(push_pop, "push and pop", "")
{
  auto s = make_solver(backend);
  SMT_REQUIRE_CAPABILITY(*s, incremental);
  Builder b{*s};
  Term x = s->make_const("x", b.integer());
  s->assert_formula(s->make_term(Op::Gt, x, s->make_value(0)));
  CHECK(s->scope_level() == 0);
  s->push();
  CHECK(s->scope_level() == 1);
  s->assert_formula(s->make_term(Op::Lt, x, s->make_value(0)));
  CHECK(s->check_sat() == Result::Unsat);
  s->pop();
  CHECK(s->scope_level() == 0);
  REQUIRE(s->check_sat() == Result::Sat);
  CHECK(s->get_value(x).as_int() > 0);
  // Several levels at once; a constant made inside a scope outlives it.
  s->push(3);
  CHECK(s->scope_level() == 3);
  Term y = s->make_const("y", b.integer());
  s->assert_formula(b.eq(y, s->make_term(Op::Minus, x)));
  s->assert_formula(s->make_term(Op::Gt, y, s->make_value(0)));
  CHECK(s->check_sat() == Result::Unsat);
  s->pop(2);
  CHECK(s->scope_level() == 1);
  CHECK(s->check_sat() == Result::Sat);  // the assertions made at level 3 are gone
  s->pop();
  s->assert_formula(b.eq(y, s->make_value(-4)));
  CHECK(s->check_sat() == Result::Sat);
  CHECK(s->get_value(y).as_int() == -4);
  CHECK(error_kind([&] { s->pop(); }) == SmtErrorKind::User);
}

SMT_BACKEND_TEST(assumptions, "check_sat_assuming with failing assumptions", "")
{
  auto s = make_solver(backend);
  SMT_REQUIRE_CAPABILITY(*s, unsat_assumptions);
  Builder b{*s};
  Term x = s->make_const("x", b.integer());
  Term p = s->make_const("p", b.boolean());
  Term q = s->make_const("q", b.boolean());
  Term r = s->make_const("r", b.boolean());
  s->assert_formula(s->make_term(Op::Implies, p, s->make_term(Op::Gt, x, s->make_value(5))));
  s->assert_formula(s->make_term(Op::Implies, q, s->make_term(Op::Lt, x, s->make_value(3))));
  CHECK(s->check_sat_assuming({p, q, r}) == Result::Unsat);
  std::vector<Term> core = s->get_unsat_assumptions();
  std::sort(core.begin(), core.end());
  CHECK(core == std::vector<Term>{p, q});  // r plays no part
  CHECK(s->check_sat_assuming(core) == Result::Unsat);
  // The assumptions were only assumed: each alone is fine.
  CHECK(s->check_sat_assuming({p, r}) == Result::Sat);
  CHECK(s->get_value(x).as_int() > 5);
  CHECK(error_kind([&] { s->get_unsat_assumptions(); }) == SmtErrorKind::User);  // last was sat
  CHECK(s->check_sat() == Result::Sat);
  // Assumptions need not be literals; negated literals are fine too.
  Term big = s->make_term(Op::Gt, x, s->make_value(10));
  CHECK(s->check_sat_assuming({big, b.negate(p), q}) == Result::Unsat);
  core = s->get_unsat_assumptions();
  // Cores need not be minimal (cvc5 keeps (not p)), but they are unsat.
  CHECK(std::find(core.begin(), core.end(), big) != core.end());
  CHECK(std::find(core.begin(), core.end(), q) != core.end());
  CHECK(s->check_sat_assuming(core) == Result::Unsat);
  CHECK(s->check_sat_assuming({}) == Result::Sat);
}

SMT_BACKEND_TEST(get_value, "get_value after sat, and only then", "")
{
  auto s = make_solver(backend);
  Builder b{*s};
  Term x = s->make_const("x", b.integer());
  Term v = s->make_const("v", b.bv(16));
  Term p = s->make_const("p", b.boolean());
  s->assert_formula(b.eq(x, s->make_value(-123456789012LL)));
  s->assert_formula(b.eq(v, b.bv_val(0xbeef, 16)));
  s->assert_formula(b.eq(p, s->make_term(Op::Lt, x, s->make_value(0))));
  REQUIRE(s->check_sat() == Result::Sat);
  CHECK(s->get_value(x) == Value::integer(-123456789012LL));
  CHECK(s->get_value(v) == Value::bitvector(BitVector::from_uint64(16, 0xbeef)));
  CHECK(s->get_value(p) == Value::boolean(true));
  // A term the assertions do not mention still has a value.
  Term free = s->make_const("free", b.bv(3));
  CHECK(s->get_value(free).as_bitvector().width() == 3);
  // After an assert, push or pop the model is gone (SMT-LIB's rule, kept on every back end).
  s->assert_formula(p);
  CHECK(error_kind([&] { s->get_value(x); }) == SmtErrorKind::User);
  s->assert_formula(b.negate(p));
  CHECK(s->check_sat() == Result::Unsat);
  CHECK(error_kind([&] { s->get_value(x); }) == SmtErrorKind::User);
}

SMT_BACKEND_TEST(options, "set_option", "")
{
  auto s = make_solver(backend);
  s->set_option("timeout", "10000");
  s->set_option("random-seed", "7");
  s->set_option("produce-models", "true");
  CHECK(error_kind([&] { s->set_option("produce-models", "false"); }) == SmtErrorKind::Unsupported);
  CHECK(error_kind([&] { s->set_option("no-such-option-anywhere", "1"); }) == SmtErrorKind::User);
  Term p = s->make_const("p", s->make_sort(SortKind::Bool));
  s->assert_formula(p);
  CHECK(s->check_sat() == Result::Sat);
}

// ---------------------------------------------------------------------------
// Decorators

namespace
{

// One session through any solver: the answers it got, in order.
std::vector<std::string> replay_session(Solver& s)
{
  std::vector<std::string> answers;
  auto note = [&](Result r) { answers.emplace_back(to_string(r)); };
  Builder b{s};
  Term x = s.make_const("x", b.integer());
  Term odd = s.make_const("odd name", b.integer());  // needs |quoting|
  Term v = s.make_const("v", b.bv(8));
  Term p = s.make_const("p", b.boolean());
  Sort arr = s.make_sort(SortKind::Array, b.bv(8), b.bv(8));
  Term a = s.make_const("a", arr);

  s.assert_formula(s.make_term(Op::Ge, x, s.make_value(-3)));
  note(s.check_sat());
  (void)s.get_value(x);
  s.push();
  Term vv = s.make_term(Op::BVMul, v, v);
  s.assert_formula(b.eq(s.make_term(Op::BVAdd, vv, vv), b.bv_val(2, 8)));  // 2v^2 = 2 (mod 256)
  note(s.check_sat());
  s.assert_formula(s.make_term(Op::BVUlt, v, b.bv_val(1, 8)));  // v = 0: 0 = 2, no
  note(s.check_sat());
  s.pop();
  s.assert_formula(b.eq(s.make_term(Op::Select, s.make_term(Op::Store, a, v, b.bv_val(9, 8)), v), b.bv_val(9, 8)));
  s.assert_formula(s.make_term(Op::Implies, p, s.make_term(Op::Lt, s.make_term(Op::Plus, x, odd), s.make_value(0))));
  s.assert_formula(b.eq(odd, s.make_term(Op::Mod, x, s.make_value(4))));
  note(s.check_sat_assuming({p, s.make_term(Op::Gt, x, s.make_value(100))}));
  (void)s.get_unsat_assumptions();
  note(s.check_sat_assuming({p}));
  (void)s.get_value(s.make_term(Op::Plus, x, odd));
  Term wide = s.make_term(Op::SignExtend, {60}, s.make_term(Op::Extract, {7, 4}, v));
  s.assert_formula(s.make_term(Op::BVSlt, wide, s.make_value(0, b.bv(64))));
  note(s.check_sat());
  s.assert_formula(b.eq(s.make_term(Op::Div, x, s.make_value(0)), s.make_value(5)));  // div by 0: uninterpreted
  note(s.check_sat());
  return answers;
}

}  // namespace

SMT_BACKEND_TEST(logging_replay, "the logging decorator's output replays in z3 and cvc5", "[log]")
{
  std::filesystem::path path = temp_file("log_" + backend);
  std::vector<std::string> answers;
  {
    LoggingSolver log(make_solver(backend), path.string());
    CHECK(log.name() == "log(" + backend + ")");
    answers = replay_session(log);
  }
  CHECK(answers == std::vector<std::string>{"sat", "sat", "unsat", "unsat", "sat", "sat", "sat"});

  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  INFO(text.str());
  CHECK(text.str().find("(set-logic ALL)\n") != std::string::npos);
  CHECK(text.str().find("(declare-fun |odd name| () Int)\n") != std::string::npos);
  CHECK(text.str().find("(declare-fun a () (Array (_ BitVec 8) (_ BitVec 8)))\n") != std::string::npos);
  CHECK(text.str().find("(push 1)\n") != std::string::npos);
  CHECK(text.str().find("(check-sat-assuming (p (> x 100)))\n; unsat  (query 4)\n") != std::string::npos);
  CHECK(text.str().find("(get-unsat-assumptions)\n") != std::string::npos);
  CHECK(text.str().find("(get-value (x))\n") != std::string::npos);

  for (const std::string& binary : {std::string("z3"), std::string("cvc5 --incremental")})
  {
    std::string program = binary.substr(0, binary.find(' '));
    if (!have_program(program))
    {
      WARN("skipped replay: no " << program << " on PATH");
      continue;
    }
    std::string output = run_command(binary + " " + path.string() + " 2>&1");
    INFO(binary << " printed:\n" << output);
    CHECK(output.find("error") == std::string::npos);
    CHECK(answers_in(output) == answers);
  }
  std::filesystem::remove(path);
}

SMT_BACKEND_TEST(logging_stream, "the logging decorator writes every command", "[log]")
{
  std::ostringstream out;
  LoggingSolver log(make_solver(backend), out);
  Builder b{log};
  Term x = log.make_const("x", b.bv(4));
  log.make_const("x", b.bv(4));  // declared once
  log.set_option("random-seed", "3");
  log.push();
  log.assert_formula(b.eq(log.make_term(Op::BVAdd, x, x), b.bv_val(2, 4)));
  REQUIRE(log.check_sat() == Result::Sat);
  log.get_value(x);
  log.pop();
  CHECK(error_kind([&] { log.assert_formula(x); }) == SmtErrorKind::User);  // not logged
  std::string text = out.str();
  std::string body = text.substr(text.find("(set-logic ALL)\n") + 16);
  CHECK(body.rfind("(declare-fun x () (_ BitVec 4))\n"
                   "; set_option random-seed 3\n"
                   "(push 1)\n"
                   "(assert (= (bvadd x x) #b0010))\n"
                   "(check-sat)\n"
                   "; sat  (query 1)\n"
                   "(get-value (x))\n; #b",
                   0) == 0);
  CHECK(body.substr(body.size() - 8) == "(pop 1)\n");
  CHECK(log.inner().name() == backend);
}

SMT_BACKEND_TEST(cross_check_disagreement, "the cross-check decorator raises on a disagreement", "[crosscheck]")
{
  // The fake agrees twice, then says unsat where the real solver says sat.
  auto fake = std::make_unique<FakeSolver>(std::vector<Result>{Result::Sat, Result::Unknown, Result::Unsat});
  CrossCheckSolver s(make_solver(backend), std::move(fake));
  CHECK(s.name() == "cross-check(" + backend + ", fake)");
  Builder b{s};
  Term x = s.make_const("x", b.bv(8));
  s.assert_formula(s.make_term(Op::BVUlt, x, b.bv_val(10, 8)));
  CHECK(s.check_sat() == Result::Sat);
  CHECK(s.get_value(x).as_bitvector().to_uint64() < 10);
  CHECK(s.check_sat_assuming({s.make_term(Op::BVUlt, b.bv_val(3, 8), x)}) == Result::Sat);  // fake: unknown
  std::string message = error_message([&] { s.check_sat(); });
  CHECK(message == "internal error: cross-check: solvers disagree on query 3 (check-sat): " + backend +
                       " says sat, fake says unsat");
  CHECK(s.num_queries() == 3);
}

TEST_CASE("smt: cross-check of z3 against cvc5 agrees", "[smt][z3][cvc5][crosscheck]")
{
  if (!solver_available("z3") || !solver_available("cvc5"))
  {
    WARN("skipped: needs both z3 and cvc5");
    return;
  }
  CrossCheckSolver s(make_solver("z3"), make_solver("cvc5"));
  CHECK(s.capabilities() == (make_solver("z3")->capabilities() & make_solver("cvc5")->capabilities()));
  CHECK(!s.capabilities().chc);
  std::vector<std::string> answers = replay_session(s);
  CHECK(answers == std::vector<std::string>{"sat", "sat", "unsat", "unsat", "sat", "sat", "sat"});
  CHECK(s.num_queries() == 7);
}
