// The visited set of the explicit engines (safety search, liveness product):
// exact, full states, open addressing.
#pragma once

#include <xxhash.h>

#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace keel
{

// The visited set: states stored back to back (W words each) in discovery
// order, which is also the BFS queue; an open-addressing table of indices.
class StateStore
{
 public:
  explicit StateStore(size_t words) : d_words(words) { d_table.assign(1 << 16, kEmpty); }

  size_t size() const { return d_count; }
  const uint64_t* state(size_t i) const { return d_data.data() + i * d_words; }
  uint32_t parent(size_t i) const { return d_parent[i]; }
  size_t bytes() const { return d_data.capacity() * 8 + d_parent.capacity() * 4 + d_table.capacity() * 4; }

  // Returns {index, inserted}.
  std::pair<size_t, bool> insert(const uint64_t* s, uint32_t parent)
  {
    if ((d_count + 1) * 2 > d_table.size()) grow();
    size_t mask = d_table.size() - 1;
    size_t h = hash(s) & mask;
    for (;;)
    {
      uint32_t slot = d_table[h];
      if (slot == kEmpty) break;
      if (same(state(slot), s)) return {slot, false};
      h = (h + 1) & mask;
    }
    if (d_count >= kEmpty - 1) throw std::length_error("more than 4 billion states");
    d_table[h] = static_cast<uint32_t>(d_count);
    d_data.insert(d_data.end(), s, s + d_words);
    d_parent.push_back(parent);
    return {d_count++, true};
  }

 private:
  static constexpr uint32_t kEmpty = 0xffffffffu;
  // Most states fit in a word or two: compare inline rather than through memcmp.
  bool same(const uint64_t* a, const uint64_t* b) const
  {
    for (size_t i = 0; i < d_words; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  size_t hash(const uint64_t* s) const { return XXH3_64bits(s, d_words * 8); }
  void grow()
  {
    std::vector<uint32_t> t(d_table.size() * 2, kEmpty);
    size_t mask = t.size() - 1;
    for (size_t i = 0; i < d_count; ++i)
    {
      size_t h = hash(state(i)) & mask;
      while (t[h] != kEmpty) h = (h + 1) & mask;
      t[h] = static_cast<uint32_t>(i);
    }
    d_table.swap(t);
  }

  size_t d_words;
  size_t d_count = 0;
  std::vector<uint64_t> d_data;
  std::vector<uint32_t> d_parent;
  std::vector<uint32_t> d_table;
};

}  // namespace keel
