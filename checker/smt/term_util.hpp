// Walking and rebuilding terms: the constants a term mentions, substitution of
// constants, and copying a term from one solver's table into another solver.
// All of them are iterative (an unrolled transition relation is deep) and
// visit each shared node once.
#pragma once

#include <unordered_map>
#include <vector>

#include "checker/smt/solver.hpp"

namespace keel::smt
{

// The constants in `terms`, each once, in order of first occurrence
// (depth-first, arguments left to right).
std::vector<Term> constants_of(const TermTable& table, const std::vector<Term>& terms);

// `t` with every constant that is a key of `map` replaced by its value (a
// term of the same sort, of the same solver). Simultaneous: the replacements
// are not substituted into again.
Term substitute(Solver& solver, Term t, const std::unordered_map<Term, Term>& map);

// Rebuilds terms of `from` (another solver's table) in `to`. Constants are
// matched by name: the copy of `x` is `to`'s constant `x` of the same sort.
// Keeps a memo, so copying many terms that share nodes stays linear.
class TermCopier
{
 public:
  TermCopier(const TermTable& from, Solver& to) : d_from(from), d_to(to) {}
  Term operator()(Term t);
  Sort copy(Sort s);

 private:
  const TermTable& d_from;
  Solver& d_to;
  std::unordered_map<Term, Term> d_terms;
  std::unordered_map<Sort, Sort> d_sorts;
};

}  // namespace keel::smt
