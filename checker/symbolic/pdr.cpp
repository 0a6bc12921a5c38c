#include "checker/symbolic/pdr.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include "checker/eval.hpp"
#include "checker/smt/chc.hpp"
#include "checker/smt/cross_check_solver.hpp"
#include "checker/smt/errors.hpp"
#include "checker/smt/factory.hpp"
#include "checker/smt/logging_solver.hpp"
#include "checker/smt/term_util.hpp"
#include "checker/symbolic/bmc.hpp"
#include "checker/symbolic/confirm.hpp"
#include "checker/symbolic/encoder.hpp"
#include "checker/values.hpp"

namespace keel
{

namespace
{

using smt::Sort;
using smt::Term;
using SOp = smt::Op;
using symbolic::Encoder;
using symbolic::StateTerm;

constexpr const char* kEngine = "pdr";
constexpr size_t kMaxPieces = 4096;       // arguments of the invariant relation
constexpr uint64_t kMaxEnumeration = 64;  // value combinations a conjunct is tabulated over

// ---------------------------------------------------------------- pieces

// One argument of the invariant relation: a scalar piece of the state with a
// Keel name (x, a[2], r.f, Node[1].state, 3 in s, len(q), count(b, 2)), or
// an encoding detail (a sequence slot, a message payload) that has none.
enum class PieceKind : uint8_t
{
  Int,     // an integer: the encoding is value - lo, well formed below `card`
  Enum,    // the ordinal of `type`'s values
  Bool,    // one bit; `name` is a Boolean expression (a variable, or `k in s`)
  Tag,     // the variant of message `name`
  Opaque,  // bits without a Keel reading
};

struct Piece
{
  std::string name;
  PieceKind kind = PieceKind::Opaque;
  uint32_t offset = 0, width = 0;
  int64_t lo = 0;
  uint64_t card = 0;  // well-formed encodings: 0 .. card-1 (Opaque: unknown)
  const Type* type = nullptr;
  bool nameable = true;  // false: fault bookkeeping, which a spec cannot name
};

// Can a value of `t` be written as a Keel literal (value_text's form)?
bool has_literal(const Type* t)
{
  switch (t->kind)
  {
    case TypeKind::Bool:
    case TypeKind::Range:
    case TypeKind::Enum:
      return true;
    case TypeKind::Record:
      for (const Type::Field& f : t->fields)
        if (!has_literal(f.type)) return false;
      return true;
    case TypeKind::Message:
      for (const Type::Variant& v : t->variants)
        for (const Type::Field& f : v.fields)
          if (!has_literal(f.type)) return false;
      return true;
    default:
      return false;
  }
}

// Value number k of a finite type (an array key, a set or bag element) as a
// Keel literal: 3, true, committed, { f: 1, g: true }, Prepared(2).
std::string key_text(const Type* key, uint64_t k)
{
  std::vector<uint64_t> w((key->bits + 63) / 64 + 1, 0);
  Evaluator::decode_index(key, k, w.data(), 0);
  return value_text(key, w.data(), 0);
}

// The piece of set `name` (of type `set`) saying whether its k-th element is
// in it: "(v in name)" when the element has a literal, else a name that is
// not Keel syntax ("name[member k]").
std::string member_name(const Type* set, uint64_t k, const std::string& name)
{
  if (has_literal(set->elem)) return "(" + key_text(set->elem, k) + " in " + name + ")";
  return name + "[member " + std::to_string(k) + "]";
}

class Layout
{
 public:
  explicit Layout(const Model& m)
  {
    for (const Variable& v : m.vars)
    {
      d_nameable = !v.is_fault_state;
      // A process variable P.x is an array over P's identities, read P[i].x.
      std::string process_prefix;
      if (!v.process.empty() && v.name.rfind(v.process + ".", 0) == 0 && v.type->kind == TypeKind::Array &&
          has_literal(v.type->key))
      {
        const Type* t = v.type;
        std::string field = v.name.substr(v.process.size() + 1);
        for (uint64_t k = 0; k < t->key->card; ++k)
          add(t->elem, v.offset + static_cast<uint32_t>(k * t->elem->bits),
              v.process + "[" + key_text(t->key, k) + "]." + field);
        continue;
      }
      add(v.type, v.offset, v.name);
    }
    std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.offset < b.offset; });
    uint32_t at = 0;
    for (const Piece& p : pieces)
    {
      if (p.offset != at)
        throw smt::SmtError(smt::SmtErrorKind::Bug, "pdr: the state pieces do not tile the state vector");
      at += p.width;
    }
    if (at != m.state_bits)
      throw smt::SmtError(smt::SmtErrorKind::Bug, "pdr: the state pieces do not cover the state vector");
    if (pieces.size() > kMaxPieces)
      throw symbolic::NotSupported{"a state of more than " + std::to_string(kMaxPieces) +
                                   " scalar pieces (the invariant relation's arguments)"};
  }

  std::vector<Piece> pieces;

  // Arith::Lia: the pieces in the encoder's order (Encoder::piece_sorts), each
  // an Int holding the value itself (a range's, a count's, a length's) or an
  // ordinal (an enum's, a tag's), or a Bool (a Boolean, a set member). A
  // sequence's slots and a message's fields are pieces too, without a Keel name.
  static Layout lia(const Model& m)
  {
    Layout l;
    for (const Variable& v : m.vars)
    {
      l.d_nameable = !v.is_fault_state;
      if (!v.process.empty() && v.name.rfind(v.process + ".", 0) == 0 && v.type->kind == TypeKind::Array &&
          has_literal(v.type->key))
      {
        std::string field = v.name.substr(v.process.size() + 1);
        for (uint64_t k = 0; k < v.type->key->card; ++k)
          l.add_lia(v.type->elem, v.process + "[" + key_text(v.type->key, k) + "]." + field, true);
        continue;
      }
      l.add_lia(v.type, v.name, true);
    }
    if (l.pieces.size() > kMaxPieces)
      throw symbolic::NotSupported{"a state of more than " + std::to_string(kMaxPieces) +
                                   " scalar pieces (the invariant relation's arguments)"};
    return l;
  }

 private:
  Layout() = default;

  void push_lia(Piece p, bool nameable)
  {
    p.nameable = p.nameable && nameable && d_nameable;
    p.width = 1;  // one argument (no bit positions under Lia)
    pieces.push_back(std::move(p));
  }

  // As piece_names in the encoder: a type with one value has no piece.
  void add_lia(const Type* t, const std::string& name, bool nameable)
  {
    Piece p;
    p.name = name;
    p.type = t;
    switch (t->kind)
    {
      case TypeKind::Bool:
        p.kind = PieceKind::Bool;
        p.card = 2;
        push_lia(std::move(p), nameable);
        return;
      case TypeKind::Range:
        if (!t->bits) return;
        p.kind = PieceKind::Int;
        p.lo = t->lo;
        p.card = static_cast<uint64_t>(t->hi - t->lo) + 1;
        push_lia(std::move(p), nameable);
        return;
      case TypeKind::Enum:
        if (!t->bits) return;
        p.kind = PieceKind::Enum;
        p.card = t->values.size();
        push_lia(std::move(p), nameable);
        return;
      case TypeKind::Int:
        p.kind = PieceKind::Opaque;  // unbounded: no interval to print or tabulate over
        push_lia(std::move(p), false);
        return;
      case TypeKind::Record:
        for (const Type::Field& f : t->fields) add_lia(f.type, name + "." + f.name, nameable);
        return;
      case TypeKind::Array:
        for (uint64_t k = 0; k < t->key->card; ++k)
        {
          bool named = has_literal(t->key);
          add_lia(t->elem, named ? name + "[" + key_text(t->key, k) + "]" : name + "[slot " + std::to_string(k) + "]",
                  nameable && named);
        }
        return;
      case TypeKind::Set:
        for (uint64_t k = 0; k < t->elem->card; ++k)
        {
          Piece b;
          b.kind = PieceKind::Bool;
          b.card = 2;
          b.name = member_name(t, k, name);
          push_lia(std::move(b), nameable && has_literal(t->elem));
        }
        return;
      case TypeKind::Bag:
        if (!t->aux_bits) return;
        for (uint64_t k = 0; k < t->elem->card; ++k)
        {
          Piece c;
          c.kind = PieceKind::Int;
          c.card = uint64_t{t->capacity} + 1;
          bool named = has_literal(t->elem);
          c.name =
              named ? "count(" + name + ", " + key_text(t->elem, k) + ")" : name + "[count " + std::to_string(k) + "]";
          push_lia(std::move(c), nameable && named);
        }
        return;
      case TypeKind::Seq:
      {
        if (t->aux_bits)
        {
          Piece len;
          len.kind = PieceKind::Int;
          len.card = uint64_t{t->capacity} + 1;
          len.name = "len(" + name + ")";
          push_lia(std::move(len), nameable);
        }
        // A slot's value means something only below the length: no Keel name.
        for (uint32_t i = 0; i < t->capacity; ++i) add_lia(t->elem, name + "[slot " + std::to_string(i) + "]", false);
        return;
      }
      case TypeKind::Message:
      {
        if (t->aux_bits)
        {
          p.kind = PieceKind::Tag;
          p.card = t->variants.size();
          push_lia(std::move(p), nameable);
        }
        // A field means something only under its variant's tag: no Keel name.
        for (const Type::Variant& v : t->variants)
          for (const Type::Field& f : v.fields) add_lia(f.type, name + "[" + v.tag + "." + f.name + "]", false);
        return;
      }
    }
  }

