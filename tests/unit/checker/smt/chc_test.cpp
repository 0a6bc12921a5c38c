// checker/smt: constrained Horn clauses (chc.hpp) and the term utilities
// (term_util.hpp). Spacer runs on Z3; cvc5 has no Horn clause engine, which
// its capability flag and solve_chc both say.
#include "checker/smt/chc.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "checker/smt/cross_check_solver.hpp"
#include "checker/smt/factory.hpp"
#include "checker/smt/logging_solver.hpp"
#include "checker/smt/term_util.hpp"

using namespace keel::smt;

namespace
{

#define REQUIRE_Z3()                                 \
  do                                                 \
  {                                                  \
    if (!solver_available("z3"))                     \
    {                                                \
      WARN("skipped: this Keel has no z3 back end"); \
      return;                                        \
    }                                                \
  } while (false)

// A 4-bit counter: Inv(x) <- x = 0;  Inv(x') <- Inv(x) & x < limit & x' = x + 1;
// false <- Inv(x) & bad(x). Its reachable values are 0..limit.
struct Counter
{
  Solver& s;
  Sort bv4;
  Term x, xn;
  ChcSystem sys;
  RelationId inv;

  Counter(Solver& solver, uint64_t limit, const std::function<Term(Solver&, Term)>& bad) : s(solver)
  {
    bv4 = s.make_sort(SortKind::BitVec, 4);
    x = s.make_const("x", bv4);
    xn = s.make_const("x'", bv4);
    inv = sys.add_relation("Inv", {x});
    sys.add_clause({{}, s.make_term(Op::Equal, x, s.make_value(0, bv4)), RelationApp{inv, {x}}, "init"});
    Term step = s.make_term(Op::And, s.make_term(Op::BVUlt, x, s.make_value(static_cast<int64_t>(limit), bv4)),
                            s.make_term(Op::Equal, xn, s.make_term(Op::BVAdd, x, s.make_value(1, bv4))));
    sys.add_clause({{RelationApp{inv, {x}}}, step, RelationApp{inv, {xn}}, "step"});
    sys.add_clause({{RelationApp{inv, {x}}}, bad(s, x), std::nullopt, "bad"});
  }
};

Term above_7(Solver& s, Term x)
{
  return s.make_term(Op::BVUlt, s.make_value(7, s.sort_of(x)), x);
}

Term equals_5(Solver& s, Term x)
{
  return s.make_term(Op::Equal, x, s.make_value(5, s.sort_of(x)));
}

// Is every clause valid once each relation is replaced by its interpretation?
// Asked of `s` itself, one clause at a time (its negation must be unsat).
bool models_every_clause(Solver& s, const ChcSystem& sys, const std::vector<Term>& interp)
{
  auto instance = [&](const RelationApp& a)
  {
    std::unordered_map<Term, Term> map;
    const Relation& r = sys.relation(a.relation);
    for (size_t i = 0; i < a.args.size(); ++i) map.emplace(r.formals[i], a.args[i]);
    return substitute(s, interp.at(a.relation), map);
  };
  for (const HornClause& c : sys.clauses())
  {
    Term body = c.constraint ? c.constraint : s.make_value(true);
    for (const RelationApp& a : c.body) body = s.make_term(Op::And, body, instance(a));
    Term head = c.head ? instance(*c.head) : s.make_value(false);
    s.push();
    s.assert_formula(s.make_term(Op::And, body, s.make_term(Op::Not, head)));
    Result r = s.check_sat();
    s.pop();
    if (r != Result::Unsat) return false;
  }
  return true;
}

std::string run_program(const std::string& command)
{
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return out;
}

}  // namespace

