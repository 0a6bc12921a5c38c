#include "checker/smt/term_table.hpp"

#include <algorithm>
#include <atomic>
#include <unordered_set>

#include "checker/smt/errors.hpp"

namespace keel::smt
{

namespace
{

std::atomic<uint32_t> g_next_serial{1};

// Words of SMT-LIB 2.6 a constant may not be called, and the symbols its
// theories predefine (so that a log replays: `|and|` is the symbol `and`).
bool is_taken_symbol(std::string_view name)
{
  static const std::unordered_set<std::string_view> taken = []
  {
    std::unordered_set<std::string_view> s = {
        "_",           "!",
        "as",          "let",
        "exists",      "forall",
        "match",       "par",
        "NUMERAL",     "DECIMAL",
        "STRING",      "true",
        "false",       "xor",
        "Bool",        "Int",
        "BitVec",      "Array",
        "abs",         "assert",
        "check-sat",   "check-sat-assuming",
        "declare-fun", "declare-const",
        "define-fun",  "get-value",
        "push",        "pop",
        "set-logic",   "set-option",
        "set-info",    "exit",
    };
    for (const OpInfo& info : kOpTable) s.insert(info.smtlib);
    return s;
  }();
  return taken.count(name) != 0;
}

bool is_simple_symbol_char(char c)
{
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("~!@$%^&*_-+=<>.?/").find(c) != std::string_view::npos;
}

std::string arity_text(const OpInfo& info)
{
  if (info.min_arity == info.max_arity) return "exactly " + std::to_string(info.min_arity);
  if (info.max_arity == kAnyArity) return "at least " + std::to_string(info.min_arity);
  return std::to_string(info.min_arity) + " to " + std::to_string(info.max_arity);
}

}  // namespace

std::string quote_symbol(std::string_view name)
{
  bool simple = !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
                std::all_of(name.begin(), name.end(), is_simple_symbol_char);
  if (simple) return std::string(name);
  std::string quoted;
  quoted.reserve(name.size() + 2);
  quoted += '|';
  quoted += name;
  quoted += '|';
  return quoted;
}

size_t TermTable::VectorHash::operator()(const std::vector<uint32_t>& v) const
{
  size_t h = v.size();
  for (uint32_t x : v) h = (h ^ x) * 0x100000001b3ull;
  return h;
}

TermTable::TermTable() : d_serial(g_next_serial.fetch_add(1))
{
  // Sort 0 is Bool: every table has it, and the type rules need it.
  Sort b = make_sort(SortKind::Bool);
  KEEL_SMT_ASSERT(b.index() == 0, "Bool is not sort 0");
}

void TermTable::check_owned(Sort s) const
{
  if (s.is_null()) user_error("the null sort used where a sort is needed");
  KEEL_SMT_ASSERT(
      s.table() == d_serial && s.index() < d_sorts.size(),
      "a sort of another solver (table " + std::to_string(s.table()) + ") used with table " + std::to_string(d_serial));
}

void TermTable::check_owned(Term t) const
{
  if (t.is_null()) user_error("the null term used where a term is needed");
  KEEL_SMT_ASSERT(
      t.table() == d_serial && t.index() < d_terms.size(),
      "a term of another solver (table " + std::to_string(t.table()) + ") used with table " + std::to_string(d_serial));
}

// ---------------------------------------------------------------------------
// Sorts

Sort TermTable::intern_sort(const SortNode& n)
{
  std::vector<uint32_t> key = {static_cast<uint32_t>(n.kind), n.width, n.index.index(), n.element.index()};
  auto [it, inserted] = d_sort_ids.emplace(std::move(key), static_cast<uint32_t>(d_sorts.size()));
  if (inserted) d_sorts.push_back(n);
  return Sort(d_serial, it->second);
}

Sort TermTable::make_sort(SortKind kind)
{
  if (kind == SortKind::BitVec) user_error("a bit-vector sort needs a width: make_sort(SortKind::BitVec, width)");
  if (kind == SortKind::Array)
    user_error("an array sort needs index and element sorts: make_sort(SortKind::Array, index, element)");
  SortNode n;
  n.kind = kind;
  return intern_sort(n);
}

Sort TermTable::make_sort(SortKind kind, uint32_t width)
{
  if (kind != SortKind::BitVec) user_error("only bit-vector sorts take a width");
  if (width == 0) user_error("a bit-vector sort needs a width of at least 1");
  SortNode n;
  n.kind = kind;
  n.width = width;
  return intern_sort(n);
}

Sort TermTable::make_sort(SortKind kind, Sort index, Sort element)
{
  if (kind != SortKind::Array) user_error("only array sorts take index and element sorts");
  check_owned(index);
  check_owned(element);
  SortNode n;
  n.kind = kind;
  n.index = index;
  n.element = element;
  return intern_sort(n);
}

const SortNode& TermTable::node(Sort s) const
{
  check_owned(s);
  return d_sorts[s.index()];
}

std::string TermTable::to_smtlib(Sort s) const
{
  const SortNode& n = node(s);
  switch (n.kind)
  {
    case SortKind::Bool:
      return "Bool";
    case SortKind::Int:
      return "Int";
    case SortKind::BitVec:
      return "(_ BitVec " + std::to_string(n.width) + ")";
    case SortKind::Array:
      return "(Array " + to_smtlib(n.index) + " " + to_smtlib(n.element) + ")";
  }
  return "?";
}

// ---------------------------------------------------------------------------
// Terms

const TermNode& TermTable::node(Term t) const
{
  check_owned(t);
  return d_terms[t.index()];
}

Term TermTable::add_term(TermNode n)
{
  d_terms.push_back(std::move(n));
  return Term(d_serial, static_cast<uint32_t>(d_terms.size() - 1));
}

Term TermTable::lookup_const(std::string_view name) const
{
  auto it = d_const_ids.find(std::string(name));
  return it == d_const_ids.end() ? Term() : Term(d_serial, it->second);
}

Term TermTable::make_const(std::string_view name, Sort sort)
{
  check_owned(sort);
  if (name.empty()) user_error("a constant needs a name");
  if (name.find_first_of("|\\") != std::string_view::npos)
    user_error("constant name '" + std::string(name) + "' contains '|' or '\\', which SMT-LIB cannot quote");
  if (name[0] == '@' || name[0] == '.')
    user_error("constant name '" + std::string(name) + "': SMT-LIB reserves names starting with '@' or '.'");
  if (is_taken_symbol(name))
    user_error("constant name '" + std::string(name) + "' is an SMT-LIB reserved word or predefined symbol");
  if (Term old = lookup_const(name))
  {
    Sort old_sort = sort_of(old);
    if (old_sort != sort)
      user_error("constant '" + std::string(name) + "' already declared with sort " + to_smtlib(old_sort) +
                 ", now asked for with sort " + to_smtlib(sort));
    return old;
  }
  TermNode n;
  n.kind = TermKind::Const;
  n.sort = sort;
  n.name = std::string(name);
  Term t = add_term(std::move(n));
  d_const_ids.emplace(std::string(name), t.index());
  return t;
}

Term TermTable::make_value(const Value& value)
{
  Sort sort;
  switch (value.kind())
  {
    case ValueKind::Bool:
      sort = make_sort(SortKind::Bool);
      break;
    case ValueKind::Int:
      sort = make_sort(SortKind::Int);
      break;
    case ValueKind::BitVec:
      if (value.as_bitvector().width() == 0) user_error("a bit-vector value needs a width of at least 1");
      sort = make_sort(SortKind::BitVec, value.as_bitvector().width());
      break;
  }
  auto key = std::make_pair(sort.index(), value);
  auto it = d_value_ids.find(key);
  if (it != d_value_ids.end()) return Term(d_serial, it->second);
  TermNode n;
  n.kind = TermKind::Value;
  n.sort = sort;
  n.value = value;
  Term t = add_term(std::move(n));
  d_value_ids.emplace(std::move(key), t.index());
  return t;
}

Term TermTable::make_value(int64_t value, Sort sort)
{
  const SortNode& s = node(sort);
  switch (s.kind)
  {
    case SortKind::Int:
      return make_value(Value::integer(value));
    case SortKind::BitVec:
    {
      // Accept what fits the width read as signed or as unsigned.
      bool fits = s.width >= 64;
      if (!fits)
      {
        int64_t lo = -(int64_t{1} << (s.width - 1));
        int64_t hi = static_cast<int64_t>((uint64_t{1} << s.width) - 1);
        fits = value >= lo && value <= hi;
      }
      if (!fits) user_error("value " + std::to_string(value) + " does not fit " + to_smtlib(sort));
      return make_value(Value::bitvector(BitVector::from_int64(s.width, value)));
    }
    case SortKind::Bool:
      if (value != 0 && value != 1) user_error("value " + std::to_string(value) + " is not a Boolean (0 or 1)");
      return make_value(Value::boolean(value == 1));
    case SortKind::Array:
      break;
  }
  unsupported("values of sort " + to_smtlib(sort));
}

Sort TermTable::check_app(Op op, std::span<const Term> args, std::span<const uint32_t> indices) const
{
  const OpInfo& info = op_info(op);
  const std::string name = info.smtlib;
  if (args.size() < info.min_arity || args.size() > info.max_arity)
    user_error(name + " takes " + arity_text(info) + " argument" + (info.max_arity == 1 ? "" : "s") + ", got " +
               std::to_string(args.size()));
  if (indices.size() != info.num_indices)
    user_error(name + " takes " + std::to_string(info.num_indices) + " ind" + (info.num_indices == 1 ? "ex" : "ices") +
               ", got " + std::to_string(indices.size()));
  for (Term a : args) check_owned(a);

  auto sort_text = [&](size_t i) { return to_smtlib(sort_of(args[i])); };
  auto mismatch = [&](size_t i, const std::string& expected) {
    user_error(name + ": argument " + std::to_string(i + 1) + " has sort " + sort_text(i) + ", expected " + expected);
  };
  auto kind_at = [&](size_t i) { return d_sorts[sort_of(args[i]).index()].kind; };
  auto want_kind = [&](size_t i, SortKind k, const char* what)
  {
    if (kind_at(i) != k) mismatch(i, what);
  };
  auto all_same_as_first = [&]
  {
    for (size_t i = 1; i < args.size(); ++i)
      if (sort_of(args[i]) != sort_of(args[0])) mismatch(i, sort_text(0) + " (the sort of argument 1)");
  };
  const Sort bool_sort(d_serial, 0);

  switch (info.rule)
  {
    case TypeRule::Bool:
      for (size_t i = 0; i < args.size(); ++i) want_kind(i, SortKind::Bool, "Bool");
      return bool_sort;
    case TypeRule::Ite:
      want_kind(0, SortKind::Bool, "Bool");
      if (sort_of(args[2]) != sort_of(args[1])) mismatch(2, sort_text(1) + " (the sort of argument 2)");
      return sort_of(args[1]);
    case TypeRule::SameSort:
      all_same_as_first();
      return bool_sort;
    case TypeRule::IntArith:
      for (size_t i = 0; i < args.size(); ++i) want_kind(i, SortKind::Int, "Int");
      return sort_of(args[0]);
    case TypeRule::IntCompare:
      for (size_t i = 0; i < args.size(); ++i) want_kind(i, SortKind::Int, "Int");
      return bool_sort;
    case TypeRule::BvArith:
      want_kind(0, SortKind::BitVec, "a bit-vector");
      all_same_as_first();
      return sort_of(args[0]);
    case TypeRule::BvCompare:
      want_kind(0, SortKind::BitVec, "a bit-vector");
      all_same_as_first();
      return bool_sort;
    case TypeRule::Concat:
    case TypeRule::Extract:
    case TypeRule::Extend:
    case TypeRule::Select:
    case TypeRule::Store:
      break;  // these build sorts, so they are checked in make_term
  }
  return Sort();
}

Term TermTable::make_term(Op op, std::span<const Term> args, std::span<const uint32_t> indices)
{
  Sort sort = check_app(op, args, indices);
  const OpInfo& info = op_info(op);
  const std::string name = info.smtlib;
  auto bv_width = [&](size_t i) -> uint32_t
  {
    const SortNode& s = d_sorts[sort_of(args[i]).index()];
    if (s.kind != SortKind::BitVec)
      user_error(name + ": argument " + std::to_string(i + 1) + " has sort " + to_smtlib(sort_of(args[i])) +
                 ", expected a bit-vector");
    return s.width;
  };
  switch (info.rule)
  {
    case TypeRule::Concat:
    {
      uint64_t w = uint64_t{bv_width(0)} + bv_width(1);
      if (w > std::numeric_limits<uint32_t>::max()) user_error("concat: result wider than 2^32-1 bits");
      sort = make_sort(SortKind::BitVec, static_cast<uint32_t>(w));
      break;
    }
    case TypeRule::Extract:
    {
      uint32_t w = bv_width(0), hi = indices[0], lo = indices[1];
      if (hi < lo || hi >= w)
        user_error("extract: indices [" + std::to_string(hi) + ", " + std::to_string(lo) +
                   "] need width > hi >= lo, and the argument has width " + std::to_string(w));
      sort = make_sort(SortKind::BitVec, hi - lo + 1);
      break;
    }
    case TypeRule::Extend:
    {
      uint64_t w = uint64_t{bv_width(0)} + indices[0];
      if (w > std::numeric_limits<uint32_t>::max()) user_error(name + ": result wider than 2^32-1 bits");
      sort = make_sort(SortKind::BitVec, static_cast<uint32_t>(w));
      break;
    }
    case TypeRule::Select:
    case TypeRule::Store:
    {
      const SortNode& a = d_sorts[sort_of(args[0]).index()];
      if (a.kind != SortKind::Array)
        user_error(name + ": argument 1 has sort " + to_smtlib(sort_of(args[0])) + ", expected an array");
      if (sort_of(args[1]) != a.index)
        user_error(name + ": argument 2 has sort " + to_smtlib(sort_of(args[1])) + ", expected " + to_smtlib(a.index) +
                   " (the array's index sort)");
      if (info.rule == TypeRule::Store && sort_of(args[2]) != a.element)
        user_error(name + ": argument 3 has sort " + to_smtlib(sort_of(args[2])) + ", expected " +
                   to_smtlib(a.element) + " (the array's element sort)");
      sort = info.rule == TypeRule::Select ? a.element : sort_of(args[0]);
      break;
    }
    default:
      break;
  }
  KEEL_SMT_ASSERT(!sort.is_null(), std::string("no result sort for ") + name);

  std::vector<uint32_t> key;
  key.reserve(1 + indices.size() + args.size());
  key.push_back(static_cast<uint32_t>(op));
  key.insert(key.end(), indices.begin(), indices.end());
  for (Term a : args) key.push_back(a.index());
  auto it = d_app_ids.find(key);
  if (it != d_app_ids.end()) return Term(d_serial, it->second);

  TermNode n;
  n.kind = TermKind::App;
  n.sort = sort;
  n.op = op;
  std::copy(indices.begin(), indices.end(), n.indices.begin());
  n.args.assign(args.begin(), args.end());
  Term t = add_term(std::move(n));
  d_app_ids.emplace(std::move(key), t.index());
  return t;
}

void TermTable::discard_last_term()
{
  KEEL_SMT_ASSERT(!d_terms.empty(), "discard_last_term on an empty table");
  const TermNode& n = d_terms.back();
  uint32_t index = static_cast<uint32_t>(d_terms.size() - 1);
  auto erase_if_last = [&](auto& map)
  {
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->second == index)
      {
        map.erase(it);
        return;
      }
  };
  switch (n.kind)
  {
    case TermKind::Const:
      d_const_ids.erase(n.name);
      break;
    case TermKind::Value:
      erase_if_last(d_value_ids);
      break;
    case TermKind::App:
      erase_if_last(d_app_ids);
      break;
  }
  d_terms.pop_back();
}

