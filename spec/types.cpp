#include "spec/types.hpp"

#include <sstream>

namespace keel
{

namespace
{
uint64_t sat_mul(uint64_t a, uint64_t b)
{
  uint64_t r;
  if (a == kCardInfinite || b == kCardInfinite || __builtin_mul_overflow(a, b, &r)) return kCardInfinite;
  return r;
}
uint64_t sat_add(uint64_t a, uint64_t b)
{
  uint64_t r;
  if (a == kCardInfinite || b == kCardInfinite || __builtin_add_overflow(a, b, &r)) return kCardInfinite;
  return r;
}
uint64_t sat_pow(uint64_t base, uint64_t exp)
{
  if (base <= 1) return exp == 0 ? 1 : base;  // never saturates: no loop (seq<0..0, 65535>)
  uint64_t r = 1;
  for (uint64_t i = 0; i < exp; ++i)
  {
    r = sat_mul(r, base);
    if (r == kCardInfinite) break;
  }
  return r;
}
}  // namespace

uint32_t bits_for(uint64_t card)
{
  uint32_t b = 0;
  while (b < 64 && (uint64_t{1} << b) < card) ++b;
  return b;
}

int Type::field_index(const std::string& f) const
{
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == f) return static_cast<int>(i);
  return -1;
}

int Type::variant_index(const std::string& tag) const
{
  for (size_t i = 0; i < variants.size(); ++i)
    if (variants[i].tag == tag) return static_cast<int>(i);
  return -1;
}

TypeTable::TypeTable()
{
  auto b = std::make_unique<Type>();
  b->kind = TypeKind::Bool;
  b->name = "bool";
  finish(*b);
  d_bool = intern("bool", std::move(b));
  auto i = std::make_unique<Type>();
  i->kind = TypeKind::Int;
  i->name = "int";
  finish(*i);
  d_int = intern("int", std::move(i));
}

void TypeTable::finish(Type& t)
{
  switch (t.kind)
  {
    case TypeKind::Bool:
      t.card = 2;
      t.bits = 1;
      break;
    case TypeKind::Int:
      t.card = kCardInfinite;
      t.bits = 64;
      break;
    case TypeKind::Range:
      t.card = static_cast<uint64_t>(t.hi - t.lo) + 1;
      t.bits = bits_for(t.card);
      break;
    case TypeKind::Enum:
      t.card = t.values.size();
      t.bits = bits_for(t.card);
      break;
    case TypeKind::Record:
    {
      uint64_t c = 1;
      uint32_t off = 0;
      for (auto& f : t.fields)
      {
        f.offset = off;
        off += f.type->bits;
        c = sat_mul(c, f.type->card);
      }
      t.bits = off;
      t.card = c;
      break;
    }
    case TypeKind::Array:
      t.bits = static_cast<uint32_t>(t.key->card * t.elem->bits);
      t.card = sat_pow(t.elem->card, t.key->card);
      break;
    case TypeKind::Set:
      t.bits = static_cast<uint32_t>(t.elem->card);
      t.card = t.elem->card >= 64 ? kCardInfinite : (uint64_t{1} << t.elem->card);
      break;
    case TypeKind::Seq:
    {
      t.aux_bits = bits_for(uint64_t{t.capacity} + 1);
      t.bits = t.aux_bits + t.capacity * t.elem->bits;
      uint64_t c = 0;
      for (uint32_t l = 0; l <= t.capacity && c != kCardInfinite; ++l) c = sat_add(c, sat_pow(t.elem->card, l));
      t.card = c;
      break;
    }
    case TypeKind::Bag:
      t.aux_bits = bits_for(uint64_t{t.capacity} + 1);
      t.bits = static_cast<uint32_t>(t.elem->card * t.aux_bits);
      t.card = sat_pow(uint64_t{t.capacity} + 1, t.elem->card);
      break;
    case TypeKind::Message:
    {
      t.aux_bits = bits_for(t.variants.size());
      uint32_t payload = 0;
      uint64_t c = 0;
      for (auto& v : t.variants)
      {
        uint32_t off = 0;
        uint64_t vc = 1;
        for (auto& f : v.fields)
        {
          f.offset = off;
          off += f.type->bits;
          vc = sat_mul(vc, f.type->card);
        }
        payload = std::max(payload, off);
        c = sat_add(c, vc);
      }
      t.bits = t.aux_bits + payload;
      t.card = c;
      break;
    }
  }
}

const Type* TypeTable::intern(const std::string& key, std::unique_ptr<Type> t)
{
  auto it = d_interned.find(key);
  if (it != d_interned.end()) return it->second;
  const Type* p = t.get();
  d_owned.push_back(std::move(t));
  d_interned.emplace(key, p);
  return p;
}

