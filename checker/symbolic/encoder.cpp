#include "checker/symbolic/encoder.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "checker/bits.hpp"
#include "checker/eval.hpp"

namespace keel::symbolic
{

namespace
{

using smt::BitVector;
using smt::Sort;
using smt::Term;
using SOp = smt::Op;

constexpr uint64_t kMaxUnroll = 4096;  // values of one domain unrolled
constexpr size_t kMaxPaths = 20000;    // symbolic paths of one action binding

// An encoded value. Bv: a bit-vector `t` of the type's width `w`; width 0
// has no term. Lia: the type's scalar pieces `p` (Int or Bool terms, lowest
// first as the bits are), w = p.size(); positions count pieces, not bits.
struct Bits
{
  Term t;
  uint32_t w = 0;
  std::vector<Term> p = {};
};

// A value: `s` is a Bool term (bool), a 64-bit two's complement integer
// (ranges, Int, enums as ordinals); `x` the encoding of a composite value.
struct Sym
{
  Term s;
  Bits x;
  bool bound = false;
};

struct Path
{
  Term pc;
  Bits state;
  std::vector<Sym> env;
  int action = -1;        // the action this path runs (-1: the initializers)
  uint64_t self = kNone;  // for a process action: the index of `self`
};

class EncoderCore
{
 public:
  EncoderCore(const Model& m, smt::Solver& s, Arith a) : M(m), S(s), lia(a == Arith::Lia)
  {
    d_bool = S.make_sort(smt::SortKind::Bool);
    T = S.make_value(true);
    F = S.make_value(false);
    if (lia)
    {
      d_int_sort = S.make_sort(smt::SortKind::Int);
      uint32_t at = 0;
      for (const Variable& v : M.vars)
      {
        d_var_at.push_back(at);
        at += W(v.type);
      }
      d_state_pieces = at;
    }
  }

  const Model& M;
  smt::Solver& S;
  const bool lia;  // Arith::Lia
  Term T, F;

  // ------------------------------------------------------------ the context
  Term pc;
  Bits state;
  std::vector<Sym> env;
  std::vector<Term>* errs = nullptr;
  int call_depth = 0;

  void load(const Path& p)
  {
    pc = p.pc;
    state = p.state;
    env = p.env;
  }
  Path save() const { return Path{pc, state, env}; }
  void fresh_env() { env.assign(M.locals.size(), Sym{}); }

  // ------------------------------------------------------------ booleans
  Term mk_not(Term a)
  {
    if (a == T) return F;
    if (a == F) return T;
    return S.make_term(SOp::Not, a);
  }
  Term mk_and(Term a, Term b)
  {
    if (a == F || b == F) return F;
    if (a == T) return b;
    if (b == T || a == b) return a;
    return S.make_term(SOp::And, a, b);
  }
  Term mk_or(Term a, Term b)
  {
    if (a == T || b == T) return T;
    if (a == F) return b;
    if (b == F || a == b) return a;
    return S.make_term(SOp::Or, a, b);
  }
  // Integers of different widths are widened to the wider (iite).
  Term mk_ite(Term c, Term a, Term b)
  {
    if (c == T || a == b) return a;
    if (c == F) return b;
    if (d_int.count(a) && d_int.count(b)) return iite(c, a, b);
    return S.make_term(SOp::Ite, c, a, b);
  }
  Term big_or(const std::vector<Term>& v)
  {
    Term r = F;
    for (Term t : v) r = mk_or(r, t);
    return r;
  }

  // A failure possible here: recorded under the path condition; the path
  // goes on only where it does not happen.
  void check(Term fail)
  {
    Term f = mk_and(pc, fail);
    if (f == F) return;
    errs->push_back(f);
    pc = mk_and(pc, mk_not(fail));
  }

  // Runs f with the path condition strengthened by c (a short-circuit
  // operand); afterwards the path continues where c is false or f's checks passed.
  template <typename Fn>
  auto guarded(Term c, Fn&& f)
  {
    Term pc0 = pc;
    pc = mk_and(pc0, c);
    auto r = f();
    pc = mk_or(mk_and(pc0, mk_not(c)), pc);
    return r;
  }

  // ------------------------------------------------------------ integers
  // An integer is a bit-vector term read as two's complement, as narrow as
  // the interval of its possible values allows (docs/engines.md, "Arithmetic:
  // bit-vectors and integers"). Every integer term made here is recorded
  // with its width and an interval that holds in every assignment, not only
  // on the path that computes it (so a division by zero, a failure, still
  // gives a value inside it): changing a term's width within its interval
  // never changes its value. An operation whose exact result interval fits
  // in int64 is encoded at the smallest width that holds its operands and
  // its result, so it cannot overflow and needs no check; otherwise (Int
  // values, whose interval is all of int64) it is 64 bits with the
  // evaluator's overflow checks.
  struct IntInfo
  {
    uint32_t w = 64;
    __int128 lo = INT64_MIN, hi = INT64_MAX;
  };
  static bool fits(__int128 lo, __int128 hi) { return lo >= INT64_MIN && hi <= INT64_MAX; }
  // The smallest two's complement width that holds lo..hi (at least 1).
  static uint32_t width_for(__int128 lo, __int128 hi)
  {
    uint32_t w = 1;
    while (lo < -(__int128{1} << (w - 1)) || hi > (__int128{1} << (w - 1)) - 1) ++w;
    return w;
  }
  static uint32_t width_for(const IntInfo& i) { return width_for(i.lo, i.hi); }
  static __int128 magnitude(const IntInfo& i) { return std::max(i.lo < 0 ? -i.lo : i.lo, i.hi < 0 ? -i.hi : i.hi); }
  IntInfo info(Term t) const
  {
    auto it = d_int.find(t);
    if (it != d_int.end()) return it->second;
    // Lia: every Int term is registered where it is made; one that is not is
    // read as any int64 (the values a well-formed state can hold).
    if (lia) return IntInfo{};
    // Not made as an integer here: any value of its width.
    uint32_t w = S.terms().node(S.sort_of(t)).width;
    if (w == 0 || w > 64) smt::bug("encoder: an integer operand that is not a bit-vector of at most 64 bits");
    return IntInfo{w, -(__int128{1} << (w - 1)), (__int128{1} << (w - 1)) - 1};
  }
  // Records t as an integer of width w with values in lo..hi (intersected
  // with what is known already: both hold).
  Term reg(Term t, uint32_t w, __int128 lo, __int128 hi)
  {
    auto [it, fresh] = d_int.emplace(t, IntInfo{w, lo, hi});
    if (!fresh)
    {
      it->second.lo = std::max(it->second.lo, lo);
      it->second.hi = std::min(it->second.hi, hi);
    }
    return t;
  }
  Term icw(int64_t v, uint32_t w)
  {
    if (lia) w = 64;  // Int constants have no width
    Term t = S.make_value(v, lia ? d_int_sort : bv_sort(w));
    d_ints.emplace(t, v);
    return reg(t, w, v, v);
  }
  Term ic(int64_t v) { return icw(v, width_for(v, v)); }
  std::optional<int64_t> ival(Term t) const
  {
    auto it = d_ints.find(t);
    if (it == d_ints.end()) return std::nullopt;
    return it->second;
  }
  // The same integer at width w (which must hold its interval).
  Term resize(Term t, uint32_t w)
  {
    if (lia) return t;
    IntInfo i = info(t);
    if (i.w == w) return t;
    if (auto v = ival(t)) return icw(*v, w);
    if (w < i.w && width_for(i) > w) smt::bug("encoder: an integer narrowed below its interval");
    Term r = w < i.w ? S.make_term(SOp::Extract, {w - 1, 0}, t)
                     : S.make_term(i.lo >= 0 ? SOp::ZeroExtend : SOp::SignExtend, {w - i.w}, t);
    return reg(r, w, i.lo, i.hi);
  }
  // An arithmetic operation or comparison at width w (counted for the statistics).
  Term arith(SOp op, Term a, Term b, uint32_t w)
  {
    if (lia) smt::bug("encoder: a bit-vector operation under Arith::Lia");
    d_min_width = std::min(d_min_width, w);
    d_max_width = std::max(d_max_width, w);
    return S.make_term(op, a, b);
  }
  Term ieq(Term a, Term b)
  {
    if (a == b) return T;
    auto x = ival(a), y = ival(b);
    if (x && y) return *x == *y ? T : F;
    IntInfo ia = info(a), ib = info(b);
    if (ia.hi < ib.lo || ib.hi < ia.lo) return F;
    if (lia) return S.make_term(SOp::Equal, a, b);
    uint32_t w = std::max(ia.w, ib.w);
    return S.make_term(SOp::Equal, resize(a, w), resize(b, w));
  }
  Term ilt(Term a, Term b)
  {
    auto x = ival(a), y = ival(b);
    if (x && y) return *x < *y ? T : F;
    IntInfo ia = info(a), ib = info(b);
    if (ia.hi < ib.lo) return T;
    if (ia.lo >= ib.hi) return F;
    if (lia) return S.make_term(SOp::Lt, a, b);
    uint32_t w = std::max(ia.w, ib.w);
    return arith(SOp::BVSlt, resize(a, w), resize(b, w), w);
  }
  Term ile(Term a, Term b)
  {
    auto x = ival(a), y = ival(b);
    if (x && y) return *x <= *y ? T : F;
    IntInfo ia = info(a), ib = info(b);
    if (ia.hi <= ib.lo) return T;
    if (ia.lo > ib.hi) return F;
    if (lia) return S.make_term(SOp::Le, a, b);
    uint32_t w = std::max(ia.w, ib.w);
    return arith(SOp::BVSle, resize(a, w), resize(b, w), w);
  }
  // if c then a else b, for two integers (widened to the wider) or two other terms.
  Term iite(Term c, Term a, Term b)
  {
    if (c == T || a == b) return a;
    if (c == F) return b;
    IntInfo ia = info(a), ib = info(b);
    uint32_t w = std::max(ia.w, ib.w);
    return reg(S.make_term(SOp::Ite, c, resize(a, w), resize(b, w)), w, std::min(ia.lo, ib.lo), std::max(ia.hi, ib.hi));
  }
  Term neg_sign(Term a) { return ilt(a, ic(0)); }
  // The width of an exact operation: its operands and its result fit.
  static uint32_t exact_width(const IntInfo& a, const IntInfo& b, __int128 lo, __int128 hi)
  {
    return std::max({width_for(a), width_for(b), width_for(lo, hi)});
  }
  // Checked arithmetic, as the evaluator's __builtin_*_overflow.
  Term add(Term a, Term b, bool checked = true)
  {
    auto x = ival(a), y = ival(b);
    int64_t r;
    if (x && y && !__builtin_add_overflow(*x, *y, &r)) return ic(r);
    if (y && *y == 0) return a;
    if (x && *x == 0) return b;
    IntInfo ia = info(a), ib = info(b);
    __int128 lo = ia.lo + ib.lo, hi = ia.hi + ib.hi;
    if (lia) return lia_result(S.make_term(SOp::Plus, a, b), lo, hi, checked);
    if (fits(lo, hi))
    {
      uint32_t w = exact_width(ia, ib, lo, hi);
      return reg(arith(SOp::BVAdd, resize(a, w), resize(b, w), w), w, lo, hi);
    }
    Term a64 = resize(a, 64), b64 = resize(b, 64);
    Term sum = reg(arith(SOp::BVAdd, a64, b64, 64), 64, INT64_MIN, INT64_MAX);
    if (checked)
    {
      Term sa = neg_sign(a64), sb = neg_sign(b64), sr = neg_sign(sum);
      check(mk_and(S.make_term(SOp::Equal, sa, sb), mk_not(S.make_term(SOp::Equal, sr, sa))));
    }
    return sum;
  }
  Term sub(Term a, Term b, bool checked = true)
  {
    auto x = ival(a), y = ival(b);
    int64_t r;
    if (x && y && !__builtin_sub_overflow(*x, *y, &r)) return ic(r);
    if (y && *y == 0) return a;
    IntInfo ia = info(a), ib = info(b);
    __int128 lo = ia.lo - ib.hi, hi = ia.hi - ib.lo;
    if (lia) return lia_result(S.make_term(SOp::Minus, a, b), lo, hi, checked);
    if (fits(lo, hi))
    {
      uint32_t w = exact_width(ia, ib, lo, hi);
      return reg(arith(SOp::BVSub, resize(a, w), resize(b, w), w), w, lo, hi);
    }
    Term a64 = resize(a, 64), b64 = resize(b, 64);
    Term d = reg(arith(SOp::BVSub, a64, b64, 64), 64, INT64_MIN, INT64_MAX);
    if (!checked) return d;
    Term sa = neg_sign(a64), sb = neg_sign(b64), sr = neg_sign(d);
    check(mk_and(mk_not(S.make_term(SOp::Equal, sa, sb)), mk_not(S.make_term(SOp::Equal, sr, sa))));
    return d;
  }
  Term mul(Term a, Term b)
  {
    auto x = ival(a), y = ival(b);
    int64_t r;
    if (x && y && !__builtin_mul_overflow(*x, *y, &r)) return ic(r);
    if (lia) return lia_mul(a, b);
    IntInfo ia = info(a), ib = info(b);
    if (fits(ia.lo, ia.hi) && fits(ib.lo, ib.hi))
    {
      __int128 c[4] = {ia.lo * ib.lo, ia.lo * ib.hi, ia.hi * ib.lo, ia.hi * ib.hi};
      __int128 lo = *std::min_element(c, c + 4), hi = *std::max_element(c, c + 4);
      if (fits(lo, hi))
      {
        uint32_t w = exact_width(ia, ib, lo, hi);
        return reg(arith(SOp::BVMul, resize(a, w), resize(b, w), w), w, lo, hi);
      }
    }
    Term a64 = resize(a, 64), b64 = resize(b, 64);
    Term p = reg(arith(SOp::BVMul, a64, b64, 64), 64, INT64_MIN, INT64_MAX);
    Term wide =
        arith(SOp::BVMul, S.make_term(SOp::SignExtend, {64}, a64), S.make_term(SOp::SignExtend, {64}, b64), 128);
    check(mk_not(S.make_term(SOp::Equal, wide, S.make_term(SOp::SignExtend, {64}, p))));
    return p;
  }
  // a / b or a % b, truncating as C++ does (the caller checks for division
  // by zero and INT64_MIN / -1). The result's interval also covers the
  // values SMT-LIB gives a division by zero (bvsdiv: -1 or 1, bvudiv: all
  // ones; a remainder: a).
  Term divide(bool quotient, Term a, Term b)
  {
    if (lia) return lia_divide(quotient, a, b);
    IntInfo ia = info(a), ib = info(b);
    __int128 ma = magnitude(ia), mb = magnitude(ib);
    bool zero_divisor = ib.lo <= 0 && ib.hi >= 0;
    if (ia.lo >= 0 && ib.lo >= 0)
    {
      // Unsigned, without the sign bits: u bits hold both operands. By zero,
      // bvudiv gives 2^u - 1 and bvurem the dividend.
      uint32_t u = std::max(width_for(0, ia.hi), width_for(0, ib.hi)) - 1;
      if (u == 0) u = 1;
      __int128 lo = 0, hi = ma;
      if (quotient && !zero_divisor)
      {
        lo = ia.lo / ib.hi;
        hi = ia.hi / ib.lo;
      }
      else if (quotient)
        hi = std::max(ma, (__int128{1} << u) - 1);
      else if (!zero_divisor)
        hi = std::min(ma, mb - 1);
      Term r = arith(quotient ? SOp::BVUDiv : SOp::BVURem, from_int(a, u).t, from_int(b, u).t, u);
      return reg(S.make_term(SOp::ZeroExtend, {1}, r), u + 1, lo, hi);
    }
    __int128 lo, hi;
    if (quotient && !zero_divisor)
    {
      // The divisor keeps its sign: the quotient is monotone in each operand,
      // so its extremes are at the corners.
      __int128 c[4] = {ia.lo / ib.lo, ia.lo / ib.hi, ia.hi / ib.lo, ia.hi / ib.hi};
      lo = *std::min_element(c, c + 4);
      hi = *std::max_element(c, c + 4);
    }
    else if (quotient)
    {
      lo = std::min<__int128>(-ma, -1);
      hi = std::max<__int128>(ma, 1);
    }
    else
    {
      // The remainder has the dividend's sign and is smaller than the divisor.
      __int128 m = zero_divisor ? ma : std::min(ma, mb - 1);
      lo = ia.lo < 0 ? -m : 0;
      hi = ia.hi > 0 ? m : 0;
    }
    // Exact at a width that also holds -a (so INT_MIN / -1 cannot occur there).
    __int128 span_lo = std::min({lo, ia.lo, -ia.hi}), span_hi = std::max({hi, ia.hi, -ia.lo});
    SOp op = quotient ? SOp::BVSDiv : SOp::BVSRem;
    if (fits(span_lo, span_hi) && fits(ib.lo, ib.hi))
    {
      uint32_t w = exact_width(ia, ib, span_lo, span_hi);
      return reg(arith(op, resize(a, w), resize(b, w), w), w, lo, hi);
    }
    return reg(arith(op, resize(a, 64), resize(b, 64), 64), 64, INT64_MIN, INT64_MAX);
  }

