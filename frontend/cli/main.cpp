// keel: the command-line entry point. Options are declared once, here, with
// CLI11; `keel --help` and docs/cli.md describe the same table.
#include <CLI/CLI.hpp>
#include <iostream>

#include "frontend/cli/commands.hpp"
#include "keel_version.hpp"

namespace
{

using namespace keel::cli;

// The options shared by every command that explores a model.
struct RawModelOptions
{
  std::vector<std::string> defines, faults;
};

void add_model_options(CLI::App* cmd, ModelArgs& m, RawModelOptions& raw)
{
  cmd->add_option("spec", m.spec, "The .keel file")->required();
  cmd->add_option("-D,--define", raw.defines, "Override a constant: -D NAME=VALUE (repeatable)");
  cmd->add_option("--fault", raw.faults,
                  "Override a fault budget: --fault crash=2 or --fault 'crash(Node)=2' (repeatable)");
  cmd->add_option("-I,--import-path", m.import_paths, "A folder to search for imported modules (repeatable)");
  cmd->add_option("--max-depth", m.max_depth, "Explore at most this many steps from the initial states");
  cmd->add_flag("--no-deadlock", m.no_deadlock, "Do not report states without successors as deadlocks");
}

// For the commands that check temporal properties (check, resilience).
void add_fairness_option(CLI::App* cmd, ModelArgs& m)
{
  cmd->add_flag("--no-fairness", m.no_fairness,
                "Check temporal properties without the spec's `fair` declarations (the fairness that "
                "delay and gst faults imply stays)");
}

// Splits NAME=VALUE; false (after a diagnostic) when malformed.
bool split_assignment(const std::string& s, const char* option, std::string& name, std::string& value)
{
  auto eq = s.find('=');
  if (eq == std::string::npos || eq == 0)
  {
    std::cerr << "keel: error[K4001]: " << option << " expects NAME=VALUE, got '" << s << "'\n";
    return false;
  }
  name = s.substr(0, eq);
  value = s.substr(eq + 1);
  return true;
}

bool finish_model_options(const RawModelOptions& raw, ModelArgs& m)
{
  for (const std::string& d : raw.defines)
  {
    std::string name, value;
    if (!split_assignment(d, "-D", name, value)) return false;
    m.defines[name] = value;
  }
  for (const std::string& f : raw.faults)
  {
    std::string name, value;
    if (!split_assignment(f, "--fault", name, value)) return false;
    size_t used = 0;
    long long k = -1;
    try
    {
      k = std::stoll(value, &used);
    }
    catch (...)
    {
      used = 0;
    }
    if (used == 0 || used != value.size() || k < 0)
    {
      std::cerr << "keel: error[K4001]: --fault " << name << ": the budget must be an integer >= 0, got '" << value
                << "'\n";
      return false;
    }
    m.faults[name] = k;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv)
{
  CLI::App app{"Keel: a model checker for consensus and liquidation protocols"};
  app.set_version_flag("--version", std::string("keel ") + KEEL_VERSION);
  app.require_subcommand(1);

  CheckArgs check;
  RawModelOptions check_raw;
  CLI::App* check_cmd = app.add_subcommand("check", "Check a spec's invariants, assertions and deadlock freedom");
  add_model_options(check_cmd, check.model, check_raw);
  add_fairness_option(check_cmd, check.model);
  check_cmd->add_option("--trace-out", check.trace_out,
                        "Write the counterexample: .html viewer, .dot graph, else ITF JSON");
  check_cmd->add_option("--stats-json", check.stats_json,
                        "Write the verdict and statistics as JSON (schema keel-stats/1)");
  check_cmd->add_option("--junit", check.junit, "Write a JUnit XML report: one test case per property");
  check_cmd->add_option("--sarif", check.sarif, "Write a SARIF 2.1.0 report locating violations in the spec");
  check_cmd->add_option("--expect", check.expect,
                        "The expected verdict: holds, deadlock, or violated[:NAME] (overrides the spec's 'expect')");
  check_cmd->add_option(
      "--dot", check.dot,
      "Write the reachable state graph (at most 10000 states) as Graphviz DOT, the counterexample in red");
  check_cmd->add_option(
      "--cache", check.cache,
      "Reuse the result of an identical earlier check kept in this folder (spec, imports, options, Keel version)");
  check_cmd->add_option("--dump", check.dump, "Write every distinct reachable state to this file, one per line");
  check_cmd->add_option("--color", check.color, "Color the trace: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  check_cmd->add_option("--progress", check.progress_seconds, "Seconds between progress lines on stderr (0: none)");
  check_cmd
      ->add_option("--engine", check.engine,
                   "The engine: auto (the default: explicit while the state space is small, else bmc and "
                   "k-induction), explicit (breadth-first, exhaustive), bmc (bounded model checking with an SMT "
                   "solver), kind (k-induction: proofs for all depths) or pdr (IC3/PDR through Z3's Spacer: proofs "
                   "with the inductive invariant printed)")
      ->check(CLI::IsMember({"auto", "explicit", "bmc", "kind", "pdr"}));
  check_cmd->add_option("--depth", check.depth,
                        "bmc: look for counterexamples of at most this many steps; kind and auto: try k up to "
                        "this (default 10)");
  check_cmd->add_option("--solver", check.solver, "bmc, kind, auto: the SMT solver: z3, cvc5, or both (cross-checked)")
      ->check(CLI::IsMember({"z3", "cvc5", "both"}));
  check_cmd->add_option("--smt-log", check.smt_log,
                        "bmc, kind: write every solver command to this file as SMT-LIB 2 (kind: its step case to "
                        "FILE.step; pdr: the Horn clauses and invariant checks to FILE, its counterexample search to "
                        "FILE.bmc)");
  check_cmd
      ->add_option("--arith", check.arith,
                   "bmc, kind, pdr, auto: how integers are encoded: bv (bit-vectors sized from the declared ranges), "
                   "lia (linear integer arithmetic; the model must be linear) or auto (the default: lia when the "
                   "model is linear, else bv; pdr keeps bv for a model with / or % of a variable)")
      ->check(CLI::IsMember({"bv", "lia", "auto"}));
  check_cmd->add_option("--pdr-timeout", check.pdr_timeout,
                        "pdr: seconds Spacer may take before the check ends in an error (default 0: no limit)");
  check_cmd
      ->add_option("--auto-states", check.auto_states,
                   "auto: explore explicitly up to this many distinct states before the symbolic engines take "
                   "over (default 1000000)")
      ->check(CLI::PositiveNumber);

  ResilienceArgs res;
  RawModelOptions res_raw;
  CLI::App* res_cmd = app.add_subcommand(
      "resilience", "Sweep fault budgets and constants; print the matrix of verdicts and the boundary");
  add_model_options(res_cmd, res.model, res_raw);
  add_fairness_option(res_cmd, res.model);
  res_cmd
      ->add_option("--sweep", res.sweeps,
                   "A dimension: NAME=LO..HI, NAME a fault (crash, 'crash(Node)') or a constant (repeatable)")
      ->required();
  res_cmd->add_option("--format", res.format, "Output format: text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  res_cmd->add_option("--out", res.out, "Write the result to this file instead of stdout");

  SimulateArgs sim;
  RawModelOptions sim_raw;
  CLI::App* sim_cmd = app.add_subcommand("simulate", "Seeded random walks for state spaces too big to exhaust");
  add_model_options(sim_cmd, sim.model, sim_raw);
  sim_cmd->add_option("--runs", sim.runs, "Number of random walks (default 100)");
  sim_cmd->add_option("--depth", sim.depth, "Steps per walk (default 100)");
  sim_cmd->add_option("--seed", sim.seed, "Seed of the first walk; the same seed replays the same walks");
  sim_cmd->add_flag("--no-shrink", sim.no_shrink, "Print a violating walk as found, without shrinking it");
  sim_cmd->add_option("--trace-out", sim.trace_out,
                      "Write the counterexample: .html viewer, .dot graph, else ITF JSON");
  sim_cmd->add_option("--color", sim.color, "Color the trace: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  ReplayArgs rep;
  RawModelOptions rep_raw;
  CLI::App* rep_cmd = app.add_subcommand("replay", "Re-check a trace (ITF JSON) step by step against a spec");
  add_model_options(rep_cmd, rep.model, rep_raw);
  rep_cmd->add_option("trace", rep.trace, "The trace, in ITF JSON")->required();

  try
  {
    app.parse(argc, argv);
  }
  catch (const CLI::ParseError& e)
  {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }

  if (check_cmd->parsed())
  {
    if (!finish_model_options(check_raw, check.model)) return kExitSpecError;
    if (check.engine == "kind" && check.depth == 0)
    {
      std::cerr << "keel: error: --engine " << check.engine << " needs --depth 1 or more (the largest k tried)\n";
      return kExitUsage;
    }
    return run_check(check);
  }
  if (sim_cmd->parsed())
  {
    if (!finish_model_options(sim_raw, sim.model)) return kExitSpecError;
    sim.seed_given = sim_cmd->count("--seed") > 0;
    return run_simulate(sim);
  }
  if (rep_cmd->parsed())
  {
    if (!finish_model_options(rep_raw, rep.model)) return kExitSpecError;
    return run_replay(rep);
  }
  if (res_cmd->parsed())
  {
    if (!finish_model_options(res_raw, res.model)) return kExitSpecError;
    return run_resilience(res);
  }
  return kExitUsage;
}
