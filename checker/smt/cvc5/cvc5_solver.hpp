// The cvc5 back end (libcvc5, C++ API). cvc5 headers stay private to cvc5_solver.cpp.
#pragma once

#include <memory>

#include "checker/smt/solver.hpp"

namespace keel::smt
{

std::unique_ptr<Solver> make_cvc5_solver();
Capabilities cvc5_capabilities();

}  // namespace keel::smt
