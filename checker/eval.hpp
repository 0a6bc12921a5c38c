// The evaluator: runs the Model's expressions and action bodies over
// bit-packed states. Expressions are pre-resolved nodes (variables are bit
// offsets, bound names are frame slots), so evaluation does no name lookups
// and, after warm-up, no heap allocation: temporaries live in a bump arena.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "spec/model.hpp"

namespace keel
{

// Kinds of violation an engine can report; one table, printed names derived.
#define KEEL_VIOLATIONS(X)                                                                                        \
  X(Invariant, "invariant")                                                                                       \
  X(Deadlock, "deadlock") X(Assert, "assert") X(OutOfRange, "out-of-range") X(DivisionByZero, "division-by-zero") \
      X(Overflow, "overflow") X(Capacity, "capacity") X(WrongTag, "wrong-tag")                                    \
          X(IndexOutOfBounds, "index-out-of-bounds") X(EmptySequence, "empty-sequence") X(Liveness, "liveness")

enum class ViolationKind
{
#define KEEL_VK_ENUM(Name, Printed) Name,
  KEEL_VIOLATIONS(KEEL_VK_ENUM)
#undef KEEL_VK_ENUM
};
const char* violation_name(ViolationKind k);

// A violation raised while evaluating (never a bug in Keel: the spec's).
struct EvalError : std::exception
{
  ViolationKind kind;
  Span span;
  std::string message;
  EvalError(ViolationKind k, Span s, std::string m) : kind(k), span(s), message(std::move(m)) {}
  const char* what() const noexcept override { return message.c_str(); }
};

// A binder's value at the time of a step, kept encoded with its type.
struct Binding
{
  std::string name;
  const Type* type = nullptr;
  std::vector<uint64_t> bits;
};

class SuccessorSink
{
 public:
  virtual ~SuccessorSink() = default;
  // `next` is valid only during the call.
  virtual void emit(uint32_t action, const uint64_t* next) = 0;
};

class Arena
{
 public:
  struct Mark
  {
    size_t block, used;
  };
  uint64_t* alloc(size_t words);  // zeroed
  Mark mark() const { return {d_block, d_used}; }
  void release(Mark m)
  {
    d_block = m.block;
    d_used = m.used;
  }

 private:
  static constexpr size_t kBlockWords = 1 << 14;
  std::vector<std::unique_ptr<uint64_t[]>> d_blocks;
  std::vector<size_t> d_sizes;
  size_t d_block = 0, d_used = 0;
};

class Evaluator
{
 public:
  explicit Evaluator(const Model& model);

  const Model& model() const { return d_m; }
  size_t state_words() const { return d_m.state_words; }

  // Expressions over a given state (invariants, constraints).
  bool holds(ExprId e, const uint64_t* state);
  int64_t eval_in(ExprId e, const uint64_t* state);
  // As holds(), with bound names set first: (local, index of the value in
  // the local's type), e.g. the instance of a quantified temporal property.
  bool holds_bound(ExprId e, const uint64_t* state, const std::vector<std::pair<LocalId, uint64_t>>& bindings);

  // Emits every initial state / every successor of `state`.
  void initial_states(SuccessorSink& sink);
  void successors(const uint64_t* state, SuccessorSink& sink);
  void successors_of(uint32_t action, const uint64_t* state, SuccessorSink& sink);

  // During emit() or after an EvalError: the running action and its bindings.
  int current_action() const { return d_action; }
  std::vector<Binding> current_bindings() const;
  // During emit(), for a process action: the index of `self` in the process's
  // identity type (fairness is per instance); kNone for other actions.
  uint64_t current_self_index() const;

  // Why does the boolean expression `e` not hold in `state`? Walks the
  // conjunctions, quantifiers and definitions down to the failing part: one
  // line per level, e.g. "forall b: Borrower fails for b = 2", then
  // "false: health(b) >= 10000". Empty if `e` holds.
  std::vector<std::string> explain_false(ExprId e, const uint64_t* state);

  // Encoded value <-> index in the type's enumeration (mixed radix).
  static uint64_t index_of(const Type* t, const uint64_t* w, size_t pos);
  static void decode_index(const Type* t, uint64_t idx, uint64_t* w, size_t pos);

 private:
  struct Loc
  {
    const uint64_t* w;
    size_t pos;
  };
  struct Cont
  {
    const std::vector<StmtId>* block;
    size_t index;
    const Cont* next;
  };

  int64_t eval(ExprId id);
  void eval_into(ExprId id, uint64_t* dst, size_t pos);
  Loc locate(ExprId id);
  void store(ExprId value, const Type* t, uint64_t* w, size_t pos);
  uint64_t encode(const Type* t, int64_t v, Span sp) const;
  int64_t decode(const Type* t, uint64_t raw) const;
  uint64_t key_index(const Type* key, int64_t v, Span sp) const;
  uint64_t array_slot(const Type* key, ExprId ix);
  bool elem_index(const Type* elem, ExprId e, uint64_t& idx);  // false: not a value of elem
  void bind(LocalId l, const uint64_t* w, size_t pos);
  void bind_scalar(LocalId l, int64_t v) { d_frame[d_m.locals[l].word_offset] = static_cast<uint64_t>(v); }
  void bind_index(LocalId l, const Type* t, uint64_t idx);
  void bind_call_args(const Expr& e);
  int64_t quantify(const Expr& e);
  void explain(ExprId e, std::vector<std::string>& out, int depth);
  std::string source_text(Span sp) const;
  std::string local_value_text(LocalId l) const;
  void exec(const Cont* k);
  void run_action(uint32_t a, const uint64_t* state, SuccessorSink& sink);
  void enumerate_params(uint32_t a, size_t i);

  const Model& d_m;
  std::vector<uint64_t> d_frame;
  std::vector<uint64_t> d_work;  // the state an action is building
  const uint64_t* d_state = nullptr;
  const uint64_t* d_src = nullptr;
  Arena d_arena;
  SuccessorSink* d_sink = nullptr;
  int d_action = -1;             // -1: init
  std::vector<LocalId> d_bound;  // params and choices, for traces
};

}  // namespace keel
