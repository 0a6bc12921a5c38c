#include "checker/simulate/simulator.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "checker/eval.hpp"

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

// A violation reached by a walk, with what the explicit engine would report.
struct Found
{
  ViolationKind kind = ViolationKind::Invariant;
  std::string property, message;
  Span span;
  std::optional<TraceStep> failing;  // the step that raised it while running
};

// Shrinking keeps a candidate only if it reaches the same violation: the same
// kind, the same property (invariant name) and the same place in the spec
// (so an assertion stays the same assertion).
bool same_violation(const Found& a, const Found& b)
{
  return a.kind == b.kind && a.property == b.property && a.span.file == b.span.file && a.span.begin == b.span.begin &&
         a.span.end == b.span.end;
}

bool same_bindings(const std::vector<Binding>& a, const std::vector<Binding>& b)
{
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name || a[i].type != b[i].type || a[i].bits != b[i].bits) return false;
  return true;
}

// One step of a walk as shrinking sees it: an action and its bindings
// (parameters, then choices), which together determine the successor.
struct Choice
{
  uint32_t action;
  std::vector<Binding> bindings;
};

// Every successor of one state: states back to back (W + 1 words each, the
// spare word as the engines keep it) and the action that produced each.
// Actions emit in index order, so one action's successors are contiguous.
struct Collector : SuccessorSink
{
  size_t words;
  std::vector<uint64_t> buf;
  std::vector<uint32_t> actions;
  explicit Collector(size_t w) : words(w) {}
  void clear()
  {
    buf.clear();
    actions.clear();
  }
  size_t size() const { return actions.size(); }
  const uint64_t* state(size_t i) const { return buf.data() + i * (words + 1); }
  long first_of(uint32_t action) const
  {
    auto it = std::find(actions.begin(), actions.end(), action);
    return it == actions.end() ? -1 : static_cast<long>(it - actions.begin());
  }
  void emit(uint32_t action, const uint64_t* next) override
  {
    buf.insert(buf.end(), next, next + words);
    buf.push_back(0);
    actions.push_back(action);
  }
};

enum class End
{
  Violation,  // `found` says which
  Stopped,    // the depth bound, a constraint, or no successor with deadlock checks off
  Invalid,    // a replayed step is not enabled, or the steps ran out with no violation
};

struct Counters
{
  uint64_t generated = 0, steps = 0;
  std::vector<uint64_t>* fired = nullptr;
};

class Simulator
{
 public:
  Simulator(const Model& m, const SimulateOptions& o)
      : d_m(m), d_opts(o), d_ev(std::make_unique<Evaluator>(m)), d_coll(m.state_words)
  {
  }

