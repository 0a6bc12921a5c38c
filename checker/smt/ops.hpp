// The SMT layer's operator vocabulary, declared once (STYLE item 2). The enum,
// the SMT-LIB printer, the type checker and the arity checks all read this
// table; docs/smt.md lists it and a unit test keeps the two in step.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace keel::smt
{

// An operator that takes any number of arguments from its minimum up.
inline constexpr uint32_t kAnyArity = std::numeric_limits<uint32_t>::max();

// How an operator's result sort follows from its arguments (and indices).
enum class TypeRule : uint8_t
{
  Bool,        // Bool ... -> Bool
  Ite,         // Bool, T, T -> T
  SameSort,    // T, T, ... -> Bool
  IntArith,    // Int ... -> Int
  IntCompare,  // Int, Int -> Bool
  BvArith,     // (_ BitVec w) ... -> (_ BitVec w)
  BvCompare,   // (_ BitVec w), (_ BitVec w) -> Bool
  Concat,      // (_ BitVec a), (_ BitVec b) -> (_ BitVec a+b)
  Extract,     // [hi, lo] (_ BitVec w) -> (_ BitVec hi-lo+1), w > hi >= lo
  Extend,      // [n] (_ BitVec w) -> (_ BitVec w+n)
  Select,      // (Array I E), I -> E
  Store,       // (Array I E), I, E -> (Array I E)
};

// X(Name, SMT-LIB name, minimum arity, maximum arity, number of indices, type rule)
#define KEEL_SMT_OPS(X)                              \
  X(Not, "not", 1, 1, 0, Bool)                       \
  X(And, "and", 2, kAnyArity, 0, Bool)               \
  X(Or, "or", 2, kAnyArity, 0, Bool)                 \
  X(Implies, "=>", 2, 2, 0, Bool)                    \
  X(Ite, "ite", 3, 3, 0, Ite)                        \
  X(Equal, "=", 2, 2, 0, SameSort)                   \
  X(Distinct, "distinct", 2, kAnyArity, 0, SameSort) \
  X(Plus, "+", 2, kAnyArity, 0, IntArith)            \
  X(Minus, "-", 1, kAnyArity, 0, IntArith)           \
  X(Mult, "*", 2, kAnyArity, 0, IntArith)            \
  X(Div, "div", 2, 2, 0, IntArith)                   \
  X(Mod, "mod", 2, 2, 0, IntArith)                   \
  X(Lt, "<", 2, 2, 0, IntCompare)                    \
  X(Le, "<=", 2, 2, 0, IntCompare)                   \
  X(Gt, ">", 2, 2, 0, IntCompare)                    \
  X(Ge, ">=", 2, 2, 0, IntCompare)                   \
  X(BVAdd, "bvadd", 2, kAnyArity, 0, BvArith)        \
  X(BVSub, "bvsub", 2, 2, 0, BvArith)                \
  X(BVMul, "bvmul", 2, kAnyArity, 0, BvArith)        \
  X(BVUDiv, "bvudiv", 2, 2, 0, BvArith)              \
  X(BVURem, "bvurem", 2, 2, 0, BvArith)              \
  X(BVSDiv, "bvsdiv", 2, 2, 0, BvArith)              \
  X(BVSRem, "bvsrem", 2, 2, 0, BvArith)              \
  X(BVUlt, "bvult", 2, 2, 0, BvCompare)              \
  X(BVUle, "bvule", 2, 2, 0, BvCompare)              \
  X(BVSlt, "bvslt", 2, 2, 0, BvCompare)              \
  X(BVSle, "bvsle", 2, 2, 0, BvCompare)              \
  X(BVAnd, "bvand", 2, kAnyArity, 0, BvArith)        \
  X(BVOr, "bvor", 2, kAnyArity, 0, BvArith)          \
  X(BVNot, "bvnot", 1, 1, 0, BvArith)                \
  X(Concat, "concat", 2, 2, 0, Concat)               \
  X(Extract, "extract", 1, 1, 2, Extract)            \
  X(ZeroExtend, "zero_extend", 1, 1, 1, Extend)      \
  X(SignExtend, "sign_extend", 1, 1, 1, Extend)      \
  X(Select, "select", 2, 2, 0, Select)               \
  X(Store, "store", 3, 3, 0, Store)

enum class Op : uint8_t
{
#define KEEL_SMT_OP_ENUM(Name, Smtlib, MinArity, MaxArity, Indices, Rule) Name,
  KEEL_SMT_OPS(KEEL_SMT_OP_ENUM)
#undef KEEL_SMT_OP_ENUM
};

struct OpInfo
{
  Op op;
  const char* name;    // the enumerator, e.g. "BVAdd"
  const char* smtlib;  // the SMT-LIB symbol, e.g. "bvadd" (indexed ops print as (_ extract hi lo))
  uint32_t min_arity;
  uint32_t max_arity;  // kAnyArity: unbounded
  uint32_t num_indices;
  TypeRule rule;
};

inline constexpr OpInfo kOpTable[] = {
#define KEEL_SMT_OP_INFO(Name, Smtlib, MinArity, MaxArity, Indices, Rule) \
  {Op::Name, #Name, Smtlib, MinArity, MaxArity, Indices, TypeRule::Rule},
    KEEL_SMT_OPS(KEEL_SMT_OP_INFO)
#undef KEEL_SMT_OP_INFO
};
inline constexpr size_t kNumOps = sizeof(kOpTable) / sizeof(kOpTable[0]);

inline const OpInfo& op_info(Op op)
{
  return kOpTable[static_cast<size_t>(op)];
}
// The SMT-LIB symbol of an operator ("bvadd", "=>", "extract").
inline std::string_view smtlib_name(Op op)
{
  return op_info(op).smtlib;
}

}  // namespace keel::smt
