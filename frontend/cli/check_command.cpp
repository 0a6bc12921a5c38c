#include <unistd.h>
#include <xxhash.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "checker/bits.hpp"
#include "checker/dot.hpp"
#include "checker/explicit/explorer.hpp"
#include "checker/liveness/liveness_check.hpp"
#include "checker/reports.hpp"
#include "checker/symbolic/bmc.hpp"
#include "checker/symbolic/kind.hpp"
#include "checker/symbolic/lasso.hpp"
#include "checker/symbolic/pdr.hpp"
#include "checker/trace.hpp"
#include "checker/values.hpp"
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
  lo.no_fairness = m.no_fairness;
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
    material += "\nengine " + args.engine + " depth " + std::to_string(args.depth) + " solver " + args.solver +
                " arith " + args.arith;
  if (args.engine == "pdr") material += " pdr-timeout " + std::to_string(args.pdr_timeout);
  if (args.engine == "auto") material += " auto-states " + std::to_string(args.auto_states);
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
                              (v.violation == ViolationKind::Invariant || v.violation == ViolationKind::Liveness
                                   ? v.property
                                   : violation_name(*v.violation))
                        : verdict_word(v.kind);
  if (met)
  {
    out << "expectation met: expected " << expected << " (" << origin << "), got " << got << "\n";
    return kExitHolds;
  }
  out << "EXPECTATION NOT MET: expected " << expected << " (" << origin << "), got " << got << "\n";
  return kExitExpectation;
}

// ---- engine dispatch: one branch per --engine value.

// Which engine decided the verdict (explicit, bmc, k-induction), and for
// auto what happened before: the explicit search's result when it stopped at
// the state limit, and why the symbolic engines could not take over.
struct EngineRun
{
  std::string decided_by = "explicit";
  std::optional<Verdict> explicit_part;
  std::string handover_failure;
  std::optional<PdrInvariant> invariant;  // pdr: the invariant it proved with
};

symbolic::Arith arith_of(const CheckArgs& a)
{
  return a.arith == "lia" ? symbolic::Arith::Lia : symbolic::Arith::Bv;
}

std::string engine_heading(const CheckArgs& a)
{
  std::string solver = ", solver " + a.solver + (a.arith == "lia" ? ", linear integer arithmetic" : "");
  if (a.engine == "bmc") return "bmc, depth " + std::to_string(a.depth) + solver;
  if (a.engine == "kind") return "k-induction, k up to " + std::to_string(a.depth) + solver;
  if (a.engine == "pdr")
    return std::string("pdr: Spacer on z3, the invariant checked by ") + (a.solver == "both" ? "z3 and cvc5" : "z3");
  if (a.engine == "auto" && !a.model.max_depth)
    return "auto: explicit search up to " + std::to_string(a.auto_states) +
           " distinct states, then bmc and k-induction to depth " + std::to_string(a.depth) + solver;
  return "explicit, breadth-first";
}

BmcOptions bmc_options(const CheckArgs& a)
{
  BmcOptions bo;
  bo.solver = a.solver;
  bo.depth = a.depth;
  bo.check_deadlock = !a.model.no_deadlock;
  bo.smt_log = a.smt_log;
  bo.arith = arith_of(a);
  return bo;
}

KindOptions kind_options(const CheckArgs& a)
{
  KindOptions ko;
  ko.solver = a.solver;
  ko.depth = a.depth;
  ko.check_deadlock = !a.model.no_deadlock;
  ko.smt_log = a.smt_log;
  ko.arith = arith_of(a);
  return ko;
}

PdrOptions pdr_options(const CheckArgs& a)
{
  PdrOptions po;
  po.solver = a.solver;
  po.check_deadlock = !a.model.no_deadlock;
  po.timeout_ms = a.pdr_timeout * 1000;
  po.cex_depth = a.depth;
  po.smt_log = a.smt_log;
  po.arith = arith_of(a);
  return po;
}

// auto: the explicit search while it stays under --auto-states distinct
// states (its verdict then stands, exactly as --engine explicit gives it);
// past that, k-induction, whose base case is bmc to --depth. If the symbolic
// engines cannot take over (a construct they do not encode), the explicit
// search's bound is the answer. --max-depth bounds the explicit search, so
// with it auto is the explicit engine.
Verdict run_auto(const CheckArgs& args, const Model& m, const ExplicitOptions& eo, EngineRun& run)
{
  ExplicitOptions limited = eo;
  limited.max_states = args.auto_states;
  Verdict e = check_explicit(m, limited);
  if (!e.stats.state_limit_hit) return e;
  run.explicit_part = e;
  Verdict s = check_kind(m, kind_options(args));
  switch (s.kind)
  {
    case VerdictKind::Error:
      run.handover_failure = s.message;
      return e;
    case VerdictKind::Violated:
      run.decided_by = "bmc";
      return s;
    case VerdictKind::NotInductive:
      // Both searches found no counterexample: the larger bound stands.
      if (e.kind == VerdictKind::HoldsUpToBound) s.bound = std::max(s.bound, e.bound);
      [[fallthrough]];
    default:
      run.decided_by = "k-induction";
      return s;
  }
}

