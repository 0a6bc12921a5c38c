// One diagnostics engine for every phase: stable codes from
// diagnostic_codes.def, file:line:col, the source line and a caret under the
// span, and notes that point at a related place.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "spec/source.hpp"

namespace keel
{

enum class DiagCode
{
#define KEEL_DIAG(Name, Code, Summary) Name,
#include "spec/diagnostic_codes.def"
#undef KEEL_DIAG
};

const char* diag_code_id(DiagCode code);       // "K2001"
const char* diag_code_summary(DiagCode code);  // one line for docs

enum class Severity
{
  Error,
  Warning,
  Note,
};

struct Diagnostic
{
  Severity severity = Severity::Error;
  DiagCode code = DiagCode::ExpectedToken;
  Span span;
  bool has_span = false;
  std::string message;
  struct Note
  {
    Span span;
    std::string message;
  };
  std::vector<Note> notes;
};

// Thrown to unwind a phase after an error was reported (the parser and the
// type checker stop at the first error; later errors are usually noise).
struct CompileAborted : std::exception
{
  const char* what() const noexcept override { return "compilation aborted"; }
};

class DiagnosticEngine
{
 public:
  explicit DiagnosticEngine(const SourceManager& sources) : d_sources(sources) {}

  Diagnostic& error(DiagCode code, Span span, std::string message);
  Diagnostic& error_no_span(DiagCode code, std::string message);
  Diagnostic& warning(DiagCode code, Span span, std::string message);
  [[noreturn]] void fatal(DiagCode code, Span span, std::string message);

  bool has_errors() const { return d_error_count > 0; }
  size_t error_count() const { return d_error_count; }
  const std::vector<Diagnostic>& diagnostics() const { return d_diags; }

  void render(std::ostream& os, const Diagnostic& d) const;
  void render_all(std::ostream& os) const;

 private:
  void render_location(std::ostream& os, Span span, const char* label, const std::string& message, bool with_code,
                       DiagCode code) const;
  const SourceManager& d_sources;
  std::vector<Diagnostic> d_diags;
  size_t d_error_count = 0;
};

}  // namespace keel