static std::string ptr_key(const Type* t)
{
  std::ostringstream ss;
  ss << static_cast<const void*>(t);
  return ss.str();
}

const Type* TypeTable::range(int64_t lo, int64_t hi)
{
  auto t = std::make_unique<Type>();
  t->kind = TypeKind::Range;
  t->lo = lo;
  t->hi = hi;
  t->name = std::to_string(lo) + ".." + std::to_string(hi);
  finish(*t);
  std::string key = "range:" + t->name;
  return intern(key, std::move(t));
}

const Type* TypeTable::record(std::vector<Type::Field> fields)
{
  auto t = std::make_unique<Type>();
  t->kind = TypeKind::Record;
  std::string key = "record{";
  t->name = "record { ";
  for (size_t i = 0; i < fields.size(); ++i)
  {
    key += fields[i].name + ":" + ptr_key(fields[i].type) + ",";
    t->name += (i ? ", " : "") + fields[i].name + ": " + fields[i].type->name;
  }
  t->name += " }";
  t->fields = std::move(fields);
  finish(*t);
  key += "}";
  return intern(key, std::move(t));
}

const Type* TypeTable::array(const Type* key, const Type* elem)
{
  auto t = std::make_unique<Type>();
  t->kind = TypeKind::Array;
  t->key = key;
  t->elem = elem;
  t->name = "[" + key->name + "] " + elem->name;
  finish(*t);
  std::string k = "array:" + ptr_key(key) + ":" + ptr_key(elem);
  return intern(k, std::move(t));
}

const Type* TypeTable::set(const Type* elem)
{
  auto t = std::make_unique<Type>();
  t->kind = TypeKind::Set;
  t->elem = elem;
  t->name = "set<" + elem->name + ">";
  finish(*t);
  std::string k = "set:" + ptr_key(elem);
  return intern(k, std::move(t));
}

const Type* TypeTable::seq(const Type* elem, uint32_t capacity)
{
  auto t = std::make_unique<Type>();
  t->kind = TypeKind::Seq;
  t->elem = elem;
  t->capacity = capacity;
  t->name = "seq<" + elem->name + ", " + std::to_string(capacity) + ">";
  finish(*t);
  std::string k = "seq:" + ptr_key(elem) + ":" + std::to_string(capacity);
  return intern(k, std::move(t));
}

const Type* TypeTable::bag(const Type* elem, uint32_t capacity)
{
  auto t = std::make_unique<Type>();
  t->kind = TypeKind::Bag;
  t->elem = elem;
  t->capacity = capacity;
  t->name = "bag<" + elem->name + ", " + std::to_string(capacity) + ">";
  finish(*t);
  std::string k = "bag:" + ptr_key(elem) + ":" + std::to_string(capacity);
  return intern(k, std::move(t));
}

Type* TypeTable::new_enum(std::string name, std::vector<std::string> values)
{
  auto t = std::make_unique<Type>();
  t->kind = TypeKind::Enum;
  t->name = std::move(name);
  t->values = std::move(values);
  finish(*t);
  Type* p = t.get();
  d_owned.push_back(std::move(t));
  return p;
}

Type* TypeTable::new_message(std::string name, std::vector<Type::Variant> variants)
{
  auto t = std::make_unique<Type>();
  t->kind = TypeKind::Message;
  t->name = std::move(name);
  t->variants = std::move(variants);
  finish(*t);
  Type* p = t.get();
  d_owned.push_back(std::move(t));
  return p;
}

std::string check_composite_limits(TypeKind kind, const Type* a, const Type* elem, uint64_t capacity)
{
  auto too_big = [](uint64_t bits) { return bits > TypeTable::kMaxBits; };
  switch (kind)
  {
    case TypeKind::Array:
      if (!a->is_finite() || a->card > TypeTable::kMaxIndexCard)
        return "the index type of an array must be finite with at most 65536 values";
      if (too_big(a->card * elem->bits)) return "the array is too large to encode";
      return "";
    case TypeKind::Set:
    case TypeKind::Bag:
      if (!a->is_finite() || a->card > TypeTable::kMaxIndexCard)
        return "the element type of a set or bag must be finite with at most 65536 values";
      if (too_big(a->card * (bits_for(capacity + 1) + 1))) return "the set or bag is too large to encode";
      return "";
    case TypeKind::Seq:
      if (too_big(capacity * a->bits + 64)) return "the sequence is too large to encode";
      return "";
    default:
      return "";
  }
}

}  // namespace keel
