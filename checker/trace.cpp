#include "checker/trace.hpp"

#include <cstring>

namespace keel
{

std::optional<TraceStep> step_between(const Model& m, const uint64_t* from, const uint64_t* to)
{
  struct Found
  {
  };
  struct Finder : SuccessorSink
  {
    const uint64_t* to;
    size_t words;
    Evaluator* ev;
    std::optional<TraceStep> found;
    void emit(uint32_t action, const uint64_t* next) override
    {
      if (std::memcmp(next, to, words * 8) != 0) return;
      TraceStep s;
      s.action = static_cast<int>(action);
      s.bindings = ev->current_bindings();
      found = s;
      throw Found();
    }
  };
  Evaluator ev(m);
  Finder f;
  f.to = to;
  f.words = m.state_words;
  f.ev = &ev;
  std::vector<uint64_t> src(from, from + m.state_words + 1);
  for (uint32_t a = 0; a < m.actions.size() && !f.found; ++a)
  {
    try
    {
      ev.successors_of(a, src.data(), f);
    }
    catch (const Found&)
    {
    }
    catch (const EvalError&)
    {
      // This action fails from here; another one may still produce the step.
    }
  }
  if (f.found)
  {
    f.found->span = m.actions[f.found->action].span;
    f.found->is_fault = m.actions[f.found->action].is_fault;
  }
  return f.found;
}

int exit_code(const Verdict& v)
{
  switch (v.kind)
  {
    case VerdictKind::Holds:
    case VerdictKind::HoldsUpToBound:
      return 0;
    case VerdictKind::Violated:
      return v.violation == ViolationKind::Deadlock ? 11 : 12;
    case VerdictKind::NotInductive:
      return 20;
    case VerdictKind::Error:
      return 255;
  }
  return 255;
}

}  // namespace keel