  // ------------------------------------------------------------ Lia integers
  // Under Arith::Lia an integer is an Int term holding the value itself.
  // Its interval is exact (IntInfo's bounds are 128-bit), so an operation
  // whose interval fits int64 needs no overflow check; otherwise the check
  // is an exact comparison with the int64 bounds, as the evaluator's
  // __builtin_*_overflow. After a checked operation the path goes on only
  // where the result fits, so the result is registered within int64 (the
  // same term is checked wherever it is made).
  Term lia_result(Term r, __int128 lo, __int128 hi, bool checked)
  {
    d_lia_terms = true;
    if (!fits(lo, hi))
    {
      if (!checked) smt::bug("encoder: an unchecked Lia operation that can leave int64");
      check(mk_or(S.make_term(SOp::Lt, r, ic(INT64_MIN)), S.make_term(SOp::Lt, ic(INT64_MAX), r)));
      lo = std::max<__int128>(lo, INT64_MIN);
      hi = std::min<__int128>(hi, INT64_MAX);
    }
    return reg(r, 64, lo, hi);
  }
  [[noreturn]] void nonlinear(const char* what)
  {
    throw NotSupported{std::string("nonlinear arithmetic (") + what + ") under --arith lia; use --arith bv"};
  }
  // A product with a constant factor (the model is linear).
  Term lia_mul(Term a, Term b)
  {
    if (!ival(a)) std::swap(a, b);
    auto c = ival(a);
    if (!c) nonlinear("a product of two non-constant values");
    if (*c == 0) return ic(0);
    if (*c == 1) return b;
    IntInfo ib = info(b);
    __int128 p1 = ib.lo * *c, p2 = ib.hi * *c;  // |bounds| <= 2^64 after any check, |c| <= 2^63
    return lia_result(S.make_term(SOp::Mult, a, b), std::min(p1, p2), std::max(p1, p2), true);
  }
  // a / c or a % c for a constant c, truncating toward zero as C++ does
  // (SMT-LIB's div and mod are Euclidean: for c > 0, a div c is the floor).
  // The caller checks c == 0 and INT64_MIN / -1; a zero divisor gives 0 here
  // (the path is dead).
  Term lia_divide(bool quotient, Term a, Term b)
  {
    auto c = ival(b);
    if (!c) nonlinear("a division by a non-constant value");
    if (*c == 0) return ic(0);
    IntInfo ia = info(a);
    __int128 lo, hi;
    if (quotient)
    {
      __int128 q1 = ia.lo / *c, q2 = ia.hi / *c;  // truncation is monotone in a
      lo = std::min(q1, q2);
      hi = std::max(q1, q2);
    }
    else
    {
      __int128 m = std::min(magnitude(ia), static_cast<__int128>(*c < 0 ? -static_cast<__int128>(*c) : *c) - 1);
      lo = ia.lo < 0 ? -m : 0;
      hi = ia.hi > 0 ? m : 0;
    }
    d_lia_terms = true;
    if (*c == INT64_MIN)
    {
      // |c| is not an int64: only a == INT64_MIN divides into it.
      Term is_min = ieq(a, ic(INT64_MIN));
      Term r = quotient ? S.make_term(SOp::Ite, is_min, ic(1), ic(0)) : S.make_term(SOp::Ite, is_min, ic(0), a);
      return reg(r, 64, lo, hi);
    }
    int64_t m = *c < 0 ? -*c : *c;
    Term mt = ic(m);
    auto euclid = [&](Term x) { return S.make_term(quotient ? SOp::Div : SOp::Mod, x, mt); };
    Term neg_a = S.make_term(SOp::Minus, a);
    Term pos = euclid(a), neg = S.make_term(SOp::Minus, euclid(neg_a));
    Term r = ia.lo >= 0 ? pos : ia.hi < 0 ? neg : S.make_term(SOp::Ite, S.make_term(SOp::Le, ic(0), a), pos, neg);
    if (quotient && *c < 0) r = S.make_term(SOp::Minus, r);
    return reg(r, 64, lo, hi);
  }

  // ------------------------------------------------------------ layout
  // Positions inside an encoded value: bits (Bv, spec/types.hpp) or pieces
  // (Lia: a scalar of more than one value is one piece, a record its
  // fields' pieces, an array or a sequence's slots its element's, a set one
  // Bool per element, a bag one Int count per element, a sequence its
  // length first, a message its tag first and then every variant's fields,
  // each variant in its own pieces; the other variants' pieces hold zeros).
  uint32_t W(const Type* t)
  {
    if (!lia) return t->bits;
    auto it = d_width.find(t);
    if (it != d_width.end()) return it->second;
    uint64_t n = 0;
    switch (t->kind)
    {
      case TypeKind::Bool:
      case TypeKind::Int:
        n = 1;
        break;
      case TypeKind::Range:
      case TypeKind::Enum:
        n = t->bits ? 1 : 0;
        break;
      case TypeKind::Record:
        for (const Type::Field& f : t->fields) n += W(f.type);
        break;
      case TypeKind::Array:
        n = t->key->card * W(t->elem);
        break;
      case TypeKind::Set:
        n = t->elem->card;
        break;
      case TypeKind::Bag:
        n = t->elem->card * AUX(t);
        break;
      case TypeKind::Seq:
        n = AUX(t) + uint64_t{t->capacity} * W(t->elem);
        break;
      case TypeKind::Message:
        n = AUX(t);
        for (const Type::Variant& v : t->variants)
          for (const Type::Field& f : v.fields) n += W(f.type);
        break;
    }
    if (n > (uint64_t{1} << 24)) throw NotSupported{"a value of more than 2^24 scalar pieces (" + t->name + ")"};
    d_width.emplace(t, static_cast<uint32_t>(n));
    return static_cast<uint32_t>(n);
  }
  // A sequence's length, a message's tag, one bag count.
  uint32_t AUX(const Type* t) const { return lia ? (t->aux_bits ? 1 : 0) : t->aux_bits; }
  uint32_t field_at(const Type* t, size_t i)
  {
    if (!lia) return t->fields[i].offset;
    uint32_t at = 0;
    for (size_t j = 0; j < i; ++j) at += W(t->fields[j].type);
    return at;
  }
  // Field j of variant v of message type t.
  uint32_t vfield_at(const Type* t, size_t v, size_t j)
  {
    if (!lia) return t->aux_bits + t->variants[v].fields[j].offset;
    uint32_t at = AUX(t);
    for (size_t u = 0; u < v; ++u)
      for (const Type::Field& f : t->variants[u].fields) at += W(f.type);
    for (size_t k = 0; k < j; ++k) at += W(t->variants[v].fields[k].type);
    return at;
  }
  uint32_t var_at(size_t v) const { return lia ? d_var_at[v] : M.vars[v].offset; }
  uint32_t state_width() const { return lia ? d_state_pieces : M.state_bits; }

