#include "checker/smt/solver.hpp"

namespace keel::smt
{

std::string_view to_string(Result r)
{
  switch (r)
  {
    case Result::Sat:
      return "sat";
    case Result::Unsat:
      return "unsat";
    case Result::Unknown:
      return "unknown";
  }
  return "?";
}

Capabilities operator&(const Capabilities& a, const Capabilities& b)
{
  Capabilities both;
  for (const CapabilityInfo& info : kCapabilityTable) both.*info.member = a.*info.member && b.*info.member;
  return both;
}

std::string to_string(const Capabilities& caps)
{
  std::string out;
  for (const CapabilityInfo& info : kCapabilityTable)
    if (caps.*info.member)
    {
      if (!out.empty()) out += ' ';
      out += info.name;
    }
  return out;
}

}  // namespace keel::smt
