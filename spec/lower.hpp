// Lowering: resolves names, checks types and builds the Model from the AST.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spec/ast.hpp"
#include "spec/diagnostics.hpp"
#include "spec/model.hpp"

namespace keel
{

struct LowerOptions
{
  std::map<std::string, std::string> overrides;  // -D NAME=VALUE
  std::map<std::string, int64_t> fault_budgets;  // --fault crash=2 or --fault crash(Node)=2
  std::vector<std::string> import_paths;         // -I DIR, searched after the importing file's folder
  // --no-fairness: the spec's `fair` declarations are checked, then left out
  // of the Model (the fairness that faults imply, delay's release and gst,
  // stays: it is what those faults mean).
  bool no_fairness = false;
};

// Where `import` looks, in order: the importing file's folder, -I folders,
// the folders in $KEEL_PATH (colon-separated), then Keel's own models/lib.
std::vector<std::string> import_search_path(const LowerOptions& options);

// Returns the model, or nullopt after reporting diagnostics.
std::optional<Model> lower(const ast::Spec& spec, const SourceManager& sources, DiagnosticEngine& diags,
                           const LowerOptions& options);

// Parses and lowers one file: the whole front end in one call.
std::optional<Model> load_model(SourceManager& sources, const std::string& path, DiagnosticEngine& diags,
                                const LowerOptions& options);

}  // namespace keel