  void push(Piece p)
  {
    if (p.width == 0) return;  // a type with one value: nothing to say
    p.nameable = p.nameable && d_nameable;
    pieces.push_back(std::move(p));
  }

  void opaque(uint32_t offset, uint32_t width, std::string name)
  {
    Piece p;
    p.name = std::move(name);
    p.offset = offset;
    p.width = width;
    p.nameable = false;
    push(std::move(p));
  }

  void add(const Type* t, uint32_t offset, const std::string& name)
  {
    Piece p;
    p.name = name;
    p.offset = offset;
    p.width = t->bits;
    p.type = t;
    switch (t->kind)
    {
      case TypeKind::Bool:
        p.kind = PieceKind::Bool;
        p.card = 2;
        push(std::move(p));
        return;
      case TypeKind::Range:
        p.kind = PieceKind::Int;
        p.lo = t->lo;
        p.card = static_cast<uint64_t>(t->hi - t->lo) + 1;
        push(std::move(p));
        return;
      case TypeKind::Enum:
        p.kind = PieceKind::Enum;
        p.card = t->values.size();
        push(std::move(p));
        return;
      case TypeKind::Record:
        for (const Type::Field& f : t->fields) add(f.type, offset + f.offset, name + "." + f.name);
        return;
      case TypeKind::Array:
        for (uint64_t k = 0; k < t->key->card; ++k)
        {
          uint32_t at = offset + static_cast<uint32_t>(k * t->elem->bits);
          if (has_literal(t->key))
            add(t->elem, at, name + "[" + key_text(t->key, k) + "]");
          else
            opaque(at, t->elem->bits, name + "[slot " + std::to_string(k) + "]");
        }
        return;
      case TypeKind::Set:
        for (uint64_t k = 0; k < t->elem->card; ++k)
        {
          Piece b;
          b.kind = PieceKind::Bool;
          b.card = 2;
          b.offset = offset + static_cast<uint32_t>(k);
          b.width = 1;
          b.nameable = has_literal(t->elem);
          b.name = member_name(t, k, name);
          push(std::move(b));
        }
        return;
      case TypeKind::Bag:
        for (uint64_t k = 0; k < t->elem->card; ++k)
        {
          Piece c;
          c.kind = PieceKind::Int;
          c.card = uint64_t{t->capacity} + 1;
          c.offset = offset + static_cast<uint32_t>(k * t->aux_bits);
          c.width = t->aux_bits;
          c.nameable = has_literal(t->elem);
          c.name = c.nameable ? "count(" + name + ", " + key_text(t->elem, k) + ")"
                              : name + "[count " + std::to_string(k) + "]";
          push(std::move(c));
        }
        return;
      case TypeKind::Seq:
      {
        Piece len;
        len.kind = PieceKind::Int;
        len.card = uint64_t{t->capacity} + 1;
        len.offset = offset;
        len.width = t->aux_bits;
        len.name = "len(" + name + ")";
        push(std::move(len));
        // A slot's value means something only below the length: no Keel name.
        for (uint32_t i = 0; i < t->capacity; ++i)
          opaque(offset + t->aux_bits + i * t->elem->bits, t->elem->bits, name + "[slot " + std::to_string(i) + "]");
        return;
      }
      case TypeKind::Message:
      {
        Piece tag;
        tag.kind = PieceKind::Tag;
        tag.card = t->variants.size();
        tag.offset = offset;
        tag.width = t->aux_bits;
        tag.type = t;
        tag.name = name;
        push(std::move(tag));
        opaque(offset + t->aux_bits, t->bits - t->aux_bits, name + "[payload]");
        return;
      }
      case TypeKind::Int:
        break;
    }
    opaque(offset, t->bits, name);
  }

  bool d_nameable = true;
};

// ---------------------------------------------------------------- printing

// The invariant in Keel's syntax. Every Keel expression is built together
// with its meaning as an SMT term, and each printed conjunct is checked to
// mean exactly Spacer's conjunct on well-formed states, so that a slip of
// the printer shows as "not expressed", never as a wrong formula.
// Arith::Bv: the pieces are bit-vectors (a range holds value - lo), and a
// meaning is a 64-bit two's complement term; Arith::Lia: the pieces are Int
// (the value itself, an enum's ordinal) and Bool terms, and so are meanings.
class Printer
{
 public:
  Printer(smt::Solver& s, const std::vector<Piece>& pieces, const std::vector<Term>& formals, Term well_formed,
          symbolic::Arith arith)
      : S(s), P(pieces), F(formals), d_wf(well_formed), d_lia(arith == symbolic::Arith::Lia)
  {
    d_bv64 = d_lia ? S.make_sort(smt::SortKind::Int) : S.make_sort(smt::SortKind::BitVec, 64);
    for (size_t i = 0; i < F.size(); ++i) d_piece_of.emplace(F[i], i);
  }

  PdrInvariant print(Term inv)
  {
    PdrInvariant out;
    out.smtlib = S.to_smtlib(inv);
    for (const Piece& p : P) out.pieces.push_back(p.name);
    std::vector<Term> conjuncts;
    split(inv, conjuncts);
    for (Term c : conjuncts)
    {
      bool unnameable = false;
      for (Term k : smt::constants_of(S.terms(), {c}))
        if (auto it = d_piece_of.find(k); it != d_piece_of.end() && !P[it->second].nameable) unnameable = true;
      std::optional<Formula> f = formula(c);
      // A conjunct over a few small pieces may read better as its truth table.
      if (std::optional<Formula> g = enumerate(c); g && (!f || g->text.size() < f->text.size())) f = g;
      if (f && f->text == "true") continue;
      if (f && !unnameable && means(c, f->meaning))
      {
        out.conjuncts.push_back(strip(f->text));
        continue;
      }
      std::string why = !f           ? "no Keel expression states it"
                        : unnameable ? "it is about fault bookkeeping or encoding bits: " + strip(f->text)
                                     : "the printer could not state it exactly";
      out.unexpressed.push_back(S.to_smtlib(c) + "   // " + why);
    }
    return out;
  }

 private:
  struct Formula
  {
    std::string text;  // parenthesized unless atomic
    Term meaning;      // Bool
  };

  // An integer: a linear form over the pieces' values when known, else text.
  // `meaning` is its Keel value as a 64-bit two's complement term; lo..hi
  // bound it on well-formed states.
  struct Integer
  {
    bool linear = false;
    std::map<size_t, __int128> coef;
    __int128 c = 0;
    std::string text;
    Term meaning;
    __int128 lo = 0, hi = 0;
  };

  static constexpr __int128 kLimit = __int128{1} << 60;  // far from int64 overflow

