// keel simulate: seeded random walks (checker/simulate), a shrunk
// counterexample, and the command line that reproduces the run.
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "checker/simulate/simulator.hpp"
#include "checker/trace.hpp"
#include "frontend/cli/commands.hpp"
#include "keel_version.hpp"
#include "spec/diagnostics.hpp"
#include "spec/lower.hpp"

namespace keel::cli
{

namespace
{

// A word as a POSIX shell reads it back unchanged.
std::string shell_quote(const std::string& s)
{
  bool plain = !s.empty();
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string("_-./=:,+@%").find(c) != std::string::npos))
      plain = false;
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The command that replays this run exactly (the same walks, the same
// shrinking); output options (--trace-out, --color) are left out.
std::string reproduce_command(const SimulateArgs& a, uint64_t seed)
{
  std::string cmd = "keel simulate " + shell_quote(a.model.spec) + " --seed " + std::to_string(seed) + " --runs " +
                    std::to_string(a.runs) + " --depth " + std::to_string(a.depth);
  for (auto& [name, value] : a.model.defines) cmd += " -D " + shell_quote(name + "=" + value);
  for (auto& [name, k] : a.model.faults) cmd += " --fault " + shell_quote(name + "=" + std::to_string(k));
  for (auto& dir : a.model.import_paths) cmd += " -I " + shell_quote(dir);
  if (a.model.no_deadlock) cmd += " --no-deadlock";
  if (a.no_shrink) cmd += " --no-shrink";
  return cmd;
}

// A seed when none is given: the clock and the process id, mixed.
uint64_t fresh_seed()
{
  uint64_t t = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  uint64_t c = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  SplitMix64 sm(t ^ (c << 17) ^ (static_cast<uint64_t>(getpid()) << 40));
  return sm.next();
}

std::string plural(uint64_t n, const char* word)
{
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

size_t fault_steps(const Trace& t)
{
  size_t n = 0;
  for (const TraceStep& s : t.steps) n += s.is_fault;
  return n;
}

}  // namespace

int run_simulate(const SimulateArgs& args)
{
  SourceManager sources;
  int load_exit = 0;
  std::optional<Model> model = load_for_cli(args.model, sources, load_exit);
  if (!model) return load_exit;
  const Model& m = *model;

  if (args.model.max_depth)
    std::cerr << "keel: warning: --max-depth is ignored by simulate; --depth bounds each walk\n";

  SimulateOptions so;
  so.runs = args.runs;
  so.depth = args.depth;
  so.seed = args.seed_given ? args.seed : fresh_seed();
  so.check_deadlock = !args.model.no_deadlock;
  so.shrink = !args.no_shrink;

  std::ostream& out = std::cout;
  out << "Keel " << KEEL_VERSION << ": simulating " << args.model.spec << " (random walks, not exhaustive)\n";
  if (!m.constants.empty())
  {
    out << "Constants:";
    for (auto& [k, v] : m.constants) out << " " << k << "=" << v;
    out << "\n";
  }
  if (!m.faults.empty())
  {
    out << "Faults:";
    for (size_t i = 0; i < m.faults.size(); ++i)
      out << (i ? "," : "") << " " << m.faults[i].name << " at most " << m.faults[i].budget;
    out << "\n";
  }
  out << "State: " << m.vars.size() << " variables, " << m.state_bits << " bits (" << m.state_words * 8
      << " bytes) per state; " << m.actions.size() << " actions, " << m.invariants.size() << " invariants\n";
  out << "Seed: " << so.seed << (args.seed_given ? "" : " (from the clock)") << "; " << plural(so.runs, "walk")
      << " of at most " << plural(so.depth, "step") << "\n";
  out << "Reproduce with: " << reproduce_command(args, so.seed) << "\n" << std::flush;

  SimulateResult r;
  try
  {
    r = simulate(m, so);
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
  const Verdict& v = r.verdict;

  bool color = args.color == "always" || (args.color == "auto" && isatty(STDOUT_FILENO));
  if (v.kind == VerdictKind::Violated)
  {
    const Trace& t = *v.trace;
    out << "\nError: " << v.message << "\n";
    std::string loc = where(m, v.span);
    if (!loc.empty()) out << "  " << loc << ": " << source_line(m, v.span) << "\n";
    out << "\n";
    if (r.failing_walk)
    {
      out << "Found by walk " << *r.failing_walk + 1 << " of " << so.runs << " (walk seed "
          << walk_seed(so.seed, *r.failing_walk) << ") after " << plural(r.length_before_shrink, "step");
      if (r.faults_before_shrink) out << " (" << plural(r.faults_before_shrink, "fault") << ")";
      if (so.shrink)
      {
        out << "; shrunk to " << plural(t.length(), "step");
        if (r.faults_before_shrink) out << " (" << plural(fault_steps(t), "fault") << ")";
        out << " with " << plural(r.shrink_checks, "re-check");
        if (r.shrink_budget_exhausted) out << " (the re-check budget ran out)";
      }
      out << "\n";
    }
    else
      out << "Found while computing the initial states\n";
    out << "\nCounterexample (" << plural(t.length(), "step") << "; found by random walk"
        << (so.shrink && r.failing_walk ? " and shrunk" : "") << ", not necessarily the shortest):\n";
    print_trace_text(out, m, t, color);
    std::map<std::string, int> injected;
    for (const TraceStep& st : t.steps)
      if (st.is_fault && m.actions[st.action].fault >= 0) ++injected[m.faults[m.actions[st.action].fault].name];
    if (!injected.empty())
    {
      out << "Faults injected in this trace:";
      for (auto& [name, n] : injected) out << " " << name << " x" << n;
      out << "\n";
    }
    if (!args.trace_out.empty() && write_trace_file(args.trace_out, m, t, args.model.spec, v))
      out << "Trace written to " << args.trace_out << "\n";
  }

  const Stats& st = v.stats;
  out << "\nStatistics: " << plural(r.runs_done, "walk") << ", " << plural(r.steps, "step") << ", " << st.generated
      << " successors generated, " << plural(st.initial, "initial state") << ", longest walk "
      << plural(st.depth, "step") << "\n";
  out << "  " << std::fixed << std::setprecision(2) << r.walk_seconds << " s walking ("
      << static_cast<uint64_t>(r.steps / std::max(r.walk_seconds, 1e-6)) << " steps/s)";
  if (v.kind == VerdictKind::Violated && so.shrink && r.failing_walk) out << ", " << r.shrink_seconds << " s shrinking";
  out << ", " << st.seconds << " s in all, peak memory " << std::setprecision(1)
      << static_cast<double>(st.peak_rss_bytes) / (1024.0 * 1024.0) << " MiB\n";
  out << std::defaultfloat;
  out << "Actions taken:";
  std::vector<std::string> never;
  for (size_t a = 0; a < m.actions.size(); ++a)
  {
    std::string name = (m.actions[a].process.empty() ? "" : m.actions[a].process + ".") + m.actions[a].name;
    if (m.actions[a].fault >= 0) name += "[" + m.faults[m.actions[a].fault].name + "]";
    out << " " << name << "=" << st.action_fired[a];
    if (st.action_fired[a] == 0) never.push_back(name);
  }
  out << "\n";
  if (!never.empty() && v.kind != VerdictKind::Violated && r.runs_done > 0)
  {
    out << "Note: actions no walk took:";
    for (auto& n : never) out << " " << n;
    out << "\n";
  }

  switch (v.kind)
  {
    case VerdictKind::Violated:
      out << "\nverdict: violated (" << violation_name(*v.violation)
          << (v.violation == ViolationKind::Invariant ? " " + v.property : "") << "), trace length "
          << v.trace->length() << "\n";
      break;
    case VerdictKind::HoldsUpToBound:
    case VerdictKind::Holds:
      // Random walks are finite: they cannot show a temporal property holds or fails.
      if (!m.properties.empty())
        out << "\nNote: temporal properties (" << m.properties.size()
            << ") are not checked by simulation; keel check does that\n";
      out << "\nverdict: " << v.message << "\n";
      break;
    case VerdictKind::NotInductive:  // not an answer simulation gives
    case VerdictKind::Error:
      out << "\nverdict: error\n";
      break;
  }
  return exit_code(v);
}

}  // namespace keel::cli
