// The Model: Keel's typed transition system, the one contract between the
// front ends (spec/, frontend/cxx) and every engine (checker/). It holds no
// AST: names are resolved, types checked, variables placed at bit offsets,
// and expressions flattened into an array of nodes addressed by ExprId.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spec/source.hpp"
#include "spec/types.hpp"

namespace keel
{

using ExprId = uint32_t;
using StmtId = uint32_t;
using BlockId = uint32_t;
using LocalId = uint32_t;
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

// One table for the expression vocabulary: name, printed form.
#define KEEL_OPS(X)                                                                                                   \
  X(Const, "const")                                                                                                   \
  X(Var, "var") X(Local, "local") X(Index, "index") X(Field, "field") X(VField, "message field") X(IsTag, "is")       \
      X(Neg, "-") X(Not, "!") X(Add, "+") X(Sub, "-") X(Mul, "*") X(Div, "/") X(Mod, "%") X(Eq, "==") X(Ne, "!=")     \
          X(Lt, "<") X(Le, "<=") X(Gt, ">") X(Ge, ">=") X(And, "&&") X(Or, "||") X(Implies, "=>") X(Ite, "if")        \
              X(Forall, "forall") X(Exists, "exists") X(Sum, "sum") X(CountQ, "count") X(SetLit, "set literal")       \
                  X(SetComp, "set comprehension") X(SetAll, "all") X(Union, "union") X(Intersect, "intersect")        \
                      X(Minus, "minus") X(In, "in") X(Size, "size") X(Len, "len") X(Head, "head") X(Tail, "tail")     \
                          X(Append, "append") X(SeqLit, "sequence literal") X(RecordLit, "record literal")            \
                              X(RecordWith, "with") X(ArrayConst, "array literal") X(ArrayWith, "with []")            \
                                  X(Ctor, "message") X(Call, "call") X(BagCount, "count") X(Min, "min") X(Max, "max") \
                                      X(Abs, "abs") X(Zero, "default value") X(SetMin, "min") X(SetMax, "max")

enum class Op : uint8_t
{
#define KEEL_OP_ENUM(Name, Printed) Name,
  KEEL_OPS(KEEL_OP_ENUM)
#undef KEEL_OP_ENUM
};
const char* op_name(Op op);

// Field use by op:
//   Const: imm = value (bool 0/1, enum ordinal, integer)
//   Var: imm = variable index;  Local: imm = local index
//   Index: a = base, b = index;  Field: a = base, imm = field index
//   VField: a = base, imm = variant index, imm2 = field index;  IsTag: a, imm = variant
//   unary/binary ops: a, b;  Ite: a ? b : c
//   Forall/Exists/Sum/CountQ/SetComp: imm = bound local, dom = domain type when
//     over a type, else a = domain set; b = body
//   SetLit/SeqLit/RecordLit/Ctor(imm = variant)/Call(imm = def): args
//   SetAll: dom;  RecordWith: a = base, imm = field index, b = new value
//     (one node per updated field);  ArrayConst: imm = bound local (kNone for `_`), b = body
//   ArrayWith: a = base, b = index, c = value;  Size/Len/Head/Tail/Abs: a
//   Append/BagCount/Min/Max/In/Union/Intersect/Minus: a, b
//   Zero: the type's first value (all-zero encoding);  SetMin/SetMax: a (a set of integers)
struct Expr
{
  Op op = Op::Const;
  const Type* type = nullptr;
  ExprId a = kNone, b = kNone, c = kNone;
  int64_t imm = 0;
  int64_t imm2 = 0;
  const Type* dom = nullptr;
  uint32_t args_begin = 0, nargs = 0;
  Span span;
};

enum class StmtOp : uint8_t
{
  Assign,   // target (a place rooted at a variable) := value
  If,       // cond ? then_block : else_block
  Choose,   // bind local from dom (type) or set; filter `cond` (optional)
  Require,  // cond
  Assert,   // cond, message
  Let,      // local := value
  Send,     // target (bag or seq network) gets value
  Receive,  // local := a message of target satisfying cond; removed
  // Network faults; each branches over the affected message (bound to local):
  NetDrop,       // one copy of a message (any position of a queue) is lost
  NetDuplicate,  // one message gets a second copy (beside it in a queue)
  NetReorder,    // two adjacent messages of a queue swap
};

struct Stmt
{
  StmtOp op = StmtOp::Assign;
  Span span;
  ExprId target = kNone, value = kNone, cond = kNone, set = kNone;
  LocalId local = kNone;
  const Type* dom = nullptr;
  BlockId then_block = kNone, else_block = kNone;
  std::string message;
};

struct Local
{
  std::string name;
  const Type* type = nullptr;
  uint32_t word_offset = 0;  // in the evaluation frame
  uint32_t words = 0;
};

struct Variable
{
  std::string name;     // "x", or "Node.state" for a process variable
  std::string process;  // owning process, or ""
  const Type* type = nullptr;
  uint32_t offset = 0;       // bit offset in the state vector
  ExprId init = kNone;       // initial value; kNone = all-zero encoding
  bool is_volatile = false;  // a process variable reset when the process restarts
  bool is_network = false;
  bool is_fault_state = false;  // added by a fault declaration (budgets, crashed flags)
  Span span;
};

struct Process
{
  std::string name;
  const Type* identity = nullptr;
  Span span;
};

// A declared fault: its budget is a state variable counting uses.
struct Fault
{
  std::string name;  // "crash(Node)"
  int64_t budget = 0;
  uint32_t used_var = 0;
  Span span;
};

struct Action
{
  std::string name;
  std::string process;          // "" unless declared inside a process
  std::vector<LocalId> params;  // for a process action, params[0] is self
  ExprId guard = kNone;
  BlockId body = kNone;
  bool is_fault = false;  // an injected fault (marked in traces)
  int fault = -1;         // index into Model::faults for a fault action
  Span span;
};

struct Definition
{
  std::string name;
  std::vector<LocalId> params;
  ExprId body = kNone;
  Span span;
};

struct NamedPredicate
{
  std::string name;
  ExprId expr = kNone;
  Span span;
  // An invariant declared as `lemma`: an auxiliary invariant, checked like
  // every invariant; k-induction assumes it in its step case as it assumes
  // them all, and it is written to make the invariants inductive.
  bool is_lemma = false;
};

// What the spec says its check should find (`expect ...`), for the
// configuration at hand: the first `expect` whose `when` holds.
struct Expectation
{
  std::string verdict;   // holds, deadlock, violated
  std::string property;  // for violated: an invariant name or a violation kind
  Span span;
};

// A temporal property (`property NAME: ...`), as a tree over state
// predicates. Quantifiers over temporal formulas are expanded when lowering:
// a predicate under `forall i: T . eventually p(i)` carries the value of `i`
// it was instantiated with (`bindings`: local, index of the value in its
// type). Implication and leads-to are kept (printing), `!` anywhere.
enum class TemporalOp : uint8_t
{
  Pred,        // pred (with bindings)
  Not,         // a
  And,         // a, b
  Or,          // a, b
  Implies,     // a, b
  Always,      // a
  Eventually,  // a
  Until,       // a, b
  LeadsTo,     // a, b
};

struct TemporalNode
{
  TemporalOp op = TemporalOp::Pred;
  ExprId pred = kNone;
  std::vector<std::pair<LocalId, uint64_t>> bindings;
  int a = -1, b = -1;
  Span span;
};

struct TemporalProperty
{
  std::string name;
  std::vector<TemporalNode> nodes;
  int root = -1;
  Span span;
};

// `fair weak|strong X`: X is an action (fair as a whole, over every binding
// of its parameters), a process action `P.a`, or a process `P` (all of its
// actions); for a process the constraint is per instance: one constraint for
// each identity. Fault actions are never fair.
struct Fairness
{
  bool strong = false;
  std::vector<uint32_t> actions;  // indices into Model::actions
  bool per_instance = false;      // one constraint per value of the actions' `self`
  std::string text;               // as written, for messages: "weak Node.vote"
  Span span;
};

struct Model
{
  std::string name;
  const SourceManager* sources = nullptr;
  std::unique_ptr<TypeTable> types = std::make_unique<TypeTable>();
  std::map<std::string, int64_t> constants;  // effective values, for reports

  std::vector<Variable> vars;
  std::vector<Process> processes;
  std::vector<Fault> faults;
  uint32_t state_bits = 0;
  uint32_t state_words = 0;

  std::vector<Expr> exprs;
  std::vector<ExprId> args;
  std::vector<Stmt> stmts;
  std::vector<std::vector<StmtId>> blocks;
  std::vector<Local> locals;
  uint32_t frame_words = 0;

  std::vector<Definition> defs;
  std::vector<Action> actions;
  BlockId init_block = kNone;
  std::vector<NamedPredicate> invariants;
  std::vector<NamedPredicate> constraints;
  std::vector<TemporalProperty> properties;
  std::vector<Fairness> fairness;
  std::optional<Expectation> expectation;
  std::vector<std::vector<int>> vfield_tables;  // VField: imm2 indexes this; per tag, the field index or -1

  const Expr& expr(ExprId id) const { return exprs[id]; }
  ExprId arg(const Expr& e, uint32_t i) const { return args[e.args_begin + i]; }
};

}  // namespace keel
