// Solvers by name. The back ends compiled into this Keel are listed by
// solver_names(); make_solver on another name is the caller's error, and on a
// known back end left out of this build it is "not supported".
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "checker/smt/solver.hpp"

namespace keel::smt
{

// "z3", "cvc5": every back end Keel knows, built or not.
const std::vector<std::string>& known_solver_names();
// The back ends this build has.
std::vector<std::string> solver_names();
bool solver_available(std::string_view name);
std::unique_ptr<Solver> make_solver(std::string_view name);

}  // namespace keel::smt
