// Reports for CI: statistics JSON, JUnit XML, SARIF 2.1.0, and the ITF
// round trip (value_itf then value_from_itf) that `keel replay` relies on.
#include "checker/reports.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "checker/explicit/explorer.hpp"
#include "support.hpp"

using namespace keel;
using nlohmann::json;

namespace
{

const char* kBroken = R"(protocol Broken
type Id = 1..2
var x: [Id] 0..3 = [_ => 0]
action Inc(i: Id) when x[i] < 3 { x[i] := x[i] + 1 }
invariant Small: forall i: Id . x[i] < 2
)";

size_t count(const std::string& hay, const std::string& needle)
{
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("reports: statistics JSON has the versioned schema and the verdict", "[reports]")
{
  auto c = test::compile(kBroken);
  REQUIRE(c.ok());
  Verdict v = check_explicit(c.m(), {});
  REQUIRE(v.kind == VerdictKind::Violated);
  json j = json::parse(stats_json(c.m(), v, {"b.keel", "explicit", "", true}));
  CHECK(j["schema"] == kStatsSchema);
  CHECK(j["verdict"] == "violated");
  CHECK(j["violation"] == "invariant");
  CHECK(j["property"] == "Small");
  CHECK(j["trace_length"] == 2);
  CHECK(j["statistics"]["distinct_states"].get<uint64_t>() == v.stats.distinct);
  CHECK(j["coverage"].contains("Inc"));
  REQUIRE(j["explanation"].is_array());
  CHECK(j["explanation"][0].get<std::string>().find("fails for i = 1") != std::string::npos);
}

TEST_CASE("reports: JUnit has one test case per property, the violated one failing", "[reports]")
{
  auto c = test::compile(kBroken);
  Verdict v = check_explicit(c.m(), {});
  std::string x = junit_xml(c.m(), v, {"b.keel", "explicit", "-D N=2", true});
  CHECK(x.rfind("<?xml", 0) == 0);
  CHECK(count(x, "<testcase ") == 3);  // Small, deadlock freedom, assertions and bounds
  CHECK(count(x, "<failure ") == 1);
  CHECK(count(x, "<skipped ") == 2);
  CHECK(x.find("name=\"invariant Small\"") != std::string::npos);
  CHECK(x.find("b.keel -D N=2") != std::string::npos);
  CHECK(count(x, "<testsuite ") == 1);
  CHECK(count(x, "</testsuite>") == 1);
  CHECK(x.find("=>") == std::string::npos);  // escaped inside the trace
  CHECK(x.find("=&gt;") != std::string::npos);

  auto ok = test::compile("var b: bool = false\naction T { b := !b }\ninvariant I: true\n");
  Verdict h = check_explicit(ok.m(), {});
  std::string y = junit_xml(ok.m(), h, {"ok.keel", "explicit", "", true});
  CHECK(count(y, "<failure") == 0);
  CHECK(count(y, "<skipped") == 0);
  CHECK(count(y, "<testcase ") == 3);
}

TEST_CASE("reports: SARIF locates the violation at the invariant and the failing action", "[reports]")
{
  auto c = test::compile(kBroken, {}, "b.keel");
  Verdict v = check_explicit(c.m(), {});
  json j = json::parse(sarif_json(c.m(), v, {"b.keel", "explicit", "", true}));
  CHECK(j["version"] == "2.1.0");
  REQUIRE(j["runs"].size() == 1);
  const json& run = j["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "keel");
  REQUIRE(run["results"].size() == 1);
  const json& r = run["results"][0];
  CHECK(r["ruleId"] == "invariant");
  CHECK(r["level"] == "error");
  const json& region = r["locations"][0]["physicalLocation"]["region"];
  CHECK(region["startLine"] == 5);  // the invariant
  CHECK(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "b.keel");
  CHECK(r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 4);  // the action Inc
  CHECK(r["codeFlows"][0]["threadFlows"][0]["locations"].size() == 2);
  bool rule_declared = false;
  for (auto& rule : run["tool"]["driver"]["rules"]) rule_declared = rule_declared || rule["id"] == "invariant";
  CHECK(rule_declared);
}

TEST_CASE("reports: every value survives the ITF round trip", "[reports][itf]")
{
  auto c = test::compile(R"(
enum Color { red, green }
message Msg = Ping(from: 0..2) | Pong
var r: record { a: 0..3, c: Color } = { a: 2, c: green }
var arr: [Color] set<0..2> = [_ => {1}]
var q: seq<Msg, 3> = [Ping(1), Pong]
var net: bag<Msg, 2> = {Pong, Pong, Ping(2)}
var flag: bool = true
action Noop { skip }
)");
  REQUIRE(c.ok());
  const Model& m = c.m();
  std::vector<uint64_t> init;
  struct Sink : SuccessorSink
  {
    std::vector<uint64_t>* out;
    size_t words;
    void emit(uint32_t, const uint64_t* s) override { out->assign(s, s + words + 1); }
  } sink;
  sink.out = &init;
  sink.words = m.state_words;
  Evaluator ev(m);
  ev.initial_states(sink);
  for (const Variable& v : m.vars)
  {
    json j = value_itf(v.type, init.data(), v.offset);
    std::vector<uint64_t> back(m.state_words + 1, 0);
    std::string err;
    INFO(v.name << " = " << j.dump());
    REQUIRE(value_from_itf(v.type, j, back.data(), v.offset, err));
    CHECK(bits::equal(back.data(), v.offset, init.data(), v.offset, v.type->bits));
  }
  std::vector<uint64_t> w(4, 0);
  std::string err;
  CHECK_FALSE(value_from_itf(m.vars[0].type, json{{"a", {{"#bigint", "9"}}}, {"c", "green"}}, w.data(), 0, err));
  CHECK(err.find("0..3") != std::string::npos);
}
