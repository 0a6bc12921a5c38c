// The Z3 back end (libz3, C/C++ API). Z3 headers stay private to z3_solver.cpp.
#pragma once

#include <memory>

#include "checker/smt/solver.hpp"

namespace keel::smt
{

std::unique_ptr<Solver> make_z3_solver();
Capabilities z3_capabilities();

}  // namespace keel::smt