  // Lia: the pieces of the value of type t encoded at bit `at` of the words
  // w (constants), and back (a value per piece, as get_value gives them).
  void pieces_of_words(const Type* t, const uint64_t* w, uint32_t at, std::vector<Term>& out)
  {
    switch (t->kind)
    {
      case TypeKind::Bool:
        out.push_back(bits::test(w, at) ? T : F);
        return;
      case TypeKind::Range:
        if (t->bits) out.push_back(ic(t->lo + static_cast<int64_t>(bits::get(w, at, t->bits))));
        return;
      case TypeKind::Enum:
        if (t->bits) out.push_back(ic(static_cast<int64_t>(bits::get(w, at, t->bits))));
        return;
      case TypeKind::Int:
        out.push_back(ic(static_cast<int64_t>(bits::get(w, at, 64))));
        return;
      case TypeKind::Record:
        for (const Type::Field& f : t->fields) pieces_of_words(f.type, w, at + f.offset, out);
        return;
      case TypeKind::Array:
        for (uint64_t k = 0; k < t->key->card; ++k)
          pieces_of_words(t->elem, w, at + static_cast<uint32_t>(k) * t->elem->bits, out);
        return;
      case TypeKind::Set:
        for (uint64_t k = 0; k < t->elem->card; ++k) out.push_back(bits::test(w, at + k) ? T : F);
        return;
      case TypeKind::Bag:
        if (t->aux_bits)
          for (uint64_t k = 0; k < t->elem->card; ++k)
            out.push_back(ic(static_cast<int64_t>(bits::get(w, at + k * t->aux_bits, t->aux_bits))));
        return;
      case TypeKind::Seq:
        if (t->aux_bits) out.push_back(ic(static_cast<int64_t>(bits::get(w, at, t->aux_bits))));
        for (uint32_t k = 0; k < t->capacity; ++k)
          pieces_of_words(t->elem, w, at + t->aux_bits + k * t->elem->bits, out);
        return;
      case TypeKind::Message:
      {
        uint64_t tag = bits::get(w, at, t->aux_bits);
        if (t->aux_bits) out.push_back(ic(static_cast<int64_t>(tag)));
        std::vector<uint64_t> zero((t->bits + 63) / 64 + 2, 0);
        for (size_t v = 0; v < t->variants.size(); ++v)
          for (const Type::Field& f : t->variants[v].fields)
          {
            if (v == tag)
              pieces_of_words(f.type, w, at + t->aux_bits + f.offset, out);
            else
              pieces_of_words(f.type, zero.data(), 0, out);  // another variant's pieces: zeros
          }
        return;
      }
    }
  }
  void words_of_pieces(const Type* t, const std::vector<smt::Value>& vals, size_t& i, uint64_t* w, uint32_t at)
  {
    switch (t->kind)
    {
      case TypeKind::Bool:
        bits::put(w, at, vals[i++].as_bool());
        return;
      case TypeKind::Range:
        if (t->bits) bits::set(w, at, t->bits, static_cast<uint64_t>(vals[i++].as_int() - t->lo));
        return;
      case TypeKind::Enum:
        if (t->bits) bits::set(w, at, t->bits, static_cast<uint64_t>(vals[i++].as_int()));
        return;
      case TypeKind::Int:
        bits::set(w, at, 64, static_cast<uint64_t>(vals[i++].as_int()));
        return;
      case TypeKind::Record:
        for (const Type::Field& f : t->fields) words_of_pieces(f.type, vals, i, w, at + f.offset);
        return;
      case TypeKind::Array:
        for (uint64_t k = 0; k < t->key->card; ++k)
          words_of_pieces(t->elem, vals, i, w, at + static_cast<uint32_t>(k) * t->elem->bits);
        return;
      case TypeKind::Set:
        for (uint64_t k = 0; k < t->elem->card; ++k) bits::put(w, at + k, vals[i++].as_bool());
        return;
      case TypeKind::Bag:
        if (t->aux_bits)
          for (uint64_t k = 0; k < t->elem->card; ++k)
            bits::set(w, at + k * t->aux_bits, t->aux_bits, static_cast<uint64_t>(vals[i++].as_int()));
        return;
      case TypeKind::Seq:
        if (t->aux_bits) bits::set(w, at, t->aux_bits, static_cast<uint64_t>(vals[i++].as_int()));
        for (uint32_t k = 0; k < t->capacity; ++k)
          words_of_pieces(t->elem, vals, i, w, at + t->aux_bits + k * t->elem->bits);
        return;
      case TypeKind::Message:
      {
        uint64_t tag = 0;
        if (t->aux_bits)
        {
          tag = static_cast<uint64_t>(vals[i++].as_int());
          bits::set(w, at, t->aux_bits, tag);
        }
        for (size_t v = 0; v < t->variants.size(); ++v)
          for (const Type::Field& f : t->variants[v].fields)
          {
            if (v == tag)
            {
              words_of_pieces(f.type, vals, i, w, at + t->aux_bits + f.offset);
              continue;
            }
            std::vector<uint64_t> scratch((f.type->bits + 63) / 64 + 2, 0);
            words_of_pieces(f.type, vals, i, scratch.data(), 0);  // another variant's pieces: not in the encoding
          }
        return;
      }
    }
  }
  // The zero encoding of type t (all bits zero: a range's lo, false, empty).
  Bits zeros_of(const Type* t)
  {
    if (!lia) return zeros(t->bits);
    std::vector<uint64_t> w((t->bits + 63) / 64 + 2, 0);
    Bits r;
    pieces_of_words(t, w.data(), 0, r.p);
    r.w = static_cast<uint32_t>(r.p.size());
    return r;
  }
  Bits zero_state()
  {
    if (!lia) return zeros(M.state_bits);
    Bits r;
    for (const Variable& v : M.vars)
    {
      Bits z = zeros_of(v.type);
      r.p.insert(r.p.end(), z.p.begin(), z.p.end());
    }
    r.w = static_cast<uint32_t>(r.p.size());
    return r;
  }
  // The k-th value of type t, encoded.
  Bits const_val(const Type* t, uint64_t k)
  {
    if (!lia) return bconst(const_bv(t, k));
    std::vector<uint64_t> w((t->bits + 63) / 64 + 2, 0);
    Evaluator::decode_index(t, k, w.data(), 0);
    Bits r;
    pieces_of_words(t, w.data(), 0, r.p);
    r.w = static_cast<uint32_t>(r.p.size());
    return r;
  }
  // A message tag (AUX wide) is variant v; the encoding of tag v.
  Term tag_is(Bits tag, uint64_t v)
  {
    if (!lia) return beq(tag, bconst_u(v, tag.w));
    if (tag.w == 0) return v == 0 ? T : F;
    return ieq(tag.p[0], ic(static_cast<int64_t>(v)));
  }
  Bits tag_val(const Type* t, uint64_t v)
  {
    if (!lia) return bconst_u(v, t->aux_bits);
    if (!t->aux_bits) return {};
    return Bits{{}, 1, {ic(static_cast<int64_t>(v))}};
  }
  // A one-wide set member as 0 or 1.
  Term member_int(Bits b)
  {
    if (!lia) return to_int(b);
    return iite(b.p[0], ic(1), ic(0));
  }
  // Two encodings are the same terms.
  static bool same_terms(const Bits& a, const Bits& b) { return a.t == b.t && a.p == b.p; }

  // ------------------------------------------------------------ bit-vectors
  Bits bconst(const BitVector& bv)
  {
    if (bv.width() == 0) return {};
    Term t = S.make_value(bv);
    d_bvconsts.insert(t);
    return {t, bv.width()};
  }
  Bits bconst_u(uint64_t v, uint32_t w) { return w == 0 ? Bits{} : bconst(BitVector::from_uint64(w, v)); }
  Bits zeros(uint32_t w)
  {
    if (lia) smt::bug("encoder: untyped zeros under Arith::Lia");
    if (w == 0) return {};
    if (w <= 64) return bconst_u(0, w);
    return bconst(BitVector::from_binary(std::string(w, '0')));
  }
  Bits ext(const Bits& b, uint32_t pos, uint32_t n)
  {
    if (n == 0) return {};
    if (pos == 0 && n == b.w) return b;
    if (lia) return Bits{{}, n, std::vector<Term>(b.p.begin() + pos, b.p.begin() + pos + n)};
    return {S.make_term(SOp::Extract, {pos + n - 1, pos}, b.t), n};
  }
  Bits cat(const Bits& hi, const Bits& lo)
  {
    if (hi.w == 0) return lo;
    if (lo.w == 0) return hi;
    if (lia)
    {
      Bits r = lo;
      r.p.insert(r.p.end(), hi.p.begin(), hi.p.end());
      r.w = lo.w + hi.w;
      return r;
    }
    return {S.make_term(SOp::Concat, hi.t, lo.t), hi.w + lo.w};
  }
  Bits repl(const Bits& b, uint32_t pos, uint32_t n, const Bits& v)
  {
    if (n == 0) return b;
    if (lia)
    {
      Bits r = b;
      std::copy(v.p.begin(), v.p.end(), r.p.begin() + pos);
      return r;
    }
    return cat(cat(ext(b, pos + n, b.w - pos - n), v), ext(b, 0, pos));
  }
  Bits bite(Term c, const Bits& a, const Bits& b)
  {
    if (a.w == 0) return {};
    if (lia)
    {
      if (c == T) return a;
      if (c == F) return b;
      Bits r = a;
      for (size_t i = 0; i < r.p.size(); ++i) r.p[i] = mk_ite(c, a.p[i], b.p[i]);
      return r;
    }
    return {mk_ite(c, a.t, b.t), a.w};
  }
  // Lia: a Bool or Int piece each.
  Term piece_eq(Term a, Term b)
  {
    if (a == b) return T;
    if ((a == T || a == F) && (b == T || b == F)) return F;
    if (d_int.count(a) || d_int.count(b)) return ieq(a, b);
    return S.make_term(SOp::Equal, a, b);
  }
  Term beq(const Bits& a, const Bits& b)
  {
    if (lia)
    {
      Term r = T;
      for (size_t i = 0; i < a.p.size() && r != F; ++i) r = mk_and(r, piece_eq(a.p[i], b.p[i]));
      return r;
    }
    if (a.w == 0 || a.t == b.t) return T;
    if (d_bvconsts.count(a.t) && d_bvconsts.count(b.t)) return F;
    return S.make_term(SOp::Equal, a.t, b.t);
  }
  // parts[0] lowest.
  Bits pack(const std::vector<Bits>& parts)
  {
    Bits r;
    for (const Bits& p : parts) r = cat(p, r);
    return r;
  }
  Term to_int(Bits b)  // unsigned reading: one more bit for the sign
  {
    if (b.w == 0) return ic(0);
    if (lia) return b.p[0];
    if (b.w > 63) throw NotSupported{"a value wider than 63 bits read as an integer"};
    return reg(S.make_term(SOp::ZeroExtend, {1}, b.t), b.w + 1, 0, (__int128{1} << b.w) - 1);
  }
  // The low w bits of an integer (of its 64-bit two's complement form).
  Bits from_int(Term i, uint32_t w)
  {
    if (w == 0) return {};
    if (lia) return Bits{{}, 1, {i}};
    if (auto v = ival(i)) return bconst_u(static_cast<uint64_t>(*v), w);
    IntInfo ii = info(i);
    if (ii.w == w) return {i, w};
    if (ii.w > w) return ext({i, ii.w}, 0, w);
    return {S.make_term(ii.lo >= 0 ? SOp::ZeroExtend : SOp::SignExtend, {w - ii.w}, i), w};
  }
  Term bit(const Bits& b, uint32_t i)
  {
    if (lia) return b.p[i];
    return S.make_term(SOp::Equal, ext(b, i, 1).t, bconst_u(1, 1).t);
  }
  Bits from_bool(Term b)
  {
    if (lia) return Bits{{}, 1, {b}};
    return {mk_ite(b, bconst_u(1, 1).t, bconst_u(0, 1).t), 1};
  }

  // ------------------------------------------------------------ encodings
  Sym decode(const Type* t, Bits b)
  {
    Sym r;
    r.bound = true;
    switch (t->kind)
    {
      case TypeKind::Bool:
        r.s = bit(b, 0);
        break;
      case TypeKind::Range:
        if (lia)
          r.s = b.w == 0 ? ic(t->lo) : b.p[0];  // the value itself
        else
          r.s = add(to_int(b), ic(t->lo), false);
        break;
      case TypeKind::Enum:
        r.s = to_int(b);
        break;
      case TypeKind::Int:
        r.s = lia ? b.p[0] : reg(b.t, 64, INT64_MIN, INT64_MAX);
        break;
      default:
        r.x = b;
        break;
    }
    return r;
  }
  // The encoding of a value of type t; a range is checked (out-of-range).
  Bits encode(const Type* t, const Sym& v, bool checked = true)
  {
    switch (t->kind)
    {
      case TypeKind::Bool:
        return from_bool(v.s);
      case TypeKind::Range:
        if (checked) check(mk_or(ilt(v.s, ic(t->lo)), ilt(ic(t->hi), v.s)));
        if (lia) return from_int(v.s, t->bits);
        return from_int(sub(v.s, ic(t->lo), false), t->bits);
      case TypeKind::Enum:
        return from_int(v.s, t->bits);
      case TypeKind::Int:
        if (lia) return Bits{{}, 1, {v.s}};
        return {resize(v.s, 64), 64};
      default:
        return v.x;
    }
  }
  BitVector const_bv(const Type* t, uint64_t k)
  {
    if (t->bits == 0) return BitVector{};
    std::vector<uint64_t> w((t->bits + 63) / 64 + 2, 0);
    Evaluator::decode_index(t, k, w.data(), 0);
    std::string s(t->bits, '0');
    for (uint32_t i = 0; i < t->bits; ++i)
      if (bits::test(w.data(), i)) s[t->bits - 1 - i] = '1';
    return BitVector::from_binary(s);
  }
  // The k-th value of type t (its index in the type's enumeration).
  Sym const_sym(const Type* t, uint64_t k)
  {
    Sym r;
    r.bound = true;
    switch (t->kind)
    {
      case TypeKind::Bool:
        r.s = k ? T : F;
        break;
      case TypeKind::Range:
        r.s = ic(t->lo + static_cast<int64_t>(k));
        break;
      case TypeKind::Enum:
        r.s = ic(static_cast<int64_t>(k));
        break;
      case TypeKind::Int:
        throw NotSupported{"an unbounded integer domain"};
      default:
        r.x = const_val(t, k);
        break;
    }
    return r;
  }
  void check_card(const Type* t, const char* what)
  {
    if (t->card > kMaxUnroll)
      throw NotSupported{std::string(what) + " over " + t->name + " (more than " + std::to_string(kMaxUnroll) +
                         " values)"};
  }
  // Is value v (of expression type vt) the k-th value of elem? (scalars by
  // value, so an integer outside a range matches no element)
  Term is_elem(const Type* elem, const Sym& v, uint64_t k)
  {
    Sym c = const_sym(elem, k);
    if (elem->kind == TypeKind::Bool) return k ? v.s : mk_not(v.s);
    if (elem->is_scalar()) return ieq(v.s, c.s);
    return beq(v.x, c.x);
  }
  // The encoded value of an expression (scalars encoded with a range check).
  Bits ebits(ExprId id)
  {
    const Expr& e = M.exprs[id];
    Sym v = eval(id);
    return encode(e.type, v);
  }

