// The keel command-line tool: one function per subcommand.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/explicit/explorer.hpp"
#include "spec/lower.hpp"

namespace keel::cli
{

// Exit codes (docs/cli.md): TLC's where TLC has one.
enum ExitCode : int
{
  kExitHolds = 0,
  kExitExpectation = 1,  // the verdict differs from the spec's `expect` (or --expect)
  kExitUsage = 2,
  kExitDeadlock = 11,
  kExitSafety = 12,
  kExitNotInductive = 20,  // k-induction could not prove the properties (no TLC equivalent)
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
  bool no_fairness = false;  // --no-fairness: ignore the spec's `fair` declarations
};

struct CheckArgs
{
  ModelArgs model;
  std::string trace_out;
  std::string dump;
  std::string dot;  // --dot FILE: the state graph as Graphviz DOT
  std::string stats_json, junit, sarif;
  std::string expect;  // --expect holds | deadlock | violated[:NAME]
  std::string cache;   // --cache DIR
  std::string color = "auto";
  double progress_seconds = 3.0;
  std::string engine = "auto";     // --engine auto | explicit | bmc | kind
  uint64_t depth = 10;             // --depth K (bmc, kind, auto)
  std::string solver = "z3";       // --solver z3 | cvc5 | both (bmc, kind, auto)
  std::string smt_log;             // --smt-log FILE (bmc, kind, pdr)
  uint64_t pdr_timeout = 0;        // --pdr-timeout SECONDS: Spacer's time limit (0: none)
  uint64_t auto_states = 1000000;  // --auto-states N: auto's budget for the explicit search
  std::string arith = "auto";      // --arith bv | lia | auto (the symbolic engines' integers); run_check resolves auto
};

struct SimulateArgs
{
  ModelArgs model;
  uint64_t runs = 100;   // random walks
  uint64_t depth = 100;  // steps per walk
  uint64_t seed = 0;     // 0: pick one (and print it)
  bool seed_given = false;
  bool no_shrink = false;
  std::string trace_out;  // .itf.json / .html / .dot by extension
  std::string color = "auto";
};

struct ReplayArgs
{
  ModelArgs model;
  std::string trace;  // ITF JSON
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
// Loads the spec with the command line's options, rendering diagnostics on
// stderr. On failure returns nullopt and sets `exit` (150 spec error, 255 bug).
// `sources` must outlive the model.
std::optional<Model> load_for_cli(const ModelArgs& m, SourceManager& sources, int& exit);
ExplicitOptions explicit_options(const ModelArgs& m);
bool open_output(const std::string& path, std::ofstream& file);
// "file:line:col" of a span ("" if it has none), and the source line it starts on.
std::string where(const Model& m, Span sp);
std::string source_line(const Model& m, Span sp);

int run_check(const CheckArgs& args);
int run_resilience(const ResilienceArgs& args);
int run_simulate(const SimulateArgs& args);
int run_replay(const ReplayArgs& args);

// Writes a trace to `path` in the format its extension names: .html (the
// self-contained viewer), .dot (Graphviz), anything else ITF JSON.
bool write_trace_file(const std::string& path, const Model& m, const Trace& t, const std::string& source,
                      const Verdict& v);

}  // namespace keel::cli
