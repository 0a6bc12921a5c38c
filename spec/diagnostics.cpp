#include "spec/diagnostics.hpp"

#include <algorithm>

namespace keel
{

namespace
{
struct CodeInfo
{
  const char* id;
  const char* summary;
};
constexpr CodeInfo kCodes[] = {
#define KEEL_DIAG(Name, Code, Summary) {Code, Summary},
#include "spec/diagnostic_codes.def"
#undef KEEL_DIAG
};
}  // namespace

const char* diag_code_id(DiagCode code)
{
  return kCodes[static_cast<int>(code)].id;
}
const char* diag_code_summary(DiagCode code)
{
  return kCodes[static_cast<int>(code)].summary;
}

Diagnostic& DiagnosticEngine::error(DiagCode code, Span span, std::string message)
{
  ++d_error_count;
  d_diags.push_back({Severity::Error, code, span, true, std::move(message), {}});
  return d_diags.back();
}

Diagnostic& DiagnosticEngine::error_no_span(DiagCode code, std::string message)
{
  ++d_error_count;
  d_diags.push_back({Severity::Error, code, {}, false, std::move(message), {}});
  return d_diags.back();
}

Diagnostic& DiagnosticEngine::warning(DiagCode code, Span span, std::string message)
{
  d_diags.push_back({Severity::Warning, code, span, true, std::move(message), {}});
  return d_diags.back();
}

void DiagnosticEngine::fatal(DiagCode code, Span span, std::string message)
{
  error(code, span, std::move(message));
  throw CompileAborted();
}

void DiagnosticEngine::render_location(std::ostream& os, Span span, const char* label, const std::string& message,
                                       bool with_code, DiagCode code) const
{
  if (span.file >= d_sources.size())
  {
    os << label << (with_code ? std::string("[") + diag_code_id(code) + "]" : "") << ": " << message << "\n";
    return;
  }
  const SourceFile& f = d_sources.file(span.file);
  LineCol lc = f.line_col(span.begin);
  os << f.path() << ":" << lc.line << ":" << lc.column << ": " << label;
  if (with_code) os << "[" << diag_code_id(code) << "]";
  os << ": " << message << "\n";
  std::string_view line = f.line_text(lc.line);
  std::string gutter = std::to_string(lc.line);
  os << " " << gutter << " | ";
  // Replace tabs and control bytes so the caret lines up.
  std::string shown;
  for (char c : line) shown += (c == '\t' || static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  os << shown << "\n";
  os << " " << std::string(gutter.size(), ' ') << " | ";
  uint32_t col0 = lc.column - 1;
  LineCol end_lc = f.line_col(span.end > span.begin ? span.end - 1 : span.begin);
  uint32_t width = 1;
  if (end_lc.line == lc.line && span.end > span.begin) width = end_lc.column - lc.column + 1;
  col0 = std::min<uint32_t>(col0, static_cast<uint32_t>(shown.size()));
  os << std::string(col0, ' ') << '^';
  if (width > 1) os << std::string(width - 1, '~');
  os << "\n";
}

void DiagnosticEngine::render(std::ostream& os, const Diagnostic& d) const
{
  const char* label = d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "note";
  if (d.has_span)
    render_location(os, d.span, label, d.message, true, d.code);
  else
    os << "keel: " << label << "[" << diag_code_id(d.code) << "]: " << d.message << "\n";
  for (const auto& n : d.notes) render_location(os, n.span, "note", n.message, false, d.code);
}

void DiagnosticEngine::render_all(std::ostream& os) const
{
  for (const auto& d : d_diags) render(os, d);
}

}  // namespace keel
