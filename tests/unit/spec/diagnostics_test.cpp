// spec/diagnostics and spec/source: the code catalogue, line/column mapping,
// and the rendered form (file:line:col, source line, caret and tildes, notes).
#include "spec/diagnostics.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>

using namespace keel;

namespace
{
const DiagCode kAllCodes[] = {
#define KEEL_DIAG(Name, Code, Summary) DiagCode::Name,
#include "spec/diagnostic_codes.def"
#undef KEEL_DIAG
};
const char* const kAllIds[] = {
#define KEEL_DIAG(Name, Code, Summary) Code,
#include "spec/diagnostic_codes.def"
#undef KEEL_DIAG
};

std::string render(const DiagnosticEngine& d)
{
  std::ostringstream os;
  d.render_all(os);
  return os.str();
}
}  // namespace

TEST_CASE("diagnostics: the code catalogue is well formed and unique", "[diagnostics]")
{
  std::set<std::string> seen;
  std::regex form("K[0-4][0-9]{3}");
  size_t i = 0;
  for (DiagCode c : kAllCodes)
  {
    std::string id = diag_code_id(c);
    INFO(id);
    CHECK(id == kAllIds[i++]);
    CHECK(std::regex_match(id, form));
    CHECK(seen.insert(id).second);
    CHECK(std::string(diag_code_summary(c)).size() > 5);
  }
  CHECK(std::string(diag_code_id(DiagCode::UndefinedName)) == "K2001");
  CHECK(std::string(diag_code_id(DiagCode::ConstantFolding)) == "K2014");
  CHECK(std::string(diag_code_id(DiagCode::InvalidCharacter)) == "K0002");
  CHECK(std::string(diag_code_id(DiagCode::ExpectedToken)) == "K1001");
  CHECK(std::string(diag_code_id(DiagCode::StateTooLarge)) == "K3001");
  CHECK(std::string(diag_code_id(DiagCode::BadOverride)) == "K4001");
  CHECK(std::string(diag_code_summary(DiagCode::UndefinedName)) == "a name that is not declared");
}

TEST_CASE("source: line_col and line_text", "[diagnostics][source]")
{
  SourceFile f("f.keel", "ab\ncde\n\nf\r\ng");
  CHECK(f.path() == "f.keel");
  auto lc = [&](uint32_t off)
  {
    LineCol c = f.line_col(off);
    return std::to_string(c.line) + ":" + std::to_string(c.column);
  };
  CHECK(lc(0) == "1:1");
  CHECK(lc(1) == "1:2");
  CHECK(lc(2) == "1:3");  // the newline itself
  CHECK(lc(3) == "2:1");
  CHECK(lc(5) == "2:3");
  CHECK(lc(7) == "3:1");
  CHECK(lc(8) == "4:1");
  CHECK(lc(11) == "5:1");
  CHECK(lc(12) == "5:2");   // end of file
  CHECK(lc(500) == "5:2");  // clamped
  CHECK(f.line_text(1) == "ab");
  CHECK(f.line_text(2) == "cde");
  CHECK(f.line_text(3) == "");
  CHECK(f.line_text(4) == "f");  // without the \r
  CHECK(f.line_text(5) == "g");
  CHECK(f.line_text(0) == "");
  CHECK(f.line_text(6) == "");
}

TEST_CASE("source: SourceManager assigns consecutive ids", "[diagnostics][source]")
{
  SourceManager sm;
  CHECK(sm.add("a", "x") == 0);
  CHECK(sm.add("b", "y") == 1);
  CHECK(sm.size() == 2);
  CHECK(sm.file(1).path() == "b");
  FileId id = 99;
  std::string err;
  CHECK_FALSE(sm.load("/nonexistent/file.keel", id, err));
  CHECK(id == 99);
  CHECK_FALSE(err.empty());
}

TEST_CASE("diagnostics: an error renders location, source line and caret with tildes", "[diagnostics]")
{
  SourceManager sm;
  FileId f = sm.add("spec.keel", "var x: 0..3\ninvariant Bad: x < y\n");
  DiagnosticEngine d(sm);
  d.error(DiagCode::UndefinedName, Span{f, 31, 32}, "undefined name 'y'");
  d.error(DiagCode::TypeMismatch, Span{f, 27, 32}, "whole comparison");
  CHECK(d.has_errors());
  CHECK(d.error_count() == 2);
  CHECK(render(d) ==
        "spec.keel:2:20: error[K2001]: undefined name 'y'\n"
        " 2 | invariant Bad: x < y\n"
        "   |                    ^\n"
        "spec.keel:2:16: error[K2003]: whole comparison\n"
        " 2 | invariant Bad: x < y\n"
        "   |                ^~~~~\n");
}