TEST_CASE("smt: chc: a counter that stays below a bound is safe, with an invariant (z3)", "[smt][chc][z3]")
{
  REQUIRE_Z3();
  std::unique_ptr<Solver> s = make_solver("z3");
  REQUIRE(s->capabilities().chc);
  Counter c(*s, 5, above_7);
  ChcAnswer a = s->solve_chc(c.sys);
  REQUIRE(a.result == ChcResult::Safe);
  REQUIRE(a.interpretations.size() == 1);
  INFO("Inv(x) := " << s->to_smtlib(a.interpretations[0]));
  // The interpretation is a formula over the relation's formal `x` only.
  for (Term k : constants_of(s->terms(), {a.interpretations[0]})) CHECK(k == c.x);
  CHECK(models_every_clause(*s, c.sys, a.interpretations));
  // A wrong interpretation is caught by the same check (so the check can fail).
  CHECK_FALSE(models_every_clause(*s, c.sys, {s->make_term(Op::BVUle, c.x, s->make_value(3, c.bv4))}));
  CHECK_FALSE(models_every_clause(*s, c.sys, {s->make_value(true)}));
}

TEST_CASE("smt: chc: a reachable bad state is unsafe, with its derivation (z3)", "[smt][chc][z3]")
{
  REQUIRE_Z3();
  std::unique_ptr<Solver> s = make_solver("z3");
  Counter c(*s, 5, equals_5);
  ChcAnswer a = s->solve_chc(c.sys);
  REQUIRE(a.result == ChcResult::Unsafe);
  CHECK(a.interpretations.empty());
  // init, five steps (0 -> 5), the query.
  CHECK(a.derivation == std::vector<size_t>{0, 1, 1, 1, 1, 1, 2});
  REQUIRE(a.facts.size() == 6);
  for (uint64_t i = 0; i < 6; ++i)
  {
    CHECK(a.facts[i].relation == c.inv);
    REQUIRE(a.facts[i].args.size() == 1);
    CHECK(a.facts[i].args[0].as_bitvector().to_uint64() == i);
  }
}

TEST_CASE("smt: chc: relations of several arities, and a query with no relation (z3)", "[smt][chc][z3]")
{
  REQUIRE_Z3();
  std::unique_ptr<Solver> s = make_solver("z3");
  Sort bv3 = s->make_sort(SortKind::BitVec, 3);
  Sort boolean = s->make_sort(SortKind::Bool);
  Term a = s->make_const("a", bv3), b = s->make_const("b", bv3), p = s->make_const("p", boolean);
  Term a2 = s->make_const("a2", bv3), b2 = s->make_const("b2", bv3);
  ChcSystem sys;
  RelationId pair = sys.add_relation("Pair", {a, b});
  RelationId flag = sys.add_relation("Flag", {p});
  RelationId done = sys.add_relation("Done", {});
  // a and b move together from (0, 0), so a == b; Done once a == 3; Flag(p) only for p false.
  sys.add_clause(
      {{},
       s->make_term(Op::And, s->make_term(Op::Equal, a, s->make_value(0, bv3)), s->make_term(Op::Equal, b, a)),
       RelationApp{pair, {a, b}}});
  sys.add_clause(
      {{RelationApp{pair, {a, b}}},
       s->make_term(
           Op::And, s->make_term(Op::BVUlt, a, s->make_value(6, bv3)),
           s->make_term(Op::And, s->make_term(Op::Equal, a2, s->make_term(Op::BVAdd, a, s->make_value(1, bv3))),
                        s->make_term(Op::Equal, b2, s->make_term(Op::BVAdd, b, s->make_value(1, bv3))))),
       RelationApp{pair, {a2, b2}}});
  sys.add_clause(
      {{RelationApp{pair, {a, b}}}, s->make_term(Op::Equal, a, s->make_value(3, bv3)), RelationApp{done, {}}});
  sys.add_clause({{}, s->make_term(Op::Not, p), RelationApp{flag, {p}}});
  sys.add_clause({{RelationApp{pair, {a, b}}}, s->make_term(Op::Distinct, a, b), std::nullopt});
  sys.add_clause({{RelationApp{flag, {p}}, RelationApp{done, {}}}, p, std::nullopt});
  // A query without relations: its constraint alone must be unsatisfiable.
  sys.add_clause({{}, s->make_term(Op::And, p, s->make_term(Op::Not, p)), std::nullopt});
  ChcAnswer ans = s->solve_chc(sys);
  REQUIRE(ans.result == ChcResult::Safe);
  REQUIRE(ans.interpretations.size() == 3);
  CHECK(models_every_clause(*s, sys, ans.interpretations));

  // The same system with a satisfiable constraint-only query is unsafe.
  sys.add_clause({{}, p, std::nullopt});
  CHECK(s->solve_chc(sys).result == ChcResult::Unsafe);
}