  SimulateResult run()
  {
    auto start = std::chrono::steady_clock::now();
    SimulateResult res;
    res.seed = d_opts.seed;
    Verdict& v = res.verdict;
    v.stats.action_fired.assign(d_m.actions.size(), 0);
    Counters ctr;
    ctr.fired = &v.stats.action_fired;

    std::vector<std::vector<uint64_t>> inits;
    if (initial_states(inits, v))
    {
      res.length_before_shrink = v.trace->length();
      finish(res, start);
      return res;
    }
    v.stats.initial = inits.size();

    std::vector<long> chosen;
    for (uint64_t i = 0; i < d_opts.runs && !inits.empty(); ++i)
    {
      Xoshiro256 rng(walk_seed(d_opts.seed, i));
      ++res.runs_done;
      const size_t init = rng.below(inits.size());
      chosen.clear();
      auto pick = [&](uint64_t, const Collector& c, const uint64_t*, TraceStep*) -> long
      {
        long j = static_cast<long>(rng.below(c.size()));
        chosen.push_back(j);
        return j;
      };
      Found f;
      End e = walk(inits[init].data(), d_opts.depth, false, pick, nullptr, f, &ctr);
      v.stats.depth = std::max<uint64_t>(v.stats.depth, chosen.size());
      if (e != End::Violation) continue;

      res.failing_walk = i;
      Trace t = rebuild(inits[init].data(), chosen, f);
      res.length_before_shrink = t.length();
      for (const TraceStep& s : t.steps) res.faults_before_shrink += s.is_fault;
      auto walked = std::chrono::steady_clock::now();
      res.walk_seconds = std::chrono::duration<double>(walked - start).count();
      if (d_opts.shrink) shrink(inits[init].data(), t, f, res);
      res.shrink_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - walked).count();
      v.kind = VerdictKind::Violated;
      v.violation = f.kind;
      v.property = f.property;
      v.message = f.message;
      v.span = f.span;
      v.trace = std::move(t);
      break;
    }
    res.steps = ctr.steps;
    v.stats.generated = ctr.generated;
    if (v.kind != VerdictKind::Violated)
    {
      res.walk_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      v.kind = VerdictKind::HoldsUpToBound;
      v.bound = d_opts.depth;
      v.message = "no violation found in " + std::to_string(res.runs_done) + " walk" + (res.runs_done == 1 ? "" : "s") +
                  " of depth " + std::to_string(d_opts.depth) + " (not exhaustive)";
    }
    finish(res, start);
    return res;
  }

 private:
  void finish(SimulateResult& res, std::chrono::steady_clock::time_point start)
  {
    res.verdict.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    res.verdict.stats.peak_rss_bytes = peak_rss_bytes();
  }

  // After an EvalError the evaluator is rebuilt rather than trusted to have
  // unwound cleanly (it is cheap to make).
  void reset_evaluator() { d_ev = std::make_unique<Evaluator>(d_m); }

  // The distinct initial states in emission order; true (and a verdict) if
  // computing them raised a violation, reported as the explicit engine does.
  bool initial_states(std::vector<std::vector<uint64_t>>& out, Verdict& v)
  {
    d_coll.clear();
    try
    {
      d_ev->initial_states(d_coll);
    }
    catch (const EvalError& e)
    {
      TraceStep failing;
      failing.action = -1;
      failing.bindings = d_ev->current_bindings();
      reset_evaluator();
      v.kind = VerdictKind::Violated;
      v.violation = e.kind;
      v.property = violation_name(e.kind);
      v.message = "in the initial state: " + e.message;
      v.span = e.span;
      Trace t;
      t.failing_step = failing;
      v.trace = t;
      return true;
    }
    std::set<std::vector<uint64_t>> seen;
    for (size_t i = 0; i < d_coll.size(); ++i)
    {
      std::vector<uint64_t> s(d_coll.state(i), d_coll.state(i) + d_m.state_words + 1);
      if (seen.insert(s).second) out.push_back(std::move(s));
    }
    return false;
  }

  enum class Check
  {
    Ok,
    Violation,
    Cut
  };

  // What the explicit engine checks when it admits a state: every invariant,
  // then the constraints (a state outside them is not expanded).
  Check check_state(const uint64_t* s, Found& f)
  {
    for (const NamedPredicate& inv : d_m.invariants)
    {
      bool ok;
      try
      {
        ok = d_ev->holds(inv.expr, s);
      }
      catch (const EvalError& e)
      {
        reset_evaluator();
        f = {e.kind, inv.name, "while evaluating invariant " + inv.name + ": " + e.message, e.span, std::nullopt};
        return Check::Violation;
      }
      if (!ok)
      {
        f = {ViolationKind::Invariant, inv.name, "invariant " + inv.name + " is violated", inv.span, std::nullopt};
        return Check::Violation;
      }
    }
    for (const NamedPredicate& c : d_m.constraints)
    {
      bool ok;
      try
      {
        ok = d_ev->holds(c.expr, s);
      }
      catch (const EvalError& e)
      {
        reset_evaluator();
        f = {e.kind, c.name, "while evaluating constraint " + c.name + ": " + e.message, e.span, std::nullopt};
        return Check::Violation;
      }
      if (!ok) return Check::Cut;
    }
    return Check::Ok;
  }

  TraceStep labelled(uint32_t action, std::vector<Binding> bindings) const
  {
    TraceStep st;
    st.action = static_cast<int>(action);
    st.bindings = std::move(bindings);
    st.span = d_m.actions[action].span;
    st.is_fault = d_m.actions[action].is_fault;
    return st;
  }

  // The step that produced successor j of `state` (j indexes d_coll): the
  // action is re-run and its bindings taken at the same emission.
  TraceStep step_of(const uint64_t* state, long j)
  {
    struct Nth : SuccessorSink
    {
      Evaluator* ev;
      long want, n = 0;
      std::vector<Binding> bindings;
      void emit(uint32_t, const uint64_t*) override
      {
        if (n++ == want) bindings = ev->current_bindings();
      }
    };
    const uint32_t a = d_coll.actions[j];
    Nth nth;
    nth.ev = d_ev.get();
    nth.want = j - d_coll.first_of(a);
    d_ev->successors_of(a, state, nth);
    return labelled(a, std::move(nth.bindings));
  }

  // The successor of `state` that `c` names (same action, equal bindings),
  // as an index into d_coll; -1 if that step is not enabled.
  long match(const Choice& c, const uint64_t* state, TraceStep* step)
  {
    long first = d_coll.first_of(c.action);
    if (first < 0) return -1;
    struct Matcher : SuccessorSink
    {
      Evaluator* ev;
      const Choice* c;
      long found = -1, n = 0;
      void emit(uint32_t, const uint64_t*) override
      {
        if (found < 0 && same_bindings(ev->current_bindings(), c->bindings)) found = n;
        ++n;
      }
    };
    Matcher mt;
    mt.ev = d_ev.get();
    mt.c = &c;
    d_ev->successors_of(c.action, state, mt);
    if (mt.found < 0) return -1;
    if (step) *step = labelled(c.action, c.bindings);
    return first + mt.found;
  }

  // One walk from `init`. In every state: the checks of check_state, then
  // (below `limit` steps, or at `limit` too if `expand_last`) every successor
  // is computed, so a violation raised by any enabled action is found, as
  // the explicit engine finds it; no successor is a deadlock. `pick` chooses
  // the successor to follow (-1: none, the walk is invalid). With `rec`, the
  // states and labelled steps are recorded.
  template <class Pick>
  End walk(const uint64_t* init, uint64_t limit, bool expand_last, Pick&& pick, Trace* rec, Found& found, Counters* ctr)
  {
    const size_t W = d_m.state_words;
    d_cur.assign(init, init + W + 1);
    if (rec) rec->states.push_back(d_cur);
    for (uint64_t k = 0;; ++k)
    {
      switch (check_state(d_cur.data(), found))
      {
        case Check::Violation:
          return End::Violation;
        case Check::Cut:
          return End::Stopped;
        case Check::Ok:
          break;
      }
      if (k == limit && !expand_last) return End::Stopped;
      d_coll.clear();
      try
      {
        d_ev->successors(d_cur.data(), d_coll);
      }
      catch (const EvalError& e)
      {
        TraceStep failing;
        failing.action = d_ev->current_action();
        failing.bindings = d_ev->current_bindings();
        failing.span = e.span;
        reset_evaluator();
        found = {e.kind, violation_name(e.kind), e.message, e.span, failing};
        return End::Violation;
      }
      if (ctr) ctr->generated += d_coll.size();
      if (d_coll.size() == 0)
      {
        if (!d_opts.check_deadlock) return End::Stopped;
        found = {ViolationKind::Deadlock, "deadlock", "no action is enabled", {}, std::nullopt};
        return End::Violation;
      }
      if (k == limit) return End::Invalid;  // expand_last: the steps ran out, nothing found
      TraceStep st;
      long j = pick(k, d_coll, d_cur.data(), rec ? &st : nullptr);
      if (j < 0) return End::Invalid;
      if (rec)
      {
        if (st.action < 0) st = step_of(d_cur.data(), j);
        rec->steps.push_back(std::move(st));
      }
      if (ctr)
      {
        ++ctr->steps;
        ++(*ctr->fired)[d_coll.actions[j]];
      }
      std::copy(d_coll.state(j), d_coll.state(j) + W + 1, d_cur.begin());
      if (rec) rec->states.push_back(d_cur);
    }
  }

  // Re-runs a random walk from its recorded choices, labelling every step.
  Trace rebuild(const uint64_t* init, const std::vector<long>& chosen, const Found& f)
  {
    Trace t;
    Found again;
    auto pick = [&](uint64_t k, const Collector&, const uint64_t*, TraceStep*) -> long { return chosen[k]; };
    End e = walk(init, chosen.size(), true, pick, &t, again, nullptr);
    if (e != End::Violation || !same_violation(f, again))
      throw std::logic_error("internal error: a random walk does not replay");
    t.failing_step = again.failing;
    return t;
  }

  static std::vector<Choice> choices_of(const Trace& t)
  {
    std::vector<Choice> out;
    for (const TraceStep& s : t.steps) out.push_back({static_cast<uint32_t>(s.action), s.bindings});
    return out;
  }

  // Delta debugging over the walk's steps. A candidate (a subsequence of the
  // steps) is re-executed from the same initial state by walk(): it is kept
  // if every step is still enabled with the same action and bindings and the
  // same violation is reached at its end or earlier (then it is cut there).
  // Every kept candidate is strictly shorter, so shrinking terminates; it
  // also stops after shrink_budget re-executions. Passes, repeated until
  // none removes anything: fault steps (all at once, then halves, quarters,
  // ... single faults), then all steps the same way (from halves), then
  // pairs of steps (a step and a later one that undoes it): adjacent pairs,
  // then, on traces of at most kPairSpan steps, any two.
  void shrink(const uint64_t* init, Trace& best, Found& best_found, SimulateResult& res)
  {
    const Found target = best_found;
    std::vector<Choice> cur = choices_of(best);

    auto attempt = [&](const std::vector<Choice>& cand) -> bool
    {
      if (res.shrink_checks >= d_opts.shrink_budget)
      {
        res.shrink_budget_exhausted = true;
        return false;
      }
      ++res.shrink_checks;
      Trace t;
      Found f;
      auto pick = [&](uint64_t k, const Collector&, const uint64_t* s, TraceStep* st) -> long
      { return match(cand[k], s, st); };
      End e = walk(init, cand.size(), true, pick, &t, f, nullptr);
      if (e != End::Violation || !same_violation(f, target)) return false;
      t.failing_step = f.failing;
      best = std::move(t);
      best_found = std::move(f);
      cur = choices_of(best);
      return true;
    };
    auto positions = [&](bool faults_only)
    {
      std::vector<size_t> p;
      for (size_t i = 0; i < cur.size(); ++i)
        if (!faults_only || d_m.actions[cur[i].action].is_fault) p.push_back(i);
      return p;
    };
    auto without = [&](const std::vector<size_t>& pos, size_t from, size_t to)
    {
      std::vector<bool> drop(cur.size(), false);
      for (size_t q = from; q < to; ++q) drop[pos[q]] = true;
      std::vector<Choice> c;
      for (size_t i = 0; i < cur.size(); ++i)
        if (!drop[i]) c.push_back(cur[i]);
      return c;
    };
    auto ddmin = [&](bool faults_only)
    {
      bool any = false;
      std::vector<size_t> pos = positions(faults_only);
      size_t k = faults_only ? pos.size() : std::max<size_t>(1, pos.size() / 2);
      while (!pos.empty() && !res.shrink_budget_exhausted)
      {
        bool progress = false;
        for (size_t i = 0; i < pos.size() && !res.shrink_budget_exhausted;)
        {
          if (attempt(without(pos, i, std::min(i + k, pos.size()))))
          {
            any = progress = true;
            pos = positions(faults_only);  // the chunk now at i is the next one
          }
          else
            i += k;
        }
        if (!progress)
        {
          if (k == 1) break;
          k = (k + 1) / 2;
        }
        k = std::min(k, std::max<size_t>(1, pos.size()));
      }
      return any;
    };
    // Two steps at distance d (d = 1: adjacent), for every d up to
    // kPairSpan, or only d = 1 on long traces (the pairs grow as n^2).
    auto pairs = [&]()
    {
      bool any = false;
      const size_t span = cur.size() <= kPairSpan ? kPairSpan : 1;
      for (size_t d = 1; d <= span && d < cur.size() && !res.shrink_budget_exhausted; ++d)
        for (size_t i = 0; i + d < cur.size() && !res.shrink_budget_exhausted;)
        {
          std::vector<size_t> pos = {i, i + d};
          if (attempt(without(pos, 0, 2)))
            any = true;
          else
            ++i;
        }
      return any;
    };
    for (;;)
    {
      bool progress = false;
      progress |= ddmin(true);
      progress |= ddmin(false);
      progress |= pairs();
      if (!progress || res.shrink_budget_exhausted) break;
    }
  }

  static constexpr size_t kPairSpan = 64;

  const Model& d_m;
  const SimulateOptions& d_opts;
  std::unique_ptr<Evaluator> d_ev;
  Collector d_coll;
  std::vector<uint64_t> d_cur;
};

}  // namespace

SimulateResult simulate(const Model& model, const SimulateOptions& options)
{
  Simulator s(model, options);
  return s.run();
}

}  // namespace keel
