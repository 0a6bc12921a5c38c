#include "checker/reports.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "keel_version.hpp"

namespace keel
{

using nlohmann::json;

const char* verdict_word(VerdictKind k)
{
  switch (k)
  {
    case VerdictKind::Holds:
      return "holds";
    case VerdictKind::HoldsUpToBound:
      return "holds-up-to-bound";
    case VerdictKind::Violated:
      return "violated";
    case VerdictKind::NotInductive:
      return "not-inductive";
    case VerdictKind::Error:
      return "error";
  }
  return "error";
}

namespace
{

struct Where
{
  std::string path;
  LineCol begin, end;
  bool valid = false;
};

Where where(const Model& m, Span sp)
{
  Where w;
  if (!m.sources || sp.file >= m.sources->size() || (sp.begin == 0 && sp.end == 0)) return w;
  const SourceFile& f = m.sources->file(sp.file);
  w.path = f.path();
  w.begin = f.line_col(sp.begin);
  w.end = f.line_col(sp.end > sp.begin ? sp.end : sp.begin);
  w.valid = true;
  return w;
}

std::string action_name(const Model& m, int a)
{
  if (a < 0) return "init";
  const Action& act = m.actions[a];
  return (act.process.empty() ? "" : act.process + ".") + act.name;
}

std::string trace_text(const Model& m, const Verdict& v)
{
  if (!v.trace) return "";
  std::ostringstream ss;
  print_trace_text(ss, m, *v.trace, false);
  return ss.str();
}

std::string xml_escape(const std::string& s)
{
  std::string out;
  for (char c : s)
  {
    switch (c)
    {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r')
          out += '?';
        else
          out += c;
    }
  }
  return out;
}

}  // namespace

std::string stats_json(const Model& m, const Verdict& v, const RunInfo& run)
{
  const Stats& st = v.stats;
  json doc;
  doc["schema"] = kStatsSchema;
  doc["keel_version"] = KEEL_VERSION;
  doc["spec"] = run.spec;
  doc["protocol"] = m.name;
  doc["engine"] = run.engine;
  if (!run.requested_engine.empty()) doc["requested_engine"] = run.requested_engine;
  if (!v.stats.logic.empty()) doc["logic"] = v.stats.logic;
  doc["configuration"] = run.configuration;
  doc["verdict"] = verdict_word(v.kind);
  if (v.kind == VerdictKind::HoldsUpToBound || v.kind == VerdictKind::NotInductive) doc["bound"] = v.bound;
  if (v.induction_k) doc["induction_k"] = v.induction_k;
  if (v.violation && v.kind == VerdictKind::NotInductive)
  {
    // Not a violation: what the last state of the counterexample to induction breaks.
    doc["counterexample_to_induction"] = {{"violation", violation_name(*v.violation)},
                                          {"property", v.property},
                                          {"states", v.trace ? v.trace->states.size() : 0}};
  }
  else if (v.violation)
  {
    doc["violation"] = violation_name(*v.violation);
    doc["property"] = v.property;
    doc["message"] = v.message;
    if (!v.explanation.empty()) doc["explanation"] = v.explanation;
    if (v.trace) doc["trace_length"] = v.trace->length();
  }
  json consts = json::object();
  for (auto& [k, val] : m.constants) consts[k] = val;
  doc["constants"] = consts;
  json faults = json::array();
  for (auto& f : m.faults) faults.push_back({{"name", f.name}, {"budget", f.budget}});
  doc["faults"] = faults;
  doc["statistics"] = {{"initial_states", st.initial},
                       {"generated_states", st.generated},
                       {"distinct_states", st.distinct},
                       {"depth", st.depth},
                       {"seconds", st.seconds},
                       {"states_per_second", st.seconds > 0 ? st.generated / st.seconds : 0.0},
                       {"peak_rss_bytes", st.peak_rss_bytes},
                       {"bytes_per_state", st.bytes_per_state}};
  json cov = json::object();
  for (size_t a = 0; a < m.actions.size() && a < st.action_fired.size(); ++a)
  {
    std::string name = action_name(m, static_cast<int>(a));
    if (m.actions[a].fault >= 0) name += "[" + m.faults[m.actions[a].fault].name + "]";
    cov[name] = st.action_fired[a];
  }
  doc["coverage"] = cov;
  return doc.dump(2) + "\n";
}

std::string junit_xml(const Model& m, const Verdict& v, const RunInfo& run)
{
  // One test case per property the run checks: each invariant, deadlock
  // freedom (if checked), and the checks made while actions run (assertions,
  // ranges, capacities). The explicit search stops at the first violation,
  // so the other properties were not checked to completion: skipped.
  struct Case
  {
    std::string name;
    bool failed = false;
  };
  std::vector<Case> cases;
  for (auto& inv : m.invariants) cases.push_back({"invariant " + inv.name});
  if (run.check_deadlock) cases.push_back({"deadlock freedom"});
  cases.push_back({"assertions and bounds"});
  bool violated = v.kind == VerdictKind::Violated;
  std::string failing;
  if (violated)
  {
    if (v.violation == ViolationKind::Invariant)
      failing = "invariant " + v.property;
    else if (v.violation == ViolationKind::Deadlock)
      failing = "deadlock freedom";
    else
      failing = "assertions and bounds";
  }
  size_t failures = 0, skipped = 0;
  for (auto& c : cases)
  {
    c.failed = violated && c.name == failing;
    failures += c.failed;
    skipped += violated && !c.failed;
  }
  std::string suite = run.spec + (run.configuration.empty() ? "" : " " + run.configuration);
  std::ostringstream os;
  os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  os << "<testsuites name=\"keel\" tests=\"" << cases.size() << "\" failures=\"" << failures << "\" skipped=\""
     << skipped << "\" time=\"" << v.stats.seconds << "\">\n";
  os << "  <testsuite name=\"" << xml_escape(suite) << "\" tests=\"" << cases.size() << "\" failures=\"" << failures
     << "\" skipped=\"" << skipped << "\" errors=\"0\" time=\"" << v.stats.seconds << "\">\n";
  os << "    <properties>\n      <property name=\"engine\" value=\"" << xml_escape(run.engine) << "\"/>\n"
     << "      <property name=\"verdict\" value=\"" << verdict_word(v.kind) << "\"/>\n"
     << "      <property name=\"distinct_states\" value=\"" << v.stats.distinct << "\"/>\n    </properties>\n";
  for (auto& c : cases)
  {
    os << "    <testcase classname=\"" << xml_escape(suite) << "\" name=\"" << xml_escape(c.name) << "\" time=\""
       << v.stats.seconds << "\"";
    if (c.failed)
    {
      os << ">\n      <failure message=\"" << xml_escape(v.message) << "\" type=\"" << violation_name(*v.violation)
         << "\">"
         << xml_escape("Shortest counterexample (" + std::to_string(v.trace ? v.trace->length() : 0) + " steps):\n" +
                       trace_text(m, v))
         << "</failure>\n    </testcase>\n";
    }
    else if (violated)
      os << ">\n      <skipped message=\"not checked to completion: the search stopped at the first violation\"/>\n    "
            "</testcase>\n";
    else if (v.kind == VerdictKind::HoldsUpToBound)
      os << ">\n      <system-out>holds up to depth " << v.bound << " (not exhaustive)</system-out>\n    </testcase>\n";
    else if (v.kind == VerdictKind::NotInductive)
      os << ">\n      <skipped message=\"not proved: k-induction's step case fails at k=" << v.induction_k
         << "; no counterexample of at most " << v.bound << " steps\"/>\n    </testcase>\n";
    else
      os << "/>\n";
  }
  os << "  </testsuite>\n</testsuites>\n";
  return os.str();
}

std::string sarif_json(const Model& m, const Verdict& v, const RunInfo& run)
{
  json rules = json::array();
  const ViolationKind kinds[] = {
      ViolationKind::Invariant,        ViolationKind::Deadlock,     ViolationKind::Assert,   ViolationKind::OutOfRange,
      ViolationKind::DivisionByZero,   ViolationKind::Overflow,     ViolationKind::Capacity, ViolationKind::WrongTag,
      ViolationKind::IndexOutOfBounds, ViolationKind::EmptySequence};
  for (ViolationKind k : kinds)
    rules.push_back({{"id", violation_name(k)},
                     {"shortDescription", {{"text", std::string("Keel: ") + violation_name(k) + " violation"}}},
                     {"defaultConfiguration", {{"level", "error"}}}});
  auto location = [&](Span sp, const std::string& msg)
  {
    Where w = where(m, sp);
    json loc = {{"physicalLocation",
                 {{"artifactLocation", {{"uri", w.valid ? w.path : run.spec}}},
                  {"region",
                   {{"startLine", w.valid ? w.begin.line : 1},
                    {"startColumn", w.valid ? w.begin.column : 1},
                    {"endLine", w.valid ? w.end.line : 1},
                    {"endColumn", w.valid ? w.end.column : 1}}}}}};
    if (!msg.empty()) loc["message"] = {{"text", msg}};
    return loc;
  };
  json results = json::array();
  if (v.kind == VerdictKind::Violated)
  {
    json r;
    r["ruleId"] = violation_name(*v.violation);
    r["level"] = "error";
    std::string text = v.message;
    for (auto& line : v.explanation) text += "; " + line;
    if (v.trace) text += " (shortest counterexample: " + std::to_string(v.trace->length()) + " steps)";
    r["message"] = {{"text", text}};
    r["locations"] = json::array({location(v.span, "")});
    json related = json::array();
    int id = 0;
    // The failing action: the step that raised the violation, else the last step.
    if (v.trace)
    {
      const TraceStep* last = v.trace->failing_step    ? &*v.trace->failing_step
                              : v.trace->steps.empty() ? nullptr
                                                       : &v.trace->steps.back();
      if (last && last->action >= 0)
      {
        json loc = location(m.actions[last->action].span, "the failing action: " + step_label(m, *last));
        loc["id"] = id++;
        related.push_back(loc);
      }
      json flow = json::array();
      for (auto& st : v.trace->steps)
        flow.push_back(
            {{"location", location(m.actions[st.action].span, step_label(m, st) + (st.is_fault ? " [fault]" : ""))}});
      if (v.trace->failing_step && v.trace->failing_step->action >= 0)
        flow.push_back(
            {{"location", location(v.trace->failing_step->span, step_label(m, *v.trace->failing_step) + " fails")}});
      if (!flow.empty()) r["codeFlows"] = json::array({{{"threadFlows", json::array({{{"locations", flow}}})}}});
    }
    if (!related.empty()) r["relatedLocations"] = related;
    r["properties"] = {{"property", v.property}, {"configuration", run.configuration}};
    results.push_back(r);
  }
  json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::array({{{"tool", {{"driver", {{"name", "keel"}, {"version", KEEL_VERSION}, {"rules", rules}}}}},
                             {"results", results}}})}};
  return doc.dump(2) + "\n";
}

}  // namespace keel
