// checker/trace_itf (and the shared step labels and text printer): the ITF
// JSON document of a counterexample found by the explicit engine.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "checker/explicit/explorer.hpp"
#include "checker/trace.hpp"
#include "support.hpp"

using namespace keel;
using namespace keel::test;
using nlohmann::json;

namespace
{

const char* kSpec = R"(protocol Itf
message Msg = Req(id: 0..3) | Ack
var x: 0..3 = 0
var m: Msg = Ack
var s: set<0..3> = {}
action Step(k: 0..3) when k == x + 1 { x := k; m := Req(k); s := s union {k} }
invariant Small: x < 2
)";

json big(int64_t v)
{
  return json{{"#bigint", std::to_string(v)}};
}

struct Checked
{
  Compiled c;
  Verdict v;
};

Checked check(const std::string& spec, const std::string& path = "spec.keel")
{
  Checked k{compile(spec, {}, path), {}};
  if (!k.c.ok()) FAIL("does not compile:\n" << k.c.rendered);
  ExplicitOptions o;
  o.check_deadlock = false;
  k.v = check_explicit(k.c.m(), o);
  return k;
}

}  // namespace

TEST_CASE("trace_itf: the document's metadata, variables and states", "[trace][itf]")
{
  Checked k = check(kSpec);
  REQUIRE(k.v.kind == VerdictKind::Violated);
  REQUIRE(k.v.trace);
  REQUIRE(k.v.trace->states.size() == 3);
  json doc = json::parse(trace_itf(k.c.m(), *k.v.trace, "spec.keel", k.v));

  CHECK(doc["#meta"]["format"] == "ITF");
  CHECK(doc["#meta"]["source"] == "spec.keel");
  CHECK(doc["#meta"]["description"] == "Keel counterexample: Small: invariant Small is violated");
  CHECK(doc["#meta"]["generator"].get<std::string>().rfind("keel ", 0) == 0);
  CHECK(doc["#meta"].contains("format-description"));
  CHECK_FALSE(doc["#meta"].contains("failing-step"));
  CHECK_FALSE(doc.contains("loop"));
  CHECK(doc["vars"] == json::array({"x", "m", "s"}));

  const json& st = doc["states"];
  REQUIRE(st.size() == 3);
  CHECK(st[0]["#meta"] == json{{"index", 0}, {"action", "init"}});
  CHECK(st[0]["x"] == big(0));
  CHECK(st[0]["m"] == json{{"tag", "Ack"}, {"value", json::object()}});
  CHECK(st[0]["s"] == json{{"#set", json::array()}});

  CHECK(st[1]["#meta"]["index"] == 1);
  CHECK(st[1]["#meta"]["action"] == "Step");
  CHECK(st[1]["#meta"]["label"] == "Step(k = 1)");
  CHECK(st[1]["#meta"]["params"] == json{{"k", big(1)}});
  CHECK(st[1]["#meta"]["fault"] == false);
  CHECK_FALSE(st[1]["#meta"].contains("process"));
  CHECK(st[1]["x"] == big(1));

  CHECK(st[2]["#meta"]["label"] == "Step(k = 2)");
  CHECK(st[2]["x"] == big(2));
  CHECK(st[2]["m"] == json{{"tag", "Req"}, {"value", {{"id", big(2)}}}});
  CHECK(st[2]["s"] == json{{"#set", json::array({big(1), big(2)})}});
  // Every state holds exactly the variables and its metadata.
  for (auto& s : st) CHECK(s.size() == 4);
}

TEST_CASE("trace_itf: process steps name their process and identity", "[trace][itf]")
{
  Checked k = check(
      "process P(self: 0..1) {\n var c: 0..2 = 0\n action Inc when c < 2 { c := c + 1 }\n}\n"
      "invariant I: P[1].c < 1\n");
  REQUIRE(k.v.kind == VerdictKind::Violated);
  REQUIRE(k.v.trace->steps.size() == 1);
  json doc = json::parse(trace_itf(k.c.m(), *k.v.trace, "p.keel", k.v));
  CHECK(doc["vars"] == json::array({"P.c"}));
  const json& meta = doc["states"][1]["#meta"];
  CHECK(meta["action"] == "Inc");
  CHECK(meta["process"] == "P");
  CHECK(meta["label"] == "P[1].Inc");
  CHECK(meta["params"] == json{{"self", big(1)}});
  CHECK(doc["states"][1]["P.c"] ==
        json{{"#map", json::array({json::array({big(0), big(0)}), json::array({big(1), big(1)})})}});
}

