#include "spec/lower.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <set>

#include "spec/parser.hpp"

namespace keel
{

using ast::Binder;
using ast::BinOp;
using ast::Decl;
using ast::DeclKind;
using ast::ExprKind;
using ast::Ident;
using ast::QuantKind;
using ast::Spec;
using ast::StmtKind;
using ast::TypeExpr;
using ast::UnOp;

const char* op_name(Op op)
{
  static const char* const kNames[] = {
#define KEEL_OP_NAME(Name, Printed) Printed,
      KEEL_OPS(KEEL_OP_NAME)
#undef KEEL_OP_NAME
  };
  return kNames[static_cast<int>(op)];
}

namespace
{

enum class SymKind
{
  Const,
  Type,
  EnumValue,
  Tag,
  Var,
  Def,
  Process,
};

struct Sym
{
  SymKind kind = SymKind::Const;
  Span span;
  int64_t value = 0;           // Const value, EnumValue ordinal, Tag variant
  const Type* type = nullptr;  // Const/Var/EnumValue/Tag type; Type; Process identity type
  uint32_t index = 0;          // Var index, Def index
  const Decl* decl = nullptr;
};

const char* sym_kind_name(SymKind k)
{
  switch (k)
  {
    case SymKind::Const:
      return "constant";
    case SymKind::Type:
      return "type";
    case SymKind::EnumValue:
      return "enum value";
    case SymKind::Tag:
      return "message tag";
    case SymKind::Var:
      return "variable";
    case SymKind::Def:
      return "definition";
    case SymKind::Process:
      return "process";
  }
  return "name";
}

const std::set<std::string>& builtin_names()
{
  static const std::set<std::string> kNames = {"size", "len", "head", "tail", "append", "count",
                                               "min",  "max", "abs",  "all",  "stable"};
  return kNames;
}

class Lowerer
{
 public:
  Lowerer(const Spec& spec, const SourceManager& sources, DiagnosticEngine& diags, const LowerOptions& opts)
      : d_spec(spec), d_diags(diags), d_opts(opts)
  {
    d_m.sources = &sources;
  }

  Model run()
  {
    declare_all();
    layout();
    lower_bodies();
    lower_faults();
    lower_temporal_properties();
    check_expectation();
    return std::move(d_m);
  }

 private:
  // ------------------------------------------------------------------ helpers
  TypeTable& types() { return *d_m.types; }

  [[noreturn]] void fail(DiagCode code, Span span, const std::string& msg) { d_diags.fatal(code, span, msg); }

  void declare(const std::string& name, Sym sym, Span span)
  {
    if (builtin_names().count(name))
      fail(DiagCode::DuplicateName, span, "'" + name + "' is a built-in function and cannot be redeclared");
    auto it = d_globals.find(name);
    if (it != d_globals.end())
    {
      auto& d = d_diags.error(DiagCode::DuplicateName, span, "'" + name + "' is already declared");
      d.notes.push_back({it->second.span, std::string("previous declaration of the ") + sym_kind_name(it->second.kind) +
                                              " '" + name + "'"});
      throw CompileAborted();
    }
    sym.span = span;
    d_globals.emplace(name, sym);
  }

  // Folding and the engines' evaluators recurse over an expression and into
  // the definitions it calls; bound that depth (and the lowering's own
  // recursion, which lowers a definition where it is first used).
  static constexpr uint32_t kMaxExprDepth = 2000;
  ExprId add(Expr e)
  {
    uint32_t depth = 0;
    auto sub = [&](ExprId k)
    {
      if (k != kNone) depth = std::max(depth, d_expr_depth[k]);
    };
    sub(e.a);
    sub(e.b);
    sub(e.c);
    for (uint32_t i = 0; i < e.nargs; ++i) sub(d_m.args[e.args_begin + i]);
    if (e.op == Op::Call) sub(d_m.defs[e.imm].body);
    if (++depth > kMaxExprDepth)
      fail(DiagCode::NestingTooDeep, e.span,
           "expression nested deeper than " + std::to_string(kMaxExprDepth) +
               " levels (counting the definitions it uses)");
    d_expr_depth.push_back(depth);
    d_m.exprs.push_back(e);
    return static_cast<ExprId>(d_m.exprs.size() - 1);
  }
  ExprId add_args(Expr e, const std::vector<ExprId>& args)
  {
    e.args_begin = static_cast<uint32_t>(d_m.args.size());
    e.nargs = static_cast<uint32_t>(args.size());
    d_m.args.insert(d_m.args.end(), args.begin(), args.end());
    return add(e);
  }
  Expr node(Op op, const Type* t, Span sp)
  {
    Expr e;
    e.op = op;
    e.type = t;
    e.span = sp;
    return e;
  }
  const Type* type_of(ExprId id) const { return d_m.exprs[id].type; }

  LocalId new_local(const std::string& name, const Type* t)
  {
    Local l;
    l.name = name;
    l.type = t;
    l.word_offset = d_m.frame_words;
    l.words = t->is_scalar() ? 1 : std::max<uint32_t>(1, (t->bits + 63) / 64);
    d_m.frame_words += l.words;
    d_m.locals.push_back(l);
    return static_cast<LocalId>(d_m.locals.size() - 1);
  }

  std::string describe(const Type* t) const { return "'" + t->name + "'"; }

  bool compatible(const Type* from, const Type* to) const
  {
    if (from == to) return true;
    if (from->is_intlike() && to->is_intlike()) return true;
    return false;
  }

  void coerce(ExprId e, const Type* to, Span sp, const std::string& what)
  {
    const Type* from = type_of(e);
    if (!compatible(from, to))
      fail(DiagCode::TypeMismatch, sp,
           what + ": expected a value of type " + describe(to) + ", found " + describe(from));
  }

  void expect_bool(ExprId e, Span sp)
  {
    if (type_of(e)->kind != TypeKind::Bool)
      fail(DiagCode::TypeMismatch, sp, "expected a bool, found a value of type " + describe(type_of(e)));
  }
  void expect_int(ExprId e, Span sp)
  {
    if (!type_of(e)->is_intlike())
      fail(DiagCode::TypeMismatch, sp, "expected an integer, found a value of type " + describe(type_of(e)));
  }