  // ------------------------------------------------------------ places
  // The slots of an array/sequence value and which one index expression ix names.
  std::vector<Term> array_match(const Type* key, ExprId ix)
  {
    check_card(key, "an array index");
    Sym v = eval(ix);
    std::vector<Term> m(key->card);
    if (key->kind == TypeKind::Range) check(mk_or(ilt(v.s, ic(key->lo)), ilt(ic(key->hi), v.s)));
    for (uint64_t k = 0; k < key->card; ++k) m[k] = is_elem(key, v, k);
    return m;
  }
  std::vector<Term> seq_match(const Type* st, const Bits& base, ExprId ix)
  {
    Term i = eval(ix).s;
    Term len = to_int(ext(base, 0, AUX(st)));
    check(mk_or(ilt(i, ic(0)), ile(len, i)));
    std::vector<Term> m(st->capacity);
    for (uint32_t k = 0; k < st->capacity; ++k) m[k] = ieq(i, ic(k));
    return m;
  }
  Bits select(const std::vector<Term>& match, const std::vector<Bits>& slots)
  {
    Bits r = slots.back();
    for (size_t k = slots.size() - 1; k-- > 0;) r = bite(match[k], slots[k], r);
    return r;
  }
  std::vector<Bits> slots_of(const Bits& base, uint32_t first, uint64_t n, uint32_t w)
  {
    std::vector<Bits> s(n);
    for (uint64_t k = 0; k < n; ++k) s[k] = ext(base, first + static_cast<uint32_t>(k) * w, w);
    return s;
  }
  Term vfield_bad(const Expr& e, const Bits& tag)
  {
    const auto& table = M.vfield_tables[e.imm2];
    Term bad = F;
    for (size_t v = 0; v < table.size(); ++v)
      if (table[v] < 0) bad = mk_or(bad, tag_is(tag, v));
    return bad;
  }

  Bits read_place(const Expr& e)
  {
    const Type* bt = M.exprs[e.a].type;
    Bits base = ebits(e.a);
    switch (e.op)
    {
      case Op::Index:
        if (bt->kind == TypeKind::Array)
          return select(array_match(bt->key, e.b), slots_of(base, 0, bt->key->card, W(bt->elem)));
        if (bt->kind == TypeKind::Seq)
          return select(seq_match(bt, base, e.b), slots_of(base, AUX(bt), bt->capacity, W(bt->elem)));
        break;
      case Op::Head:
        check(ieq(to_int(ext(base, 0, AUX(bt))), ic(0)));
        return ext(base, AUX(bt), W(bt->elem));
      case Op::Field:
        return ext(base, field_at(bt, e.imm), W(bt->fields[e.imm].type));
      case Op::VField:
      {
        Bits tag = ext(base, 0, AUX(bt));
        check(vfield_bad(e, tag));
        const auto& table = M.vfield_tables[e.imm2];
        Bits r;
        bool first = true;
        for (size_t v = table.size(); v-- > 0;)
        {
          if (table[v] < 0) continue;
          Bits f = ext(base, vfield_at(bt, v, table[v]), W(e.type));
          r = first ? f : bite(tag_is(tag, v), f, r);
          first = false;
        }
        return r;
      }
      default:
        break;
    }
    throw NotSupported{std::string("reading '") + op_name(e.op) + "'"};
  }

  void assign_place(ExprId target, const Bits& v)
  {
    const Expr& e = M.exprs[target];
    if (e.op == Op::Var)
    {
      state = repl(state, var_at(e.imm), W(e.type), v);
      return;
    }
    const Type* bt = e.a == kNone ? nullptr : M.exprs[e.a].type;
    switch (e.op)
    {
      case Op::Field:
      {
        Bits base = ebits(e.a);
        assign_place(e.a, repl(base, field_at(bt, e.imm), W(e.type), v));
        return;
      }
      case Op::Index:
      {
        Bits base = ebits(e.a);
        if (bt->kind == TypeKind::Array)
        {
          auto m = array_match(bt->key, e.b);
          auto slots = slots_of(base, 0, bt->key->card, W(bt->elem));
          for (size_t k = 0; k < slots.size(); ++k) slots[k] = bite(m[k], v, slots[k]);
          assign_place(e.a, pack(slots));
          return;
        }
        if (bt->kind == TypeKind::Seq)
        {
          auto m = seq_match(bt, base, e.b);
          auto slots = slots_of(base, AUX(bt), bt->capacity, W(bt->elem));
          for (size_t k = 0; k < slots.size(); ++k) slots[k] = bite(m[k], v, slots[k]);
          slots.insert(slots.begin(), ext(base, 0, AUX(bt)));
          assign_place(e.a, pack(slots));
          return;
        }
        break;
      }
      case Op::Head:
      {
        Bits base = ebits(e.a);
        check(ieq(to_int(ext(base, 0, AUX(bt))), ic(0)));
        assign_place(e.a, repl(base, AUX(bt), W(bt->elem), v));
        return;
      }
      case Op::VField:
      {
        Bits base = ebits(e.a);
        Bits tag = ext(base, 0, AUX(bt));
        check(vfield_bad(e, tag));
        const auto& table = M.vfield_tables[e.imm2];
        Bits r = base;
        for (size_t t = 0; t < table.size(); ++t)
        {
          if (table[t] < 0) continue;
          Bits upd = repl(base, vfield_at(bt, t, table[t]), W(e.type), v);
          r = bite(tag_is(tag, t), upd, r);
        }
        assign_place(e.a, r);
        return;
      }
      default:
        break;
    }
    throw NotSupported{std::string("assigning to '") + op_name(e.op) + "'"};
  }

  // ------------------------------------------------------------ expressions
  Sym sym_s(Term s)
  {
    Sym r;
    r.s = s;
    r.bound = true;
    return r;
  }
  Sym sym_x(Bits x)
  {
    Sym r;
    r.x = x;
    r.bound = true;
    return r;
  }

  Sym eval(ExprId id)
  {
    const Expr& e = M.exprs[id];
    const Type* t = e.type;
    switch (e.op)
    {
      case Op::Const:
        if (t->kind == TypeKind::Bool) return sym_s(e.imm ? T : F);
        if (!t->is_scalar()) break;
        return sym_s(ic(e.imm));
      case Op::Var:
        return decode(t, ext(state, var_at(e.imm), W(t)));
      case Op::Local:
        if (!env[e.imm].bound) throw NotSupported{"an unbound local '" + M.locals[e.imm].name + "'"};
        return env[e.imm];
      case Op::Index:
      case Op::Field:
      case Op::VField:
      case Op::Head:
        return decode(t, read_place(e));
      case Op::IsTag:
      {
        Bits base = ebits(e.a);
        Bits tag = ext(base, 0, AUX(M.exprs[e.a].type));
        return sym_s(tag_is(tag, static_cast<uint64_t>(e.imm)));
      }
      case Op::Neg:
      {
        Term a = eval(e.a).s;
        check(ieq(a, ic(INT64_MIN)));
        return sym_s(sub(ic(0), a));
      }
      case Op::Abs:
      {
        Term a = eval(e.a).s;
        check(ieq(a, ic(INT64_MIN)));
        return sym_s(mk_ite(ilt(a, ic(0)), sub(ic(0), a), a));
      }
      case Op::Not:
        return sym_s(mk_not(eval(e.a).s));
      case Op::Add:
      {
        Term a = eval(e.a).s, b = eval(e.b).s;
        return sym_s(add(a, b));
      }
      case Op::Sub:
      {
        Term a = eval(e.a).s, b = eval(e.b).s;
        return sym_s(sub(a, b));
      }
      case Op::Mul:
      {
        Term a = eval(e.a).s, b = eval(e.b).s;
        return sym_s(mul(a, b));
      }
      case Op::Div:
      case Op::Mod:
      {
        Term a = eval(e.a).s, b = eval(e.b).s;
        check(ieq(b, ic(0)));
        check(mk_and(ieq(a, ic(INT64_MIN)), ieq(b, ic(-1))));
        auto x = ival(a), y = ival(b);
        if (x && y && *y != 0 && !(*x == INT64_MIN && *y == -1)) return sym_s(ic(e.op == Op::Div ? *x / *y : *x % *y));
        return sym_s(divide(e.op == Op::Div, a, b));
      }
      case Op::Min:
      case Op::Max:
      {
        Term a = eval(e.a).s, b = eval(e.b).s;
        Term lt = ilt(a, b);
        return sym_s(e.op == Op::Min ? mk_ite(lt, a, b) : mk_ite(lt, b, a));
      }
      case Op::Eq:
      case Op::Ne:
      {
        const Type* at = M.exprs[e.a].type;
        Term eq;
        if (at->kind == TypeKind::Bool)
        {
          Term a = eval(e.a).s, b = eval(e.b).s;
          eq = a == b ? T : S.make_term(SOp::Equal, a, b);
        }
        else if (at->is_scalar())
        {
          Term a = eval(e.a).s, b = eval(e.b).s;
          eq = ieq(a, b);
        }
        else
        {
          Bits a = ebits(e.a), b = ebits(e.b);
          eq = beq(a, b);
        }
        return sym_s(e.op == Op::Eq ? eq : mk_not(eq));
      }
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
      {
        Term a = eval(e.a).s, b = eval(e.b).s;
        switch (e.op)
        {
          case Op::Lt:
            return sym_s(ilt(a, b));
          case Op::Le:
            return sym_s(ile(a, b));
          case Op::Gt:
            return sym_s(ilt(b, a));
          default:
            return sym_s(ile(b, a));
        }
      }
      case Op::And:
      {
        Term a = eval(e.a).s;
        Term b = guarded(a, [&] { return eval(e.b).s; });
        return sym_s(mk_and(a, b));
      }
      case Op::Or:
      {
        Term a = eval(e.a).s;
        Term b = guarded(mk_not(a), [&] { return eval(e.b).s; });
        return sym_s(mk_or(a, b));
      }
      case Op::Implies:
      {
        Term a = eval(e.a).s;
        Term b = guarded(a, [&] { return eval(e.b).s; });
        return sym_s(mk_or(mk_not(a), b));
      }
      case Op::Ite:
      {
        Term c = eval(e.a).s;
        if (c == T) return eval(e.b);
        if (c == F) return eval(e.c);
        Term pc0 = pc;
        pc = mk_and(pc0, c);
        Sym x = eval(e.b);
        Term pc_t = pc;
        pc = mk_and(pc0, mk_not(c));
        Sym y = eval(e.c);
        pc = mk_or(pc_t, pc);
        if (t->is_scalar()) return sym_s(mk_ite(c, x.s, y.s));
        return sym_x(bite(c, x.x, y.x));
      }
      case Op::Forall:
      case Op::Exists:
      case Op::Sum:
      case Op::CountQ:
        return sym_s(quantify(e));
      case Op::In:
        return sym_s(member(e));
      case Op::Size:
      {
        const Type* ct = M.exprs[e.a].type;
        Bits s = ebits(e.a);
        check_card(ct->elem, "size");
        Term n = ic(0);
        if (ct->kind == TypeKind::Set)
          for (uint64_t k = 0; k < ct->elem->card; ++k)
            n = add(n, member_int(ext(s, static_cast<uint32_t>(k), 1)), false);
        else
          for (uint64_t k = 0; k < ct->elem->card; ++k)
            n = add(n, to_int(ext(s, static_cast<uint32_t>(k) * AUX(ct), AUX(ct))), false);
        return sym_s(n);
      }
      case Op::Len:
      {
        Bits s = ebits(e.a);
        return sym_s(to_int(ext(s, 0, AUX(M.exprs[e.a].type))));
      }
      case Op::BagCount:
      {
        const Type* ct = M.exprs[e.a].type;
        check_card(ct->elem, "a bag");
        Sym x = eval(e.b);
        std::vector<Term> m(ct->elem->card);
        for (uint64_t k = 0; k < ct->elem->card; ++k) m[k] = is_elem(ct->elem, x, k);
        Bits s = ebits(e.a);
        Term n = ic(0);
        for (uint64_t k = ct->elem->card; k-- > 0;)
          n = mk_ite(m[k], to_int(ext(s, static_cast<uint32_t>(k) * AUX(ct), AUX(ct))), n);
        return sym_s(n);
      }
      case Op::Call:
      {
        const Definition& def = M.defs[e.imm];
        if (def.body == kNone) throw NotSupported{"a definition without a body ('" + def.name + "')"};
        if (call_depth > 64) throw NotSupported{"recursive definitions ('" + def.name + "')"};
        std::vector<Sym> args(e.nargs);
        for (uint32_t i = 0; i < e.nargs; ++i)
        {
          const Local& l = M.locals[def.params[i]];
          args[i] = eval(M.arg(e, i));
          if (l.type->is_scalar()) encode(l.type, args[i]);  // the argument's range check
        }
        std::vector<Sym> saved(e.nargs);
        for (uint32_t i = 0; i < e.nargs; ++i)
        {
          saved[i] = env[def.params[i]];
          env[def.params[i]] = args[i];
        }
        ++call_depth;
        Sym r = eval(def.body);
        --call_depth;
        for (uint32_t i = 0; i < e.nargs; ++i) env[def.params[i]] = saved[i];
        return r;
      }
      case Op::Zero:
        if (t->is_scalar()) return decode(t, zeros_of(t));
        return sym_x(zeros_of(t));
      case Op::SetMin:
      case Op::SetMax:
      {
        const Type* st = M.exprs[e.a].type;
        Bits s = ebits(e.a);
        check_card(st->elem, "min/max");
        uint64_t n = st->elem->card;
        check(beq(s, zeros_of(st)));
        Term r = const_sym(st->elem, e.op == Op::SetMin ? n - 1 : 0).s;
        // Later candidates first, so the first member in scan order wins.
        for (uint64_t j = n; j-- > 0;)
        {
          uint64_t i = e.op == Op::SetMin ? j : n - 1 - j;
          r = mk_ite(bit(s, static_cast<uint32_t>(i)), const_sym(st->elem, i).s, r);
        }
        return sym_s(r);
      }
      default:
        break;
    }
    if (!t->is_scalar()) return sym_x(composite(e));
    throw NotSupported{std::string("the operator '") + op_name(e.op) + "'"};
  }

