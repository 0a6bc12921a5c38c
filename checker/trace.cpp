#include "checker/trace.hpp"

namespace keel {

int exit_code(const Verdict& v)
{
  switch (v.kind)
  {
    case VerdictKind::Holds:
    case VerdictKind::HoldsUpToBound: return 0;
    case VerdictKind::Violated: return v.violation == ViolationKind::Deadlock ? 11 : 12;
    case VerdictKind::Error: return 255;
  }
  return 255;
}

}  // namespace keel
