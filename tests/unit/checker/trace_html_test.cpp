// checker/trace_html: the self-contained HTML viewer. The page's script is
// exercised by tests/browser/trace_viewer_test.sh; here, the document itself:
// self-contained, escaped, and the embedded trace data (steps, lanes,
// messages sent and received, faults, the failing step, the loop).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "checker/explicit/explorer.hpp"
#include "checker/trace.hpp"
#include "support.hpp"

using namespace keel;
using namespace keel::test;
using nlohmann::json;

namespace
{

struct Checked
{
  Compiled c;
  Verdict v;
};

Checked check(const std::string& spec)
{
  Checked k{compile(spec, {}, "spec.keel"), {}};
  if (!k.c.ok()) FAIL("does not compile:\n" << k.c.rendered);
  ExplicitOptions o;
  o.check_deadlock = false;
  k.v = check_explicit(k.c.m(), o);
  REQUIRE(k.v.kind == VerdictKind::Violated);
  REQUIRE(k.v.trace);
  return k;
}

// The JSON the page embeds.
json embedded(const std::string& html)
{
  const std::string open = "<script type=\"application/json\" id=\"keel-trace-data\">";
  size_t b = html.find(open);
  REQUIRE(b != std::string::npos);
  b += open.size();
  size_t e = html.find("</script>", b);
  REQUIRE(e != std::string::npos);
  return json::parse(html.substr(b, e - b));
}

size_t count(const std::string& s, const std::string& what)
{
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

// Two processes and a network; the receiver's assertion fails, with a
// message full of characters that mean something in HTML.
const char* kPingSpec = R"(protocol HtmlPing
type Id = 0..1
message Msg = Ping(from: Id)
network net: unordered Msg capacity 2
process Node(self: Id) {
  var sent: bool = false
  action Send when self == 0 && !sent { sent := true; send net(Ping(self)) }
  action Recv when self == 1 {
    receive m from net
    assert m.from != 0, "</script><b>x < y & 'z'</b>"
  }
}
)";

// A duplicated vote: a fault step, and messages between three processes.
const char* kVoteSpec = R"(protocol Vote
type Id = 0..2
message Msg = Vote(from: Id) | Decide
network inbox[Id]: unordered Msg capacity 2
process Node(self: Id) {
  var voted: bool = false
  var votes: 0..3 = 0
  var decided: bool = false
  action Cast when self != 0 && !voted { voted := true; send inbox[0](Vote(self)) }
  action Tally when self == 0 { receive m from inbox[self] where m is Vote; votes := votes + 1 }
  action Announce when self == 0 && votes >= 2 && !decided {
    decided := true
    send inbox[1](Decide)
    send inbox[2](Decide)
  }
  action Learn when self != 0 { receive m from inbox[self] where m is Decide; decided := true }
}
fault duplicate(inbox) at most 1
invariant DecidedVoted: forall i: Id . (i != 0 && Node[i].decided) => Node[i].voted
)";

}  // namespace

TEST_CASE("trace_html: self-contained, with every step label and variable name", "[trace][html]")
{
  Checked k = check(kVoteSpec);
  const Model& m = k.c.m();
  std::string html = trace_html(m, *k.v.trace, "spec.keel", k.v);

  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  // No external resources: no scripts, styles, images or fonts from the network.
  for (const char* bad : {"src=\"http", "src='http", "href=\"http", "href='http", "src=\"//", "href=\"//", "<link",
                          "@import", "url(http", "url(//"})
    CHECK(html.find(bad) == std::string::npos);
  CHECK(count(html, "<script") == 2);  // the data and the viewer, both inline
  CHECK(html.find("<script src") == std::string::npos);
  CHECK(html.find("<style>") != std::string::npos);

  for (const TraceStep& st : k.v.trace->steps) CHECK(html.find(step_label(m, st)) != std::string::npos);
  for (const Variable& v : m.vars) CHECK(html.find(v.name) != std::string::npos);
}