  // Binds local l to each value of dom (or each member of set s) in turn.
  Term quantify(const Expr& e)
  {
    const Type* elem = M.locals[e.imm].type;
    check_card(elem, "a quantifier");
    Bits set;
    bool over_set = !e.dom;
    if (over_set) set = ebits(e.a);
    Sym saved = env[e.imm];
    Term acc = e.op == Op::Forall ? T : e.op == Op::Exists ? F : ic(0);
    Term reach = T;  // the scan gets this far (forall/exists stop early)
    uint64_t n = e.dom ? e.dom->card : elem->card;
    for (uint64_t i = 0; i < n; ++i)
    {
      Term m = over_set ? bit(set, static_cast<uint32_t>(i)) : T;
      env[e.imm] = const_sym(elem, i);
      Term go = mk_and(reach, m);
      if (go == F) continue;
      Sym b = guarded(go, [&] { return eval(e.b); });
      switch (e.op)
      {
        case Op::Forall:
          acc = mk_and(acc, mk_or(mk_not(m), b.s));
          reach = mk_and(reach, mk_or(mk_not(m), b.s));
          break;
        case Op::Exists:
          acc = mk_or(acc, mk_and(m, b.s));
          reach = mk_and(reach, mk_not(mk_and(m, b.s)));
          break;
        case Op::CountQ:
          acc = add(acc, mk_ite(mk_and(m, b.s), ic(1), ic(0)), false);
          break;
        default:
        {
          Term pc0 = pc;
          pc = mk_and(pc0, m);
          Term v = add(acc, b.s);
          pc = mk_or(mk_and(pc0, mk_not(m)), pc);
          acc = mk_ite(m, v, acc);
          break;
        }
      }
    }
    env[e.imm] = saved;
    return acc;
  }

  Term member(const Expr& e)
  {
    const Type* ct = M.exprs[e.b].type;
    if (ct->kind == TypeKind::Seq)
    {
      Bits s = ebits(e.b);
      Sym x = eval(e.a);
      Term len = to_int(ext(s, 0, AUX(ct)));
      Term r = F;
      for (uint32_t k = 0; k < ct->capacity; ++k)
      {
        Bits slot = ext(s, AUX(ct) + k * W(ct->elem), W(ct->elem));
        Term eq;
        if (ct->elem->kind == TypeKind::Bool)
          eq = S.make_term(SOp::Equal, decode(ct->elem, slot).s, x.s);
        else if (ct->elem->is_scalar())
          eq = ieq(decode(ct->elem, slot).s, x.s);
        else
          eq = beq(slot, x.x);
        r = mk_or(r, mk_and(ilt(ic(k), len), eq));
      }
      return r;
    }
    check_card(ct->elem, "membership");
    Sym x = eval(e.a);
    std::vector<Term> m(ct->elem->card);
    for (uint64_t k = 0; k < ct->elem->card; ++k) m[k] = is_elem(ct->elem, x, k);
    Bits s = ebits(e.b);
    Term r = F;
    for (uint64_t k = 0; k < ct->elem->card; ++k)
    {
      Term present = ct->kind == TypeKind::Set
                         ? bit(s, static_cast<uint32_t>(k))
                         : mk_not(ieq(to_int(ext(s, static_cast<uint32_t>(k) * AUX(ct), AUX(ct))), ic(0)));
      r = mk_or(r, mk_and(m[k], present));
    }
    return r;
  }

  // Bag counts as integers, and back.
  std::vector<Term> counts(const Type* bt, const Bits& b)
  {
    std::vector<Term> c(bt->elem->card);
    for (uint64_t k = 0; k < c.size(); ++k) c[k] = to_int(ext(b, static_cast<uint32_t>(k) * AUX(bt), AUX(bt)));
    return c;
  }
  Bits pack_counts(const Type* bt, const std::vector<Term>& c)
  {
    std::vector<Bits> parts;
    for (Term t : c) parts.push_back(from_int(t, bt->aux_bits));
    return pack(parts);
  }
  // A sequence's length and slots, and back.
  Bits pack_seq(const Type* st, Term len, const std::vector<Bits>& slots)
  {
    std::vector<Bits> parts;
    parts.push_back(from_int(len, st->aux_bits));
    for (const Bits& s : slots) parts.push_back(s);
    return pack(parts);
  }
  std::vector<Bits> seq_slots(const Type* st, const Bits& b) { return slots_of(b, AUX(st), st->capacity, W(st->elem)); }
  Bits append(const Type* st, const Bits& b, ExprId value)
  {
    Term len = to_int(ext(b, 0, AUX(st)));
    check(ile(ic(st->capacity), len));
    Bits v = encode(st->elem, eval(value));
    auto slots = seq_slots(st, b);
    for (uint32_t k = 0; k < st->capacity; ++k) slots[k] = bite(ieq(len, ic(k)), v, slots[k]);
    return pack_seq(st, add(len, ic(1), false), slots);
  }
  Bits tail(const Type* st, const Bits& b)
  {
    Term len = to_int(ext(b, 0, AUX(st)));
    auto slots = seq_slots(st, b);
    slots.erase(slots.begin());
    slots.push_back(zeros_of(st->elem));
    return pack_seq(st, mk_ite(ieq(len, ic(0)), len, sub(len, ic(1), false)), slots);
  }

  Bits composite(const Expr& e)
  {
    const Type* t = e.type;
    switch (e.op)
    {
      case Op::SetLit:
      {
        check_card(t->elem, "a set literal");
        if (t->kind == TypeKind::Set)
        {
          std::vector<Term> b(t->elem->card, F);
          for (uint32_t i = 0; i < e.nargs; ++i)
          {
            Sym x = eval(M.arg(e, i));
            Term in = F;
            for (uint64_t k = 0; k < b.size(); ++k)
            {
              Term m = is_elem(t->elem, x, k);
              in = mk_or(in, m);
              b[k] = mk_or(b[k], m);
            }
            check(mk_not(in));
          }
          std::vector<Bits> parts;
          for (Term x : b) parts.push_back(from_bool(x));
          return pack(parts);
        }
        if (t->kind == TypeKind::Bag)
        {
          std::vector<Term> c(t->elem->card, ic(0));
          for (uint32_t i = 0; i < e.nargs; ++i)
          {
            Sym x = eval(M.arg(e, i));
            Term in = F, full = F;
            std::vector<Term> m(c.size());
            for (uint64_t k = 0; k < c.size(); ++k)
            {
              m[k] = is_elem(t->elem, x, k);
              in = mk_or(in, m[k]);
              full = mk_or(full, mk_and(m[k], ile(ic(t->capacity), c[k])));
            }
            check(mk_not(in));
            check(full);
            for (uint64_t k = 0; k < c.size(); ++k) c[k] = mk_ite(m[k], add(c[k], ic(1), false), c[k]);
          }
          return pack_counts(t, c);
        }
        break;
      }
      case Op::SetComp:
      {
        check_card(t->elem, "a set comprehension");
        Bits set;
        if (!e.dom) set = ebits(e.a);
        Sym saved = env[e.imm];
        std::vector<Bits> parts;
        for (uint64_t i = 0; i < t->elem->card; ++i)
        {
          Term m = e.dom ? T : bit(set, static_cast<uint32_t>(i));
          env[e.imm] = const_sym(t->elem, i);
          Term b = m == F ? F : guarded(m, [&] { return eval(e.b).s; });
          parts.push_back(from_bool(mk_and(m, b)));
        }
        env[e.imm] = saved;
        return pack(parts);
      }
      case Op::SetAll:
        if (lia) return Bits{{}, W(t), std::vector<Term>(W(t), T)};
        return t->bits <= 64 ? bconst_u(~uint64_t{0}, t->bits)
                             : bconst(BitVector::from_binary(std::string(t->bits, '1')));
      case Op::Union:
      case Op::Intersect:
      case Op::Minus:
      {
        Bits a = ebits(e.a), b = ebits(e.b);
        if (a.w == 0) return {};
        if (lia)
        {
          for (size_t k = 0; k < a.p.size(); ++k)
            a.p[k] = e.op == Op::Union       ? mk_or(a.p[k], b.p[k])
                     : e.op == Op::Intersect ? mk_and(a.p[k], b.p[k])
                                             : mk_and(a.p[k], mk_not(b.p[k]));
          return a;
        }
        if (e.op == Op::Union) return {S.make_term(SOp::BVOr, a.t, b.t), a.w};
        if (e.op == Op::Intersect) return {S.make_term(SOp::BVAnd, a.t, b.t), a.w};
        return {S.make_term(SOp::BVAnd, a.t, S.make_term(SOp::BVNot, b.t)), a.w};
      }
      case Op::SeqLit:
      {
        std::vector<Bits> slots;
        for (uint32_t i = 0; i < e.nargs; ++i) slots.push_back(encode(t->elem, eval(M.arg(e, i))));
        while (slots.size() < t->capacity) slots.push_back(zeros_of(t->elem));
        return pack_seq(t, ic(e.nargs), slots);
      }
      case Op::Tail:
      {
        Bits b = ebits(e.a);
        check(ieq(to_int(ext(b, 0, AUX(t))), ic(0)));
        return tail(t, b);
      }
      case Op::Append:
        return append(t, ebits(e.a), e.b);
      case Op::RecordLit:
      {
        Bits r = zeros_of(t);
        for (uint32_t i = 0; i < e.nargs; ++i)
          r = repl(r, field_at(t, i), W(t->fields[i].type), encode(t->fields[i].type, eval(M.arg(e, i))));
        return r;
      }
      case Op::RecordWith:
      {
        Bits a = ebits(e.a);
        const auto& f = t->fields[e.imm];
        return repl(a, field_at(t, e.imm), W(f.type), encode(f.type, eval(e.b)));
      }
      case Op::ArrayConst:
      {
        check_card(t->key, "an array");
        std::vector<Bits> slots;
        Sym saved = e.imm != static_cast<int64_t>(kNone) ? env[e.imm] : Sym{};
        for (uint64_t k = 0; k < t->key->card; ++k)
        {
          if (e.imm != static_cast<int64_t>(kNone)) env[e.imm] = const_sym(t->key, k);
          slots.push_back(encode(t->elem, eval(e.b)));
        }
        if (e.imm != static_cast<int64_t>(kNone)) env[e.imm] = saved;
        return pack(slots);
      }
      case Op::ArrayWith:
      {
        Bits a = ebits(e.a);
        auto m = array_match(t->key, e.b);
        Bits v = encode(t->elem, eval(e.c));
        auto slots = slots_of(a, 0, t->key->card, W(t->elem));
        for (size_t k = 0; k < slots.size(); ++k) slots[k] = bite(m[k], v, slots[k]);
        return pack(slots);
      }
      case Op::Ctor:
      {
        Bits r = repl(zeros_of(t), 0, AUX(t), tag_val(t, static_cast<uint64_t>(e.imm)));
        const auto& v = t->variants[e.imm];
        for (uint32_t i = 0; i < e.nargs; ++i)
          r = repl(r, vfield_at(t, e.imm, i), W(v.fields[i].type), encode(v.fields[i].type, eval(M.arg(e, i))));
        return r;
      }
      default:
        break;
    }
    throw NotSupported{std::string("the operator '") + op_name(e.op) + "' on " + t->name};
  }