  void split(Term t, std::vector<Term>& out)
  {
    const smt::TermNode n = S.terms().node(t);  // a copy: making terms moves the table
    if (n.kind == smt::TermKind::App && n.op == SOp::And)
    {
      for (Term a : n.args) split(a, out);
      return;
    }
    if (n.kind == smt::TermKind::App && n.op == SOp::Not)
    {
      const smt::TermNode m = S.terms().node(n.args[0]);
      if (m.kind == smt::TermKind::App && m.op == SOp::Or)
      {
        for (Term a : m.args) split(S.make_term(SOp::Not, a), out);
        return;
      }
    }
    out.push_back(t);
  }

  // Without the parentheses around the whole text, if there are any.
  static std::string strip(std::string s)
  {
    for (;;)
    {
      if (s.size() < 2 || s.front() != '(' || s.back() != ')') return s;
      int depth = 0;
      for (size_t i = 0; i + 1 < s.size(); ++i)
      {
        depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
        if (depth == 0) return s;  // the first parenthesis closes before the end
      }
      s = s.substr(1, s.size() - 2);
    }
  }

  // A name, a literal, or a text in parentheses that close at its end.
  static bool atomic(const std::string& t)
  {
    if (t.empty()) return false;
    if (t.front() == '!') return atomic(t.substr(1));
    return t.find(' ') == std::string::npos || (t.front() == '(' && strip(t) != t);
  }

  static std::string negated(const std::string& t)
  {
    if (t.size() > 1 && t.front() == '!' && atomic(t.substr(1))) return t.substr(1);
    // !(a == b) is a != b, !(a >= b) is a < b, ..., when a and b are sums
    // of names and numbers (one comparison, no parentheses).
    std::string inner = strip(t);
    static const std::pair<const char*, const char*> kOpposite[] = {
        {" == ", " != "}, {" != ", " == "}, {" <= ", " > "}, {" >= ", " < "}, {" < ", " >= "}, {" > ", " <= "}};
    size_t first = inner.find_first_of("()!|&<>=");
    for (auto [op, opposite] : kOpposite)
    {
      size_t at = inner.find(op);
      size_t len = std::char_traits<char>::length(op);
      if (at == std::string::npos || first != at + 1 || inner.find_first_of("()!|&<>=", at + len) != std::string::npos)
        continue;
      return "(" + inner.substr(0, at) + opposite + inner.substr(at + len) + ")";
    }
    return "!" + (atomic(t) ? t : "(" + t + ")");
  }

  static std::string num(__int128 v)
  {
    if (v < 0) return "-" + num(-v);
    std::string s;
    do
    {
      s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
      v /= 10;
    } while (v > 0);
    return s;
  }

  // Does `meaning` say what `c` says, on every well-formed state?
  bool means(Term c, Term meaning)
  {
    S.push();
    S.assert_formula(d_wf);
    S.assert_formula(S.make_term(SOp::Not, S.make_term(SOp::Equal, c, meaning)));
    smt::Result r = S.check_sat();
    S.pop();
    return r == smt::Result::Unsat;
  }

  // ---- meanings
  Term k64(__int128 v) { return S.make_value(static_cast<int64_t>(v), d_bv64); }
  Term value64(size_t i)
  {
    const Piece& p = P[i];
    Term x = F[i];
    if (d_lia) return x;  // the value itself
    if (p.width < 64) x = S.make_term(SOp::ZeroExtend, {64 - p.width}, x);
    return p.lo ? S.make_term(SOp::BVAdd, x, k64(p.lo)) : x;
  }
  // The operations on meanings: bit-vector or integer.
  SOp op_add() const { return d_lia ? SOp::Plus : SOp::BVAdd; }
  SOp op_sub() const { return d_lia ? SOp::Minus : SOp::BVSub; }
  SOp op_mul() const { return d_lia ? SOp::Mult : SOp::BVMul; }
  SOp op_le() const { return d_lia ? SOp::Le : SOp::BVSle; }
  SOp op_lt() const { return d_lia ? SOp::Lt : SOp::BVSlt; }
  // The term piece i holds for its v-th value (v counts from the type's first value).
  Term piece_value(size_t i, uint64_t v)
  {
    if (!d_lia) return S.make_value(static_cast<int64_t>(v), S.sort_of(F[i]));
    if (S.terms().kind(S.sort_of(F[i])) == smt::SortKind::Bool) return S.make_value(v != 0);
    __int128 value = static_cast<__int128>(v) + (P[i].kind == PieceKind::Int ? P[i].lo : 0);
    return S.make_value(static_cast<int64_t>(value), S.sort_of(F[i]));
  }
  // The index (v above) of a constant that piece i is compared with, if it is one.
  std::optional<uint64_t> index_of_value(size_t i, Term t)
  {
    const smt::TermNode v = S.terms().node(t);
    if (v.kind != smt::TermKind::Value) return std::nullopt;
    if (v.value->is_bitvector())
    {
      if (d_lia || v.value->as_bitvector().width() > 64) return std::nullopt;
      return v.value->as_bitvector().to_uint64();
    }
    if (!d_lia || !v.value->is_int()) return std::nullopt;
    __int128 index = static_cast<__int128>(v.value->as_int()) - (P[i].kind == PieceKind::Int ? P[i].lo : 0);
    // Below the first value: no well-formed index (card at most 2^64 - 1).
    if (index < 0 || index > static_cast<__int128>(UINT64_MAX)) return UINT64_MAX;
    return static_cast<uint64_t>(index);
  }

  // ---- texts of one piece's values
  std::string piece_equals(size_t i, uint64_t v, Term& meaning)
  {
    const Piece& p = P[i];
    if (d_lia && p.kind == PieceKind::Bool)
      meaning = v ? F[i] : S.make_term(SOp::Not, F[i]);
    else
      meaning = S.make_term(SOp::Equal, F[i], piece_value(i, v));
    switch (p.kind)
    {
      case PieceKind::Int:
        return "(" + p.name + " == " + num(p.lo + static_cast<__int128>(v)) + ")";
      case PieceKind::Enum:
        return "(" + p.name + " == " + p.type->values.at(v) + ")";
      case PieceKind::Bool:
        return v ? p.name : "!" + p.name;
      case PieceKind::Tag:
        return "(" + p.name + " is " + p.type->variants.at(v).tag + ")";
      case PieceKind::Opaque:
        break;
    }
    return "";
  }

  // ---- Boolean formulas
  std::optional<Formula> formula(Term t)
  {
    if (auto it = d_formulas.find(t); it != d_formulas.end()) return it->second;
    std::optional<Formula> f = formula_uncached(t);
    d_formulas.emplace(t, f);
    return f;
  }

  Formula constant(bool b) { return Formula{b ? "true" : "false", S.make_value(b)}; }

