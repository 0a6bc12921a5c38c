// keel: the command-line entry point. Options are declared once, here, with
// CLI11; `keel --help` and docs/cli.md describe the same table.
#include <CLI/CLI.hpp>

#include <iostream>

#include "frontend/cli/commands.hpp"
#include "keel_version.hpp"

int main(int argc, char** argv)
{
  using namespace keel::cli;
  CLI::App app{"Keel: a model checker for consensus and liquidation protocols"};
  app.set_version_flag("--version", std::string("keel ") + KEEL_VERSION);
  app.require_subcommand(1);

  CheckArgs check;
  std::vector<std::string> defines;
  CLI::App* cmd = app.add_subcommand("check", "Check a spec's invariants, assertions and deadlock freedom");
  cmd->add_option("spec", check.spec, "The .keel file to check")->required();
  cmd->add_option("-D,--define", defines, "Override a constant: -D NAME=VALUE (repeatable)");
  std::vector<std::string> faults;
  cmd->add_option("--fault", faults, "Override a fault budget: --fault crash=2 or --fault 'crash(Node)=2' (repeatable)");
  cmd->add_option("--max-depth", check.max_depth, "Explore at most this many steps from the initial states");
  cmd->add_flag("--no-deadlock", check.no_deadlock, "Do not report states without successors as deadlocks");
  cmd->add_option("--trace-out", check.trace_out, "Write the counterexample as ITF JSON to this file");
  cmd->add_option("--dump", check.dump, "Write every distinct reachable state to this file, one per line");
  cmd->add_option("--color", check.color, "Color the trace: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--progress", check.progress_seconds, "Seconds between progress lines on stderr (0: none)");

  try
  {
    app.parse(argc, argv);
  }
  catch (const CLI::ParseError& e)
  {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }

  if (cmd->parsed())
  {
    for (const std::string& d : defines)
    {
      auto eq = d.find('=');
      if (eq == std::string::npos || eq == 0)
      {
        std::cerr << "keel: error[K4001]: -D expects NAME=VALUE, got '" << d << "'\n";
        return kExitSpecError;
      }
      check.defines[d.substr(0, eq)] = d.substr(eq + 1);
    }
    for (const std::string& f : faults)
    {
      auto eq = f.find('=');
      long long k = 0;
      size_t used = 0;
      bool ok = eq != std::string::npos && eq > 0;
      if (ok)
      {
        try
        {
          k = std::stoll(f.substr(eq + 1), &used);
        }
        catch (...)
        {
          ok = false;
        }
        ok = ok && used == f.size() - eq - 1 && k >= 0;
      }
      if (!ok)
      {
        std::cerr << "keel: error[K4001]: --fault expects KIND=BUDGET with a budget >= 0, got '" << f << "'\n";
        return kExitSpecError;
      }
      check.faults[f.substr(0, eq)] = k;
    }
    return run_check(check);
  }
  return kExitUsage;
}
