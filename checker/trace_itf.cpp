#include <nlohmann/json.hpp>

#include "checker/trace.hpp"
#include "checker/values.hpp"
#include "keel_version.hpp"

namespace keel
{

// ITF (the Informal Trace Format of Apalache and Quint): a JSON object with
// "#meta", "vars", "states" (each a map from variable to value, with its own
// "#meta") and, for lassos, "loop".
std::string trace_itf(const Model& m, const Trace& t, const std::string& source, const Verdict& v)
{
  using nlohmann::json;
  json doc;
  doc["#meta"] = {{"format", "ITF"},
                  {"format-description", "https://apalache-mc.org/docs/adr/015adr-trace.html"},
                  {"source", source},
                  {"description", "Keel counterexample: " + v.property + (v.message.empty() ? "" : ": " + v.message)},
                  {"generator", "keel " KEEL_VERSION_STRING}};
  json vars = json::array();
  for (auto& var : m.vars) vars.push_back(var.name);
  doc["vars"] = vars;
  json states = json::array();
  for (size_t i = 0; i < t.states.size(); ++i)
  {
    json s = json::object();
    json meta = {{"index", i}};
    if (i > 0)
    {
      const TraceStep& st = t.steps[i - 1];
      if (st.stutter)
      {
        meta["action"] = "stutter";
        meta["label"] = step_label(m, st);
        s["#meta"] = meta;
        for (auto& var : m.vars) s[var.name] = value_itf(var.type, t.states[i].data(), var.offset);
        states.push_back(s);
        continue;
      }
      meta["action"] = m.actions[st.action].name;
      meta["label"] = step_label(m, st);
      if (!m.actions[st.action].process.empty()) meta["process"] = m.actions[st.action].process;
      json params = json::object();
      for (auto& b : st.bindings) params[b.name] = value_itf(b.type, b.bits.data(), 0);
      meta["params"] = params;
      meta["fault"] = st.is_fault;
      if (st.is_fault && m.actions[st.action].fault >= 0)
        meta["fault-kind"] = m.faults[m.actions[st.action].fault].name;
    }
    else
      meta["action"] = "init";
    s["#meta"] = meta;
    for (auto& var : m.vars) s[var.name] = value_itf(var.type, t.states[i].data(), var.offset);
    states.push_back(s);
  }
  doc["states"] = states;
  if (t.failing_step)
  {
    const TraceStep& st = *t.failing_step;
    json f = {{"action", st.action < 0 ? "init" : m.actions[st.action].name}};
    if (st.action >= 0) f["label"] = step_label(m, st);
    doc["#meta"]["failing-step"] = f;
  }
  if (t.loop)
  {
    // ITF's "loop": the index of the state the last one returns to.
    doc["loop"] = *t.loop;
    if (t.loop_step)
      doc["#meta"]["loop-step"] = {{"action", t.loop_step->stutter ? "stutter" : m.actions[t.loop_step->action].name},
                                   {"label", step_label(m, *t.loop_step)}};
  }
  return doc.dump(2) + "\n";
}

}  // namespace keel
