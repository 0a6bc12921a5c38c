#include "spec/parser.hpp"

#include <string>

namespace keel
{

using namespace ast;

namespace
{

// Deep nesting is legal but must not overflow the stack; fuzzers find it.
// Counted in guarded calls: a parenthesised expression costs 3 (expression,
// implication, unary), so this allows about 200 nested parentheses.
constexpr int kMaxDepth = 600;
// Left-associative chains (a + b + c ...) are built by loops, not recursion,
// so the guard above does not bound them; binary() measures the tree instead.
constexpr int kMaxTreeDepth = 1000;

class Parser
{
 public:
  Parser(std::vector<Token> toks, DiagnosticEngine& diags) : d_toks(std::move(toks)), d_diags(diags) {}

  Spec parse_spec()
  {
    Spec spec;
    if (at(Tok::KwProtocol))
    {
      auto d = std::make_unique<Decl>();
      d->kind = DeclKind::Protocol;
      d->span = take().span;
      d->name = ident("a protocol name");
      spec.decls.push_back(std::move(d));
    }
    while (!at(Tok::Eof))
    {
      if (accept(Tok::Semi)) continue;
      spec.decls.push_back(parse_decl(false));
    }
    return spec;
  }

 private:
  struct DepthGuard
  {
    Parser& p;
    explicit DepthGuard(Parser& pp) : p(pp)
    {
      if (++p.d_depth > kMaxDepth)
        p.d_diags.fatal(DiagCode::NestingTooDeep, p.cur().span,
                        "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    ~DepthGuard() { --p.d_depth; }
  };

  const Token& cur() const { return d_toks[d_pos]; }
  const Token& peek(size_t k = 1) const
  {
    size_t i = d_pos + k;
    return i < d_toks.size() ? d_toks[i] : d_toks.back();
  }
  bool at(Tok k) const { return cur().kind == k; }
  Token take()
  {
    Token t = cur();
    if (d_pos + 1 < d_toks.size()) ++d_pos;
    return t;
  }
  bool accept(Tok k)
  {
    if (!at(k)) return false;
    take();
    return true;
  }
  [[noreturn]] void fail_expected(const std::string& what)
  {
    std::string found = at(Tok::Eof) ? "end of file" : "'" + std::string(cur().text) + "'";
    d_diags.fatal(DiagCode::ExpectedToken, cur().span, "expected " + what + ", found " + found);
  }
  Token expect(Tok k, const char* context = nullptr)
  {
    if (!at(k))
    {
      std::string what = std::string("'") + tok_spelling(k) + "'";
      if (context) what += std::string(" ") + context;
      fail_expected(what);
    }
    return take();
  }
  // Soft keywords are lexed as names and recognised only where they belong,
  // so `from` or `capacity` stay usable as field and variable names.
  bool accept_word(const char* w)
  {
    if (!at(Tok::Ident) || cur().text != w) return false;
    take();
    return true;
  }
  void expect_word(const char* w, const char* context)
  {
    if (!accept_word(w)) fail_expected(std::string("'") + w + "' " + context);
  }
  Ident ident(const char* what)
  {
    if (!at(Tok::Ident)) fail_expected(what);
    Token t = take();
    return {std::string(t.text), t.span};
  }
  Span join(Span a, Span b) const { return {a.file, a.begin, std::max(a.end, b.end)}; }
  Span prev_span() const { return d_toks[d_pos > 0 ? d_pos - 1 : 0].span; }

  // ---------------------------------------------------------------- declarations
  std::unique_ptr<Decl> parse_decl(bool in_process)
  {
    auto d = std::make_unique<Decl>();
    d->span = cur().span;
    const size_t start = d_pos;
    switch (cur().kind)
    {
      case Tok::KwConst:
        if (in_process) break;
        take();
        d->kind = DeclKind::Const;
        d->name = ident("a constant name");
        expect(Tok::Colon, "after the constant name");
        d->type = parse_type();
        expect(Tok::Eq, "before the constant's default value");
        d->value = parse_expr();
        break;
      case Tok::KwType:
        if (in_process) break;
        take();
        d->kind = DeclKind::TypeAlias;
        d->name = ident("a type name");
        expect(Tok::Eq, "after the type name");
        d->type = parse_type();
        break;
      case Tok::KwEnum:
        if (in_process) break;
        take();
        d->kind = DeclKind::Enum;
        d->name = ident("an enum name");
        d->enum_values = parse_enum_values();
        break;
      case Tok::KwMessage:
        if (in_process) break;
        take();
        d->kind = DeclKind::Message;
        d->name = ident("a message type name");
        expect(Tok::Eq, "after the message type name");
        do
        {
          Variant v;
          v.tag = ident("a message tag");
          if (accept(Tok::LParen))
          {
            if (!at(Tok::RParen))
            {
              do
              {
                FieldDecl f;
                f.name = ident("a field name");
                expect(Tok::Colon, "after the field name");
                f.type = parse_type();
                v.fields.push_back(std::move(f));
              } while (accept(Tok::Comma));
            }
            expect(Tok::RParen, "to close the message fields");
          }
          d->variants.push_back(std::move(v));
        } while (accept(Tok::Bar));
        break;
      case Tok::KwVar:
        take();
      parse_var:
        d->kind = DeclKind::Var;
        d->name = ident("a variable name");
        expect(Tok::Colon, "after the variable name");
        d->type = parse_type();
        if (accept(Tok::Eq)) d->value = parse_expr();
        break;
      case Tok::Ident:
        // lemma NAME: expr -- an invariant that helps k-induction (docs/language.md).
        if (!in_process && cur().text == "lemma" && peek().kind == Tok::Ident)
        {
          take();
          d->kind = DeclKind::Invariant;
          d->is_lemma = true;
          d->name = ident("a name");
          expect(Tok::Colon, "after the name");
          d->value = parse_expr();
          break;
        }
        // `volatile var` inside a process: reset when the process restarts.
        if (in_process && cur().text == "volatile" && peek().kind == Tok::KwVar)
        {
          take();
          take();
          d->is_volatile = true;
          goto parse_var;
        }
        // expect holds | deadlock | violated NAME  [when CONDITION]
        if (!in_process && cur().text == "expect")
        {
          take();
          d->kind = DeclKind::Expect;
          if (!at(Tok::Ident) || (cur().text != "holds" && cur().text != "deadlock" && cur().text != "violated"))
            fail_expected("'holds', 'deadlock' or 'violated NAME' after 'expect'");
          d->name = ident("an expected verdict");
          if (d->name.name == "violated")
          {
            // NAME is an invariant or a violation kind such as out-of-range.
            Ident what = ident("the invariant or violation kind expected to fail");
            while (at(Tok::Minus) && peek().kind == Tok::Ident)
            {
              take();
              Ident more = ident("a violation kind");
              what.name += "-" + more.name;
              what.span.end = more.span.end;
            }
            d->target = what;
          }
          if (accept(Tok::KwWhen)) d->value = parse_expr();
          break;
        }
        // `init` is a soft keyword: `init { ... }` opens the init block; elsewhere it is a name.
        if (in_process || cur().text != "init" || peek().kind != Tok::LBrace) break;
        take();
        d->kind = DeclKind::Init;
        d->body = parse_block();
        break;
      case Tok::KwDef:
        if (in_process) break;
        take();
        d->kind = DeclKind::Def;
        d->name = ident("a definition name");
        if (at(Tok::LParen)) d->params = parse_params();
        expect(Tok::Colon, "before the definition's result type");
        d->type = parse_type();
        expect(Tok::Eq, "before the definition's body");
        d->value = parse_expr();
        break;
      case Tok::KwAction:
        take();
        d->kind = DeclKind::Action;
        d->name = ident("an action name");
        if (at(Tok::LParen)) d->params = parse_params();
        if (accept(Tok::KwWhen)) d->value = parse_expr();
        d->body = parse_block();
        break;
      case Tok::KwProcess:
        if (in_process) break;
        take();
        d->kind = DeclKind::Process;
        d->name = ident("a process name");
        d->params = parse_params();
        if (d->params.size() != 1)
          d_diags.fatal(DiagCode::ExpectedToken, d->name.span,
                        "a process has exactly one identity parameter, e.g. process Node(self: NodeId)");
        expect(Tok::LBrace, "to open the process body");
        while (!at(Tok::RBrace))
        {
          if (accept(Tok::Semi)) continue;
          if (at(Tok::Eof)) fail_expected("'}' to close the process body");
          if (!at(Tok::KwVar) && !at(Tok::KwAction) && !(at(Tok::Ident) && cur().text == "volatile"))
            fail_expected("'var' or 'action' inside a process");
          d->members.push_back(parse_decl(true));
        }
        take();
        break;
      case Tok::KwNetwork:
        if (in_process) break;
        take();
        d->kind = DeclKind::Network;
        d->name = ident("a network name");
        if (accept(Tok::LBracket))
        {
          d->index = parse_type();
          expect(Tok::RBracket, "after the network's index type");
        }
        expect(Tok::Colon, "after the network name");
        if (accept_word("ordered"))
          d->ordered = true;
        else if (!accept_word("unordered"))
          fail_expected("'ordered' or 'unordered' (the network's delivery semantics)");
        d->type = parse_type();
        expect_word("capacity", "(every network has a bounded capacity)");
        d->capacity = parse_expr();
        break;
      case Tok::KwInvariant:
      case Tok::KwConstraint:
        if (in_process) break;
        d->kind = take().kind == Tok::KwInvariant ? DeclKind::Invariant : DeclKind::Constraint;
        d->name = ident("a name");
        expect(Tok::Colon, "after the name");
        d->value = parse_expr();
        break;
      case Tok::KwFault:
      {
        // fault KIND(TARGET) [by BOUND] at most BUDGET [amnesia | silent | equivocate]
        if (in_process) break;
        take();
        d->kind = DeclKind::Fault;
        d->name = ident(
            "a fault kind (crash, correlated, restart, byzantine, partition, drop, duplicate, reorder, delay, gst, "
            "stale, deviate)");
        expect(Tok::LParen, "before the fault's target");
        d->target = ident("the faulty process, network or variable");
        expect(Tok::RParen, "after the fault's target");
        if (accept_word("by")) d->capacity = parse_additive();
        // `gst` is a point in time, not a budgeted fault: its budget is optional.
        if (d->name.name != "gst" || (at(Tok::Ident) && cur().text == "at"))
        {
          expect_word("at", "(a fault's budget: 'at most K')");
          expect_word("most", "(a fault's budget: 'at most K')");
          d->value = parse_additive();
        }
        if (at(Tok::Ident) && (cur().text == "amnesia" || cur().text == "silent" || cur().text == "equivocate"))
          d->modifier = ident("a fault modifier");
        break;
      }
      case Tok::KwProperty:
      {
        // property NAME: <temporal formula>   (always, eventually, until, ~>)
        if (in_process) break;
        take();
        d->kind = DeclKind::Property;
        d->name = ident("a property name");
        expect(Tok::Colon, "after the property name");
        d_temporal = true;
        d->value = parse_expr();
        d_temporal = false;
        break;
      }
      case Tok::KwFair:
      {
        // fair weak|strong ACTION | PROCESS | PROCESS.ACTION
        if (in_process) break;
        take();
        d->kind = DeclKind::Fair;
        if (!at(Tok::Ident) || (cur().text != "weak" && cur().text != "strong"))
          fail_expected("'weak' or 'strong' after 'fair'");
        d->modifier = ident("'weak' or 'strong'");
        d->target = ident("an action or process name");
        if (accept(Tok::Dot))
        {
          Ident member = ident("an action of the process");
          d->target.name += "." + member.name;
          d->target.span = join(d->target.span, member.span);
        }
        break;
      }
      case Tok::KwImport:
      {
        // import "path/file.keel"  or  import name  (name.keel on the search path)
        if (in_process) break;
        take();
        d->kind = DeclKind::Import;
        if (at(Tok::String))
        {
          Token t = take();
          d->name = {std::string(t.text.substr(1, t.text.size() - 2)), t.span};
        }
        else
        {
          d->name = ident("a module name or a \"path\"");
          d->name.name += ".keel";
        }
        break;
      }
      default:
        break;
    }
    if (d_pos == start)
      fail_expected(in_process ? "'var' or 'action'"
                               : "a declaration (const, type, enum, message, var, init, def, action, process, network, "
                                 "fault, invariant, constraint)");
    d->span = join(d->span, prev_span());
    return d;
  }

  std::vector<Ident> parse_enum_values()
  {
    std::vector<Ident> vals;
    expect(Tok::LBrace, "to open the enum values");
    do
    {
      vals.push_back(ident("an enum value"));
    } while (accept(Tok::Comma));
    expect(Tok::RBrace, "to close the enum values");
    return vals;
  }

  std::vector<Param> parse_params()
  {
    std::vector<Param> ps;
    expect(Tok::LParen);
    if (!at(Tok::RParen))
    {
      do
      {
        std::vector<Ident> names;
        do
        {
          names.push_back(ident("a parameter name"));
        } while (accept(Tok::Comma));
        expect(Tok::Colon, "after the parameter name");
        // `a, b: T` shares one type; re-parse it for each name (types are cheap).
        size_t type_pos = d_pos;
        for (size_t i = 0; i < names.size(); ++i)
        {
          d_pos = type_pos;
          ps.push_back({names[i], parse_type()});
        }
      } while (accept(Tok::Comma));
    }
    expect(Tok::RParen, "to close the parameters");
    return ps;
  }

  // ---------------------------------------------------------------- types
  // After a leading name, these tokens mean it begins a range bound (`N-1..N`)
  // rather than naming a type.
  static bool starts_range_bound(Tok k)
  {
    return k == Tok::DotDot || k == Tok::Plus || k == Tok::Minus || k == Tok::Star || k == Tok::Slash ||
           k == Tok::Percent || k == Tok::LParen;
  }

  TypeP parse_type()
  {
    DepthGuard g(*this);
    auto t = std::make_unique<TypeExpr>();
    t->span = cur().span;
    if (accept(Tok::KwBool))
      t->kind = TypeKind::Bool;
    else if (accept(Tok::KwInt))
      t->kind = TypeKind::Int;
    else if (at(Tok::KwEnum))
    {
      take();
      t->kind = TypeKind::InlineEnum;
      t->values = parse_enum_values();
    }
    else if (accept(Tok::KwRecord))
    {
      t->kind = TypeKind::Record;
      expect(Tok::LBrace, "to open the record fields");
      do
      {
        if (at(Tok::RBrace)) break;
        FieldDecl f;
        f.name = ident("a field name");
        expect(Tok::Colon, "after the field name");
        f.type = parse_type();
        t->fields.push_back(std::move(f));
      } while (accept(Tok::Comma));
      expect(Tok::RBrace, "to close the record fields");
    }
    else if (accept(Tok::LBracket))
    {
      t->kind = TypeKind::Array;
      t->key = parse_type();
      expect(Tok::RBracket, "after the array's index type");
      t->elem = parse_type();
    }
    else if (at(Tok::KwSet) || at(Tok::KwSeq) || at(Tok::KwBag))
    {
      Tok k = take().kind;
      t->kind = k == Tok::KwSet ? TypeKind::Set : k == Tok::KwSeq ? TypeKind::Seq : TypeKind::Bag;
      expect(Tok::Less, "to open the type argument");
      t->elem = parse_type();
      if (k != Tok::KwSet)
      {
        expect(Tok::Comma, k == Tok::KwSeq ? "before the sequence's capacity" : "before the bag's capacity");
        t->cap = parse_additive();
      }
      expect(Tok::Greater, "to close the type argument");
    }
    else if (at(Tok::Ident) && !starts_range_bound(peek().kind))
    {
      t->kind = TypeKind::Named;
      t->name = ident("a type");
    }
    else
    {
      t->kind = TypeKind::Range;
      // Bounds are constants: no field access, so `forall i: 0..2 . p` ends at the '.'.
      bool saved = d_in_binder_set;
      d_in_binder_set = true;
      t->lo = parse_additive();
      expect(Tok::DotDot, "in a range type 'lo..hi'");
      t->hi = parse_additive();
      d_in_binder_set = saved;
    }
    t->span = join(t->span, prev_span());
    return t;
  }

  // ---------------------------------------------------------------- statements
  Block parse_block()
  {
    DepthGuard g(*this);
    Block b;
    expect(Tok::LBrace, "to open a block");
    while (!at(Tok::RBrace))
    {
      if (accept(Tok::Semi)) continue;
      if (at(Tok::Eof)) fail_expected("'}' to close the block");
      b.push_back(parse_stmt());
    }
    take();
    return b;
  }

  StmtP parse_stmt()
  {
    DepthGuard g(*this);
    auto s = std::make_unique<Stmt>();
    s->span = cur().span;
    switch (cur().kind)
    {
      case Tok::KwIf:
      {
        take();
        s->kind = StmtKind::If;
        s->a = parse_expr();
        s->then_block = parse_block();
        if (accept(Tok::KwElse))
        {
          if (at(Tok::KwIf))
            s->else_block.push_back(parse_stmt());
          else
            s->else_block = parse_block();
        }
        break;
      }
      case Tok::KwChoose:
        take();
        s->kind = StmtKind::Choose;
        s->name = ident("a name for the chosen value");
        if (accept(Tok::Colon))
          s->type = parse_type();
        else
        {
          expect(Tok::KwIn, "or ':' after the chosen name");
          s->a = parse_expr();
        }
        if (accept_word("where")) s->b = parse_expr();
        break;
      case Tok::KwRequire:
        take();
        s->kind = StmtKind::Require;
        s->a = parse_expr();
        break;
      case Tok::KwAssert:
        take();
        s->kind = StmtKind::Assert;
        s->a = parse_expr();
        if (accept(Tok::Comma))
        {
          Token m = expect(Tok::String, "(the assertion's message)");
          s->message = std::string(m.text.substr(1, m.text.size() - 2));
        }
        break;
      case Tok::KwLet:
        take();
        s->kind = StmtKind::Let;
        s->name = ident("a name");
        expect(Tok::Eq, "after the let name");
        s->a = parse_expr();
        break;
      case Tok::KwSend:
      {
        take();
        s->kind = StmtKind::Send;
        s->a = parse_network_ref();
        expect(Tok::LParen, "around the message to send");
        s->b = parse_expr();
        expect(Tok::RParen, "after the message");
        break;
      }
      case Tok::KwReceive:
        take();
        s->kind = StmtKind::Receive;
        s->name = ident("a name for the received message");
        expect_word("from", "after the received name");
        s->a = parse_network_ref();
        if (accept_word("where")) s->b = parse_expr();
        break;
      case Tok::KwSkip:
        take();
        s->kind = StmtKind::Skip;
        break;
      default:
      {
        s->kind = StmtKind::Assign;
        s->a = parse_postfix();
        expect(Tok::Assign,
               "(a statement: assignment 'x := e', if, choose, require, assert, let, send, receive or skip)");
        s->b = parse_expr();
        break;
      }
    }
    s->span = join(s->span, prev_span());
    return s;
  }

  ExprP parse_network_ref()
  {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::Name;
    e->name = ident("a network name");
    e->span = e->name.span;
    if (accept(Tok::LBracket))
    {
      auto ix = std::make_unique<Expr>();
      ix->kind = ExprKind::Index;
      ix->kids.push_back(std::move(e));
      ix->kids.push_back(parse_expr());
      expect(Tok::RBracket, "after the network index");
      ix->span = join(ix->kids[0]->span, prev_span());
      return ix;
    }
    return e;
  }

  // ---------------------------------------------------------------- expressions
  ExprP make(ExprKind k, Span sp)
  {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->span = sp;
    return e;
  }
  ExprP binary(BinOp op, ExprP l, ExprP r)
  {
    auto e = make(ExprKind::Binary, join(l->span, r->span));
    e->binop = op;
    e->kids.push_back(std::move(l));
    e->kids.push_back(std::move(r));
    if (tree_depth(*e) > kMaxTreeDepth)
      d_diags.fatal(DiagCode::NestingTooDeep, e->span,
                    "expression nested deeper than " + std::to_string(kMaxTreeDepth) + " levels");
    return e;
  }
  // The depth of a tree, memoized in Expr::depth; a type's range bounds and
  // capacities count as its children.
  static int tree_depth(Expr& e)
  {
    if (e.depth == 0)
    {
      int d = 0;
      for (auto& k : e.kids) d = std::max(d, tree_depth(*k));
      if (e.binder && e.binder->set) d = std::max(d, tree_depth(*e.binder->set));
      if (e.binder && e.binder->type) d = std::max(d, tree_depth(*e.binder->type));
      e.depth = d + 1;
    }
    return e.depth;
  }
  static int tree_depth(TypeExpr& t)
  {
    int d = 0;
    for (Expr* x : {t.lo.get(), t.hi.get(), t.cap.get()})
      if (x) d = std::max(d, tree_depth(*x));
    for (TypeExpr* k : {t.key.get(), t.elem.get()})
      if (k) d = std::max(d, tree_depth(*k));
    for (auto& f : t.fields) d = std::max(d, tree_depth(*f.type));
    return d + 1;
  }

  ExprP parse_expr()
  {
    DepthGuard g(*this);
    // A full expression (in parentheses, arguments, indexes) may use `.f` again.
    struct Reset
    {
      bool& flag;
      bool saved;
      ~Reset() { flag = saved; }
    } reset{d_in_binder_set, d_in_binder_set}, reset_with{d_no_with, d_no_with};
    d_in_binder_set = false;
    d_no_with = false;
    if (at(Tok::KwForall) || at(Tok::KwExists) || is_quant_word())
    {
      Span sp = cur().span;
      QuantKind q = at(Tok::KwForall)     ? QuantKind::Forall
                    : at(Tok::KwExists)   ? QuantKind::Exists
                    : cur().text == "sum" ? QuantKind::Sum
                                          : QuantKind::Count;
      take();
      auto e = make(ExprKind::Quant, sp);
      e->quant = q;
      e->binder = parse_binder(true);
      expect(Tok::Dot, "after the quantifier's binder");
      e->kids.push_back(parse_expr());
      e->span = join(sp, prev_span());
      return e;
    }
    if (at(Tok::KwIf))
    {
      Span sp = take().span;
      auto e = make(ExprKind::Ite, sp);
      e->kids.push_back(parse_expr());
      expect(Tok::KwThen, "after the condition");
      e->kids.push_back(parse_expr());
      expect(Tok::KwElse, "(an if-expression needs an else)");
      e->kids.push_back(parse_expr());
      e->span = join(sp, prev_span());
      return e;
    }
    return parse_leads_to();
  }

  // Temporal operators (only inside `property`): `p ~> q` binds loosest,
  // `always`/`eventually` take a comparison, `until` sits between && and
  // the comparisons. The lowering rejects them anywhere else.
  ExprP temporal(TemporalOp op, Span sp, ExprP a, ExprP b = nullptr)
  {
    auto e = make(ExprKind::Temporal, sp);
    e->temporal = op;
    e->kids.push_back(std::move(a));
    if (b) e->kids.push_back(std::move(b));
    e->span = join(sp, e->kids.back()->span);
    return e;
  }
  bool at_temporal_word(const char* w) const { return d_temporal && at(Tok::Ident) && cur().text == w; }
  ExprP parse_leads_to()
  {
    DepthGuard g(*this);
    ExprP l = parse_implies();
    if (accept(Tok::LeadsTo))
    {
      Span sp = l->span;
      return temporal(TemporalOp::LeadsTo, sp, std::move(l), parse_rhs_expr(&Parser::parse_leads_to));
    }
    return l;
  }
  ExprP parse_until()
  {
    DepthGuard g(*this);
    ExprP l = parse_cmp();
    if (at_temporal_word("until"))
    {
      take();
      Span sp = l->span;
      return temporal(TemporalOp::Until, sp, std::move(l), parse_rhs_expr(&Parser::parse_until));
    }
    return l;
  }

  // `sum x: T . e` and `count x: T . p`; `count(b, e)` is the bag built-in.
  bool is_quant_word() const
  {
    if (!at(Tok::Ident) || (cur().text != "sum" && cur().text != "count")) return false;
    return peek().kind == Tok::Ident &&
           (peek(2).kind == Tok::Colon || peek(2).kind == Tok::Comma || peek(2).kind == Tok::KwIn);
  }

  std::unique_ptr<Binder> parse_binder(bool dot_ends_set)
  {
    auto b = std::make_unique<Binder>();
    do
    {
      b->names.push_back(ident("a bound name"));
    } while (accept(Tok::Comma));
    if (accept(Tok::Colon))
      b->type = parse_type();
    else
    {
      expect(Tok::KwIn, "or ':' after the bound name");
      // In `forall x in S . p` the '.' ends S: a field access in S needs parentheses.
      bool saved = d_in_binder_set;
      d_in_binder_set = dot_ends_set;
      b->set = parse_additive_set();
      d_in_binder_set = saved;
    }
    return b;
  }

  ExprP parse_implies()
  {
    DepthGuard g(*this);
    ExprP l = parse_or();
    if (accept(Tok::Implies)) return binary(BinOp::Implies, std::move(l), parse_rhs_expr(&Parser::parse_implies));
    return l;
  }
  // The right operand of a binary operator may itself be a quantifier or
  // if-expression (`p => forall x: T . q`), which extends to the right.
  ExprP parse_rhs_expr(ExprP (Parser::*next)())
  {
    if (at(Tok::KwForall) || at(Tok::KwExists) || at(Tok::KwIf) || is_quant_word()) return parse_expr();
    return (this->*next)();
  }
  ExprP parse_or()
  {
    ExprP l = parse_and();
    while (accept(Tok::OrOr)) l = binary(BinOp::Or, std::move(l), parse_rhs_expr(&Parser::parse_and));
    return l;
  }
  ExprP parse_and()
  {
    ExprP l = parse_until();
    while (accept(Tok::AndAnd)) l = binary(BinOp::And, std::move(l), parse_rhs_expr(&Parser::parse_until));
    return l;
  }
  ExprP parse_cmp()
  {
    ExprP l = parse_additive_set();
    BinOp op;
    switch (cur().kind)
    {
      case Tok::EqEq:
        op = BinOp::Eq;
        break;
      case Tok::NotEq:
        op = BinOp::Ne;
        break;
      case Tok::Less:
        op = BinOp::Lt;
        break;
      case Tok::LessEq:
        op = BinOp::Le;
        break;
      case Tok::Greater:
        op = BinOp::Gt;
        break;
      case Tok::GreaterEq:
        op = BinOp::Ge;
        break;
      case Tok::KwIn:
        op = BinOp::In;
        break;
      default:
        return l;
    }
    take();
    ExprP r = parse_additive_set();
    return binary(op, std::move(l), std::move(r));
  }
  ExprP parse_additive_set()
  {
    ExprP l = parse_intersect();
    while (at(Tok::KwUnion) || at(Tok::KwMinus))
    {
      BinOp op = take().kind == Tok::KwUnion ? BinOp::Union : BinOp::Minus;
      l = binary(op, std::move(l), parse_intersect());
    }
    return l;
  }
  ExprP parse_intersect()
  {
    ExprP l = parse_additive();
    while (accept(Tok::KwIntersect)) l = binary(BinOp::Intersect, std::move(l), parse_additive());
    return l;
  }
  ExprP parse_additive()
  {
    ExprP l = parse_mul();
    while (at(Tok::Plus) || at(Tok::Minus))
    {
      BinOp op = take().kind == Tok::Plus ? BinOp::Add : BinOp::Sub;
      l = binary(op, std::move(l), parse_mul());
    }
    return l;
  }
  ExprP parse_mul()
  {
    ExprP l = parse_unary();
    while (at(Tok::Star) || at(Tok::Slash) || at(Tok::Percent))
    {
      Tok k = take().kind;
      BinOp op = k == Tok::Star ? BinOp::Mul : k == Tok::Slash ? BinOp::Div : BinOp::Mod;
      l = binary(op, std::move(l), parse_unary());
    }
    return l;
  }
  ExprP parse_unary()
  {
    DepthGuard g(*this);
    if (at(Tok::Minus) || at(Tok::Bang))
    {
      Token t = take();
      auto e = make(ExprKind::Unary, t.span);
      e->unop = t.kind == Tok::Minus ? UnOp::Neg : UnOp::Not;
      e->kids.push_back(parse_unary());
      e->span = join(t.span, e->kids[0]->span);
      return e;
    }
    if (!d_temporal && at(Tok::Ident) && (cur().text == "always" || cur().text == "eventually") &&
        (peek().kind == Tok::Ident || peek().kind == Tok::Bang || peek().kind == Tok::KwTrue ||
         peek().kind == Tok::KwFalse || peek().kind == Tok::KwForall || peek().kind == Tok::KwExists))
      d_diags.fatal(DiagCode::TemporalMisplaced, cur().span,
                    "'" + std::string(cur().text) +
                        "' is a temporal operator: write it in a property (`property NAME: " + std::string(cur().text) +
                        " ...`), not in an invariant, definition or action");
    if (at_temporal_word("always") || at_temporal_word("eventually"))
    {
      Token t = take();
      return temporal(t.text == "always" ? TemporalOp::Always : TemporalOp::Eventually, t.span,
                      parse_rhs_expr(&Parser::parse_cmp));
    }
    return parse_postfix();
  }
  ExprP parse_postfix()
  {
    ExprP e = parse_primary();
    int chain = 0;
    for (;;)
    {
      if (++chain > kMaxDepth) d_diags.fatal(DiagCode::NestingTooDeep, cur().span, "postfix chain too long");
      if (accept(Tok::LBracket))
      {
        auto ix = make(ExprKind::Index, e->span);
        ix->kids.push_back(std::move(e));
        ix->kids.push_back(parse_expr());
        expect(Tok::RBracket, "to close the index");
        ix->span = join(ix->span, prev_span());
        e = std::move(ix);
      }
      else if (!d_in_binder_set && at(Tok::Dot) && peek().kind == Tok::Ident)
      {
        take();
        auto f = make(ExprKind::Field, e->span);
        f->name = ident("a field name");
        f->kids.push_back(std::move(e));
        f->span = join(f->span, prev_span());
        e = std::move(f);
      }
      else if (at(Tok::KwIs))
      {
        take();
        auto t = make(ExprKind::IsTag, e->span);
        t->name = ident("a message tag");
        t->kids.push_back(std::move(e));
        t->span = join(t->span, prev_span());
        e = std::move(t);
      }
      else if (at(Tok::KwWith) && !d_no_with)
      {
        take();
        if (accept(Tok::LBracket))
        {
          auto w = make(ExprKind::ArrayWith, e->span);
          w->kids.push_back(std::move(e));
          w->kids.push_back(parse_expr());
          expect(Tok::RBracket, "after the index");
          expect(Tok::Eq, "in 'a with [i] = e'");
          // `a with [1] = x with [2] = y` chains to the left: the value stops before `with`.
          bool saved = d_no_with;
          d_no_with = true;
          w->kids.push_back(parse_additive_set());
          d_no_with = saved;
          w->span = join(w->span, prev_span());
          e = std::move(w);
        }
        else
        {
          auto w = make(ExprKind::RecordWith, e->span);
          w->kids.push_back(std::move(e));
          expect(Tok::LBrace, "or '[' after 'with'");
          do
          {
            w->names.push_back(ident("a field name"));
            expect(Tok::Colon, "after the field name");
            w->kids.push_back(parse_expr());
          } while (accept(Tok::Comma));
          expect(Tok::RBrace, "to close the record update");
          w->span = join(w->span, prev_span());
          e = std::move(w);
        }
      }
      else
        return e;
    }
  }

  // Scans from the current '{' to its match: is there a '|' at depth 1
  // before any ',' at depth 1? Then this is a set comprehension.
  bool brace_is_comprehension() const
  {
    int depth = 0;
    for (size_t i = d_pos; i < d_toks.size(); ++i)
    {
      Tok k = d_toks[i].kind;
      if (k == Tok::LBrace || k == Tok::LParen || k == Tok::LBracket)
        ++depth;
      else if (k == Tok::RBrace || k == Tok::RParen || k == Tok::RBracket)
      {
        if (--depth == 0) return false;
      }
      else if (depth == 1 && k == Tok::Comma)
        return false;
      else if (depth == 1 && k == Tok::Bar)
        return true;
      else if (k == Tok::Eof)
        return false;
    }
    return false;
  }

  ExprP parse_primary()
  {
    Span sp = cur().span;
    switch (cur().kind)
    {
      case Tok::Int:
      {
        auto e = make(ExprKind::IntLit, sp);
        e->int_value = take().int_value;
        return e;
      }
      case Tok::KwTrue:
      case Tok::KwFalse:
      {
        auto e = make(ExprKind::BoolLit, sp);
        e->int_value = take().kind == Tok::KwTrue ? 1 : 0;
        return e;
      }
      case Tok::LParen:
      {
        take();
        ExprP e = parse_expr();
        expect(Tok::RParen, "to close the parenthesis");
        e->span = join(sp, prev_span());  // the parentheses belong to the expression's text
        return e;
      }
      case Tok::Ident:
      {
        Ident id = ident("a name");
        if (accept(Tok::LParen))
        {
          auto e = make(ExprKind::Call, sp);
          e->name = id;
          if (!at(Tok::RParen))
          {
            do
            {
              e->kids.push_back(parse_expr());
            } while (accept(Tok::Comma));
          }
          expect(Tok::RParen, "to close the arguments");
          e->span = join(sp, prev_span());
          return e;
        }
        auto e = make(ExprKind::Name, sp);
        e->name = id;
        return e;
      }
      case Tok::LBrace:
      {
        if (brace_is_comprehension())
        {
          take();
          auto e = make(ExprKind::SetComp, sp);
          e->binder = parse_binder(false);
          if (e->binder->names.size() != 1)
            d_diags.fatal(DiagCode::ExpectedToken, e->binder->names[1].span,
                          "a set comprehension binds exactly one name");
          expect(Tok::Bar, "in a set comprehension '{ x: T | p }'");
          e->kids.push_back(parse_expr());
          expect(Tok::RBrace, "to close the set comprehension");
          e->span = join(sp, prev_span());
          return e;
        }
        take();
        if (at(Tok::Ident) && peek().kind == Tok::Colon)
        {
          auto e = make(ExprKind::RecordLit, sp);
          do
          {
            if (at(Tok::RBrace)) break;
            e->names.push_back(ident("a field name"));
            expect(Tok::Colon, "after the field name");
            e->kids.push_back(parse_expr());
          } while (accept(Tok::Comma));
          expect(Tok::RBrace, "to close the record");
          e->span = join(sp, prev_span());
          return e;
        }
        auto e = make(ExprKind::SetLit, sp);
        if (!at(Tok::RBrace))
        {
          do
          {
            if (at(Tok::RBrace)) break;
            e->kids.push_back(parse_expr());
          } while (accept(Tok::Comma));
        }
        expect(Tok::RBrace, "to close the set");
        e->span = join(sp, prev_span());
        return e;
      }
      case Tok::LBracket:
      {
        take();
        if (at(Tok::Underscore) && peek().kind == Tok::Implies)
        {
          take();
          take();
          auto e = make(ExprKind::ArrayLit, sp);
          e->kids.push_back(parse_expr());
          expect(Tok::RBracket, "to close the array");
          e->span = join(sp, prev_span());
          return e;
        }
        if (at(Tok::Ident) && peek().kind == Tok::Colon)
        {
          auto e = make(ExprKind::ArrayLit, sp);
          e->binder = std::make_unique<Binder>();
          e->binder->names.push_back(ident("an index name"));
          expect(Tok::Colon);
          e->binder->type = parse_type();
          expect(Tok::Implies, "in an array literal '[i: K => e]'");
          e->kids.push_back(parse_expr());
          expect(Tok::RBracket, "to close the array");
          e->span = join(sp, prev_span());
          return e;
        }
        auto e = make(ExprKind::SeqLit, sp);
        if (!at(Tok::RBracket))
        {
          do
          {
            e->kids.push_back(parse_expr());
          } while (accept(Tok::Comma));
        }
        expect(Tok::RBracket, "to close the sequence");
        e->span = join(sp, prev_span());
        return e;
      }
      default:
        fail_expected("an expression");
    }
  }

  std::vector<Token> d_toks;
  size_t d_pos = 0;
  int d_depth = 0;
  bool d_in_binder_set = false;
  bool d_no_with = false;
  bool d_temporal = false;  // inside a property: always, eventually, until are operators
  DiagnosticEngine& d_diags;
};

}  // namespace

ast::Spec parse(const SourceManager& sources, FileId file, DiagnosticEngine& diags)
{
  std::vector<Token> toks = lex(sources.file(file), file, diags);
  Parser p(std::move(toks), diags);
  return p.parse_spec();
}

}  // namespace keel
