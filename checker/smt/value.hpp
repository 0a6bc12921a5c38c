// Values that cross the SMT layer: Booleans, integers (int64) and bit-vectors
// of any width. make_value builds terms from them; get_value returns them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace keel::smt
{

// A fixed-width bit-vector value. Bit 0 is the least significant; bits above
// the width are kept zero, so == compares values.
class BitVector
{
 public:
  BitVector() = default;  // the empty value (width 0): only a placeholder

  // The low `width` bits of `value` (higher bits are dropped).
  static BitVector from_uint64(uint32_t width, uint64_t value);
  // `value` in two's complement, truncated to `width` bits.
  static BitVector from_int64(uint32_t width, int64_t value);
  // Most significant bit first, only '0' and '1' (the SMT-LIB #b form without #b).
  static BitVector from_binary(std::string_view bits);

  uint32_t width() const { return d_width; }
  bool bit(uint32_t i) const;
  // The unsigned reading; an error if it needs more than 64 bits.
  uint64_t to_uint64() const;
  // The signed (two's complement) reading; an error if it does not fit in int64.
  int64_t to_int64() const;
  std::string to_binary() const;  // most significant bit first
  std::string to_smtlib() const;  // #b...

  friend bool operator==(const BitVector&, const BitVector&) = default;
  size_t hash() const;

 private:
  uint32_t d_width = 0;
  std::vector<uint64_t> d_words;  // little-endian 64-bit words
};

enum class ValueKind : uint8_t
{
  Bool,
  Int,
  BitVec,
};

class Value
{
 public:
  static Value boolean(bool b) { return Value(b); }
  static Value integer(int64_t i) { return Value(i); }
  static Value bitvector(BitVector bv) { return Value(std::move(bv)); }

  ValueKind kind() const { return static_cast<ValueKind>(d_value.index()); }
  bool is_bool() const { return kind() == ValueKind::Bool; }
  bool is_int() const { return kind() == ValueKind::Int; }
  bool is_bitvector() const { return kind() == ValueKind::BitVec; }
  // Each of these is an error (the caller's) on a value of another kind.
  bool as_bool() const;
  int64_t as_int() const;
  const BitVector& as_bitvector() const;

  // SMT-LIB text: true, 42, (- 3), #b0101.
  std::string to_smtlib() const;

  friend bool operator==(const Value&, const Value&) = default;
  size_t hash() const;

 private:
  explicit Value(bool b) : d_value(b) {}
  explicit Value(int64_t i) : d_value(i) {}
  explicit Value(BitVector bv) : d_value(std::move(bv)) {}
  std::variant<bool, int64_t, BitVector> d_value;  // index order matches ValueKind
};

}  // namespace keel::smt