  std::optional<Formula> formula_uncached(Term t)
  {
    const smt::TermNode n = S.terms().node(t);  // a copy: making terms moves the table
    if (n.kind == smt::TermKind::Value) return constant(n.value->as_bool());
    if (n.kind != smt::TermKind::App) return enumerate(t);
    auto sub = [&](size_t i) { return formula(n.args[i]); };
    switch (n.op)
    {
      case SOp::Not:
      {
        auto a = sub(0);
        if (!a) return std::nullopt;
        if (a->text == "true" || a->text == "false") return constant(a->text == "false");
        return Formula{negated(a->text), S.make_term(SOp::Not, a->meaning)};
      }
      case SOp::And:
      case SOp::Or:
      {
        bool is_and = n.op == SOp::And;
        std::string text;
        std::vector<std::string> texts;
        Term meaning = S.make_value(is_and);
        size_t parts = 0;
        for (size_t i = 0; i < n.args.size(); ++i)
        {
          auto a = sub(i);
          if (!a) return enumerate(t);
          if (a->text == (is_and ? "true" : "false")) continue;
          if (a->text == (is_and ? "false" : "true")) return constant(!is_and);
          text += (parts++ ? (is_and ? " && " : " || ") : "") + a->text;
          texts.push_back(a->text);
          meaning = S.make_term(n.op, meaning, a->meaning);
        }
        if (parts == 0) return constant(is_and);
        if (!is_and && parts == 2 && texts[0].front() == '!' && atomic(texts[0].substr(1)))
          text = texts[0].substr(1) + " => " + texts[1];  // !a || b  reads better as  a => b
        return Formula{parts == 1 ? text : "(" + text + ")", meaning};
      }
      case SOp::Implies:
      {
        auto a = sub(0), b = sub(1);
        if (!a || !b) return enumerate(t);
        return Formula{"(" + a->text + " => " + b->text + ")", S.make_term(SOp::Implies, a->meaning, b->meaning)};
      }
      case SOp::Ite:
      {
        if (S.terms().kind(n.sort) != smt::SortKind::Bool) break;
        auto c = sub(0), a = sub(1), b = sub(2);
        if (!c || !a || !b) return enumerate(t);
        return Formula{"(if " + c->text + " then " + a->text + " else " + b->text + ")",
                       S.make_term(SOp::Ite, c->meaning, a->meaning, b->meaning)};
      }
      case SOp::Equal:
      case SOp::Distinct:
      {
        if (S.terms().kind(S.sort_of(n.args[0])) == smt::SortKind::Bool)
        {
          if (n.args.size() != 2) return enumerate(t);
          auto a = sub(0), b = sub(1);
          if (!a || !b) return enumerate(t);
          const char* op = n.op == SOp::Equal ? " == " : " != ";
          Term eq = S.make_term(SOp::Equal, a->meaning, b->meaning);
          return Formula{"(" + a->text + op + b->text + ")", n.op == SOp::Equal ? eq : S.make_term(SOp::Not, eq)};
        }
        if (auto f = compare_pieces(n)) return f;
        std::string text;
        Term meaning = S.make_value(true);
        for (size_t i = 0; i < n.args.size(); ++i)
          for (size_t j = i + 1; j < n.args.size(); ++j)
          {
            if (n.op == SOp::Equal && j != i + 1) continue;
            auto f = compare(n.args[i], n.op == SOp::Equal ? "==" : "!=", n.args[j]);
            if (!f) return enumerate(t);
            if (f->text == "true") continue;
            if (f->text == "false") return constant(false);
            text += (text.empty() ? "" : " && ") + f->text;
            meaning = S.make_term(SOp::And, meaning, f->meaning);
          }
        if (text.empty()) return constant(true);
        return Formula{text.find(" && ") == std::string::npos ? text : "(" + text + ")", meaning};
      }
      case SOp::Le:
      case SOp::Lt:
      case SOp::Ge:
      case SOp::Gt:
      {
        // a >= b is b <= a.
        bool flip = n.op == SOp::Ge || n.op == SOp::Gt;
        bool strict = n.op == SOp::Lt || n.op == SOp::Gt;
        auto f = compare(n.args[flip ? 1 : 0], strict ? "<" : "<=", n.args[flip ? 0 : 1]);
        return f ? f : enumerate(t);
      }
      case SOp::BVUle:
      case SOp::BVUlt:
      {
        auto f = compare(n.args[0], n.op == SOp::BVUle ? "<=" : "<", n.args[1]);
        return f ? f : enumerate(t);
      }
      case SOp::BVSle:
      case SOp::BVSlt:
      {
        auto a = integer(n.args[0]), b = integer(n.args[1]);
        if (!a || !b) return enumerate(t);
        uint32_t w = S.terms().node(S.sort_of(n.args[0])).width;
        auto sa = signed_of(*a, w), sb = signed_of(*b, w);
        if (!sa || !sb) return enumerate(t);
        auto f = compare_integers(*sa, n.op == SOp::BVSle ? "<=" : "<", *sb);
        return f ? f : enumerate(t);
      }
      default:
        break;
    }
    return enumerate(t);
  }

  // Equalities that compare a piece with a value, or two pieces of one
  // enumeration or message type, or Boolean bits.
  std::optional<Formula> compare_pieces(const smt::TermNode& n)
  {
    if (n.args.size() != 2) return std::nullopt;
    bool eq = n.op == SOp::Equal;
    for (int side = 0; side < 2; ++side)
    {
      auto it = d_piece_of.find(n.args[side]);
      if (it == d_piece_of.end()) continue;
      size_t i = it->second;
      const Piece& p = P[i];
      if (p.kind == PieceKind::Int || p.kind == PieceKind::Opaque) return std::nullopt;
      Term other = n.args[1 - side];
      if (auto v = index_of_value(i, other))
      {
        if (*v >= p.card) return constant(!eq);  // not a well-formed value
        Term m;
        std::string text = piece_equals(i, *v, m);
        return eq ? Formula{text, m} : Formula{negated(text), S.make_term(SOp::Not, m)};
      }
      auto jt = d_piece_of.find(other);
      if (jt == d_piece_of.end()) return std::nullopt;
      const Piece& q = P[jt->second];
      if (q.kind != p.kind || q.type != p.type || (p.kind != PieceKind::Enum && p.kind != PieceKind::Bool))
        return std::nullopt;
      Term m = S.make_term(SOp::Equal, F[i], F[jt->second]);
      return Formula{"(" + p.name + (eq ? " == " : " != ") + q.name + ")", eq ? m : S.make_term(SOp::Not, m)};
    }
    return std::nullopt;
  }

  std::optional<Formula> compare(Term a, const char* op, Term b)
  {
    auto x = integer(a), y = integer(b);
    if (!x || !y) return std::nullopt;
    return compare_integers(*x, op, *y);
  }

  std::optional<Formula> compare_integers(const Integer& a, std::string op, const Integer& b)
  {
    // Decided by the bounds: a conjunct that only says the values are well formed.
    auto decided = [&]() -> std::optional<bool>
    {
      if (op == "<=")
        return a.hi <= b.lo ? std::optional<bool>(true) : a.lo > b.hi ? std::optional<bool>(false) : std::nullopt;
      if (op == "<")
        return a.hi < b.lo ? std::optional<bool>(true) : a.lo >= b.hi ? std::optional<bool>(false) : std::nullopt;
      if (op == "==" || op == "!=")
      {
        if (a.hi < b.lo || b.hi < a.lo) return op == "!=";
        if (a.lo == a.hi && b.lo == b.hi) return (a.lo == b.lo) == (op == "==");
      }
      return std::nullopt;
    }();
    if (decided) return constant(*decided);
    SOp smt_op = op == "<=" ? op_le() : op == "<" ? op_lt() : SOp::Equal;
    std::string lhs, rhs;
    Term lm, rm;
    if (a.linear && b.linear)
    {
      // a - b op 0, with the positive terms on the left and the rest on the right.
      std::map<size_t, __int128> d = a.coef;
      for (auto& [i, k] : b.coef) d[i] -= k;
      __int128 c = a.c - b.c;
      std::map<size_t, __int128> left, right;
      for (auto& [i, k] : d)
        if (k > 0)
          left[i] = k;
        else if (k < 0)
          right[i] = -k;
      if (left.empty() && !right.empty())
      {
        // Mirror, so that a variable comes first: -y op -c  is  c op' y.
        std::swap(left, right);
        c = -c;
        if (op == "<=")
          op = ">=";
        else if (op == "<")
          op = ">";
      }
      // left + c op right  is  left op right - c
      Integer l = linear(left, 0), r = linear(right, -c);
      lhs = l.text;
      rhs = r.text;
      lm = l.meaning;
      rm = r.meaning;
    }
    else
    {
      lhs = operand(a);
      rhs = operand(b);
      lm = a.meaning;
      rm = b.meaning;
    }
    Term m;
    if (op == ">=" || op == ">")
      m = S.make_term(op == ">=" ? op_le() : op_lt(), rm, lm);
    else
      m = S.make_term(smt_op, lm, rm);
    if (op == "!=") m = S.make_term(SOp::Not, m);
    return Formula{"(" + lhs + " " + op + " " + rhs + ")", m};
  }