TEST_CASE("trace_html: the embedded data: lanes, messages, faults, changes", "[trace][html]")
{
  Checked k = check(kVoteSpec);
  const Model& m = k.c.m();
  json d = embedded(trace_html(m, *k.v.trace, "spec.keel", k.v));

  CHECK(d["model"] == "Vote");
  CHECK(d["source"] == "spec.keel");
  CHECK(d["verdict"]["kind"] == "violated");
  CHECK(d["verdict"]["violation"] == "invariant");
  CHECK(d["verdict"]["property"] == "DecidedVoted");
  CHECK(d["verdict"]["location"].get<std::string>().rfind("spec.keel:", 0) == 0);
  CHECK(d["length"] == 6);
  CHECK(d["loop"].is_null());
  CHECK(d["failing"].is_null());

  // One lane per identity of Node, then one for the (global) fault action.
  REQUIRE(d["lanes"].size() == 4);
  CHECK(d["lanes"][0]["title"] == "Node[0]");
  CHECK(d["lanes"][1]["title"] == "Node[1]");
  CHECK(d["lanes"][2]["title"] == "Node[2]");
  CHECK(d["lanes"][3]["title"] == "global");

  REQUIRE(d["states"].size() == 7);
  REQUIRE(d["steps"].size() == 6);
  CHECK(d["vars"].size() == m.vars.size());
  CHECK(d["vars"][0]["name"] == "inbox");
  CHECK(d["vars"][0]["network"] == true);

  // Step 1: Node[1] casts its vote: a message sent to inbox[0].
  const json& s1 = d["steps"][0];
  CHECK(s1["label"] == "Node[1].Cast");
  CHECK(s1["lane"] == 1);
  CHECK(s1["fault"] == false);
  CHECK(s1["sent"] == json::array({json{{"chan", "inbox[0]"}, {"msg", "Vote(1)"}}}));
  CHECK(s1["received"].empty());
  CHECK(s1["local"] == json::array({json{{"name", "voted"}, {"old", "false"}, {"new", "true"}}}));
  // Step 2: the fault duplicates the vote: it appears, sent by the fault.
  const json& s2 = d["steps"][1];
  CHECK(s2["fault"] == true);
  CHECK(s2["fault_kind"] == "duplicate(inbox)");
  CHECK(s2["lane"] == 3);
  CHECK(s2["sent"] == json::array({json{{"chan", "inbox[0]"}, {"msg", "Vote(1)"}}}));
  // Steps 3 and 4: Node[0] receives both copies.
  CHECK(d["steps"][2]["lane"] == 0);
  CHECK(d["steps"][2]["received"] == json::array({json{{"chan", "inbox[0]"}, {"msg", "Vote(1)"}}}));
  CHECK(d["steps"][3]["received"].size() == 1);
  // Step 5: Announce sends two messages; step 6: Node[2] receives one.
  CHECK(d["steps"][4]["sent"].size() == 2);
  CHECK(d["steps"][5]["label"] == "Node[2].Learn(m = Decide)");
  CHECK(d["steps"][5]["lane"] == 2);
  CHECK(d["steps"][5]["received"] == json::array({json{{"chan", "inbox[2]"}, {"msg", "Decide"}}}));

  // Changed variables, by index.
  for (const json& s : d["steps"])
  {
    size_t i = s["state"].get<size_t>();
    for (size_t v = 0; v < m.vars.size(); ++v)
    {
      bool changed = d["states"][i - 1][v] != d["states"][i][v];
      bool listed = false;
      for (auto& c : s["changed"]) listed = listed || c.get<size_t>() == v;
      CHECK(changed == listed);
    }
  }
}

TEST_CASE("trace_html: escapes what it embeds; the failing step", "[trace][html]")
{
  Checked k = check(kPingSpec);
  const Model& m = k.c.m();
  REQUIRE(k.v.trace->failing_step);
  std::string html = trace_html(m, *k.v.trace, "dir/<spec>&.keel", k.v);

  // The assertion's message would close the script element and inject markup.
  CHECK(html.find("</script><b>") == std::string::npos);
  CHECK(html.find("<b>x") == std::string::npos);
  CHECK(html.find("x < y") == std::string::npos);
  CHECK(html.find("\\u003c/script\\u003e\\u003cb\\u003ex \\u003c y \\u0026 'z'") != std::string::npos);
  CHECK(count(html, "</script>") == 2);
  // The source path is escaped in the page's header.
  CHECK(html.find("dir/&lt;spec&gt;&amp;.keel") != std::string::npos);
  CHECK(html.find("<spec>") == std::string::npos);

  json d = embedded(html);
  CHECK(d["source"] == "dir/<spec>&.keel");  // and decodes back exactly
  CHECK(d["verdict"]["violation"] == "assert");
  CHECK(d["verdict"]["message"].get<std::string>().find("</script><b>x < y & 'z'</b>") != std::string::npos);
  REQUIRE(d["steps"].size() == 1);
  CHECK(d["steps"][0]["sent"] == json::array({json{{"chan", "net"}, {"msg", "Ping(0)"}}}));
  REQUIRE(d["failing"].is_object());
  CHECK(d["failing"]["label"] == "Node[1].Recv(m = Ping(0))");
  CHECK(d["failing"]["lane"] == 1);
  CHECK(d["failing"]["state"] == 2);
  CHECK(html.find("Node[1].Recv(m = Ping(0))") != std::string::npos);
}

TEST_CASE("trace_html: a lasso's loop; a spec without processes", "[trace][html]")
{
  Checked k = check(R"(protocol Loop
var x: 0..3 = 0
action Inc when x < 2 { x := x + 1 }
invariant Small: x < 2
)");
  Trace t = *k.v.trace;
  t.loop = 1;
  json d = embedded(trace_html(k.c.m(), t, "loop.keel", k.v));
  CHECK(d["loop"] == 1);
  REQUIRE(d["lanes"].size() == 1);
  CHECK(d["lanes"][0]["title"] == "global");
  CHECK(d["steps"][0]["lane"] == 0);
  CHECK(d["steps"][0]["changed"] == json::array({0}));
  CHECK(d["states"] == json::array({json::array({"0"}), json::array({"1"}), json::array({"2"})}));
}

TEST_CASE("trace_html: a failure while computing the initial states", "[trace][html]")
{
  Checked k = check(R"(protocol InitFail
var x: 0..2 = 0
init { choose v: 0..2; x := v; assert v < 1, "boom" }
action A { x := 0 }
)");
  REQUIRE(k.v.trace->failing_step);
  json d = embedded(trace_html(k.c.m(), *k.v.trace, "init.keel", k.v));
  CHECK(d["states"] == json::array());
  CHECK(d["steps"] == json::array());
  REQUIRE(d["failing"].is_object());
  CHECK(d["failing"]["action"] == "init");
  CHECK(d["failing"]["lane"] == -1);
}
