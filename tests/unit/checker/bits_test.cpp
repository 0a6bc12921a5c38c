// checker/bits.hpp: bit-string primitives, checked property-style against a
// naive model (a vector of bools) at random positions, with many crossings
// of 64-bit word boundaries.
#include "checker/bits.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

using namespace keel;

namespace
{

constexpr size_t kWords = 8;
constexpr size_t kBits = kWords * 64;

// A word array and its naive model, kept in step.
struct Pair
{
  std::vector<uint64_t> w = std::vector<uint64_t>(kWords + 1, 0);  // +1 spare, as the engines keep
  std::vector<bool> b = std::vector<bool>(kBits + 64, false);

  void randomize(std::mt19937_64& rng)
  {
    for (size_t i = 0; i < kWords; ++i) w[i] = rng();
    sync_from_words();
  }
  void sync_from_words()
  {
    for (size_t i = 0; i < kBits; ++i) b[i] = (w[i / 64] >> (i % 64)) & 1;
  }
  bool matches() const
  {
    for (size_t i = 0; i < kBits; ++i)
      if (b[i] != (((w[i / 64] >> (i % 64)) & 1) != 0)) return false;
    return true;
  }
};

uint64_t naive_get(const std::vector<bool>& b, size_t pos, unsigned n)
{
  uint64_t v = 0;
  for (unsigned k = 0; k < n; ++k)
    if (b[pos + k]) v |= uint64_t{1} << k;
  return v;
}

void naive_set(std::vector<bool>& b, size_t pos, unsigned n, uint64_t v)
{
  for (unsigned k = 0; k < n; ++k) b[pos + k] = (v >> k) & 1;
}

// Positions that stress word boundaries: near multiples of 64, or random.
size_t pick_pos(std::mt19937_64& rng, size_t max_pos)
{
  if (rng() % 2)
  {
    size_t word = rng() % (kWords);
    long delta = static_cast<long>(rng() % 9) - 4;
    long p = static_cast<long>(word * 64) + delta;
    if (p < 0) p = 0;
    if (static_cast<size_t>(p) > max_pos) p = static_cast<long>(max_pos);
    return static_cast<size_t>(p);
  }
  return rng() % (max_pos + 1);
}

unsigned pick_width(std::mt19937_64& rng)
{
  switch (rng() % 4)
  {
    case 0:
      return 64;
    case 1:
      return static_cast<unsigned>(60 + rng() % 5);
    case 2:
      return static_cast<unsigned>(rng() % 4);
    default:
      return static_cast<unsigned>(rng() % 65);
  }
}

}  // namespace

TEST_CASE("bits: mask", "[bits]")
{
  CHECK(bits::mask(0) == 0);
  CHECK(bits::mask(1) == 1);
  CHECK(bits::mask(5) == 31);
  CHECK(bits::mask(63) == ~uint64_t{0} >> 1);
  CHECK(bits::mask(64) == ~uint64_t{0});
  CHECK(bits::mask(100) == ~uint64_t{0});
}

TEST_CASE("bits: get and set at word boundaries", "[bits]")
{
  uint64_t w[3] = {0, 0, 0};
  bits::set(w, 60, 8, 0xAB);  // 4 bits in word 0, 4 in word 1
  CHECK(w[0] == uint64_t{0xB} << 60);
  CHECK(w[1] == 0xA);
  CHECK(bits::get(w, 60, 8) == 0xAB);
  bits::set(w, 1, 64, ~uint64_t{0});
  CHECK(w[0] == ~uint64_t{0} - 1);
  CHECK(w[1] == 0xB);  // bit 0 of word 1 set, bits 1..3 kept (0xA = 1010 -> 1011)
  CHECK(bits::get(w, 1, 64) == ~uint64_t{0});
  bits::set(w, 64, 64, 0x1234);
  CHECK(w[1] == 0x1234);
  CHECK(w[2] == 0);
  CHECK(bits::get(w, 0, 0) == 0);
  bits::set(w, 5, 0, ~uint64_t{0});  // zero width writes nothing
  CHECK(w[0] == ~uint64_t{0} - 1);
  // Values wider than n are truncated.
  uint64_t z[2] = {0, 0};
  bits::set(z, 62, 3, 0xFF);
  CHECK(z[0] == uint64_t{3} << 62);
  CHECK(z[1] == 1);
}

TEST_CASE("bits: get/set against the naive model", "[bits][property]")
{
  std::mt19937_64 rng(12345);
  Pair p;
  p.randomize(rng);
  for (int iter = 0; iter < 20000; ++iter)
  {
    unsigned n = pick_width(rng);
    size_t pos = pick_pos(rng, kBits - n);
    if (rng() % 2)
    {
      uint64_t v = rng();
      bits::set(p.w.data(), pos, n, v);
      naive_set(p.b, pos, n, v);
    }
    INFO("pos " << pos << " n " << n);
    REQUIRE(bits::get(p.w.data(), pos, n) == naive_get(p.b, pos, n));
    REQUIRE(p.w[kWords] == 0);  // never writes past the end
  }
  CHECK(p.matches());
}

