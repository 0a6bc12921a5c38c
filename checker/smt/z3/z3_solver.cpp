// Z3 through its C++ API, with the C API where z3++ has no wrapper.
#include "checker/smt/z3/z3_solver.hpp"

#include <z3++.h>

#include <algorithm>
#include <optional>
#include <string>

#include "checker/smt/solver_base.hpp"

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
    if (name == "timeout") native = "timeout";
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
};

}  // namespace

std::unique_ptr<Solver> make_z3_solver()
{
  return std::make_unique<Z3Solver>();
}

}  // namespace keel::smt
