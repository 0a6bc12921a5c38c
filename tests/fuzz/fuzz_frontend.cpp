// libFuzzer target over Keel's front end: lexer, parser, name resolution,
// type checking and lowering to the Model (everything `keel check` does
// before it explores a state).
//
// Contract under test: any input either lowers to a Model or is rejected by
// a diagnostic and a CompileAborted. Only CompileAborted is caught here, so a
// crash, an assert, a sanitizer report, another exception escaping, or a
// slow input (-timeout) is a bug the fuzzer reports.
//
// Build and run: tests/fuzz/run_fuzz.sh SECONDS (see docs/fuzzing.md).
#include <cstddef>
#include <cstdint>
#include <string>

#include "spec/diagnostics.hpp"
#include "spec/lower.hpp"
#include "spec/parser.hpp"
#include "spec/source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  keel::SourceManager sources;
  keel::FileId id = sources.add("fuzz.keel", std::string(reinterpret_cast<const char*>(data), size));
  keel::DiagnosticEngine diags(sources);
  keel::LowerOptions options{};
  try
  {
    keel::ast::Spec spec = keel::parse(sources, id, diags);
    std::optional<keel::Model> model = keel::lower(spec, sources, diags, options);
    (void)model;
  }
  catch (const keel::CompileAborted&)
  {
  }
  return 0;
}