TEST_CASE("bits: test and put against the naive model", "[bits][property]")
{
  std::mt19937_64 rng(7);
  Pair p;
  p.randomize(rng);
  for (int iter = 0; iter < 5000; ++iter)
  {
    size_t pos = rng() % kBits;
    bool v = rng() % 2;
    bits::put(p.w.data(), pos, v);
    p.b[pos] = v;
    size_t q = rng() % kBits;
    REQUIRE(bits::test(p.w.data(), q) == p.b[q]);
  }
  CHECK(p.matches());
}

TEST_CASE("bits: copy between buffers against the naive model", "[bits][property]")
{
  std::mt19937_64 rng(99);
  for (int iter = 0; iter < 4000; ++iter)
  {
    Pair src, dst;
    src.randomize(rng);
    dst.randomize(rng);
    size_t n;
    switch (rng() % 4)
    {
      case 0:
        n = 64 * (1 + rng() % 3);
        break;
      case 1:
        n = rng() % 8;
        break;
      default:
        n = rng() % 300;
        break;
    }
    size_t spos = rng() % 3 == 0 ? 64 * (rng() % 3) : pick_pos(rng, kBits - n);
    size_t dpos = rng() % 3 == 0 ? 64 * (rng() % 3) : pick_pos(rng, kBits - n);
    if (spos + n > kBits) spos = kBits - n;
    if (dpos + n > kBits) dpos = kBits - n;
    bits::copy(dst.w.data(), dpos, src.w.data(), spos, n);
    for (size_t k = 0; k < n; ++k) dst.b[dpos + k] = src.b[spos + k];
    INFO("spos " << spos << " dpos " << dpos << " n " << n);
    REQUIRE(dst.matches());
    REQUIRE(dst.w[kWords] == 0);
    REQUIRE(bits::equal(dst.w.data(), dpos, src.w.data(), spos, n));
  }
}

TEST_CASE("bits: copy within one buffer shifting down (as a FIFO pop does)", "[bits][property]")
{
  std::mt19937_64 rng(2024);
  for (int iter = 0; iter < 4000; ++iter)
  {
    Pair p;
    p.randomize(rng);
    size_t shift = rng() % 4 == 0 ? 64 * (1 + rng() % 2) : 1 + rng() % 130;
    size_t n = rng() % (kBits - shift - 1);
    size_t dpos = rng() % 3 == 0 ? 64 * (rng() % 2) : rng() % (kBits - shift - n);
    if (rng() % 4 == 0 && (shift % 64) == 0) dpos &= ~size_t{63};
    if (dpos + shift + n > kBits) dpos = kBits - shift - n;
    size_t spos = dpos + shift;
    std::vector<bool> expect = p.b;
    for (size_t k = 0; k < n; ++k) expect[dpos + k] = p.b[spos + k];
    bits::copy(p.w.data(), dpos, p.w.data(), spos, n);
    p.b = expect;
    INFO("spos " << spos << " dpos " << dpos << " n " << n);
    REQUIRE(p.matches());
  }
}

TEST_CASE("bits: zero, equal, popcount and combine against the naive model", "[bits][property]")
{
  std::mt19937_64 rng(5);
  for (int iter = 0; iter < 3000; ++iter)
  {
    Pair a, b;
    a.randomize(rng);
    b.randomize(rng);
    size_t n = rng() % 200;
    size_t apos = pick_pos(rng, kBits - n);
    size_t bpos = pick_pos(rng, kBits - n);
    if (apos + n > kBits) apos = kBits - n;
    if (bpos + n > kBits) bpos = kBits - n;

    size_t naive_pop = 0;
    for (size_t k = 0; k < n; ++k) naive_pop += a.b[apos + k];
    REQUIRE(bits::popcount(a.w.data(), apos, n) == naive_pop);

    bool naive_eq = true;
    for (size_t k = 0; k < n; ++k) naive_eq = naive_eq && a.b[apos + k] == b.b[bpos + k];
    REQUIRE(bits::equal(a.w.data(), apos, b.w.data(), bpos, n) == naive_eq);

    auto op = static_cast<bits::SetOp>(rng() % 3);
    Pair c = a;
    bits::combine(c.w.data(), apos, b.w.data(), bpos, n, op);
    for (size_t k = 0; k < n; ++k)
    {
      bool x = a.b[apos + k], y = b.b[bpos + k];
      c.b[apos + k] = op == bits::SetOp::Or ? (x || y) : op == bits::SetOp::And ? (x && y) : (x && !y);
    }
    REQUIRE(c.matches());

    Pair z = a;
    bits::zero(z.w.data(), apos, n);
    for (size_t k = 0; k < n; ++k) z.b[apos + k] = false;
    REQUIRE(z.matches());
    REQUIRE(bits::popcount(z.w.data(), apos, n) == 0);
  }
}

TEST_CASE("bits: equal detects a single differing bit anywhere", "[bits]")
{
  std::vector<uint64_t> a(5, 0x5555555555555555ull), b = a;
  for (size_t k = 3; k < 3 + 250; ++k)
  {
    b = a;
    b[k / 64] ^= uint64_t{1} << (k % 64);
    CHECK_FALSE(bits::equal(a.data(), 3, b.data(), 3, 250));
    CHECK(bits::equal(a.data(), 3, b.data(), 3, k - 3));  // the prefix before it
  }
}