  // ------------------------------------------------------------------ constants
  // Memoized: the IR shares subexpressions (definitions, `x in {a, b}`), so
  // folding it as a tree could take exponential time.
  std::optional<int64_t> fold(ExprId id)
  {
    auto it = d_folded.find(id);
    if (it != d_folded.end()) return it->second;
    std::optional<int64_t> v = fold_node(id);
    d_folded.emplace(id, v);
    return v;
  }
  std::optional<int64_t> fold_node(ExprId id)
  {
    const Expr& e = d_m.exprs[id];
    auto bin = [&](auto f) -> std::optional<int64_t>
    {
      auto a = fold(e.a);
      auto b = fold(e.b);
      if (!a || !b) return std::nullopt;
      return f(*a, *b);
    };
    auto ovf = [&]() -> int64_t
    { fail(DiagCode::ConstantFolding, e.span, "integer overflow in a constant expression"); };
    switch (e.op)
    {
      case Op::Const:
        return e.imm;
      case Op::Neg:
      {
        auto a = fold(e.a);
        if (!a) return std::nullopt;
        if (*a == INT64_MIN) ovf();
        return -*a;
      }
      case Op::Abs:
      {
        auto a = fold(e.a);
        if (!a) return std::nullopt;
        if (*a == INT64_MIN) ovf();
        return *a < 0 ? -*a : *a;
      }
      case Op::Not:
      {
        auto a = fold(e.a);
        if (!a) return std::nullopt;
        return !*a;
      }
      case Op::Add:
        return bin(
            [&](int64_t a, int64_t b)
            {
              int64_t r;
              if (__builtin_add_overflow(a, b, &r)) ovf();
              return r;
            });
      case Op::Sub:
        return bin(
            [&](int64_t a, int64_t b)
            {
              int64_t r;
              if (__builtin_sub_overflow(a, b, &r)) ovf();
              return r;
            });
      case Op::Mul:
        return bin(
            [&](int64_t a, int64_t b)
            {
              int64_t r;
              if (__builtin_mul_overflow(a, b, &r)) ovf();
              return r;
            });
      case Op::Div:
      case Op::Mod:
        return bin(
            [&](int64_t a, int64_t b)
            {
              if (b == 0) fail(DiagCode::ConstantFolding, e.span, "division by zero in a constant expression");
              if (a == INT64_MIN && b == -1) ovf();
              return e.op == Op::Div ? a / b : a % b;
            });
      case Op::Min:
        return bin([](int64_t a, int64_t b) { return std::min(a, b); });
      case Op::Max:
        return bin([](int64_t a, int64_t b) { return std::max(a, b); });
      case Op::Eq:
        if (!type_of(e.a)->is_scalar()) return std::nullopt;
        return bin([](int64_t a, int64_t b) -> int64_t { return a == b; });
      case Op::Ne:
        if (!type_of(e.a)->is_scalar()) return std::nullopt;
        return bin([](int64_t a, int64_t b) -> int64_t { return a != b; });
      case Op::Lt:
        return bin([](int64_t a, int64_t b) -> int64_t { return a < b; });
      case Op::Le:
        return bin([](int64_t a, int64_t b) -> int64_t { return a <= b; });
      case Op::Gt:
        return bin([](int64_t a, int64_t b) -> int64_t { return a > b; });
      case Op::Ge:
        return bin([](int64_t a, int64_t b) -> int64_t { return a >= b; });
      case Op::And:
        return bin([](int64_t a, int64_t b) -> int64_t { return a && b; });
      case Op::Or:
        return bin([](int64_t a, int64_t b) -> int64_t { return a || b; });
      case Op::Implies:
        return bin([](int64_t a, int64_t b) -> int64_t { return !a || b; });
      case Op::Ite:
      {
        auto c = fold(e.a);
        if (!c) return std::nullopt;
        return fold(*c ? e.b : e.c);
      }
      case Op::Call:
        if (e.nargs == 0) return fold(d_m.defs[e.imm].body);
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  int64_t const_int(const ast::Expr& ae, const char* what)
  {
    bool saved = d_const_context;
    d_const_context = true;
    ExprId id = lower_expr(ae, nullptr);
    d_const_context = saved;
    expect_int(id, ae.span);
    auto v = fold(id);
    if (!v) fail(DiagCode::NotConstant, ae.span, std::string(what) + " must be a constant expression");
    return *v;
  }

  // ------------------------------------------------------------------ types
  const Type* resolve_type(const TypeExpr& t, bool allow_int = false)
  {
    const Type* r = nullptr;
    switch (t.kind)
    {
      case ast::TypeKind::Bool:
        r = types().bool_type();
        break;
      case ast::TypeKind::Int:
        if (!allow_int)
          fail(DiagCode::NotFinite, t.span,
               "'int' is unbounded: use a range such as 0..10 (int is for constants only)");
        r = types().int_type();
        break;
      case ast::TypeKind::Range:
      {
        int64_t lo = const_int(*t.lo, "a range bound");
        int64_t hi = const_int(*t.hi, "a range bound");
        if (lo > hi)
          fail(DiagCode::EmptyRange, t.span,
               "the range " + std::to_string(lo) + ".." + std::to_string(hi) + " is empty");
        if (static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) >= (uint64_t{1} << 62))
          fail(DiagCode::StateTooLarge, t.span, "the range is too wide to encode");
        r = types().range(lo, hi);
        break;
      }
      case ast::TypeKind::Named:
      {
        auto it = d_globals.find(t.name.name);
        if (it == d_globals.end()) fail(DiagCode::UndefinedName, t.name.span, "unknown type '" + t.name.name + "'");
        if (it->second.kind != SymKind::Type)
        {
          auto& d = d_diags.error(DiagCode::TypeMismatch, t.name.span,
                                  "'" + t.name.name + "' is a " + sym_kind_name(it->second.kind) + ", not a type");
          d.notes.push_back({it->second.span, "declared here"});
          throw CompileAborted();
        }
        r = it->second.type;
        break;
      }
      case ast::TypeKind::InlineEnum:
      {
        std::vector<std::string> vals;
        std::string name = "enum { ";
        for (size_t i = 0; i < t.values.size(); ++i)
        {
          vals.push_back(t.values[i].name);
          name += (i ? ", " : "") + t.values[i].name;
        }
        name += " }";
        Type* et = types().new_enum(name, vals);
        declare_enum_values(et, t.values);
        r = et;
        break;
      }
      case ast::TypeKind::Record:
      {
        std::vector<Type::Field> fields;
        std::set<std::string> seen;
        for (auto& f : t.fields)
        {
          if (!seen.insert(f.name.name).second)
            fail(DiagCode::DuplicateName, f.name.span, "duplicate field '" + f.name.name + "'");
          fields.push_back({f.name.name, resolve_type(*f.type), 0});
        }
        check_width(fields, t.span);
        r = types().record(std::move(fields));
        break;
      }
      case ast::TypeKind::Array:
      {
        const Type* k = resolve_type(*t.key);
        const Type* v = resolve_type(*t.elem);
        check_limits(TypeKind::Array, k, v, 0, t.span);
        r = types().array(k, v);
        break;
      }
      case ast::TypeKind::Set:
      {
        const Type* e = resolve_type(*t.elem);
        check_limits(TypeKind::Set, e, e, 0, t.span);
        r = types().set(e);
        break;
      }
      case ast::TypeKind::Seq:
      case ast::TypeKind::Bag:
      {
        const Type* e = resolve_type(*t.elem);
        int64_t cap = const_int(*t.cap, "a capacity");
        bool seq = t.kind == ast::TypeKind::Seq;
        if (cap < (seq ? 0 : 1) || cap > 65535)
          fail(DiagCode::EmptyRange, t.cap->span,
               seq ? "a sequence capacity must be between 0 and 65535" : "a bag capacity must be between 1 and 65535");
        check_limits(seq ? TypeKind::Seq : TypeKind::Bag, e, e, static_cast<uint64_t>(cap), t.span);
        r = seq ? types().seq(e, static_cast<uint32_t>(cap)) : types().bag(e, static_cast<uint32_t>(cap));
        break;
      }
    }
    return r;
  }

  // Quantifiers, choices and parameters enumerate their domain value by value.
  static constexpr uint64_t kMaxEnumerated = uint64_t{1} << 24;
  void check_enumerable(const Type* t, Span sp, const char* what)
  {
    if (!t->is_finite()) fail(DiagCode::NotFinite, sp, std::string(what) + " must range over a finite type");
    if (t->card > kMaxEnumerated)
      fail(DiagCode::StateTooLarge, sp,
           std::string(what) + " ranges over " +
               (t->card == kCardInfinite ? std::string("too many") : std::to_string(t->card)) +
               " values; at most 16777216 can be enumerated");
  }

  void check_limits(TypeKind k, const Type* a, const Type* e, uint64_t cap, Span sp)
  {
    std::string why = check_composite_limits(k, a, e, cap);
    if (!why.empty()) fail(a->is_finite() ? DiagCode::StateTooLarge : DiagCode::NotFinite, sp, why);
  }
  void check_width(const std::vector<Type::Field>& fields, Span sp)
  {
    uint64_t bits = 0;
    for (auto& f : fields) bits += f.type->bits;
    if (bits > TypeTable::kMaxBits) fail(DiagCode::StateTooLarge, sp, "the record is too large to encode");
  }

  void declare_enum_values(const Type* et, const std::vector<Ident>& values)
  {
    for (size_t i = 0; i < values.size(); ++i)
    {
      Sym s;
      s.kind = SymKind::EnumValue;
      s.type = et;
      s.value = static_cast<int64_t>(i);
      declare(values[i].name, s, values[i].span);
    }
  }

  // ------------------------------------------------------------------ pass 1
  void declare_all()
  {
    for (auto& dp : d_spec.decls)
    {
      const Decl& d = *dp;
      switch (d.kind)
      {
        case DeclKind::Protocol:
          d_m.name = d.name.name;
          break;
        case DeclKind::Const:
          declare_const(d);
          break;
        case DeclKind::TypeAlias:
        {
          Sym s;
          s.kind = SymKind::Type;
          s.type = resolve_type(*d.type);
          declare(d.name.name, s, d.name.span);
          break;
        }
        case DeclKind::Enum:
        {
          std::vector<std::string> vals;
          for (auto& v : d.enum_values) vals.push_back(v.name);
          Sym s;
          s.kind = SymKind::Type;
          s.type = types().new_enum(d.name.name, vals);
          declare(d.name.name, s, d.name.span);
          declare_enum_values(s.type, d.enum_values);
          break;
        }
        case DeclKind::Message:
          declare_message(d);
          break;
        case DeclKind::Var:
        {
          const Type* t = resolve_type(*d.type);
          declare_var(d.name.name, "", t, d.name.span, &d);
          break;
        }
        case DeclKind::Network:
        {
          const Type* msg = resolve_type(*d.type);
          int64_t cap = const_int(*d.capacity, "a network capacity");
          if (cap < 1 || cap > 65535)
            fail(DiagCode::EmptyRange, d.capacity->span, "a network capacity must be between 1 and 65535");
          check_limits(d.ordered ? TypeKind::Seq : TypeKind::Bag, msg, msg, static_cast<uint64_t>(cap), d.type->span);
          const Type* t =
              d.ordered ? types().seq(msg, static_cast<uint32_t>(cap)) : types().bag(msg, static_cast<uint32_t>(cap));
          if (d.index)
          {
            const Type* k = resolve_type(*d.index);
            check_limits(TypeKind::Array, k, t, 0, d.index->span);
            t = types().array(k, t);
          }
          uint32_t idx = declare_var(d.name.name, "", t, d.name.span, &d);
          d_m.vars[idx].is_network = true;
          break;
        }
        case DeclKind::Process:
        {
          const Type* self_t = resolve_type(*d.params[0].type);
          if (!self_t->is_finite() || self_t->card > TypeTable::kMaxIndexCard)
            fail(DiagCode::NotFinite, d.params[0].type->span, "a process identity type must be finite");
          Sym s;
          s.kind = SymKind::Process;
          s.type = self_t;
          s.decl = &d;
          declare(d.name.name, s, d.name.span);
          d_m.processes.push_back({d.name.name, self_t, d.name.span});
          for (auto& mp : d.members)
          {
            if (mp->kind != DeclKind::Var) continue;
            const Type* t = resolve_type(*mp->type);
            check_limits(TypeKind::Array, self_t, t, 0, mp->type->span);
            if (d_proc_vars[d.name.name].count(mp->name.name))
              fail(DiagCode::DuplicateName, mp->name.span,
                   "'" + mp->name.name + "' is already declared in this process");
            uint32_t vi = declare_var(d.name.name + "." + mp->name.name, d.name.name, types().array(self_t, t),
                                      mp->name.span, mp.get());
            d_m.vars[vi].is_volatile = mp->is_volatile;
            d_proc_vars[d.name.name][mp->name.name] = vi;
          }
          break;
        }
        case DeclKind::Fault:
          declare_fault(d);
          break;
        case DeclKind::Def:
        {
          Sym s;
          s.kind = SymKind::Def;
          s.index = static_cast<uint32_t>(d_m.defs.size());
          s.decl = &d;
          Definition def;
          def.name = d.name.name;
          def.span = d.span;
          d_m.defs.push_back(def);
          d_def_state.push_back(0);
          d_def_decl.push_back(&d);
          declare(d.name.name, s, d.name.span);
          break;
        }
        default:
          break;
      }
    }
    for (auto& [name, value] : d_opts.fault_budgets)
    {
      bool known = false;
      for (auto& f : d_fault_decls)
        if (f.kind_name == name || d_m.faults[f.index].name == name) known = true;
      if (!known)
      {
        d_diags.error_no_span(DiagCode::BadOverride, "--fault " + name + ": the spec declares no such fault");
        throw CompileAborted();
      }
    }
    for (auto& [name, value] : d_opts.overrides)
    {
      auto it = d_globals.find(name);
      if (it == d_globals.end() || it->second.kind != SymKind::Const)
      {
        d_diags.error_no_span(DiagCode::BadOverride, "-D " + name + ": the spec declares no constant '" + name + "'");
        throw CompileAborted();
      }
    }
  }

  void declare_const(const Decl& d)
  {
    const Type* t = resolve_type(*d.type, true);
    if (t->kind != TypeKind::Int && t->kind != TypeKind::Bool)
      fail(DiagCode::TypeMismatch, d.type->span, "a constant is an int or a bool");
    int64_t v = 0;
    auto ov = d_opts.overrides.find(d.name.name);
    if (ov != d_opts.overrides.end())
    {
      const std::string& s = ov->second;
      if (t->kind == TypeKind::Bool)
      {
        // 1 and 0 too, so that `keel resilience --sweep B=0..1` sweeps a bool.
        if (s == "true" || s == "1")
          v = 1;
        else if (s == "false" || s == "0")
          v = 0;
        else
          bad_override(d.name.name, s, "expected true or false (or 1 or 0)");
      }
      else
      {
        size_t pos = 0;
        try
        {
          v = std::stoll(s, &pos, 10);
        }
        catch (...)
        {
          pos = 0;
        }
        if (pos == 0 || pos != s.size()) bad_override(d.name.name, s, "expected an integer");
      }
    }
    else
    {
      bool saved = d_const_context;
      d_const_context = true;
      ExprId id = lower_expr(*d.value, t);
      d_const_context = saved;
      coerce(id, t, d.value->span, "the constant's default");
      auto f = fold(id);
      if (!f) fail(DiagCode::NotConstant, d.value->span, "a constant's default must be a constant expression");
      v = *f;
    }
    Sym s;
    s.kind = SymKind::Const;
    s.type = t;
    s.value = v;
    declare(d.name.name, s, d.name.span);
    d_m.constants[d.name.name] = v;
  }

  [[noreturn]] void bad_override(const std::string& name, const std::string& value, const char* why)
  {
    d_diags.error_no_span(DiagCode::BadOverride, "-D " + name + "=" + value + ": " + why);
    throw CompileAborted();
  }

  void declare_message(const Decl& d)
  {
    std::vector<Type::Variant> vs;
    std::set<std::string> tags;
    for (auto& v : d.variants)
    {
      if (!tags.insert(v.tag.name).second)
        fail(DiagCode::DuplicateName, v.tag.span, "duplicate message tag '" + v.tag.name + "'");
      Type::Variant tv;
      tv.tag = v.tag.name;
      std::set<std::string> seen;
      for (auto& f : v.fields)
      {
        if (!seen.insert(f.name.name).second)
          fail(DiagCode::DuplicateName, f.name.span, "duplicate field '" + f.name.name + "'");
        tv.fields.push_back({f.name.name, resolve_type(*f.type), 0});
      }
      check_width(tv.fields, v.tag.span);
      vs.push_back(std::move(tv));
    }
    Sym s;
    s.kind = SymKind::Type;
    s.type = types().new_message(d.name.name, std::move(vs));
    declare(d.name.name, s, d.name.span);
    for (size_t i = 0; i < d.variants.size(); ++i)
    {
      Sym t;
      t.kind = SymKind::Tag;
      t.type = s.type;
      t.value = static_cast<int64_t>(i);
      declare(d.variants[i].tag.name, t, d.variants[i].tag.span);
    }
  }

  uint32_t declare_var(const std::string& name, const std::string& process, const Type* t, Span sp, const Decl* d)
  {
    if (t->bits > TypeTable::kMaxBits) fail(DiagCode::StateTooLarge, sp, "the variable is too large to encode");
    Variable v;
    v.name = name;
    v.process = process;
    v.type = t;
    v.span = sp;
    uint32_t idx = static_cast<uint32_t>(d_m.vars.size());
    d_m.vars.push_back(v);
    d_var_decl.push_back(d);
    if (process.empty())
    {
      Sym s;
      s.kind = SymKind::Var;
      s.type = t;
      s.index = idx;
      declare(name, s, sp);
    }
    return idx;
  }

  void layout()
  {
    uint64_t off = 0;
    for (auto& v : d_m.vars)
    {
      v.offset = static_cast<uint32_t>(off);
      off += v.type->bits;
      if (off > (uint64_t{1} << 24))
        fail(DiagCode::StateTooLarge, v.span, "the state is too large to encode (over 16 Mbit)");
    }
    d_m.state_bits = static_cast<uint32_t>(off);
    d_m.state_words = static_cast<uint32_t>((off + 63) / 64);
    if (d_m.state_words == 0) d_m.state_words = 1;
  }

  // ------------------------------------------------------------------ pass 2
  void lower_bodies()
  {
    for (size_t i = 0; i < d_m.vars.size(); ++i) lower_var_init(static_cast<uint32_t>(i));
    for (size_t i = 0; i < d_m.defs.size(); ++i) lower_def(static_cast<uint32_t>(i), d_def_decl[i]->span);
    for (auto& dp : d_spec.decls)
    {
      const Decl& d = *dp;
      switch (d.kind)
      {
        case DeclKind::Action:
          lower_action(d, nullptr);
          break;
        case DeclKind::Process:
          for (auto& mp : d.members)
            if (mp->kind == DeclKind::Action) lower_action(*mp, &d);
          break;
        case DeclKind::Init:
          if (d_m.init_block != kNone) fail(DiagCode::DuplicateName, d.span, "only one init block is allowed");
          d_m.init_block = lower_block(d.body);
          break;
        case DeclKind::Expect:
        {
          bool applies = true;
          if (d.value)
          {
            bool saved = d_const_context;
            d_const_context = true;
            ExprId c = lower_expr(*d.value, types().bool_type());
            d_const_context = saved;
            expect_bool(c, d.value->span);
            auto v = fold(c);
            if (!v)
              fail(DiagCode::NotConstant, d.value->span, "an expectation's condition must be a constant expression");
            applies = *v != 0;
          }
          if (applies && !d_m.expectation) d_m.expectation = Expectation{d.name.name, d.target.name, d.span};
          break;
        }
        case DeclKind::Invariant:
        case DeclKind::Constraint:
        {
          auto& list = d.kind == DeclKind::Invariant ? d_m.invariants : d_m.constraints;
          for (auto& p : d_m.invariants)
            if (p.name == d.name.name)
              fail(DiagCode::DuplicateName, d.name.span, "duplicate name '" + d.name.name + "'");
          for (auto& p : d_m.constraints)
            if (p.name == d.name.name)
              fail(DiagCode::DuplicateName, d.name.span, "duplicate name '" + d.name.name + "'");
          ExprId e = lower_expr(*d.value, types().bool_type());
          expect_bool(e, d.value->span);
          list.push_back({d.name.name, e, d.span, d.is_lemma});
          break;
        }
        default:
          break;
      }
    }
  }

  void lower_var_init(uint32_t idx)
  {
    const Decl* d = d_var_decl[idx];
    Variable& v = d_m.vars[idx];
    if (!d || d->kind == DeclKind::Network || !d->value) return;  // networks and fault state start at zero
    if (v.process.empty())
    {
      ExprId e = lower_expr(*d->value, v.type);
      coerce(e, v.type, d->value->span, "the initial value");
      d_m.vars[idx].init = e;
      return;
    }
    // A process variable's initializer is evaluated once per identity.
    const Type* at = v.type;
    auto it = d_globals.find(v.process);
    const Decl* pd = it->second.decl;
    LocalId self = new_local(pd->params[0].name.name, at->key);
    ProcessScope ps(*this, pd, self);
    size_t mark = d_scope.size();
    d_scope.push_back({pd->params[0].name.name, self});
    ExprId body = lower_expr(*d->value, at->elem);
    coerce(body, at->elem, d->value->span, "the initial value");
    d_scope.resize(mark);
    Expr a = node(Op::ArrayConst, at, d->value->span);
    a.imm = self;
    a.b = body;
    d_m.vars[idx].init = add(a);
  }

  struct ProcessScope
  {
    Lowerer& l;
    const Decl* saved_proc;
    LocalId saved_self;
    ProcessScope(Lowerer& ll, const Decl* p, LocalId self) : l(ll), saved_proc(ll.d_proc), saved_self(ll.d_self)
    {
      l.d_proc = p;
      l.d_self = self;
    }
    ~ProcessScope()
    {
      l.d_proc = saved_proc;
      l.d_self = saved_self;
    }
  };

  void lower_def(uint32_t idx, Span use)
  {
    if (d_def_state[idx] == 2) return;
    const Decl& d = *d_def_decl[idx];
    if (d_def_state[idx] == 1)
    {
      auto& diag =
          d_diags.error(DiagCode::RecursiveDefinition, use, "definition '" + d.name.name + "' refers to itself");
      diag.notes.push_back({d.name.span, "'" + d.name.name + "' is defined here; definitions cannot be recursive"});
      throw CompileAborted();
    }
    d_def_state[idx] = 1;
    // A definition is lowered in a fresh scope: it sees only its parameters.
    std::vector<std::pair<std::string, LocalId>> saved_scope;
    saved_scope.swap(d_scope);
    ProcessScope ps(*this, nullptr, kNone);
    bool saved_const = d_const_context;
    std::vector<LocalId> params;
    std::set<std::string> seen;
    for (auto& p : d.params)
    {
      if (!seen.insert(p.name.name).second)
        fail(DiagCode::DuplicateName, p.name.span, "duplicate parameter '" + p.name.name + "'");
      LocalId l = new_local(p.name.name, resolve_type(*p.type, true));
      params.push_back(l);
      d_scope.push_back({p.name.name, l});
    }
    const Type* ret = resolve_type(*d.type, true);
    d_m.defs[idx].params = params;
    d_def_ret.resize(d_m.defs.size());
    d_def_ret[idx] = ret;
    ExprId body = lower_expr(*d.value, ret);
    coerce(body, ret, d.value->span, "the definition's body");
    d_m.defs[idx].body = body;
    d_const_context = saved_const;
    d_scope.swap(saved_scope);
    d_def_state[idx] = 2;
  }

  void lower_action(const Decl& d, const Decl* proc)
  {
    Action a;
    a.name = d.name.name;
    a.span = d.span;
    for (auto& other : d_m.actions)
      if (other.name == a.name && other.process == (proc ? proc->name.name : ""))
        fail(DiagCode::DuplicateName, d.name.span, "duplicate action '" + a.name + "'");
    size_t mark = d_scope.size();
    LocalId self = kNone;
    if (proc)
    {
      a.process = proc->name.name;
      self = new_local(proc->params[0].name.name, d_globals[proc->name.name].type);
      a.params.push_back(self);
      d_scope.push_back({proc->params[0].name.name, self});
    }
    ProcessScope ps(*this, proc, self);
    std::set<std::string> seen;
    for (auto& p : d.params)
    {
      if (!seen.insert(p.name.name).second)
        fail(DiagCode::DuplicateName, p.name.span, "duplicate parameter '" + p.name.name + "'");
      const Type* t = resolve_type(*p.type);
      check_enumerable(t, p.type->span, "an action parameter");
      LocalId l = new_local(p.name.name, t);
      a.params.push_back(l);
      d_scope.push_back({p.name.name, l});
    }
    if (d.value)
    {
      a.guard = lower_expr(*d.value, types().bool_type());
      expect_bool(a.guard, d.value->span);
    }
    a.body = lower_block(d.body);
    d_scope.resize(mark);
    d_m.actions.push_back(std::move(a));
  }

  // ------------------------------------------------------------------ statements
  BlockId lower_block(const ast::Block& b)
  {
    size_t mark = d_scope.size();
    std::vector<StmtId> ids;
    for (auto& sp : b) ids.push_back(lower_stmt(*sp));
    d_scope.resize(mark);
    d_m.blocks.push_back(std::move(ids));
    return static_cast<BlockId>(d_m.blocks.size() - 1);
  }

  StmtId add_stmt(const keel::Stmt& s)
  {
    d_m.stmts.push_back(s);
    return static_cast<StmtId>(d_m.stmts.size() - 1);
  }

  // A place is a variable, or an index/field of a place.
  void check_place(ExprId id, Span sp)
  {
    const Expr& e = d_m.exprs[id];
    switch (e.op)
    {
      case Op::Var:
        return;
      case Op::Index:
      case Op::Field:
      case Op::VField:
        check_place(e.a, sp);
        return;
      case Op::Local:
        fail(DiagCode::NotAssignable, sp, "'" + d_m.locals[e.imm].name + "' is a bound name, not a state variable");
      default:
        fail(DiagCode::NotAssignable, sp,
             "the left side of ':=' must be a state variable, or an element or field of one");
    }
  }

  const Type* network_type(ExprId target, Span sp)
  {
    const Type* t = type_of(target);
    if (t->kind != TypeKind::Bag && t->kind != TypeKind::Seq)
    {
      if (t->kind == TypeKind::Array && (t->elem->kind == TypeKind::Bag || t->elem->kind == TypeKind::Seq))
        fail(DiagCode::TypeMismatch, sp, "this network is indexed: name one of its queues, e.g. net[i]");
      fail(DiagCode::TypeMismatch, sp,
           "expected a network (or a bag or sequence variable), found a value of type " + describe(t));
    }
    return t;
  }

  StmtId lower_stmt(const ast::Stmt& s)
  {
    keel::Stmt out;
    out.span = s.span;
    switch (s.kind)
    {
      case StmtKind::Assign:
      {
        out.op = StmtOp::Assign;
        out.target = lower_expr(*s.a, nullptr);
        check_place(out.target, s.a->span);
        out.value = lower_expr(*s.b, type_of(out.target));
        coerce(out.value, type_of(out.target), s.b->span, "assignment");
        break;
      }
      case StmtKind::If:
      {
        out.op = StmtOp::If;
        out.cond = lower_expr(*s.a, types().bool_type());
        expect_bool(out.cond, s.a->span);
        out.then_block = lower_block(s.then_block);
        out.else_block = lower_block(s.else_block);
        break;
      }
      case StmtKind::Choose:
      {
        out.op = StmtOp::Choose;
        const Type* elem;
        if (s.type)
        {
          elem = resolve_type(*s.type);
          check_enumerable(elem, s.type->span, "a choice");
          out.dom = elem;
        }
        else
        {
          out.set = lower_expr(*s.a, nullptr);
          if (type_of(out.set)->kind != TypeKind::Set)
            fail(DiagCode::TypeMismatch, s.a->span, "'choose x in S' needs a set, found " + describe(type_of(out.set)));
          elem = type_of(out.set)->elem;
        }
        out.local = new_local(s.name.name, elem);
        d_scope.push_back({s.name.name, out.local});
        if (s.b)
        {
          out.cond = lower_expr(*s.b, types().bool_type());
          expect_bool(out.cond, s.b->span);
        }
        break;
      }
      case StmtKind::Require:
      case StmtKind::Assert:
        out.op = s.kind == StmtKind::Require ? StmtOp::Require : StmtOp::Assert;
        out.cond = lower_expr(*s.a, types().bool_type());
        expect_bool(out.cond, s.a->span);
        out.message = s.message;
        break;
      case StmtKind::Let:
      {
        out.op = StmtOp::Let;
        out.value = lower_expr(*s.a, nullptr);
        out.local = new_local(s.name.name, type_of(out.value));
        d_scope.push_back({s.name.name, out.local});
        break;
      }
      case StmtKind::Send:
      {
        out.op = StmtOp::Send;
        out.target = lower_expr(*s.a, nullptr);
        check_place(out.target, s.a->span);
        const Type* nt = network_type(out.target, s.a->span);
        out.value = lower_expr(*s.b, nt->elem);
        coerce(out.value, nt->elem, s.b->span, "the message sent");
        break;
      }
      case StmtKind::Receive:
      {
        out.op = StmtOp::Receive;
        out.target = lower_expr(*s.a, nullptr);
        check_place(out.target, s.a->span);
        const Type* nt = network_type(out.target, s.a->span);
        out.local = new_local(s.name.name, nt->elem);
        d_scope.push_back({s.name.name, out.local});
        if (s.b)
        {
          out.cond = lower_expr(*s.b, types().bool_type());
          expect_bool(out.cond, s.b->span);
        }
        break;
      }
      case StmtKind::Skip:
      {
        // skip is an empty `if true {}`; keeps the IR small.
        out.op = StmtOp::If;
        Expr t = node(Op::Const, types().bool_type(), s.span);
        t.imm = 1;
        out.cond = add(t);
        out.then_block = lower_block({});
        out.else_block = out.then_block;
        break;
      }
    }
    return add_stmt(out);
  }

  // ------------------------------------------------------------------ expressions
  bool needs_context(const ast::Expr& e) const
  {
    return e.kind == ExprKind::SetLit || e.kind == ExprKind::SeqLit || e.kind == ExprKind::RecordLit ||
           e.kind == ExprKind::ArrayLit;
  }

  std::optional<LocalId> find_local(const std::string& name) const
  {
    for (auto it = d_scope.rbegin(); it != d_scope.rend(); ++it)
      if (it->first == name) return it->second;
    return std::nullopt;
  }

  void not_in_const(Span sp, const std::string& name)
  {
    if (d_const_context)
      fail(DiagCode::NotConstant, sp, "'" + name + "' is not a constant; a constant expression is required here");
  }

  ExprId lower_name(const ast::Expr& e)
  {
    const std::string& n = e.name.name;
    if (auto l = find_local(n))
    {
      not_in_const(e.span, n);
      Expr x = node(Op::Local, d_m.locals[*l].type, e.span);
      x.imm = *l;
      return add(x);
    }
    if (d_proc)
    {
      auto& pv = d_proc_vars[d_proc->name.name];
      auto it = pv.find(n);
      if (it != pv.end())
      {
        not_in_const(e.span, n);
        return proc_var_at(it->second, local_ref(d_self, e.span), e.span);
      }
    }
    auto it = d_globals.find(n);
    if (it == d_globals.end())
    {
      std::string hint;
      for (auto& [pname, vars] : d_proc_vars)
        if (vars.count(n))
          hint = " (the process variable '" + n + "' is written " + pname + "[i]." + n + " outside its process)";
      fail(DiagCode::UndefinedName, e.span, "undefined name '" + n + "'" + hint);
    }
    const Sym& s = it->second;
    switch (s.kind)
    {
      case SymKind::Const:
      case SymKind::EnumValue:
      {
        Expr x = node(Op::Const, s.type, e.span);
        x.imm = s.value;
        return add(x);
      }
      case SymKind::Tag:
      {
        const auto& v = s.type->variants[s.value];
        if (!v.fields.empty())
          fail(DiagCode::WrongArity, e.span,
               "message '" + n + "' has " + std::to_string(v.fields.size()) + " field(s): write " + n + "(...)");
        Expr x = node(Op::Ctor, s.type, e.span);
        x.imm = s.value;
        return add_args(x, {});
      }
      case SymKind::Var:
      {
        not_in_const(e.span, n);
        Expr x = node(Op::Var, s.type, e.span);
        x.imm = s.index;
        return add(x);
      }
      case SymKind::Def:
        return lower_call_def(s.index, e, {});
      case SymKind::Type:
        fail(DiagCode::MisplacedStatement, e.span,
             "'" + n + "' is a type, not a value" + std::string(" (all(") + n + ") is the set of all its values)");
      case SymKind::Process:
        fail(DiagCode::MisplacedStatement, e.span,
             "'" + n + "' is a process: write " + n + "[i].name for its variables");
    }
    fail(DiagCode::UndefinedName, e.span, "undefined name '" + n + "'");
  }

  ExprId local_ref(LocalId l, Span sp)
  {
    Expr x = node(Op::Local, d_m.locals[l].type, sp);
    x.imm = l;
    return add(x);
  }

  ExprId proc_var_at(uint32_t var, ExprId index, Span sp)
  {
    Expr v = node(Op::Var, d_m.vars[var].type, sp);
    v.imm = var;
    ExprId vid = add(v);
    Expr ix = node(Op::Index, d_m.vars[var].type->elem, sp);
    ix.a = vid;
    ix.b = index;
    return add(ix);
  }

  ExprId lower_call_def(uint32_t idx, const ast::Expr& e, const std::vector<const ast::Expr*>& args)
  {
    lower_def(idx, e.span);
    const Definition& def = d_m.defs[idx];
    if (def.params.size() != args.size())
      fail(DiagCode::WrongArity, e.span,
           "'" + def.name + "' takes " + std::to_string(def.params.size()) + " argument(s), given " +
               std::to_string(args.size()));
    std::vector<ExprId> ids;
    for (size_t i = 0; i < args.size(); ++i)
    {
      const Type* pt = d_m.locals[def.params[i]].type;
      ExprId a = lower_expr(*args[i], pt);
      coerce(a, pt, args[i]->span, "argument");
      ids.push_back(a);
    }
    Expr x = node(Op::Call, d_def_ret[idx], e.span);
    x.imm = idx;
    return add_args(x, ids);
  }

  const Type* type_arg(const ast::Expr& a)
  {
    if (a.kind == ExprKind::Name)
    {
      auto it = d_globals.find(a.name.name);
      if (it != d_globals.end() && it->second.kind == SymKind::Type) return it->second.type;
    }
    fail(DiagCode::TypeMismatch, a.span, "all(T) takes the name of a finite type");
  }

  ExprId lower_call(const ast::Expr& e, const Type* expected)
  {
    const std::string& n = e.name.name;
    std::vector<const ast::Expr*> args;
    for (auto& k : e.kids) args.push_back(k.get());
    auto it = d_globals.find(n);
    if (it != d_globals.end() && it->second.kind == SymKind::Def) return lower_call_def(it->second.index, e, args);
    if (it != d_globals.end() && it->second.kind == SymKind::Tag)
    {
      const Type* mt = it->second.type;
      const auto& v = mt->variants[it->second.value];
      if (v.fields.size() != args.size())
        fail(DiagCode::WrongArity, e.span,
             "message '" + n + "' has " + std::to_string(v.fields.size()) + " field(s), given " +
                 std::to_string(args.size()));
      std::vector<ExprId> ids;
      for (size_t i = 0; i < args.size(); ++i)
      {
        ExprId a = lower_expr(*args[i], v.fields[i].type);
        coerce(a, v.fields[i].type, args[i]->span, "message field '" + v.fields[i].name + "'");
        ids.push_back(a);
      }
      Expr x = node(Op::Ctor, mt, e.span);
      x.imm = it->second.value;
      return add_args(x, ids);
    }
    if (it != d_globals.end())
      fail(DiagCode::TypeMismatch, e.name.span,
           "'" + n + "' is a " + sym_kind_name(it->second.kind) + ", not a function");
    auto arity = [&](size_t k)
    {
      if (args.size() != k)
        fail(DiagCode::WrongArity, e.span,
             "'" + n + "' takes " + std::to_string(k) + " argument(s), given " + std::to_string(args.size()));
    };
    auto kind_of = [&](ExprId id, std::initializer_list<TypeKind> ks, const char* what, Span sp)
    {
      for (auto k : ks)
        if (type_of(id)->kind == k) return;
      fail(DiagCode::TypeMismatch, sp, "'" + n + "' needs " + what + ", found " + describe(type_of(id)));
    };
    if (n == "stable")
    {
      // stable(net): the stabilisation point of `fault gst(net)` has passed.
      // Specs use it to state their timing assumption (after GST, timeouts
      // are long enough); docs/faults.md "Timing after the stabilisation point".
      arity(1);
      const FaultDecl* gst = args[0]->kind == ExprKind::Name ? find_fault(FaultKind::Gst, args[0]->name.name) : nullptr;
      if (!gst)
        fail(DiagCode::UndefinedName, args[0]->span,
             "stable(...) takes a network with a stabilisation point: declare 'fault gst(" +
                 (args[0]->kind == ExprKind::Name ? args[0]->name.name : std::string("net")) + ")'");
      return not_(bin(Op::Lt, types().bool_type(), var_ref(d_m.faults[gst->index].used_var, e.span),
                      k_int(1, types().int_type(), e.span), e.span),
                  e.span);
    }
    if (n == "all")
    {
      arity(1);
      const Type* t = type_arg(*args[0]);
      check_limits(TypeKind::Set, t, t, 0, e.span);
      Expr x = node(Op::SetAll, types().set(t), e.span);
      x.dom = t;
      return add(x);
    }
    if (n == "size" || n == "len" || n == "head" || n == "tail" || n == "abs")
    {
      arity(1);
      ExprId a = lower_expr(*args[0], nullptr);
      Op op = n == "size" ? Op::Size : n == "len" ? Op::Len : n == "head" ? Op::Head : n == "tail" ? Op::Tail : Op::Abs;
      const Type* rt = types().int_type();
      if (op == Op::Size)
        kind_of(a, {TypeKind::Set, TypeKind::Bag}, "a set or a bag", args[0]->span);
      else if (op == Op::Abs)
        expect_int(a, args[0]->span);
      else
      {
        kind_of(a, {TypeKind::Seq}, "a sequence", args[0]->span);
        if (op == Op::Head) rt = type_of(a)->elem;
        if (op == Op::Tail) rt = type_of(a);
      }
      Expr x = node(op, rt, e.span);
      x.a = a;
      return add(x);
    }
    if (n == "append" || n == "count")
    {
      arity(2);
      ExprId a = lower_expr(*args[0], n == "append" ? expected : nullptr);
      kind_of(a, {n == "append" ? TypeKind::Seq : TypeKind::Bag}, n == "append" ? "a sequence" : "a bag",
              args[0]->span);
      ExprId b = lower_expr(*args[1], type_of(a)->elem);
      coerce(b, type_of(a)->elem, args[1]->span, "element");
      Expr x = node(n == "append" ? Op::Append : Op::BagCount, n == "append" ? type_of(a) : types().int_type(), e.span);
      x.a = a;
      x.b = b;
      return add(x);
    }
    if ((n == "min" || n == "max") && args.size() == 1)
    {
      // min(S) / max(S): the least / greatest element of a set of integers.
      ExprId a = lower_expr(*args[0], nullptr);
      kind_of(a, {TypeKind::Set}, "a set of integers (or two integers)", args[0]->span);
      if (!type_of(a)->elem->is_intlike())
        fail(DiagCode::TypeMismatch, args[0]->span,
             "'" + n + "' needs a set of integers, found " + describe(type_of(a)));
      Expr x = node(n == "min" ? Op::SetMin : Op::SetMax, type_of(a)->elem, e.span);
      x.a = a;
      return add(x);
    }
    if (n == "min" || n == "max")
    {
      arity(2);
      ExprId a = lower_expr(*args[0], nullptr);
      ExprId b = lower_expr(*args[1], nullptr);
      expect_int(a, args[0]->span);
      expect_int(b, args[1]->span);
      Expr x = node(n == "min" ? Op::Min : Op::Max, types().int_type(), e.span);
      x.a = a;
      x.b = b;
      return add(x);
    }
    fail(DiagCode::UndefinedName, e.name.span, "unknown function '" + n + "'");
  }

  // Binds the names of a binder one at a time, calling `body` innermost.
  struct BoundDomain
  {
    const Type* dom = nullptr;  // over a type
    ExprId set = kNone;         // or over a set
    const Type* elem = nullptr;
  };

  BoundDomain lower_domain(const Binder& b)
  {
    BoundDomain d;
    if (b.type)
    {
      d.dom = resolve_type(*b.type);
      check_enumerable(d.dom, b.type->span, "a quantifier's domain");
      d.elem = d.dom;
    }
    else
    {
      d.set = lower_expr(*b.set, nullptr);
      if (type_of(d.set)->kind != TypeKind::Set)
        fail(DiagCode::TypeMismatch, b.set->span, "expected a set to range over, found " + describe(type_of(d.set)));
      d.elem = type_of(d.set)->elem;
    }
    return d;
  }

  ExprId lower_quant(const ast::Expr& e, size_t name_index, const BoundDomain& dom)
  {
    const Binder& b = *e.binder;
    Op op = e.quant == QuantKind::Forall   ? Op::Forall
            : e.quant == QuantKind::Exists ? Op::Exists
            : e.quant == QuantKind::Sum    ? Op::Sum
                                           : Op::CountQ;
    // `count x, y: T . p` counts pairs: sums over x the count over y.
    if (op == Op::CountQ && name_index + 1 < b.names.size()) op = Op::Sum;
    LocalId l = new_local(b.names[name_index].name, dom.elem);
    size_t mark = d_scope.size();
    d_scope.push_back({b.names[name_index].name, l});
    ExprId body;
    if (name_index + 1 < b.names.size())
    {
      // `forall x, y: T` is `forall x: T . forall y: T`; `sum x, y` sums over pairs.
      // The set is lowered once, in the enclosing scope, and shared (lowering
      // it again per name took exponential time in nested binders).
      body = lower_quant(e, name_index + 1, dom);
    }
    else
    {
      body = lower_expr(*e.kids[0], op == Op::Sum ? nullptr : types().bool_type());
      if (op == Op::Sum)
        expect_int(body, e.kids[0]->span);
      else
        expect_bool(body, e.kids[0]->span);
    }
    d_scope.resize(mark);
    Expr x = node(op, (op == Op::Sum || op == Op::CountQ) ? types().int_type() : types().bool_type(), e.span);
    x.imm = l;
    x.dom = dom.dom;
    x.a = dom.set;
    x.b = body;
    return add(x);
  }

  // Lowers the operands of a comparison or set operation so that a literal
  // takes its type from the other side; two non-empty set literals of
  // integers get the smallest range holding both ({0, 1} union {1, 2}).
  std::pair<ExprId, ExprId> lower_pair(const ast::Expr& L, const ast::Expr& R, const Type* expected = nullptr)
  {
    // A set operation whose result has a known type gives it to literal operands.
    if (expected && expected->kind == TypeKind::Set && needs_context(L) && needs_context(R))
      return {lower_expr(L, expected), lower_expr(R, expected)};
    auto nonempty_set_lit = [](const ast::Expr& e) { return e.kind == ExprKind::SetLit && !e.kids.empty(); };
    if (nonempty_set_lit(L) && nonempty_set_lit(R))
    {
      ExprId a = lower_expr(L, nullptr);
      ExprId b = lower_expr(R, nullptr);
      const Type* ea = type_of(a)->elem;
      const Type* eb = type_of(b)->elem;
      if (ea != eb && ea->kind == TypeKind::Range && eb->kind == TypeKind::Range)
      {
        int64_t lo = std::min(ea->lo, eb->lo), hi = std::max(ea->hi, eb->hi);
        if (static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) >= TypeTable::kMaxIndexCard)
          fail(DiagCode::StateTooLarge, Span{L.span.file, L.span.begin, R.span.end},
               "the set literals' integers span more than 65536 values");
        const Type* joined = types().set(types().range(lo, hi));
        return {lower_expr(L, joined), lower_expr(R, joined)};
      }
      return {a, b};
    }
    if (needs_context(L) && !needs_context(R))
    {
      ExprId b = lower_expr(R, nullptr);
      return {lower_expr(L, type_of(b)), b};
    }
    ExprId a = lower_expr(L, nullptr);
    return {a, lower_expr(R, type_of(a))};
  }

