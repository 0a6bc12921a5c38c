// The lexer turns a source file into tokens. Newlines are not tokens: the
// grammar needs no separators (";" is accepted and ignored between items).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "spec/diagnostics.hpp"
#include "spec/source.hpp"

namespace keel
{

// One table for the token vocabulary: kind, spelling (empty for classes).
#define KEEL_TOKENS(X)                                                                                                \
  X(Eof, "end of file")                                                                                               \
  X(Ident, "identifier") X(Int, "integer") X(String, "string") X(LBrace, "{") X(RBrace, "}") X(LParen, "(")           \
      X(RParen, ")") X(LBracket, "[") X(RBracket, "]") X(Comma, ",") X(Colon, ":") X(Semi, ";") X(Dot, ".")           \
          X(DotDot, "..") X(Assign, ":=") X(EqEq, "==") X(NotEq, "!=") X(Less, "<") X(LessEq, "<=") X(Greater, ">")   \
              X(GreaterEq, ">=") X(Plus, "+") X(Minus, "-") X(Star, "*") X(Slash, "/") X(Percent, "%") X(Bang, "!")   \
                  X(AndAnd, "&&") X(OrOr, "||") X(Implies, "=>") X(Eq, "=") X(Bar, "|") X(Underscore, "_")            \
                      X(LeadsTo, "~>") X(KwProtocol, "protocol") X(KwConst, "const") X(KwType, "type")                \
                          X(KwEnum, "enum") X(KwMessage, "message") X(KwVar, "var") X(KwInit, "init") X(KwDef, "def") \
                              X(KwAction, "action") X(KwWhen, "when") X(KwProcess, "process") X(KwNetwork, "network") \
                                  X(KwUnordered, "unordered") X(KwOrdered, "ordered") X(KwCapacity, "capacity")       \
                                      X(KwInvariant, "invariant") X(KwConstraint, "constraint") X(KwFault, "fault")   \
                                          X(KwProperty, "property") X(KwFair, "fair") X(KwImport, "import")           \
                                              X(KwIf, "if") X(KwThen, "then") X(KwElse, "else") X(KwChoose, "choose") \
                                                  X(KwWhere, "where") X(KwRequire, "require") X(KwAssert, "assert")   \
                                                      X(KwLet, "let") X(KwSend, "send") X(KwReceive, "receive")       \
                                                          X(KwFrom, "from") X(KwSkip, "skip") X(KwForall, "forall")   \
                                                              X(KwExists, "exists") X(KwIn, "in") X(KwUnion, "union") \
                                                                  X(KwIntersect, "intersect") X(KwMinus, "minus")     \
                                                                      X(KwIs, "is") X(KwWith, "with")                 \
                                                                          X(KwTrue, "true") X(KwFalse, "false")       \
                                                                              X(KwRecord, "record") X(KwSet, "set")   \
                                                                                  X(KwSeq, "seq") X(KwBag, "bag")     \
                                                                                      X(KwBool, "bool")               \
                                                                                          X(KwInt, "int")

enum class Tok : uint8_t
{
#define KEEL_TOK_ENUM(Name, Spelling) Name,
  KEEL_TOKENS(KEEL_TOK_ENUM)
#undef KEEL_TOK_ENUM
};

const char* tok_spelling(Tok t);

struct Token
{
  Tok kind = Tok::Eof;
  Span span;
  std::string_view text;  // points into the SourceFile
  int64_t int_value = 0;
};

// Lexes the whole file; on a lexical error reports it and throws CompileAborted.
std::vector<Token> lex(const SourceFile& file, FileId id, DiagnosticEngine& diags);

}  // namespace keel
