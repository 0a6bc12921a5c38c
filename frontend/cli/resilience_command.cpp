// keel resilience: sweeps fault budgets and constants, checks every cell with
// the explicit engine, and reports the matrix of verdicts and the boundary
// (the largest value under which every property holds, and the shortest
// trace at the first value where one breaks).
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "checker/explicit/explorer.hpp"
#include "checker/liveness/liveness_check.hpp"
#include "checker/trace.hpp"
#include "frontend/cli/commands.hpp"
#include "spec/diagnostics.hpp"
#include "spec/lower.hpp"

namespace keel::cli
{

namespace
{

struct Dimension
{
  std::string name;       // as given: "crash", "crash(Node)" or a constant
  bool is_fault = false;  // a fault budget, else a constant
  // More budget, more behaviours: a violation stays violated with a larger
  // budget. Not gst's: the stabilisation point is weakly fair, so with it
  // the behaviours that never stabilise are gone and a progress property
  // violated without it can hold (constants are never assumed monotone).
  bool monotone = false;
  int64_t lo = 0, hi = 0;
  size_t size() const { return static_cast<size_t>(hi - lo + 1); }
};

struct Cell
{
  std::vector<int64_t> values;
  bool ran = false;
  bool inferred = false;  // violated, by monotonicity from a smaller fault budget
  bool spec_error = false;
  VerdictKind verdict = VerdictKind::Holds;
  std::string violation, property, message;
  size_t trace_length = 0;
  uint64_t distinct = 0;
  double seconds = 0;
  std::string trace_text;
  bool violated() const { return inferred || (ran && verdict == VerdictKind::Violated); }
};

bool parse_sweep(const std::string& s, Dimension& d)
{
  auto eq = s.find('=');
  auto dots = s.find("..", eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0 || dots == std::string::npos) return false;
  d.name = s.substr(0, eq);
  try
  {
    size_t u1 = 0, u2 = 0;
    std::string a = s.substr(eq + 1, dots - eq - 1), b = s.substr(dots + 2);
    d.lo = std::stoll(a, &u1);
    d.hi = std::stoll(b, &u2);
    if (u1 != a.size() || u2 != b.size()) return false;
  }
  catch (...)
  {
    return false;
  }
  return d.lo <= d.hi && d.hi - d.lo < 1000;
}

std::string cell_text(const Cell& c)
{
  if (c.spec_error) return "error";
  if (c.inferred) return "violated*";
  switch (c.verdict)
  {
    case VerdictKind::Holds:
      return "holds";
    case VerdictKind::HoldsUpToBound:
      return "holds(b)";
    case VerdictKind::Violated:
      return "x " + std::to_string(c.trace_length);
    case VerdictKind::NotInductive:
      return "not-ind";
    case VerdictKind::Error:
      return "error";
  }
  return "?";
}

const char* verdict_name(const Cell& c)
{
  if (c.spec_error) return "spec-error";
  if (c.inferred) return "violated";
  switch (c.verdict)
  {
    case VerdictKind::Holds:
      return "holds";
    case VerdictKind::HoldsUpToBound:
      return "holds-up-to-bound";
    case VerdictKind::Violated:
      return "violated";
    case VerdictKind::NotInductive:
      return "not-inductive";
    case VerdictKind::Error:
      return "error";
  }
  return "error";
}

}  // namespace

int run_resilience(const ResilienceArgs& args)
{
  // Load once with the base options to learn the faults and constants.
  std::set<std::string> fault_names, fault_kinds, constants;
  {
    SourceManager sources;
    DiagnosticEngine diags(sources);
    auto m = load_model(sources, args.model.spec, diags, lower_options(args.model));
    diags.render_all(std::cerr);
    if (!m) return kExitSpecError;
    for (auto& f : m->faults)
    {
      fault_names.insert(f.name);
      fault_kinds.insert(f.name.substr(0, f.name.find('(')));
    }
    for (auto& [k, v] : m->constants) constants.insert(k);
  }
  std::vector<Dimension> dims;
  for (const std::string& s : args.sweeps)
  {
    Dimension d;
    if (!parse_sweep(s, d))
    {
      std::cerr << "keel: error[K4001]: --sweep expects NAME=LO..HI with LO <= HI (at most 1000 values), got '" << s
                << "'\n";
      return kExitSpecError;
    }
    if (fault_names.count(d.name) || fault_kinds.count(d.name))
    {
      d.is_fault = true;
      d.monotone = d.name.substr(0, d.name.find('(')) != "gst";
    }
    else if (!constants.count(d.name))
    {
      std::cerr << "keel: error[K4001]: --sweep " << d.name
                << ": the spec declares no fault or constant of that name\n";
      return kExitSpecError;
    }
    if (d.is_fault && d.lo < 0)
    {
      std::cerr << "keel: error[K4001]: --sweep " << d.name << ": a fault budget cannot be negative\n";
      return kExitSpecError;
    }
    for (auto& other : dims)
      if (other.name == d.name)
      {
        std::cerr << "keel: error[K4001]: --sweep " << d.name << " is given twice\n";
        return kExitSpecError;
      }
    dims.push_back(d);
  }
  size_t total = 1;
  for (auto& d : dims) total *= d.size();
  if (total > 10000)
  {
    std::cerr << "keel: error[K4001]: the sweep has " << total << " cells; at most 10000\n";
    return kExitSpecError;
  }

  // Cells in lexicographic order, so every cell with smaller monotone fault
  // budgets (and equal other values) is decided before it.
  std::vector<Cell> cells(total);
  for (size_t i = 0; i < total; ++i)
  {
    size_t r = i;
    cells[i].values.resize(dims.size());
    for (size_t k = dims.size(); k-- > 0;)
    {
      cells[i].values[k] = dims[k].lo + static_cast<int64_t>(r % dims[k].size());
      r /= dims[k].size();
    }
  }
  size_t ran = 0, inferred = 0;
  for (Cell& c : cells)
  {
    for (const Cell& prev : cells)
    {
      if (&prev == &c) break;
      if (!prev.violated() || prev.spec_error) continue;
      bool below = true;
      for (size_t k = 0; k < dims.size() && below; ++k)
        below = dims[k].monotone ? prev.values[k] <= c.values[k] : prev.values[k] == c.values[k];
      if (below)
      {
        c.inferred = true;
        break;
      }
    }
    if (c.inferred)
    {
      ++inferred;
      continue;
    }
    SourceManager sources;
    DiagnosticEngine diags(sources);
    LowerOptions lo = lower_options(args.model);
    for (size_t k = 0; k < dims.size(); ++k)
    {
      if (dims[k].is_fault)
        lo.fault_budgets[dims[k].name] = c.values[k];
      else
        lo.overrides[dims[k].name] = std::to_string(c.values[k]);
    }
    auto m = load_model(sources, args.model.spec, diags, lo);
    c.ran = true;
    ++ran;
    if (!m)
    {
      c.spec_error = true;
      std::ostringstream ss;
      diags.render_all(ss);
      c.message = ss.str();
      continue;
    }
    Verdict v = check_explicit(*m, explicit_options(args.model));
    // Temporal properties, after the safety search (as keel check does);
    // with a depth bound they cannot be checked, and the cell says so.
    if (!m->properties.empty() && v.kind == VerdictKind::Holds)
    {
      Verdict l = check_liveness(*m, LivenessOptions{});
      l.stats.distinct = v.stats.distinct;
      l.stats.seconds += v.stats.seconds;
      v = std::move(l);
    }
    else if (!m->properties.empty() && v.kind == VerdictKind::HoldsUpToBound)
    {
      v.kind = VerdictKind::Error;
      v.message = "temporal properties are not checked with --max-depth";
    }
    c.verdict = v.kind;
    c.distinct = v.stats.distinct;
    c.seconds = v.stats.seconds;
    if (v.kind == VerdictKind::Violated)
    {
      c.violation = violation_name(*v.violation);
      c.property = v.property;
      c.message = v.message;
      c.trace_length = v.trace->length();
      std::ostringstream ss;
      print_trace_text(ss, *m, *v.trace, false);
      c.trace_text = ss.str();
    }
  }

  // The boundary along each dimension, the others at their lowest values.
  struct Boundary
  {
    const Dimension* dim;
    std::optional<int64_t> largest_holding, first_failing;
    const Cell* failing = nullptr;
  };
  std::vector<Boundary> boundaries;
  auto index_of = [&](const std::vector<int64_t>& vals)
  {
    size_t idx = 0;
    for (size_t k = 0; k < dims.size(); ++k) idx = idx * dims[k].size() + static_cast<size_t>(vals[k] - dims[k].lo);
    return idx;
  };
  for (size_t k = 0; k < dims.size(); ++k)
  {
    Boundary b{&dims[k], std::nullopt, std::nullopt, nullptr};
    std::vector<int64_t> vals;
    for (auto& d : dims) vals.push_back(d.lo);
    for (int64_t x = dims[k].lo; x <= dims[k].hi; ++x)
    {
      vals[k] = x;
      const Cell& c = cells[index_of(vals)];
      if (c.violated() || c.spec_error)
      {
        b.first_failing = x;
        b.failing = &c;
        break;
      }
      b.largest_holding = x;
    }
    boundaries.push_back(b);
  }

  std::ofstream file;
  if (!args.out.empty() && !open_output(args.out, file)) return kExitUsage;
  std::ostream& out = args.out.empty() ? std::cout : file;
  auto dim_label = [](const Dimension& d) { return d.name + (d.is_fault ? " (fault budget)" : " (constant)"); };

  if (args.format == "json")
  {
    using nlohmann::json;
    json doc;
    doc["spec"] = args.model.spec;
    json jd = json::array();
    for (auto& d : dims)
      jd.push_back({{"name", d.name}, {"kind", d.is_fault ? "fault" : "constant"}, {"lo", d.lo}, {"hi", d.hi}});
    doc["dimensions"] = jd;
    json jc = json::array();
    for (auto& c : cells)
    {
      json vals = json::object();
      for (size_t k = 0; k < dims.size(); ++k) vals[dims[k].name] = c.values[k];
      json o = {{"values", vals}, {"verdict", verdict_name(c)}, {"inferred", c.inferred}};
      if (c.ran && !c.spec_error) o["distinct_states"] = c.distinct;
      if (c.ran && c.verdict == VerdictKind::Violated)
      {
        o["violation"] = c.violation;
        o["property"] = c.property;
        o["trace_length"] = c.trace_length;
      }
      jc.push_back(o);
    }
    doc["cells"] = jc;
    json jb = json::array();
    for (auto& b : boundaries)
    {
      json o = {{"dimension", b.dim->name}};
      o["largest_holding"] = b.largest_holding ? json(*b.largest_holding) : json(nullptr);
      o["first_failing"] = b.first_failing ? json(*b.first_failing) : json(nullptr);
      if (b.failing && b.failing->ran && !b.failing->spec_error)
      {
        o["violation"] = b.failing->violation;
        o["property"] = b.failing->property;
        o["trace_length"] = b.failing->trace_length;
      }
      jb.push_back(o);
    }
    doc["boundary"] = jb;
    doc["cells_run"] = ran;
    doc["cells_inferred"] = inferred;
    out << doc.dump(2) << "\n";
    return kExitHolds;
  }
  if (args.format == "csv")
  {
    for (auto& d : dims) out << d.name << ",";
    out << "verdict,violation,property,trace_length,distinct_states,inferred\n";
    for (auto& c : cells)
    {
      for (auto v : c.values) out << v << ",";
      out << verdict_name(c) << "," << c.violation << "," << c.property << ","
          << (c.ran && c.verdict == VerdictKind::Violated ? std::to_string(c.trace_length) : "") << ","
          << (c.ran && !c.spec_error ? std::to_string(c.distinct) : "") << "," << (c.inferred ? "true" : "false")
          << "\n";
    }
    return kExitHolds;
  }

  out << "Keel resilience: " << args.model.spec << "\n";
  for (auto& d : dims) out << "  " << dim_label(d) << ": " << d.lo << ".." << d.hi << "\n";
  out << "\n";
  // Columns as wide as their widest label or cell, plus a gap.
  size_t widest = 10;
  for (auto& d : dims) widest = std::max(widest, d.name.size() + 1 + std::to_string(d.hi).size());
  const int w = static_cast<int>(widest + 2);
  const int first =
      static_cast<int>(std::max(widest, dims[0].name.size() + 3 + (dims.size() > 1 ? dims[1].name.size() : 0)) + 2);
  if (dims.size() == 2)
  {
    out << std::setw(first) << std::left << (dims[0].name + " \\ " + dims[1].name);
    for (int64_t y = dims[1].lo; y <= dims[1].hi; ++y)
      out << std::setw(w) << std::left << (dims[1].name + "=" + std::to_string(y));
    out << "\n";
    for (int64_t x = dims[0].lo; x <= dims[0].hi; ++x)
    {
      out << std::setw(first) << std::left << (dims[0].name + "=" + std::to_string(x));
      for (int64_t y = dims[1].lo; y <= dims[1].hi; ++y)
        out << std::setw(w) << std::left << cell_text(cells[index_of({x, y})]);
      out << "\n";
    }
  }
  else
  {
    for (auto& d : dims) out << std::setw(w) << std::left << d.name;
    out << "verdict\n";
    for (auto& c : cells)
    {
      for (auto v : c.values) out << std::setw(w) << std::left << v;
      out << cell_text(c);
      if (c.ran && c.verdict == VerdictKind::Violated)
        out << "  (" << c.violation << (c.violation == "invariant" ? " " + c.property : "") << ")";
      out << "\n";
    }
  }
  out << "\n'x N': violated, shortest counterexample N steps; 'violated*': inferred, not run: a larger fault\n"
         "budget only adds behaviours, so a violation at a smaller budget persists. Cells run: "
      << ran << ", inferred: " << inferred << ".\n";
  for (const Cell& c : cells)
    if (c.spec_error)
    {
      out << "\nSpec error in a cell:\n" << c.message;
      break;
    }
  out << "\nBoundary";
  if (dims.size() > 1) out << " (each dimension with the others at their lowest value)";
  out << ":\n";
  for (auto& b : boundaries)
  {
    out << "  " << b.dim->name << ": ";
    if (!b.first_failing)
      out << "every property holds up to " << b.dim->hi << " (the end of the sweep)\n";
    else
    {
      if (b.largest_holding)
        out << "holds up to " << *b.largest_holding;
      else
        out << "fails already at " << b.dim->lo;
      out << "; breaks at " << *b.first_failing;
      if (b.failing->ran && !b.failing->spec_error)
        out << ": " << b.failing->message << ", shortest counterexample " << b.failing->trace_length << " steps";
      out << "\n";
    }
  }
  for (auto& b : boundaries)
  {
    if (!b.failing || b.failing->trace_text.empty()) continue;
    out << "\nCounterexample at " << b.dim->name << "=" << *b.first_failing << ":\n" << b.failing->trace_text;
  }
  return kExitHolds;
}

}  // namespace keel::cli
