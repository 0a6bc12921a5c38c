// libFuzzer target over Keel's front end: lexer, parser, name resolution,
// type checking and lowering to the Model (everything `keel check` does
// before it explores a state).
//
// Contract under test: any input either lowers to a Model or is rejected by
// a diagnostic and a CompileAborted. Only CompileAborted is caught here, so a
// crash, an assert, a sanitizer report, another exception escaping, or a
// slow input (-timeout) is a bug the fuzzer reports. A rejection without an
// error diagnostic traps too, and every diagnostic is rendered (file:line:col
// and caret) so the renderer sees the same odd spans and bytes.
//
// Build and run: tests/fuzz/run_fuzz.sh SECONDS (see docs/fuzzing.md).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>

#include "spec/diagnostics.hpp"
#include "spec/lower.hpp"
#include "spec/parser.hpp"
#include "spec/source.hpp"

namespace
{
// Discards what is written to it: rendering is exercised, not printed.
struct NullBuf : std::streambuf
{
  int overflow(int c) override { return c == traits_type::eof() ? 0 : c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  keel::SourceManager sources;
  keel::FileId id = sources.add("fuzz.keel", std::string(reinterpret_cast<const char*>(data), size));
  keel::DiagnosticEngine diags(sources);
  keel::LowerOptions options{};
  bool ok = false;
  try
  {
    keel::ast::Spec spec = keel::parse(sources, id, diags);
    std::optional<keel::Model> model = keel::lower(spec, sources, diags, options);
    ok = model.has_value();
  }
  catch (const keel::CompileAborted&)
  {
  }
  if (!ok && !diags.has_errors()) __builtin_trap();  // rejected without a diagnostic
  NullBuf buf;
  std::ostream sink(&buf);
  diags.render_all(sink);
  return 0;
}
