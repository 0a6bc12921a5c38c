// Sorts and terms: cheap value handles (a table serial and an index) to
// hash-consed, immutable nodes in a TermTable (STYLE item 1). Building the
// same term twice gives the same handle, so == is identity and hashing is
// free. The table type-checks every term as it is built (one rule per
// operator, from ops.hpp) and prints terms as SMT-LIB 2.
//
// Every Solver owns (or, for a forwarding decorator, shares) one TermTable;
// a back end lowers each new node to its own representation exactly once.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checker/smt/ops.hpp"
#include "checker/smt/value.hpp"

namespace keel::smt
{

enum class SortKind : uint8_t
{
  Bool,
  Int,
  BitVec,
  Array,
};

// A handle to a sort of one TermTable. Default-constructed: the null sort.
class Sort
{
 public:
  Sort() = default;
  explicit Sort(uint32_t table, uint32_t index) : d_table(table), d_index(index) {}
  bool is_null() const { return d_index == kNull; }
  explicit operator bool() const { return !is_null(); }
  uint32_t table() const { return d_table; }
  uint32_t index() const { return d_index; }
  friend auto operator<=>(const Sort&, const Sort&) = default;

 private:
  static constexpr uint32_t kNull = std::numeric_limits<uint32_t>::max();
  uint32_t d_table = 0;
  uint32_t d_index = kNull;
};

// A handle to a term of one TermTable. Default-constructed: the null term.
class Term
{
 public:
  Term() = default;
  explicit Term(uint32_t table, uint32_t index) : d_table(table), d_index(index) {}
  bool is_null() const { return d_index == kNull; }
  explicit operator bool() const { return !is_null(); }
  uint32_t table() const { return d_table; }
  uint32_t index() const { return d_index; }
  friend auto operator<=>(const Term&, const Term&) = default;

 private:
  static constexpr uint32_t kNull = std::numeric_limits<uint32_t>::max();
  uint32_t d_table = 0;
  uint32_t d_index = kNull;
};

struct SortNode
{
  SortKind kind = SortKind::Bool;
  uint32_t width = 0;  // BitVec
  Sort index;          // Array
  Sort element;        // Array
};

enum class TermKind : uint8_t
{
  Const,  // a declared constant (SMT-LIB declare-fun with no arguments)
  Value,  // a literal: true, 42, #b0101
  App,    // an operator applied to arguments
};

struct TermNode
{
  TermKind kind = TermKind::Const;
  Sort sort;
  Op op = Op::Not;                    // App
  std::array<uint32_t, 2> indices{};  // App: extract [hi, lo], extend [n]
  std::vector<Term> args;             // App
  std::string name;                   // Const
  std::optional<smt::Value> value;    // Value
};

class TermTable
{
 public:
  TermTable();
  TermTable(const TermTable&) = delete;
  TermTable& operator=(const TermTable&) = delete;

  // The serial that every handle of this table carries.
  uint32_t serial() const { return d_serial; }

  // Sorts (deduplicated).
  Sort make_sort(SortKind kind);                            // Bool, Int
  Sort make_sort(SortKind kind, uint32_t width);            // BitVec
  Sort make_sort(SortKind kind, Sort index, Sort element);  // Array
  const SortNode& node(Sort s) const;
  SortKind kind(Sort s) const { return node(s).kind; }
  size_t num_sorts() const { return d_sorts.size(); }

  // Terms (deduplicated and type-checked; errors are the caller's).
  // A name denotes one constant: asking again with the same sort gives the
  // same term, with another sort is an error.
  Term make_const(std::string_view name, Sort sort);
  Term make_value(const Value& value);
  // An integer as a value of `sort` (Int, or BitVec when it fits the width
  // read as signed or as unsigned).
  Term make_value(int64_t value, Sort sort);
  Term make_term(Op op, std::span<const Term> args, std::span<const uint32_t> indices = {});
  const TermNode& node(Term t) const;
  Sort sort_of(Term t) const { return node(t).sort; }
  size_t num_terms() const { return d_terms.size(); }
  // The constant called `name`, or the null term.
  Term lookup_const(std::string_view name) const;

  // Removes the newest term (a back end failed to lower it).
  void discard_last_term();

  // SMT-LIB 2 text. Terms print with let-bindings for subterms used more than
  // once, so that shared DAGs print in linear size.
  std::string to_smtlib(Sort s) const;
  std::string to_smtlib(Term t) const;

  // Throws a bug error unless the handle is one of this table's.
  void check_owned(Sort s) const;
  void check_owned(Term t) const;

 private:
  struct VectorHash
  {
    size_t operator()(const std::vector<uint32_t>& v) const;
  };
  struct ValueKeyHash
  {
    size_t operator()(const std::pair<uint32_t, Value>& k) const { return k.second.hash() * 31 + k.first; }
  };

  Sort intern_sort(const SortNode& n);
  Term add_term(TermNode n);
  Sort check_app(Op op, std::span<const Term> args, std::span<const uint32_t> indices) const;

  uint32_t d_serial;
  std::vector<SortNode> d_sorts;
  std::unordered_map<std::vector<uint32_t>, uint32_t, VectorHash> d_sort_ids;
  std::vector<TermNode> d_terms;
  std::unordered_map<std::string, uint32_t> d_const_ids;
  std::unordered_map<std::pair<uint32_t, Value>, uint32_t, ValueKeyHash> d_value_ids;
  std::unordered_map<std::vector<uint32_t>, uint32_t, VectorHash> d_app_ids;
};

// SMT-LIB quoting: a simple symbol as is, anything else between bars.
std::string quote_symbol(std::string_view name);

}  // namespace keel::smt

template <>
struct std::hash<keel::smt::Sort>
{
  size_t operator()(const keel::smt::Sort& s) const noexcept
  {
    return std::hash<uint64_t>()((uint64_t{s.table()} << 32) | s.index());
  }
};

template <>
struct std::hash<keel::smt::Term>
{
  size_t operator()(const keel::smt::Term& t) const noexcept
  {
    return std::hash<uint64_t>()((uint64_t{t.table()} << 32) | t.index());
  }
};