Verdict run_engine(const CheckArgs& args, const Model& m, const ExplicitOptions& eo, EngineRun& run)
{
  if (args.engine == "bmc")
  {
    run.decided_by = "bmc";
    return check_bmc(m, bmc_options(args));
  }
  if (args.engine == "kind")
  {
    Verdict v = check_kind(m, kind_options(args));
    run.decided_by = v.kind == VerdictKind::Violated ? "bmc" : "k-induction";
    return v;
  }
  if (args.engine == "pdr")
  {
    run.decided_by = "pdr";
    run.invariant.emplace();
    return check_pdr(m, pdr_options(args), &*run.invariant);
  }
  if (args.engine == "auto" && !args.model.max_depth) return run_auto(args, m, eo, run);
  return check_explicit(m, eo);
}

// Temporal properties are checked after the safety search, by the explicit
// engine's liveness check over the whole state graph (checker/liveness/).
// An engine that cannot check them never lets a "holds" through: the verdict
// becomes an error that says what was not checked.
Verdict check_temporal_properties(const CheckArgs& args, const Model& m, Verdict v, const EngineRun& run)
{
  if (m.properties.empty() || v.kind == VerdictKind::Violated || v.kind == VerdictKind::Error) return v;
  if (run.decided_by != "explicit")
  {
    // The symbolic engines look for lassos up to --depth: a bounded answer.
    LassoOptions lo;
    lo.solver = args.engine == "pdr" ? "z3" : args.solver;
    lo.depth = args.depth;
    if (!args.smt_log.empty()) lo.smt_log = args.smt_log + ".lasso";
    lo.arith = arith_of(args);
    Verdict l = check_liveness_bmc(m, lo);
    if (l.kind == VerdictKind::Violated || l.kind == VerdictKind::Error) return l;
    v.bound = v.kind == VerdictKind::HoldsUpToBound ? std::min(v.bound, l.bound) : l.bound;
    v.kind = v.kind == VerdictKind::NotInductive ? v.kind : VerdictKind::HoldsUpToBound;
    v.message = "temporal properties: no lasso counterexample of at most " + std::to_string(l.bound) +
                " steps (bounded: the explicit engine proves them on a finite state space)";
    return v;
  }
  if (v.kind != VerdictKind::Holds)
  {
    Verdict e;
    e.kind = VerdictKind::Error;
    e.stats = v.stats;
    e.message =
        "temporal properties need the whole state graph: they are not checked with --max-depth or a state limit";
    return e;
  }
  LivenessOptions lo;
  lo.progress = args.progress_seconds > 0 ? &std::cerr : nullptr;
  lo.progress_seconds = args.progress_seconds;
  Verdict l = check_liveness(m, lo);
  // The safety search's statistics describe the state space; the liveness
  // check adds its time.
  Stats s = v.stats;
  s.seconds += l.stats.seconds;
  s.peak_rss_bytes = std::max(s.peak_rss_bytes, l.stats.peak_rss_bytes);
  l.stats = s;
  return l;
}

