// cvc5 through its C++ API (cvc5 1.0.x).
#include "checker/smt/cvc5/cvc5_solver.hpp"

#include <cvc5/cvc5.h>

#include <algorithm>
#include <string>

#include "checker/smt/solver_base.hpp"

namespace keel::smt
{

Capabilities cvc5_capabilities()
{
  Capabilities c;
  c.incremental = true;
  c.unsat_assumptions = true;
  c.integers = true;
  c.bit_vectors = true;
  c.arrays = true;
  c.chc = false;  // cvc5 1.0.3 has no Horn clause engine
  return c;
}

namespace
{

class Cvc5Solver final : public SolverBase
{
 public:
  Cvc5Solver() : SolverBase("cvc5", cvc5_capabilities())
  {
    // cvc5 is not incremental and keeps no models unless asked, and the
    // options must be set before the logic.
    d_solver.setOption("incremental", "true");
    d_solver.setOption("produce-models", "true");
    d_solver.setOption("produce-unsat-assumptions", "true");
    d_solver.setLogic("ALL");
    sync();
  }

 protected:
  void lower_sort(Sort sort, const SortNode& n) override
  {
    switch (n.kind)
    {
      case SortKind::Bool:
        d_sorts.push_back(d_solver.getBooleanSort());
        break;
      case SortKind::Int:
        d_sorts.push_back(d_solver.getIntegerSort());
        break;
      case SortKind::BitVec:
        d_sorts.push_back(d_solver.mkBitVectorSort(n.width));
        break;
      case SortKind::Array:
        d_sorts.push_back(d_solver.mkArraySort(d_sorts.at(n.index.index()), d_sorts.at(n.element.index())));
        break;
    }
    KEEL_SMT_ASSERT(d_sorts.size() == sort.index() + 1, "cvc5: sorts lowered out of order");
  }

  void lower_term(Term term, const TermNode& n) override
  {
    d_terms.push_back(build(n));
    KEEL_SMT_ASSERT(d_terms.size() == term.index() + 1, "cvc5: terms lowered out of order");
  }

  void do_set_option(std::string_view name, std::string_view value) override
  {
    std::string native(name);
    if (name == "produce-models" || name == "produce-unsat-assumptions" || name == "incremental")
    {
      if (value != "true") unsupported("cvc5 back end: " + std::string(name) + " is always on");
      return;
    }
    if (name == "timeout") native = "tlimit-per";
    if (name == "random-seed") native = "seed";
    try
    {
      d_solver.setOption(native, std::string(value));
    }
    catch (const cvc5::CVC5ApiException& e)
    {
      user_error("cvc5 rejects option " + std::string(name) + "=" + std::string(value) + ": " + e.what());
    }
  }

  void do_assert(Term formula) override { d_solver.assertFormula(native(formula)); }

  Result do_check_sat() override { return convert(d_solver.checkSat()); }

  Result do_check_sat_assuming(const std::vector<Term>& assumptions) override
  {
    d_assumptions = assumptions;
    std::vector<cvc5::Term> v;
    v.reserve(assumptions.size());
    for (Term a : assumptions) v.push_back(native(a));
    return convert(d_solver.checkSatAssuming(v));
  }

  std::vector<Term> do_get_unsat_assumptions() override
  {
    std::vector<Term> out;
    for (const cvc5::Term& c : d_solver.getUnsatAssumptions())
    {
      auto it = std::find_if(d_assumptions.begin(), d_assumptions.end(), [&](Term a) { return native(a) == c; });
      KEEL_SMT_ASSERT(it != d_assumptions.end(), "cvc5 reported a non-assumption: " + c.toString());
      if (std::find(out.begin(), out.end(), *it) == out.end()) out.push_back(*it);
    }
    return out;
  }

  void do_push(uint32_t levels) override { d_solver.push(levels); }
  void do_pop(uint32_t levels) override { d_solver.pop(levels); }

  Value do_get_value(Term term) override
  {
    cvc5::Term v = d_solver.getValue(native(term));
    const SortNode& sort = table().node(table().sort_of(term));
    switch (sort.kind)
    {
      case SortKind::Bool:
        KEEL_SMT_ASSERT(v.isBooleanValue(), "cvc5 value of a Bool term is " + v.toString());
        return Value::boolean(v.getBooleanValue());
      case SortKind::Int:
        KEEL_SMT_ASSERT(v.isIntegerValue(), "cvc5 value of an Int term is " + v.toString());
        if (!v.isInt64Value()) unsupported("integer value " + v.getIntegerValue() + " does not fit in int64");
        return Value::integer(v.getInt64Value());
      case SortKind::BitVec:
        KEEL_SMT_ASSERT(v.isBitVectorValue(), "cvc5 value of a bit-vector term is " + v.toString());
        return Value::bitvector(BitVector::from_binary(v.getBitVectorValue(2)));
      case SortKind::Array:
        break;
    }
    unsupported("cvc5 back end: get_value of " + table().to_smtlib(table().sort_of(term)));
  }