  ExprId lower_binary(const ast::Expr& e, const Type* expected)
  {
    const ast::Expr& L = *e.kids[0];
    const ast::Expr& R = *e.kids[1];
    auto mk = [&](Op op, const Type* t, ExprId a, ExprId b)
    {
      Expr x = node(op, t, e.span);
      x.a = a;
      x.b = b;
      return add(x);
    };
    switch (e.binop)
    {
      case BinOp::Add:
      case BinOp::Sub:
      case BinOp::Mul:
      case BinOp::Div:
      case BinOp::Mod:
      {
        ExprId a = lower_expr(L, nullptr), b = lower_expr(R, nullptr);
        expect_int(a, L.span);
        expect_int(b, R.span);
        static const Op kOps[] = {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Mod};
        return mk(kOps[static_cast<int>(e.binop)], types().int_type(), a, b);
      }
      case BinOp::Lt:
      case BinOp::Le:
      case BinOp::Gt:
      case BinOp::Ge:
      {
        ExprId a = lower_expr(L, nullptr), b = lower_expr(R, nullptr);
        expect_int(a, L.span);
        expect_int(b, R.span);
        Op op = e.binop == BinOp::Lt ? Op::Lt : e.binop == BinOp::Le ? Op::Le : e.binop == BinOp::Gt ? Op::Gt : Op::Ge;
        return mk(op, types().bool_type(), a, b);
      }
      case BinOp::And:
      case BinOp::Or:
      case BinOp::Implies:
      {
        ExprId a = lower_expr(L, types().bool_type()), b = lower_expr(R, types().bool_type());
        expect_bool(a, L.span);
        expect_bool(b, R.span);
        Op op = e.binop == BinOp::And ? Op::And : e.binop == BinOp::Or ? Op::Or : Op::Implies;
        return mk(op, types().bool_type(), a, b);
      }
      case BinOp::Eq:
      case BinOp::Ne:
      {
        auto [a, b] = lower_pair(L, R);
        const Type* ta = type_of(a);
        const Type* tb = type_of(b);
        if (!compatible(ta, tb) && !compatible(tb, ta))
          fail(DiagCode::TypeMismatch, e.span,
               "cannot compare a value of type " + describe(ta) + " with one of type " + describe(tb));
        return mk(e.binop == BinOp::Eq ? Op::Eq : Op::Ne, types().bool_type(), a, b);
      }
      case BinOp::In:
      {
        ExprId a = lower_expr(L, nullptr);
        const Type* ta = type_of(a);
        if (R.kind == ExprKind::SetLit && (ta->is_scalar() || ta->card > TypeTable::kMaxIndexCard))
        {
          // `x in {a, b}` on scalars is `x == a || x == b`: no set type to infer
          // (nor one too large to encode, for a big record or message).
          ExprId acc = kNone;
          for (auto& k : R.kids)
          {
            ExprId v = lower_expr(*k, ta);
            if (!compatible(type_of(v), ta))
              fail(DiagCode::TypeMismatch, k->span,
                   "cannot compare a value of type " + describe(ta) + " with one of type " + describe(type_of(v)));
            ExprId eq = mk(Op::Eq, types().bool_type(), a, v);
            acc = acc == kNone ? eq : mk(Op::Or, types().bool_type(), acc, eq);
          }
          if (acc == kNone)
          {
            Expr f = node(Op::Const, types().bool_type(), e.span);
            return add(f);
          }
          return acc;
        }
        const Type* exp =
            (ta->is_finite() && ta->card <= TypeTable::kMaxIndexCard && needs_context(R)) ? types().set(ta) : nullptr;
        ExprId b = lower_expr(R, exp);
        const Type* tb = type_of(b);
        if (tb->kind != TypeKind::Set && tb->kind != TypeKind::Bag && tb->kind != TypeKind::Seq)
          fail(DiagCode::TypeMismatch, R.span, "'in' needs a set, bag or sequence on its right, found " + describe(tb));
        if (!compatible(ta, tb->elem))
          fail(DiagCode::TypeMismatch, L.span,
               "an element of type " + describe(ta) + " cannot be in a collection of " + describe(tb->elem));
        return mk(Op::In, types().bool_type(), a, b);
      }
      case BinOp::Union:
      case BinOp::Intersect:
      case BinOp::Minus:
      {
        auto [a, b] = lower_pair(L, R, expected);
        if (type_of(a)->kind != TypeKind::Set)
          fail(DiagCode::TypeMismatch, L.span, "expected a set, found " + describe(type_of(a)));
        if (type_of(a) != type_of(b))
          fail(DiagCode::TypeMismatch, e.span,
               "set operands have different types " + describe(type_of(a)) + " and " + describe(type_of(b)));
        Op op = e.binop == BinOp::Union ? Op::Union : e.binop == BinOp::Intersect ? Op::Intersect : Op::Minus;
        return mk(op, type_of(a), a, b);
      }
    }
    fail(DiagCode::TypeMismatch, e.span, "unsupported operator");
  }

