// Keel's finite types and their bit encodings. Every value of a finite type
// has a canonical fixed-width encoding, so a state is a fixed-size bit vector
// and equality of any two values is equality of their bits.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace keel
{

enum class TypeKind
{
  Bool,
  Int,      // unbounded: constants and intermediate arithmetic only
  Range,    // lo..hi, encoded as v - lo
  Enum,     // encoded as the ordinal
  Record,   // fields side by side
  Array,    // |key| slots of elem
  Set,      // one bit per value of elem
  Seq,      // length, then capacity slots of elem (unused slots zero)
  Bag,      // a count 0..capacity per value of elem
  Message,  // tag, then the variant's fields (unused bits zero)
};

constexpr uint64_t kCardInfinite = ~uint64_t{0};

struct Type
{
  struct Field
  {
    std::string name;
    const Type* type = nullptr;
    uint32_t offset = 0;  // bit offset inside the record / variant payload
  };
  struct Variant
  {
    std::string tag;
    std::vector<Field> fields;
  };

  TypeKind kind = TypeKind::Bool;
  std::string name;  // printed name
  int64_t lo = 0, hi = 0;
  std::vector<std::string> values;  // Enum
  std::vector<Field> fields;        // Record
  std::vector<Variant> variants;    // Message
  const Type* key = nullptr;        // Array
  const Type* elem = nullptr;       // Array, Set, Seq, Bag
  uint32_t capacity = 0;            // Seq, Bag

  uint32_t bits = 0;      // encoded width
  uint64_t card = 0;      // number of values (kCardInfinite when too many or Int)
  uint32_t aux_bits = 0;  // Seq: length bits; Bag: count bits; Message: tag bits

  bool is_scalar() const
  {
    return kind == TypeKind::Bool || kind == TypeKind::Int || kind == TypeKind::Range || kind == TypeKind::Enum;
  }
  bool is_intlike() const { return kind == TypeKind::Int || kind == TypeKind::Range; }
  bool is_finite() const { return kind != TypeKind::Int && card != kCardInfinite; }
  int field_index(const std::string& f) const;
  int variant_index(const std::string& tag) const;
};

uint32_t bits_for(uint64_t card);  // ceil(log2(card)), 0 for card <= 1

// Owns all types. Structural types are interned, so two spellings of the same
// structural type are the same pointer; enums and messages are nominal.
class TypeTable
{
 public:
  TypeTable();
  const Type* bool_type() const { return d_bool; }
  const Type* int_type() const { return d_int; }
  const Type* range(int64_t lo, int64_t hi);
  const Type* record(std::vector<Type::Field> fields);
  const Type* array(const Type* key, const Type* elem);
  const Type* set(const Type* elem);
  const Type* seq(const Type* elem, uint32_t capacity);
  const Type* bag(const Type* elem, uint32_t capacity);
  Type* new_enum(std::string name, std::vector<std::string> values);
  Type* new_message(std::string name, std::vector<Type::Variant> variants);

  // Limits that keep encodings sane; checked by the lowering, which reports
  // a diagnostic (K3001) instead of building the type.
  static constexpr uint64_t kMaxIndexCard = 1u << 16;  // index/element domains
  static constexpr uint64_t kMaxBits = 1u << 20;       // one value's width

 private:
  const Type* intern(const std::string& key, std::unique_ptr<Type> t);
  void finish(Type& t);
  std::vector<std::unique_ptr<Type>> d_owned;
  std::map<std::string, const Type*> d_interned;
  const Type* d_bool;
  const Type* d_int;
};

// Would building this composite type exceed the limits? Returns a reason or "".
std::string check_composite_limits(TypeKind kind, const Type* key_or_elem, const Type* elem, uint64_t capacity);

}  // namespace keel
