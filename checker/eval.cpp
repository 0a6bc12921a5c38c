#include "checker/eval.hpp"

#include <algorithm>

#include "checker/bits.hpp"
#include "checker/values.hpp"

namespace keel
{

const char* violation_name(ViolationKind k)
{
  static const char* const kNames[] = {
#define KEEL_VK_NAME(Name, Printed) Printed,
      KEEL_VIOLATIONS(KEEL_VK_NAME)
#undef KEEL_VK_NAME
  };
  return kNames[static_cast<int>(k)];
}

uint64_t* Arena::alloc(size_t words)
{
  if (words == 0) words = 1;
  for (;;)
  {
    if (d_block < d_blocks.size())
    {
      if (d_used + words <= d_sizes[d_block])
      {
        uint64_t* p = d_blocks[d_block].get() + d_used;
        d_used += words;
        std::fill(p, p + words, 0);
        return p;
      }
      ++d_block;
      d_used = 0;
      continue;
    }
    size_t sz = std::max(kBlockWords, words);
    d_blocks.push_back(std::make_unique<uint64_t[]>(sz));
    d_sizes.push_back(sz);
  }
}

namespace
{
struct ArenaScope
{
  Arena& a;
  Arena::Mark m;
  explicit ArenaScope(Arena& aa) : a(aa), m(aa.mark()) {}
  ~ArenaScope() { a.release(m); }
};

std::string range_text(const Type* t)
{
  return std::to_string(t->lo) + ".." + std::to_string(t->hi);
}
}  // namespace

Evaluator::Evaluator(const Model& model) : d_m(model)
{
  d_frame.assign(std::max<uint32_t>(1, d_m.frame_words), 0);
  d_work.assign(d_m.state_words + 1, 0);  // +1: a spare word keeps bit reads in bounds
  d_bound.reserve(64);
}

// ------------------------------------------------------------------ encoding

uint64_t Evaluator::encode(const Type* t, int64_t v, Span sp) const
{
  switch (t->kind)
  {
    case TypeKind::Range:
      if (v < t->lo || v > t->hi)
        throw EvalError(ViolationKind::OutOfRange, sp,
                        "value " + std::to_string(v) + " is outside the range " + range_text(t));
      return static_cast<uint64_t>(v - t->lo);
    case TypeKind::Bool:
      return v ? 1 : 0;
    case TypeKind::Int:
      return static_cast<uint64_t>(v);
    default:
      return static_cast<uint64_t>(v);  // enum ordinal
  }
}

int64_t Evaluator::decode(const Type* t, uint64_t raw) const
{
  if (t->kind == TypeKind::Range) return static_cast<int64_t>(raw) + t->lo;
  return static_cast<int64_t>(raw);
}

uint64_t Evaluator::key_index(const Type* key, int64_t v, Span sp) const
{
  if (key->kind == TypeKind::Range)
  {
    if (v < key->lo || v > key->hi)
      throw EvalError(ViolationKind::IndexOutOfBounds, sp,
                      "index " + std::to_string(v) + " is outside the array's domain " + range_text(key));
    return static_cast<uint64_t>(v - key->lo);
  }
  return static_cast<uint64_t>(v);
}

uint64_t Evaluator::index_of(const Type* t, const uint64_t* w, size_t pos)
{
  switch (t->kind)
  {
    case TypeKind::Bool:
    case TypeKind::Range:
    case TypeKind::Enum:
    case TypeKind::Int:
      return bits::get(w, pos, t->bits);
    case TypeKind::Record:
    {
      uint64_t idx = 0, radix = 1;
      for (auto& f : t->fields)
      {
        idx += index_of(f.type, w, pos + f.offset) * radix;
        radix *= f.type->card;
      }
      return idx;
    }
    case TypeKind::Array:
    {
      uint64_t idx = 0, radix = 1;
      for (uint64_t k = 0; k < t->key->card; ++k)
      {
        idx += index_of(t->elem, w, pos + k * t->elem->bits) * radix;
        radix *= t->elem->card;
      }
      return idx;
    }
    case TypeKind::Set:
      return bits::get(w, pos, t->bits);  // card < 2^64 only when elem card < 64
    case TypeKind::Seq:
    {
      uint64_t len = bits::get(w, pos, t->aux_bits);
      uint64_t base = 0, p = 1;
      for (uint64_t l = 0; l < len; ++l)
      {
        base += p;
        p *= t->elem->card;
      }
      uint64_t idx = 0, radix = 1;
      for (uint64_t k = 0; k < len; ++k)
      {
        idx += index_of(t->elem, w, pos + t->aux_bits + k * t->elem->bits) * radix;
        radix *= t->elem->card;
      }
      return base + idx;
    }
    case TypeKind::Bag:
    {
      uint64_t idx = 0, radix = 1;
      for (uint64_t k = 0; k < t->elem->card; ++k)
      {
        idx += bits::get(w, pos + k * t->aux_bits, t->aux_bits) * radix;
        radix *= t->capacity + 1;
      }
      return idx;
    }
    case TypeKind::Message:
    {
      uint64_t tag = bits::get(w, pos, t->aux_bits);
      uint64_t base = 0;
      for (uint64_t v = 0; v < tag; ++v)
      {
        uint64_t c = 1;
        for (auto& f : t->variants[v].fields) c *= f.type->card;
        base += c;
      }
      uint64_t idx = 0, radix = 1;
      for (auto& f : t->variants[tag].fields)
      {
        idx += index_of(f.type, w, pos + t->aux_bits + f.offset) * radix;
        radix *= f.type->card;
      }
      return base + idx;
    }
  }
  return 0;
}

void Evaluator::decode_index(const Type* t, uint64_t idx, uint64_t* w, size_t pos)
{
  switch (t->kind)
  {
    case TypeKind::Bool:
    case TypeKind::Range:
    case TypeKind::Enum:
    case TypeKind::Int:
      bits::set(w, pos, t->bits, idx);
      return;
    case TypeKind::Record:
      for (auto& f : t->fields)
      {
        decode_index(f.type, idx % f.type->card, w, pos + f.offset);
        idx /= f.type->card;
      }
      return;
    case TypeKind::Array:
      for (uint64_t k = 0; k < t->key->card; ++k)
      {
        decode_index(t->elem, idx % t->elem->card, w, pos + k * t->elem->bits);
        idx /= t->elem->card;
      }
      return;
    case TypeKind::Set:
      bits::set(w, pos, t->bits, idx);
      return;
    case TypeKind::Seq:
    {
      bits::zero(w, pos, t->bits);
      uint64_t len = 0, p = 1;
      while (len < t->capacity && idx >= p)
      {
        idx -= p;
        p *= t->elem->card;
        ++len;
      }
      bits::set(w, pos, t->aux_bits, len);
      for (uint64_t k = 0; k < len; ++k)
      {
        decode_index(t->elem, idx % t->elem->card, w, pos + t->aux_bits + k * t->elem->bits);
        idx /= t->elem->card;
      }
      return;
    }
    case TypeKind::Bag:
      for (uint64_t k = 0; k < t->elem->card; ++k)
      {
        bits::set(w, pos + k * t->aux_bits, t->aux_bits, idx % (t->capacity + 1));
        idx /= t->capacity + 1;
      }
      return;
    case TypeKind::Message:
    {
      bits::zero(w, pos, t->bits);
      for (uint64_t v = 0; v < t->variants.size(); ++v)
      {
        uint64_t c = 1;
        for (auto& f : t->variants[v].fields) c *= f.type->card;
        if (idx < c)
        {
          bits::set(w, pos, t->aux_bits, v);
          for (auto& f : t->variants[v].fields)
          {
            decode_index(f.type, idx % f.type->card, w, pos + t->aux_bits + f.offset);
            idx /= f.type->card;
          }
          return;
        }
        idx -= c;
      }
      return;
    }
  }
}

// ------------------------------------------------------------------ binding

void Evaluator::bind(LocalId l, const uint64_t* w, size_t pos)
{
  const Local& loc = d_m.locals[l];
  if (loc.type->is_scalar())
    d_frame[loc.word_offset] = static_cast<uint64_t>(decode(loc.type, bits::get(w, pos, loc.type->bits)));
  else
    bits::copy(d_frame.data() + loc.word_offset, 0, w, pos, loc.type->bits);
}

void Evaluator::bind_index(LocalId l, const Type* t, uint64_t idx)
{
  const Local& loc = d_m.locals[l];
  if (t->is_scalar())
    d_frame[loc.word_offset] = static_cast<uint64_t>(decode(t, idx));
  else
    decode_index(t, idx, d_frame.data() + loc.word_offset, 0);
}

void Evaluator::bind_call_args(const Expr& e)
{
  const Definition& def = d_m.defs[e.imm];
  // Evaluate every argument before binding any: an argument may call the
  // same definition (f(f(x))), whose parameters share these frame slots.
  ArenaScope scope(d_arena);
  int64_t scalars[16];
  std::vector<std::pair<const uint64_t*, size_t>> composite;
  const uint64_t* temps[16] = {};
  bool small = e.nargs <= 16;
  if (!small) composite.resize(e.nargs);
  for (uint32_t i = 0; i < e.nargs; ++i)
  {
    const Local& l = d_m.locals[def.params[i]];
    ExprId a = d_m.arg(e, i);
    if (l.type->is_scalar())
    {
      int64_t v = eval(a);
      encode(l.type, v, d_m.exprs[a].span);  // range check the argument
      if (small)
        scalars[i] = v;
      else
        composite[i] = {reinterpret_cast<const uint64_t*>(v), 0};
    }
    else
    {
      uint64_t* t = d_arena.alloc(l.words);
      eval_into(a, t, 0);
      if (small)
        temps[i] = t;
      else
        composite[i] = {t, 0};
    }
  }
  for (uint32_t i = 0; i < e.nargs; ++i)
  {
    const Local& l = d_m.locals[def.params[i]];
    if (l.type->is_scalar())
      d_frame[l.word_offset] =
          small ? static_cast<uint64_t>(scalars[i]) : reinterpret_cast<uint64_t>(composite[i].first);
    else
      bits::copy(d_frame.data() + l.word_offset, 0, small ? temps[i] : composite[i].first, 0, l.type->bits);
  }
}

// ------------------------------------------------------------------ places

Evaluator::Loc Evaluator::locate(ExprId id)
{
  const Expr& e = d_m.exprs[id];
  switch (e.op)
  {
    case Op::Var:
      return {d_state, d_m.vars[e.imm].offset};
    case Op::Local:
      if (!e.type->is_scalar()) return {d_frame.data() + d_m.locals[e.imm].word_offset, 0};
      break;
    case Op::Index:
    {
      const Type* bt = d_m.exprs[e.a].type;
      Loc b = locate(e.a);
      if (bt->kind == TypeKind::Array) return {b.w, b.pos + array_slot(bt->key, e.b) * bt->elem->bits};
      int64_t i = eval(e.b);
      uint64_t len = bits::get(b.w, b.pos, bt->aux_bits);
      if (i < 0 || static_cast<uint64_t>(i) >= len)
        throw EvalError(ViolationKind::IndexOutOfBounds, e.span,
                        "index " + std::to_string(i) + " is outside the sequence (length " + std::to_string(len) + ")");
      return {b.w, b.pos + bt->aux_bits + static_cast<uint64_t>(i) * bt->elem->bits};
    }
    case Op::Head:
    {
      const Type* bt = d_m.exprs[e.a].type;
      Loc b = locate(e.a);
      if (bits::get(b.w, b.pos, bt->aux_bits) == 0)
        throw EvalError(ViolationKind::EmptySequence, e.span, "head of an empty sequence");
      return {b.w, b.pos + bt->aux_bits};
    }
    case Op::Field:
    {
      const Type* bt = d_m.exprs[e.a].type;
      Loc b = locate(e.a);
      return {b.w, b.pos + bt->fields[e.imm].offset};
    }
    case Op::VField:
    {
      const Type* bt = d_m.exprs[e.a].type;
      Loc b = locate(e.a);
      uint64_t tag = bits::get(b.w, b.pos, bt->aux_bits);
      int fi = d_m.vfield_tables[e.imm2][tag];
      if (fi < 0)
      {
        std::string field = "?";
        for (size_t v = 0; v < d_m.vfield_tables[e.imm2].size(); ++v)
          if (d_m.vfield_tables[e.imm2][v] >= 0) field = bt->variants[v].fields[d_m.vfield_tables[e.imm2][v]].name;
        throw EvalError(ViolationKind::WrongTag, e.span,
                        "a " + bt->variants[tag].tag + " message has no field '" + field + "'");
      }
      return {b.w, b.pos + bt->aux_bits + bt->variants[tag].fields[fi].offset};
    }
    default:
      break;
  }
  uint64_t* t = d_arena.alloc((e.type->bits + 63) / 64 + 1);
  if (e.type->is_scalar())
    bits::set(t, 0, e.type->bits, encode(e.type, eval(id), e.span));
  else
    eval_into(id, t, 0);
  return {t, 0};
}

void Evaluator::store(ExprId value, const Type* t, uint64_t* w, size_t pos)
{
  if (t->is_scalar())
    bits::set(w, pos, t->bits, encode(t, eval(value), d_m.exprs[value].span));
  else
    eval_into(value, w, pos);
}

// The slot of an array with key type `key` that index expression `ix` names.
uint64_t Evaluator::array_slot(const Type* key, ExprId ix)
{
  if (key->is_scalar()) return key_index(key, eval(ix), d_m.exprs[ix].span);
  ArenaScope scope(d_arena);
  Loc l = locate(ix);
  return index_of(key, l.w, l.pos);
}

bool Evaluator::elem_index(const Type* elem, ExprId e, uint64_t& idx)
{
  const Expr& x = d_m.exprs[e];
  if (x.type->is_scalar())
  {
    int64_t v = eval(e);
    if (elem->kind == TypeKind::Range)
    {
      if (v < elem->lo || v > elem->hi) return false;
      idx = static_cast<uint64_t>(v - elem->lo);
      return true;
    }
    idx = static_cast<uint64_t>(v);
    return true;
  }
  ArenaScope scope(d_arena);
  Loc l = locate(e);
  idx = index_of(elem, l.w, l.pos);
  return true;
}

// ------------------------------------------------------------------ scalar evaluation

int64_t Evaluator::quantify(const Expr& e)
{
  const Local& l = d_m.locals[e.imm];
  const Type* elem = l.type;
  int64_t acc = e.op == Op::Forall ? 1 : 0;
  auto step = [&]() -> bool {  // returns false to stop early
    switch (e.op)
    {
      case Op::Forall:
        if (!eval(e.b))
        {
          acc = 0;
          return false;
        }
        return true;
      case Op::Exists:
        if (eval(e.b))
        {
          acc = 1;
          return false;
        }
        return true;
      case Op::CountQ:
        if (eval(e.b)) ++acc;
        return true;
      default:
      {
        int64_t v = eval(e.b);
        if (__builtin_add_overflow(acc, v, &acc))
          throw EvalError(ViolationKind::Overflow, e.span, "integer overflow in a sum");
        return true;
      }
    }
  };
  if (e.dom)
  {
    for (uint64_t i = 0; i < e.dom->card; ++i)
    {
      bind_index(e.imm, elem, i);
      if (!step()) break;
    }
  }
  else
  {
    ArenaScope scope(d_arena);
    Loc s = locate(e.a);
    for (uint64_t i = 0; i < elem->card; ++i)
    {
      if (!bits::test(s.w, s.pos + i)) continue;
      bind_index(e.imm, elem, i);
      if (!step()) break;
    }
  }
  return acc;
}

int64_t Evaluator::eval(ExprId id)
{
  const Expr& e = d_m.exprs[id];
  auto ovf = [&]() { throw EvalError(ViolationKind::Overflow, e.span, "integer overflow"); };
  switch (e.op)
  {
    case Op::Const:
      return e.imm;
    case Op::Var:
      return decode(e.type, bits::get(d_state, d_m.vars[e.imm].offset, e.type->bits));
    case Op::Local:
      return static_cast<int64_t>(d_frame[d_m.locals[e.imm].word_offset]);
    case Op::Index:
    {
      // Fast path: a scalar slot of an array variable indexed by a scalar
      // (rm[r], votes[n]): no arena, no recursion through locate().
      const Expr& base = d_m.exprs[e.a];
      if (base.op == Op::Var && base.type->kind == TypeKind::Array && base.type->key->is_scalar())
      {
        uint64_t slot = key_index(base.type->key, eval(e.b), d_m.exprs[e.b].span);
        return decode(e.type, bits::get(d_state, d_m.vars[base.imm].offset + slot * e.type->bits, e.type->bits));
      }
      ArenaScope scope(d_arena);
      Loc l = locate(id);
      return decode(e.type, bits::get(l.w, l.pos, e.type->bits));
    }
    case Op::Field:
    case Op::VField:
    case Op::Head:
    {
      ArenaScope scope(d_arena);
      Loc l = locate(id);
      return decode(e.type, bits::get(l.w, l.pos, e.type->bits));
    }
    case Op::IsTag:
    {
      ArenaScope scope(d_arena);
      Loc l = locate(e.a);
      return bits::get(l.w, l.pos, d_m.exprs[e.a].type->aux_bits) == static_cast<uint64_t>(e.imm);
    }
    case Op::Neg:
    {
      int64_t a = eval(e.a);
      if (a == INT64_MIN) ovf();
      return -a;
    }
    case Op::Abs:
    {
      int64_t a = eval(e.a);
      if (a == INT64_MIN) ovf();
      return a < 0 ? -a : a;
    }
    case Op::Not:
      return !eval(e.a);
    case Op::Add:
    {
      int64_t r;
      if (__builtin_add_overflow(eval(e.a), eval(e.b), &r)) ovf();
      return r;
    }
    case Op::Sub:
    {
      int64_t r;
      if (__builtin_sub_overflow(eval(e.a), eval(e.b), &r)) ovf();
      return r;
    }
    case Op::Mul:
    {
      int64_t r;
      if (__builtin_mul_overflow(eval(e.a), eval(e.b), &r)) ovf();
      return r;
    }
    case Op::Div:
    case Op::Mod:
    {
      int64_t a = eval(e.a), b = eval(e.b);
      if (b == 0) throw EvalError(ViolationKind::DivisionByZero, e.span, "division by zero");
      if (a == INT64_MIN && b == -1) ovf();
      return e.op == Op::Div ? a / b : a % b;
    }
    case Op::Min:
      return std::min(eval(e.a), eval(e.b));
    case Op::Max:
      return std::max(eval(e.a), eval(e.b));
    case Op::Eq:
    case Op::Ne:
    {
      bool eq;
      const Type* t = d_m.exprs[e.a].type;
      if (t->is_scalar())
        eq = eval(e.a) == eval(e.b);
      else
      {
        ArenaScope scope(d_arena);
        Loc a = locate(e.a);
        Loc b = locate(e.b);
        eq = bits::equal(a.w, a.pos, b.w, b.pos, t->bits);
      }
      return e.op == Op::Eq ? eq : !eq;
    }
    case Op::Lt:
      return eval(e.a) < eval(e.b);
    case Op::Le:
      return eval(e.a) <= eval(e.b);
    case Op::Gt:
      return eval(e.a) > eval(e.b);
    case Op::Ge:
      return eval(e.a) >= eval(e.b);
    case Op::And:
      return eval(e.a) && eval(e.b);
    case Op::Or:
      return eval(e.a) || eval(e.b);
    case Op::Implies:
      return !eval(e.a) || eval(e.b);
    case Op::Ite:
      return eval(e.a) ? eval(e.b) : eval(e.c);
    case Op::Forall:
    case Op::Exists:
    case Op::Sum:
    case Op::CountQ:
      return quantify(e);
    case Op::In:
    {
      const Type* ct = d_m.exprs[e.b].type;
      ArenaScope scope(d_arena);
      if (ct->kind == TypeKind::Seq)
      {
        Loc s = locate(e.b);
        Loc x = locate(e.a);  // encoded with the element's own type
        const Type* at = d_m.exprs[e.a].type;
        uint64_t len = bits::get(s.w, s.pos, ct->aux_bits);
        for (uint64_t k = 0; k < len; ++k)
        {
          size_t p = s.pos + ct->aux_bits + k * ct->elem->bits;
          if (at->is_scalar())
          {
            if (decode(ct->elem, bits::get(s.w, p, ct->elem->bits)) == eval(e.a)) return 1;
          }
          else if (bits::equal(s.w, p, x.w, x.pos, ct->elem->bits))
            return 1;
        }
        return 0;
      }
      uint64_t idx;
      if (!elem_index(ct->elem, e.a, idx)) return 0;
      Loc s = locate(e.b);
      if (ct->kind == TypeKind::Set) return bits::test(s.w, s.pos + idx);
      return bits::get(s.w, s.pos + idx * ct->aux_bits, ct->aux_bits) > 0;
    }
    case Op::Size:
    {
      const Type* ct = d_m.exprs[e.a].type;
      ArenaScope scope(d_arena);
      Loc s = locate(e.a);
      if (ct->kind == TypeKind::Set) return static_cast<int64_t>(bits::popcount(s.w, s.pos, ct->bits));
      int64_t n = 0;
      for (uint64_t k = 0; k < ct->elem->card; ++k)
        n += static_cast<int64_t>(bits::get(s.w, s.pos + k * ct->aux_bits, ct->aux_bits));
      return n;
    }
    case Op::Len:
    {
      ArenaScope scope(d_arena);
      Loc s = locate(e.a);
      return static_cast<int64_t>(bits::get(s.w, s.pos, d_m.exprs[e.a].type->aux_bits));
    }
    case Op::BagCount:
    {
      const Type* ct = d_m.exprs[e.a].type;
      ArenaScope scope(d_arena);
      uint64_t idx;
      if (!elem_index(ct->elem, e.b, idx)) return 0;
      Loc s = locate(e.a);
      return static_cast<int64_t>(bits::get(s.w, s.pos + idx * ct->aux_bits, ct->aux_bits));
    }
    case Op::Call:
    {
      bind_call_args(e);
      return eval(d_m.defs[e.imm].body);
    }
    case Op::Zero:
      return decode(e.type, 0);
    case Op::SetMin:
    case Op::SetMax:
    {
      const Type* st = d_m.exprs[e.a].type;
      ArenaScope scope(d_arena);
      Loc s = locate(e.a);
      uint64_t n = st->elem->card;
      for (uint64_t k = 0; k < n; ++k)
      {
        uint64_t i = e.op == Op::SetMin ? k : n - 1 - k;
        if (bits::test(s.w, s.pos + i)) return decode(st->elem, i);
      }
      throw EvalError(ViolationKind::EmptySequence, e.span,
                      std::string(e.op == Op::SetMin ? "min" : "max") + " of an empty set");
    }
    default:
      break;
  }
  // A composite-typed node evaluated as a scalar is a lowering bug.
  throw EvalError(ViolationKind::Overflow, e.span,
                  std::string("internal error: cannot evaluate '") + op_name(e.op) + "' as a scalar");
}

// ------------------------------------------------------------------ composite evaluation

void Evaluator::eval_into(ExprId id, uint64_t* dst, size_t pos)
{
  const Expr& e = d_m.exprs[id];
  const Type* t = e.type;
  ArenaScope scope(d_arena);
  switch (e.op)
  {
    case Op::Var:
    case Op::Local:
    case Op::Index:
    case Op::Field:
    case Op::VField:
    case Op::Head:
    {
      if (t->is_scalar())
      {
        bits::set(dst, pos, t->bits, encode(t, eval(id), e.span));
        return;
      }
      Loc l = locate(id);
      bits::copy(dst, pos, l.w, l.pos, t->bits);
      return;
    }
    case Op::Ite:
      eval_into(eval(e.a) ? e.b : e.c, dst, pos);
      return;
    case Op::Call:
      bind_call_args(e);
      eval_into(d_m.defs[e.imm].body, dst, pos);
      return;
    case Op::SetLit:
    {
      bits::zero(dst, pos, t->bits);
      for (uint32_t i = 0; i < e.nargs; ++i)
      {
        uint64_t idx;
        ExprId a = d_m.arg(e, i);
        if (!elem_index(t->elem, a, idx))
          throw EvalError(ViolationKind::OutOfRange, d_m.exprs[a].span,
                          "the element is not a value of " + t->elem->name);
        if (t->kind == TypeKind::Set)
          bits::put(dst, pos + idx, true);
        else
        {
          uint64_t c = bits::get(dst, pos + idx * t->aux_bits, t->aux_bits);
          if (c >= t->capacity)
            throw EvalError(ViolationKind::Capacity, d_m.exprs[a].span,
                            "the bag holds each value at most " + std::to_string(t->capacity) + " times");
          bits::set(dst, pos + idx * t->aux_bits, t->aux_bits, c + 1);
        }
      }
      return;
    }
    case Op::SetComp:
    {
      bits::zero(dst, pos, t->bits);
      const Type* elem = t->elem;
      if (e.dom)
      {
        for (uint64_t i = 0; i < elem->card; ++i)
        {
          bind_index(e.imm, elem, i);
          if (eval(e.b)) bits::put(dst, pos + i, true);
        }
      }
      else
      {
        Loc s = locate(e.a);
        for (uint64_t i = 0; i < elem->card; ++i)
        {
          if (!bits::test(s.w, s.pos + i)) continue;
          bind_index(e.imm, elem, i);
          if (eval(e.b)) bits::put(dst, pos + i, true);
        }
      }
      return;
    }
    case Op::SetAll:
      bits::zero(dst, pos, t->bits);
      for (uint64_t i = 0; i < t->bits; ++i) bits::put(dst, pos + i, true);
      return;
    case Op::Union:
    case Op::Intersect:
    case Op::Minus:
    {
      uint64_t* tmp = d_arena.alloc((t->bits + 63) / 64 + 1);
      eval_into(e.a, tmp, 0);
      Loc b = locate(e.b);
      bits::combine(tmp, 0, b.w, b.pos, t->bits,
                    e.op == Op::Union       ? bits::SetOp::Or
                    : e.op == Op::Intersect ? bits::SetOp::And
                                            : bits::SetOp::AndNot);
      bits::copy(dst, pos, tmp, 0, t->bits);
      return;
    }
    case Op::SeqLit:
    {
      bits::zero(dst, pos, t->bits);
      bits::set(dst, pos, t->aux_bits, e.nargs);
      for (uint32_t i = 0; i < e.nargs; ++i) store(d_m.arg(e, i), t->elem, dst, pos + t->aux_bits + i * t->elem->bits);
      return;
    }
    case Op::Tail:
    {
      uint64_t* tmp = d_arena.alloc((t->bits + 63) / 64 + 1);
      eval_into(e.a, tmp, 0);
      uint64_t len = bits::get(tmp, 0, t->aux_bits);
      if (len == 0) throw EvalError(ViolationKind::EmptySequence, e.span, "tail of an empty sequence");
      bits::zero(dst, pos, t->bits);
      bits::set(dst, pos, t->aux_bits, len - 1);
      bits::copy(dst, pos + t->aux_bits, tmp, t->aux_bits + t->elem->bits, (len - 1) * t->elem->bits);
      return;
    }
    case Op::Append:
    {
      uint64_t* tmp = d_arena.alloc((t->bits + 63) / 64 + 1);
      eval_into(e.a, tmp, 0);
      uint64_t len = bits::get(tmp, 0, t->aux_bits);
      if (len >= t->capacity)
        throw EvalError(ViolationKind::Capacity, e.span,
                        "append to a full sequence (capacity " + std::to_string(t->capacity) + ")");
      store(e.b, t->elem, tmp, t->aux_bits + len * t->elem->bits);
      bits::set(tmp, 0, t->aux_bits, len + 1);
      bits::copy(dst, pos, tmp, 0, t->bits);
      return;
    }
    case Op::RecordLit:
    {
      for (uint32_t i = 0; i < e.nargs; ++i) store(d_m.arg(e, i), t->fields[i].type, dst, pos + t->fields[i].offset);
      return;
    }
    case Op::RecordWith:
    {
      uint64_t* tmp = d_arena.alloc((t->bits + 63) / 64 + 1);
      eval_into(e.a, tmp, 0);
      store(e.b, t->fields[e.imm].type, tmp, t->fields[e.imm].offset);
      bits::copy(dst, pos, tmp, 0, t->bits);
      return;
    }
    case Op::ArrayConst:
    {
      for (uint64_t k = 0; k < t->key->card; ++k)
      {
        if (e.imm != static_cast<int64_t>(kNone)) bind_index(static_cast<LocalId>(e.imm), t->key, k);
        store(e.b, t->elem, dst, pos + k * t->elem->bits);
      }
      return;
    }
    case Op::ArrayWith:
    {
      uint64_t* tmp = d_arena.alloc((t->bits + 63) / 64 + 1);
      eval_into(e.a, tmp, 0);
      uint64_t k = array_slot(t->key, e.b);
      store(e.c, t->elem, tmp, k * t->elem->bits);
      bits::copy(dst, pos, tmp, 0, t->bits);
      return;
    }
    case Op::Zero:
      bits::zero(dst, pos, t->bits);
      return;
    case Op::Ctor:
    {
      bits::zero(dst, pos, t->bits);
      bits::set(dst, pos, t->aux_bits, static_cast<uint64_t>(e.imm));
      const auto& v = t->variants[e.imm];
      for (uint32_t i = 0; i < e.nargs; ++i)
        store(d_m.arg(e, i), v.fields[i].type, dst, pos + t->aux_bits + v.fields[i].offset);
      return;
    }
    default:
      if (t->is_scalar())
      {
        bits::set(dst, pos, t->bits, encode(t, eval(id), e.span));
        return;
      }
      throw EvalError(ViolationKind::Overflow, e.span,
                      std::string("internal error: cannot evaluate '") + op_name(e.op) + "'");
  }
}

// ------------------------------------------------------------------ states

// These may run while an action is emitting (the explorer checks invariants
// from inside emit()), so they restore the state pointer.
bool Evaluator::holds(ExprId e, const uint64_t* state)
{
  return eval_in(e, state) != 0;
}

bool Evaluator::holds_bound(ExprId e, const uint64_t* state, const std::vector<std::pair<LocalId, uint64_t>>& bindings)
{
  for (auto& [l, idx] : bindings) bind_index(l, d_m.locals[l].type, idx);
  return holds(e, state);
}

uint64_t Evaluator::current_self_index() const
{
  if (d_action < 0 || d_m.actions[d_action].process.empty() || d_bound.empty()) return kNone;
  const Local& loc = d_m.locals[d_bound[0]];
  // Identities are scalar (a range or an enum): their encoding is their index.
  return encode(loc.type, static_cast<int64_t>(d_frame[loc.word_offset]), {});
}

int64_t Evaluator::eval_in(ExprId e, const uint64_t* state)
{
  const uint64_t* saved = d_state;
  d_state = state;
  struct Restore
  {
    const uint64_t*& p;
    const uint64_t* v;
    ~Restore() { p = v; }
  } restore{d_state, saved};
  return eval(e);
}

std::vector<Binding> Evaluator::current_bindings() const
{
  std::vector<Binding> out;
  for (LocalId l : d_bound)
  {
    const Local& loc = d_m.locals[l];
    Binding b;
    b.name = loc.name;
    b.type = loc.type;
    b.bits.assign((loc.type->bits + 63) / 64 + 1, 0);
    if (loc.type->is_scalar())
      bits::set(b.bits.data(), 0, loc.type->bits, encode(loc.type, static_cast<int64_t>(d_frame[loc.word_offset]), {}));
    else
      bits::copy(b.bits.data(), 0, d_frame.data() + loc.word_offset, 0, loc.type->bits);
    out.push_back(std::move(b));
  }
  return out;
}

void Evaluator::exec(const Cont* k)
{
  while (k && k->index >= k->block->size()) k = k->next;
  if (!k)
  {
    d_sink->emit(static_cast<uint32_t>(d_action), d_work.data());
    return;
  }
  const Stmt& s = d_m.stmts[(*k->block)[k->index]];
  Cont rest{k->block, k->index + 1, k->next};
  const size_t W = d_m.state_words;
  switch (s.op)
  {
    case StmtOp::Assign:
    {
      ArenaScope scope(d_arena);
      const Type* t = d_m.exprs[s.target].type;
      if (t->is_scalar())
      {
        int64_t v = eval(s.value);
        Loc l = locate(s.target);
        bits::set(const_cast<uint64_t*>(l.w), l.pos, t->bits, encode(t, v, s.span));
      }
      else
      {
        // Evaluate into a temporary first: the value may read the target.
        uint64_t* tmp = d_arena.alloc((t->bits + 63) / 64 + 1);
        eval_into(s.value, tmp, 0);
        Loc l = locate(s.target);
        bits::copy(const_cast<uint64_t*>(l.w), l.pos, tmp, 0, t->bits);
      }
      exec(&rest);
      return;
    }
    case StmtOp::If:
    {
      Cont branch{&d_m.blocks[eval(s.cond) ? s.then_block : s.else_block], 0, &rest};
      exec(&branch);
      return;
    }
    case StmtOp::Require:
      if (eval(s.cond)) exec(&rest);
      return;
    case StmtOp::Assert:
      if (!eval(s.cond))
        throw EvalError(ViolationKind::Assert, s.span,
                        s.message.empty() ? "assertion failed" : "assertion failed: " + s.message);
      exec(&rest);
      return;
    case StmtOp::Let:
    {
      const Local& l = d_m.locals[s.local];
      if (l.type->is_scalar())
        bind_scalar(s.local, eval(s.value));
      else
      {
        ArenaScope scope(d_arena);
        uint64_t* tmp = d_arena.alloc(l.words + 1);
        eval_into(s.value, tmp, 0);
        bits::copy(d_frame.data() + l.word_offset, 0, tmp, 0, l.type->bits);
      }
      exec(&rest);
      return;
    }
    case StmtOp::Choose:
    {
      ArenaScope scope(d_arena);
      uint64_t* saved = d_arena.alloc(W);
      std::copy(d_work.begin(), d_work.begin() + W, saved);
      const Type* elem = d_m.locals[s.local].type;
      const uint64_t* set_w = nullptr;
      size_t set_pos = 0;
      if (!s.dom)
      {
        Loc l = locate(s.set);
        uint64_t* copy = d_arena.alloc((elem->card + 63) / 64 + 1);
        bits::copy(copy, 0, l.w, l.pos, elem->card);
        set_w = copy;
      }
      d_bound.push_back(s.local);
      bool first = true;
      for (uint64_t i = 0; i < elem->card; ++i)
      {
        if (set_w && !bits::test(set_w, set_pos + i)) continue;
        if (!first) std::copy(saved, saved + W, d_work.begin());
        first = false;
        bind_index(s.local, elem, i);
        if (s.cond != kNone && !eval(s.cond)) continue;
        exec(&rest);
      }
      d_bound.pop_back();
      std::copy(saved, saved + W, d_work.begin());
      return;
    }
    case StmtOp::Send:
    {
      ArenaScope scope(d_arena);
      const Type* nt = d_m.exprs[s.target].type;
      uint64_t* msg = d_arena.alloc((nt->elem->bits + 63) / 64 + 1);
      store(s.value, nt->elem, msg, 0);
      Loc l = locate(s.target);
      uint64_t* w = const_cast<uint64_t*>(l.w);
      if (nt->kind == TypeKind::Bag)
      {
        uint64_t idx = index_of(nt->elem, msg, 0);
        size_t p = l.pos + idx * nt->aux_bits;
        uint64_t c = bits::get(w, p, nt->aux_bits);
        if (c >= nt->capacity)
          throw EvalError(ViolationKind::Capacity, s.span,
                          "the network already holds " + std::to_string(c) + " copies of this message (capacity " +
                              std::to_string(nt->capacity) + ")");
        bits::set(w, p, nt->aux_bits, c + 1);
      }
      else
      {
        uint64_t len = bits::get(w, l.pos, nt->aux_bits);
        if (len >= nt->capacity)
          throw EvalError(ViolationKind::Capacity, s.span,
                          "the channel is full (capacity " + std::to_string(nt->capacity) + ")");
        bits::copy(w, l.pos + nt->aux_bits + len * nt->elem->bits, msg, 0, nt->elem->bits);
        bits::set(w, l.pos, nt->aux_bits, len + 1);
      }
      exec(&rest);
      return;
    }
    case StmtOp::NetDrop:
    case StmtOp::NetDuplicate:
    case StmtOp::NetReorder:
    {
      ArenaScope scope(d_arena);
      uint64_t* saved = d_arena.alloc(W);
      std::copy(d_work.begin(), d_work.begin() + W, saved);
      const Type* nt = d_m.exprs[s.target].type;
      const Type* elem = nt->elem;
      d_bound.push_back(s.local);
      if (nt->kind == TypeKind::Bag)
      {
        // One branch per distinct message present (reorder is meaningless here).
        for (uint64_t i = 0; i < elem->card; ++i)
        {
          std::copy(saved, saved + W, d_work.begin());
          Loc l = locate(s.target);
          uint64_t* w = const_cast<uint64_t*>(l.w);
          size_t p = l.pos + i * nt->aux_bits;
          uint64_t c = bits::get(w, p, nt->aux_bits);
          if (c == 0 || s.op == StmtOp::NetReorder) continue;
          if (s.op == StmtOp::NetDuplicate && c >= nt->capacity) continue;
          bind_index(s.local, elem, i);
          bits::set(w, p, nt->aux_bits, s.op == StmtOp::NetDrop ? c - 1 : c + 1);
          exec(&rest);
        }
      }
      else
      {
        size_t eb = elem->bits;
        uint64_t len;
        {
          Loc l = locate(s.target);
          len = bits::get(l.w, l.pos, nt->aux_bits);
        }
        for (uint64_t k = 0; k < len; ++k)
        {
          std::copy(saved, saved + W, d_work.begin());
          Loc l = locate(s.target);
          uint64_t* w = const_cast<uint64_t*>(l.w);
          size_t slots = l.pos + nt->aux_bits;
          bind(s.local, w, slots + k * eb);
          if (s.op == StmtOp::NetDrop)
          {
            bits::copy(w, slots + k * eb, w, slots + (k + 1) * eb, (len - 1 - k) * eb);
            bits::zero(w, slots + (len - 1) * eb, eb);
            bits::set(w, l.pos, nt->aux_bits, len - 1);
          }
          else if (s.op == StmtOp::NetDuplicate)
          {
            if (len >= nt->capacity) break;
            // Shift the tail up by one slot (from the end, so nothing is overwritten).
            for (uint64_t j = len; j > k + 1; --j) bits::copy(w, slots + j * eb, w, slots + (j - 1) * eb, eb);
            bits::copy(w, slots + (k + 1) * eb, w, slots + k * eb, eb);
            bits::set(w, l.pos, nt->aux_bits, len + 1);
          }
          else
          {
            if (k + 1 >= len) break;
            uint64_t* tmp = d_arena.alloc(eb / 64 + 2);
            bits::copy(tmp, 0, w, slots + k * eb, eb);
            bits::copy(w, slots + k * eb, w, slots + (k + 1) * eb, eb);
            bits::copy(w, slots + (k + 1) * eb, tmp, 0, eb);
          }
          exec(&rest);
        }
      }
      d_bound.pop_back();
      std::copy(saved, saved + W, d_work.begin());
      return;
    }
    case StmtOp::Receive:
    {
      ArenaScope scope(d_arena);
      uint64_t* saved = d_arena.alloc(W);
      std::copy(d_work.begin(), d_work.begin() + W, saved);
      const Type* nt = d_m.exprs[s.target].type;
      const Type* elem = nt->elem;
      d_bound.push_back(s.local);
      if (nt->kind == TypeKind::Bag)
      {
        for (uint64_t i = 0; i < elem->card; ++i)
        {
          std::copy(saved, saved + W, d_work.begin());
          Loc l = locate(s.target);
          uint64_t* w = const_cast<uint64_t*>(l.w);
          size_t p = l.pos + i * nt->aux_bits;
          uint64_t c = bits::get(w, p, nt->aux_bits);
          if (c == 0) continue;
          bind_index(s.local, elem, i);
          if (s.cond != kNone && !eval(s.cond)) continue;
          bits::set(w, p, nt->aux_bits, c - 1);
          exec(&rest);
        }
      }
      else
      {
        Loc l = locate(s.target);
        uint64_t* w = const_cast<uint64_t*>(l.w);
        uint64_t len = bits::get(w, l.pos, nt->aux_bits);
        if (len > 0)
        {
          bind(s.local, w, l.pos + nt->aux_bits);
          if (s.cond == kNone || eval(s.cond))
          {
            // Pop the head: shift the remaining slots down, zero the last.
            size_t eb = elem->bits;
            bits::copy(w, l.pos + nt->aux_bits, w, l.pos + nt->aux_bits + eb, (len - 1) * eb);
            bits::zero(w, l.pos + nt->aux_bits + (len - 1) * eb, eb);
            bits::set(w, l.pos, nt->aux_bits, len - 1);
            exec(&rest);
          }
        }
      }
      d_bound.pop_back();
      std::copy(saved, saved + W, d_work.begin());
      return;
    }
  }
}

void Evaluator::enumerate_params(uint32_t a, size_t i)
{
  const Action& act = d_m.actions[a];
  if (i == act.params.size())
  {
    std::copy(d_src, d_src + d_m.state_words, d_work.begin());
    if (act.guard != kNone && !eval(act.guard)) return;
    Cont k{&d_m.blocks[act.body], 0, nullptr};
    exec(&k);
    return;
  }
  LocalId p = act.params[i];
  const Type* t = d_m.locals[p].type;
  for (uint64_t v = 0; v < t->card; ++v)
  {
    bind_index(p, t, v);
    enumerate_params(a, i + 1);
  }
}

void Evaluator::run_action(uint32_t a, const uint64_t* state, SuccessorSink& sink)
{
  d_sink = &sink;
  d_src = state;
  d_state = d_work.data();
  d_action = static_cast<int>(a);
  d_bound.clear();
  for (LocalId p : d_m.actions[a].params) d_bound.push_back(p);
  enumerate_params(a, 0);
}

void Evaluator::successors(const uint64_t* state, SuccessorSink& sink)
{
  for (uint32_t a = 0; a < d_m.actions.size(); ++a) run_action(a, state, sink);
}

void Evaluator::successors_of(uint32_t action, const uint64_t* state, SuccessorSink& sink)
{
  run_action(action, state, sink);
}

void Evaluator::initial_states(SuccessorSink& sink)
{
  d_sink = &sink;
  d_action = -1;
  d_bound.clear();
  std::fill(d_work.begin(), d_work.end(), 0);
  d_state = d_work.data();
  // Initializers run in declaration order over the all-zero state, so an
  // initializer may read the variables declared before it.
  for (const Variable& v : d_m.vars)
  {
    if (v.init == kNone) continue;
    ArenaScope scope(d_arena);
    uint64_t* tmp = d_arena.alloc((v.type->bits + 63) / 64 + 1);
    store(v.init, v.type, tmp, 0);
    bits::copy(d_work.data(), v.offset, tmp, 0, v.type->bits);
  }
  if (d_m.init_block == kNone)
  {
    sink.emit(0, d_work.data());
    return;
  }
  Cont k{&d_m.blocks[d_m.init_block], 0, nullptr};
  exec(&k);
}

}  // namespace keel

