// The keel command-line tool: one function per subcommand.
#pragma once

#include <map>
#include <string>

namespace keel::cli {

// Exit codes (docs/cli.md): TLC's where TLC has one.
enum ExitCode : int
{
  kExitHolds = 0,
  kExitUsage = 2,
  kExitDeadlock = 11,
  kExitSafety = 12,
  kExitSpecError = 150,
  kExitInternal = 255,
};

struct CheckArgs
{
  std::string spec;
  std::map<std::string, std::string> defines;
  std::map<std::string, int64_t> faults;  // --fault crash=2
  uint64_t max_depth = 0;
  bool no_deadlock = false;
  std::string trace_out;
  std::string dump;
  std::string color = "auto";
  double progress_seconds = 3.0;
};

int run_check(const CheckArgs& args);

}  // namespace keel::cli
