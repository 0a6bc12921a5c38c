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

void drop_stutter_steps(Trace& t)
{
  if (!t.loop || !t.loop_step || t.states.empty()) return;
  const size_t n = t.states.size(), L = *t.loop;
  auto step = [&](size_t i) -> const TraceStep& { return i + 1 < n ? t.steps[i] : *t.loop_step; };
  bool loop_all_stutter = true;
  for (size_t i = L; i < n; ++i) loop_all_stutter = loop_all_stutter && step(i).stutter;
  Trace out;
  out.failing_step = t.failing_step;
  size_t loop = 0;
  std::vector<TraceStep> kept_steps;
  for (size_t i = 0; i < n; ++i)
  {
    if (i == L) loop = out.states.size();
    if (step(i).stutter && !(loop_all_stutter && i + 1 == n)) continue;
    out.states.push_back(t.states[i]);
    kept_steps.push_back(step(i));
  }
  if (loop_all_stutter) loop = out.states.size() - 1;
  out.loop_step = kept_steps.back();
  kept_steps.pop_back();
  out.steps = std::move(kept_steps);
  out.loop = loop;
  t = std::move(out);
}

int exit_code(const Verdict& v)
{
  switch (v.kind)
  {
    case VerdictKind::Holds:
    case VerdictKind::HoldsUpToBound:
      return 0;
    case VerdictKind::Violated:
      if (v.violation == ViolationKind::Deadlock) return 11;
      return v.violation == ViolationKind::Liveness ? 13 : 12;
    case VerdictKind::NotInductive:
      return 20;
    case VerdictKind::Error:
      return 255;
  }
  return 255;
}

}  // namespace keel
