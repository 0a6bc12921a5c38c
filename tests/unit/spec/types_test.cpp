// spec/types: interning (structural types are one pointer per structure,
// enums and messages are nominal), widths, cardinalities, offsets and limits.
#include "spec/types.hpp"

#include <catch2/catch.hpp>

using namespace keel;

TEST_CASE("types: bits_for is ceil(log2(card))", "[types]")
{
  CHECK(bits_for(0) == 0);
  CHECK(bits_for(1) == 0);
  CHECK(bits_for(2) == 1);
  CHECK(bits_for(3) == 2);
  CHECK(bits_for(4) == 2);
  CHECK(bits_for(5) == 3);
  CHECK(bits_for(256) == 8);
  CHECK(bits_for(257) == 9);
  CHECK(bits_for(uint64_t{1} << 32) == 32);
  CHECK(bits_for((uint64_t{1} << 32) + 1) == 33);
  CHECK(bits_for(uint64_t{1} << 63) == 63);
  CHECK(bits_for((uint64_t{1} << 63) + 1) == 64);
  CHECK(bits_for(~uint64_t{0}) == 64);
  // Property: 2^(b-1) < card <= 2^b.
  for (uint64_t card = 2; card < 5000; ++card)
  {
    uint32_t b = bits_for(card);
    CHECK((uint64_t{1} << b) >= card);
    CHECK((uint64_t{1} << (b - 1)) < card);
  }
}

TEST_CASE("types: bool and int", "[types]")
{
  TypeTable tt;
  CHECK(tt.bool_type()->kind == TypeKind::Bool);
  CHECK(tt.bool_type()->bits == 1);
  CHECK(tt.bool_type()->card == 2);
  CHECK(tt.bool_type()->is_finite());
  CHECK(tt.bool_type()->is_scalar());
  CHECK(tt.int_type()->kind == TypeKind::Int);
  CHECK(tt.int_type()->bits == 64);
  CHECK(tt.int_type()->card == kCardInfinite);
  CHECK_FALSE(tt.int_type()->is_finite());
  CHECK(tt.int_type()->is_intlike());
  CHECK(tt.bool_type()->name == "bool");
  CHECK(tt.int_type()->name == "int");
}

TEST_CASE("types: ranges are interned and sized", "[types]")
{
  TypeTable tt;
  const Type* a = tt.range(0, 3);
  CHECK(a == tt.range(0, 3));
  CHECK(a != tt.range(0, 4));
  CHECK(a != tt.range(1, 3));
  CHECK(a->name == "0..3");
  CHECK(a->card == 4);
  CHECK(a->bits == 2);
  CHECK(a->is_intlike());
  CHECK(a->is_scalar());

  const Type* single = tt.range(5, 5);
  CHECK(single->card == 1);
  CHECK(single->bits == 0);

  const Type* neg = tt.range(-3, 4);
  CHECK(neg->card == 8);
  CHECK(neg->bits == 3);
  CHECK(neg->name == "-3..4");

  const Type* five = tt.range(0, 4);
  CHECK(five->card == 5);
  CHECK(five->bits == 3);

  // A second table interns separately.
  TypeTable other;
  CHECK(other.range(0, 3) != a);
}

TEST_CASE("types: enums are nominal", "[types]")
{
  TypeTable tt;
  Type* e1 = tt.new_enum("Color", {"red", "green", "blue"});
  Type* e2 = tt.new_enum("Color", {"red", "green", "blue"});
  CHECK(e1 != e2);
  CHECK(e1->card == 3);
  CHECK(e1->bits == 2);
  CHECK(e1->is_scalar());
  CHECK_FALSE(e1->is_intlike());
  Type* one = tt.new_enum("One", {"only"});
  CHECK(one->card == 1);
  CHECK(one->bits == 0);
  // Sets of two distinct enums are distinct too.
  CHECK(tt.set(e1) != tt.set(e2));
}

