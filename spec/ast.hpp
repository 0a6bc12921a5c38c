// The abstract syntax tree, exactly as written. Only spec/ reads it: the
// lowering (spec/lower.cpp) turns it into the Model, which is what engines see.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "spec/source.hpp"

namespace keel::ast
{

struct Expr;
struct TypeExpr;
struct Stmt;
using ExprP = std::unique_ptr<Expr>;
using TypeP = std::unique_ptr<TypeExpr>;
using StmtP = std::unique_ptr<Stmt>;
using Block = std::vector<StmtP>;

struct Ident
{
  std::string name;
  Span span;
};

struct FieldDecl
{
  Ident name;
  TypeP type;
};

enum class TypeKind
{
  Bool,
  Int,
  Range,       // lo..hi
  Named,       // an alias, enum or message name
  InlineEnum,  // enum { a, b }
  Record,
  Array,  // [key] elem
  Set,
  Seq,  // seq<elem, cap>
  Bag,  // bag<elem, cap>
};

struct TypeExpr
{
  TypeKind kind = TypeKind::Bool;
  Span span;
  ExprP lo, hi, cap;              // Range bounds; Seq/Bag capacity
  Ident name;                     // Named
  std::vector<Ident> values;      // InlineEnum
  std::vector<FieldDecl> fields;  // Record
  TypeP key, elem;                // Array key/elem; Set/Seq/Bag elem
};

enum class ExprKind
{
  IntLit,
  BoolLit,
  Name,
  Call,        // name(args)
  Unary,       // op kid0
  Binary,      // kid0 op kid1
  Ite,         // if kid0 then kid1 else kid2
  Quant,       // quant binder . kid0
  Field,       // kid0 . name
  Index,       // kid0 [ kid1 ]
  IsTag,       // kid0 is name
  RecordLit,   // { names[i]: kids[i] }
  RecordWith,  // kid0 with { names[i]: kids[i+1] }
  ArrayWith,   // kid0 with [kid1] = kid2
  ArrayLit,    // [binder => kid0] or [_ => kid0]
  SetLit,      // { kids }
  SetComp,     // { binder | kid0 }
  SeqLit,      // [ kids ]
  Temporal,    // temporal (properties only): always kid0, eventually kid0, kid0 until kid1, kid0 ~> kid1
};

enum class TemporalOp
{
  Always,
  Eventually,
  Until,
  LeadsTo,
};

enum class UnOp
{
  Neg,
  Not,
};

enum class BinOp
{
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  And,
  Or,
  Implies,
  In,
  Union,
  Intersect,
  Minus,
};

enum class QuantKind
{
  Forall,
  Exists,
  Sum,
  Count,
};

// `x, y: T` (over a type) or `x in S` (over a set expression).
struct Binder
{
  std::vector<Ident> names;
  TypeP type;  // either type ...
  ExprP set;   // ... or set
};

struct Expr
{
  ExprKind kind = ExprKind::IntLit;
  Span span;
  int64_t int_value = 0;  // IntLit, BoolLit
  Ident name;             // Name, Call, Field, IsTag
  UnOp unop = UnOp::Neg;
  BinOp binop = BinOp::Add;
  QuantKind quant = QuantKind::Forall;
  TemporalOp temporal = TemporalOp::Always;
  std::vector<ExprP> kids;
  std::vector<Ident> names;        // RecordLit/RecordWith field names
  std::unique_ptr<Binder> binder;  // Quant, SetComp, ArrayLit (null for `_`)
  int depth = 0;                   // the parser's memo of the tree's depth (0 = not measured)
};

enum class StmtKind
{
  Assign,   // kid0 := kid1
  If,       // if kid0 { then_block } else { else_block }
  Choose,   // choose name (: type | in kid0) where kid1
  Require,  // require kid0
  Assert,   // assert kid0, message
  Let,      // let name = kid0
  Send,     // send kid0(kid1)
  Receive,  // receive name from kid0 where kid1
  Skip,
};

struct Stmt
{
  StmtKind kind = StmtKind::Skip;
  Span span;
  Ident name;
  TypeP type;
  ExprP a, b;  // meanings per kind above (a = kid0, b = kid1)
  std::string message;
  Block then_block, else_block;
};

struct Param
{
  Ident name;
  TypeP type;
};

enum class DeclKind
{
  Protocol,
  Const,
  TypeAlias,
  Enum,
  Message,
  Var,
  Init,
  Def,
  Action,
  Process,
  Network,
  Invariant,
  Constraint,
  Fault,   // name = kind, target, value = budget, capacity = `by` bound
  Import,  // name = the file to import (resolved by load_model)
  Expect,  // name = holds | deadlock | violated, target = what, value = when-condition
  Property,  // name, value = temporal formula
  Fair,      // target = the action or process (name, or process.action), modifier = weak | strong
};

struct Variant
{
  Ident tag;
  std::vector<FieldDecl> fields;
};

struct Decl
{
  DeclKind kind = DeclKind::Var;
  Span span;
  Ident name;
  TypeP type;                                  // Const/Var/Def result/TypeAlias/Network message type
  ExprP value;                                 // Const default, Var init, Def body, Action guard, Invariant
  std::vector<Param> params;                   // Def, Action; Process: params[0] is self
  Block body;                                  // Init, Action
  std::vector<Ident> enum_values;              // Enum
  std::vector<Variant> variants;               // Message
  std::vector<std::unique_ptr<Decl>> members;  // Process: vars and actions
  bool ordered = false;                        // Network
  bool is_volatile = false;                    // Var inside a process: reset on restart
  bool is_lemma = false;                       // Invariant written `lemma NAME: ...`
  Ident modifier;                              // Fault: amnesia (restart), silent or equivocate (byzantine)
  Ident target;                                // Fault
  TypeP index;                                 // Network index type (optional)
  ExprP capacity;                              // Network
};

struct Spec
{
  std::vector<std::unique_ptr<Decl>> decls;
};

}  // namespace keel::ast