  [[noreturn]] void need_context(const ast::Expr& e, const char* what)
  {
    fail(DiagCode::CannotInferType, e.span,
         std::string("cannot infer the type of this ") + what +
             "; use it where a type is known (an assignment, a comparison with a typed value, a definition's result)");
  }

  ExprId lower_expr(const ast::Expr& e, const Type* expected)
  {
    struct DepthGuard
    {
      uint32_t& d;
      ~DepthGuard() { --d; }
    } depth_guard{++d_lower_depth};
    if (d_lower_depth > kMaxExprDepth)
      fail(DiagCode::NestingTooDeep, e.span,
           "expression nested deeper than " + std::to_string(kMaxExprDepth) +
               " levels (counting the definitions it uses)");
    switch (e.kind)
    {
      case ExprKind::IntLit:
      {
        Expr x = node(Op::Const, types().int_type(), e.span);
        x.imm = e.int_value;
        return add(x);
      }
      case ExprKind::BoolLit:
      {
        Expr x = node(Op::Const, types().bool_type(), e.span);
        x.imm = e.int_value;
        return add(x);
      }
      case ExprKind::Name:
        return lower_name(e);
      case ExprKind::Call:
        return lower_call(e, expected);
      case ExprKind::Unary:
      {
        bool neg = e.unop == UnOp::Neg;
        ExprId a = lower_expr(*e.kids[0], neg ? nullptr : types().bool_type());
        if (neg)
          expect_int(a, e.kids[0]->span);
        else
          expect_bool(a, e.kids[0]->span);
        Expr x = node(neg ? Op::Neg : Op::Not, neg ? types().int_type() : types().bool_type(), e.span);
        x.a = a;
        return add(x);
      }
      case ExprKind::Binary:
        return lower_binary(e, expected);
      case ExprKind::Ite:
      {
        ExprId c = lower_expr(*e.kids[0], types().bool_type());
        expect_bool(c, e.kids[0]->span);
        ExprId a = lower_expr(*e.kids[1], expected);
        ExprId b = lower_expr(*e.kids[2], expected ? expected : type_of(a));
        const Type* ta = type_of(a);
        const Type* tb = type_of(b);
        const Type* t;
        if (ta == tb)
          t = ta;
        else if (ta->is_intlike() && tb->is_intlike())
          t = types().int_type();
        else
          fail(DiagCode::TypeMismatch, e.span,
               "the branches have different types " + describe(ta) + " and " + describe(tb));
        Expr x = node(Op::Ite, t, e.span);
        x.a = c;
        x.b = a;
        x.c = b;
        return add(x);
      }
      case ExprKind::Quant:
      {
        not_in_const(e.span, "a quantifier");
        return lower_quant(e, 0, lower_domain(*e.binder));
      }
      case ExprKind::Temporal:
        fail(DiagCode::TemporalMisplaced, e.span,
             "a temporal operator is allowed only in a property, combined with !, &&, ||, =>, ~> and quantifiers "
             "over types (not inside other expressions, invariants or actions)");
      case ExprKind::Field:
        return lower_field(e);
      case ExprKind::Index:
      {
        ExprId base = lower_expr(*e.kids[0], nullptr);
        const Type* bt = type_of(base);
        Expr x;
        if (bt->kind == TypeKind::Array)
        {
          ExprId ix = lower_expr(*e.kids[1], bt->key);
          if (!compatible(type_of(ix), bt->key))
            fail(DiagCode::TypeMismatch, e.kids[1]->span,
                 "the index has type " + describe(type_of(ix)) + " but the array is indexed by " + describe(bt->key));
          x = node(Op::Index, bt->elem, e.span);
          x.a = base;
          x.b = ix;
        }
        else if (bt->kind == TypeKind::Seq)
        {
          ExprId ix = lower_expr(*e.kids[1], nullptr);
          expect_int(ix, e.kids[1]->span);
          x = node(Op::Index, bt->elem, e.span);
          x.a = base;
          x.b = ix;
        }
        else
          fail(DiagCode::TypeMismatch, e.kids[0]->span,
               "only arrays and sequences can be indexed; this has type " + describe(bt));
        return add(x);
      }
      case ExprKind::IsTag:
      {
        ExprId base = lower_expr(*e.kids[0], nullptr);
        const Type* bt = type_of(base);
        if (bt->kind != TypeKind::Message)
          fail(DiagCode::NotAMessage, e.kids[0]->span, "'is' tests a message's tag; this has type " + describe(bt));
        int vi = bt->variant_index(e.name.name);
        if (vi < 0)
          fail(DiagCode::UnknownField, e.name.span,
               "message type " + describe(bt) + " has no tag '" + e.name.name + "'");
        Expr x = node(Op::IsTag, types().bool_type(), e.span);
        x.a = base;
        x.imm = vi;
        return add(x);
      }
      case ExprKind::RecordLit:
      {
        if (!expected) need_context(e, "record literal");
        if (expected->kind != TypeKind::Record)
          fail(DiagCode::TypeMismatch, e.span,
               "a record literal where a value of type " + describe(expected) + " is expected");
        std::vector<ExprId> vals(expected->fields.size(), kNone);
        for (size_t i = 0; i < e.names.size(); ++i)
        {
          int fi = expected->field_index(e.names[i].name);
          if (fi < 0)
            fail(DiagCode::UnknownField, e.names[i].span,
                 "type " + describe(expected) + " has no field '" + e.names[i].name + "'");
          if (vals[fi] != kNone)
            fail(DiagCode::DuplicateName, e.names[i].span, "field '" + e.names[i].name + "' given twice");
          const Type* ft = expected->fields[fi].type;
          vals[fi] = lower_expr(*e.kids[i], ft);
          coerce(vals[fi], ft, e.kids[i]->span, "record field");
        }
        for (size_t i = 0; i < vals.size(); ++i)
          if (vals[i] == kNone)
            fail(DiagCode::TypeMismatch, e.span,
                 "the record literal is missing field '" + expected->fields[i].name + "'");
        return add_args(node(Op::RecordLit, expected, e.span), vals);
      }
      case ExprKind::RecordWith:
      {
        ExprId base = lower_expr(*e.kids[0], expected);
        const Type* bt = type_of(base);
        if (bt->kind != TypeKind::Record)
          fail(DiagCode::TypeMismatch, e.kids[0]->span,
               "'with { ... }' updates a record; this has type " + describe(bt));
        for (size_t i = 0; i < e.names.size(); ++i)
        {
          int fi = bt->field_index(e.names[i].name);
          if (fi < 0)
            fail(DiagCode::UnknownField, e.names[i].span,
                 "type " + describe(bt) + " has no field '" + e.names[i].name + "'");
          const Type* ft = bt->fields[fi].type;
          ExprId v = lower_expr(*e.kids[i + 1], ft);
          coerce(v, ft, e.kids[i + 1]->span, "record field");
          Expr x = node(Op::RecordWith, bt, e.span);
          x.a = base;
          x.imm = fi;
          x.b = v;
          base = add(x);
        }
        return base;
      }
      case ExprKind::ArrayWith:
      {
        ExprId base = lower_expr(*e.kids[0], expected);
        const Type* bt = type_of(base);
        if (bt->kind != TypeKind::Array)
          fail(DiagCode::TypeMismatch, e.kids[0]->span,
               "'with [i] = e' updates an array; this has type " + describe(bt));
        ExprId ix = lower_expr(*e.kids[1], bt->key);
        if (!compatible(type_of(ix), bt->key))
          fail(DiagCode::TypeMismatch, e.kids[1]->span,
               "the index has type " + describe(type_of(ix)) + " but the array is indexed by " + describe(bt->key));
        ExprId v = lower_expr(*e.kids[2], bt->elem);
        coerce(v, bt->elem, e.kids[2]->span, "array element");
        Expr x = node(Op::ArrayWith, bt, e.span);
        x.a = base;
        x.b = ix;
        x.c = v;
        return add(x);
      }
      case ExprKind::ArrayLit:
      {
        if (!expected) need_context(e, "array literal");
        if (expected->kind != TypeKind::Array)
          fail(DiagCode::TypeMismatch, e.span,
               "an array literal where a value of type " + describe(expected) + " is expected");
        Expr x = node(Op::ArrayConst, expected, e.span);
        x.imm = kNone;
        size_t mark = d_scope.size();
        if (e.binder)
        {
          const Type* kt = resolve_type(*e.binder->type);
          if (kt != expected->key)
            fail(DiagCode::TypeMismatch, e.binder->type->span,
                 "the array is indexed by " + describe(expected->key) + ", not " + describe(kt));
          LocalId l = new_local(e.binder->names[0].name, kt);
          d_scope.push_back({e.binder->names[0].name, l});
          x.imm = l;
        }
        x.b = lower_expr(*e.kids[0], expected->elem);
        coerce(x.b, expected->elem, e.kids[0]->span, "array element");
        d_scope.resize(mark);
        return add(x);
      }
      case ExprKind::SetLit:
      {
        const Type* st = expected;
        if (st && st->kind != TypeKind::Set && st->kind != TypeKind::Bag)
          fail(DiagCode::TypeMismatch, e.span, "a set literal where a value of type " + describe(st) + " is expected");
        std::vector<ExprId> elems;
        if (!st)
        {
          if (e.kids.empty()) need_context(e, "empty set");
          // Infer from the elements: a finite element type, or the span of
          // constant integers.
          for (auto& k : e.kids) elems.push_back(lower_expr(*k, nullptr));
          const Type* et = type_of(elems[0]);
          if (et->kind == TypeKind::Int)
          {
            int64_t lo = INT64_MAX, hi = INT64_MIN;
            for (size_t i = 0; i < elems.size(); ++i)
            {
              expect_int(elems[i], e.kids[i]->span);
              auto v = fold(elems[i]);
              if (!v) need_context(e, "set literal (its integer elements are not constants)");
              lo = std::min(lo, *v);
              hi = std::max(hi, *v);
            }
            if (static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) >= TypeTable::kMaxIndexCard)
              fail(DiagCode::StateTooLarge, e.span, "the set literal's integers span more than 65536 values");
            et = types().range(lo, hi);
          }
          check_limits(TypeKind::Set, et, et, 0, e.span);
          st = types().set(et);
          for (size_t i = 0; i < elems.size(); ++i) coerce(elems[i], et, e.kids[i]->span, "set element");
        }
        else
        {
          for (auto& k : e.kids)
          {
            ExprId v = lower_expr(*k, st->elem);
            coerce(v, st->elem, k->span, "set element");
            elems.push_back(v);
          }
        }
        return add_args(node(Op::SetLit, st, e.span), elems);
      }
      case ExprKind::SetComp:
      {
        not_in_const(e.span, "a set comprehension");
        BoundDomain dom = lower_domain(*e.binder);
        check_limits(TypeKind::Set, dom.elem, dom.elem, 0, e.span);
        LocalId l = new_local(e.binder->names[0].name, dom.elem);
        size_t mark = d_scope.size();
        d_scope.push_back({e.binder->names[0].name, l});
        ExprId p = lower_expr(*e.kids[0], types().bool_type());
        expect_bool(p, e.kids[0]->span);
        d_scope.resize(mark);
        Expr x = node(Op::SetComp, types().set(dom.elem), e.span);
        x.imm = l;
        x.dom = dom.dom;
        x.a = dom.set;
        x.b = p;
        return add(x);
      }
      case ExprKind::SeqLit:
      {
        if (!expected) need_context(e, "sequence literal");
        if (expected->kind != TypeKind::Seq)
          fail(DiagCode::TypeMismatch, e.span,
               "a sequence literal where a value of type " + describe(expected) + " is expected");
        if (e.kids.size() > expected->capacity)
          fail(DiagCode::TypeMismatch, e.span,
               "the sequence literal has " + std::to_string(e.kids.size()) + " elements but " + describe(expected) +
                   " holds at most " + std::to_string(expected->capacity));
        std::vector<ExprId> elems;
        for (auto& k : e.kids)
        {
          ExprId v = lower_expr(*k, expected->elem);
          coerce(v, expected->elem, k->span, "sequence element");
          elems.push_back(v);
        }
        return add_args(node(Op::SeqLit, expected, e.span), elems);
      }
    }
    fail(DiagCode::TypeMismatch, e.span, "unsupported expression");
  }

