#include "checker/smt/factory.hpp"

#if KEEL_SMT_HAVE_Z3
#include "checker/smt/z3/z3_solver.hpp"
#endif
#if KEEL_SMT_HAVE_CVC5
#include "checker/smt/cvc5/cvc5_solver.hpp"
#endif

namespace keel::smt
{

const std::vector<std::string>& known_solver_names()
{
  static const std::vector<std::string> names = {"z3", "cvc5"};
  return names;
}

bool solver_available(std::string_view name)
{
#if KEEL_SMT_HAVE_Z3
  if (name == "z3") return true;
#endif
#if KEEL_SMT_HAVE_CVC5
  if (name == "cvc5") return true;
#endif
  return false;
}

std::vector<std::string> solver_names()
{
  std::vector<std::string> out;
  for (const std::string& n : known_solver_names())
    if (solver_available(n)) out.push_back(n);
  return out;
}

std::unique_ptr<Solver> make_solver(std::string_view name)
{
#if KEEL_SMT_HAVE_Z3
  if (name == "z3") return make_z3_solver();
#endif
#if KEEL_SMT_HAVE_CVC5
  if (name == "cvc5") return make_cvc5_solver();
#endif
  for (const std::string& n : known_solver_names())
    if (n == name) unsupported("this Keel was built without the " + n + " back end");
  std::string list;
  for (const std::string& n : known_solver_names()) list += (list.empty() ? "" : ", ") + n;
  user_error("unknown SMT solver '" + std::string(name) + "' (known: " + list + ")");
}

}  // namespace keel::smt
