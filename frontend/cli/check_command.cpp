#include <unistd.h>
#include <xxhash.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "checker/dot.hpp"
#include "checker/explicit/explorer.hpp"
#include "checker/reports.hpp"
#include "checker/symbolic/bmc.hpp"
#include "checker/trace.hpp"
#include "frontend/cli/commands.hpp"
#include "keel_version.hpp"
#include "spec/diagnostics.hpp"
#include "spec/lower.hpp"

namespace keel::cli
{

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

namespace
{

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

std::optional<Model> load_for_cli(const ModelArgs& m, SourceManager& sources, int& exit)
{
  DiagnosticEngine diags(sources);
  std::optional<Model> model;
  try
  {
    model = load_model(sources, m.spec, diags, lower_options(m));
  }
  catch (const std::exception& e)
  {
    diags.render_all(std::cerr);
    std::cerr << "keel: internal error while reading the spec: " << e.what() << "\n";
    exit = kExitInternal;
    return std::nullopt;
  }
  diags.render_all(std::cerr);
  if (!model) exit = kExitSpecError;
  return model;
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

namespace
{

// ---- the result cache: one folder per key, holding the printed output, the
// exit code and the reports, so an unchanged check is answered at once.
struct CacheEntry
{
  std::string output;
  int exit_code = 0;
  std::map<std::string, std::string> files;
};

// The key covers everything the answer depends on: Keel's version, the text
// of the spec and of every file it imports, and every option that changes
// the check.
std::string result_cache_key(const CheckArgs& args, const SourceManager& sources)
{
  std::string material = std::string("keel ") + KEEL_VERSION + "\n";
  for (size_t i = 0; i < sources.size(); ++i)
  {
    const SourceFile& f = sources.file(static_cast<FileId>(i));
    material += "file " + std::to_string(f.text().size()) + "\n";
    material += f.text();
  }
  for (auto& [k, v] : args.model.defines) material += "\n-D " + k + "=" + v;
  for (auto& [k, v] : args.model.faults) material += "\n--fault " + k + "=" + std::to_string(v);
  if (args.engine != "explicit")
    material += "\nengine " + args.engine + " depth " + std::to_string(args.depth) + " solver " + args.solver;
  material +=
      "\nmax-depth " + std::to_string(args.model.max_depth) + " deadlock " + (args.model.no_deadlock ? "off" : "on");
  material += "\nexpect " + args.expect;
  char hex[17];
  snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH3_64bits(material.data(), material.size())));
  return hex;
}

bool load_cache(const std::string& dir, const std::string& key, CacheEntry& e)
{
  std::string base = dir + "/" + key;
  std::ifstream out(base + "/output.txt"), code(base + "/exit");
  if (!out || !code) return false;
  std::stringstream ss;
  ss << out.rdbuf();
  e.output = ss.str();
  if (!(code >> e.exit_code)) return false;
  for (const char* name : {"stats.json", "junit.xml", "sarif.json", "trace.itf.json"})
  {
    std::ifstream f(base + "/" + name);
    if (!f) continue;
    std::stringstream fs;
    fs << f.rdbuf();
    e.files[name] = fs.str();
  }
  return true;
}

bool store_cache(const std::string& dir, const std::string& key, const CacheEntry& e)
{
  std::error_code ec;
  std::string base = dir + "/" + key;
  std::filesystem::create_directories(base, ec);
  if (ec)
  {
    std::cerr << "keel: warning: cannot create the cache folder " << base << ": " << ec.message() << "\n";
    return false;
  }
  for (auto& [name, text] : e.files) std::ofstream(base + "/" + name) << text;
  std::ofstream(base + "/output.txt") << e.output;
  // The exit code is written last: an entry without it is incomplete and ignored.
  std::ofstream code(base + "/exit");
  code << e.exit_code << "\n";
  return static_cast<bool>(code);
}

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
                        ? std::string("violated ") +
                              (v.violation == ViolationKind::Invariant ? v.property : violation_name(*v.violation))
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

bool write_trace_file(const std::string& path, const Model& m, const Trace& t, const std::string& source,
                      const Verdict& v)
{
  std::ofstream f;
  if (!open_output(path, f)) return false;
  if (path.ends_with(".html") || path.ends_with(".htm"))
    f << trace_html(m, t, source, v);
  else if (path.ends_with(".dot") || path.ends_with(".gv"))
    f << trace_dot(m, t);
  else
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
  int load_exit = 0;
  std::optional<Model> model = load_for_cli(args.model, sources, load_exit);
  if (!model) return load_exit;
  const Model& m = *model;

  std::string cache_key;
  if (!args.cache.empty())
  {
    cache_key = result_cache_key(args, sources);
    CacheEntry hit;
    if (load_cache(args.cache, cache_key, hit))
    {
      std::cout << "Keel " << KEEL_VERSION << ": " << args.model.spec
                << ": unchanged since a cached check (spec, imports, "
                << "configuration and Keel version hash to " << cache_key << "); not checking again\n"
                << hit.output;
      auto restore = [&](const std::string& path, const char* name)
      {
        if (path.empty()) return;
        auto it = hit.files.find(name);
        std::ofstream f;
        if (it != hit.files.end() && open_output(path, f)) f << it->second;
      };
      restore(args.stats_json, "stats.json");
      restore(args.junit, "junit.xml");
      restore(args.sarif, "sarif.json");
      if (!args.trace_out.empty())
      {
        if (args.trace_out.size() > 5 && args.trace_out.substr(args.trace_out.size() - 5) == ".json")
          restore(args.trace_out, "trace.itf.json");
        else
          std::cerr << "keel: note: the cache keeps ITF traces only; run without --cache for " << args.trace_out
                    << "\n";
      }
      return hit.exit_code;
    }
  }
  bool bmc = args.engine == "bmc";
  std::cout << "Keel " << KEEL_VERSION << ": checking " << args.model.spec
            << (bmc ? " (bmc, depth " + std::to_string(args.depth) + ", solver " + args.solver + ")"
                    : std::string(" (explicit, breadth-first)"))
            << "\n";
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
  std::cout << "State: " << m.vars.size() << " variables, " << m.state_bits << " bits (" << m.state_words * 8
            << " bytes) per state; " << m.actions.size() << " actions, " << m.invariants.size() << " invariants\n";

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
    if (bmc)
    {
      BmcOptions bo;
      bo.solver = args.solver;
      bo.depth = args.depth;
      bo.check_deadlock = !args.model.no_deadlock;
      bo.smt_log = args.smt_log;
      v = check_bmc(m, bo);
    }
    else
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
  std::ostringstream captured;  // printed at the end, and kept in the cache
  std::ostream& out = captured;
  if (v.kind == VerdictKind::Violated)
  {
    out << "\nError: " << v.message << "\n";
    std::string loc = where(m, v.span);
    if (!loc.empty()) out << "  " << loc << ": " << source_line(m, v.span) << "\n";
    for (const std::string& why : v.explanation) out << "  " << why << "\n";
    out << "\nShortest counterexample (" << v.trace->length() << " step" << (v.trace->length() == 1 ? "" : "s")
        << "):\n";
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
  if (bmc)
  {
    if (v.kind == VerdictKind::Error) out << "\nError: " << v.message << "\n";
    out << "\nStatistics: bmc reached depth " << st.depth << ", " << std::fixed << std::setprecision(2) << st.seconds
        << " s\n";
  }
  else
  {
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
  }

  RunInfo run;
  run.spec = args.model.spec;
  run.check_deadlock = !args.model.no_deadlock;
  for (auto& [k, val] : args.model.defines)
    run.configuration += (run.configuration.empty() ? "" : " ") + ("-D " + k + "=" + val);
  for (auto& [k, val] : args.model.faults)
    run.configuration += (run.configuration.empty() ? "" : " ") + ("--fault " + k + "=" + std::to_string(val));
  auto write_report = [&](const std::string& path, const std::string& text, const char* what)
  {
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
      if (bmc)
        out << "\nverdict: holds up to depth " << v.bound << " (no counterexample of at most " << v.bound
            << " steps)\n";
      else
        out << "\nverdict: holds up to depth " << v.bound << " (" << st.distinct << " states within the bound)\n";
      break;
    case VerdictKind::Violated:
      out << "\nverdict: violated (" << violation_name(*v.violation)
          << (v.violation == ViolationKind::Invariant ? " " + v.property : "") << "), trace length "
          << v.trace->length() << "\n";
      break;
    case VerdictKind::Error:
      out << "\nverdict: error\n";
      break;
  }
  if (!args.dot.empty())
  {
    // The whole state graph, explored again (small models only); on stderr so
    // that the verdict stays the last line of stdout.
    std::ofstream f;
    std::ostringstream graph;
    std::string error;
    out.flush();
    if (!write_state_graph_dot(m, graph, 10000, v.trace ? &*v.trace : nullptr, error))
      std::cerr << "keel: error: --dot " << args.dot << ": " << error << "\n";
    else if (open_output(args.dot, f) && (f << graph.str()).flush())
      std::cerr << "State graph written to " << args.dot << "\n";
  }
  int rc = check_expectation(args, m, v, out);
  std::cout << captured.str();
  if (!cache_key.empty())
  {
    CacheEntry e;
    e.output = captured.str();
    e.exit_code = rc;
    e.files["stats.json"] = stats_json(m, v, run);
    e.files["junit.xml"] = junit_xml(m, v, run);
    e.files["sarif.json"] = sarif_json(m, v, run);
    if (v.trace) e.files["trace.itf.json"] = trace_itf(m, *v.trace, args.model.spec, v);
    if (store_cache(args.cache, cache_key, e))
      std::cout << "Result cached in " << args.cache << " (key " << cache_key << ")\n";
  }
  return rc;
}

}  // namespace keel::cli