TEST_CASE("trace_itf: a failing step is recorded in the metadata", "[trace][itf]")
{
  Checked k = check(
      "var x: 0..3 = 0\naction Up when x < 1 { x := x + 1 }\naction Boom(n: 0..1) when x == 1 { assert n > 5, \"no\" "
      "}\n");
  REQUIRE(k.v.kind == VerdictKind::Violated);
  CHECK(k.v.violation == ViolationKind::Assert);
  REQUIRE(k.v.trace->failing_step);
  json doc = json::parse(trace_itf(k.c.m(), *k.v.trace, "f.keel", k.v));
  CHECK(doc["states"].size() == 2);
  CHECK(doc["#meta"]["failing-step"] == json{{"action", "Boom"}, {"label", "Boom(n = 0)"}});
  CHECK(doc["#meta"]["description"] == "Keel counterexample: assert: assertion failed: no");
}

TEST_CASE("trace_itf: a failure during initialization has no states", "[trace][itf]")
{
  Checked k = check("var x: 0..3 = 7\naction A { skip }\n");
  REQUIRE(k.v.kind == VerdictKind::Violated);
  CHECK(k.v.violation == ViolationKind::OutOfRange);
  REQUIRE(k.v.trace);
  json doc = json::parse(trace_itf(k.c.m(), *k.v.trace, "i.keel", k.v));
  CHECK(doc["states"] == json::array());
  CHECK(doc["#meta"]["failing-step"] == json{{"action", "init"}});
}

TEST_CASE("trace_itf: a lasso records its loop index", "[trace][itf]")
{
  Checked k = check(kSpec);
  REQUIRE(k.v.trace);
  Trace t = *k.v.trace;
  t.loop = 1;
  json doc = json::parse(trace_itf(k.c.m(), t, "spec.keel", k.v));
  CHECK(doc["loop"] == 1);
}

TEST_CASE("trace: step labels", "[trace]")
{
  Checked k = check(kSpec);
  const Model& m = k.c.m();
  TraceStep init;
  CHECK(step_label(m, init) == "initial state");
  REQUIRE(k.v.trace->steps.size() == 2);
  CHECK(step_label(m, k.v.trace->steps[0]) == "Step(k = 1)");
  TraceStep bare;
  bare.action = 0;
  CHECK(step_label(m, bare) == "Step");
}

TEST_CASE("trace: the text printer marks changed variables", "[trace]")
{
  Checked k = check(kSpec);
  std::ostringstream os;
  print_trace_text(os, k.c.m(), *k.v.trace, false);
  CHECK(os.str() ==
        "State 0: initial state\n"
        "    x = 0\n"
        "    m = Ack\n"
        "    s = {}\n"
        "State 1: Step(k = 1)  (spec.keel:6:1)\n"
        "  * x = 1\n"
        "  * m = Req(1)\n"
        "  * s = {1}\n"
        "State 2: Step(k = 2)  (spec.keel:6:1)\n"
        "  * x = 2\n"
        "  * m = Req(2)\n"
        "  * s = {1, 2}\n");
}

TEST_CASE("trace: exit codes are TLC's", "[trace]")
{
  Verdict v;
  v.kind = VerdictKind::Holds;
  CHECK(exit_code(v) == 0);
  v.kind = VerdictKind::HoldsUpToBound;
  CHECK(exit_code(v) == 0);
  v.kind = VerdictKind::Violated;
  v.violation = ViolationKind::Deadlock;
  CHECK(exit_code(v) == 11);
  v.violation = ViolationKind::Invariant;
  CHECK(exit_code(v) == 12);
  v.violation = ViolationKind::OutOfRange;
  CHECK(exit_code(v) == 12);
  v.kind = VerdictKind::Error;
  CHECK(exit_code(v) == 255);
}