  ExprId lower_field(const ast::Expr& e)
  {
    const ast::Expr& base_ast = *e.kids[0];
    // P[i].v names process P's variable v at identity i.
    if (base_ast.kind == ExprKind::Index && base_ast.kids[0]->kind == ExprKind::Name &&
        !find_local(base_ast.kids[0]->name.name))
    {
      auto it = d_globals.find(base_ast.kids[0]->name.name);
      if (it != d_globals.end() && it->second.kind == SymKind::Process)
      {
        not_in_const(e.span, e.name.name);
        auto& pv = d_proc_vars[it->first];
        auto vit = pv.find(e.name.name);
        if (vit == pv.end())
          fail(DiagCode::UnknownField, e.name.span,
               "process '" + it->first + "' has no variable '" + e.name.name + "'");
        ExprId ix = lower_expr(*base_ast.kids[1], it->second.type);
        if (!compatible(type_of(ix), it->second.type))
          fail(DiagCode::TypeMismatch, base_ast.kids[1]->span,
               "process '" + it->first + "' is indexed by " + describe(it->second.type));
        return proc_var_at(vit->second, ix, e.span);
      }
    }
    ExprId base = lower_expr(base_ast, nullptr);
    const Type* bt = type_of(base);
    if (bt->kind == TypeKind::Record)
    {
      int fi = bt->field_index(e.name.name);
      if (fi < 0)
        fail(DiagCode::UnknownField, e.name.span, "type " + describe(bt) + " has no field '" + e.name.name + "'");
      Expr x = node(Op::Field, bt->fields[fi].type, e.span);
      x.a = base;
      x.imm = fi;
      return add(x);
    }
    if (bt->kind == TypeKind::Message)
    {
      // The field may exist in several variants (with the same type); the
      // evaluator picks the one of the message's actual tag.
      const Type* ft = nullptr;
      int first = -1;
      for (size_t vi = 0; vi < bt->variants.size(); ++vi)
        for (size_t fi = 0; fi < bt->variants[vi].fields.size(); ++fi)
          if (bt->variants[vi].fields[fi].name == e.name.name)
          {
            if (ft && ft != bt->variants[vi].fields[fi].type)
              fail(DiagCode::TypeMismatch, e.name.span,
                   "field '" + e.name.name + "' has different types in different tags of " + describe(bt));
            ft = bt->variants[vi].fields[fi].type;
            if (first < 0) first = static_cast<int>(vi);
          }
      if (!ft)
        fail(DiagCode::UnknownField, e.name.span,
             "no tag of message type " + describe(bt) + " has a field '" + e.name.name + "'");
      Expr x = node(Op::VField, ft, e.span);
      x.a = base;
      x.imm = first;
      // imm2 indexes a table giving, per tag, the field's index (or -1).
      std::vector<int> table;
      for (auto& v : bt->variants)
      {
        int idx = -1;
        for (size_t fi = 0; fi < v.fields.size(); ++fi)
          if (v.fields[fi].name == e.name.name) idx = static_cast<int>(fi);
        table.push_back(idx);
      }
      d_m.vfield_tables.push_back(std::move(table));
      x.imm2 = static_cast<int64_t>(d_m.vfield_tables.size() - 1);
      return add(x);
    }
    fail(DiagCode::TypeMismatch, base_ast.span, "a value of type " + describe(bt) + " has no fields");
  }

  void check_expectation()
  {
    if (!d_m.expectation || d_m.expectation->verdict != "violated") return;
    static const std::set<std::string> kKinds = {"assert",   "out-of-range", "division-by-zero",    "overflow",
                                                 "capacity", "wrong-tag",    "index-out-of-bounds", "empty-sequence",
                                                 "deadlock"};
    const std::string& p = d_m.expectation->property;
    if (kKinds.count(p)) return;
    for (auto& inv : d_m.invariants)
      if (inv.name == p) return;
    for (auto& prop : d_m.properties)
      if (prop.name == p) return;
    fail(DiagCode::UndefinedName, d_m.expectation->span,
         "'" + p +
             "' is neither an invariant or property of this spec nor a violation kind (assert, out-of-range, "
             "capacity, ...)");
  }

  // ================================================================ temporal
  //
  // `property NAME: F` becomes a TemporalProperty: a tree whose leaves are
  // state predicates (lowered as ordinary boolean expressions) and whose
  // inner nodes are the temporal operators and the boolean connectives
  // between temporal formulas. A quantifier whose body is temporal is
  // expanded over its (finite) type: one copy of the body per value.
  // `fair` declarations are resolved here too, after the fault actions exist.

  static bool has_temporal(const ast::Expr& e)
  {
    if (e.kind == ExprKind::Temporal) return true;
    for (auto& k : e.kids)
      if (k && has_temporal(*k)) return true;
    return false;
  }

  int temporal_node(TemporalProperty& tp, TemporalOp op, Span sp, int a = -1, int b = -1)
  {
    TemporalNode n;
    n.op = op;
    n.a = a;
    n.b = b;
    n.span = sp;
    tp.nodes.push_back(std::move(n));
    return static_cast<int>(tp.nodes.size() - 1);
  }

  int lower_temporal(const ast::Expr& e, TemporalProperty& tp, std::vector<std::pair<LocalId, uint64_t>>& binds)
  {
    if (tp.nodes.size() > 100000)
      fail(DiagCode::StateTooLarge, e.span, "the property is too large once its quantifiers are expanded");
    if (!has_temporal(e))
    {
      ExprId x = lower_expr(e, types().bool_type());
      expect_bool(x, e.span);
      int n = temporal_node(tp, TemporalOp::Pred, e.span);
      tp.nodes[n].pred = x;
      tp.nodes[n].bindings = binds;
      return n;
    }
    switch (e.kind)
    {
      case ExprKind::Temporal:
      {
        static const TemporalOp kOps[] = {TemporalOp::Always, TemporalOp::Eventually, TemporalOp::Until,
                                          TemporalOp::LeadsTo};
        TemporalOp op = kOps[static_cast<int>(e.temporal)];
        int a = lower_temporal(*e.kids[0], tp, binds);
        int b = e.kids.size() > 1 ? lower_temporal(*e.kids[1], tp, binds) : -1;
        return temporal_node(tp, op, e.span, a, b);
      }
      case ExprKind::Unary:
        if (e.unop == UnOp::Not)
          return temporal_node(tp, TemporalOp::Not, e.span, lower_temporal(*e.kids[0], tp, binds));
        break;
      case ExprKind::Binary:
        if (e.binop == BinOp::And || e.binop == BinOp::Or || e.binop == BinOp::Implies)
        {
          TemporalOp op = e.binop == BinOp::And  ? TemporalOp::And
                          : e.binop == BinOp::Or ? TemporalOp::Or
                                                 : TemporalOp::Implies;
          int a = lower_temporal(*e.kids[0], tp, binds);
          int b = lower_temporal(*e.kids[1], tp, binds);
          return temporal_node(tp, op, e.span, a, b);
        }
        break;
      case ExprKind::Quant:
        if (e.quant == QuantKind::Forall || e.quant == QuantKind::Exists) return lower_temporal_quant(e, 0, tp, binds);
        break;
      default:
        break;
    }
    fail(DiagCode::TemporalMisplaced, e.span,
         "a temporal formula can be combined only with !, &&, ||, =>, ~> and forall/exists over a type");
  }

  int lower_temporal_quant(const ast::Expr& e, size_t name_index, TemporalProperty& tp,
                           std::vector<std::pair<LocalId, uint64_t>>& binds)
  {
    const Binder& b = *e.binder;
    if (!b.type)
      fail(DiagCode::TemporalMisplaced, b.set->span,
           "a quantifier around a temporal formula must range over a type (`forall i: Node . ...`), not a set");
    const Type* dom = resolve_type(*b.type);
    check_enumerable(dom, b.type->span, "a quantifier's domain");
    if (dom->card > 4096)
      fail(DiagCode::StateTooLarge, b.type->span,
           "a quantifier around a temporal formula ranges over at most 4096 values, this one over " +
               std::to_string(dom->card));
    LocalId l = new_local(b.names[name_index].name, dom);
    size_t mark = d_scope.size();
    d_scope.push_back({b.names[name_index].name, l});
    TemporalOp join_op = e.quant == QuantKind::Forall ? TemporalOp::And : TemporalOp::Or;
    int acc = -1;
    for (uint64_t k = 0; k < dom->card; ++k)
    {
      binds.push_back({l, k});
      int body = name_index + 1 < b.names.size() ? lower_temporal_quant(e, name_index + 1, tp, binds)
                                                 : lower_temporal(*e.kids[0], tp, binds);
      binds.pop_back();
      acc = acc < 0 ? body : temporal_node(tp, join_op, e.span, acc, body);
    }
    d_scope.resize(mark);
    if (acc < 0)
    {
      // An empty domain: forall is true, exists is false.
      Expr c = node(Op::Const, types().bool_type(), e.span);
      c.imm = e.quant == QuantKind::Forall ? 1 : 0;
      acc = temporal_node(tp, TemporalOp::Pred, e.span);
      tp.nodes[acc].pred = add(c);
    }
    return acc;
  }

  void lower_temporal_properties()
  {
    for (auto& dp : d_spec.decls)
    {
      const Decl& d = *dp;
      if (d.kind == DeclKind::Property)
      {
        for (auto& p : d_m.invariants)
          if (p.name == d.name.name) fail(DiagCode::DuplicateName, d.name.span, "duplicate name '" + d.name.name + "'");
        for (auto& p : d_m.properties)
          if (p.name == d.name.name) fail(DiagCode::DuplicateName, d.name.span, "duplicate name '" + d.name.name + "'");
        TemporalProperty tp;
        tp.name = d.name.name;
        tp.span = d.span;
        std::vector<std::pair<LocalId, uint64_t>> binds;
        tp.root = lower_temporal(*d.value, tp, binds);
        d_m.properties.push_back(std::move(tp));
      }
      else if (d.kind == DeclKind::Fair)
        lower_fairness(d);
    }
  }

  void lower_fairness(const Decl& d)
  {
    Fairness f;
    f.strong = d.modifier.name == "strong";
    f.text = d.modifier.name + " " + d.target.name;
    f.span = d.span;
    const std::string& t = d.target.name;
    size_t dot = t.find('.');
    std::string process = dot == std::string::npos ? "" : t.substr(0, dot);
    std::string action = dot == std::string::npos ? t : t.substr(dot + 1);
    bool is_process = false;
    if (dot == std::string::npos)
      for (auto& p : d_m.processes)
        if (p.name == t) is_process = true;
    if (is_process)
    {
      process = t;
      action.clear();
    }
    for (uint32_t i = 0; i < d_m.actions.size(); ++i)
    {
      const Action& a = d_m.actions[i];
      if (a.is_fault || a.process != process) continue;
      if (!action.empty() && a.name != action) continue;
      f.actions.push_back(i);
    }
    f.per_instance = !process.empty();
    if (f.actions.empty())
      fail(DiagCode::UndefinedName, d.target.span,
           "'" + t + "' names no action of this spec (write an action, a process, or process.action)");
    if (d_opts.no_fairness) return;
    d_m.fairness.push_back(std::move(f));
  }

  // ================================================================== faults
  //
  // Fault declarations are lowered into ordinary Model pieces, so every engine
  // explores them with no fault-specific code: a budget is a state variable
  // counting uses, a fault is an action flagged is_fault, and a faulty process
  // is a per-process flag that guards its honest actions.

  enum class FaultKind
  {
    Crash,
    Restart,
    Byzantine,
    Partition,
    Drop,
    Duplicate,
    Reorder,
    Stale,
    Deviate,
    Correlated,
    Gst,
    Delay,
  };

  struct FaultDecl
  {
    FaultKind kind;
    std::string kind_name;
    std::string target;
    int64_t budget = 0;
    int64_t bound = 0;
    bool amnesia = false;
    std::string modifier;
    uint32_t index = 0;  // into d_m.faults
    uint32_t target_var = 0;
    uint32_t held_var = 0;  // delay: the messages held back, per steps left
    Span span;
  };