  // ---- integers
  std::string operand(const Integer& x)
  {
    std::string t = x.linear ? linear(x.coef, x.c).text : x.text;
    return atomic(t) ? t : "(" + t + ")";
  }

  Integer linear(const std::map<size_t, __int128>& coef, __int128 c)
  {
    Integer r;
    r.linear = true;
    r.coef = coef;
    r.c = c;
    std::string text;
    Term m = k64(0);
    bool first = true;
    for (auto& [i, k] : coef)
    {
      if (k == 0) continue;
      __int128 mag = k < 0 ? -k : k;
      std::string term = mag == 1 ? P[i].name : num(mag) + " * " + P[i].name;
      text += first ? (k < 0 ? "-" + term : term) : (k < 0 ? " - " : " + ") + term;
      first = false;
      Term v = value64(i);
      if (mag != 1) v = S.make_term(op_mul(), k64(mag), v);
      m = S.make_term(k < 0 ? op_sub() : op_add(), m, v);
    }
    if (first)
      text = num(c);
    else if (c != 0)
      text += (c < 0 ? " - " : " + ") + num(c < 0 ? -c : c);
    if (c != 0) m = S.make_term(op_add(), m, k64(c));
    r.text = text;
    r.meaning = m;
    return r;
  }

  Integer opaque_integer(std::string text, Term meaning, __int128 lo, __int128 hi)
  {
    Integer r;
    r.text = std::move(text);
    r.meaning = meaning;
    r.lo = lo;
    r.hi = hi;
    return r;
  }

  Integer with_bounds(Integer r, __int128 lo, __int128 hi)
  {
    r.lo = lo;
    r.hi = hi;
    return r;
  }

  static bool fits(__int128 v) { return v > -kLimit && v < kLimit; }

  std::optional<Integer> add(const Integer& a, const Integer& b, bool subtract)
  {
    __int128 lo = subtract ? a.lo - b.hi : a.lo + b.lo, hi = subtract ? a.hi - b.lo : a.hi + b.hi;
    if (!fits(lo) || !fits(hi)) return std::nullopt;
    if (a.linear && b.linear)
    {
      std::map<size_t, __int128> coef = a.coef;
      for (auto& [i, k] : b.coef) coef[i] += subtract ? -k : k;
      Integer r = linear(coef, subtract ? a.c - b.c : a.c + b.c);
      return with_bounds(r, lo, hi);
    }
    return opaque_integer(operand(a) + (subtract ? " - " : " + ") + operand(b),
                          S.make_term(subtract ? op_sub() : op_add(), a.meaning, b.meaning), lo, hi);
  }

  // x mod 2^w for 0 <= x's lower bound... x may be negative after a
  // subtraction: (x + 2^w) % 2^w with Keel's truncating %.
  std::optional<Integer> wrap(const Integer& x, uint32_t w)
  {
    __int128 m = __int128{1} << w;
    if (x.lo >= 0 && x.hi < m) return x;
    if (w > 60 || x.lo < -m || !fits(x.hi + m)) return std::nullopt;
    Integer shifted = x;
    if (x.lo < 0)
    {
      auto s = add(x, constant_integer(m), false);
      if (!s) return std::nullopt;
      shifted = *s;
    }
    return opaque_integer("(" + operand(shifted) + " % " + num(m) + ")",
                          S.make_term(SOp::BVSRem, shifted.meaning, k64(m)), 0, std::min(shifted.hi, m - 1));
  }

  Integer constant_integer(__int128 v)
  {
    Integer r = linear({}, v);
    return with_bounds(r, v, v);
  }

  std::optional<Integer> signed_of(const Integer& x, uint32_t w)
  {
    if (w > 60) return x.hi < kLimit ? std::optional<Integer>(x) : std::nullopt;  // the sign bit is clear
    __int128 half = __int128{1} << (w - 1);
    if (x.hi < half) return x;
    if (x.lo >= half) return add(x, constant_integer(half * 2), true);
    Term m = S.make_term(SOp::Ite, S.make_term(SOp::BVSlt, x.meaning, k64(half)), x.meaning,
                         S.make_term(SOp::BVSub, x.meaning, k64(half * 2)));
    std::string t = operand(x);
    return opaque_integer("(if " + t + " < " + num(half) + " then " + t + " else " + t + " - " + num(half * 2) + ")", m,
                          x.lo - half * 2, half - 1);
  }

  std::optional<Integer> integer(Term t)
  {
    if (auto it = d_integers.find(t); it != d_integers.end()) return it->second;
    std::optional<Integer> r = integer_uncached(t);
    d_integers.emplace(t, r);
    return r;
  }

  // Lia: an Int term as a Keel integer. No wrap-around: the bounds only
  // guard against int64 overflow in the printed text.
  std::optional<Integer> lia_integer(Term t)
  {
    const smt::TermNode n = S.terms().node(t);  // a copy: making terms moves the table
    if (S.terms().kind(n.sort) != smt::SortKind::Int) return std::nullopt;
    if (n.kind == smt::TermKind::Value)
    {
      int64_t v = n.value->as_int();
      if (!fits(v)) return std::nullopt;
      return constant_integer(v);
    }
    if (n.kind == smt::TermKind::Const)
    {
      auto it = d_piece_of.find(t);
      if (it == d_piece_of.end() || P[it->second].kind != PieceKind::Int) return std::nullopt;
      const Piece& p = P[it->second];
      return with_bounds(linear({{it->second, 1}}, 0), p.lo, p.lo + static_cast<__int128>(p.card) - 1);
    }
    auto arg = [&](size_t i) { return integer(n.args[i]); };
    switch (n.op)
    {
      case SOp::Plus:
      case SOp::Minus:
      {
        auto acc = arg(0);
        if (acc && n.op == SOp::Minus && n.args.size() == 1) return add(constant_integer(0), *acc, true);
        for (size_t i = 1; acc && i < n.args.size(); ++i)
        {
          auto b = arg(i);
          if (!b) return std::nullopt;
          acc = add(*acc, *b, n.op == SOp::Minus);
        }
        return acc;
      }
      case SOp::Mult:
      {
        // Only by constants, so that the bounds and linearity stay exact.
        auto acc = arg(0);
        for (size_t i = 1; acc && i < n.args.size(); ++i)
        {
          auto b = arg(i);
          if (!b) return std::nullopt;
          if (b->lo != b->hi) std::swap(*acc, *b);
          if (b->lo != b->hi) return std::nullopt;
          acc = scale(*acc, b->lo);
        }
        return acc;
      }
      case SOp::Div:
      case SOp::Mod:
      {
        // SMT-LIB's div and mod are Keel's truncating / and % for a dividend
        // that cannot be negative (on well-formed states) and a positive divisor.
        auto a = arg(0), b = arg(1);
        if (!a || !b || b->lo != b->hi || b->lo <= 0 || a->lo < 0) return std::nullopt;
        bool div = n.op == SOp::Div;
        return opaque_integer("(" + operand(*a) + (div ? " / " : " % ") + operand(*b) + ")",
                              S.make_term(n.op, a->meaning, b->meaning), 0,
                              div ? a->hi / b->lo : std::min(a->hi, b->lo - 1));
      }
      case SOp::Ite:
        return ite_integer(n);
      default:
        break;
    }
    return std::nullopt;
  }

  // (if c then a else b) over integers (either encoding): within both branches' bounds.
  std::optional<Integer> ite_integer(const smt::TermNode& n)
  {
    auto c = formula(n.args[0]);
    auto a = integer(n.args[1]), b = integer(n.args[2]);
    if (!c || !a || !b) return std::nullopt;
    return opaque_integer("(if " + c->text + " then " + operand(*a) + " else " + operand(*b) + ")",
                          S.make_term(SOp::Ite, c->meaning, a->meaning, b->meaning), std::min(a->lo, b->lo),
                          std::max(a->hi, b->hi));
  }