  // ------------------------------------------------------------ statements
  std::vector<Path> run_block(BlockId blk, std::vector<Path> paths)
  {
    if (blk == kNone) return paths;
    for (StmtId sid : M.blocks[blk])
    {
      std::vector<Path> next;
      for (Path& p : paths) exec(sid, p, next);
      paths = std::move(next);
      if (paths.size() > kMaxPaths)
        throw NotSupported{"an action with more than " + std::to_string(kMaxPaths) + " symbolic paths"};
    }
    return paths;
  }

  void push_if_live(std::vector<Path>& out)
  {
    if (pc != F) out.push_back(save());
  }

  void exec(StmtId sid, const Path& p, std::vector<Path>& out)
  {
    const Stmt& s = M.stmts[sid];
    load(p);
    switch (s.op)
    {
      case StmtOp::Assign:
      {
        const Type* t = M.exprs[s.target].type;
        Bits v = encode(t, eval(s.value));
        assign_place(s.target, v);
        push_if_live(out);
        return;
      }
      case StmtOp::If:
      {
        Term c = eval(s.cond).s;
        Path base = save();
        if (c == T || c == F)
        {
          for (Path& q : run_block(c == T ? s.then_block : s.else_block, {base})) out.push_back(std::move(q));
          return;
        }
        Path pt = base, pe = base;
        pt.pc = mk_and(base.pc, c);
        pe.pc = mk_and(base.pc, mk_not(c));
        auto a = run_block(s.then_block, {pt});
        auto b = run_block(s.else_block, {pe});
        if (a.size() == 1 && b.size() == 1)
        {
          Path m;
          m.pc = mk_or(a[0].pc, b[0].pc);
          m.state = bite(c, a[0].state, b[0].state);
          m.env = base.env;
          for (size_t l = 0; l < m.env.size(); ++l)
          {
            const Sym &x = a[0].env[l], &y = b[0].env[l];
            if (!x.bound || !y.bound)
            {
              m.env[l] = x.bound ? x : y;
              continue;
            }
            Sym r = x;
            if (x.s != y.s) r.s = mk_ite(c, x.s, y.s);
            if (!same_terms(x.x, y.x)) r.x = bite(c, x.x, y.x);
            m.env[l] = r;
          }
          if (m.pc != F) out.push_back(std::move(m));
          return;
        }
        for (Path& q : a) out.push_back(std::move(q));
        for (Path& q : b) out.push_back(std::move(q));
        return;
      }
      case StmtOp::Require:
        pc = mk_and(pc, eval(s.cond).s);
        push_if_live(out);
        return;
      case StmtOp::Assert:
        check(mk_not(eval(s.cond).s));
        push_if_live(out);
        return;
      case StmtOp::Let:
      {
        const Type* t = M.locals[s.local].type;
        Sym v = eval(s.value);
        if (!t->is_scalar()) v = sym_x(encode(M.exprs[s.value].type, v));
        env[s.local] = v;
        push_if_live(out);
        return;
      }
      case StmtOp::Choose:
      {
        const Type* elem = M.locals[s.local].type;
        check_card(elem, "choose");
        Bits set;
        if (!s.dom) set = ebits(s.set);
        Path base = save();
        for (uint64_t i = 0; i < elem->card; ++i)
        {
          load(base);
          if (!s.dom) pc = mk_and(pc, bit(set, static_cast<uint32_t>(i)));
          if (pc == F) continue;
          env[s.local] = const_sym(elem, i);
          if (s.cond != kNone) pc = mk_and(pc, eval(s.cond).s);
          push_if_live(out);
        }
        return;
      }
      case StmtOp::Send:
      {
        const Type* nt = M.exprs[s.target].type;
        Bits msg = encode(nt->elem, eval(s.value));
        Bits net = ebits(s.target);
        if (nt->kind == TypeKind::Bag)
        {
          check_card(nt->elem, "a network");
          auto c = counts(nt, net);
          Term full = F;
          std::vector<Term> m(c.size());
          for (uint64_t k = 0; k < c.size(); ++k)
          {
            m[k] = beq(msg, const_val(nt->elem, k));
            full = mk_or(full, mk_and(m[k], ile(ic(nt->capacity), c[k])));
          }
          check(full);
          for (uint64_t k = 0; k < c.size(); ++k) c[k] = mk_ite(m[k], add(c[k], ic(1), false), c[k]);
          assign_place(s.target, pack_counts(nt, c));
        }
        else
        {
          Term len = to_int(ext(net, 0, AUX(nt)));
          check(ile(ic(nt->capacity), len));
          auto slots = seq_slots(nt, net);
          for (uint32_t k = 0; k < nt->capacity; ++k) slots[k] = bite(ieq(len, ic(k)), msg, slots[k]);
          assign_place(s.target, pack_seq(nt, add(len, ic(1), false), slots));
        }
        push_if_live(out);
        return;
      }
      case StmtOp::Receive:
      {
        const Type* nt = M.exprs[s.target].type;
        const Type* elem = nt->elem;
        Bits net = ebits(s.target);
        Path base = save();
        if (nt->kind == TypeKind::Bag)
        {
          check_card(elem, "a network");
          auto c0 = counts(nt, net);
          for (uint64_t i = 0; i < elem->card; ++i)
          {
            load(base);
            pc = mk_and(pc, mk_not(ieq(c0[i], ic(0))));
            if (pc == F) continue;
            env[s.local] = const_sym(elem, i);
            if (s.cond != kNone) pc = mk_and(pc, eval(s.cond).s);
            if (pc == F) continue;
            auto c = c0;
            c[i] = sub(c[i], ic(1), false);
            assign_place(s.target, pack_counts(nt, c));
            push_if_live(out);
          }
        }
        else
        {
          Term len = to_int(ext(net, 0, AUX(nt)));
          pc = mk_and(pc, mk_not(ieq(len, ic(0))));
          if (pc == F) return;
          env[s.local] = decode(elem, ext(net, AUX(nt), W(elem)));
          if (s.cond != kNone) pc = mk_and(pc, eval(s.cond).s);
          if (pc == F) return;
          assign_place(s.target, tail(nt, net));
          push_if_live(out);
        }
        return;
      }
      case StmtOp::NetDrop:
      case StmtOp::NetDuplicate:
      case StmtOp::NetReorder:
      {
        const Type* nt = M.exprs[s.target].type;
        const Type* elem = nt->elem;
        Bits net = ebits(s.target);
        Path base = save();
        if (nt->kind == TypeKind::Bag)
        {
          if (s.op == StmtOp::NetReorder) return;
          check_card(elem, "a network");
          auto c0 = counts(nt, net);
          for (uint64_t i = 0; i < elem->card; ++i)
          {
            load(base);
            pc = mk_and(pc, mk_not(ieq(c0[i], ic(0))));
            if (s.op == StmtOp::NetDuplicate) pc = mk_and(pc, ilt(c0[i], ic(nt->capacity)));
            if (pc == F) continue;
            env[s.local] = const_sym(elem, i);
            auto c = c0;
            c[i] = s.op == StmtOp::NetDrop ? sub(c[i], ic(1), false) : add(c[i], ic(1), false);
            assign_place(s.target, pack_counts(nt, c));
            push_if_live(out);
          }
          return;
        }
        Term len = to_int(ext(net, 0, AUX(nt)));
        auto slots0 = seq_slots(nt, net);
        Bits zero = zeros_of(elem);
        for (uint32_t k = 0; k < nt->capacity; ++k)
        {
          load(base);
          pc = mk_and(pc, ilt(ic(k), len));
          auto slots = slots0;
          Term nlen;
          if (s.op == StmtOp::NetDrop)
          {
            slots.erase(slots.begin() + k);
            slots.push_back(zero);
            nlen = sub(len, ic(1), false);
          }
          else if (s.op == StmtOp::NetDuplicate)
          {
            pc = mk_and(pc, ilt(len, ic(nt->capacity)));
            slots.insert(slots.begin() + k + 1, slots0[k]);
            slots.pop_back();
            nlen = add(len, ic(1), false);
          }
          else
          {
            pc = mk_and(pc, ilt(ic(k + 1), len));
            if (k + 1 >= nt->capacity) continue;
            std::swap(slots[k], slots[k + 1]);
            nlen = len;
          }
          if (pc == F) continue;
          env[s.local] = decode(elem, slots0[k]);
          assign_place(s.target, pack_seq(nt, nlen, slots));
          push_if_live(out);
        }
        return;
      }
    }
    throw NotSupported{"a statement"};
  }

  // ------------------------------------------------------------ the system
  // Every successor path of the state `s` (all actions, all bindings), and
  // the conditions under which running an action fails.
  std::vector<Path> step(const Bits& s, std::vector<Term>& failures)
  {
    std::vector<Path> all;
    errs = &failures;
    for (uint32_t a = 0; a < M.actions.size(); ++a)
    {
      const Action& act = M.actions[a];
      uint64_t combos = 1;
      for (LocalId p : act.params)
      {
        check_card(M.locals[p].type, "action parameters");
        combos *= M.locals[p].type->card;
        if (combos > kMaxUnroll)
          throw NotSupported{"action '" + act.name + "' with more than " + std::to_string(kMaxUnroll) +
                             " parameter bindings"};
      }
      for (uint64_t c = 0; c < combos; ++c)
      {
        fresh_env();
        uint64_t rest = c;
        // The first parameter varies slowest, as the evaluator enumerates them.
        for (size_t i = act.params.size(); i-- > 0;)
        {
          const Type* t = M.locals[act.params[i]].type;
          env[act.params[i]] = const_sym(t, rest % t->card);
          rest /= t->card;
        }
        pc = T;
        state = s;
        if (act.guard != kNone) pc = mk_and(pc, eval(act.guard).s);
        if (pc == F) continue;
        // The first parameter varies slowest: for a process action it is self.
        uint64_t self = kNone;
        if (!act.process.empty() && !act.params.empty()) self = c / (combos / M.locals[act.params[0]].type->card);
        for (Path& p : run_block(act.body, {save()}))
        {
          p.action = static_cast<int>(a);
          p.self = self;
          all.push_back(std::move(p));
        }
      }
    }
    errs = nullptr;
    return all;
  }

  std::vector<Path> initial(std::vector<Term>& failures)
  {
    errs = &failures;
    fresh_env();
    pc = T;
    state = zero_state();
    for (size_t i = 0; i < M.vars.size(); ++i)
    {
      const Variable& v = M.vars[i];
      if (v.init == kNone) continue;
      Bits b = encode(v.type, eval(v.init));
      state = repl(state, var_at(i), W(v.type), b);
    }
    std::vector<Path> r = run_block(M.init_block, {save()});
    errs = nullptr;
    return r;
  }

  // In state s: "bad" (an invariant fails or an invariant or constraint
  // cannot be evaluated) and "ok" (the constraints hold: the state is expanded).
  std::pair<Term, Term> state_checks(const Bits& s)
  {
    std::vector<Term> failures;
    errs = &failures;
    fresh_env();
    state = s;
    Term bad = F;
    for (const NamedPredicate& inv : M.invariants)
    {
      pc = T;
      Term v = eval(inv.expr).s;
      bad = mk_or(bad, mk_and(pc, mk_not(v)));
    }
    Term ok = T;
    for (const NamedPredicate& c : M.constraints)
    {
      pc = T;
      Term v = eval(c.expr).s;
      ok = mk_and(ok, mk_and(pc, v));
    }
    bad = mk_or(bad, big_or(failures));
    errs = nullptr;
    return {bad, ok};
  }

