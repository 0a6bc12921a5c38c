#include "checker/explicit/explorer.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iomanip>
#include <sstream>

#include "checker/eval.hpp"
#include "checker/explicit/state_store.hpp"
#include "checker/values.hpp"

namespace keel
{

namespace
{

uint64_t peak_rss_bytes()
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<uint64_t>(ru.ru_maxrss) * 1024;
}

constexpr uint32_t kNoParent = 0xffffffffu;

struct StopSearch
{
};

class Explorer : public SuccessorSink
{
 public:
  Explorer(const Model& m, const ExplicitOptions& o)
      : d_m(m), d_opts(o), d_eval(m), d_store(m.state_words), d_cur(m.state_words + 1, 0)
  {
    d_verdict.stats.action_fired.assign(m.actions.size(), 0);
  }

  Verdict run()
  {
    d_start = std::chrono::steady_clock::now();
    d_last_progress = d_start;
    try
    {
      search();
    }
    catch (const StopSearch&)
    {
      if (d_limit_hit) stopped_at_limit();
    }
    if (d_opts.dump)
      for (size_t i = 0; i < d_store.size(); ++i)
      {
        const uint64_t* s = d_store.state(i);
        std::string line;
        for (const Variable& v : d_m.vars)
          line += (line.empty() ? "" : " /\\ ") + v.name + " = " + value_text(v.type, s, v.offset);
        *d_opts.dump << line << "\n";
      }
    auto& st = d_verdict.stats;
    st.distinct = d_store.size();
    st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - d_start).count();
    st.peak_rss_bytes = peak_rss_bytes();
    st.bytes_per_state = d_store.size() ? static_cast<double>(d_store.bytes()) / d_store.size() : 0;
    return std::move(d_verdict);
  }

  void emit(uint32_t action, const uint64_t* next) override
  {
    if (d_initializing)
    {
      ++d_verdict.stats.initial;
      ++d_verdict.stats.generated;
      admit(next, kNoParent);
      return;
    }
    ++d_verdict.stats.generated;
    ++d_verdict.stats.action_fired[action];
    d_has_successor = true;
    admit(next, static_cast<uint32_t>(d_expanding));
  }

 private:
  void admit(const uint64_t* s, uint32_t parent)
  {
    auto [idx, inserted] = d_store.insert(s, parent);
    if (!inserted) return;
    if (!d_initializing) d_verdict.stats.depth = std::max<uint64_t>(d_verdict.stats.depth, d_depth + 1);
    if (d_pruned.size() <= idx) d_pruned.resize(idx + 1 + idx / 2, false);
    // Invariants are checked on every new state, constraint-cut or not.
    const uint64_t* st = d_store.state(idx);
    std::copy(st, st + d_m.state_words, d_check.begin());
    for (const NamedPredicate& inv : d_m.invariants)
    {
      bool ok;
      try
      {
        ok = d_eval.holds(inv.expr, d_check.data());
      }
      catch (const EvalError& e)
      {
        violation(e.kind, inv.name, "while evaluating invariant " + inv.name + ": " + e.message, e.span, idx, nullptr);
      }
      if (!ok)
      {
        d_verdict.explanation = d_eval.explain_false(inv.expr, d_check.data());
        violation(ViolationKind::Invariant, inv.name,
                  (inv.is_lemma ? "lemma " : "invariant ") + inv.name + " is violated", inv.span, idx, nullptr);
      }
    }
    if (d_opts.max_states && d_store.size() >= d_opts.max_states)
    {
      d_limit_hit = true;
      throw StopSearch();
    }
    for (const NamedPredicate& c : d_m.constraints)
    {
      bool ok;
      try
      {
        ok = d_eval.holds(c.expr, d_check.data());
      }
      catch (const EvalError& e)
      {
        violation(e.kind, c.name, "while evaluating constraint " + c.name + ": " + e.message, e.span, idx, nullptr);
      }
      if (!ok)
      {
        d_pruned[idx] = true;
        break;
      }
    }
  }

  void search()
  {
    d_check.assign(d_m.state_words + 1, 0);
    d_initializing = true;
    try
    {
      d_eval.initial_states(*this);
    }
    catch (const EvalError& e)
    {
      TraceStep failing;
      failing.action = -1;
      failing.bindings = d_eval.current_bindings();
      violation_in_init(e, failing);
    }
    d_initializing = false;
    size_t level_end = d_store.size();
    uint64_t depth = 0;
    for (size_t i = 0; i < d_store.size(); ++i)
    {
      if (i == level_end)
      {
        ++depth;
        level_end = d_store.size();
      }
      d_depth = depth;
      d_verdict.stats.depth = std::max(d_verdict.stats.depth, depth);
      if (d_pruned[i]) continue;
      if (d_opts.max_depth && depth >= d_opts.max_depth)
      {
        d_bounded = true;
        continue;
      }
      d_expanding = i;
      const uint64_t* s = d_store.state(i);
      std::copy(s, s + d_m.state_words, d_cur.begin());
      d_has_successor = false;
      try
      {
        d_eval.successors(d_cur.data(), *this);
      }
      catch (const EvalError& e)
      {
        TraceStep failing;
        failing.action = d_eval.current_action();
        failing.bindings = d_eval.current_bindings();
        failing.span = e.span;
        violation(e.kind, violation_name(e.kind), e.message, e.span, i, &failing);
      }
      if (!d_has_successor && d_opts.check_deadlock)
        violation(ViolationKind::Deadlock, "deadlock", "no action is enabled", {}, i, nullptr);
      if ((i & 1023) == 0) progress(depth, i);
    }
    if (d_bounded)
    {
      d_verdict.kind = VerdictKind::HoldsUpToBound;
      d_verdict.bound = d_opts.max_depth;
    }
  }

