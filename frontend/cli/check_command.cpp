#include <unistd.h>

#include <fstream>
#include <map>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "checker/explicit/explorer.hpp"
#include "checker/reports.hpp"
#include "checker/trace.hpp"
#include "frontend/cli/commands.hpp"
#include "keel_version.hpp"
#include "spec/diagnostics.hpp"
#include "spec/lower.hpp"

namespace keel::cli {

namespace {

std::string where(const Model& m, Span sp)
{
  if (!m.sources || sp.file >= m.sources->size() || (sp.begin == 0 && sp.end == 0)) return "";
  const SourceFile& f = m.sources->file(sp.file);
  LineCol lc = f.line_col(sp.begin);
  return f.path() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

std::string source_line(const Model& m, Span sp)
{
  if (!m.sources || sp.file >= m.sources->size()) return "";
  const SourceFile& f = m.sources->file(sp.file);
  return std::string(f.line_text(f.line_col(sp.begin).line));
}

std::string human_bytes(double b)
{
  std::ostringstream ss;
  ss << std::fixed << std::setprecision(1) << b / (1024.0 * 1024.0) << " MiB";
  return ss.str();
}

}  // namespace

LowerOptions lower_options(const ModelArgs& m)
{
  LowerOptions lo;
  lo.overrides = m.defines;
  lo.fault_budgets = m.faults;
  lo.import_paths = m.import_paths;
  return lo;
}

ExplicitOptions explicit_options(const ModelArgs& m)
{
  ExplicitOptions eo;
  eo.check_deadlock = !m.no_deadlock;
  eo.max_depth = m.max_depth;
  return eo;
}

bool open_output(const std::string& path, std::ofstream& file)
{
  file.open(path);
  if (file) return true;
  std::cerr << "keel: error: cannot write " << path << "\n";
  return false;
}

namespace {

// Compares the verdict with what the spec (`expect ...`) or --expect says
// this configuration should do. Met: exit 0. Not met: exit 1.
int check_expectation(const CheckArgs& args, const Model& m, const Verdict& v, std::ostream& out)
{
  std::string verdict, property, origin;
  if (!args.expect.empty())
  {
    auto colon = args.expect.find(':');
    verdict = args.expect.substr(0, colon);
    property = colon == std::string::npos ? "" : args.expect.substr(colon + 1);
    origin = "--expect";
  }
  else if (m.expectation)
  {
    verdict = m.expectation->verdict;
    property = m.expectation->property;
    origin = where(m, m.expectation->span);
  }
  else
    return exit_code(v);
  bool met;
  std::string expected = verdict + (property.empty() ? "" : " " + property);
  if (verdict == "holds")
    met = v.kind == VerdictKind::Holds || v.kind == VerdictKind::HoldsUpToBound;
  else if (verdict == "deadlock")
    met = v.kind == VerdictKind::Violated && v.violation == ViolationKind::Deadlock;
  else if (verdict == "violated")
    met = v.kind == VerdictKind::Violated &&
          (property.empty() || property == v.property || property == violation_name(*v.violation));
  else
  {
    std::cerr << "keel: error[K4001]: --expect takes holds, deadlock or violated[:NAME], got '" << args.expect << "'\n";
    return kExitSpecError;
  }
  std::string got = v.kind == VerdictKind::Violated
                        ? std::string("violated ") + (v.violation == ViolationKind::Invariant ? v.property : violation_name(*v.violation))
                        : verdict_word(v.kind);
  if (met)
  {
    out << "expectation met: expected " << expected << " (" << origin << "), got " << got << "\n";
    return kExitHolds;
  }
  out << "EXPECTATION NOT MET: expected " << expected << " (" << origin << "), got " << got << "\n";
  return kExitExpectation;
}

}  // namespace

bool write_trace_file(const std::string& path, const Model& m, const Trace& t, const std::string& source, const Verdict& v)
{
  std::ofstream f;
  if (!open_output(path, f)) return false;
  f << trace_itf(m, t, source, v);
  f.flush();
  if (!f)
  {
    std::cerr << "keel: error: cannot write " << path << "\n";
    return false;
  }
  return true;
}

int run_check(const CheckArgs& args)
{
  SourceManager sources;
  DiagnosticEngine diags(sources);
  LowerOptions lopts = lower_options(args.model);
  std::optional<Model> model;
  try
  {
    model = load_model(sources, args.model.spec, diags, lopts);
  }
  catch (const std::exception& e)
  {
    diags.render_all(std::cerr);
    std::cerr << "keel: internal error while reading the spec: " << e.what() << "\n";
    return kExitInternal;
  }
  diags.render_all(std::cerr);
  if (!model) return kExitSpecError;
  const Model& m = *model;

  std::cout << "Keel " << KEEL_VERSION << ": checking " << args.model.spec << " (explicit, breadth-first)\n";
  if (!m.constants.empty())
  {
    std::cout << "Constants:";
    for (auto& [k, v] : m.constants) std::cout << " " << k << "=" << v;
    std::cout << "\n";
  }
  if (!m.faults.empty())
  {
    std::cout << "Faults:";
    for (size_t i = 0; i < m.faults.size(); ++i)
      std::cout << (i ? "," : "") << " " << m.faults[i].name << " at most " << m.faults[i].budget;
    std::cout << "\n";
  }
  std::cout << "State: " << m.vars.size() << " variables, " << m.state_bits << " bits ("
            << m.state_words * 8 << " bytes) per state; " << m.actions.size() << " actions, "
            << m.invariants.size() << " invariants\n";

  ExplicitOptions eo = explicit_options(args.model);
  eo.progress_seconds = args.progress_seconds;
  eo.progress = args.progress_seconds > 0 ? &std::cerr : nullptr;
  std::ofstream dump_file;
  if (!args.dump.empty())
  {
    if (!open_output(args.dump, dump_file)) return kExitUsage;
    eo.dump = &dump_file;
  }
  Verdict v;
  try
  {
    v = check_explicit(m, eo);
  }
  catch (const std::bad_alloc&)
  {
    std::cerr << "keel: error: out of memory\n";
    return kExitInternal;
  }
  catch (const std::exception& e)
  {
    std::cerr << "keel: internal error: " << e.what() << "\n";
    return kExitInternal;
  }

  bool color = args.color == "always" || (args.color == "auto" && isatty(STDOUT_FILENO));
  std::ostream& out = std::cout;
  if (v.kind == VerdictKind::Violated)
  {
    out << "\nError: " << v.message << "\n";
    std::string loc = where(m, v.span);
    if (!loc.empty()) out << "  " << loc << ": " << source_line(m, v.span) << "\n";
    for (const std::string& why : v.explanation) out << "  " << why << "\n";
    out << "\nShortest counterexample (" << v.trace->length() << " step" << (v.trace->length() == 1 ? "" : "s") << "):\n";
    print_trace_text(out, m, *v.trace, color);
    std::map<std::string, int> injected;
    for (const TraceStep& st : v.trace->steps)
      if (st.is_fault && m.actions[st.action].fault >= 0) ++injected[m.faults[m.actions[st.action].fault].name];
    if (!injected.empty())
    {
      out << "Faults injected in this trace:";
      for (auto& [name, n] : injected) out << " " << name << " x" << n;
      out << "\n";
    }
    if (!args.trace_out.empty() && write_trace_file(args.trace_out, m, *v.trace, args.model.spec, v))
      out << "Trace written to " << args.trace_out << "\n";
  }

  const Stats& st = v.stats;
  out << "\nStatistics: " << st.initial << " initial, " << st.generated << " generated, " << st.distinct
      << " distinct states, depth " << st.depth << "\n";
  out << "  " << std::fixed << std::setprecision(2) << st.seconds << " s, "
      << static_cast<uint64_t>(st.generated / std::max(st.seconds, 1e-6)) << " states/s, peak memory "
      << human_bytes(static_cast<double>(st.peak_rss_bytes)) << ", " << std::setprecision(1) << st.bytes_per_state
      << " bytes/state in the visited set\n";
  out << "Coverage:";
  std::vector<std::string> never;
  for (size_t a = 0; a < m.actions.size(); ++a)
  {
    std::string name = (m.actions[a].process.empty() ? "" : m.actions[a].process + ".") + m.actions[a].name;
    if (m.actions[a].fault >= 0) name += "[" + m.faults[m.actions[a].fault].name + "]";
    out << " " << name << "=" << st.action_fired[a];
    if (st.action_fired[a] == 0) never.push_back(name);
  }
  out << "\n";
  if (!never.empty() && v.kind != VerdictKind::Violated)
  {
    out << "Warning: actions never enabled:";
    for (auto& n : never) out << " " << n;
    out << "\n";
  }

  RunInfo run;
  run.spec = args.model.spec;
  run.check_deadlock = !args.model.no_deadlock;
  for (auto& [k, val] : args.model.defines) run.configuration += (run.configuration.empty() ? "" : " ") + ("-D " + k + "=" + val);
  for (auto& [k, val] : args.model.faults)
    run.configuration += (run.configuration.empty() ? "" : " ") + ("--fault " + k + "=" + std::to_string(val));
  auto write_report = [&](const std::string& path, const std::string& text, const char* what) {
    if (path.empty()) return;
    std::ofstream f;
    if (open_output(path, f)) f << text;
    if (f) out << what << " written to " << path << "\n";
  };
  write_report(args.stats_json, stats_json(m, v, run), "Statistics");
  write_report(args.junit, junit_xml(m, v, run), "JUnit report");
  write_report(args.sarif, sarif_json(m, v, run), "SARIF report");

  switch (v.kind)
  {
    case VerdictKind::Holds:
      out << "\nverdict: holds (all " << st.distinct << " reachable states explored)\n";
      break;
    case VerdictKind::HoldsUpToBound:
      out << "\nverdict: holds up to depth " << v.bound << " (" << st.distinct << " states within the bound)\n";
      break;
    case VerdictKind::Violated:
      out << "\nverdict: violated (" << violation_name(*v.violation)
          << (v.violation == ViolationKind::Invariant ? " " + v.property : "") << "), trace length "
          << v.trace->length() << "\n";
      break;
    case VerdictKind::Error: out << "\nverdict: error\n"; break;
  }
  return check_expectation(args, m, v, out);
}

}  // namespace keel::cli