  // A state predicate with bound locals (a temporal property's atom): its
  // value, and whether evaluating it fails.
  std::pair<Term, Term> predicate(const Bits& s, ExprId e, const std::vector<std::pair<LocalId, uint64_t>>& bindings)
  {
    std::vector<Term> failures;
    errs = &failures;
    fresh_env();
    state = s;
    for (auto& [l, idx] : bindings) env[l] = const_sym(M.locals[l].type, idx);
    pc = T;
    Term v = mk_and(pc, eval(e).s);
    errs = nullptr;
    return {v, big_or(failures)};
  }

  Term same(const Bits& a, const Bits& b) { return beq(a, b); }

  // The value b is one of type t's values in its canonical encoding
  // (spec/types.hpp): only the encodings the explicit engine can produce.
  Term well_formed(const Type* t, Bits b)
  {
    if (b.w == 0) return T;
    switch (t->kind)
    {
      case TypeKind::Bool:
      case TypeKind::Int:
      case TypeKind::Set:
        return T;
      case TypeKind::Range:
      case TypeKind::Enum:
        return below(b, t->card);
      case TypeKind::Record:
      {
        Term r = T;
        for (const Type::Field& f : t->fields) r = mk_and(r, well_formed(f.type, ext(b, f.offset, f.type->bits)));
        return r;
      }
      case TypeKind::Array:
      {
        Term r = T;
        for (uint64_t k = 0; k < t->key->card; ++k)
          r = mk_and(r, well_formed(t->elem, ext(b, static_cast<uint32_t>(k) * t->elem->bits, t->elem->bits)));
        return r;
      }
      case TypeKind::Bag:
      {
        Term r = T;
        for (uint64_t k = 0; k < t->elem->card; ++k)
          r = mk_and(r, below(ext(b, static_cast<uint32_t>(k) * t->aux_bits, t->aux_bits), uint64_t{t->capacity} + 1));
        return r;
      }
      case TypeKind::Seq:
      {
        Bits len = ext(b, 0, t->aux_bits);
        Term r = below(len, uint64_t{t->capacity} + 1);
        for (uint32_t k = 0; k < t->capacity; ++k)
        {
          Bits slot = ext(b, t->aux_bits + k * t->elem->bits, t->elem->bits);
          Term used = below(len, k + 1) == T ? F : mk_not(below(len, k + 1));
          r = mk_and(r, mk_ite(used, well_formed(t->elem, slot), beq(slot, zeros(slot.w))));
        }
        return r;
      }
      case TypeKind::Message:
      {
        Bits tag = ext(b, 0, t->aux_bits);
        Term r = below(tag, t->variants.size());
        uint32_t payload = t->bits - t->aux_bits;
        for (size_t v = 0; v < t->variants.size(); ++v)
        {
          uint32_t used = 0;
          Term ok = T;
          for (const Type::Field& f : t->variants[v].fields)
          {
            ok = mk_and(ok, well_formed(f.type, ext(b, t->aux_bits + f.offset, f.type->bits)));
            used = std::max(used, f.offset + f.type->bits);
          }
          Bits unused = ext(b, t->aux_bits + used, payload - used);
          ok = mk_and(ok, beq(unused, zeros(unused.w)));
          Term is_v = t->variants.size() == 1 ? T : beq(tag, bconst_u(v, tag.w));
          r = mk_and(r, mk_or(mk_not(is_v), ok));
        }
        return r;
      }
    }
    return T;
  }
  Term well_formed_state(const Bits& s)
  {
    Term r = T;
    for (size_t i = 0; i < M.vars.size(); ++i)
    {
      const Type* t = M.vars[i].type;
      r = mk_and(r, lia ? wf_pieces(t, ext(s, var_at(i), W(t))) : well_formed(t, ext(s, var_at(i), W(t))));
    }
    return r;
  }

  // Lia: the pieces b are a value of type t as the explicit engine can hold
  // it (each piece within its bounds, a sequence's unused slots and the
  // other variants' pieces of a message zero). The bounds are compared
  // without the intervals, which assume them.
  Term in_bounds(Term x, int64_t lo, int64_t hi)
  {
    return mk_and(S.make_term(SOp::Le, ic(lo), x), S.make_term(SOp::Le, x, ic(hi)));
  }
  Term raw_eq(const Bits& a, const Bits& b)
  {
    Term r = T;
    for (size_t i = 0; i < a.p.size(); ++i)
      if (a.p[i] != b.p[i]) r = mk_and(r, S.make_term(SOp::Equal, a.p[i], b.p[i]));
    return r;
  }
  Term wf_pieces(const Type* t, const Bits& b)
  {
    if (b.w == 0) return T;
    switch (t->kind)
    {
      case TypeKind::Bool:
      case TypeKind::Set:
        return T;
      case TypeKind::Int:
        return in_bounds(b.p[0], INT64_MIN, INT64_MAX);
      case TypeKind::Range:
        return in_bounds(b.p[0], t->lo, t->hi);
      case TypeKind::Enum:
        return in_bounds(b.p[0], 0, static_cast<int64_t>(t->card) - 1);
      case TypeKind::Record:
      {
        Term r = T;
        for (size_t i = 0; i < t->fields.size(); ++i)
          r = mk_and(r, wf_pieces(t->fields[i].type, ext(b, field_at(t, i), W(t->fields[i].type))));
        return r;
      }
      case TypeKind::Array:
      {
        Term r = T;
        uint32_t w = W(t->elem);
        for (uint64_t k = 0; k < t->key->card; ++k)
          r = mk_and(r, wf_pieces(t->elem, ext(b, static_cast<uint32_t>(k) * w, w)));
        return r;
      }
      case TypeKind::Bag:
      {
        Term r = T;
        for (Term c : b.p) r = mk_and(r, in_bounds(c, 0, t->capacity));
        return r;
      }
      case TypeKind::Seq:
      {
        uint32_t aux = AUX(t);
        Term len = aux ? b.p[0] : ic(0);
        Term r = aux ? in_bounds(len, 0, t->capacity) : T;
        uint32_t w = W(t->elem);
        Bits zero = zeros_of(t->elem);
        for (uint32_t k = 0; k < t->capacity; ++k)
        {
          Bits slot = ext(b, aux + k * w, w);
          Term used = S.make_term(SOp::Lt, ic(k), len);
          r = mk_and(r, mk_ite(used, wf_pieces(t->elem, slot), raw_eq(slot, zero)));
        }
        return r;
      }
      case TypeKind::Message:
      {
        uint32_t aux = AUX(t);
        Term r = aux ? in_bounds(b.p[0], 0, static_cast<int64_t>(t->variants.size()) - 1) : T;
        for (size_t v = 0; v < t->variants.size(); ++v)
        {
          Term is_v = aux ? S.make_term(SOp::Equal, b.p[0], ic(static_cast<int64_t>(v))) : T;
          const auto& fields = t->variants[v].fields;
          for (size_t j = 0; j < fields.size(); ++j)
          {
            Bits f = ext(b, vfield_at(t, v, j), W(fields[j].type));
            r = mk_and(r, mk_ite(is_v, wf_pieces(fields[j].type, f), raw_eq(f, zeros_of(fields[j].type))));
          }
        }
        return r;
      }
    }
    return T;
  }

  // The narrowest and widest arithmetic encoded so far ({0, 0}: none).
  std::pair<uint32_t, uint32_t> arithmetic_widths() const
  {
    if (lia) return d_lia_terms ? std::pair<uint32_t, uint32_t>{1, 1} : std::pair<uint32_t, uint32_t>{0, 0};
    if (d_max_width == 0) return {0, 0};
    return {d_min_width, d_max_width};
  }

 private:
  // The unsigned value of b is below n (true when every value of b's width is).
  Term below(Bits b, uint64_t n)
  {
    if (b.w == 0 || (b.w < 64 && n >= (uint64_t{1} << b.w))) return n > 0 ? T : F;
    if (n == 0) return F;
    return S.make_term(SOp::BVUlt, b.t, bconst_u(n, b.w).t);
  }

  Sort bv_sort(uint32_t w) { return S.make_sort(smt::SortKind::BitVec, w); }

  Sort d_bool;
  Sort d_int_sort;                                    // Lia
  std::vector<uint32_t> d_var_at;                     // Lia: each variable's first piece
  uint32_t d_state_pieces = 0;                        // Lia
  std::unordered_map<const Type*, uint32_t> d_width;  // Lia: pieces per type
  bool d_lia_terms = false;                           // Lia: an Int term has been made

 public:
  Sort int_sort() const { return d_int_sort; }
  void note_int_terms() { d_lia_terms = true; }

