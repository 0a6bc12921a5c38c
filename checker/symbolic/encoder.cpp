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

// An encoded value: a bit-vector of the type's width; width 0 has no term.
struct Bits
{
  Term t;
  uint32_t w = 0;
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
  EncoderCore(const Model& m, smt::Solver& s) : M(m), S(s)
  {
    d_bool = S.make_sort(smt::SortKind::Bool);
    T = S.make_value(true);
    F = S.make_value(false);
  }

  const Model& M;
  smt::Solver& S;
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
    Term t = S.make_value(v, bv_sort(w));
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
    if (w == 0) return {};
    if (w <= 64) return bconst_u(0, w);
    return bconst(BitVector::from_binary(std::string(w, '0')));
  }
  Bits ext(Bits b, uint32_t pos, uint32_t n)
  {
    if (n == 0) return {};
    if (pos == 0 && n == b.w) return b;
    return {S.make_term(SOp::Extract, {pos + n - 1, pos}, b.t), n};
  }
  Bits cat(Bits hi, Bits lo)
  {
    if (hi.w == 0) return lo;
    if (lo.w == 0) return hi;
    return {S.make_term(SOp::Concat, hi.t, lo.t), hi.w + lo.w};
  }
  Bits repl(Bits b, uint32_t pos, uint32_t n, Bits v)
  {
    if (n == 0) return b;
    return cat(cat(ext(b, pos + n, b.w - pos - n), v), ext(b, 0, pos));
  }
  Bits bite(Term c, Bits a, Bits b)
  {
    if (a.w == 0) return {};
    return {mk_ite(c, a.t, b.t), a.w};
  }
  Term beq(Bits a, Bits b)
  {
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
    if (b.w > 63) throw NotSupported{"a value wider than 63 bits read as an integer"};
    return reg(S.make_term(SOp::ZeroExtend, {1}, b.t), b.w + 1, 0, (__int128{1} << b.w) - 1);
  }
  // The low w bits of an integer (of its 64-bit two's complement form).
  Bits from_int(Term i, uint32_t w)
  {
    if (w == 0) return {};
    if (auto v = ival(i)) return bconst_u(static_cast<uint64_t>(*v), w);
    IntInfo ii = info(i);
    if (ii.w == w) return {i, w};
    if (ii.w > w) return ext({i, ii.w}, 0, w);
    return {S.make_term(ii.lo >= 0 ? SOp::ZeroExtend : SOp::SignExtend, {w - ii.w}, i), w};
  }
  Term bit(Bits b, uint32_t i) { return S.make_term(SOp::Equal, ext(b, i, 1).t, bconst_u(1, 1).t); }
  Bits from_bool(Term b) { return {mk_ite(b, bconst_u(1, 1).t, bconst_u(0, 1).t), 1}; }

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
        r.s = add(to_int(b), ic(t->lo), false);
        break;
      case TypeKind::Enum:
        r.s = to_int(b);
        break;
      case TypeKind::Int:
        r.s = reg(b.t, 64, INT64_MIN, INT64_MAX);
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
        return from_int(sub(v.s, ic(t->lo), false), t->bits);
      case TypeKind::Enum:
        return from_int(v.s, t->bits);
      case TypeKind::Int:
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
        r.x = bconst(const_bv(t, k));
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
  std::vector<Term> seq_match(const Type* st, Bits base, ExprId ix)
  {
    Term i = eval(ix).s;
    Term len = to_int(ext(base, 0, st->aux_bits));
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
  std::vector<Bits> slots_of(Bits base, uint32_t first, uint64_t n, uint32_t w)
  {
    std::vector<Bits> s(n);
    for (uint64_t k = 0; k < n; ++k) s[k] = ext(base, first + static_cast<uint32_t>(k) * w, w);
    return s;
  }
  Term vfield_bad(const Expr& e, Bits tag)
  {
    const auto& table = M.vfield_tables[e.imm2];
    Term bad = F;
    for (size_t v = 0; v < table.size(); ++v)
      if (table[v] < 0) bad = mk_or(bad, beq(tag, bconst_u(v, tag.w)));
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
          return select(array_match(bt->key, e.b), slots_of(base, 0, bt->key->card, bt->elem->bits));
        if (bt->kind == TypeKind::Seq)
          return select(seq_match(bt, base, e.b), slots_of(base, bt->aux_bits, bt->capacity, bt->elem->bits));
        break;
      case Op::Head:
        check(ieq(to_int(ext(base, 0, bt->aux_bits)), ic(0)));
        return ext(base, bt->aux_bits, bt->elem->bits);
      case Op::Field:
        return ext(base, bt->fields[e.imm].offset, bt->fields[e.imm].type->bits);
      case Op::VField:
      {
        Bits tag = ext(base, 0, bt->aux_bits);
        check(vfield_bad(e, tag));
        const auto& table = M.vfield_tables[e.imm2];
        Bits r;
        bool first = true;
        for (size_t v = table.size(); v-- > 0;)
        {
          if (table[v] < 0) continue;
          Bits f = ext(base, bt->aux_bits + bt->variants[v].fields[table[v]].offset, e.type->bits);
          r = first ? f : bite(beq(tag, bconst_u(v, tag.w)), f, r);
          first = false;
        }
        return r;
      }
      default:
        break;
    }
    throw NotSupported{std::string("reading '") + op_name(e.op) + "'"};
  }

  void assign_place(ExprId target, Bits v)
  {
    const Expr& e = M.exprs[target];
    if (e.op == Op::Var)
    {
      state = repl(state, M.vars[e.imm].offset, e.type->bits, v);
      return;
    }
    const Type* bt = e.a == kNone ? nullptr : M.exprs[e.a].type;
    switch (e.op)
    {
      case Op::Field:
      {
        Bits base = ebits(e.a);
        assign_place(e.a, repl(base, bt->fields[e.imm].offset, e.type->bits, v));
        return;
      }
      case Op::Index:
      {
        Bits base = ebits(e.a);
        if (bt->kind == TypeKind::Array)
        {
          auto m = array_match(bt->key, e.b);
          auto slots = slots_of(base, 0, bt->key->card, bt->elem->bits);
          for (size_t k = 0; k < slots.size(); ++k) slots[k] = bite(m[k], v, slots[k]);
          assign_place(e.a, pack(slots));
          return;
        }
        if (bt->kind == TypeKind::Seq)
        {
          auto m = seq_match(bt, base, e.b);
          auto slots = slots_of(base, bt->aux_bits, bt->capacity, bt->elem->bits);
          for (size_t k = 0; k < slots.size(); ++k) slots[k] = bite(m[k], v, slots[k]);
          slots.insert(slots.begin(), ext(base, 0, bt->aux_bits));
          assign_place(e.a, pack(slots));
          return;
        }
        break;
      }
      case Op::Head:
      {
        Bits base = ebits(e.a);
        check(ieq(to_int(ext(base, 0, bt->aux_bits)), ic(0)));
        assign_place(e.a, repl(base, bt->aux_bits, bt->elem->bits, v));
        return;
      }
      case Op::VField:
      {
        Bits base = ebits(e.a);
        Bits tag = ext(base, 0, bt->aux_bits);
        check(vfield_bad(e, tag));
        const auto& table = M.vfield_tables[e.imm2];
        Bits r = base;
        for (size_t t = 0; t < table.size(); ++t)
        {
          if (table[t] < 0) continue;
          Bits upd = repl(base, bt->aux_bits + bt->variants[t].fields[table[t]].offset, e.type->bits, v);
          r = bite(beq(tag, bconst_u(t, tag.w)), upd, r);
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
        return decode(t, ext(state, M.vars[e.imm].offset, t->bits));
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
        Bits tag = ext(base, 0, M.exprs[e.a].type->aux_bits);
        return sym_s(beq(tag, bconst_u(static_cast<uint64_t>(e.imm), tag.w)));
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
          for (uint64_t k = 0; k < ct->elem->card; ++k) n = add(n, to_int(ext(s, static_cast<uint32_t>(k), 1)), false);
        else
          for (uint64_t k = 0; k < ct->elem->card; ++k)
            n = add(n, to_int(ext(s, static_cast<uint32_t>(k) * ct->aux_bits, ct->aux_bits)), false);
        return sym_s(n);
      }
      case Op::Len:
      {
        Bits s = ebits(e.a);
        return sym_s(to_int(ext(s, 0, M.exprs[e.a].type->aux_bits)));
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
          n = mk_ite(m[k], to_int(ext(s, static_cast<uint32_t>(k) * ct->aux_bits, ct->aux_bits)), n);
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
        if (t->is_scalar()) return decode(t, zeros(t->bits));
        return sym_x(zeros(t->bits));
      case Op::SetMin:
      case Op::SetMax:
      {
        const Type* st = M.exprs[e.a].type;
        Bits s = ebits(e.a);
        check_card(st->elem, "min/max");
        uint64_t n = st->elem->card;
        check(beq(s, zeros(s.w)));
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
      Term len = to_int(ext(s, 0, ct->aux_bits));
      Term r = F;
      for (uint32_t k = 0; k < ct->capacity; ++k)
      {
        Bits slot = ext(s, ct->aux_bits + k * ct->elem->bits, ct->elem->bits);
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
                         : mk_not(ieq(to_int(ext(s, static_cast<uint32_t>(k) * ct->aux_bits, ct->aux_bits)), ic(0)));
      r = mk_or(r, mk_and(m[k], present));
    }
    return r;
  }

  // Bag counts as integers, and back.
  std::vector<Term> counts(const Type* bt, Bits b)
  {
    std::vector<Term> c(bt->elem->card);
    for (uint64_t k = 0; k < c.size(); ++k)
      c[k] = to_int(ext(b, static_cast<uint32_t>(k) * bt->aux_bits, bt->aux_bits));
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
  std::vector<Bits> seq_slots(const Type* st, Bits b)
  {
    return slots_of(b, st->aux_bits, st->capacity, st->elem->bits);
  }
  Bits append(const Type* st, Bits b, ExprId value)
  {
    Term len = to_int(ext(b, 0, st->aux_bits));
    check(ile(ic(st->capacity), len));
    Bits v = encode(st->elem, eval(value));
    auto slots = seq_slots(st, b);
    for (uint32_t k = 0; k < st->capacity; ++k) slots[k] = bite(ieq(len, ic(k)), v, slots[k]);
    return pack_seq(st, add(len, ic(1), false), slots);
  }
  Bits tail(const Type* st, Bits b)
  {
    Term len = to_int(ext(b, 0, st->aux_bits));
    auto slots = seq_slots(st, b);
    slots.erase(slots.begin());
    slots.push_back(zeros(st->elem->bits));
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
        return t->bits <= 64 ? bconst_u(~uint64_t{0}, t->bits)
                             : bconst(BitVector::from_binary(std::string(t->bits, '1')));
      case Op::Union:
      case Op::Intersect:
      case Op::Minus:
      {
        Bits a = ebits(e.a), b = ebits(e.b);
        if (a.w == 0) return {};
        if (e.op == Op::Union) return {S.make_term(SOp::BVOr, a.t, b.t), a.w};
        if (e.op == Op::Intersect) return {S.make_term(SOp::BVAnd, a.t, b.t), a.w};
        return {S.make_term(SOp::BVAnd, a.t, S.make_term(SOp::BVNot, b.t)), a.w};
      }
      case Op::SeqLit:
      {
        std::vector<Bits> slots;
        for (uint32_t i = 0; i < e.nargs; ++i) slots.push_back(encode(t->elem, eval(M.arg(e, i))));
        while (slots.size() < t->capacity) slots.push_back(zeros(t->elem->bits));
        return pack_seq(t, ic(e.nargs), slots);
      }
      case Op::Tail:
      {
        Bits b = ebits(e.a);
        check(ieq(to_int(ext(b, 0, t->aux_bits)), ic(0)));
        return tail(t, b);
      }
      case Op::Append:
        return append(t, ebits(e.a), e.b);
      case Op::RecordLit:
      {
        Bits r = zeros(t->bits);
        for (uint32_t i = 0; i < e.nargs; ++i)
          r = repl(r, t->fields[i].offset, t->fields[i].type->bits, encode(t->fields[i].type, eval(M.arg(e, i))));
        return r;
      }
      case Op::RecordWith:
      {
        Bits a = ebits(e.a);
        const auto& f = t->fields[e.imm];
        return repl(a, f.offset, f.type->bits, encode(f.type, eval(e.b)));
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
        auto slots = slots_of(a, 0, t->key->card, t->elem->bits);
        for (size_t k = 0; k < slots.size(); ++k) slots[k] = bite(m[k], v, slots[k]);
        return pack(slots);
      }
      case Op::Ctor:
      {
        Bits r = repl(zeros(t->bits), 0, t->aux_bits, bconst_u(static_cast<uint64_t>(e.imm), t->aux_bits));
        const auto& v = t->variants[e.imm];
        for (uint32_t i = 0; i < e.nargs; ++i)
          r = repl(r, t->aux_bits + v.fields[i].offset, v.fields[i].type->bits,
                   encode(v.fields[i].type, eval(M.arg(e, i))));
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
            if (x.x.t != y.x.t) r.x = bite(c, x.x, y.x);
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
            m[k] = beq(msg, bconst(const_bv(nt->elem, k)));
            full = mk_or(full, mk_and(m[k], ile(ic(nt->capacity), c[k])));
          }
          check(full);
          for (uint64_t k = 0; k < c.size(); ++k) c[k] = mk_ite(m[k], add(c[k], ic(1), false), c[k]);
          assign_place(s.target, pack_counts(nt, c));
        }
        else
        {
          Term len = to_int(ext(net, 0, nt->aux_bits));
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
          Term len = to_int(ext(net, 0, nt->aux_bits));
          pc = mk_and(pc, mk_not(ieq(len, ic(0))));
          if (pc == F) return;
          env[s.local] = decode(elem, ext(net, nt->aux_bits, elem->bits));
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
        Term len = to_int(ext(net, 0, nt->aux_bits));
        auto slots0 = seq_slots(nt, net);
        Bits zero = zeros(elem->bits);
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
  std::vector<Path> step(Bits s, std::vector<Term>& failures)
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
    state = zeros(M.state_bits);
    for (const Variable& v : M.vars)
    {
      if (v.init == kNone) continue;
      Bits b = encode(v.type, eval(v.init));
      state = repl(state, v.offset, v.type->bits, b);
    }
    std::vector<Path> r = run_block(M.init_block, {save()});
    errs = nullptr;
    return r;
  }

  // In state s: "bad" (an invariant fails or an invariant or constraint
  // cannot be evaluated) and "ok" (the constraints hold: the state is expanded).
  std::pair<Term, Term> state_checks(Bits s)
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
  std::pair<Term, Term> predicate(Bits s, ExprId e, const std::vector<std::pair<LocalId, uint64_t>>& bindings)
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

  Term same(Bits a, Bits b) { return beq(a, b); }

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
  Term well_formed_state(Bits s)
  {
    Term r = T;
    for (const Variable& v : M.vars) r = mk_and(r, well_formed(v.type, ext(s, v.offset, v.type->bits)));
    return r;
  }

  // The narrowest and widest arithmetic encoded so far ({0, 0}: none).
  std::pair<uint32_t, uint32_t> arithmetic_widths() const
  {
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
  Impl(const Model& m, smt::Solver& s) : core(m, s) {}
  EncoderCore core;
};

namespace
{

Bits bits_of(StateTerm s)
{
  return Bits{s.term, s.width};
}
StateTerm state_of(Bits b)
{
  return StateTerm{b.t, b.w};
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

Encoder::Encoder(const Model& model, smt::Solver& solver) : d_impl(std::make_unique<Impl>(model, solver)) {}
Encoder::~Encoder() = default;

const Model& Encoder::model() const
{
  return d_impl->core.M;
}
smt::Solver& Encoder::solver() const
{
  return d_impl->core.S;
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
  if (m.state_bits == 0) return {};
  smt::Solver& s = solver();
  return {s.make_const(name, s.make_sort(smt::SortKind::BitVec, m.state_bits)), m.state_bits};
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
  BitVector bv = solver().get_value(s.term).as_bitvector();
  for (uint32_t i = 0; i < s.width; ++i)
    if (bv.bit(i)) bits::put(w.data(), i, true);
  return w;
}

std::pair<uint32_t, uint32_t> Encoder::arithmetic_widths() const
{
  return d_impl->core.arithmetic_widths();
}

std::string logic_description(const std::vector<std::pair<uint32_t, uint32_t>>& widths)
{
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
