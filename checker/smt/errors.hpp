// Errors of the SMT layer, each saying whose fault it is (STYLE item 4):
//   User         the caller's: an ill-sorted term, a wrong arity, an unknown
//                option, get_value without a model, pop below level 0.
//   Unsupported  a back end (or this layer) lacks the feature; the message
//                starts with "not supported: ".
//   Bug          an invariant of Keel or of a solver broke: a back end raised
//                an error on a term this layer had already type-checked, or
//                two solvers under CrossCheckSolver disagreed.
// All three are exceptions, so that the CLI can report them and a test can
// provoke them; KEEL_SMT_ASSERT is the always-on assertion for the third kind.
#pragma once

#include <stdexcept>
#include <string>

namespace keel::smt
{

enum class SmtErrorKind
{
  User,
  Unsupported,
  Bug,
};

class SmtError : public std::runtime_error
{
 public:
  SmtError(SmtErrorKind kind, const std::string& message) : std::runtime_error(prefix(kind) + message), d_kind(kind) {}
  SmtErrorKind kind() const { return d_kind; }

 private:
  static std::string prefix(SmtErrorKind kind)
  {
    switch (kind)
    {
      case SmtErrorKind::User:
        return "smt: ";
      case SmtErrorKind::Unsupported:
        return "not supported: ";
      case SmtErrorKind::Bug:
        return "internal error: ";
    }
    return "";
  }
  SmtErrorKind d_kind;
};

[[noreturn]] inline void user_error(const std::string& message)
{
  throw SmtError(SmtErrorKind::User, message);
}
[[noreturn]] inline void unsupported(const std::string& message)
{
  throw SmtError(SmtErrorKind::Unsupported, message);
}
[[noreturn]] inline void bug(const std::string& message)
{
  throw SmtError(SmtErrorKind::Bug, message);
}

}  // namespace keel::smt

// An always-on assertion for Keel's own invariants (not for the caller's
// mistakes, which are user_error). It throws SmtError(Bug) with the place.
#define KEEL_SMT_ASSERT(cond, message)                                                                        \
  do                                                                                                          \
  {                                                                                                           \
    if (!(cond)) ::keel::smt::bug(std::string(__FILE__) + ":" + std::to_string(__LINE__) + ": " + (message)); \
  } while (false)