TEST_CASE("smt: chc: solve_chc leaves the assertion stack alone (z3)", "[smt][chc][z3]")
{
  REQUIRE_Z3();
  std::unique_ptr<Solver> s = make_solver("z3");
  Sort bv4 = s->make_sort(SortKind::BitVec, 4);
  Term y = s->make_const("y", bv4);
  s->assert_formula(s->make_term(Op::Equal, y, s->make_value(9, bv4)));
  Counter c(*s, 5, above_7);
  REQUIRE(s->check_sat() == Result::Sat);
  CHECK(s->solve_chc(c.sys).result == ChcResult::Safe);
  // The model of the check before is gone; the assertion is still there.
  CHECK_THROWS_WITH(s->get_value(y), Catch::Contains("get_value needs a sat check"));
  REQUIRE(s->check_sat() == Result::Sat);
  CHECK(s->get_value(y).as_bitvector().to_uint64() == 9);
}

TEST_CASE("smt: chc: ill-formed systems are the caller's error", "[smt][chc][z3]")
{
  REQUIRE_Z3();
  std::unique_ptr<Solver> s = make_solver("z3");
  Sort bv4 = s->make_sort(SortKind::BitVec, 4);
  Sort bv2 = s->make_sort(SortKind::BitVec, 2);
  Term x = s->make_const("x", bv4), z = s->make_const("z", bv2);
  {
    ChcSystem sys;
    RelationId r = sys.add_relation("R", {x});
    sys.add_clause({{}, s->make_value(true), RelationApp{r, {x, x}}});
    CHECK_THROWS_WITH(s->solve_chc(sys), Catch::Contains("applies 'R' to 2 arguments; it has 1"));
  }
  {
    ChcSystem sys;
    RelationId r = sys.add_relation("R", {x});
    sys.add_clause({{}, s->make_value(true), RelationApp{r, {z}}});
    CHECK_THROWS_WITH(s->solve_chc(sys), Catch::Contains("argument 1 of 'R' has sort (_ BitVec 2)"));
  }
  {
    ChcSystem sys;
    sys.add_relation("x", {});
    CHECK_THROWS_WITH(s->solve_chc(sys), Catch::Contains("relation 'x' has the name of a constant"));
  }
  {
    ChcSystem sys;
    sys.add_relation("R", {x, x});
    CHECK_THROWS_WITH(s->solve_chc(sys), Catch::Contains("has formal x twice"));
  }
  {
    ChcSystem sys;
    sys.add_relation("R", {s->make_term(Op::BVAdd, x, x)});
    CHECK_THROWS_WITH(s->solve_chc(sys), Catch::Contains("is not a constant"));
  }
  {
    ChcSystem sys;
    RelationId r = sys.add_relation("R", {x});
    sys.add_clause({{}, x, RelationApp{r, {x}}});
    CHECK_THROWS_WITH(s->solve_chc(sys),
                      Catch::Contains("constraint of clause 0 has sort (_ BitVec 4), expected Bool"));
  }
}

TEST_CASE("smt: chc: cvc5 has no Horn clause engine", "[smt][chc][cvc5]")
{
  if (!solver_available("cvc5"))
  {
    WARN("skipped: this Keel has no cvc5 back end");
    return;
  }
  std::unique_ptr<Solver> s = make_solver("cvc5");
  CHECK_FALSE(s->capabilities().chc);
  Counter c(*s, 5, above_7);
  CHECK_THROWS_WITH(s->solve_chc(c.sys), Catch::Contains("not supported: cvc5 lacks capability chc"));
}