// A counterexample to induction is not a trace from the initial states: it
// is printed with its own labels, so that it cannot be read as a bug.
void print_counterexample_to_induction(std::ostream& out, const Model& m, const Verdict& v, bool color)
{
  const char* bold = color ? "\033[1m" : "";
  const char* yellow = color ? "\033[33m" : "";
  const char* reset = color ? "\033[0m" : "";
  const Trace& t = *v.trace;
  size_t k = t.states.size() - 1;
  std::string bad;
  if (v.violation == ViolationKind::Invariant)
    bad = "invariant " + v.property + " is false";
  else if (v.violation == ViolationKind::Deadlock)
    bad = "no action is enabled (a deadlock)";
  else if (t.failing_step)
    bad = "running " + step_label(m, *t.failing_step) + " fails (" + v.message + ")";
  else
    bad = v.message;
  out << "\nNot inductive: k-induction's step case fails at k=" << v.induction_k << ".\n"
      << "This is NOT a counterexample: these states need not be reachable (no counterexample of at most " << v.bound
      << " steps exists).\n"
      << "From " << k << " distinct state" << (k == 1 ? "" : "s")
      << " meeting every invariant and lemma, where no action fails, one more step reaches a state where " << bad
      << ".\n"
      << "If state 0 below is unreachable, add a lemma that is false in it (lemma NAME: expr) and check again; "
      << "or try a larger --depth.\n";
  for (const std::string& why : v.explanation) out << "  " << why << "\n";
  out << "\nCounterexample to induction (" << k + 1 << " states):\n";
  for (size_t i = 0; i < t.states.size(); ++i)
  {
    const uint64_t* s = t.states[i].data();
    out << bold << "Step-case state " << i << reset << ": ";
    if (i == 0)
      out << "any state meeting every invariant and lemma (not necessarily reachable)";
    else
    {
      const TraceStep& st = t.steps[i - 1];
      if (st.is_fault) out << yellow << "[FAULT] " << reset;
      out << step_label(m, st);
      std::string loc = st.action >= 0 ? where(m, m.actions[st.action].span) : "";
      if (!loc.empty()) out << "  (" << loc << ")";
    }
    if (i == k) out << "  " << yellow << "<- " << bad << reset;
    out << "\n";
    for (const Variable& var : m.vars)
    {
      bool changed = i > 0 && !bits::equal(s, var.offset, t.states[i - 1].data(), var.offset, var.type->bits);
      std::string val = value_text(var.type, s, var.offset);
      if (changed)
        out << "  * " << yellow << var.name << " = " << val << reset << "\n";
      else
        out << "    " << var.name << " = " << val << "\n";
    }
  }
}

