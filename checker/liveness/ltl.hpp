// Linear temporal logic over numbered atomic propositions, and its translation
// to a state-labelled generalized Büchi automaton (the automata half of
// liveness checking; docs/engines.md, "Liveness: automata and fair cycles").
// Independent of the spec language: the caller numbers the state predicates
// of a property 0..n-1 and builds the product with the model's state graph.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace keel::liveness
{

enum class LtlOp
{
  True,
  False,
  Atom,
  Not,
  And,
  Or,
  Next,  // X: for internal use and tests; Keel's user properties never contain it
  Until,
  Release,
  Eventually,
  Always,
};

// An immutable formula: a cheap handle to a shared tree. Equality is
// structural. Built only through the functions below.
class Formula
{
 public:
  LtlOp op() const;
  int atom() const;  // the atom's number, for LtlOp::Atom
  // Operands: `lhs` of every unary and binary operator, `rhs` of the binary ones.
  Formula lhs() const;
  Formula rhs() const;
  int size() const;  // number of operators and leaves
  uint64_t hash() const;
  bool operator==(const Formula& o) const;
  bool operator!=(const Formula& o) const { return !(*this == o); }

 private:
  struct Node;
  explicit Formula(std::shared_ptr<const Node> n) : d_node(std::move(n)) {}
  static Formula make(LtlOp op, int atom, const Formula* lhs, const Formula* rhs);
  std::shared_ptr<const Node> d_node;

  friend Formula ltl_true();
  friend Formula ltl_false();
  friend Formula atom(int i);
  friend Formula make_unary(LtlOp op, const Formula& a);
  friend Formula make_binary(LtlOp op, const Formula& a, const Formula& b);
};

Formula ltl_true();
Formula ltl_false();
Formula atom(int i);  // i >= 0
Formula ltl_not(const Formula& a);
Formula ltl_and(const Formula& a, const Formula& b);
Formula ltl_or(const Formula& a, const Formula& b);
Formula implies(const Formula& a, const Formula& b);  // !a | b
Formula next(const Formula& a);
Formula until(const Formula& a, const Formula& b);
Formula release(const Formula& a, const Formula& b);
Formula eventually(const Formula& a);
Formula always(const Formula& a);
Formula leads_to(const Formula& p, const Formula& q);  // p ~> q  =  G (p -> F q)

// Negation pushed down to the atoms (!(a U b) = !a R !b, !F a = G !a, ...):
// the result has LtlOp::Not only directly above an atom, and no implication.
Formula nnf(const Formula& f);

// The named rewrites simplify() applies (match / result):
enum class LtlRewrite
{
  ConstAnd,         // true & a = a; false & a = false
  ConstOr,          // false | a = a; true | a = true
  IdemAndOr,        // a & a = a; a | a = a
  ConstNext,        // X true = true; X false = false
  ConstTemporal,    // F/G true = true; F/G false = false
  FF,               // F F a = F a
  GG,               // G G a = G a
  FGF,              // F G F a = G F a
  GFG,              // G F G a = F G a
  UntilConst,       // a U true = true; a U false = false; false U a = a; true U a = F a
  ReleaseConst,     // a R false = false; a R true = true; true R a = a; false R a = G a
  IdemUntil,        // a U a = a; a R a = a
  EventuallyUntil,  // F (a U b) = F b
  AlwaysRelease,    // G (a R b) = G b
  Count_,
};
const char* ltl_rewrite_name(LtlRewrite r);
using LtlRewriteCounts = std::array<uint64_t, static_cast<size_t>(LtlRewrite::Count_)>;

// The negation normal form of `f`, rewritten bottom-up by the rules above
// until none applies. Equivalent to `f` on every infinite word. Adds the
// number of times each rule fired to `counts` when given.
Formula simplify(const Formula& f, LtlRewriteCounts* counts = nullptr);

// Printed with atoms named p0, p1, ... (or `names[i]` where given), operators
// ! && || X U R F G, binary operands parenthesized: leads_to(atom(0), atom(1))
// prints as "G (!p0 || F p1)".
std::string to_string(const Formula& f, const std::vector<std::string>& names = {});

// A generalized Büchi automaton with labels on states. A run q0 q1 ... reads a
// word w0 w1 ... (each wi a valuation of the atoms) when q0 is initial, every
// q(i+1) is in succ(qi) and qi's literals hold in wi (every atom in `pos`
// true, every atom in `neg` false). It accepts when, for each acceptance set
// j < num_acc, infinitely many qi have bit j of `acc`; with num_acc == 0
// every infinite run accepts.
struct BuchiState
{
  std::vector<int> pos, neg;  // sorted atom numbers
  std::vector<int> succ;      // sorted successor states
  uint64_t acc = 0;
};

struct Buchi
{
  std::vector<BuchiState> states;
  std::vector<int> initial;  // sorted
  int num_acc = 0;
};

// What translate() did, for statistics and tests.
struct TranslateStats
{
  LtlRewriteCounts rewrites{};
  uint64_t tableau_states = 0;    // states the tableau built, before the reductions
  uint64_t pruned_states = 0;     // could not be reached, or could not reach an accepting cycle
  uint64_t merged_states = 0;     // folded into a bisimilar state
  uint64_t subsumed_states = 0;   // removed because another state can stand in for them
  uint64_t dropped_acc_sets = 0;  // implied by another acceptance set
};

// The most acceptance sets a Buchi can have (bits of BuchiState::acc).
constexpr int kMaxAcceptanceSets = 64;

// An automaton accepting exactly the infinite words that satisfy `f`: a
// tableau in the style of Gerth, Peled, Vardi and Wolper (1995) on
// simplify(f), one acceptance set per until/eventually subformula, then
// reduced (docs/engines.md). An unsatisfiable formula may give an automaton
// with no states. Throws std::length_error ("not supported yet: ...") when
// more than kMaxAcceptanceSets acceptance sets would remain.
Buchi translate(const Formula& f, TranslateStats* stats = nullptr);

// The automaton as text, one state a line: "q0 init acc{0} [p0 !p1] -> q1 q2".
std::string to_string(const Buchi& b, const std::vector<std::string>& names = {});

}  // namespace keel::liveness