 private:
  const cvc5::Term& native(Term t) const { return d_terms.at(t.index()); }

  static Result convert(const cvc5::Result& r)
  {
    if (r.isSat()) return Result::Sat;
    if (r.isUnsat()) return Result::Unsat;
    return Result::Unknown;
  }

  cvc5::Term build(const TermNode& n)
  {
    switch (n.kind)
    {
      case TermKind::Const:
        return d_solver.mkConst(d_sorts.at(n.sort.index()), n.name);
      case TermKind::Value:
      {
        const Value& v = *n.value;
        switch (v.kind())
        {
          case ValueKind::Bool:
            return d_solver.mkBoolean(v.as_bool());
          case ValueKind::Int:
            return d_solver.mkInteger(v.as_int());
          case ValueKind::BitVec:
          {
            const BitVector& bv = v.as_bitvector();
            return d_solver.mkBitVector(bv.width(), bv.to_binary(), 2);
          }
        }
        break;
      }
      case TermKind::App:
        return build_app(n);
    }
    bug("cvc5: cannot lower term");
  }

  cvc5::Term build_app(const TermNode& n)
  {
    std::vector<cvc5::Term> a;
    a.reserve(n.args.size());
    for (Term t : n.args) a.push_back(native(t));
    auto mk = [&](cvc5::Kind k) { return d_solver.mkTerm(k, a); };
    auto mk_indexed = [&](cvc5::Kind k, const std::vector<uint32_t>& idx)
    { return d_solver.mkTerm(d_solver.mkOp(k, idx), a); };
    using K = cvc5::Kind;
    switch (n.op)
    {
      case Op::Not:
        return mk(K::NOT);
      case Op::And:
        return mk(K::AND);
      case Op::Or:
        return mk(K::OR);
      case Op::Implies:
        return mk(K::IMPLIES);
      case Op::Ite:
        return mk(K::ITE);
      case Op::Equal:
        return mk(K::EQUAL);
      case Op::Distinct:
        return mk(K::DISTINCT);
      case Op::Plus:
        return mk(K::ADD);
      case Op::Minus:
        return a.size() == 1 ? mk(K::NEG) : mk(K::SUB);
      case Op::Mult:
        return mk(K::MULT);
      case Op::Div:
        return mk(K::INTS_DIVISION);
      case Op::Mod:
        return mk(K::INTS_MODULUS);
      case Op::Lt:
        return mk(K::LT);
      case Op::Le:
        return mk(K::LEQ);
      case Op::Gt:
        return mk(K::GT);
      case Op::Ge:
        return mk(K::GEQ);
      case Op::BVAdd:
        return mk(K::BITVECTOR_ADD);
      case Op::BVSub:
        return mk(K::BITVECTOR_SUB);
      case Op::BVMul:
        return mk(K::BITVECTOR_MULT);
      case Op::BVUDiv:
        return mk(K::BITVECTOR_UDIV);
      case Op::BVURem:
        return mk(K::BITVECTOR_UREM);
      case Op::BVSDiv:
        return mk(K::BITVECTOR_SDIV);
      case Op::BVSRem:
        return mk(K::BITVECTOR_SREM);
      case Op::BVUlt:
        return mk(K::BITVECTOR_ULT);
      case Op::BVUle:
        return mk(K::BITVECTOR_ULE);
      case Op::BVSlt:
        return mk(K::BITVECTOR_SLT);
      case Op::BVSle:
        return mk(K::BITVECTOR_SLE);
      case Op::BVAnd:
        return mk(K::BITVECTOR_AND);
      case Op::BVOr:
        return mk(K::BITVECTOR_OR);
      case Op::BVNot:
        return mk(K::BITVECTOR_NOT);
      case Op::Concat:
        return mk(K::BITVECTOR_CONCAT);
      case Op::Extract:
        return mk_indexed(K::BITVECTOR_EXTRACT, {n.indices[0], n.indices[1]});
      case Op::ZeroExtend:
        return mk_indexed(K::BITVECTOR_ZERO_EXTEND, {n.indices[0]});
      case Op::SignExtend:
        return mk_indexed(K::BITVECTOR_SIGN_EXTEND, {n.indices[0]});
      case Op::Select:
        return mk(K::SELECT);
      case Op::Store:
        return mk(K::STORE);
    }
    bug("cvc5: no lowering for op " + std::to_string(static_cast<int>(n.op)));
  }

  // Declared first, destroyed last: cvc5 terms and sorts must not outlive it.
  cvc5::Solver d_solver;
  std::vector<cvc5::Sort> d_sorts;  // by Sort::index()
  std::vector<cvc5::Term> d_terms;  // by Term::index()
  std::vector<Term> d_assumptions;
};

}  // namespace

std::unique_ptr<Solver> make_cvc5_solver()
{
  return std::make_unique<Cvc5Solver>();
}

}  // namespace keel::smt