  // k * x, exactly.
  std::optional<Integer> scale(const Integer& x, __int128 k)
  {
    __int128 lo = x.lo * k, hi = x.hi * k;
    if (!fits(k) || !fits(lo) || !fits(hi)) return std::nullopt;
    if (lo > hi) std::swap(lo, hi);
    if (x.linear)
    {
      std::map<size_t, __int128> coef;
      for (auto& [i, c] : x.coef) coef[i] = c * k;
      return with_bounds(linear(coef, x.c * k), lo, hi);
    }
    return opaque_integer(num(k) + " * " + operand(x), S.make_term(op_mul(), k64(k), x.meaning), lo, hi);
  }

  // The unsigned value of a bit-vector term as a Keel integer.
  std::optional<Integer> integer_uncached(Term t)
  {
    if (d_lia) return lia_integer(t);
    const smt::TermNode n = S.terms().node(t);  // a copy: making terms moves the table
    if (S.terms().kind(n.sort) != smt::SortKind::BitVec) return std::nullopt;
    const uint32_t w = S.terms().node(n.sort).width;
    if (n.kind == smt::TermKind::Value)
    {
      const smt::BitVector& bv = n.value->as_bitvector();
      for (uint32_t i = 60; i < bv.width(); ++i)
        if (bv.bit(i)) return std::nullopt;
      uint64_t v = 0;
      for (uint32_t i = 0; i < std::min(bv.width(), 60u); ++i)
        if (bv.bit(i)) v |= uint64_t{1} << i;
      return constant_integer(v);
    }
    if (n.kind == smt::TermKind::Const)
    {
      auto it = d_piece_of.find(t);
      if (it == d_piece_of.end() || P[it->second].kind != PieceKind::Int || w > 60) return std::nullopt;
      const Piece& p = P[it->second];
      Integer r = linear({{it->second, 1}}, -static_cast<__int128>(p.lo));
      return with_bounds(r, 0, static_cast<__int128>(p.card) - 1);
    }
    auto arg = [&](size_t i) { return integer(n.args[i]); };
    switch (n.op)
    {
      case SOp::BVAdd:
      case SOp::BVSub:
      {
        auto acc = arg(0);
        for (size_t i = 1; acc && i < n.args.size(); ++i)
        {
          auto b = arg(i);
          if (!b) return std::nullopt;
          acc = add(*acc, *b, n.op == SOp::BVSub);
          if (acc) acc = wrap(*acc, w);
        }
        return acc;
      }
      case SOp::BVMul:
      {
        auto a = arg(0), b = arg(1);
        if (n.args.size() != 2 || !a || !b) return std::nullopt;
        // Only by a constant, so that the bounds and linearity stay exact.
        if (!(b->lo == b->hi) && a->lo == a->hi) std::swap(a, b);
        if (b->lo != b->hi || b->lo < 0) return std::nullopt;
        __int128 k = b->lo, hi = a->hi * k;
        if (!fits(hi)) return std::nullopt;
        Integer r;
        if (a->linear)
        {
          std::map<size_t, __int128> coef;
          for (auto& [i, c] : a->coef) coef[i] = c * k;
          r = linear(coef, a->c * k);
        }
        else
          r = opaque_integer(num(k) + " * " + operand(*a), S.make_term(SOp::BVMul, k64(k), a->meaning), 0, 0);
        return wrap(with_bounds(r, a->lo * k, hi), w);
      }
      case SOp::BVUDiv:
      case SOp::BVURem:
      {
        auto a = arg(0), b = arg(1);
        if (!a || !b || b->lo <= 0) return std::nullopt;  // x / 0 is all ones in SMT, an error in Keel
        bool div = n.op == SOp::BVUDiv;
        return opaque_integer("(" + operand(*a) + (div ? " / " : " % ") + operand(*b) + ")",
                              S.make_term(div ? SOp::BVSDiv : SOp::BVSRem, a->meaning, b->meaning), 0,
                              div ? a->hi / b->lo : std::min(a->hi, b->hi - 1));
      }
      case SOp::Extract:
      {
        auto a = arg(0);
        if (!a) return std::nullopt;
        uint32_t hi = n.indices[0], lo = n.indices[1];
        Integer x = *a;
        if (lo > 0)
        {
          __int128 d = __int128{1} << lo;
          x = opaque_integer("(" + operand(x) + " / " + num(d) + ")", S.make_term(SOp::BVSDiv, x.meaning, k64(d)),
                             x.lo / d, x.hi / d);
        }
        return wrap(x, hi - lo + 1);
      }
      case SOp::Concat:
      {
        auto a = arg(0), b = arg(1);
        if (!a || !b) return std::nullopt;
        uint32_t wb = S.terms().node(S.sort_of(n.args[1])).width;
        if (wb > 60) return std::nullopt;
        __int128 m = __int128{1} << wb;
        Integer shifted;
        if (a->linear)
        {
          std::map<size_t, __int128> coef;
          for (auto& [i, c] : a->coef) coef[i] = c * m;
          shifted = linear(coef, a->c * m);
        }
        else
          shifted = opaque_integer(num(m) + " * " + operand(*a), S.make_term(SOp::BVMul, k64(m), a->meaning), 0, 0);
        if (!fits(a->hi * m)) return std::nullopt;
        return add(with_bounds(shifted, a->lo * m, a->hi * m), *b, false);
      }
      case SOp::ZeroExtend:
        return arg(0);
      case SOp::BVNot:
      {
        auto a = arg(0);
        if (!a || w > 60) return std::nullopt;
        return add(constant_integer((__int128{1} << w) - 1), *a, true);
      }
      case SOp::BVAnd:
      {
        // x & (2^k - 1) is x % 2^k.
        if (n.args.size() != 2) return std::nullopt;
        auto a = arg(0), b = arg(1);
        if (!a || !b) return std::nullopt;
        if (a->lo == a->hi) std::swap(a, b);
        if (b->lo != b->hi) return std::nullopt;
        __int128 mask = b->lo;
        uint32_t k = 0;
        while (k < 61 && (__int128{1} << k) - 1 < mask) ++k;
        if ((__int128{1} << k) - 1 != mask) return std::nullopt;
        return wrap(*a, k);
      }
      case SOp::Ite:
        return ite_integer(n);
      default:
        break;
    }
    return std::nullopt;
  }

  // ---- tabulation: a formula over a few small pieces, by its truth table.
  std::optional<Formula> enumerate(Term t)
  {
    std::vector<Term> consts = smt::constants_of(S.terms(), {t});
    std::vector<size_t> pieces;
    uint64_t combos = 1;
    for (Term c : consts)
    {
      auto it = d_piece_of.find(c);
      if (it == d_piece_of.end()) return std::nullopt;
      const Piece& p = P[it->second];
      if (p.kind == PieceKind::Opaque || p.card == 0 || p.card > kMaxEnumeration) return std::nullopt;
      combos *= p.card;
      if (combos > kMaxEnumeration) return std::nullopt;
      pieces.push_back(it->second);
    }
    if (pieces.empty()) return std::nullopt;
    std::vector<std::vector<uint64_t>> yes, no;
    std::vector<uint64_t> v(pieces.size(), 0);
    for (uint64_t n = 0; n < combos; ++n)
    {
      uint64_t rest = n;
      for (size_t i = 0; i < pieces.size(); ++i)
      {
        v[i] = rest % P[pieces[i]].card;
        rest /= P[pieces[i]].card;
      }
      std::unordered_map<Term, Term> at;
      for (size_t i = 0; i < pieces.size(); ++i) at.emplace(F[pieces[i]], piece_value(pieces[i], v[i]));
      S.push();
      S.assert_formula(smt::substitute(S, t, at));
      smt::Result r = S.check_sat();
      S.pop();
      if (r == smt::Result::Unknown) return std::nullopt;
      (r == smt::Result::Sat ? yes : no).push_back(v);
    }
    if (no.empty()) return constant(true);
    if (yes.empty()) return constant(false);
    if (pieces.size() == 1 && P[pieces[0]].kind == PieceKind::Int) return intervals(pieces[0], yes);
    if (pieces.size() == 1 && P[pieces[0]].kind == PieceKind::Enum && yes.size() > 1 && no.size() > 1)
      return members(pieces[0], yes.size() <= no.size() ? yes : no, yes.size() <= no.size());
    auto row = [&](const std::vector<uint64_t>& vals, Term& m)
    {
      std::string text;
      m = S.make_value(true);
      for (size_t i = 0; i < pieces.size(); ++i)
      {
        Term e;
        text += (i ? " && " : "") + piece_equals(pieces[i], vals[i], e);
        m = S.make_term(SOp::And, m, e);
      }
      return pieces.size() == 1 ? text : "(" + text + ")";
    };
    bool list_yes = yes.size() <= no.size();
    std::string text;
    Term m = S.make_value(!list_yes);
    for (const auto& vals : list_yes ? yes : no)
    {
      Term e;
      std::string r = row(vals, e);
      if (list_yes)
      {
        text += (text.empty() ? "" : " || ") + r;
        m = S.make_term(SOp::Or, m, e);
      }
      else
      {
        text += (text.empty() ? "" : " && ") + negated(r);
        m = S.make_term(SOp::And, m, S.make_term(SOp::Not, e));
      }
    }
    size_t rows = (list_yes ? yes : no).size();
    return Formula{rows == 1 ? text : "(" + text + ")", m};
  }