TEST_CASE("smt: chc: a time limit ends Spacer with unknown (z3)", "[smt][chc][z3]")
{
  REQUIRE_Z3();
  std::unique_ptr<Solver> s = make_solver("z3");
  s->set_option("timeout", "300");
  // Two 16-bit counters moving together up to 30000, with the bad state
  // "y > 30000": Spacer 4.8 learns one bound per frame here and does not
  // finish within the limit (the invariant y <= x is not found).
  Sort bv = s->make_sort(SortKind::BitVec, 16);
  Term x = s->make_const("x", bv), y = s->make_const("y", bv);
  Term xn = s->make_const("xn", bv), yn = s->make_const("yn", bv);
  ChcSystem sys;
  RelationId inv = sys.add_relation("Inv", {x, y});
  Term zero = s->make_value(0, bv), one = s->make_value(1, bv), limit = s->make_value(30000, bv);
  sys.add_clause({{},
                  s->make_term(Op::And, s->make_term(Op::Equal, x, zero), s->make_term(Op::Equal, y, zero)),
                  RelationApp{inv, {x, y}}});
  sys.add_clause({{RelationApp{inv, {x, y}}},
                  s->make_term(Op::And, {s->make_term(Op::BVUlt, x, limit),
                                         s->make_term(Op::Equal, xn, s->make_term(Op::BVAdd, x, one)),
                                         s->make_term(Op::Equal, yn, s->make_term(Op::BVAdd, y, one))}),
                  RelationApp{inv, {xn, yn}}});
  sys.add_clause({{RelationApp{inv, {x, y}}}, s->make_term(Op::BVUlt, limit, y), std::nullopt});
  auto start = std::chrono::steady_clock::now();
  ChcAnswer a = s->solve_chc(sys);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(a.result == ChcResult::Unknown);
  CHECK_THAT(a.reason, Catch::Contains("time limit 300 ms"));
  CHECK(seconds < 10);
  // The solver is still usable afterwards.
  s->assert_formula(s->make_term(Op::Equal, x, one));
  CHECK(s->check_sat() == Result::Sat);
}

