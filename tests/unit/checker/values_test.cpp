// checker/values: printing encoded values as Keel text and as ITF JSON.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace keel;
using namespace keel::test;
using nlohmann::json;

namespace
{

const char* kSpec = R"(
enum Color { red, green, blue }
message Msg = A(x: 0..3, c: Color) | B
var b: bool = true
var f: bool
var i: -2..5 = -1
var c: Color = green
var r: record { f: 0..3, g: bool } = { f: 2, g: true }
var arr: [0..2] bool = [k: 0..2 => k == 1]
var ck: [Color] 0..1 = [_ => 1]
var sk: [set<0..1>] 0..3 = [k: set<0..1> => if k == {1} then 3 else 0]
var s: set<0..3> = {0, 2}
var es: set<0..3> = {}
var q: seq<0..9, 3> = [4, 5]
var eq: seq<0..9, 3> = []
var bg: bag<Color, 3> = {red, blue, blue}
var ebg: bag<Color, 3> = {}
var ma: Msg = A(3, blue)
var mb: Msg = B
var sr: set<record { p: bool }> = { { p: true } }
var nested: record { inner: record { v: 0..1 }, l: seq<bool, 2> } = { inner: { v: 1 }, l: [true, false] }
)";

struct Fixture
{
  Compiled c = compile(kSpec);
  State s;
  Fixture()
  {
    if (!c.ok()) FAIL("does not compile:\n" << c.rendered);
    auto init = initial_states(c.m());
    REQUIRE(init.size() == 1);
    s = init[0];
  }
  std::string text(const std::string& name) const { return text_var(c.m(), s, name); }
  json itf(const std::string& name) const
  {
    const Variable& v = var(c.m(), name);
    return value_itf(v.type, s.data(), v.offset);
  }
};

json big(int64_t v)
{
  return json{{"#bigint", std::to_string(v)}};
}

}  // namespace

TEST_CASE("values: scalar text", "[values]")
{
  Fixture fx;
  CHECK(fx.text("b") == "true");
  CHECK(fx.text("f") == "false");
  CHECK(fx.text("i") == "-1");
  CHECK(fx.text("c") == "green");
}

TEST_CASE("values: composite text", "[values]")
{
  Fixture fx;
  CHECK(fx.text("r") == "{ f: 2, g: true }");
  CHECK(fx.text("arr") == "[0 => false, 1 => true, 2 => false]");
  CHECK(fx.text("ck") == "[red => 1, green => 1, blue => 1]");
  // An array with a composite key lists the slots without keys.
  CHECK(fx.text("sk") == "[0, 0, 3, 0]");
  CHECK(fx.text("s") == "{0, 2}");
  CHECK(fx.text("es") == "{}");
  CHECK(fx.text("q") == "[4, 5]");
  CHECK(fx.text("eq") == "[]");
  CHECK(fx.text("bg") == "bag{red, blue x2}");
  CHECK(fx.text("ebg") == "bag{}");
  CHECK(fx.text("ma") == "A(3, blue)");
  CHECK(fx.text("mb") == "B");
  CHECK(fx.text("sr") == "{{ p: true }}");
  CHECK(fx.text("nested") == "{ inner: { v: 1 }, l: [true, false] }");
}

TEST_CASE("values: scalar ITF", "[values][itf]")
{
  Fixture fx;
  CHECK(fx.itf("b") == json(true));
  CHECK(fx.itf("f") == json(false));
  CHECK(fx.itf("i") == big(-1));
  CHECK(fx.itf("i").dump() == R"({"#bigint":"-1"})");
  CHECK(fx.itf("c") == json("green"));
}

TEST_CASE("values: composite ITF", "[values][itf]")
{
  Fixture fx;
  CHECK(fx.itf("r") == json{{"f", big(2)}, {"g", true}});
  CHECK(fx.itf("arr") == json{{"#map", json::array({json::array({big(0), false}), json::array({big(1), true}),
                                                    json::array({big(2), false})})}});
  CHECK(fx.itf("ck").dump() ==
        R"({"#map":[["red",{"#bigint":"1"}],["green",{"#bigint":"1"}],["blue",{"#bigint":"1"}]]})");
  CHECK(
      fx.itf("sk").dump() ==
      R"({"#map":[[{"#set":[]},{"#bigint":"0"}],[{"#set":[{"#bigint":"0"}]},{"#bigint":"0"}],)"
      R"([{"#set":[{"#bigint":"1"}]},{"#bigint":"3"}],[{"#set":[{"#bigint":"0"},{"#bigint":"1"}]},{"#bigint":"0"}]]})");
  CHECK(fx.itf("s").dump() == R"({"#set":[{"#bigint":"0"},{"#bigint":"2"}]})");
  CHECK(fx.itf("es").dump() == R"({"#set":[]})");
  CHECK(fx.itf("q").dump() == R"([{"#bigint":"4"},{"#bigint":"5"}])");
  CHECK(fx.itf("eq").dump() == "[]");
  CHECK(fx.itf("bg").dump() == R"({"#map":[["red",{"#bigint":"1"}],["blue",{"#bigint":"2"}]]})");
  CHECK(fx.itf("ebg").dump() == R"({"#map":[]})");
  CHECK(fx.itf("ma") == json{{"tag", "A"}, {"value", {{"x", big(3)}, {"c", "blue"}}}});
  CHECK(fx.itf("mb") == json{{"tag", "B"}, {"value", json::object()}});
  CHECK(fx.itf("sr").dump() == R"({"#set":[{"p":true}]})");
  CHECK(fx.itf("nested") == json{{"inner", {{"v", big(1)}}}, {"l", json::array({true, false})}});
}

TEST_CASE("values: printing at an unaligned position across words", "[values]")
{
  TypeTable tt;
  const Type* t = tt.seq(tt.range(0, 1000), 3);  // 2 + 3 * 10 bits
  std::vector<uint64_t> w(3, 0);
  size_t pos = 50;
  bits::set(w.data(), pos, 2, 3);
  bits::set(w.data(), pos + 2, 10, 999);
  bits::set(w.data(), pos + 12, 10, 0);
  bits::set(w.data(), pos + 22, 10, 512);
  CHECK(value_text(t, w.data(), pos) == "[999, 0, 512]");
  CHECK(value_itf(t, w.data(), pos).dump() == R"([{"#bigint":"999"},{"#bigint":"0"},{"#bigint":"512"}])");
}

TEST_CASE("values: the int type prints as a signed 64-bit number", "[values]")
{
  TypeTable tt;
  uint64_t w[2] = {static_cast<uint64_t>(int64_t{-42}), 0};
  CHECK(value_text(tt.int_type(), w, 0) == "-42");
  CHECK(value_itf(tt.int_type(), w, 0) == big(-42));
}