TEST_CASE("types: records lay fields side by side and are interned by structure", "[types]")
{
  TypeTable tt;
  const Type* r = tt.record({{"f", tt.bool_type(), 0}, {"g", tt.range(0, 2), 0}, {"h", tt.range(0, 15), 0}});
  CHECK(r->kind == TypeKind::Record);
  CHECK(r->bits == 1 + 2 + 4);
  CHECK(r->card == 2 * 3 * 16);
  REQUIRE(r->fields.size() == 3);
  CHECK(r->fields[0].offset == 0);
  CHECK(r->fields[1].offset == 1);
  CHECK(r->fields[2].offset == 3);
  CHECK(r->field_index("g") == 1);
  CHECK(r->field_index("nope") == -1);
  CHECK(r->name == "record { f: bool, g: 0..2, h: 0..15 }");
  CHECK(r == tt.record({{"f", tt.bool_type(), 0}, {"g", tt.range(0, 2), 0}, {"h", tt.range(0, 15), 0}}));
  // Field names and order matter.
  CHECK(r != tt.record({{"f", tt.bool_type(), 0}, {"k", tt.range(0, 2), 0}, {"h", tt.range(0, 15), 0}}));
  CHECK(r != tt.record({{"g", tt.range(0, 2), 0}, {"f", tt.bool_type(), 0}, {"h", tt.range(0, 15), 0}}));
  const Type* empty = tt.record({});
  CHECK(empty->bits == 0);
  CHECK(empty->card == 1);
}

TEST_CASE("types: arrays", "[types]")
{
  TypeTable tt;
  const Type* a = tt.array(tt.range(0, 2), tt.bool_type());
  CHECK(a->bits == 3);
  CHECK(a->card == 8);
  CHECK(a == tt.array(tt.range(0, 2), tt.bool_type()));
  CHECK(a != tt.array(tt.range(0, 3), tt.bool_type()));
  CHECK(a->name == "[0..2] bool");
  const Type* b = tt.array(tt.bool_type(), tt.range(0, 2));
  CHECK(b->bits == 4);
  CHECK(b->card == 9);
  const Type* nested = tt.array(tt.range(1, 3), a);
  CHECK(nested->bits == 9);
  CHECK(nested->card == 512);
  // Cardinalities saturate instead of wrapping.
  const Type* huge = tt.array(tt.range(0, 9), tt.range(0, 1000));
  CHECK(huge->card == kCardInfinite);
  CHECK_FALSE(huge->is_finite());
  CHECK(huge->bits == 100);
}

TEST_CASE("types: sets are one bit per element", "[types]")
{
  TypeTable tt;
  const Type* s = tt.set(tt.range(0, 2));
  CHECK(s->bits == 3);
  CHECK(s->card == 8);
  CHECK(s == tt.set(tt.range(0, 2)));
  CHECK(s->name == "set<0..2>");
  CHECK(tt.set(tt.range(0, 62))->card == uint64_t{1} << 63);
  CHECK(tt.set(tt.range(0, 63))->card == kCardInfinite);
  CHECK(tt.set(tt.range(0, 63))->bits == 64);
  CHECK(tt.set(tt.bool_type())->card == 4);
}

TEST_CASE("types: sequences hold a length and capacity slots", "[types]")
{
  TypeTable tt;
  const Type* s = tt.seq(tt.range(0, 2), 3);
  CHECK(s->aux_bits == 2);  // lengths 0..3
  CHECK(s->bits == 2 + 3 * 2);
  CHECK(s->card == 1 + 3 + 9 + 27);  // 40
  CHECK(s->capacity == 3);
  CHECK(s->name == "seq<0..2, 3>");
  CHECK(s == tt.seq(tt.range(0, 2), 3));
  CHECK(s != tt.seq(tt.range(0, 2), 2));
  CHECK(s != tt.seq(tt.range(0, 3), 3));

  const Type* empty = tt.seq(tt.bool_type(), 0);
  CHECK(empty->card == 1);
  CHECK(empty->bits == 0);
  const Type* four = tt.seq(tt.bool_type(), 4);
  CHECK(four->aux_bits == 3);  // lengths 0..4
  CHECK(four->bits == 3 + 4);
  CHECK(four->card == 1 + 2 + 4 + 8 + 16);
  // A single-valued element: only the length varies.
  const Type* unit = tt.seq(tt.range(7, 7), 5);
  CHECK(unit->card == 6);
  CHECK(unit->bits == 3);
  const Type* longest = tt.seq(tt.range(0, 0), 65535);  // computed without 65535^2 steps
  CHECK(longest->card == 65536);
  CHECK(longest->bits == 16);
  // Cardinalities saturate instead of wrapping.
  CHECK(tt.seq(tt.range(0, 255), 9)->card == kCardInfinite);
  CHECK(tt.seq(tt.range(0, 255), 7)->card == 1 + 256 + 65536 + (uint64_t{1} << 24) + (uint64_t{1} << 32) +
                                                 (uint64_t{1} << 40) + (uint64_t{1} << 48) + (uint64_t{1} << 56));
}

