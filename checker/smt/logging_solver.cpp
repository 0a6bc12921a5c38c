#include "checker/smt/logging_solver.hpp"

namespace keel::smt
{

LoggingSolver::LoggingSolver(std::unique_ptr<Solver> inner, std::ostream& out) : d_inner(std::move(inner)), d_out(&out)
{
  start();
}

LoggingSolver::LoggingSolver(std::unique_ptr<Solver> inner, const std::string& path) : d_inner(std::move(inner))
{
  d_file = std::make_unique<std::ofstream>(path, std::ios::out | std::ios::trunc);
  if (!*d_file) user_error("cannot write the SMT log '" + path + "'");
  d_out = d_file.get();
  start();
}

void LoggingSolver::start()
{
  KEEL_SMT_ASSERT(d_inner != nullptr, "LoggingSolver needs a solver to wrap");
  write("; SMT-LIB 2 log of Keel's " + d_inner->name() +
        " solver.\n"
        "; Replay: z3 FILE.smt2   or   cvc5 --incremental FILE.smt2\n"
        "(set-option :produce-models true)\n"
        "(set-option :produce-unsat-assumptions true)\n"
        "(set-option :global-declarations true)\n"
        "(set-logic ALL)\n");
  // Constants the inner solver had before it was wrapped.
  const TermTable& table = d_inner->terms();
  for (uint32_t i = 0; i < table.num_terms(); ++i)
  {
    Term t(table.serial(), i);
    if (table.node(t).kind == TermKind::Const) declare(t);
  }
}

void LoggingSolver::write(const std::string& text)
{
  *d_out << text;
  d_out->flush();  // a crash leaves a log that replays up to it
  if (!*d_out) user_error("cannot write the SMT log");
}

void LoggingSolver::declare(Term t)
{
  if (!d_declared.insert(t).second) return;
  const TermTable& table = d_inner->terms();
  const TermNode& n = table.node(t);
  write("(declare-fun " + quote_symbol(n.name) + " () " + table.to_smtlib(n.sort) + ")\n");
}

Term LoggingSolver::make_const(std::string_view name, Sort sort)
{
  Term t = d_inner->make_const(name, sort);
  declare(t);
  return t;
}

void LoggingSolver::set_option(std::string_view name, std::string_view value)
{
  d_inner->set_option(name, value);
  // Options differ between solvers (timeout is cvc5's tlimit-per, and cvc5
  // answers `unsupported` to :random-seed), so they are recorded, not replayed.
  write("; set_option " + std::string(name) + " " + std::string(value) + "\n");
}

void LoggingSolver::assert_formula(Term formula)
{
  d_inner->assert_formula(formula);
  write("(assert " + d_inner->to_smtlib(formula) + ")\n");
}

template <typename F>
Result LoggingSolver::logged_check(const std::string& command, F&& check)
{
  // Written before the call, so that a solver that crashes or hangs leaves
  // the query that did it at the end of the log.
  ++d_num_queries;
  write(command + "\n");
  try
  {
    Result r = check();
    write("; " + std::string(to_string(r)) + "  (query " + std::to_string(d_num_queries) + ")\n");
    return r;
  }
  catch (const std::exception& e)
  {
    write("; error in query " + std::to_string(d_num_queries) + ": " + e.what() + "\n");
    throw;
  }
}

Result LoggingSolver::check_sat()
{
  return logged_check("(check-sat)", [&] { return d_inner->check_sat(); });
}

Result LoggingSolver::check_sat_assuming(const std::vector<Term>& assumptions)
{
  std::string command = "(check-sat-assuming (";
  for (size_t i = 0; i < assumptions.size(); ++i)
  {
    Sort s = d_inner->sort_of(assumptions[i]);
    if (d_inner->terms().kind(s) != SortKind::Bool)
      user_error("check_sat_assuming: assumption " + std::to_string(i + 1) + " has sort " + d_inner->to_smtlib(s) +
                 ", expected Bool");
    if (i) command += ' ';
    command += d_inner->to_smtlib(assumptions[i]);
  }
  command += "))";
  return logged_check(command, [&] { return d_inner->check_sat_assuming(assumptions); });
}

std::vector<Term> LoggingSolver::get_unsat_assumptions()
{
  std::vector<Term> core = d_inner->get_unsat_assumptions();
  std::string text = "(get-unsat-assumptions)\n; (";
  for (size_t i = 0; i < core.size(); ++i)
  {
    if (i) text += ' ';
    text += d_inner->to_smtlib(core[i]);
  }
  write(text + ")\n");
  return core;
}

void LoggingSolver::push(uint32_t levels)
{
  d_inner->push(levels);
  write("(push " + std::to_string(levels) + ")\n");
}

void LoggingSolver::pop(uint32_t levels)
{
  d_inner->pop(levels);
  write("(pop " + std::to_string(levels) + ")\n");
}

Value LoggingSolver::get_value(Term term)
{
  Value v = d_inner->get_value(term);
  write("(get-value (" + d_inner->to_smtlib(term) + "))\n; " + v.to_smtlib() + "\n");
  return v;
}

ChcAnswer LoggingSolver::solve_chc(const ChcSystem& system)
{
  const TermTable& table = d_inner->terms();
  system.check(table);
  ++d_num_queries;
  const std::string query = "(query " + std::to_string(d_num_queries) + ")";
  std::string text = "; Horn clauses " + query + ": in HORN, sat means safe and unsat means unsafe\n(push 1)\n";
  for (const Relation& r : system.relations())
  {
    std::string decl = "(declare-fun " + quote_symbol(r.name) + " (";
    for (size_t i = 0; i < r.formals.size(); ++i) decl += (i ? " " : "") + table.to_smtlib(table.sort_of(r.formals[i]));
    decl += ") Bool)";
    // Declarations are global (:global-declarations), so a relation of an
    // earlier query is declared already.
    auto [it, fresh] = d_relations.emplace(r.name, decl);
    if (fresh)
      text += decl + "\n";
    else if (it->second != decl)
      user_error("the SMT log already declares relation '" + r.name + "' with other sorts");
  }
  for (const HornClause& c : system.clauses())
  {
    if (!c.name.empty()) text += "; " + c.name + "\n";
    text += "(assert " + clause_to_smtlib(table, system, c) + ")\n";
  }
  text += "(check-sat-using (using-params horn :fp.engine spacer))\n";
  write(text);
  try
  {
    ChcAnswer a = d_inner->solve_chc(system);
    const char* word = a.result == ChcResult::Safe ? "sat" : a.result == ChcResult::Unsafe ? "unsat" : "unknown";
    std::string out = "; " + std::string(word) + "  " + query + ": " + std::string(to_string(a.result)) + "\n";
    if (a.result == ChcResult::Safe)
      for (size_t r = 0; r < a.interpretations.size(); ++r)
        out += "; " + system.relation(static_cast<RelationId>(r)).name +
               " := " + table.to_smtlib(a.interpretations[r]) + "\n";
    if (a.result == ChcResult::Unknown) out += "; " + a.reason + "\n";
    write(out + "(pop 1)\n");
    return a;
  }
  catch (const std::exception& e)
  {
    write("; error in query " + std::to_string(d_num_queries) + ": " + e.what() + "\n(pop 1)\n");
    throw;
  }
}

}  // namespace keel::smt