// ---------------------------------------------------------------------------
// Printing

std::string TermTable::to_smtlib(Term root) const
{
  check_owned(root);
  const TermNode& r = d_terms[root.index()];
  if (r.kind == TermKind::Const) return quote_symbol(r.name);
  if (r.kind == TermKind::Value) return r.value->to_smtlib();

  // 1. Count, for every application below the root, how many parents use it.
  std::unordered_map<uint32_t, uint32_t> parents;
  std::vector<uint32_t> stack = {root.index()};
  parents[root.index()] = 0;
  while (!stack.empty())
  {
    uint32_t t = stack.back();
    stack.pop_back();
    for (Term a : d_terms[t].args)
    {
      if (d_terms[a.index()].kind != TermKind::App) continue;
      auto [it, first] = parents.emplace(a.index(), 0);
      ++it->second;
      if (first) stack.push_back(a.index());
    }
  }

  // 2. Print bottom-up. A subterm used twice or more is let-bound; its level
  // is one more than the highest level of the bound subterms its definition
  // uses, so each level's bindings need only the levels before.
  struct Printed
  {
    std::string text;
    uint32_t needs = 0;  // 1 + the highest let level the text refers to, 0 if none
  };
  std::unordered_map<uint32_t, Printed> printed;
  std::vector<std::vector<std::pair<std::string, std::string>>> levels;  // (name, definition) per level
  uint32_t next_let = 0;
  auto fresh_let_name = [&]
  {
    for (;;)
    {
      std::string name = "_let_" + std::to_string(next_let++);
      if (!d_const_ids.count(name)) return name;
    }
  };

  std::vector<std::pair<uint32_t, bool>> work = {{root.index(), false}};
  while (!work.empty())
  {
    auto [t, expanded] = work.back();
    work.pop_back();
    const TermNode& n = d_terms[t];
    if (!expanded)
    {
      if (printed.count(t)) continue;
      work.emplace_back(t, true);
      for (Term a : n.args)
        if (d_terms[a.index()].kind == TermKind::App && !printed.count(a.index())) work.emplace_back(a.index(), false);
      continue;
    }
    if (printed.count(t)) continue;
    std::string head(op_info(n.op).smtlib);
    if (op_info(n.op).num_indices > 0)
    {
      head.insert(0, "(_ ");
      for (uint32_t i = 0; i < op_info(n.op).num_indices; ++i)
      {
        head += ' ';
        head += std::to_string(n.indices[i]);
      }
      head += ")";
    }
    std::string text = "(" + head;
    uint32_t needs = 0;
    for (Term a : n.args)
    {
      const TermNode& an = d_terms[a.index()];
      text += ' ';
      if (an.kind == TermKind::Const)
        text += quote_symbol(an.name);
      else if (an.kind == TermKind::Value)
        text += an.value->to_smtlib();
      else
      {
        Printed& p = printed.at(a.index());
        needs = std::max(needs, p.needs);
        text += p.text;                                             // a let name, or the text of the only use
        if (parents.at(a.index()) < 2) std::string().swap(p.text);  // used once: free it now
      }
    }
    text += ')';
    if (t != root.index() && parents.at(t) >= 2)
    {
      uint32_t level = needs;
      if (levels.size() <= level) levels.resize(level + 1);
      std::string name = fresh_let_name();
      levels[level].emplace_back(name, std::move(text));
      printed[t] = Printed{name, level + 1};
    }
    else
    {
      printed[t] = Printed{std::move(text), needs};
    }
  }

  std::string body = std::move(printed.at(root.index()).text);
  if (levels.empty()) return body;
  std::string out;
  for (const auto& level : levels)
  {
    out += "(let (";
    for (size_t i = 0; i < level.size(); ++i)
    {
      if (i) out += ' ';
      out += "(" + level[i].first + " " + level[i].second + ")";
    }
    out += ") ";
  }
  out += body;
  out.append(levels.size(), ')');
  return out;
}

}  // namespace keel::smt
