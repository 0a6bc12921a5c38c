// Z3 through its C++ API, with the C API where z3++ has no wrapper.
#include "checker/smt/z3/z3_solver.hpp"

#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "checker/smt/solver_base.hpp"
#include "checker/smt/term_util.hpp"

namespace keel::smt
{

Capabilities z3_capabilities()
{
  Capabilities c;
  c.incremental = true;
  c.unsat_assumptions = true;
  c.integers = true;
  c.bit_vectors = true;
  c.arrays = true;
  c.chc = true;  // Spacer
  return c;
}

namespace
{

bool is_unsigned_number(std::string_view s)
{
  return !s.empty() && s.size() <= 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class Z3Solver final : public SolverBase
{
 public:
  Z3Solver() : SolverBase("z3", z3_capabilities()), d_solver(d_ctx) { sync(); }

 protected:
  void lower_sort(Sort sort, const SortNode& n) override
  {
    switch (n.kind)
    {
      case SortKind::Bool:
        d_sorts.push_back(d_ctx.bool_sort());
        break;
      case SortKind::Int:
        d_sorts.push_back(d_ctx.int_sort());
        break;
      case SortKind::BitVec:
        d_sorts.push_back(d_ctx.bv_sort(n.width));
        break;
      case SortKind::Array:
        d_sorts.push_back(d_ctx.array_sort(d_sorts.at(n.index.index()), d_sorts.at(n.element.index())));
        break;
    }
    KEEL_SMT_ASSERT(d_sorts.size() == sort.index() + 1, "z3: sorts lowered out of order");
  }

  void lower_term(Term term, const TermNode& n) override
  {
    d_terms.push_back(build(n));
    KEEL_SMT_ASSERT(d_terms.size() == term.index() + 1, "z3: terms lowered out of order");
  }

  void do_set_option(std::string_view name, std::string_view value) override
  {
    std::string native(name);
    if (name == "produce-models" || name == "produce-unsat-assumptions" || name == "incremental")
    {
      if (value != "true") unsupported("z3 back end: " + std::string(name) + " is always on");
      return;
    }
    if (name == "timeout")
    {
      native = "timeout";
      // Spacer has no time limit of its own: solve_chc interrupts it.
      if (is_unsigned_number(value) && std::stoull(std::string(value)) <= UINT32_MAX)
        d_timeout_ms = static_cast<unsigned>(std::stoul(std::string(value)));
    }
    if (name == "random-seed") native = "random_seed";
    // Z3 takes unknown solver parameters silently, so look the name up first
    // and read the value by the parameter's declared kind.
    z3::param_descrs descrs = d_solver.get_param_descrs();
    z3::symbol key = d_ctx.str_symbol(native.c_str());
    std::string text(value);
    auto bad_value = [&](const char* expected)
    { user_error("z3 option " + std::string(name) + " needs " + expected + ", got '" + text + "'"); };
    z3::params p(d_ctx);
    switch (descrs.kind(key))
    {
      case Z3_PK_BOOL:
        if (text != "true" && text != "false") bad_value("true or false");
        p.set(native.c_str(), text == "true");
        break;
      case Z3_PK_UINT:
        if (!is_unsigned_number(text) || std::stoull(text) > UINT32_MAX) bad_value("an unsigned 32-bit number");
        p.set(native.c_str(), static_cast<unsigned>(std::stoul(text)));
        break;
      case Z3_PK_DOUBLE:
        try
        {
          p.set(native.c_str(), std::stod(text));
        }
        catch (const std::exception&)
        {
          bad_value("a number");
        }
        break;
      case Z3_PK_SYMBOL:
      case Z3_PK_STRING:
        p.set(native.c_str(), d_ctx.str_symbol(text.c_str()));
        break;
      case Z3_PK_OTHER:
      case Z3_PK_INVALID:
        user_error("z3 has no solver option '" + std::string(name) + "' (z3 -p lists them)");
    }
    d_solver.set(p);
  }

  void do_assert(Term formula) override
  {
    d_model.reset();
    d_solver.add(native(formula));
  }

  Result do_check_sat() override
  {
    d_model.reset();
    return convert(d_solver.check());
  }

  Result do_check_sat_assuming(const std::vector<Term>& assumptions) override
  {
    d_model.reset();
    d_assumptions = assumptions;
    z3::expr_vector v(d_ctx);
    for (Term a : assumptions) v.push_back(native(a));
    return convert(d_solver.check(v));
  }

  std::vector<Term> do_get_unsat_assumptions() override
  {
    // Z3 names the failing assumptions by their expressions; map them back.
    z3::expr_vector core = d_solver.unsat_core();
    std::vector<Term> out;
    for (unsigned i = 0; i < core.size(); ++i)
    {
      z3::expr c = core[i];
      auto it = std::find_if(d_assumptions.begin(), d_assumptions.end(), [&](Term a) { return z3::eq(native(a), c); });
      KEEL_SMT_ASSERT(it != d_assumptions.end(), "z3 unsat core holds a non-assumption: " + c.to_string());
      if (std::find(out.begin(), out.end(), *it) == out.end()) out.push_back(*it);
    }
    return out;
  }

  void do_push(uint32_t levels) override
  {
    d_model.reset();
    for (uint32_t i = 0; i < levels; ++i) d_solver.push();
  }

  void do_pop(uint32_t levels) override
  {
    d_model.reset();
    d_solver.pop(levels);
  }

  Value do_get_value(Term term) override
  {
    if (!d_model) d_model.emplace(d_solver.get_model());
    z3::expr v = d_model->eval(native(term), /*model_completion=*/true);
    const SortNode& sort = table().node(table().sort_of(term));
    switch (sort.kind)
    {
      case SortKind::Bool:
        KEEL_SMT_ASSERT(v.is_true() || v.is_false(), "z3 value of a Bool term is " + v.to_string());
        return Value::boolean(v.is_true());
      case SortKind::Int:
      {
        KEEL_SMT_ASSERT(v.is_numeral(), "z3 value of an Int term is " + v.to_string());
        int64_t i = 0;
        if (!v.is_numeral_i64(i)) unsupported("integer value " + v.to_string() + " does not fit in int64");
        return Value::integer(i);
      }
      case SortKind::BitVec:
      {
        KEEL_SMT_ASSERT(v.is_numeral(), "z3 value of a bit-vector term is " + v.to_string());
        // Z3 prints the shortest binary; pad to the width.
        std::string bits = Z3_get_numeral_binary_string(d_ctx, v);
        d_ctx.check_error();
        KEEL_SMT_ASSERT(bits.size() <= sort.width, "z3 bit-vector value wider than its sort: " + bits);
        bits.insert(0, sort.width - bits.size(), '0');
        return Value::bitvector(BitVector::from_binary(bits));
      }
      case SortKind::Array:
        break;
    }
    unsupported("z3 back end: get_value of " + table().to_smtlib(table().sort_of(term)));
  }

  // Spacer through Z3's fixedpoint interface: one relation per ChcSystem
  // relation, one rule per clause (named "clause!i", so a counterexample's
  // rules map back), and the queries deriving a fresh 0-ary relation that is
  // then asked for. The answer is read back into this solver's terms.
  ChcAnswer do_solve_chc(const ChcSystem& sys) override
  {
    z3::fixedpoint fp(d_ctx);
    z3::params p(d_ctx);
    p.set("engine", d_ctx.str_symbol("spacer"));
    if (d_timeout_ms) p.set("timeout", d_timeout_ms);
    fp.set(p);
    std::unordered_set<std::string> taken;
    std::vector<z3::func_decl> decls;
    for (const Relation& r : sys.relations())
    {
      z3::sort_vector domain(d_ctx);
      for (Term f : r.formals) domain.push_back(d_sorts.at(table().sort_of(f).index()));
      decls.push_back(d_ctx.function(r.name.c_str(), domain, d_ctx.bool_sort()));
      fp.register_relation(decls.back());
      taken.insert(r.name);
    }
    std::string query_name = "query!keel";
    while (taken.count(query_name) || table().lookup_const(query_name)) query_name += "!";
    z3::func_decl query = d_ctx.function(query_name.c_str(), 0, nullptr, d_ctx.bool_sort());
    fp.register_relation(query);

    auto apply = [&](const RelationApp& a)
    {
      z3::expr_vector args(d_ctx);
      for (Term t : a.args) args.push_back(native(t));
      return decls[a.relation](args);
    };
    for (size_t i = 0; i < sys.clauses().size(); ++i)
    {
      const HornClause& c = sys.clauses()[i];
      z3::expr_vector body(d_ctx);
      for (const RelationApp& a : c.body) body.push_back(apply(a));
      if (c.constraint) body.push_back(native(c.constraint));
      z3::expr lhs = body.empty() ? d_ctx.bool_val(true) : z3::mk_and(body);
      z3::expr rule = z3::implies(lhs, c.head ? apply(*c.head) : query());
      std::vector<Term> vars = clause_variables(table(), c);
      if (!vars.empty())
      {
        z3::expr_vector bound(d_ctx);
        for (Term v : vars) bound.push_back(native(v));
        rule = z3::forall(bound, rule);
      }
      fp.add_rule(rule, d_ctx.str_symbol(("clause!" + std::to_string(i)).c_str()));
    }

    z3::expr goal = query();
    Z3_lbool r = Z3_fixedpoint_query(d_ctx, fp, goal);
    ChcAnswer answer;
    if (Z3_error_code err = Z3_get_error_code(d_ctx); err != Z3_OK)
    {
      // A time limit ends the query with an exception ("canceled").
      answer.reason = std::string("z3: ") + Z3_get_error_msg(d_ctx, err);
      if (d_timeout_ms) answer.reason += " (time limit " + std::to_string(d_timeout_ms) + " ms)";
      return answer;
    }
    if (r == Z3_L_UNDEF)
    {
      answer.reason = std::string("z3: ") + Z3_fixedpoint_get_reason_unknown(d_ctx, fp);
      return answer;
    }
    if (r == Z3_L_FALSE)
    {
      answer.result = ChcResult::Safe;
      answer.interpretations = read_interpretations(sys, fp, decls);
      return answer;
    }
    answer.result = ChcResult::Unsafe;
    read_derivation(sys, fp, decls, answer);
    return answer;
  }

  // The inductive invariant: Spacer's answer after an unsat query is
  // (and (forall (vars) (= (R vars) def)) ...), one conjunct per relation
  // (0-ary relations as (= R def)). A relation the answer does not define
  // (eliminated by a rule transformation) falls back to its cover at the
  // fixpoint level; the caller validates whatever comes back.
  std::vector<Term> read_interpretations(const ChcSystem& sys, z3::fixedpoint& fp,
                                         const std::vector<z3::func_decl>& decls)
  {
    const size_t n = sys.relations().size();
    std::vector<std::optional<z3::expr>> defs(n);
    z3::expr answer(d_ctx, Z3_fixedpoint_get_answer(d_ctx, fp));
    d_ctx.check_error();
    std::vector<z3::expr> conjuncts;
    if (answer.is_app() && answer.decl().decl_kind() == Z3_OP_AND)
      for (unsigned i = 0; i < answer.num_args(); ++i) conjuncts.push_back(answer.arg(i));
    else
      conjuncts.push_back(answer);
    auto relation_of = [&](const z3::expr& e) -> int
    {
      if (!e.is_app()) return -1;
      for (size_t r = 0; r < n; ++r)
        if (z3::eq(e.decl(), decls[r])) return static_cast<int>(r);
      return -1;
    };
    for (const z3::expr& conj : conjuncts)
    {
      z3::expr body = conj;
      unsigned num_bound = 0;
      if (conj.is_quantifier())
      {
        if (!conj.is_forall()) continue;
        num_bound = Z3_get_quantifier_num_bound(d_ctx, conj);
        body = z3::expr(d_ctx, Z3_get_quantifier_body(d_ctx, conj));
      }
      if (!body.is_app() || !body.is_eq() || body.num_args() != 2) continue;
      z3::expr head = body.arg(0), def = body.arg(1);
      int r = relation_of(head);
      if (r < 0)
      {
        std::swap(head, def);
        r = relation_of(head);
      }
      if (r < 0 || defs[r]) continue;
      const std::vector<Term>& formals = sys.relation(r).formals;
      // Each argument of the head is a distinct bound variable: it stands for that formal.
      std::vector<Z3_ast> to(num_bound, nullptr);
      bool ok = head.num_args() == formals.size();
      for (unsigned j = 0; ok && j < head.num_args(); ++j)
      {
        z3::expr a = head.arg(j);
        ok = a.is_var() && Z3_get_index_value(d_ctx, a) < num_bound && !to[Z3_get_index_value(d_ctx, a)];
        if (ok) to[Z3_get_index_value(d_ctx, a)] = native(formals[j]);
      }
      for (Z3_ast t : to) ok = ok && t != nullptr;
      if (!ok) continue;
      defs[r] = num_bound ? z3::expr(d_ctx, Z3_substitute_vars(d_ctx, def, num_bound, to.data())) : def;
      d_ctx.check_error();
    }
    std::vector<Term> out;
    for (size_t r = 0; r < n; ++r)
    {
      const std::vector<Term>& formals = sys.relation(r).formals;
      if (!defs[r])
      {
        // The cover refers to argument i as the variable with index i.
        z3::expr cover(d_ctx, Z3_fixedpoint_get_cover_delta(d_ctx, fp, -1, decls[r]));
        d_ctx.check_error();
        std::vector<Z3_ast> to;
        for (Term f : formals) to.push_back(native(f));
        defs[r] = to.empty() ? cover : z3::expr(d_ctx, Z3_substitute_vars(d_ctx, cover, to.size(), to.data()));
        d_ctx.check_error();
      }
      defs[r] = without_quantifiers(*defs[r]);
      std::unordered_map<unsigned, Term> consts;
      for (Term f : formals) consts.emplace(native(f).id(), f);
      std::unordered_map<unsigned, Term> memo;
      out.push_back(from_native(*defs[r], consts, memo));
    }
    return out;
  }

  // Spacer's answers may hold quantifiers over auxiliary variables (e.g.
  // (exists ((v (_ BitVec 3))) (= v #b011)) for a relation that only needs a
  // witness); Keel's terms have none, so they are eliminated first:
  // equivalence-preserving tactics, cheap one first.
  z3::expr without_quantifiers(const z3::expr& e)
  {
    auto quantified = [](const z3::expr& f)
    {
      std::vector<z3::expr> stack{f};
      std::unordered_set<unsigned> seen;
      while (!stack.empty())
      {
        z3::expr x = stack.back();
        stack.pop_back();
        if (x.is_quantifier()) return true;
        if (!x.is_app() || !seen.insert(x.id()).second) continue;
        for (unsigned i = 0; i < x.num_args(); ++i) stack.push_back(x.arg(i));
      }
      return false;
    };
    z3::expr current = e;
    for (const char* name : {"qe-light", "qe"})
    {
      if (!quantified(current)) break;
      z3::goal g(d_ctx);
      g.add(current);
      z3::apply_result r = z3::tactic(d_ctx, name)(g);
      if (r.size() != 1) continue;
      current = r[0].as_expr();
    }
    return current;
  }

  // A counterexample as Spacer reports it: the names of the rules along it
  // (from the query back to a fact) and the ground facts in its proof.
  void read_derivation(const ChcSystem& sys, z3::fixedpoint& fp, const std::vector<z3::func_decl>& decls,
                       ChcAnswer& answer)
  {
    std::string names = z3::symbol(d_ctx, Z3_fixedpoint_get_rule_names_along_trace(d_ctx, fp)).str();
    d_ctx.check_error();
    std::vector<size_t> clauses;
    for (size_t start = 0; start <= names.size();)
    {
      size_t end = std::min(names.find(';', start), names.size());
      std::string name = names.substr(start, end - start);
      if (name.rfind("clause!", 0) == 0 && is_unsigned_number(name.substr(7)))
        clauses.push_back(std::stoul(name.substr(7)));
      start = end + 1;
    }
    answer.derivation.assign(clauses.rbegin(), clauses.rend());
    // The facts: relation applications to values in the proof, innermost first.
    z3::expr proof(d_ctx, Z3_fixedpoint_get_answer(d_ctx, fp));
    d_ctx.check_error();
    std::unordered_set<unsigned> seen;
    std::vector<std::pair<z3::expr, bool>> stack{{proof, false}};
    while (!stack.empty())
    {
      auto [e, expanded] = stack.back();
      stack.pop_back();
      if (!e.is_app()) continue;  // quantified rules hold no facts
      if (!expanded)
      {
        if (!seen.insert(e.id()).second) continue;
        stack.push_back({e, true});
        for (unsigned i = e.num_args(); i-- > 0;) stack.push_back({e.arg(i), false});
        continue;
      }
      // A fact is what a hyper-resolution step concludes (its last argument).
      if (e.decl().decl_kind() != Z3_OP_PR_HYPER_RESOLVE || e.num_args() == 0) continue;
      z3::expr conclusion = e.arg(e.num_args() - 1);
      for (size_t r = 0; r < decls.size(); ++r)
      {
        if (!conclusion.is_app() || !z3::eq(conclusion.decl(), decls[r])) continue;
        GroundFact fact;
        fact.relation = static_cast<RelationId>(r);
        bool ground = true;
        for (unsigned i = 0; ground && i < conclusion.num_args(); ++i)
        {
          ground = conclusion.arg(i).is_numeral() || conclusion.arg(i).is_true() || conclusion.arg(i).is_false();
          if (ground) fact.args.push_back(value_of(conclusion.arg(i), sys.relation(r).formals[i]));
        }
        if (ground) answer.facts.push_back(std::move(fact));
      }
    }
  }

  Value value_of(const z3::expr& v, Term like)
  {
    const SortNode& sort = table().node(table().sort_of(like));
    switch (sort.kind)
    {
      case SortKind::Bool:
        return Value::boolean(v.is_true());
      case SortKind::Int:
      {
        int64_t i = 0;
        if (!v.is_numeral_i64(i)) unsupported("integer value " + v.to_string() + " does not fit in int64");
        return Value::integer(i);
      }
      case SortKind::BitVec:
      {
        std::string bits = Z3_get_numeral_binary_string(d_ctx, v);
        d_ctx.check_error();
        KEEL_SMT_ASSERT(bits.size() <= sort.width, "z3 bit-vector value wider than its sort: " + bits);
        bits.insert(0, sort.width - bits.size(), '0');
        return Value::bitvector(BitVector::from_binary(bits));
      }
      case SortKind::Array:
        break;
    }
    unsupported("z3 back end: a value of sort " + table().to_smtlib(table().sort_of(like)));
  }

  // A Z3 expression (an answer from Spacer) as a term of this solver: the
  // inverse of build(), plus Z3's operators that Keel's vocabulary expresses
  // through others (bvuge, bvneg, bit2bool, ...). `consts` maps the Z3 ids
  // of the constants the expression may mention.
  Term from_native(const z3::expr& e, const std::unordered_map<unsigned, Term>& consts,
                   std::unordered_map<unsigned, Term>& memo)
  {
    if (auto it = memo.find(e.id()); it != memo.end()) return it->second;
    Term t = convert_native(e, consts, memo);
    memo.emplace(e.id(), t);
    return t;
  }

  Term convert_native(const z3::expr& e, const std::unordered_map<unsigned, Term>& consts,
                      std::unordered_map<unsigned, Term>& memo)
  {
    auto cannot = [&](const std::string& what) -> Term
    { unsupported("z3 back end: cannot read back " + what + " of a Horn clause answer: " + e.to_string()); };
    if (e.is_quantifier() || e.is_var()) return cannot("a quantified formula");
    if (e.is_numeral())
    {
      if (e.is_bv())
      {
        std::string bits = Z3_get_numeral_binary_string(d_ctx, e);
        d_ctx.check_error();
        bits.insert(0, e.get_sort().bv_size() - bits.size(), '0');
        return make_value(BitVector::from_binary(bits));
      }
      if (e.is_int())
      {
        int64_t i = 0;
        if (!e.is_numeral_i64(i)) return cannot("a number beyond int64");
        return make_value(Value::integer(i));
      }
      return cannot("a number of sort " + e.get_sort().to_string());
    }
    if (!e.is_app()) return cannot("an expression");
    std::vector<Term> a;
    for (unsigned i = 0; i < e.num_args(); ++i) a.push_back(from_native(e.arg(i), consts, memo));
    auto int_param = [&](unsigned i) { return static_cast<uint32_t>(Z3_get_decl_int_parameter(d_ctx, e.decl(), i)); };
    auto bv_value = [&](uint64_t v, uint32_t w) { return make_value(BitVector::from_uint64(w, v)); };
    auto nary = [&](Op op, Term unit) -> Term
    {
      if (a.empty()) return unit;
      if (a.size() == 1) return a[0];
      return make_term(op, a);
    };
    const uint32_t width = e.is_bv() ? e.get_sort().bv_size() : 0;
    switch (e.decl().decl_kind())
    {
      case Z3_OP_TRUE:
        return make_value(true);
      case Z3_OP_FALSE:
        return make_value(false);
      case Z3_OP_UNINTERPRETED:
        if (e.num_args() == 0)
          if (auto it = consts.find(e.id()); it != consts.end()) return it->second;
        return cannot("the symbol " + e.decl().name().str());
      case Z3_OP_AND:
        return nary(Op::And, make_value(true));
      case Z3_OP_OR:
        return nary(Op::Or, make_value(false));
      case Z3_OP_NOT:
        return make_term(Op::Not, a[0]);
      case Z3_OP_IMPLIES:
        return make_term(Op::Implies, a[0], a[1]);
      case Z3_OP_ITE:
        return make_term(Op::Ite, a[0], a[1], a[2]);
      case Z3_OP_EQ:
      case Z3_OP_IFF:
        return make_term(Op::Equal, a[0], a[1]);
      case Z3_OP_XOR:
        return make_term(Op::Not, make_term(Op::Equal, a[0], a[1]));
      case Z3_OP_DISTINCT:
        return make_term(Op::Distinct, a);
      case Z3_OP_ADD:
        return make_term(Op::Plus, a);
      case Z3_OP_SUB:
        return make_term(Op::Minus, a);
      case Z3_OP_UMINUS:
        return make_term(Op::Minus, a[0]);
      case Z3_OP_MUL:
        return make_term(Op::Mult, a);
      case Z3_OP_IDIV:
        return make_term(Op::Div, a[0], a[1]);
      case Z3_OP_MOD:
        return make_term(Op::Mod, a[0], a[1]);
      case Z3_OP_LE:
        return make_term(Op::Le, a[0], a[1]);
      case Z3_OP_GE:
        return make_term(Op::Ge, a[0], a[1]);
      case Z3_OP_LT:
        return make_term(Op::Lt, a[0], a[1]);
      case Z3_OP_GT:
        return make_term(Op::Gt, a[0], a[1]);
      case Z3_OP_BADD:
        return nary(Op::BVAdd, bv_value(0, width));
      case Z3_OP_BSUB:
        return make_term(Op::BVSub, a[0], a[1]);
      case Z3_OP_BMUL:
        return nary(Op::BVMul, bv_value(1, width));
      case Z3_OP_BNEG:
        return make_term(Op::BVSub, bv_value(0, width), a[0]);
      case Z3_OP_BUDIV:
      case Z3_OP_BUDIV_I:
        return make_term(Op::BVUDiv, a[0], a[1]);
      case Z3_OP_BUREM:
      case Z3_OP_BUREM_I:
        return make_term(Op::BVURem, a[0], a[1]);
      case Z3_OP_BSDIV:
      case Z3_OP_BSDIV_I:
        return make_term(Op::BVSDiv, a[0], a[1]);
      case Z3_OP_BSREM:
      case Z3_OP_BSREM_I:
        return make_term(Op::BVSRem, a[0], a[1]);
      case Z3_OP_ULEQ:
        return make_term(Op::BVUle, a[0], a[1]);
      case Z3_OP_SLEQ:
        return make_term(Op::BVSle, a[0], a[1]);
      case Z3_OP_UGEQ:
        return make_term(Op::BVUle, a[1], a[0]);
      case Z3_OP_SGEQ:
        return make_term(Op::BVSle, a[1], a[0]);
      case Z3_OP_ULT:
        return make_term(Op::BVUlt, a[0], a[1]);
      case Z3_OP_SLT:
        return make_term(Op::BVSlt, a[0], a[1]);
      case Z3_OP_UGT:
        return make_term(Op::BVUlt, a[1], a[0]);
      case Z3_OP_SGT:
        return make_term(Op::BVSlt, a[1], a[0]);
      case Z3_OP_BAND:
        return nary(Op::BVAnd, make_term(Op::BVNot, bv_value(0, width)));
      case Z3_OP_BOR:
        return nary(Op::BVOr, bv_value(0, width));
      case Z3_OP_BNOT:
        return make_term(Op::BVNot, a[0]);
      case Z3_OP_BXOR:
      {
        // a xor b = (a & ~b) | (~a & b), folded left over more arguments.
        Term acc = a.at(0);
        for (size_t i = 1; i < a.size(); ++i)
          acc = make_term(Op::BVOr, make_term(Op::BVAnd, acc, make_term(Op::BVNot, a[i])),
                          make_term(Op::BVAnd, make_term(Op::BVNot, acc), a[i]));
        return acc;
      }
      case Z3_OP_CONCAT:
      {
        Term acc = a.back();
        for (size_t i = a.size() - 1; i-- > 0;) acc = make_term(Op::Concat, a[i], acc);
        return acc;
      }
      case Z3_OP_EXTRACT:
        return make_term(Op::Extract, {int_param(0), int_param(1)}, a[0]);
      case Z3_OP_ZERO_EXT:
        return make_term(Op::ZeroExtend, {int_param(0)}, a[0]);
      case Z3_OP_SIGN_EXT:
        return make_term(Op::SignExtend, {int_param(0)}, a[0]);
      case Z3_OP_BIT2BOOL:
      {
        uint32_t i = int_param(0);
        return make_term(Op::Equal, make_term(Op::Extract, {i, i}, a[0]), bv_value(1, 1));
      }
      case Z3_OP_BCOMP:
        return make_term(Op::Ite, make_term(Op::Equal, a[0], a[1]), bv_value(1, 1), bv_value(0, 1));
      case Z3_OP_BSHL:
      case Z3_OP_BLSHR:
      {
        // By a constant: a multiplication or division by a power of two.
        if (!e.arg(1).is_numeral()) return cannot("a shift by a variable amount");
        uint64_t k = 0;
        if (!e.arg(1).is_numeral_u64(k) || k >= width) return make_value(BitVector::from_uint64(width, 0));
        BitVector pow = BitVector::from_binary("1" + std::string(k, '0'));
        Term p = make_value(width > pow.width()
                                ? BitVector::from_binary(std::string(width - pow.width(), '0') + pow.to_binary())
                                : pow);
        return make_term(e.decl().decl_kind() == Z3_OP_BSHL ? Op::BVMul : Op::BVUDiv, a[0], p);
      }
      case Z3_OP_SELECT:
        return make_term(Op::Select, a[0], a[1]);
      case Z3_OP_STORE:
        return make_term(Op::Store, a[0], a[1], a[2]);
      default:
        break;
    }
    return cannot("the operator " + e.decl().name().str());
  }

 private:
  const z3::expr& native(Term t) const { return d_terms.at(t.index()); }

  Result convert(z3::check_result r)
  {
    switch (r)
    {
      case z3::sat:
        return Result::Sat;
      case z3::unsat:
        return Result::Unsat;
      case z3::unknown:
        return Result::Unknown;
    }
    return Result::Unknown;
  }

  z3::expr wrap(Z3_ast a)
  {
    d_ctx.check_error();
    return z3::expr(d_ctx, a);
  }

  // Z3's C API has binary bvadd/bvmul/bvand/bvor: fold left for more arguments.
  z3::expr fold(Z3_ast (*mk)(Z3_context, Z3_ast, Z3_ast), const std::vector<Z3_ast>& a)
  {
    z3::expr acc = wrap(mk(d_ctx, a[0], a[1]));
    for (size_t i = 2; i < a.size(); ++i) acc = wrap(mk(d_ctx, acc, a[i]));
    return acc;
  }

  z3::expr build(const TermNode& n)
  {
    switch (n.kind)
    {
      case TermKind::Const:
        return d_ctx.constant(n.name.c_str(), d_sorts.at(n.sort.index()));
      case TermKind::Value:
      {
        const Value& v = *n.value;
        switch (v.kind())
        {
          case ValueKind::Bool:
            return d_ctx.bool_val(v.as_bool());
          case ValueKind::Int:
            return d_ctx.int_val(v.as_int());
          case ValueKind::BitVec:
          {
            const BitVector& bv = v.as_bitvector();
            if (bv.width() <= 64) return d_ctx.bv_val(bv.to_uint64(), bv.width());
            std::unique_ptr<bool[]> bits(new bool[bv.width()]);  // least significant first
            for (uint32_t i = 0; i < bv.width(); ++i) bits[i] = bv.bit(i);
            return wrap(Z3_mk_bv_numeral(d_ctx, bv.width(), bits.get()));
          }
        }
        break;
      }
      case TermKind::App:
        return build_app(n);
    }
    bug("z3: cannot lower term");
  }

  z3::expr build_app(const TermNode& n)
  {
    std::vector<Z3_ast> a;
    a.reserve(n.args.size());
    for (Term t : n.args) a.push_back(native(t));
    const unsigned k = static_cast<unsigned>(a.size());
    Z3_context c = d_ctx;
    switch (n.op)
    {
      case Op::Not:
        return wrap(Z3_mk_not(c, a[0]));
      case Op::And:
        return wrap(Z3_mk_and(c, k, a.data()));
      case Op::Or:
        return wrap(Z3_mk_or(c, k, a.data()));
      case Op::Implies:
        return wrap(Z3_mk_implies(c, a[0], a[1]));
      case Op::Ite:
        return wrap(Z3_mk_ite(c, a[0], a[1], a[2]));
      case Op::Equal:
        return wrap(Z3_mk_eq(c, a[0], a[1]));
      case Op::Distinct:
        return wrap(Z3_mk_distinct(c, k, a.data()));
      case Op::Plus:
        return wrap(Z3_mk_add(c, k, a.data()));
      case Op::Minus:
        return k == 1 ? wrap(Z3_mk_unary_minus(c, a[0])) : wrap(Z3_mk_sub(c, k, a.data()));
      case Op::Mult:
        return wrap(Z3_mk_mul(c, k, a.data()));
      case Op::Div:
        return wrap(Z3_mk_div(c, a[0], a[1]));  // on Int: SMT-LIB div
      case Op::Mod:
        return wrap(Z3_mk_mod(c, a[0], a[1]));
      case Op::Lt:
        return wrap(Z3_mk_lt(c, a[0], a[1]));
      case Op::Le:
        return wrap(Z3_mk_le(c, a[0], a[1]));
      case Op::Gt:
        return wrap(Z3_mk_gt(c, a[0], a[1]));
      case Op::Ge:
        return wrap(Z3_mk_ge(c, a[0], a[1]));
      case Op::BVAdd:
        return fold(Z3_mk_bvadd, a);
      case Op::BVSub:
        return wrap(Z3_mk_bvsub(c, a[0], a[1]));
      case Op::BVMul:
        return fold(Z3_mk_bvmul, a);
      case Op::BVUDiv:
        return wrap(Z3_mk_bvudiv(c, a[0], a[1]));
      case Op::BVURem:
        return wrap(Z3_mk_bvurem(c, a[0], a[1]));
      case Op::BVSDiv:
        return wrap(Z3_mk_bvsdiv(c, a[0], a[1]));
      case Op::BVSRem:
        return wrap(Z3_mk_bvsrem(c, a[0], a[1]));
      case Op::BVUlt:
        return wrap(Z3_mk_bvult(c, a[0], a[1]));
      case Op::BVUle:
        return wrap(Z3_mk_bvule(c, a[0], a[1]));
      case Op::BVSlt:
        return wrap(Z3_mk_bvslt(c, a[0], a[1]));
      case Op::BVSle:
        return wrap(Z3_mk_bvsle(c, a[0], a[1]));
      case Op::BVAnd:
        return fold(Z3_mk_bvand, a);
      case Op::BVOr:
        return fold(Z3_mk_bvor, a);
      case Op::BVNot:
        return wrap(Z3_mk_bvnot(c, a[0]));
      case Op::Concat:
        return wrap(Z3_mk_concat(c, a[0], a[1]));
      case Op::Extract:
        return wrap(Z3_mk_extract(c, n.indices[0], n.indices[1], a[0]));
      case Op::ZeroExtend:
        return wrap(Z3_mk_zero_ext(c, n.indices[0], a[0]));
      case Op::SignExtend:
        return wrap(Z3_mk_sign_ext(c, n.indices[0], a[0]));
      case Op::Select:
        return wrap(Z3_mk_select(c, a[0], a[1]));
      case Op::Store:
        return wrap(Z3_mk_store(c, a[0], a[1], a[2]));
    }
    bug("z3: no lowering for op " + std::to_string(static_cast<int>(n.op)));
  }

  // Declaration order is destruction order reversed: the context goes last.
  z3::context d_ctx;
  z3::solver d_solver;
  std::vector<z3::sort> d_sorts;  // by Sort::index()
  std::vector<z3::expr> d_terms;  // by Term::index()
  std::vector<Term> d_assumptions;
  std::optional<z3::model> d_model;
  unsigned d_timeout_ms = 0;  // the `timeout` option, for Spacer too (0: none)
};

}  // namespace

std::unique_ptr<Solver> make_z3_solver()
{
  return std::make_unique<Z3Solver>();
}

}  // namespace keel::smt