  // `by D` of a delay: each protocol action carries one statement per step left.
  static constexpr int64_t kMaxDelaySteps = 64;

  static std::optional<FaultKind> fault_kind(const std::string& k)
  {
    static const std::map<std::string, FaultKind> kKinds = {
        {"crash", FaultKind::Crash},           {"restart", FaultKind::Restart}, {"byzantine", FaultKind::Byzantine},
        {"partition", FaultKind::Partition},   {"drop", FaultKind::Drop},       {"duplicate", FaultKind::Duplicate},
        {"reorder", FaultKind::Reorder},       {"stale", FaultKind::Stale},     {"deviate", FaultKind::Deviate},
        {"correlated", FaultKind::Correlated}, {"gst", FaultKind::Gst},         {"delay", FaultKind::Delay}};
    auto it = kKinds.find(k);
    if (it == kKinds.end()) return std::nullopt;
    return it->second;
  }

  uint32_t fault_state_var(const std::string& name, const std::string& process, const Type* t, Span sp)
  {
    uint32_t idx = declare_var(name, process, t, sp, nullptr);
    d_m.vars[idx].is_fault_state = true;
    return idx;
  }

  // A per-process flag (crashed, byzantine, side) shared by the faults that need it.
  uint32_t process_flag(const std::string& proc, const std::string& flag, Span sp)
  {
    auto& pv = d_proc_vars[proc];
    auto it = pv.find(flag);
    if (it != pv.end())
    {
      if (!d_m.vars[it->second].is_fault_state)
        fail(DiagCode::DuplicateName, sp,
             "process '" + proc + "' already has a variable '" + flag + "', which this fault needs for itself");
      return it->second;
    }
    const Type* id = d_globals[proc].type;
    uint32_t idx = fault_state_var(proc + "." + flag, proc, types().array(id, types().bool_type()), sp);
    pv[flag] = idx;
    return idx;
  }

  void declare_fault(const Decl& d)
  {
    const std::string& kind = d.name.name;
    auto fk = fault_kind(kind);
    if (!fk)
      fail(DiagCode::UndefinedName, d.name.span,
           "unknown fault '" + kind +
               "' (crash, correlated, restart, byzantine, partition, drop, duplicate, reorder, delay, gst, stale, "
               "deviate)");
    FaultDecl f;
    f.kind = *fk;
    f.kind_name = kind;
    f.target = d.target.name;
    f.span = d.span;
    f.amnesia = d.modifier.name == "amnesia";
    f.modifier = d.modifier.name;
    if (!f.modifier.empty())
    {
      bool fits = (f.modifier == "amnesia" && *fk == FaultKind::Restart) ||
                  ((f.modifier == "silent" || f.modifier == "equivocate") && *fk == FaultKind::Byzantine);
      if (!fits)
        fail(DiagCode::MisplacedStatement, d.modifier.span,
             "'" + f.modifier + "' applies to " + (f.modifier == "amnesia" ? "restart" : "byzantine") + " faults only");
    }
    std::string name = kind + "(" + f.target + ")";
    for (auto& other : d_m.faults)
      if (other.name == name) fail(DiagCode::DuplicateName, d.span, "fault " + name + " is declared twice");
    auto it = d_globals.find(f.target);
    bool on_process = f.kind == FaultKind::Crash || f.kind == FaultKind::Restart || f.kind == FaultKind::Byzantine ||
                      f.kind == FaultKind::Partition || f.kind == FaultKind::Correlated;
    bool on_network = f.kind == FaultKind::Drop || f.kind == FaultKind::Duplicate || f.kind == FaultKind::Reorder ||
                      f.kind == FaultKind::Gst || f.kind == FaultKind::Delay;
    if (it == d_globals.end())
      fail(DiagCode::UndefinedName, d.target.span,
           "undefined name '" + f.target + "' (declare the target before its faults)");
    if (on_process && it->second.kind != SymKind::Process)
      fail(DiagCode::TypeMismatch, d.target.span, "the fault '" + kind + "' applies to a process");
    if (!on_process && it->second.kind != SymKind::Var)
      fail(DiagCode::TypeMismatch, d.target.span,
           "the fault '" + kind + "' applies to a " + (on_network ? "network" : "state variable"));
    if (!on_process)
    {
      f.target_var = it->second.index;
      bool is_net = d_m.vars[f.target_var].is_network;
      if (on_network && !is_net) fail(DiagCode::TypeMismatch, d.target.span, "'" + f.target + "' is not a network");
      if (!on_network && is_net)
        fail(DiagCode::TypeMismatch, d.target.span,
             "'" + f.target + "' is a network: use drop, duplicate, reorder or delay");
      const Type* vt = d_m.vars[f.target_var].type;
      const Type* queue = vt->kind == TypeKind::Array ? vt->elem : vt;
      if (f.kind == FaultKind::Reorder && queue->kind != TypeKind::Seq)
        fail(DiagCode::TypeMismatch, d.target.span,
             "reorder applies to ordered networks; '" + f.target + "' is unordered already");
    }
    if (d.capacity && f.kind != FaultKind::Deviate && f.kind != FaultKind::Correlated && f.kind != FaultKind::Delay)
      fail(DiagCode::MisplacedStatement, d.capacity->span,
           "only 'deviate', 'correlated' and 'delay' take a bound ('by D')");
    if (f.kind == FaultKind::Delay)
    {
      if (!d.capacity)
        fail(DiagCode::ExpectedToken, d.span,
             "delay needs a bound on the steps a message is held: fault delay(" + f.target + ") by D at most K");
      f.bound = const_int(*d.capacity, "a delay bound");
      if (f.bound < 1)
        fail(DiagCode::EmptyRange, d.capacity->span,
             "a delay bound must be at least 1 (a message held for 1..D steps)");
      if (f.bound > kMaxDelaySteps)
        fail(DiagCode::StateTooLarge, d.capacity->span,
             "a delay bound must be at most " + std::to_string(kMaxDelaySteps) +
                 " (every protocol step counts the held messages down)");
    }
    if (f.kind == FaultKind::Correlated)
    {
      const Type* id = it->second.type;
      f.bound = d.capacity ? const_int(*d.capacity, "a group size") : static_cast<int64_t>(id->card);
      if (f.bound < 1)
        fail(DiagCode::EmptyRange, d.capacity->span, "a correlated crash takes down at least one process");
    }
    if (f.kind == FaultKind::Deviate)
    {
      if (!d.capacity) fail(DiagCode::ExpectedToken, d.span, "deviate needs a bound: fault deviate(x) by D at most K");
      f.bound = const_int(*d.capacity, "a deviation bound");
      if (f.bound < 1) fail(DiagCode::EmptyRange, d.capacity->span, "a deviation bound must be at least 1");
      if (f.bound > static_cast<int64_t>((kMaxEnumerated - 1) / 2))  // the variant chooses d in -D..D
        fail(DiagCode::StateTooLarge, d.capacity->span,
             "a deviation bound must be at most " + std::to_string((kMaxEnumerated - 1) / 2) +
                 " (the offsets -D..D are enumerated)");
    }
    auto ov = d_opts.fault_budgets.find(name);
    if (ov == d_opts.fault_budgets.end()) ov = d_opts.fault_budgets.find(kind);
    if (f.kind == FaultKind::Gst)
    {
      // The stabilisation point happens at most once; a budget of 0 means never.
      f.budget = ov != d_opts.fault_budgets.end() ? ov->second : d.value ? const_int(*d.value, "a fault budget") : 1;
      if (f.budget > 1)
        fail(DiagCode::EmptyRange, d.value ? d.value->span : d.span, "gst happens at most once: its budget is 0 or 1");
    }
    else if (!d.value)
      fail(DiagCode::ExpectedToken, d.span, "a fault needs a budget: 'at most K'");
    else
      f.budget = ov != d_opts.fault_budgets.end() ? ov->second : const_int(*d.value, "a fault budget");
    if (f.budget < 0 || f.budget > 1000000)
      fail(DiagCode::EmptyRange, d.value ? d.value->span : d.span, "a fault budget must be between 0 and 1000000");
    Fault mf;
    mf.name = name;
    mf.budget = f.budget;
    mf.span = d.span;
    mf.used_var = fault_state_var(name + ".used", "", types().range(0, f.budget), d.span);
    f.index = static_cast<uint32_t>(d_m.faults.size());
    d_m.faults.push_back(mf);
    if (f.kind == FaultKind::Crash || f.kind == FaultKind::Correlated) process_flag(f.target, "crashed", d.span);
    if (f.kind == FaultKind::Byzantine) process_flag(f.target, "byzantine", d.span);
    if (f.kind == FaultKind::Delay) f.held_var = declare_held_buffer(f);
    if (f.kind == FaultKind::Partition)
    {
      process_flag(f.target, "side", d.span);
      d_partitioned_var[f.target] = fault_state_var(f.target + ".partitioned", "", types().bool_type(), d.span);
    }
    d_fault_decls.push_back(f);
  }

  // ---- small builders over the Model's expression array
  ExprId k_int(int64_t v, const Type* t, Span sp)
  {
    Expr x = node(Op::Const, t, sp);
    x.imm = v;
    return add(x);
  }
  ExprId k_bool(bool b, Span sp) { return k_int(b ? 1 : 0, types().bool_type(), sp); }
  ExprId var_ref(uint32_t v, Span sp)
  {
    Expr x = node(Op::Var, d_m.vars[v].type, sp);
    x.imm = v;
    return add(x);
  }
  ExprId bin(Op op, const Type* t, ExprId a, ExprId b, Span sp)
  {
    Expr x = node(op, t, sp);
    x.a = a;
    x.b = b;
    return add(x);
  }
  ExprId and_(ExprId a, ExprId b, Span sp)
  {
    if (a == kNone) return b;
    if (b == kNone) return a;
    return bin(Op::And, types().bool_type(), a, b, sp);
  }
  ExprId not_(ExprId a, Span sp)
  {
    Expr x = node(Op::Not, types().bool_type(), sp);
    x.a = a;
    return add(x);
  }
  ExprId at_self(uint32_t var, LocalId self, Span sp) { return proc_var_at(var, local_ref(self, sp), sp); }
  ExprId budget_left(const FaultDecl& f, Span sp)
  {
    return bin(Op::Lt, types().bool_type(), var_ref(d_m.faults[f.index].used_var, sp),
               k_int(f.budget, types().int_type(), sp), sp);
  }
  StmtId assign_stmt(ExprId target, ExprId value, Span sp)
  {
    keel::Stmt st;
    st.op = StmtOp::Assign;
    st.span = sp;
    st.target = target;
    st.value = value;
    return add_stmt(st);
  }
  StmtId use_budget(const FaultDecl& f, Span sp)
  {
    uint32_t u = d_m.faults[f.index].used_var;
    return assign_stmt(var_ref(u, sp),
                       bin(Op::Add, types().int_type(), var_ref(u, sp), k_int(1, types().int_type(), sp), sp), sp);
  }
  BlockId new_block(std::vector<StmtId> ids)
  {
    d_m.blocks.push_back(std::move(ids));
    return static_cast<BlockId>(d_m.blocks.size() - 1);
  }
  void add_fault_action(const FaultDecl& f, const std::string& name, const std::string& process,
                        std::vector<LocalId> params, ExprId guard, std::vector<StmtId> body)
  {
    Action a;
    a.name = name;
    a.process = process;
    a.params = std::move(params);
    a.guard = guard;
    a.body = new_block(std::move(body));
    a.is_fault = true;
    a.fault = static_cast<int>(f.index);
    a.span = f.span;
    d_m.actions.push_back(std::move(a));
  }
  // The first value of a finite scalar type, as a constant of that type.
  ExprId first_value(const Type* t, Span sp) { return k_int(t->kind == TypeKind::Range ? t->lo : 0, t, sp); }

  uint32_t root_var(ExprId place) const
  {
    const Expr& e = d_m.exprs[place];
    if (e.op == Op::Var) return static_cast<uint32_t>(e.imm);
    return root_var(e.a);
  }

  // Messages of type `mt` that carry a sender: the variants with a field
  // `from` of the process identity type.
  std::vector<std::pair<int, int>> sender_fields(const Type* mt, const Type* id) const
  {
    std::vector<std::pair<int, int>> out;
    if (mt->kind != TypeKind::Message) return out;
    for (size_t v = 0; v < mt->variants.size(); ++v)
      for (size_t fi = 0; fi < mt->variants[v].fields.size(); ++fi)
      {
        const auto& fld = mt->variants[v].fields[fi];
        if (fld.name == "from" && (fld.type == id || (fld.type->is_intlike() && id->is_intlike() &&
                                                      fld.type->lo == id->lo && fld.type->hi == id->hi)))
          out.push_back({static_cast<int>(v), static_cast<int>(fi)});
      }
    return out;
  }
  // The sender field of a message whose variant has one of the identity
  // type `id` (only those: a `from` of another type names no process).
  ExprId sender_of(ExprId msg, const Type* mt, const Type* id, Span sp)
  {
    Expr x = node(Op::VField, nullptr, sp);
    x.a = msg;
    std::vector<int> table(mt->variants.size(), -1);
    for (auto [v, fi] : sender_fields(mt, id))
    {
      table[v] = fi;
      if (!x.type) x.type = mt->variants[v].fields[fi].type;
    }
    d_m.vfield_tables.push_back(std::move(table));
    x.imm2 = static_cast<int64_t>(d_m.vfield_tables.size() - 1);
    return add(x);
  }
  ExprId has_tag(ExprId msg, int v, Span sp)
  {
    Expr x = node(Op::IsTag, types().bool_type(), sp);
    x.a = msg;
    x.imm = v;
    return add(x);
  }
  // "msg carries a sender and the sender is `who`" (for Byzantine sends) or
  // "msg carries no sender or pred(sender)" (for partitions).
  ExprId sent_by(ExprId msg, const Type* mt, const Type* id, ExprId who, Span sp)
  {
    ExprId any = kNone;
    for (auto [v, fi] : sender_fields(mt, id))
    {
      ExprId c = and_(has_tag(msg, v, sp), bin(Op::Eq, types().bool_type(), sender_of(msg, mt, id, sp), who, sp), sp);
      any = any == kNone ? c : bin(Op::Or, types().bool_type(), any, c, sp);
    }
    return any;
  }

  // Copies a block, letting `edit` drop or replace statements (returns true
  // when it handled the statement, appending replacements to `out`).
  template <class Edit>
  BlockId clone_block(BlockId b, Edit& edit, bool& changed)
  {
    std::vector<StmtId> out;
    for (StmtId sid : d_m.blocks[b])
    {
      if (edit(sid, out))
      {
        changed = true;
        continue;
      }
      const keel::Stmt st = d_m.stmts[sid];
      if (st.op == StmtOp::If)
      {
        keel::Stmt copy = st;
        copy.then_block = clone_block(st.then_block, edit, changed);
        copy.else_block = clone_block(st.else_block, edit, changed);
        out.push_back(add_stmt(copy));
        continue;
      }
      out.push_back(sid);
    }
    return new_block(std::move(out));
  }

  template <class F>
  void for_each_stmt(BlockId b, F& f)
  {
    for (StmtId sid : d_m.blocks[b])
    {
      f(sid);
      if (d_m.stmts[sid].op == StmtOp::If)
      {
        BlockId t = d_m.stmts[sid].then_block, e = d_m.stmts[sid].else_block;
        for_each_stmt(t, f);
        if (e != t) for_each_stmt(e, f);
      }
    }
  }

