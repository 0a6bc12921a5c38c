#include "checker/smt/value.hpp"

#include <functional>
#include <limits>

#include "checker/smt/errors.hpp"

namespace keel::smt
{

namespace
{

size_t words_for(uint32_t width)
{
  return (static_cast<size_t>(width) + 63) / 64;
}

void check_width(uint32_t width)
{
  if (width == 0) user_error("a bit-vector needs a width of at least 1");
}

}  // namespace

BitVector BitVector::from_uint64(uint32_t width, uint64_t value)
{
  check_width(width);
  BitVector bv;
  bv.d_width = width;
  bv.d_words.assign(words_for(width), 0);
  bv.d_words[0] = width < 64 ? value & ((uint64_t{1} << width) - 1) : value;
  return bv;
}

BitVector BitVector::from_int64(uint32_t width, int64_t value)
{
  check_width(width);
  BitVector bv = from_uint64(width, static_cast<uint64_t>(value));
  if (value < 0)
  {
    // Sign-extend into the words above the first.
    for (size_t w = 1; w < bv.d_words.size(); ++w) bv.d_words[w] = ~uint64_t{0};
    uint32_t top = width % 64;
    if (top != 0 && bv.d_words.size() > 1) bv.d_words.back() &= (uint64_t{1} << top) - 1;
  }
  return bv;
}

BitVector BitVector::from_binary(std::string_view bits)
{
  if (bits.empty()) user_error("a bit-vector literal needs at least one bit");
  if (bits.size() > std::numeric_limits<uint32_t>::max()) user_error("bit-vector literal too wide");
  BitVector bv;
  bv.d_width = static_cast<uint32_t>(bits.size());
  bv.d_words.assign(words_for(bv.d_width), 0);
  for (uint32_t i = 0; i < bv.d_width; ++i)
  {
    char c = bits[bits.size() - 1 - i];
    if (c != '0' && c != '1') user_error("bad bit-vector literal '" + std::string(bits) + "': only 0 and 1 allowed");
    if (c == '1') bv.d_words[i / 64] |= uint64_t{1} << (i % 64);
  }
  return bv;
}

bool BitVector::bit(uint32_t i) const
{
  if (i >= d_width) user_error("bit " + std::to_string(i) + " of a " + std::to_string(d_width) + "-bit value");
  return (d_words[i / 64] >> (i % 64)) & 1;
}

uint64_t BitVector::to_uint64() const
{
  for (size_t w = 1; w < d_words.size(); ++w)
    if (d_words[w] != 0) user_error("bit-vector value " + to_smtlib() + " does not fit in 64 bits");
  return d_words.empty() ? 0 : d_words[0];
}

int64_t BitVector::to_int64() const
{
  if (d_width == 0) return 0;
  bool negative = bit(d_width - 1);
  if (d_width <= 64)
  {
    uint64_t v = d_words[0];
    if (negative && d_width < 64) v |= ~uint64_t{0} << d_width;  // sign-extend
    return static_cast<int64_t>(v);
  }
  // Wider: every bit from 63 up must equal the sign.
  for (uint32_t i = 63; i < d_width; ++i)
    if (bit(i) != negative) user_error("bit-vector value " + to_smtlib() + " does not fit in int64");
  return static_cast<int64_t>(d_words[0]);
}

std::string BitVector::to_binary() const
{
  std::string s(d_width, '0');
  for (uint32_t i = 0; i < d_width; ++i)
    if ((d_words[i / 64] >> (i % 64)) & 1) s[d_width - 1 - i] = '1';
  return s;
}

std::string BitVector::to_smtlib() const
{
  return "#b" + to_binary();
}

size_t BitVector::hash() const
{
  size_t h = std::hash<uint32_t>()(d_width);
  for (uint64_t w : d_words) h = h * 1000003u ^ std::hash<uint64_t>()(w);
  return h;
}

bool Value::as_bool() const
{
  if (!is_bool()) user_error("value " + to_smtlib() + " is not a Boolean");
  return std::get<bool>(d_value);
}

int64_t Value::as_int() const
{
  if (!is_int()) user_error("value " + to_smtlib() + " is not an integer");
  return std::get<int64_t>(d_value);
}

const BitVector& Value::as_bitvector() const
{
  if (!is_bitvector()) user_error("value " + to_smtlib() + " is not a bit-vector");
  return std::get<BitVector>(d_value);
}

std::string Value::to_smtlib() const
{
  switch (kind())
  {
    case ValueKind::Bool:
      return std::get<bool>(d_value) ? "true" : "false";
    case ValueKind::Int:
    {
      int64_t i = std::get<int64_t>(d_value);
      if (i >= 0) return std::to_string(i);
      // -(i) overflows for INT64_MIN; print the magnitude as unsigned.
      return "(- " + std::to_string(uint64_t{0} - static_cast<uint64_t>(i)) + ")";
    }
    case ValueKind::BitVec:
      return std::get<BitVector>(d_value).to_smtlib();
  }
  return "";
}

size_t Value::hash() const
{
  switch (kind())
  {
    case ValueKind::Bool:
      return std::hash<bool>()(std::get<bool>(d_value));
    case ValueKind::Int:
      return std::hash<int64_t>()(std::get<int64_t>(d_value)) * 31 + 1;
    case ValueKind::BitVec:
      return std::get<BitVector>(d_value).hash() * 31 + 2;
  }
  return 0;
}

}  // namespace keel::smt
