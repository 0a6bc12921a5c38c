#include "checker/symbolic/bmc.hpp"

#include <chrono>

#include "checker/smt/errors.hpp"
#include "checker/symbolic/confirm.hpp"
#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/unrolling.hpp"

namespace keel
{

Verdict check_bmc(const Model& model, const BmcOptions& options)
{
  auto start = std::chrono::steady_clock::now();
  Verdict v;
  uint64_t reached = 0;
  std::string logic = "QF_BV";
  try
  {
    std::unique_ptr<smt::Solver> solver = symbolic::open_solver(options.solver, options.smt_log);
    symbolic::Encoder enc(model, *solver, options.arith);
    symbolic::Unrolling unrolling(enc, options.check_deadlock, "bmc");
    std::optional<Verdict> found;
    for (uint64_t k = 0; k <= options.depth && !found; ++k)
    {
      reached = k;
      found = unrolling.search(k);
    }
    logic = symbolic::logic_description({enc.arithmetic_widths()}, options.arith);
    if (found)
      v = std::move(*found);
    else
    {
      v.kind = VerdictKind::HoldsUpToBound;
      v.bound = options.depth;
    }
  }
  catch (const symbolic::NotSupported& e)
  {
    v = symbolic::not_supported_verdict("bmc", e.what);
  }
  catch (const smt::SmtError& e)
  {
    v = symbolic::solver_failure_verdict("bmc", e.what());
  }
  v.stats.action_fired.assign(model.actions.size(), 0);
  v.stats.depth = reached;
  v.stats.logic = logic;
  v.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

}  // namespace keel
