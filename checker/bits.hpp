// Bit-string primitives over arrays of 64-bit words. Values of every finite
// type are bit strings (spec/types.hpp); these move and combine them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace keel::bits
{

inline uint64_t mask(unsigned n)
{
  return n >= 64 ? ~uint64_t{0} : ((uint64_t{1} << n) - 1);
}

// Reads n <= 64 bits at bit position pos.
inline uint64_t get(const uint64_t* w, size_t pos, unsigned n)
{
  if (n == 0) return 0;
  size_t i = pos >> 6;
  unsigned o = pos & 63;
  uint64_t v = w[i] >> o;
  if (o + n > 64) v |= w[i + 1] << (64 - o);
  return v & mask(n);
}

// Writes the low n <= 64 bits of v at bit position pos.
inline void set(uint64_t* w, size_t pos, unsigned n, uint64_t v)
{
  if (n == 0) return;
  size_t i = pos >> 6;
  unsigned o = pos & 63;
  uint64_t m = mask(n);
  v &= m;
  w[i] = (w[i] & ~(m << o)) | (v << o);
  if (o + n > 64)
  {
    unsigned done = 64 - o;
    uint64_t m2 = mask(n - done);
    w[i + 1] = (w[i + 1] & ~m2) | (v >> done);
  }
}

inline bool test(const uint64_t* w, size_t pos)
{
  return (w[pos >> 6] >> (pos & 63)) & 1;
}
inline void put(uint64_t* w, size_t pos, bool b)
{
  uint64_t m = uint64_t{1} << (pos & 63);
  if (b)
    w[pos >> 6] |= m;
  else
    w[pos >> 6] &= ~m;
}

inline void copy(uint64_t* dst, size_t dpos, const uint64_t* src, size_t spos, size_t n)
{
  if (n == 0) return;
  if ((dpos & 63) == 0 && (spos & 63) == 0)
  {
    size_t words = n >> 6;
    if (words && dst + (dpos >> 6) != src + (spos >> 6)) std::memmove(dst + (dpos >> 6), src + (spos >> 6), words * 8);
    size_t rest = n & 63;
    if (rest)
      set(dst, dpos + words * 64, static_cast<unsigned>(rest),
          get(src, spos + words * 64, static_cast<unsigned>(rest)));
    return;
  }
  for (size_t k = 0; k < n; k += 64)
  {
    unsigned m = static_cast<unsigned>(n - k < 64 ? n - k : 64);
    set(dst, dpos + k, m, get(src, spos + k, m));
  }
}

inline void zero(uint64_t* dst, size_t pos, size_t n)
{
  for (size_t k = 0; k < n; k += 64)
  {
    unsigned m = static_cast<unsigned>(n - k < 64 ? n - k : 64);
    set(dst, pos + k, m, 0);
  }
}

inline bool equal(const uint64_t* a, size_t apos, const uint64_t* b, size_t bpos, size_t n)
{
  for (size_t k = 0; k < n; k += 64)
  {
    unsigned m = static_cast<unsigned>(n - k < 64 ? n - k : 64);
    if (get(a, apos + k, m) != get(b, bpos + k, m)) return false;
  }
  return true;
}

inline size_t popcount(const uint64_t* a, size_t pos, size_t n)
{
  size_t c = 0;
  for (size_t k = 0; k < n; k += 64)
  {
    unsigned m = static_cast<unsigned>(n - k < 64 ? n - k : 64);
    c += static_cast<size_t>(__builtin_popcountll(get(a, pos + k, m)));
  }
  return c;
}

enum class SetOp
{
  Or,
  And,
  AndNot,
};

// dst[dpos..] = dst[dpos..] op src[spos..], n bits.
inline void combine(uint64_t* dst, size_t dpos, const uint64_t* src, size_t spos, size_t n, SetOp op)
{
  for (size_t k = 0; k < n; k += 64)
  {
    unsigned m = static_cast<unsigned>(n - k < 64 ? n - k : 64);
    uint64_t a = get(dst, dpos + k, m), b = get(src, spos + k, m);
    uint64_t r = op == SetOp::Or ? (a | b) : op == SetOp::And ? (a & b) : (a & ~b);
    set(dst, dpos + k, m, r);
  }
}

}  // namespace keel::bits