  void lower_faults()
  {
    if (d_fault_decls.empty()) return;
    const size_t honest = d_m.actions.size();
    // 1. Value faults: variants of the actions that update the variable.
    for (const FaultDecl& f : d_fault_decls)
      if (f.kind == FaultKind::Stale || f.kind == FaultKind::Deviate) lower_value_fault(f, honest);
    const size_t behaviours = d_m.actions.size();  // honest actions and their value-fault variants
    // 2. Process faults that silence a process's own behaviour.
    for (const FaultDecl& f : d_fault_decls)
    {
      if (f.kind != FaultKind::Crash && f.kind != FaultKind::Byzantine && f.kind != FaultKind::Correlated) continue;
      // An equivocating process keeps following the protocol (and forges besides).
      if (f.kind == FaultKind::Byzantine && f.modifier == "equivocate") continue;
      // crash and correlated share one flag: guard once.
      if (f.kind == FaultKind::Correlated && find_fault(FaultKind::Crash, f.target)) continue;
      uint32_t flag = d_proc_vars[f.target][f.kind == FaultKind::Byzantine ? "byzantine" : "crashed"];
      for (size_t i = 0; i < behaviours; ++i)
      {
        Action& a = d_m.actions[i];
        if (a.process != f.target) continue;
        a.guard = and_(not_(at_self(flag, a.params[0], a.span), a.span), a.guard, a.span);
      }
    }
    // 3. Partitions block delivery across the cut.
    for (const FaultDecl& f : d_fault_decls)
      if (f.kind == FaultKind::Partition) filter_receives(f, behaviours);
    // 4. The fault actions themselves.
    for (const FaultDecl& f : d_fault_decls)
    {
      switch (f.kind)
      {
        case FaultKind::Crash:
          lower_crash(f);
          break;
        case FaultKind::Correlated:
          lower_correlated(f);
          break;
        case FaultKind::Gst:
          break;  // after every other fault action exists
        case FaultKind::Restart:
          lower_restart(f);
          break;
        case FaultKind::Byzantine:
          lower_byzantine(f);
          break;
        case FaultKind::Partition:
          lower_partition(f);
          break;
        case FaultKind::Drop:
        case FaultKind::Duplicate:
        case FaultKind::Reorder:
          lower_network_fault(f);
          break;
        case FaultKind::Delay:
          lower_delay(f);
          break;
        default:
          break;
      }
    }
    for (const FaultDecl& f : d_fault_decls)
      if (f.kind == FaultKind::Gst) lower_gst(f);
    // 5. Delays are bounded: over every action, fault actions included.
    for (const FaultDecl& f : d_fault_decls)
      if (f.kind == FaultKind::Delay) bound_delay(f, behaviours);
  }

  // After the stabilisation point the network behaves: drop, duplicate,
  // reorder and delay on it stop (held messages still come back), any
  // partition heals and no new one starts.
  void lower_gst(const FaultDecl& f)
  {
    std::vector<StmtId> body{
        assign_stmt(var_ref(d_m.faults[f.index].used_var, f.span), k_int(1, types().int_type(), f.span), f.span)};
    size_t stopped = 0;
    for (auto& g : d_fault_decls)
    {
      bool on_net = (g.kind == FaultKind::Drop || g.kind == FaultKind::Duplicate || g.kind == FaultKind::Reorder ||
                     g.kind == FaultKind::Delay) &&
                    g.target_var == f.target_var;
      if (!on_net && g.kind != FaultKind::Partition) continue;
      for (auto& a : d_m.actions)
        if (a.fault == static_cast<int>(g.index) && a.name != "heal" && a.name != "release")
          a.guard = and_(a.guard,
                         bin(Op::Lt, types().bool_type(), var_ref(d_m.faults[f.index].used_var, f.span),
                             k_int(1, types().int_type(), f.span), f.span),
                         f.span);
      if (g.kind == FaultKind::Partition)
      {
        uint32_t parted = d_partitioned_var[g.target];
        body.push_back(assign_stmt(var_ref(parted, f.span), k_bool(false, f.span), f.span));
        uint32_t side = d_proc_vars[g.target]["side"];
        body.push_back(assign_stmt(var_ref(side, f.span), add(node(Op::Zero, d_m.vars[side].type, f.span)), f.span));
      }
      ++stopped;
    }
    if (stopped == 0)
      fail(DiagCode::MisplacedStatement, f.span,
           "gst(" + f.target +
               ") would change nothing: declare drop, duplicate, reorder or delay on it, or a partition");
    add_fault_action(f, "gst", "", {}, budget_left(f, f.span), body);
    // Partial synchrony: the stabilisation point exists, so a behaviour
    // that never reaches it is not one the model admits (budget 0: never).
    make_last_action_fair(f, "gst");
  }

  // The fault action just added is weakly fair (with a budget left to use):
  // the fairness that a fault's meaning implies, kept under --no-fairness.
  void make_last_action_fair(const FaultDecl& f, const std::string& action)
  {
    if (f.budget == 0) return;
    Fairness fair;
    fair.actions.push_back(static_cast<uint32_t>(d_m.actions.size() - 1));
    fair.text = "weak " + action + " (" + d_m.faults[f.index].name + ")";
    fair.span = f.span;
    d_m.fairness.push_back(std::move(fair));
  }

  const FaultDecl* find_fault(FaultKind k, const std::string& target) const
  {
    for (auto& f : d_fault_decls)
      if (f.kind == k && f.target == target) return &f;
    return nullptr;
  }

  void lower_crash(const FaultDecl& f)
  {
    uint32_t crashed = d_proc_vars[f.target]["crashed"];
    LocalId self = new_local("self", d_globals[f.target].type);
    ExprId guard = and_(not_(at_self(crashed, self, f.span), f.span), budget_left(f, f.span), f.span);
    add_fault_action(
        f, "crash", f.target, {self}, guard,
        {assign_stmt(at_self(crashed, self, f.span), k_bool(true, f.span), f.span), use_budget(f, f.span)});
  }

  // A group of 1..bound live processes crashes in one step.
  void lower_correlated(const FaultDecl& f)
  {
    const Type* id = d_globals[f.target].type;
    uint32_t crashed = d_proc_vars[f.target]["crashed"];
    const Type* set_t = types().set(id);
    LocalId g = new_local("group", set_t);
    LocalId i = new_local("i", id);
    Expr sz = node(Op::Size, types().int_type(), f.span);
    sz.a = local_ref(g, f.span);
    ExprId size = add(sz);
    ExprId nonempty = bin(Op::Ge, types().bool_type(), size, k_int(1, types().int_type(), f.span), f.span);
    ExprId small = bin(Op::Le, types().bool_type(), add(sz), k_int(f.bound, types().int_type(), f.span), f.span);
    // Every member is alive: forall i in group . !crashed[i]
    Expr alive = node(Op::Forall, types().bool_type(), f.span);
    alive.imm = i;
    alive.a = local_ref(g, f.span);
    alive.b = not_(proc_var_at(crashed, local_ref(i, f.span), f.span), f.span);
    ExprId guard = and_(and_(nonempty, small, f.span), and_(add(alive), budget_left(f, f.span), f.span), f.span);
    LocalId j = new_local("i", id);
    Expr arr = node(Op::ArrayConst, d_m.vars[crashed].type, f.span);
    arr.imm = j;
    arr.b = bin(Op::Or, types().bool_type(), proc_var_at(crashed, local_ref(j, f.span), f.span),
                bin(Op::In, types().bool_type(), local_ref(j, f.span), local_ref(g, f.span), f.span), f.span);
    add_fault_action(f, "correlated_crash", "", {g}, guard,
                     {assign_stmt(var_ref(crashed, f.span), add(arr), f.span), use_budget(f, f.span)});
  }

  void lower_restart(const FaultDecl& f)
  {
    LocalId self = new_local("self", d_globals[f.target].type);
    ExprId guard = budget_left(f, f.span);
    std::vector<StmtId> body;
    if (find_fault(FaultKind::Crash, f.target) || find_fault(FaultKind::Correlated, f.target))
    {
      // A crashed process recovers; without a crash fault, restart is an atomic reboot.
      uint32_t crashed = d_proc_vars[f.target]["crashed"];
      guard = and_(at_self(crashed, self, f.span), guard, f.span);
      body.push_back(assign_stmt(at_self(crashed, self, f.span), k_bool(false, f.span), f.span));
    }
    size_t reset = 0;
    for (auto& [name, vi] : d_proc_vars[f.target])
    {
      const Variable& v = d_m.vars[vi];
      if (v.is_fault_state || !(v.is_volatile || f.amnesia)) continue;
      ExprId value;
      if (v.init != kNone)
      {
        Expr ix = node(Op::Index, v.type->elem, f.span);
        ix.a = v.init;
        ix.b = local_ref(self, f.span);
        value = add(ix);
      }
      else
        value = add(node(Op::Zero, v.type->elem, f.span));
      body.push_back(assign_stmt(at_self(vi, self, f.span), value, f.span));
      ++reset;
    }
    if (reset == 0 && !find_fault(FaultKind::Crash, f.target))
      fail(DiagCode::MisplacedStatement, f.span,
           "restart(" + f.target +
               ") would change nothing: mark the variables a restart loses 'volatile var', use 'amnesia', or declare "
               "crash(" +
               f.target + ") too");
    body.push_back(use_budget(f, f.span));
    add_fault_action(f, "restart", f.target, {self}, guard, body);
  }

  void lower_byzantine(const FaultDecl& f)
  {
    const Type* id = d_globals[f.target].type;
    uint32_t byz = d_proc_vars[f.target]["byzantine"];
    LocalId self = new_local("self", id);
    ExprId guard = and_(not_(at_self(byz, self, f.span), f.span), budget_left(f, f.span), f.span);
    if (find_fault(FaultKind::Crash, f.target) || find_fault(FaultKind::Correlated, f.target))
      guard = and_(not_(at_self(d_proc_vars[f.target]["crashed"], self, f.span), f.span), guard, f.span);
    add_fault_action(f, "corrupt", f.target, {self}, guard,
                     {assign_stmt(at_self(byz, self, f.span), k_bool(true, f.span), f.span), use_budget(f, f.span)});
    if (f.modifier == "silent") return;  // a silent Byzantine process only stops: it sends nothing
    std::set<int> sent_tags;
    bool sends_any = false;
    if (f.modifier == "equivocate")
    {
      // An equivocating process sends, besides its honest messages, other
      // messages of the kinds it sends honestly (any contents, any destination).
      for (auto& a : d_m.actions)
      {
        if (a.process != f.target || a.is_fault) continue;
        auto visit = [&](StmtId sid)
        {
          const keel::Stmt& st = d_m.stmts[sid];
          if (st.op != StmtOp::Send) return;
          const Expr& v = d_m.exprs[st.value];
          if (v.op == Op::Ctor)
            sent_tags.insert(static_cast<int>(v.imm));
          else
            sends_any = true;
        };
        for_each_stmt(a.body, visit);
      }
    }
    // A Byzantine process sends any message that names it as the sender,
    // to any destination, at any time (so it may equivocate).
    size_t forged = 0;
    for (uint32_t vi = 0; vi < d_m.vars.size(); ++vi)
    {
      const Variable& v = d_m.vars[vi];
      if (!v.is_network) continue;
      const Type* queue = v.type->kind == TypeKind::Array ? v.type->elem : v.type;
      if (sender_fields(queue->elem, id).empty()) continue;
      LocalId s2 = new_local("self", id);
      std::vector<LocalId> params{s2};
      ExprId target = var_ref(vi, f.span);
      if (v.type->kind == TypeKind::Array)
      {
        LocalId to = new_local("to", v.type->key);
        params.push_back(to);
        Expr ix = node(Op::Index, queue, f.span);
        ix.a = target;
        ix.b = local_ref(to, f.span);
        target = add(ix);
      }
      LocalId m = new_local("m", queue->elem);
      params.push_back(m);
      ExprId g = and_(at_self(byz, s2, f.span),
                      sent_by(local_ref(m, f.span), queue->elem, id, local_ref(s2, f.span), f.span), f.span);
      if (find_fault(FaultKind::Crash, f.target) || find_fault(FaultKind::Correlated, f.target))
        g = and_(g, not_(at_self(d_proc_vars[f.target]["crashed"], s2, f.span), f.span),
                 f.span);  // a crashed process sends nothing
      if (f.modifier == "equivocate" && !sends_any)
      {
        ExprId kinds = kNone;
        for (int tag : sent_tags)
        {
          ExprId t = has_tag(local_ref(m, f.span), tag, f.span);
          kinds = kinds == kNone ? t : bin(Op::Or, types().bool_type(), kinds, t, f.span);
        }
        if (kinds == kNone) continue;  // sends nothing on any network
        g = and_(g, kinds, f.span);
      }
      // Room in the network: forging never overflows it (that would be a
      // violation the honest protocol did not cause).
      ExprId room;
      if (queue->kind == TypeKind::Bag)
      {
        Expr c = node(Op::BagCount, types().int_type(), f.span);
        c.a = target;
        c.b = local_ref(m, f.span);
        room = bin(Op::Lt, types().bool_type(), add(c), k_int(queue->capacity, types().int_type(), f.span), f.span);
      }
      else
      {
        Expr l = node(Op::Len, types().int_type(), f.span);
        l.a = target;
        room = bin(Op::Lt, types().bool_type(), add(l), k_int(queue->capacity, types().int_type(), f.span), f.span);
      }
      keel::Stmt send;
      send.op = StmtOp::Send;
      send.span = f.span;
      send.target = target;
      send.value = local_ref(m, f.span);
      add_fault_action(f, "forge", f.target, params, and_(g, room, f.span), {add_stmt(send)});
      ++forged;
    }
    if (forged == 0)
      fail(DiagCode::MisplacedStatement, f.span,
           "byzantine(" + f.target + "): no network carries messages with a field 'from' of type " + describe(id) +
               ", so a Byzantine process could not send anything");
  }

  void lower_partition(const FaultDecl& f)
  {
    const Type* id = d_globals[f.target].type;
    uint32_t side = d_proc_vars[f.target]["side"];
    uint32_t parted = d_partitioned_var[f.target];
    const Type* set_t = types().set(id);
    LocalId g = new_local("group", set_t);
    // The group holding the first identity is listed, so each cut appears once.
    ExprId first_in = bin(Op::In, types().bool_type(), first_value(id, f.span), local_ref(g, f.span), f.span);
    Expr all = node(Op::SetAll, set_t, f.span);
    all.dom = id;
    ExprId proper = bin(Op::Ne, types().bool_type(), local_ref(g, f.span), add(all), f.span);
    ExprId guard = and_(and_(not_(var_ref(parted, f.span), f.span), budget_left(f, f.span), f.span),
                        and_(first_in, proper, f.span), f.span);
    LocalId i = new_local("i", id);
    Expr arr = node(Op::ArrayConst, d_m.vars[side].type, f.span);
    arr.imm = i;
    arr.b = bin(Op::In, types().bool_type(), local_ref(i, f.span), local_ref(g, f.span), f.span);
    add_fault_action(f, "partition", "", {g}, guard,
                     {assign_stmt(var_ref(side, f.span), add(arr), f.span),
                      assign_stmt(var_ref(parted, f.span), k_bool(true, f.span), f.span), use_budget(f, f.span)});
    add_fault_action(f, "heal", "", {}, var_ref(parted, f.span),
                     {assign_stmt(var_ref(parted, f.span), k_bool(false, f.span), f.span),
                      assign_stmt(var_ref(side, f.span), add(node(Op::Zero, d_m.vars[side].type, f.span)), f.span)});
  }

  void filter_receives(const FaultDecl& f, size_t behaviours)
  {
    const Type* id = d_globals[f.target].type;
    uint32_t side = d_proc_vars[f.target]["side"];
    uint32_t parted = d_partitioned_var[f.target];
    size_t filtered = 0;
    for (size_t ai = 0; ai < behaviours; ++ai)
    {
      Action& a = d_m.actions[ai];
      if (a.process != f.target) continue;
      LocalId self = a.params[0];
      auto visit = [&](StmtId sid)
      {
        keel::Stmt& st = d_m.stmts[sid];
        if (st.op != StmtOp::Receive) return;
        const Type* mt = d_m.locals[st.local].type;
        auto senders = sender_fields(mt, id);
        if (senders.empty()) return;
        // Delivered only if not partitioned, or the sender is on our side.
        ExprId same = kNone;
        for (auto [v, fi] : senders)
        {
          ExprId m = local_ref(st.local, f.span);
          ExprId sender_side = proc_var_at(side, sender_of(m, mt, id, f.span), f.span);
          ExprId c = bin(Op::Implies, types().bool_type(), has_tag(local_ref(st.local, f.span), v, f.span),
                         bin(Op::Eq, types().bool_type(), sender_side, at_self(side, self, f.span), f.span), f.span);
          same = and_(same, c, f.span);
        }
        ExprId ok = bin(Op::Or, types().bool_type(), not_(var_ref(parted, f.span), f.span), same, f.span);
        st.cond = and_(st.cond, ok, f.span);
        ++filtered;
      };
      for_each_stmt(a.body, visit);
    }
    if (filtered == 0)
      fail(DiagCode::MisplacedStatement, f.span,
           "partition(" + f.target + "): no action of " + f.target + " receives messages with a field 'from' of type " +
               describe(id) + ", so a partition would change nothing");
  }