TEST_CASE("types: bags hold a count per element value", "[types]")
{
  TypeTable tt;
  const Type* b = tt.bag(tt.range(0, 2), 2);
  CHECK(b->aux_bits == 2);  // counts 0..2
  CHECK(b->bits == 3 * 2);
  CHECK(b->card == 27);
  CHECK(b->name == "bag<0..2, 2>");
  CHECK(b == tt.bag(tt.range(0, 2), 2));
  CHECK(b != tt.bag(tt.range(0, 2), 3));
  // A bag and a sequence of the same element and capacity differ.
  CHECK(static_cast<const void*>(tt.seq(tt.range(0, 2), 2)) != static_cast<const void*>(b));
  const Type* one = tt.bag(tt.bool_type(), 1);
  CHECK(one->aux_bits == 1);
  CHECK(one->bits == 2);
  CHECK(one->card == 4);
}

TEST_CASE("types: messages are a tag and the widest payload, nominal", "[types]")
{
  TypeTable tt;
  std::vector<Type::Variant> vs = {
      {"A", {{"f", tt.bool_type(), 0}}},
      {"B", {}},
      {"C", {{"g", tt.range(0, 3), 0}, {"h", tt.bool_type(), 0}}},
  };
  Type* m = tt.new_message("Msg", vs);
  CHECK(m->kind == TypeKind::Message);
  CHECK(m->aux_bits == 2);
  CHECK(m->bits == 2 + 3);
  CHECK(m->card == 2 + 1 + 8);
  CHECK(m->variant_index("C") == 2);
  CHECK(m->variant_index("D") == -1);
  CHECK(m->variants[2].fields[0].offset == 0);
  CHECK(m->variants[2].fields[1].offset == 2);
  CHECK(tt.new_message("Msg", vs) != m);

  Type* single = tt.new_message("One", {{"Only", {{"x", tt.range(0, 4), 0}}}});
  CHECK(single->aux_bits == 0);
  CHECK(single->bits == 3);
  CHECK(single->card == 5);
  Type* tags = tt.new_message("Tags", {{"P", {}}, {"Q", {}}, {"R", {}}, {"S", {}}, {"T", {}}});
  CHECK(tags->aux_bits == 3);
  CHECK(tags->bits == 3);
  CHECK(tags->card == 5);
}

TEST_CASE("types: composite types over composite elements", "[types]")
{
  TypeTable tt;
  const Type* r = tt.record({{"a", tt.bool_type(), 0}, {"b", tt.range(0, 2), 0}});  // card 6, 3 bits
  const Type* s = tt.set(r);
  CHECK(s->bits == 6);
  CHECK(s->card == 64);
  const Type* q = tt.seq(r, 2);
  CHECK(q->card == 1 + 6 + 36);
  CHECK(q->bits == 2 + 2 * 3);
  const Type* b = tt.bag(r, 1);
  CHECK(b->card == 64);
  CHECK(b->bits == 6);
  CHECK(tt.set(r) == s);
}

TEST_CASE("types: check_composite_limits", "[types]")
{
  TypeTable tt;
  CHECK(check_composite_limits(TypeKind::Array, tt.range(0, 9), tt.bool_type(), 0).empty());
  CHECK_FALSE(check_composite_limits(TypeKind::Array, tt.int_type(), tt.bool_type(), 0).empty());
  CHECK_FALSE(check_composite_limits(TypeKind::Array, tt.range(0, 70000), tt.bool_type(), 0).empty());
  CHECK(check_composite_limits(TypeKind::Array, tt.range(0, 65535), tt.bool_type(), 0).empty());
  CHECK(
      check_composite_limits(TypeKind::Array, tt.range(0, 65535), tt.range(0, 65535), 0).empty());  // exactly 2^20 bits
  CHECK_FALSE(check_composite_limits(TypeKind::Array, tt.range(0, 65535), tt.range(0, 70000), 0).empty());
  CHECK(check_composite_limits(TypeKind::Set, tt.range(0, 65535), tt.range(0, 65535), 0).empty());
  CHECK_FALSE(check_composite_limits(TypeKind::Set, tt.range(0, 65536), tt.range(0, 65536), 0).empty());
  CHECK_FALSE(check_composite_limits(TypeKind::Bag, tt.int_type(), tt.int_type(), 1).empty());
  CHECK(check_composite_limits(TypeKind::Seq, tt.bool_type(), tt.bool_type(), 1000).empty());
  CHECK_FALSE(check_composite_limits(TypeKind::Seq, tt.range(0, 1023), tt.range(0, 1023), 200000).empty());
}