TEST_CASE("diagnostics: tabs are shown as spaces so the caret lines up", "[diagnostics]")
{
  SourceManager sm;
  FileId f = sm.add("t.keel", "\tvar\tx @");
  DiagnosticEngine d(sm);
  d.error(DiagCode::InvalidCharacter, Span{f, 7, 8}, "bad");
  CHECK(render(d) ==
        "t.keel:1:8: error[K0002]: bad\n"
        " 1 |  var x @\n"
        "   |        ^\n");
}

TEST_CASE("diagnostics: a span over several lines gets a single caret", "[diagnostics]")
{
  SourceManager sm;
  FileId f = sm.add("t.keel", "action A {\n  x := 1\n}\n");
  DiagnosticEngine d(sm);
  d.error(DiagCode::TypeMismatch, Span{f, 7, 22}, "multi");
  CHECK(render(d) ==
        "t.keel:1:8: error[K2003]: multi\n"
        " 1 | action A {\n"
        "   |        ^\n");
}

TEST_CASE("diagnostics: the gutter widens with the line number", "[diagnostics]")
{
  std::string text;
  for (int i = 1; i < 12; ++i) text += "line" + std::to_string(i) + "\n";
  SourceManager sm;
  FileId f = sm.add("t.keel", text);
  DiagnosticEngine d(sm);
  uint32_t off = static_cast<uint32_t>(text.find("line11"));
  d.error(DiagCode::ExpectedToken, Span{f, off + 4, off + 6}, "here");
  CHECK(render(d) ==
        "t.keel:11:5: error[K1001]: here\n"
        " 11 | line11\n"
        "    |     ^~\n");
}

TEST_CASE("diagnostics: notes, warnings and span-less errors", "[diagnostics]")
{
  SourceManager sm;
  FileId f = sm.add("t.keel", "var x: bool\nvar x: bool\n");
  DiagnosticEngine d(sm);
  auto& e = d.error(DiagCode::DuplicateName, Span{f, 16, 17}, "'x' is already declared");
  e.notes.push_back({Span{f, 4, 5}, "previous declaration"});
  d.warning(DiagCode::NotSupportedYet, Span{f, 0, 3}, "just a warning");
  d.error_no_span(DiagCode::BadOverride, "-D Q: no such constant");
  CHECK(d.error_count() == 2);  // warnings do not count
  CHECK(d.diagnostics().size() == 3);
  CHECK(d.diagnostics()[1].severity == Severity::Warning);
  CHECK(render(d) ==
        "t.keel:2:5: error[K2002]: 'x' is already declared\n"
        " 2 | var x: bool\n"
        "   |     ^\n"
        "t.keel:1:5: note: previous declaration\n"
        " 1 | var x: bool\n"
        "   |     ^\n"
        "t.keel:1:1: warning[K1002]: just a warning\n"
        " 1 | var x: bool\n"
        "   | ^~~\n"
        "keel: error[K4001]: -D Q: no such constant\n");
}

TEST_CASE("diagnostics: a span at the end of the file renders", "[diagnostics]")
{
  SourceManager sm;
  FileId f = sm.add("t.keel", "var x:");
  DiagnosticEngine d(sm);
  d.error(DiagCode::ExpectedToken, Span{f, 6, 6}, "expected a type");
  CHECK(render(d) ==
        "t.keel:1:7: error[K1001]: expected a type\n"
        " 1 | var x:\n"
        "   |       ^\n");
}

TEST_CASE("diagnostics: a span in an unknown file falls back to the message", "[diagnostics]")
{
  SourceManager sm;
  DiagnosticEngine d(sm);
  d.error(DiagCode::TypeMismatch, Span{3, 0, 1}, "lost");
  CHECK(render(d) == "error[K2003]: lost\n");
}

TEST_CASE("diagnostics: fatal records the error and throws CompileAborted", "[diagnostics]")
{
  SourceManager sm;
  FileId f = sm.add("t.keel", "x");
  DiagnosticEngine d(sm);
  CHECK_THROWS_AS(d.fatal(DiagCode::UndefinedName, Span{f, 0, 1}, "nope"), CompileAborted);
  CHECK(d.error_count() == 1);
  CHECK(d.diagnostics()[0].message == "nope");
  CHECK(d.diagnostics()[0].has_span);
}