  void lower_network_fault(const FaultDecl& f)
  {
    const Variable& v = d_m.vars[f.target_var];
    std::vector<LocalId> params;
    ExprId target = var_ref(f.target_var, f.span);
    const Type* queue = v.type;
    if (v.type->kind == TypeKind::Array)
    {
      queue = v.type->elem;
      LocalId at = new_local("channel", v.type->key);
      params.push_back(at);
      Expr ix = node(Op::Index, queue, f.span);
      ix.a = target;
      ix.b = local_ref(at, f.span);
      target = add(ix);
    }
    keel::Stmt st;
    st.op = f.kind == FaultKind::Drop        ? StmtOp::NetDrop
            : f.kind == FaultKind::Duplicate ? StmtOp::NetDuplicate
                                             : StmtOp::NetReorder;
    st.span = f.span;
    st.target = target;
    st.local = new_local("m", queue->elem);
    add_fault_action(f, f.kind_name, "", params, budget_left(f, f.span), {add_stmt(st), use_budget(f, f.span)});
  }

  // ---- delay(net) by D at most K
  //
  // A delayed message leaves the network and waits in `delay(net).held`:
  // one bag of messages (per channel, for an indexed network) for each
  // number of protocol steps left, 0..D. A bag per countdown keeps the
  // state canonical (held messages are a multiset) and makes counting down
  // a shift of the array, so the whole fault is ordinary statements.

  // [0..D] bag<M, K>, or [0..D] [Channel] bag<M, K> for an indexed network.
  uint32_t declare_held_buffer(const FaultDecl& f)
  {
    const Type* net = d_m.vars[f.target_var].type;
    const Type* queue = net->kind == TypeKind::Array ? net->elem : net;
    // Capacity K: no more than K messages are ever delayed. With K = 0 the
    // bag keeps one (never used) count so that every value has a width.
    uint64_t cap = static_cast<uint64_t>(std::max<int64_t>(f.budget, 1));
    std::string why = check_composite_limits(TypeKind::Bag, queue->elem, nullptr, cap);
    if (!why.empty())
      fail(DiagCode::StateTooLarge, f.span,
           "delay(" + f.target + ") holds messages in bags, which its message type does not fit: " + why);
    const Type* slot = types().bag(queue->elem, static_cast<uint32_t>(cap));
    if (net->kind == TypeKind::Array)
    {
      check_limits(TypeKind::Array, net->key, slot, 0, f.span);
      slot = types().array(net->key, slot);
    }
    const Type* steps = types().range(0, f.bound);
    check_limits(TypeKind::Array, steps, slot, 0, f.span);
    return fault_state_var(d_m.faults[f.index].name + ".held", "", types().array(steps, slot), f.span);
  }

  // held[left], and held[left][channel] for an indexed network.
  ExprId held_at(const FaultDecl& f, ExprId left, LocalId channel, Span sp)
  {
    const Type* t = d_m.vars[f.held_var].type;
    Expr ix = node(Op::Index, t->elem, sp);
    ix.a = var_ref(f.held_var, sp);
    ix.b = left;
    ExprId place = add(ix);
    if (channel == kNone) return place;
    Expr ch = node(Op::Index, t->elem->elem, sp);
    ch.a = place;
    ch.b = local_ref(channel, sp);
    return add(ch);
  }
  ExprId steps_left(const FaultDecl& f, int64_t n, Span sp) { return k_int(n, d_m.vars[f.held_var].type->key, sp); }

  // delay(channel?, m): one copy of a present m leaves the network (any
  // position of a queue) and is held for D protocol steps.
  // release(channel?, left, m): a held m goes back (to the tail of a queue);
  // free, and the only thing that can happen once some `left` is 0.
  void lower_delay(const FaultDecl& f)
  {
    const Type* net = d_m.vars[f.target_var].type;
    const bool indexed = net->kind == TypeKind::Array;
    const Type* queue = indexed ? net->elem : net;
    auto net_at = [&](LocalId channel)
    {
      ExprId target = var_ref(f.target_var, f.span);
      if (channel == kNone) return target;
      Expr ix = node(Op::Index, queue, f.span);
      ix.a = target;
      ix.b = local_ref(channel, f.span);
      return add(ix);
    };
    {
      std::vector<LocalId> params;
      LocalId channel = kNone;
      if (indexed) params.push_back(channel = new_local("channel", net->key));
      keel::Stmt take;
      take.op = StmtOp::NetDrop;
      take.span = f.span;
      take.target = net_at(channel);
      take.local = new_local("m", queue->elem);
      StmtId take_id = add_stmt(take);
      keel::Stmt hold;
      hold.op = StmtOp::Send;
      hold.span = f.span;
      hold.target = held_at(f, steps_left(f, f.bound, f.span), channel, f.span);
      hold.value = local_ref(take.local, f.span);
      StmtId hold_id = add_stmt(hold);
      add_fault_action(f, "delay", "", params, budget_left(f, f.span), {take_id, hold_id, use_budget(f, f.span)});
    }
    {
      std::vector<LocalId> params;
      LocalId channel = kNone;
      if (indexed) params.push_back(channel = new_local("channel", net->key));
      LocalId left = new_local("left", d_m.vars[f.held_var].type->key);
      params.push_back(left);
      keel::Stmt back;
      back.op = StmtOp::Receive;
      back.span = f.span;
      back.target = held_at(f, local_ref(left, f.span), channel, f.span);
      back.local = new_local("m", queue->elem);
      StmtId back_id = add_stmt(back);
      // A send: a network with no room for it is a capacity violation, as
      // for the protocol's own sends (the message was in flight all along).
      keel::Stmt resend;
      resend.op = StmtOp::Send;
      resend.span = f.span;
      resend.target = net_at(channel);
      resend.value = local_ref(back.local, f.span);
      StmtId resend_id = add_stmt(resend);
      add_fault_action(f, "release", "", params, kNone, {back_id, resend_id});
      d_release_actions.insert(static_cast<uint32_t>(d_m.actions.size() - 1));
      // Time passes even when the protocol idles: a held message is not
      // held forever by a behaviour that stops.
      make_last_action_fair(f, "release");
    }
  }

  // The bound of a delay: every protocol step (the first `protocol_steps`
  // actions: the spec's own and their stale/deviate variants) counts the held
  // messages down, and no action but a release runs while one is due.
  void bound_delay(const FaultDecl& f, size_t protocol_steps)
  {
    const Type* slot = d_m.vars[f.held_var].type->elem;
    for (uint32_t ai = 0; ai < d_m.actions.size(); ++ai)
    {
      if (d_release_actions.count(ai)) continue;
      Span sp = d_m.actions[ai].span;
      ExprId none_due = bin(Op::Eq, types().bool_type(), held_at(f, steps_left(f, 0, sp), kNone, sp),
                            add(node(Op::Zero, slot, sp)), sp);
      d_m.actions[ai].guard = and_(none_due, d_m.actions[ai].guard, sp);
      if (ai >= protocol_steps) continue;
      std::vector<StmtId> body = d_m.blocks[d_m.actions[ai].body];  // a copy: blocks may be shared
      for (int64_t r = 0; r < f.bound; ++r)
        body.push_back(assign_stmt(held_at(f, steps_left(f, r, sp), kNone, sp),
                                   held_at(f, steps_left(f, r + 1, sp), kNone, sp), sp));
      body.push_back(assign_stmt(held_at(f, steps_left(f, f.bound, sp), kNone, sp), add(node(Op::Zero, slot, sp)), sp));
      d_m.actions[ai].body = new_block(std::move(body));
    }
  }

  void lower_value_fault(const FaultDecl& f, size_t honest)
  {
    const Variable& var = d_m.vars[f.target_var];
    if (f.kind == FaultKind::Deviate &&
        !(var.type->is_intlike() || (var.type->kind == TypeKind::Array && var.type->elem->is_intlike())))
      fail(DiagCode::TypeMismatch, f.span, "deviate applies to an integer variable (or an array of integers)");
    size_t variants = 0;
    for (size_t ai = 0; ai < honest; ++ai)
    {
      bool changed = false;
      auto edit = [&](StmtId sid, std::vector<StmtId>& out) -> bool
      {
        const keel::Stmt st = d_m.stmts[sid];  // a copy: add_stmt below may move the array
        if (st.op != StmtOp::Assign || root_var(st.target) != f.target_var) return false;
        if (f.kind == FaultKind::Stale) return true;  // the update is lost
        const Type* t = d_m.exprs[st.target].type;
        if (!t->is_intlike()) return false;
        // x := e becomes: choose d: -D..D where d != 0 and e + d fits; x := e + d
        LocalId d = new_local("deviation", types().range(-f.bound, f.bound));
        ExprId shifted = bin(Op::Add, types().int_type(), st.value, local_ref(d, st.span), st.span);
        ExprId cond =
            bin(Op::Ne, types().bool_type(), local_ref(d, st.span), k_int(0, types().int_type(), st.span), st.span);
        cond = and_(cond, bin(Op::Ge, types().bool_type(), shifted, k_int(t->lo, types().int_type(), st.span), st.span),
                    st.span);
        cond = and_(cond, bin(Op::Le, types().bool_type(), shifted, k_int(t->hi, types().int_type(), st.span), st.span),
                    st.span);
        keel::Stmt choose;
        choose.op = StmtOp::Choose;
        choose.span = st.span;
        choose.local = d;
        choose.dom = d_m.locals[d].type;
        choose.cond = cond;
        out.push_back(add_stmt(choose));
        out.push_back(assign_stmt(st.target, shifted, st.span));
        return true;
      };
      BlockId body = clone_block(d_m.actions[ai].body, edit, changed);
      if (!changed) continue;
      Action a = d_m.actions[ai];
      a.body = body;
      d_m.blocks[a.body].push_back(use_budget(f, f.span));
      a.guard = and_(a.guard, budget_left(f, f.span), f.span);
      a.is_fault = true;
      a.fault = static_cast<int>(f.index);
      d_m.actions.push_back(std::move(a));
      ++variants;
    }
    if (variants == 0)
      fail(DiagCode::MisplacedStatement, f.span,
           "no action assigns '" + f.target + "', so " + f.kind_name + "(" + f.target + ") would change nothing");
  }

  std::vector<FaultDecl> d_fault_decls;
  std::map<std::string, uint32_t> d_partitioned_var;
  std::set<uint32_t> d_release_actions;  // the release actions of delay faults

  const Spec& d_spec;
  DiagnosticEngine& d_diags;
  const LowerOptions& d_opts;
  Model d_m;
  std::map<std::string, Sym> d_globals;
  std::map<std::string, std::map<std::string, uint32_t>> d_proc_vars;
  std::vector<const Decl*> d_var_decl;
  std::vector<int> d_def_state;  // 0 new, 1 in progress, 2 done
  std::vector<const Decl*> d_def_decl;
  std::vector<const Type*> d_def_ret;
  std::vector<std::pair<std::string, LocalId>> d_scope;
  const Decl* d_proc = nullptr;
  LocalId d_self = kNone;
  bool d_const_context = false;
  std::vector<uint32_t> d_expr_depth;  // per ExprId: depth, definitions inlined
  uint32_t d_lower_depth = 0;          // lower_expr recursion
  std::map<ExprId, std::optional<int64_t>> d_folded;
};

}  // namespace

std::optional<Model> lower(const ast::Spec& spec, const SourceManager& sources, DiagnosticEngine& diags,
                           const LowerOptions& options)
{
  try
  {
    Lowerer l(spec, sources, diags, options);
    return l.run();
  }
  catch (const CompileAborted&)
  {
    return std::nullopt;
  }
}

std::vector<std::string> import_search_path(const LowerOptions& options)
{
  std::vector<std::string> dirs = options.import_paths;
  if (const char* env = std::getenv("KEEL_PATH"))
  {
    std::string all = env;
    size_t start = 0;
    while (start <= all.size())
    {
      size_t colon = all.find(':', start);
      std::string dir = all.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!dir.empty()) dirs.push_back(dir);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
#ifdef KEEL_MODELS_LIB_DIR
  dirs.push_back(KEEL_MODELS_LIB_DIR);
#endif
  return dirs;
}

namespace
{

std::string parent_dir(const std::string& path)
{
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

bool file_exists(const std::string& p)
{
  std::ifstream f(p);
  return f.good();
}

// Parses `path` and, first, everything it imports (each file once), appending
// declarations in dependency order: an import is as if its file's
// declarations stood at the top of the importing file.
void parse_with_imports(SourceManager& sources, FileId id, DiagnosticEngine& diags,
                        const std::vector<std::string>& search, std::set<std::string>& seen,
                        std::deque<ast::Spec>& parsed, ast::Spec& out, int depth)
{
  if (depth > 64) diags.fatal(DiagCode::NestingTooDeep, {id, 0, 0}, "imports nested more than 64 deep");
  parsed.push_back(parse(sources, id, diags));
  ast::Spec& spec = parsed.back();
  std::string here = parent_dir(sources.file(id).path());
  for (auto& d : spec.decls)
  {
    if (d->kind != ast::DeclKind::Import) continue;
    const std::string& want = d->name.name;
    std::vector<std::string> candidates;
    if (!want.empty() && want[0] == '/')
      candidates.push_back(want);
    else
    {
      candidates.push_back(here + "/" + want);
      for (auto& dir : search) candidates.push_back(dir + "/" + want);
    }
    std::string found;
    for (auto& c : candidates)
      if (file_exists(c))
      {
        found = c;
        break;
      }
    if (found.empty())
      diags.fatal(DiagCode::FileUnreadable, d->span,
                  "cannot find the module '" + want +
                      "' (searched the importing file's folder, -I folders, $KEEL_PATH and models/lib)");
    char* real = realpath(found.c_str(), nullptr);
    std::string key = real ? real : found;
    free(real);
    if (!seen.insert(key).second) continue;  // each file once; cycles end here
    FileId sub;
    std::string err;
    if (!sources.load(found, sub, err)) diags.fatal(DiagCode::FileUnreadable, d->span, found + ": " + err);
    parse_with_imports(sources, sub, diags, search, seen, parsed, out, depth + 1);
  }
  for (auto& d : spec.decls)
  {
    if (d->kind == ast::DeclKind::Import) continue;
    // Only the root file names the protocol; an imported module's header is ignored.
    if (d->kind == ast::DeclKind::Protocol && depth > 0) continue;
    out.decls.push_back(std::move(d));
  }
}

}  // namespace

std::optional<Model> load_model(SourceManager& sources, const std::string& path, DiagnosticEngine& diags,
                                const LowerOptions& options)
{
  FileId id;
  std::string err;
  if (!sources.load(path, id, err))
  {
    diags.error_no_span(DiagCode::FileUnreadable, path + ": " + err);
    return std::nullopt;
  }
  try
  {
    std::set<std::string> seen;
    char* real = realpath(path.c_str(), nullptr);
    seen.insert(real ? real : path);
    free(real);
    std::deque<ast::Spec> parsed;  // a deque: references stay valid as imports are added
    ast::Spec spec;
    parse_with_imports(sources, id, diags, import_search_path(options), seen, parsed, spec, 0);
    return lower(spec, sources, diags, options);
  }
  catch (const CompileAborted&)
  {
    return std::nullopt;
  }
}

}  // namespace keel
