// The keel command-line tool: one function per subcommand.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "checker/explicit/explorer.hpp"
#include "spec/lower.hpp"

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

// What every subcommand needs to build and explore a model.
struct ModelArgs
{
  std::string spec;
  std::map<std::string, std::string> defines;  // -D NAME=VALUE
  std::map<std::string, int64_t> faults;       // --fault crash=2
  std::vector<std::string> import_paths;       // -I DIR
  uint64_t max_depth = 0;
  bool no_deadlock = false;
};

struct CheckArgs
{
  ModelArgs model;
  std::string trace_out;
  std::string dump;
  std::string color = "auto";
  double progress_seconds = 3.0;
};

struct ResilienceArgs
{
  ModelArgs model;
  std::vector<std::string> sweeps;  // NAME=LO..HI
  std::string format = "text";      // text, json, csv
  std::string out;                  // file, or stdout
};

// Shared by the commands: the front end's and the explicit engine's options
// from the command line, and opening an output file (with a diagnostic).
LowerOptions lower_options(const ModelArgs& m);
ExplicitOptions explicit_options(const ModelArgs& m);
bool open_output(const std::string& path, std::ofstream& file);

int run_check(const CheckArgs& args);
int run_resilience(const ResilienceArgs& args);

}  // namespace keel::cli
