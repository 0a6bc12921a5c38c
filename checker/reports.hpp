// Machine-readable reports of a run for CI systems: statistics as JSON (a
// versioned schema), JUnit XML (one test case per property) and SARIF 2.1.0
// (violations located in the spec, with the trace as a code flow).
#pragma once

#include <string>

#include "checker/trace.hpp"
#include "spec/model.hpp"

namespace keel
{

struct RunInfo
{
  std::string spec;  // the spec's path as given
  std::string engine = "explicit";     // the engine that decided: explicit, bmc, k-induction
  std::string configuration;  // "-D N=4 --fault crash=1", or ""
  bool check_deadlock = true;
  std::string requested_engine;  // --engine as given (auto, explicit, bmc, kind); "" if not known
};

constexpr const char* kStatsSchema = "keel-stats/1";

std::string stats_json(const Model& m, const Verdict& v, const RunInfo& run);
std::string junit_xml(const Model& m, const Verdict& v, const RunInfo& run);
std::string sarif_json(const Model& m, const Verdict& v, const RunInfo& run);

// The verdict in one word, as reports and expectations spell it:
// holds, holds-up-to-bound, violated, not-inductive, error.
const char* verdict_word(VerdictKind k);

}  // namespace keel
