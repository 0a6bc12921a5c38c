// keel replay: re-checks a trace (ITF JSON, from any engine or from a test of
// a real implementation) step by step against a spec, and reports the first
// step that does not follow, with the reason.
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "checker/bits.hpp"
#include "checker/eval.hpp"
#include "checker/trace.hpp"
#include "checker/values.hpp"
#include "frontend/cli/commands.hpp"
#include "keel_version.hpp"
#include "spec/diagnostics.hpp"
#include "spec/lower.hpp"

namespace keel::cli
{

namespace
{

using State = std::vector<uint64_t>;

struct Collected
{
  int action;
  std::vector<Binding> bindings;
  State next;
};

// All successors of a state (or the initial states), with their actions.
class Collector : public SuccessorSink
{
 public:
  Collector(const Evaluator& ev, size_t words) : d_ev(ev), d_words(words) {}
  void emit(uint32_t action, const uint64_t* next) override
  {
    Collected c{d_initial ? -1 : static_cast<int>(action), d_ev.current_bindings(), State(next, next + d_words + 1)};
    out.push_back(std::move(c));
  }
  std::vector<Collected> out;
  bool d_initial = false;

 private:
  const Evaluator& d_ev;
  size_t d_words;
};

bool same_state(const State& a, const State& b, size_t words)
{
  return std::memcmp(a.data(), b.data(), words * 8) == 0;
}

std::string differing_vars(const Model& m, const State& want, const State& got)
{
  std::string out;
  for (auto& v : m.vars)
    if (!bits::equal(want.data(), v.offset, got.data(), v.offset, v.type->bits))
      out += "\n    " + v.name + ": the trace has " + value_text(v.type, want.data(), v.offset) + ", the spec gives " +
             value_text(v.type, got.data(), v.offset);
  return out;
}

// Among candidate states, the one differing from `want` in the fewest variables.
const Collected* closest(const Model& m, const std::vector<Collected>& cands, const State& want)
{
  const Collected* best = nullptr;
  size_t best_diff = SIZE_MAX;
  for (auto& c : cands)
  {
    size_t diff = 0;
    for (auto& v : m.vars) diff += !bits::equal(want.data(), v.offset, c.next.data(), v.offset, v.type->bits);
    if (diff < best_diff)
    {
      best_diff = diff;
      best = &c;
    }
  }
  return best;
}

std::string action_label(const Model& m, int a)
{
  if (a < 0) return "init";
  return (m.actions[a].process.empty() ? "" : m.actions[a].process + ".") + m.actions[a].name;
}

}  // namespace

int run_replay(const ReplayArgs& args)
{
  SourceManager sources;
  int load_exit = 0;
  std::optional<Model> model = load_for_cli(args.model, sources, load_exit);
  if (!model) return load_exit;
  const Model& m = *model;
  const size_t W = m.state_words;

  nlohmann::json doc;
  {
    std::ifstream in(args.trace);
    if (!in)
    {
      std::cerr << "keel: error[K0001]: " << args.trace << ": cannot open file\n";
      return kExitSpecError;
    }
    try
    {
      doc = nlohmann::json::parse(in);
    }
    catch (const std::exception& e)
    {
      std::cerr << "keel: error[K0001]: " << args.trace << ": not JSON: " << e.what() << "\n";
      return kExitSpecError;
    }
  }
  auto malformed = [&](const std::string& why)
  {
    std::cerr << "keel: error[K0001]: " << args.trace << ": not an ITF trace of this spec: " << why << "\n";
    return kExitSpecError;
  };
  if (!doc.is_object() || !doc.contains("states") || !doc["states"].is_array()) return malformed("no \"states\" array");

  // Decode every state; the trace must give every variable of the spec.
  std::vector<State> states;
  for (size_t i = 0; i < doc["states"].size(); ++i)
  {
    const auto& js = doc["states"][i];
    if (!js.is_object()) return malformed("state " + std::to_string(i) + " is not an object");
    State s(W + 1, 0);
    for (auto& v : m.vars)
    {
      if (!js.contains(v.name)) return malformed("state " + std::to_string(i) + " has no variable '" + v.name + "'");
      std::string err;
      if (!value_from_itf(v.type, js[v.name], s.data(), v.offset, err))
        return malformed("state " + std::to_string(i) + ", variable " + v.name + ": " + err);
    }
    states.push_back(std::move(s));
  }
  if (states.empty()) return malformed("the trace has no states");

  std::cout << "Keel " << KEEL_VERSION << ": replaying " << args.trace << " against " << args.model.spec << " ("
            << states.size() << " states)\n";
  Evaluator ev(m);
  auto fail = [&](size_t step, const std::string& why)
  {
    std::cout << "\nstep " << step << " does not follow the spec: " << why << "\n";
    std::cout << "\nreplay: the trace does not follow the spec (first bad step: " << step << ")\n";
    return kExitExpectation;
  };

  // State 0 must be an initial state.
  {
    Collector c(ev, W);
    c.d_initial = true;
    try
    {
      ev.initial_states(c);
    }
    catch (const EvalError& e)
    {
      return fail(0, "computing the initial states fails: " + e.message);
    }
    bool found = false;
    for (auto& s : c.out) found = found || same_state(s.next, states[0], W);
    if (!found)
    {
      const Collected* best = closest(m, c.out, states[0]);
      return fail(
          0, "state 0 is not an initial state" + (best ? differing_vars(m, states[0], best->next) : std::string()));
    }
    std::cout << "  state 0: an initial state\n";
  }

  for (size_t i = 1; i < states.size(); ++i)
  {
    std::string named;
    const auto& meta = doc["states"][i].contains("#meta") ? doc["states"][i]["#meta"] : nlohmann::json();
    if (meta.is_object() && meta.contains("action") && meta["action"].is_string())
      named = meta["action"].get<std::string>();
    Collector c(ev, W);
    std::string error;
    try
    {
      ev.successors(states[i - 1].data(), c);
    }
    catch (const EvalError& e)
    {
      error = e.message;  // some action fails here; others may still lead on
    }
    const Collected* match = nullptr;
    for (auto& s : c.out)
    {
      if (!same_state(s.next, states[i], W)) continue;
      // Prefer the action the trace names, when it names one.
      if (!match || (!named.empty() && m.actions[s.action].name == named && m.actions[match->action].name != named))
        match = &s;
    }
    if (!match)
    {
      std::vector<Collected> by_name;
      for (auto& s : c.out)
        if (!named.empty() && m.actions[s.action].name == named) by_name.push_back(s);
      std::string why = "no action leads from state " + std::to_string(i - 1) + " to state " + std::to_string(i);
      if (!named.empty() && by_name.empty())
        why = "the trace says action " + named + ", which is not enabled in state " + std::to_string(i - 1);
      const Collected* best = closest(m, by_name.empty() ? c.out : by_name, states[i]);
      if (best)
        why += "\n  the closest step the spec allows is " +
               step_label(m, TraceStep{best->action, best->bindings, false, {}}) +
               ", which differs in:" + differing_vars(m, states[i], best->next);
      if (!error.empty()) why += "\n  (an action also fails in state " + std::to_string(i - 1) + ": " + error + ")";
      return fail(i, why);
    }
    std::cout << "  state " << i << ": " << step_label(m, TraceStep{match->action, match->bindings, false, {}}) << "\n";
  }

  // A lasso's loop must close.
  if (doc.contains("loop") && doc["loop"].is_number_integer())
  {
    int64_t loop = doc["loop"].get<int64_t>();
    if (loop < 0 || static_cast<size_t>(loop) >= states.size()) return malformed("\"loop\" is out of range");
    Collector c(ev, W);
    try
    {
      ev.successors(states.back().data(), c);
    }
    catch (const EvalError&)
    {
    }
    // A loop of one stuttering step (the behaviour stops in that state) closes by itself.
    bool closes = same_state(states.back(), states[loop], W);
    for (auto& s : c.out) closes = closes || same_state(s.next, states[loop], W);
    if (!closes)
      return fail(states.size(),
                  "the loop does not close: no action leads from the last state back to state " + std::to_string(loop));
    std::cout << "  loop: back to state " << loop << "\n";
  }

  // What the trace shows: invariants broken, a failing final step.
  for (size_t i = 0; i < states.size(); ++i)
    for (auto& inv : m.invariants)
    {
      bool ok = true;
      try
      {
        ok = ev.holds(inv.expr, states[i].data());
      }
      catch (const EvalError&)
      {
        ok = false;
      }
      if (!ok) std::cout << "  state " << i << " violates invariant " << inv.name << "\n";
    }
  if (doc.contains("#meta") && doc["#meta"].is_object() && doc["#meta"].contains("failing-step"))
  {
    std::string failing;
    try
    {
      Collector c(ev, W);
      ev.successors(states.back().data(), c);
      failing = "no action fails";
    }
    catch (const EvalError& e)
    {
      failing = action_label(m, ev.current_action()) + " fails: " + e.message;
    }
    std::cout << "  after the last state: " << failing << "\n";
  }
  std::cout << "\nreplay: the trace follows the spec (" << states.size() - 1 << " steps)\n";
  return kExitHolds;
}

}  // namespace keel::cli