// The invariant PDR proved with, as lemmas to paste into the spec (each a
// conjunct; together they are inductive and exclude every bad state).
void print_pdr_invariant(std::ostream& out, const PdrInvariant& inv)
{
  out << "\nInductive invariant found by PDR (Spacer), one conjunct per line, as lemmas to paste into the spec:\n";
  for (size_t i = 0; i < inv.conjuncts.size(); ++i) out << "  lemma Pdr" << i + 1 << ": " << inv.conjuncts[i] << "\n";
  if (inv.conjuncts.empty()) out << "  (true: the properties are inductive on their own)\n";
  if (!inv.unexpressed.empty())
  {
    out << "  // not expressible in Keel, so the lemmas above are weaker than the invariant proved (over the\n"
        << "  // relation's arguments ";
    for (size_t i = 0; i < inv.pieces.size(); ++i) out << (i ? ", " : "") << inv.pieces[i];
    out << "):\n";
    for (const std::string& u : inv.unexpressed) out << "  //   " << u << "\n";
  }
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

int run_check(const CheckArgs& given)
{
  CheckArgs args = given;  // --arith auto is resolved once the model is known
  if (args.engine == "pdr" && args.solver == "cvc5")
  {
    std::cerr << "keel: error[K4002]: --engine pdr needs a Horn clause engine (Z3's Spacer), and cvc5 has none: use "
                 "--solver z3 or --solver both (Spacer, then the invariant checked by z3 and cvc5)\n";
    return kExitUsage;
  }
  SourceManager sources;
  int load_exit = 0;
  std::optional<Model> model = load_for_cli(args.model, sources, load_exit);
  if (!model) return load_exit;
  const Model& m = *model;
  if (args.arith != "bv" && args.engine != "explicit")
  {
    ExprId nonlinear = symbolic::first_nonlinear(m);
    if (args.arith == "lia" && nonlinear != kNone)
    {
      std::cerr << "keel: error[K4003]: not supported yet: nonlinear arithmetic ("
                << symbolic::describe_nonlinear(m, nonlinear) << ") under --arith lia; use bv\n";
      return kExitUsage;
    }
    // Measured (bench/README.md, "bv vs lia"): lia decides at least as many
    // runs as bv, in less time, except pdr on a model that divides (Spacer
    // generalises poorly over div/mod): auto keeps bit-vectors there.
    if (args.arith == "auto")
    {
      bool lia = nonlinear == kNone && (args.engine != "pdr" || symbolic::first_division(m) == kNone);
      args.arith = lia ? "lia" : "bv";
    }
  }

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
  std::cout << "Keel " << KEEL_VERSION << ": checking " << args.model.spec << " (" << engine_heading(args) << ")\n";
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
  EngineRun engine;
  try
  {
    v = run_engine(args, m, eo, engine);
    v = check_temporal_properties(args, m, std::move(v), engine);
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
  bool symbolic = engine.decided_by != "explicit";
  if (engine.explicit_part)
  {
    out << "\nauto: the explicit search stopped at " << engine.explicit_part->stats.distinct
        << " distinct states (--auto-states)";
    if (engine.explicit_part->kind == VerdictKind::HoldsUpToBound)
      out << " with no counterexample of at most " << engine.explicit_part->bound << " steps";
    if (engine.handover_failure.empty())
      out << "; bmc and k-induction take over (depth " << args.depth << ")\n";
    else
      out << "; the symbolic engines cannot take over: " << engine.handover_failure << "\n";
  }
  if (v.kind == VerdictKind::NotInductive) print_counterexample_to_induction(out, m, v, color);
  if (v.kind == VerdictKind::Violated)
  {
    out << "\nError: " << v.message << "\n";
    std::string loc = where(m, v.span);
    if (!loc.empty()) out << "  " << loc << ": " << source_line(m, v.span) << "\n";
    for (const std::string& why : v.explanation) out << "  " << why << "\n";
    if (v.trace->loop)
      out << "\nCounterexample, a lasso (" << v.trace->length() << " step" << (v.trace->length() == 1 ? "" : "s")
          << ": a prefix, then a loop repeated forever):\n";
    else
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

  if (engine.invariant && v.kind == VerdictKind::Holds) print_pdr_invariant(out, *engine.invariant);
  const Stats& st = v.stats;
  if (engine.decided_by == "pdr")
  {
    if (v.kind == VerdictKind::Error) out << "\nError: " << v.message << "\n";
    out << "\nStatistics: pdr (Spacer on z3), " << std::fixed << std::setprecision(2) << st.seconds << " s"
        << (st.logic.empty() ? "" : ", logic " + st.logic) << "\n";
  }
  else if (symbolic)
  {
    if (v.kind == VerdictKind::Error) out << "\nError: " << v.message << "\n";
    if (engine.explicit_part)
    {
      const Stats& es = engine.explicit_part->stats;
      out << "\nExplicit search: " << es.initial << " initial, " << es.generated << " generated, " << es.distinct
          << " distinct states (stopped at the limit), depth " << es.depth << ", " << std::fixed << std::setprecision(2)
          << es.seconds << " s";
    }
    out << "\nStatistics: " << (args.engine == "bmc" ? "bmc reached depth " : "k-induction reached k=") << st.depth
        << ", " << std::fixed << std::setprecision(2) << st.seconds << " s, logic " << st.logic << "\n";
  }
  else
  {
    if (v.kind == VerdictKind::Error) out << "\nError: " << v.message << "\n";
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
  run.engine = engine.decided_by;
  run.requested_engine = args.engine;
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
      if (engine.decided_by == "pdr")
        out << "\nverdict: holds (" << v.message << ")\n";
      else if (symbolic)
        out << "\nverdict: holds (proved by k-induction at k=" << v.induction_k << ")\n";
      else
      {
        out << "\nverdict: holds (explicit search: all " << st.distinct << " reachable states explored";
        if (!m.properties.empty())
          out << "; " << m.properties.size() << " temporal propert" << (m.properties.size() == 1 ? "y" : "ies")
              << " hold" << (m.properties.size() == 1 ? "s" : "") << " on every" << (m.fairness.empty() ? "" : " fair")
              << " behaviour";
        out << ")\n";
      }
      break;
    case VerdictKind::HoldsUpToBound:
      if (symbolic && !m.properties.empty()) out << "\nNote: " << v.message << "\n";
      if (symbolic)
        out << "\nverdict: holds up to depth " << v.bound << " (bmc: no counterexample of at most " << v.bound
            << " steps)\n";
      else if (st.state_limit_hit)
        out << "\nverdict: holds up to depth " << v.bound << " (explicit search, stopped at " << st.distinct
            << " states: no counterexample of at most " << v.bound << " steps)\n";
      else
        out << "\nverdict: holds up to depth " << v.bound << " (" << st.distinct << " states within the bound)\n";
      break;
    case VerdictKind::NotInductive:
      out << "\nverdict: not inductive at k=" << v.induction_k
          << " (k-induction could not prove it; no counterexample of at most " << v.bound << " steps)\n";
      break;
    case VerdictKind::Violated:
      if (engine.decided_by == "pdr")
        out << "\nFound by pdr (Spacer); the shortest trace by bmc.";
      else if (symbolic)
        out << "\nFound by " << engine.decided_by << (args.engine == "bmc" ? "" : " (the base case of k-induction)")
            << ".";
      out << "\nverdict: violated (" << violation_name(*v.violation)
          << (v.violation == ViolationKind::Invariant || v.violation == ViolationKind::Liveness ? " " + v.property : "")
          << "), trace length " << v.trace->length();
      if (v.trace->loop)
        out << " (a lasso: " << *v.trace->loop << " step" << (*v.trace->loop == 1 ? "" : "s") << " to the loop, "
            << v.trace->length() - *v.trace->loop << " in it)";
      out << "\n";
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