 private:
  std::unordered_map<Term, int64_t> d_ints;            // integer constants
  std::unordered_map<Term, IntInfo> d_int;             // every integer term
  uint32_t d_min_width = UINT32_MAX, d_max_width = 0;  // of the arithmetic encoded (statistics)
  std::unordered_set<Term> d_bvconsts;
};

}  // namespace

// ---------------------------------------------------------------- Encoder

class Encoder::Impl
{
 public:
  Impl(const Model& m, smt::Solver& s, Arith a) : core(m, s, a) {}
  EncoderCore core;
};

namespace
{

Bits bits_of(const StateTerm& s)
{
  return Bits{s.term, s.width, s.pieces};
}
StateTerm state_of(const Bits& b)
{
  return StateTerm{b.t, b.w, b.p};
}

// Lia: each piece's sort and name suffix, in piece order.
void piece_names(const Type* t, const std::string& name, std::vector<std::pair<bool, std::string>>& out)
{
  switch (t->kind)
  {
    case TypeKind::Bool:
      out.emplace_back(false, name);
      return;
    case TypeKind::Range:
    case TypeKind::Enum:
      if (t->bits) out.emplace_back(true, name);
      return;
    case TypeKind::Int:
      out.emplace_back(true, name);
      return;
    case TypeKind::Record:
      for (const Type::Field& f : t->fields) piece_names(f.type, name + "." + f.name, out);
      return;
    case TypeKind::Array:
      for (uint64_t k = 0; k < t->key->card; ++k) piece_names(t->elem, name + "." + std::to_string(k), out);
      return;
    case TypeKind::Set:
      for (uint64_t k = 0; k < t->elem->card; ++k) out.emplace_back(false, name + ".in" + std::to_string(k));
      return;
    case TypeKind::Bag:
      if (t->aux_bits)
        for (uint64_t k = 0; k < t->elem->card; ++k) out.emplace_back(true, name + ".count" + std::to_string(k));
      return;
    case TypeKind::Seq:
      if (t->aux_bits) out.emplace_back(true, name + ".len");
      for (uint32_t k = 0; k < t->capacity; ++k) piece_names(t->elem, name + "." + std::to_string(k), out);
      return;
    case TypeKind::Message:
      if (t->aux_bits) out.emplace_back(true, name + ".tag");
      for (const Type::Variant& v : t->variants)
        for (const Type::Field& f : v.fields) piece_names(f.type, name + "." + v.tag + "." + f.name, out);
      return;
  }
}

// Lia: the interval a well-formed piece of type t holds, by piece (Bool pieces: none).
void piece_bounds(const Type* t, std::vector<std::optional<std::pair<int64_t, int64_t>>>& out)
{
  using B = std::optional<std::pair<int64_t, int64_t>>;
  switch (t->kind)
  {
    case TypeKind::Bool:
      out.push_back(B{});
      return;
    case TypeKind::Range:
      if (t->bits) out.push_back(B{{t->lo, t->hi}});
      return;
    case TypeKind::Enum:
      if (t->bits) out.push_back(B{{0, static_cast<int64_t>(t->card) - 1}});
      return;
    case TypeKind::Int:
      out.push_back(B{{INT64_MIN, INT64_MAX}});
      return;
    case TypeKind::Record:
      for (const Type::Field& f : t->fields) piece_bounds(f.type, out);
      return;
    case TypeKind::Array:
      for (uint64_t k = 0; k < t->key->card; ++k) piece_bounds(t->elem, out);
      return;
    case TypeKind::Set:
      for (uint64_t k = 0; k < t->elem->card; ++k) out.push_back(B{});
      return;
    case TypeKind::Bag:
      if (t->aux_bits)
        for (uint64_t k = 0; k < t->elem->card; ++k) out.push_back(B{{0, t->capacity}});
      return;
    case TypeKind::Seq:
      if (t->aux_bits) out.push_back(B{{0, t->capacity}});
      for (uint32_t k = 0; k < t->capacity; ++k) piece_bounds(t->elem, out);
      return;
    case TypeKind::Message:
      if (t->aux_bits) out.push_back(B{{0, static_cast<int64_t>(t->variants.size()) - 1}});
      for (const Type::Variant& v : t->variants)
        for (const Type::Field& f : v.fields) piece_bounds(f.type, out);
      return;
  }
}

Step step_of(EncoderCore& c, std::vector<Path> paths, const std::vector<Term>& failures)
{
  Step r;
  r.failure = c.big_or(failures);
  r.enabled = r.failure;
  for (Path& p : paths)
  {
    r.enabled = c.mk_or(r.enabled, p.pc);
    r.successors.push_back(Successor{p.pc, state_of(p.state), p.action, p.self});
  }
  return r;
}

}  // namespace

Encoder::Encoder(const Model& model, smt::Solver& solver, Arith arith)
    : d_impl(std::make_unique<Impl>(model, solver, arith))
{
}
Encoder::~Encoder() = default;

const Model& Encoder::model() const
{
  return d_impl->core.M;
}
smt::Solver& Encoder::solver() const
{
  return d_impl->core.S;
}
Arith Encoder::arith() const
{
  return d_impl->core.lia ? Arith::Lia : Arith::Bv;
}
Term Encoder::true_term() const
{
  return d_impl->core.T;
}
Term Encoder::false_term() const
{
  return d_impl->core.F;
}
Term Encoder::mk_not(Term a)
{
  return d_impl->core.mk_not(a);
}
Term Encoder::mk_and(Term a, Term b)
{
  return d_impl->core.mk_and(a, b);
}
Term Encoder::mk_or(Term a, Term b)
{
  return d_impl->core.mk_or(a, b);
}
Term Encoder::mk_or(const std::vector<Term>& terms)
{
  return d_impl->core.big_or(terms);
}
Term Encoder::mk_and(const std::vector<Term>& terms)
{
  Term r = true_term();
  for (Term t : terms) r = mk_and(r, t);
  return r;
}

StateTerm Encoder::state(const std::string& name)
{
  const Model& m = model();
  smt::Solver& s = solver();
  if (d_impl->core.lia)
  {
    std::vector<Term> pieces;
    for (auto& [sort, suffix] : piece_sorts()) pieces.push_back(s.make_const(name + suffix, sort));
    return state_of_pieces(pieces);
  }
  if (m.state_bits == 0) return {};
  return {s.make_const(name, s.make_sort(smt::SortKind::BitVec, m.state_bits)), m.state_bits};
}

std::vector<std::pair<smt::Sort, std::string>> Encoder::piece_sorts()
{
  EncoderCore& c = d_impl->core;
  if (!c.lia) smt::bug("encoder: state pieces under Arith::Bv");
  std::vector<std::pair<bool, std::string>> names;
  for (const Variable& v : model().vars) piece_names(v.type, "." + v.name, names);
  std::vector<std::pair<smt::Sort, std::string>> r;
  Sort b = solver().make_sort(smt::SortKind::Bool);
  for (auto& [is_int, n] : names) r.emplace_back(is_int ? c.int_sort() : b, n);
  return r;
}

StateTerm Encoder::state_of_pieces(const std::vector<Term>& pieces)
{
  EncoderCore& c = d_impl->core;
  if (!c.lia) smt::bug("encoder: state pieces under Arith::Bv");
  std::vector<std::optional<std::pair<int64_t, int64_t>>> bounds;
  for (const Variable& v : model().vars) piece_bounds(v.type, bounds);
  if (bounds.size() != pieces.size()) smt::bug("encoder: a state of the wrong number of pieces");
  // The intervals a well-formed state's pieces hold: the encoding is exact
  // on well-formed states, which are all that a reachable state can be.
  for (size_t i = 0; i < pieces.size(); ++i)
    if (bounds[i])
    {
      c.reg(pieces[i], 64, bounds[i]->first, bounds[i]->second);
      c.note_int_terms();
    }
  StateTerm st;
  st.pieces = pieces;
  st.width = static_cast<uint32_t>(pieces.size());
  return st;
}

Term Encoder::equal(StateTerm a, StateTerm b)
{
  return d_impl->core.same(bits_of(a), bits_of(b));
}

Term Encoder::well_formed(StateTerm s)
{
  return d_impl->core.well_formed_state(bits_of(s));
}

Step Encoder::initial()
{
  std::vector<Term> failures;
  std::vector<Path> paths = d_impl->core.initial(failures);
  return step_of(d_impl->core, std::move(paths), failures);
}

Step Encoder::step(StateTerm from)
{
  std::vector<Term> failures;
  std::vector<Path> paths = d_impl->core.step(bits_of(from), failures);
  return step_of(d_impl->core, std::move(paths), failures);
}

Term Encoder::leads_to(const Step& step, StateTerm to)
{
  Term r = false_term();
  for (const Successor& s : step.successors) r = mk_or(r, mk_and(s.condition, equal(to, s.state)));
  return r;
}

Term Encoder::initial_state(StateTerm s)
{
  return leads_to(initial(), s);
}
Term Encoder::transition(StateTerm from, StateTerm to)
{
  return leads_to(step(from), to);
}

std::pair<Term, Term> Encoder::predicate(StateTerm s, ExprId e,
                                         const std::vector<std::pair<LocalId, uint64_t>>& bindings)
{
  return d_impl->core.predicate(bits_of(s), e, bindings);
}

StateChecks Encoder::state_checks(StateTerm s)
{
  auto [bad, ok] = d_impl->core.state_checks(bits_of(s));
  return StateChecks{bad, ok};
}

Term Encoder::deadlocked(const StateChecks& checks, const Step& step)
{
  return mk_and(checks.expanded, mk_not(step.enabled));
}

std::vector<uint64_t> Encoder::state_value(StateTerm s)
{
  const Model& m = model();
  std::vector<uint64_t> w(m.state_words + 1, 0);
  if (s.width == 0) return w;
  if (d_impl->core.lia)
  {
    std::vector<smt::Value> vals;
    for (Term p : s.pieces) vals.push_back(solver().get_value(p));
    size_t i = 0;
    for (const Variable& v : m.vars) d_impl->core.words_of_pieces(v.type, vals, i, w.data(), v.offset);
    return w;
  }
  BitVector bv = solver().get_value(s.term).as_bitvector();
  for (uint32_t i = 0; i < s.width; ++i)
    if (bv.bit(i)) bits::put(w.data(), i, true);
  return w;
}

std::pair<uint32_t, uint32_t> Encoder::arithmetic_widths() const
{
  return d_impl->core.arithmetic_widths();
}

std::string logic_description(const std::vector<std::pair<uint32_t, uint32_t>>& widths, Arith arith)
{
  if (arith == Arith::Lia)
  {
    for (auto [a, b] : widths)
      if (b != 0) return "QF_LIA";
    return "QF_LIA (no integer terms)";
  }
  uint32_t lo = UINT32_MAX, hi = 0;
  for (auto [a, b] : widths)
  {
    if (b == 0) continue;
    lo = std::min(lo, a);
    hi = std::max(hi, b);
  }
  if (hi == 0) return "QF_BV (no arithmetic)";
  return "QF_BV (arithmetic at " + (lo == hi ? std::to_string(lo) : std::to_string(lo) + ".." + std::to_string(hi)) +
         " bits)";
}

}  // namespace keel::symbolic

// ---------------------------------------------------------------- linearity

namespace keel::symbolic
{

namespace
{

// Finds the first nonlinear operation in what the encoder reads. A local is
// constant where the encoder binds it to one value at a time (const_sym):
// action parameters, quantified, chosen and comprehension values, temporal
// bindings; a `let` of a constant. Definition parameters are not (their
// arguments may be anything).
class Linearity
{
 public:
  // divisions: also stop at a division or remainder of a non-constant
  // dividend by a constant (first_division).
  explicit Linearity(const Model& m, bool divisions = false)
      : M(m), d_const_local(m.locals.size(), 0), d_divisions(divisions)
  {
    for (const Action& a : M.actions)
      for (LocalId p : a.params) d_const_local[p] = 1;
    for (const Expr& e : M.exprs) switch (e.op)
      {
        case Op::Forall:
        case Op::Exists:
        case Op::Sum:
        case Op::CountQ:
        case Op::SetComp:
        case Op::ArrayConst:
          if (e.imm >= 0 && static_cast<uint64_t>(e.imm) < d_const_local.size()) d_const_local[e.imm] = 1;
          break;
        default:
          break;
      }
    for (const Stmt& s : M.stmts)
    {
      if (s.op == StmtOp::Choose && s.local != kNone) d_const_local[s.local] = 1;
      if (s.op == StmtOp::Let && s.local != kNone) d_let.emplace(s.local, s.value);
    }
    for (const TemporalProperty& p : M.properties)
      for (const TemporalNode& n : p.nodes)
        for (auto& [l, v] : n.bindings) d_const_local[l] = 1;
  }

  ExprId find()
  {
    for (const Variable& v : M.vars) expr(v.init);
    block(M.init_block);
    for (const Action& a : M.actions)
    {
      expr(a.guard);
      block(a.body);
    }
    for (const NamedPredicate& p : M.invariants) expr(p.expr);
    for (const NamedPredicate& p : M.constraints) expr(p.expr);
    for (const TemporalProperty& p : M.properties)
      for (const TemporalNode& n : p.nodes) expr(n.pred);
    return d_found;
  }

 private:
  bool is_const(ExprId id)
  {
    if (id == kNone) return false;
    auto it = d_const.find(id);
    if (it != d_const.end()) return it->second;
    d_const.emplace(id, false);  // a cycle (a recursive definition) is not constant
    const Expr& e = M.exprs[id];
    bool c = false;
    switch (e.op)
    {
      case Op::Const:
        c = true;
        break;
      case Op::Local:
        if (d_const_local[e.imm])
          c = true;
        else if (auto l = d_let.find(e.imm); l != d_let.end())
          c = is_const(l->second);
        break;
      case Op::Neg:
      case Op::Abs:
      case Op::Not:
        c = is_const(e.a);
        break;
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div:
      case Op::Mod:
      case Op::Min:
      case Op::Max:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
      case Op::And:
      case Op::Or:
      case Op::Implies:
        c = is_const(e.a) && is_const(e.b);
        break;
      case Op::Eq:
      case Op::Ne:
        c = M.exprs[e.a].type->is_scalar() && is_const(e.a) && is_const(e.b);
        break;
      case Op::Ite:
        c = is_const(e.a) && is_const(e.b) && is_const(e.c);
        break;
      case Op::Call:
        c = e.nargs == 0 && M.defs[e.imm].body != kNone && is_const(M.defs[e.imm].body);
        break;
      default:
        break;
    }
    d_const[id] = c;
    return c;
  }

  void expr(ExprId id)
  {
    if (id == kNone || d_found != kNone || !d_seen.insert(id).second) return;
    const Expr& e = M.exprs[id];
    if (e.op == Op::Mul && !is_const(e.a) && !is_const(e.b)) d_found = id;
    if ((e.op == Op::Div || e.op == Op::Mod) && !is_const(e.b)) d_found = id;
    if (d_divisions && (e.op == Op::Div || e.op == Op::Mod) && !is_const(e.a)) d_found = id;
    if (d_found != kNone) return;
    expr(e.a);
    expr(e.b);
    expr(e.c);
    for (uint32_t i = 0; i < e.nargs; ++i) expr(M.arg(e, i));
    if (e.op == Op::Call) expr(M.defs[e.imm].body);
  }

  void block(BlockId b)
  {
    if (b == kNone) return;
    for (StmtId sid : M.blocks[b])
    {
      const Stmt& s = M.stmts[sid];
      expr(s.target);
      expr(s.value);
      expr(s.cond);
      expr(s.set);
      block(s.then_block);
      block(s.else_block);
    }
  }

  const Model& M;
  std::vector<char> d_const_local;
  std::unordered_map<LocalId, ExprId> d_let;
  std::unordered_map<ExprId, bool> d_const;
  std::unordered_set<ExprId> d_seen;
  bool d_divisions;
  ExprId d_found = kNone;
};

}  // namespace

ExprId first_nonlinear(const Model& model)
{
  return Linearity(model).find();
}

ExprId first_division(const Model& model)
{
  return Linearity(model, true).find();
}

std::string describe_nonlinear(const Model& model, ExprId id)
{
  const Expr& e = model.exprs[id];
  std::string what = e.op == Op::Mul ? "a * b" : e.op == Op::Div ? "a / b" : "a % b";
  if (model.sources && e.span.valid() && e.span.file < model.sources->size())
  {
    const SourceFile& f = model.sources->file(e.span.file);
    std::string_view text = f.text().substr(e.span.begin, e.span.end - e.span.begin);
    if (!text.empty() && text.size() <= 60 && text.find('\n') == std::string_view::npos) what = std::string(text);
    LineCol lc = f.line_col(e.span.begin);
    what += " at " + f.path() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
  }
  return what;
}

}  // namespace keel::symbolic