TEST_CASE("smt: chc: the log holds a HORN problem that z3 replays (z3)", "[smt][chc][z3][log]")
{
  REQUIRE_Z3();
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("keel_chc_log_" + std::to_string(getpid()) + ".smt2");
  {
    LoggingSolver log(make_solver("z3"), path.string());
    Counter safe(log, 5, above_7);
    CHECK(log.solve_chc(safe.sys).result == ChcResult::Safe);
    // A second system reusing the relation (declared once in the log), unsafe this time.
    ChcSystem sys = safe.sys;
    sys.add_clause({{RelationApp{safe.inv, {safe.x}}}, equals_5(log, safe.x), std::nullopt, "reach 5"});
    CHECK(log.solve_chc(sys).result == ChcResult::Unsafe);
    // Ordinary commands after it replay as before.
    log.assert_formula(log.make_term(Op::Equal, safe.x, log.make_value(3, safe.bv4)));
    CHECK(log.check_sat() == Result::Sat);
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  INFO(text.str());
  CHECK(text.str().find("(declare-fun Inv ((_ BitVec 4)) Bool)\n") != std::string::npos);
  CHECK(text.str().find("(check-sat-using (using-params horn :fp.engine spacer))\n; sat  (query 1): safe\n") !=
        std::string::npos);
  CHECK(text.str().find("; unsat  (query 2): unsafe\n") != std::string::npos);
  CHECK(text.str().find("(assert (forall ((x (_ BitVec 4)) (|x'| (_ BitVec 4))) (=> (and (Inv x) ") !=
        std::string::npos);
  if (std::system("command -v z3 >/dev/null 2>&1") != 0)
  {
    WARN("skipped replay: no z3 on PATH");
    return;
  }
  std::string out = run_program("z3 " + path.string() + " 2>&1");
  CHECK(out == "sat\nunsat\nsat\n");
  std::filesystem::remove(path);
}

TEST_CASE("smt: chc: the stand-alone HORN script replays in z3 (z3)", "[smt][chc][z3]")
{
  REQUIRE_Z3();
  if (std::system("command -v z3 >/dev/null 2>&1") != 0)
  {
    WARN("skipped: no z3 on PATH");
    return;
  }
  std::unique_ptr<Solver> s = make_solver("z3");
  Counter safe(*s, 5, above_7);
  Counter unsafe(*s, 5, equals_5);
  for (auto [sys, expected] : {std::pair{&safe.sys, "sat\n"}, std::pair{&unsafe.sys, "unsat\n"}})
  {
    std::string script = chc_to_smtlib(s->terms(), *sys);
    CHECK(script.rfind("(set-logic HORN)\n", 0) == 0);
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("keel_chc_horn_" + std::to_string(getpid()) + ".smt2");
    std::ofstream(path) << script;
    CHECK(run_program("z3 fp.engine=spacer " + path.string() + " 2>&1") == expected);
    std::filesystem::remove(path);
  }
}

TEST_CASE("smt: chc: cross-checking two z3 solvers (z3)", "[smt][chc][z3]")
{
  REQUIRE_Z3();
  CrossCheckSolver both(make_solver("z3"), make_solver("z3"));
  REQUIRE(both.capabilities().chc);
  Counter c(both, 5, above_7);
  ChcAnswer a = both.solve_chc(c.sys);
  REQUIRE(a.result == ChcResult::Safe);
  // The interpretation is a term of the cross-checking solver itself.
  CHECK(models_every_clause(both, c.sys, a.interpretations));
  Counter d(both, 5, equals_5);
  CHECK(both.solve_chc(d.sys).result == ChcResult::Unsafe);
}

TEST_CASE("smt: term utilities: constants, substitution, copying between solvers (z3)", "[smt][z3]")
{
  REQUIRE_Z3();
  std::unique_ptr<Solver> s = make_solver("z3");
  Sort bv8 = s->make_sort(SortKind::BitVec, 8);
  Term x = s->make_const("x", bv8), y = s->make_const("y", bv8), z = s->make_const("z", bv8);
  Term sum = s->make_term(Op::BVAdd, x, s->make_term(Op::BVAdd, y, x));
  Term f = s->make_term(Op::BVUlt, sum, s->make_term(Op::Extract, {7, 0}, s->make_term(Op::Concat, z, y)));
  CHECK(constants_of(s->terms(), {f}) == std::vector<Term>{x, y, z});
  CHECK(constants_of(s->terms(), {s->make_value(3, bv8)}).empty());

  // Simultaneous: x -> y and y -> x swap them.
  Term swapped = substitute(*s, f, {{x, y}, {y, x}});
  CHECK(swapped == s->make_term(Op::BVUlt, s->make_term(Op::BVAdd, y, s->make_term(Op::BVAdd, x, y)),
                                s->make_term(Op::Extract, {7, 0}, s->make_term(Op::Concat, z, x))));
  CHECK_THROWS_WITH(substitute(*s, f, {{sum, x}}), Catch::Contains("is not a constant"));
  CHECK_THROWS_WITH(substitute(*s, f, {{x, s->make_value(true)}}), Catch::Contains("is not a constant of the sort"));

  // A copy into another solver has the same text, and the constants are matched by name.
  std::unique_ptr<Solver> t = make_solver("z3");
  Term tx = t->make_const("x", t->make_sort(SortKind::BitVec, 8));
  TermCopier copy(s->terms(), *t);
  Term g = copy(f);
  CHECK(t->to_smtlib(g) == s->to_smtlib(f));
  CHECK(constants_of(t->terms(), {g}).front() == tx);
  CHECK(copy(f) == g);
}
