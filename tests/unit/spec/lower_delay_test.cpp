// The delay fault's lowering, step by step: what a held message does to the
// transitions (the regression specs count states; some of these rules change
// transitions only, so they are checked here).
#include <algorithm>
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support.hpp"

using namespace keel;
using namespace keel::test;

namespace
{

const char* const kOneMessage = R"(
protocol DelayUnit
message Msg = M
network chan: unordered Msg capacity 1
var sent: bool = false
var got: bool = false
var work: 0..2 = 0
action Send when !sent { send chan(M); sent := true }
action Work when sent && work < 2 { work := work + 1 }
action Recv { receive m from chan; got := true }
fault delay(chan) by 1 at most 1
)";

struct Successors
{
  std::vector<std::string> actions;
  std::vector<State> states;
};

Successors successors_named(const Model& m, const State& s)
{
  Evaluator ev(m);
  Collect c(m.state_words);
  ev.successors(s.data(), c);
  Successors out;
  for (uint32_t a : c.actions) out.actions.push_back(m.actions[a].name);
  out.states = c.states;
  return out;
}

// The one successor of `s` by the action named `name`.
State take(const Model& m, const State& s, const std::string& name)
{
  Successors next = successors_named(m, s);
  std::optional<State> found;
  for (size_t i = 0; i < next.actions.size(); ++i)
    if (next.actions[i] == name)
    {
      REQUIRE_FALSE(found);
      found = next.states[i];
    }
  REQUIRE(found);
  return *found;
}

bool can_take(const Model& m, const State& s, const std::string& name)
{
  Successors next = successors_named(m, s);
  return std::find(next.actions.begin(), next.actions.end(), name) != next.actions.end();
}

}  // namespace

TEST_CASE("delay: the message is held, counted down by protocol steps, and due after D", "[lower][faults]")
{
  Compiled c = compile(kOneMessage);
  REQUIRE(c.ok());
  const Model& m = c.m();
  auto init = initial_states(m);
  REQUIRE(init.size() == 1);
  State sent = take(m, init[0], "Send");
  State held = take(m, sent, "delay");
  CHECK(text_var(m, held, "chan") == "bag{}");
  CHECK(text_var(m, held, "delay(chan).held") == "[0 => bag{}, 1 => bag{M}]");
  CHECK(int_var(m, held, "delay(chan).used") == 1);
  CHECK_FALSE(can_take(m, held, "Recv"));  // a held message cannot be received
  State due = take(m, held, "Work");       // a protocol step counts it down
  CHECK(text_var(m, due, "delay(chan).held") == "[0 => bag{M}, 1 => bag{}]");
  // Due: nothing but the release may happen.
  Successors next = successors_named(m, due);
  REQUIRE(next.actions.size() == 1);
  CHECK(next.actions[0] == "release");
  CHECK(text_var(m, next.states[0], "chan") == "bag{M}");
  CHECK(text_var(m, next.states[0], "delay(chan).held") == "[0 => bag{}, 1 => bag{}]");
  // An early release is possible too, and no second delay (budget 1).
  State back = take(m, held, "release");
  CHECK(text_var(m, back, "chan") == "bag{M}");
  CHECK_FALSE(can_take(m, back, "delay"));
}

TEST_CASE("delay: fault actions take no time", "[lower][faults]")
{
  Compiled c = compile(std::string(kOneMessage) + "fault gst(chan)\n");
  REQUIRE(c.ok());
  const Model& m = c.m();
  State held = take(m, take(m, initial_states(m)[0], "Send"), "delay");
  State after_gst = take(m, held, "gst");
  CHECK(text_var(m, after_gst, "delay(chan).held") == "[0 => bag{}, 1 => bag{M}]");
}

TEST_CASE("delay: gst stops new delays, and held messages still come back", "[lower][faults]")
{
  Compiled c = compile(std::string(kOneMessage) + "fault gst(chan)\n");
  REQUIRE(c.ok());
  const Model& m = c.m();
  State sent = take(m, initial_states(m)[0], "Send");
  CHECK(can_take(m, sent, "delay"));
  CHECK_FALSE(can_take(m, take(m, sent, "gst"), "delay"));
  // Held before the stabilisation point: released after it, early or when due.
  State held_then_gst = take(m, take(m, sent, "delay"), "gst");
  CHECK(can_take(m, held_then_gst, "release"));
  State due = take(m, held_then_gst, "Work");
  Successors next = successors_named(m, due);
  REQUIRE(next.actions.size() == 1);
  CHECK(next.actions[0] == "release");
  // gst itself waits while a message is due.
  CHECK_FALSE(can_take(m, take(m, take(m, sent, "delay"), "Work"), "gst"));
}

TEST_CASE("delay: release is weakly fair when the budget is positive", "[lower][faults]")
{
  Compiled c = compile(kOneMessage);
  REQUIRE(c.ok());
  REQUIRE(c.m().fairness.size() == 1);
  const Fairness& f = c.m().fairness[0];
  CHECK_FALSE(f.strong);
  CHECK_FALSE(f.per_instance);
  REQUIRE(f.actions.size() == 1);
  CHECK(c.m().actions[f.actions[0]].name == "release");
  CHECK(c.m().actions[f.actions[0]].is_fault);

  LowerOptions none;
  none.fault_budgets["delay"] = 0;
  Compiled zero = compile(kOneMessage, none);
  REQUIRE(zero.ok());
  CHECK(zero.m().fairness.empty());
}

TEST_CASE("delay: an indexed network holds messages per channel", "[lower][faults]")
{
  Compiled c = compile(R"(
protocol DelayIndexedUnit
type Ch = 0..1
message Msg = M
network chan[Ch]: ordered Msg capacity 2
action Send(c: Ch) when len(chan[c]) == 0 { send chan[c](M) }
fault delay(chan) by 2 at most 2
)");
  REQUIRE(c.ok());
  const Model& m = c.m();
  State s = initial_states(m)[0];
  // Send(c = 1): the second Send successor (c = 0 comes first).
  Successors next = successors_named(m, s);
  REQUIRE(next.actions.size() == 2);
  s = next.states[1];
  s = take(m, s, "delay");
  CHECK(text_var(m, s, "delay(chan).held") ==
        "[0 => [0 => bag{}, 1 => bag{}], 1 => [0 => bag{}, 1 => bag{}], 2 => [0 => bag{}, 1 => bag{M}]]");
  CHECK(text_var(m, s, "chan") == "[0 => [], 1 => []]");
}