namespace keel
{

std::string Evaluator::source_text(Span sp) const
{
  if (!d_m.sources || sp.file >= d_m.sources->size() || sp.end <= sp.begin) return "";
  std::string_view text = d_m.sources->file(sp.file).text();
  if (sp.end > text.size()) return "";
  std::string s(text.substr(sp.begin, sp.end - sp.begin));
  // One line, collapsed whitespace: it is quoted in a message.
  std::string out;
  bool space = false;
  for (char c : s)
  {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ')
      space = !out.empty();
    else
    {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string Evaluator::local_value_text(LocalId l) const
{
  const Local& loc = d_m.locals[l];
  std::vector<uint64_t> w((loc.type->bits + 63) / 64 + 1, 0);
  if (loc.type->is_scalar())
    bits::set(w.data(), 0, loc.type->bits, encode(loc.type, static_cast<int64_t>(d_frame[loc.word_offset]), {}));
  else
    bits::copy(w.data(), 0, d_frame.data() + loc.word_offset, 0, loc.type->bits);
  return value_text(loc.type, w.data(), 0);
}

std::vector<std::string> Evaluator::explain_false(ExprId e, const uint64_t* state)
{
  std::vector<std::string> out;
  const uint64_t* saved = d_state;
  d_state = state;
  try
  {
    if (!eval(e)) explain(e, out, 0);
    // `forall a, b: T` is two nested quantifiers with one span: one line.
    std::vector<std::string> merged;
    for (auto& line : out)
    {
      auto at = line.find(" fails for ");
      if (at != std::string::npos && !merged.empty() && merged.back().compare(0, at + 11, line, 0, at + 11) == 0)
        merged.back() += ", " + line.substr(at + 11);
      else
        merged.push_back(line);
    }
    out.swap(merged);
  }
  catch (const EvalError&)
  {
    // The failure is an evaluation error; the caller reports that instead.
  }
  d_state = saved;
  return out;
}

void Evaluator::explain(ExprId id, std::vector<std::string>& out, int depth)
{
  const Expr& e = d_m.exprs[id];
  if (depth > 32) return;
  switch (e.op)
  {
    case Op::And:
      explain(eval(e.a) ? e.b : e.a, out, depth + 1);
      return;
    case Op::Forall:
    {
      const Local& l = d_m.locals[e.imm];
      const Type* elem = l.type;
      auto try_value = [&](uint64_t i) -> bool
      {
        bind_index(static_cast<LocalId>(e.imm), elem, i);
        if (eval(e.b)) return false;
        std::string what = source_text(e.span);
        std::string head = what.substr(0, what.find(" ."));
        out.push_back((head.empty() ? "forall" : head) + " fails for " + l.name + " = " +
                      local_value_text(static_cast<LocalId>(e.imm)));
        explain(e.b, out, depth + 1);
        return true;
      };
      if (e.dom)
      {
        for (uint64_t i = 0; i < e.dom->card; ++i)
          if (try_value(i)) return;
      }
      else
      {
        ArenaScope scope(d_arena);
        Loc s = locate(e.a);
        std::vector<uint64_t> members;
        for (uint64_t i = 0; i < elem->card; ++i)
          if (bits::test(s.w, s.pos + i)) members.push_back(i);
        for (uint64_t i : members)
          if (try_value(i)) return;
      }
      return;
    }
    case Op::Call:
    {
      if (d_m.defs[e.imm].body == kNone) break;
      const Definition& def = d_m.defs[e.imm];
      bind_call_args(e);
      std::string args;
      for (LocalId p : def.params)
        args += (args.empty() ? "" : ", ") + d_m.locals[p].name + " = " + local_value_text(p);
      out.push_back("false: " + source_text(e.span) + (args.empty() ? "" : "  (" + args + ")") + ", where " + def.name +
                    " is");
      explain(def.body, out, depth + 1);
      return;
    }
    default:
      break;
  }
  std::string text = source_text(e.span);
  out.push_back("false: " + (text.empty() ? std::string(op_name(e.op)) : text));
}

}  // namespace keel
