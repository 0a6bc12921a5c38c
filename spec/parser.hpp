// Recursive-descent parser for .keel files. Stops at the first syntax error
// (reported through the DiagnosticEngine) by throwing CompileAborted.
#pragma once

#include "spec/ast.hpp"
#include "spec/diagnostics.hpp"
#include "spec/lexer.hpp"

namespace keel {

ast::Spec parse(const SourceManager& sources, FileId file, DiagnosticEngine& diags);

}  // namespace keel