  // An enumeration piece in a set of values: e in {a, b}, or !(e in {a, b}).
  Formula members(size_t i, const std::vector<std::vector<uint64_t>>& values, bool in)
  {
    const Piece& p = P[i];
    std::string set;
    Term m = S.make_value(false);
    for (const auto& v : values)
    {
      set += (set.empty() ? "" : ", ") + p.type->values.at(v[0]);
      m = S.make_term(SOp::Or, m, S.make_term(SOp::Equal, F[i], piece_value(i, v[0])));
    }
    std::string text = "(" + p.name + " in {" + set + "})";
    return in ? Formula{text, m} : Formula{"!" + text, S.make_term(SOp::Not, m)};
  }

  // An integer piece's allowed values as a union of intervals: x <= 5,
  // 2 <= x && x <= 4, x == 7, ...
  Formula intervals(size_t i, const std::vector<std::vector<uint64_t>>& values)
  {
    const Piece& p = P[i];
    std::vector<std::pair<uint64_t, uint64_t>> runs;
    for (const auto& v : values)
      if (!runs.empty() && runs.back().second + 1 == v[0])
        runs.back().second = v[0];
      else
        runs.push_back({v[0], v[0]});
    std::string text;
    Term m = S.make_value(false);
    SOp le_op = d_lia ? SOp::Le : SOp::BVUle;  // encodings: unsigned offsets, or the values
    for (auto [a, b] : runs)
    {
      std::string lo = num(p.lo + static_cast<__int128>(a)), hi = num(p.lo + static_cast<__int128>(b));
      std::string run;
      Term rm;
      Term ge = S.make_term(le_op, piece_value(i, a), F[i]);
      Term le = S.make_term(le_op, F[i], piece_value(i, b));
      if (a == b)
      {
        run = "(" + p.name + " == " + lo + ")";
        rm = S.make_term(SOp::Equal, F[i], piece_value(i, a));
      }
      else if (a == 0)
      {
        run = "(" + p.name + " <= " + hi + ")";
        rm = le;
      }
      else if (b + 1 == p.card)
      {
        run = "(" + p.name + " >= " + lo + ")";
        rm = ge;
      }
      else
      {
        run = "(" + lo + " <= " + p.name + " && " + p.name + " <= " + hi + ")";
        rm = S.make_term(SOp::And, ge, le);
      }
      text += (text.empty() ? "" : " || ") + run;
      m = S.make_term(SOp::Or, m, rm);
    }
    return Formula{runs.size() == 1 ? text : "(" + text + ")", m};
  }

  smt::Solver& S;
  const std::vector<Piece>& P;
  const std::vector<Term>& F;
  Term d_wf;
  bool d_lia;
  Sort d_bv64;  // the sort of meanings: 64-bit bit-vectors, or Int under Lia
  std::unordered_map<Term, size_t> d_piece_of;
  std::unordered_map<Term, std::optional<Formula>> d_formulas;
  std::unordered_map<Term, std::optional<Integer>> d_integers;
};

// ---------------------------------------------------------------- the system

// The transition system over the pieces, built in one solver: the formals
// v (the relation's arguments) and v' (the next state's), and the state
// terms made of them.
//
// Arith::Lia: a free state's Int pieces can leave their types' intervals,
// where the encoding (which gives each piece its declared interval) is not
// exact. Every reachable state is well formed, so the clauses that start
// from Inv(v) assume well_formed(v) (`assumed`), and the checks of Spacer's
// invariant I do the same: I with well-formedness is then proved inductive,
// which is all a proof needs. Under Bv `assumed` is true, as before.
struct System
{
  System(const Model& m, smt::Solver& s, const std::vector<Piece>& pieces, bool check_deadlock, symbolic::Arith arith)
      : enc(m, s, arith)
  {
    if (arith == symbolic::Arith::Lia)
    {
      std::vector<std::pair<Sort, std::string>> sorts = enc.piece_sorts();
      if (sorts.size() != pieces.size())
        throw smt::SmtError(smt::SmtErrorKind::Bug, "pdr: the Keel pieces are not the encoder's state pieces");
      for (size_t i = 0; i < pieces.size(); ++i)
      {
        bool is_bool = s.terms().kind(sorts[i].first) == smt::SortKind::Bool;
        if (is_bool != (pieces[i].kind == PieceKind::Bool))
          throw smt::SmtError(smt::SmtErrorKind::Bug, "pdr: piece " + pieces[i].name + " has the wrong sort");
        now.push_back(make(s, pieces[i].name, sorts[i].first));
        next.push_back(make(s, pieces[i].name + "'", sorts[i].first));
      }
      state = enc.state_of_pieces(now);
      state_next = enc.state_of_pieces(next);
    }
    else
    {
      for (const Piece& p : pieces)
      {
        Sort sort = s.make_sort(smt::SortKind::BitVec, p.width);
        now.push_back(make(s, p.name, sort));
        next.push_back(make(s, p.name + "'", sort));
      }
      state = concat(s, now, m.state_bits);
      state_next = concat(s, next, m.state_bits);
    }
    symbolic::Step init = enc.initial();
    init_failure = init.failure;
    initial = enc.leads_to(init, state);
    symbolic::StateChecks checks = enc.state_checks(state);
    symbolic::Step step = enc.step(state);
    expanded = checks.expanded;
    transition = enc.leads_to(step, state_next);
    bad_state = checks.bad;
    bad_step = enc.mk_and(checks.expanded, step.failure);
    deadlock = check_deadlock ? enc.deadlocked(checks, step) : enc.false_term();
    well_formed = enc.well_formed(state);
    assumed = arith == symbolic::Arith::Lia ? well_formed : enc.true_term();
  }

  // A piece's name as a constant; a name SMT-LIB reserves (a Keel variable
  // called `select`, say) gets a prefix.
  static Term make(smt::Solver& s, const std::string& name, Sort sort)
  {
    try
    {
      return s.make_const(name, sort);
    }
    catch (const smt::SmtError& e)
    {
      if (e.kind() != smt::SmtErrorKind::User) throw;
      return s.make_const("keel!" + name, sort);
    }
  }

  static StateTerm concat(smt::Solver& s, const std::vector<Term>& pieces, uint32_t bits)
  {
    if (pieces.empty()) return {};
    Term t = pieces[0];  // pieces are in offset order: the first is the lowest
    for (size_t i = 1; i < pieces.size(); ++i) t = s.make_term(SOp::Concat, pieces[i], t);
    return StateTerm{t, bits};
  }

  Term rename_to_next(smt::Solver& s, Term t) const
  {
    std::unordered_map<Term, Term> map;
    for (size_t i = 0; i < now.size(); ++i) map.emplace(now[i], next[i]);
    return smt::substitute(s, t, map);
  }

  Encoder enc;
  std::vector<Term> now, next;
  StateTerm state, state_next;
  Term init_failure, initial, expanded, transition, bad_state, bad_step, deadlock, well_formed;
  Term assumed;  // of the state v in every clause with Inv(v) in its body
};

