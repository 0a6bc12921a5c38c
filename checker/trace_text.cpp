#include <sstream>

#include "checker/bits.hpp"
#include "checker/trace.hpp"
#include "checker/values.hpp"

namespace keel
{

std::string step_label(const Model& m, const TraceStep& s)
{
  if (s.stutter) return "stutter (no action: the state stays)";
  if (s.action < 0) return "initial state";
  const Action& a = m.actions[s.action];
  std::string out;
  size_t first = 0;
  if (!a.process.empty() && !s.bindings.empty())
  {
    out = a.process + "[" + value_text(s.bindings[0].type, s.bindings[0].bits.data(), 0) + "].";
    first = 1;
  }
  out += a.name;
  if (s.bindings.size() > first)
  {
    out += "(";
    for (size_t i = first; i < s.bindings.size(); ++i)
    {
      const Binding& b = s.bindings[i];
      out += (i > first ? ", " : "") + b.name + " = " + value_text(b.type, b.bits.data(), 0);
    }
    out += ")";
  }
  return out;
}

namespace
{
std::string location(const Model& m, Span sp)
{
  if (!m.sources || sp.file >= m.sources->size()) return "";
  const SourceFile& f = m.sources->file(sp.file);
  LineCol lc = f.line_col(sp.begin);
  return f.path() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}
}  // namespace

void print_trace_text(std::ostream& os, const Model& m, const Trace& t, bool color)
{
  const char* bold = color ? "\033[1m" : "";
  const char* yellow = color ? "\033[33m" : "";
  const char* reset = color ? "\033[0m" : "";
  for (size_t i = 0; i < t.states.size(); ++i)
  {
    const uint64_t* s = t.states[i].data();
    if (i == 0)
    {
      os << bold << "State 0" << reset << ": initial state";
      if (t.loop && *t.loop == 0) os << "  " << yellow << "<- the loop starts here" << reset;
      os << "\n";
    }
    else
    {
      const TraceStep& st = t.steps[i - 1];
      os << bold << "State " << i << reset << ": ";
      if (st.is_fault)
        os << yellow << "[FAULT "
           << (st.action >= 0 && m.actions[st.action].fault >= 0 ? m.faults[m.actions[st.action].fault].name : "")
           << "] " << reset;
      os << step_label(m, st);
      std::string loc = st.action >= 0 ? location(m, m.actions[st.action].span) : "";
      if (!loc.empty()) os << "  (" << loc << ")";
      if (t.loop && *t.loop == i) os << "  " << yellow << "<- the loop starts here" << reset;
      os << "\n";
    }
    for (const Variable& v : m.vars)
    {
      bool changed = i > 0 && !bits::equal(s, v.offset, t.states[i - 1].data(), v.offset, v.type->bits);
      std::string val = value_text(v.type, s, v.offset);
      if (i == 0 || !changed)
        os << "    " << v.name << " = " << val << "\n";
      else
        os << "  * " << yellow << v.name << " = " << val << reset << "\n";
    }
    if (t.loop && i + 1 == t.states.size())
    {
      if (t.loop_step && t.loop_step->stutter)
        os << bold << "Loop" << reset << ": stutters forever: state " << i << " repeats, no action is taken\n";
      else
      {
        os << bold << "Loop" << reset << ": ";
        if (t.loop_step)
        {
          if (t.loop_step->is_fault) os << yellow << "[FAULT] " << reset;
          os << step_label(m, *t.loop_step);
          std::string loc = t.loop_step->action >= 0 ? location(m, m.actions[t.loop_step->action].span) : "";
          if (!loc.empty()) os << "  (" << loc << ")";
          os << " ";
        }
        os << "back to state " << *t.loop << ", and so on forever\n";
      }
    }
  }
  if (t.failing_step)
  {
    const TraceStep& st = *t.failing_step;
    os << bold << "Step " << t.states.size() << reset << ": ";
    // From the model: the engines that build a failing step do not all set is_fault.
    if (st.action >= 0 && m.actions[st.action].is_fault && m.actions[st.action].fault >= 0)
      os << yellow << "[FAULT " << m.faults[m.actions[st.action].fault].name << "] " << reset;
    os << (st.action < 0 ? "initialization" : step_label(m, st));
    std::string loc = st.action >= 0 ? location(m, m.actions[st.action].span) : "";
    if (!loc.empty()) os << "  (" << loc << ")";
    os << "  -- fails while running\n";
  }
}

}  // namespace keel
