// Shared helpers for the unit tests: compile a spec held in memory, collect
// initial states and successors, read variables, evaluate a probe expression.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "checker/bits.hpp"
#include "checker/eval.hpp"
#include "checker/values.hpp"
#include "spec/lower.hpp"
#include "spec/parser.hpp"

namespace keel::test
{

// A compiled spec. The SourceManager lives on the heap so that Model::sources
// stays valid when a Compiled is moved.
struct Compiled
{
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  std::unique_ptr<DiagnosticEngine> diags;
  std::optional<Model> model;
  std::string rendered;  // every diagnostic, rendered

  bool ok() const { return model.has_value(); }
  const Model& m() const { return *model; }
  // The code of the first diagnostic, "" if there is none.
  std::string first_code() const
  {
    return diags->diagnostics().empty() ? "" : diag_code_id(diags->diagnostics().front().code);
  }
  // "line:col" of the first diagnostic, "" if it has no span.
  std::string first_pos() const
  {
    if (diags->diagnostics().empty() || !diags->diagnostics().front().has_span) return "";
    const Diagnostic& d = diags->diagnostics().front();
    LineCol lc = sources->file(d.span.file).line_col(d.span.begin);
    return std::to_string(lc.line) + ":" + std::to_string(lc.column);
  }
};

inline Compiled compile(const std::string& text, const LowerOptions& opts = {}, const std::string& path = "t.keel")
{
  Compiled c;
  c.diags = std::make_unique<DiagnosticEngine>(*c.sources);
  FileId id = c.sources->add(path, text);
  try
  {
    ast::Spec spec = parse(*c.sources, id, *c.diags);
    c.model = lower(spec, *c.sources, *c.diags, opts);
  }
  catch (const CompileAborted&)
  {
  }
  std::ostringstream os;
  c.diags->render_all(os);
  c.rendered = os.str();
  return c;
}

using State = std::vector<uint64_t>;

// Collects emitted states (with one spare zero word, as the engines keep).
struct Collect : SuccessorSink
{
  size_t words;
  std::vector<uint32_t> actions;
  std::vector<State> states;
  explicit Collect(size_t w) : words(w) {}
  void emit(uint32_t action, const uint64_t* next) override
  {
    actions.push_back(action);
    State s(next, next + words);
    s.push_back(0);
    states.push_back(std::move(s));
  }
};

inline std::vector<State> initial_states(const Model& m)
{
  Evaluator ev(m);
  Collect c(m.state_words);
  ev.initial_states(c);
  return c.states;
}

inline std::vector<State> successors(const Model& m, const State& s)
{
  Evaluator ev(m);
  Collect c(m.state_words);
  ev.successors(s.data(), c);
  return c.states;
}

inline const Variable& var(const Model& m, const std::string& name)
{
  for (const Variable& v : m.vars)
    if (v.name == name) return v;
  throw std::runtime_error("no variable " + name);
}

// A scalar variable's value (range values decoded).
inline int64_t int_var(const Model& m, const State& s, const std::string& name)
{
  const Variable& v = var(m, name);
  uint64_t raw = bits::get(s.data(), v.offset, v.type->bits);
  return v.type->kind == TypeKind::Range ? static_cast<int64_t>(raw) + v.type->lo : static_cast<int64_t>(raw);
}

inline std::string text_var(const Model& m, const State& s, const std::string& name)
{
  const Variable& v = var(m, name);
  return value_text(v.type, s.data(), v.offset);
}

inline const Definition& def(const Model& m, const std::string& name)
{
  for (const Definition& d : m.defs)
    if (d.name == name) return d;
  throw std::runtime_error("no definition " + name);
}

inline uint32_t action_index(const Model& m, const std::string& name)
{
  for (uint32_t i = 0; i < m.actions.size(); ++i)
    if (m.actions[i].name == name) return i;
  throw std::runtime_error("no action " + name);
}

// Compiles `decls` plus `def probe: TYPE = EXPR` and evaluates the probe in
// the (first) initial state. Throws EvalError on a violation.
inline int64_t eval_probe(const std::string& decls, const std::string& type, const std::string& expr)
{
  Compiled c = compile(decls + "\ndef probe: " + type + " = " + expr + "\n");
  if (!c.ok()) throw std::runtime_error("probe does not compile:\n" + c.rendered);
  auto init = initial_states(c.m());
  if (init.empty()) throw std::runtime_error("no initial state");
  Evaluator ev(c.m());
  return ev.eval_in(def(c.m(), "probe").body, init.front().data());
}

}  // namespace keel::test