  // The search stopped at the state limit while expanding a state of depth
  // d: every state of depth <= d is stored and its invariants checked, every
  // state of depth < d expanded (its failures and deadlock checked). So no
  // counterexample has at most d actions (d - 1 with deadlock checking).
  void stopped_at_limit()
  {
    d_verdict.stats.state_limit_hit = true;
    uint64_t d = d_depth;
    if (d_initializing || (d_opts.check_deadlock && d == 0))
    {
      d_verdict.kind = VerdictKind::Error;
      d_verdict.message = "the state limit of " + std::to_string(d_opts.max_states) +
                          " distinct states was reached before any depth was fully explored";
      return;
    }
    d_verdict.kind = VerdictKind::HoldsUpToBound;
    d_verdict.bound = d_opts.check_deadlock ? d - 1 : d;
  }

  void progress(uint64_t depth, size_t expanded)
  {
    if (!d_opts.progress) return;
    auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - d_last_progress).count() < d_opts.progress_seconds) return;
    d_last_progress = now;
    double secs = std::chrono::duration<double>(now - d_start).count();
    auto& st = d_verdict.stats;
    std::ostringstream ss;
    ss << "progress: " << std::fixed << std::setprecision(1) << secs << "s, " << st.generated << " generated, "
       << d_store.size() << " distinct, depth " << depth << ", queue " << (d_store.size() - expanded) << ", "
       << static_cast<uint64_t>(st.generated / std::max(secs, 1e-9)) << " states/s, "
       << peak_rss_bytes() / (1024 * 1024) << " MiB\n";
    *d_opts.progress << ss.str() << std::flush;
  }

  // Re-runs the successor function along the path to name each step.
  Trace build_trace(size_t last)
  {
    std::vector<size_t> path;
    for (size_t i = last; i != kNoParent; i = d_store.parent(i)) path.push_back(i);
    std::reverse(path.begin(), path.end());
    Trace t;
    const size_t W = d_m.state_words;
    for (size_t k = 0; k < path.size(); ++k)
    {
      const uint64_t* s = d_store.state(path[k]);
      t.states.emplace_back(s, s + W);
      t.states.back().push_back(0);
    }
    for (size_t k = 0; k + 1 < path.size(); ++k)
      t.steps.push_back(find_step(t.states[k].data(), t.states[k + 1].data()));
    return t;
  }

  TraceStep find_step(const uint64_t* from, const uint64_t* to)
  {
    auto step = step_between(d_m, from, to);
    if (!step) throw std::logic_error("internal error: cannot reconstruct a trace step");
    return *step;
  }

  [[noreturn]] void violation(ViolationKind kind, const std::string& property, const std::string& message, Span span,
                              size_t state, const TraceStep* failing)
  {
    d_verdict.kind = VerdictKind::Violated;
    d_verdict.violation = kind;
    d_verdict.property = property;
    d_verdict.message = message;
    d_verdict.span = span;
    d_verdict.trace = build_trace(state);
    if (failing) d_verdict.trace->failing_step = *failing;
    throw StopSearch();
  }

  [[noreturn]] void violation_in_init(const EvalError& e, const TraceStep& failing)
  {
    d_verdict.kind = VerdictKind::Violated;
    d_verdict.violation = e.kind;
    d_verdict.property = violation_name(e.kind);
    d_verdict.message = "in the initial state: " + e.message;
    d_verdict.span = e.span;
    Trace t;
    t.failing_step = failing;
    d_verdict.trace = t;
    throw StopSearch();
  }

  const Model& d_m;
  const ExplicitOptions& d_opts;
  Evaluator d_eval;
  StateStore d_store;
  std::vector<uint64_t> d_cur, d_check;
  std::vector<bool> d_pruned;
  size_t d_expanding = 0;
  bool d_has_successor = false;
  bool d_initializing = false;
  bool d_bounded = false;
  bool d_limit_hit = false;
  uint64_t d_depth = 0;  // depth of the state being expanded
  Verdict d_verdict;
  std::chrono::steady_clock::time_point d_start, d_last_progress;
};

}  // namespace

Verdict check_explicit(const Model& model, const ExplicitOptions& options)
{
  Explorer e(model, options);
  return e.run();
}

}  // namespace keel