struct Unconfirmed
{
  std::string what;
};

class Pdr
{
 public:
  Pdr(const Model& m, const PdrOptions& o, PdrInvariant* inv) : d_m(m), d_opts(o), d_inv(inv) {}

  // The logic of the Horn clauses, as the statistics say it ("" before run()).
  const std::string& logic() const { return d_logic; }

  Verdict run()
  {
    if (d_opts.solver != "z3" && d_opts.solver != "both")
      return error(
          "pdr needs a solver with a Horn clause engine (capability chc): z3, or both (z3's Spacer with "
          "the invariant checked by z3 and cvc5); " +
          d_opts.solver + " has none");
    d_pieces = d_opts.arith == symbolic::Arith::Lia ? Layout::lia(d_m).pieces : Layout(d_m).pieces;

    std::unique_ptr<smt::Solver> chc = smt::make_solver("z3");
    if (!chc->capabilities().chc) return error("pdr: the z3 back end has no Horn clause engine");
    if (!d_opts.smt_log.empty()) chc = std::make_unique<smt::LoggingSolver>(std::move(chc), d_opts.smt_log);
    if (d_opts.timeout_ms) chc->set_option("timeout", std::to_string(d_opts.timeout_ms));
    System sys(d_m, *chc, d_pieces, d_opts.check_deadlock, d_opts.arith);
    d_logic = symbolic::logic_description({sys.enc.arithmetic_widths()}, d_opts.arith);

    smt::ChcSystem clauses;
    smt::RelationId inv = clauses.add_relation("Inv", sys.now);
    smt::RelationApp now{inv, sys.now}, next{inv, sys.next};
    auto add = [&](std::vector<smt::RelationApp> body, Term constraint, std::optional<smt::RelationApp> head,
                   const char* name) -> std::optional<size_t>
    {
      if (constraint == sys.enc.false_term()) return std::nullopt;  // never applies
      return clauses.add_clause({std::move(body), constraint, std::move(head), name});
    };
    add({}, sys.initial, now, "the initial states");
    add({}, sys.init_failure, std::nullopt, "a failure while computing the initial states");
    auto from = [&](Term t) { return t == sys.enc.false_term() ? t : sys.enc.mk_and(sys.assumed, t); };
    d_step_clause = add({now}, from(sys.enc.mk_and(sys.expanded, sys.transition)), next, "a step");
    add({now}, from(sys.bad_state), std::nullopt, "an invariant or lemma false (or not evaluable)");
    add({now}, from(sys.bad_step), std::nullopt, "an action failing");
    add({now}, from(sys.deadlock), std::nullopt, "a deadlock");

    smt::ChcAnswer answer = chc->solve_chc(clauses);
    switch (answer.result)
    {
      case smt::ChcResult::Unknown:
        return error("pdr: Spacer could not decide (" + answer.reason + ")");
      case smt::ChcResult::Unsafe:
        return counterexample(answer);
      case smt::ChcResult::Safe:
        break;
    }
    Term invariant = answer.interpretations.at(inv);
    if (d_opts.solver == "both")
    {
      // The checks on z3 and cvc5 in lock-step, on a system built anew.
      std::unique_ptr<smt::Solver> both =
          std::make_unique<smt::CrossCheckSolver>(smt::make_solver("z3"), smt::make_solver("cvc5"));
      if (!d_opts.smt_log.empty())
        both = std::make_unique<smt::LoggingSolver>(std::move(both), d_opts.smt_log + ".check");
      System again(d_m, *both, d_pieces, d_opts.check_deadlock, d_opts.arith);
      smt::TermCopier copy(chc->terms(), *both);
      return prove(*both, again, copy(invariant));
    }
    return prove(*chc, sys, invariant);
  }

 private:
  Verdict error(const std::string& message)
  {
    Verdict v;
    v.kind = VerdictKind::Error;
    v.message = message;
    return v;
  }

  // Spacer's invariant I, checked before anything is claimed: the initial
  // states are in I, I is closed under steps, and no state of I is bad.
  Verdict prove(smt::Solver& s, System& sys, Term inv)
  {
    Term inv_next = sys.rename_to_next(s, inv);
    struct Check
    {
      const char* what;
      Term counterexample;
    };
    const Check checks[] = {
        {"the initial states", sys.init_failure},
        {"implied by the initial states", sys.enc.mk_and(sys.initial, sys.enc.mk_not(inv))},
        {"inductive", sys.enc.mk_and({inv, sys.assumed, sys.expanded, sys.transition, sys.enc.mk_not(inv_next)})},
        {"free of bad states",
         sys.enc.mk_and({inv, sys.assumed, sys.enc.mk_or({sys.bad_state, sys.bad_step, sys.deadlock})})},
    };
    for (const Check& c : checks)
    {
      if (c.counterexample == sys.enc.false_term()) continue;
      s.push();
      s.assert_formula(c.counterexample);
      smt::Result r = s.check_sat();
      s.pop();
      if (r == smt::Result::Unknown)
        return error(std::string("pdr: could not check that Spacer's invariant is ") + c.what + " (" + s.name() +
                     " answered unknown); not reporting a proof");
      if (r != smt::Result::Unsat)
        throw smt::SmtError(smt::SmtErrorKind::Bug, std::string("pdr: Spacer's invariant is not ") + c.what + " (" +
                                                        s.name() + " says " + std::string(to_string(r)) +
                                                        "); not reporting a proof");
    }
    if (d_inv)
    {
      Printer printer(s, d_pieces, sys.now, sys.well_formed, d_opts.arith);
      *d_inv = printer.print(inv);
    }
    Verdict v;
    v.kind = VerdictKind::Holds;
    v.message = std::string("proved by PDR: an inductive invariant from Spacer, checked by ") +
                (d_opts.solver == "both" ? "z3 and cvc5" : "z3");
    return v;
  }

  // Spacer found false derivable: bmc finds the shortest trace, confirmed by
  // the evaluator. How long Spacer's derivation is bounds the search.
  Verdict counterexample(const smt::ChcAnswer& answer)
  {
    uint64_t steps = 0;
    for (size_t c : answer.derivation) steps += c == d_step_clause ? 1 : 0;
    bool known = !answer.derivation.empty();
    // The last action of a failure counts as a step of the trace.
    uint64_t depth = known ? steps + 1 : d_opts.cex_depth;
    BmcOptions bo;
    bo.solver = d_opts.solver;
    bo.depth = depth;
    bo.check_deadlock = d_opts.check_deadlock;
    bo.arith = d_opts.arith;
    if (!d_opts.smt_log.empty()) bo.smt_log = d_opts.smt_log + ".bmc";
    Verdict v = check_bmc(d_m, bo);
    if (v.kind == VerdictKind::Violated) return v;
    if (v.kind == VerdictKind::Error)
      return error("pdr: Spacer found a bad state reachable; bmc could not look for the trace: " + v.message);
    return error(std::string("pdr: Spacer found a bad state reachable") +
                 (known ? " in " + std::to_string(steps) + " steps" : "") +
                 ", but bmc finds no counterexample of at most " + std::to_string(depth) + " steps" +
                 (known ? " (an engine bug)" : " (try a larger --depth)"));
  }

  const Model& d_m;
  const PdrOptions& d_opts;
  PdrInvariant* d_inv;
  std::string d_logic;
  std::vector<Piece> d_pieces;
  std::optional<size_t> d_step_clause;
};

}  // namespace

Verdict check_pdr(const Model& model, const PdrOptions& options, PdrInvariant* invariant)
{
  auto start = std::chrono::steady_clock::now();
  Verdict v;
  try
  {
    Pdr p(model, options, invariant);
    v = p.run();
    v.stats.logic = p.logic();
  }
  catch (const symbolic::NotSupported& e)
  {
    v = symbolic::not_supported_verdict(kEngine, e.what);
  }
  catch (const smt::SmtError& e)
  {
    v = symbolic::solver_failure_verdict(kEngine, e.what());
  }
  v.stats.action_fired.assign(model.actions.size(), 0);
  v.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

}  // namespace keel
