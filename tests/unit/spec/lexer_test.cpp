// spec/lexer: tokens, spans, integer values and lexical errors (K0xxx).
#include "spec/lexer.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace keel;

namespace
{

struct Lexed
{
  SourceManager sm;
  DiagnosticEngine diags{sm};
  std::vector<Token> toks;
  bool aborted = false;
};

// Lexes `text` as file "l.keel"; catches the abort of a lexical error.
std::unique_ptr<Lexed> lex_text(const std::string& text)
{
  auto l = std::make_unique<Lexed>();
  FileId id = l->sm.add("l.keel", text);
  try
  {
    l->toks = lex(l->sm.file(id), id, l->diags);
  }
  catch (const CompileAborted&)
  {
    l->aborted = true;
  }
  return l;
}

std::vector<Tok> kinds(const std::vector<Token>& toks)
{
  std::vector<Tok> out;
  for (auto& t : toks) out.push_back(t.kind);
  return out;
}

std::string rendered(const Lexed& l)
{
  std::ostringstream os;
  l.diags.render_all(os);
  return os.str();
}

}  // namespace

TEST_CASE("lexer: a variable declaration", "[lexer]")
{
  auto l = lex_text("var x: 0..3 = 0");
  REQUIRE_FALSE(l->aborted);
  CHECK(kinds(l->toks) == std::vector<Tok>{Tok::KwVar, Tok::Ident, Tok::Colon, Tok::Int, Tok::DotDot, Tok::Int, Tok::Eq,
                                           Tok::Int, Tok::Eof});
  // Spans are half-open byte ranges; text points into the source.
  CHECK(l->toks[0].span.begin == 0);
  CHECK(l->toks[0].span.end == 3);
  CHECK(l->toks[1].text == "x");
  CHECK(l->toks[1].span.begin == 4);
  CHECK(l->toks[1].span.end == 5);
  CHECK(l->toks[3].int_value == 0);
  CHECK(l->toks[4].span.begin == 8);
  CHECK(l->toks[4].span.end == 10);
  CHECK(l->toks[5].int_value == 3);
  CHECK(l->toks.back().span.begin == 15);
  CHECK(l->toks.back().span.end == 15);
  CHECK_FALSE(l->diags.has_errors());
}

TEST_CASE("lexer: two-character operators win over one-character ones", "[lexer]")
{
  auto l = lex_text(":= == != <= >= && || => ~> .. : = ! < > . | _");
  REQUIRE_FALSE(l->aborted);
  CHECK(kinds(l->toks) == std::vector<Tok>{Tok::Assign, Tok::EqEq, Tok::NotEq, Tok::LessEq, Tok::GreaterEq, Tok::AndAnd,
                                           Tok::OrOr, Tok::Implies, Tok::LeadsTo, Tok::DotDot, Tok::Colon, Tok::Eq,
                                           Tok::Bang, Tok::Less, Tok::Greater, Tok::Dot, Tok::Bar, Tok::Underscore,
                                           Tok::Eof});
}

TEST_CASE("lexer: adjacent operators without spaces", "[lexer]")
{
  auto l = lex_text("x:=y+-1;a[i]..b");
  REQUIRE_FALSE(l->aborted);
  CHECK(kinds(l->toks) == std::vector<Tok>{Tok::Ident, Tok::Assign, Tok::Ident, Tok::Plus, Tok::Minus, Tok::Int,
                                           Tok::Semi, Tok::Ident, Tok::LBracket, Tok::Ident, Tok::RBracket, Tok::DotDot,
                                           Tok::Ident, Tok::Eof});
}

TEST_CASE("lexer: keywords, soft keyword init, underscore names", "[lexer]")
{
  auto l = lex_text("protocol action when forall exists init _ _x x_1 union minus intersect record seq bag");
  REQUIRE_FALSE(l->aborted);
  CHECK(kinds(l->toks) == std::vector<Tok>{Tok::KwProtocol, Tok::KwAction, Tok::KwWhen, Tok::KwForall, Tok::KwExists,
                                           Tok::Ident, Tok::Underscore, Tok::Ident, Tok::Ident, Tok::KwUnion,
                                           Tok::KwMinus, Tok::KwIntersect, Tok::KwRecord, Tok::KwSeq, Tok::KwBag,
                                           Tok::Eof});
  CHECK(l->toks[5].text == "init");
  // Keywords are case-sensitive.
  auto u = lex_text("Var VAR var");
  CHECK(kinds(u->toks) == std::vector<Tok>{Tok::Ident, Tok::Ident, Tok::KwVar, Tok::Eof});
}

TEST_CASE("lexer: every keyword spelling lexes to its own token", "[lexer]")
{
  // Soft keywords are names to the lexer; the parser recognises them in place.
  const std::set<Tok> soft = {Tok::KwInit,    Tok::KwFrom,      Tok::KwCapacity,
                              Tok::KwOrdered, Tok::KwUnordered, Tok::KwWhere};
  for (int i = static_cast<int>(Tok::KwProtocol); i <= static_cast<int>(Tok::KwInt); ++i)
  {
    Tok k = static_cast<Tok>(i);
    std::string spelling = tok_spelling(k);
    auto l = lex_text(spelling);
    INFO(spelling);
    REQUIRE(l->toks.size() == 2);
    CHECK(l->toks[0].kind == (soft.count(k) ? Tok::Ident : k));
    CHECK(l->toks[0].text == spelling);
  }
}

TEST_CASE("lexer: integers, digit separators and the 63-bit limit", "[lexer]")
{
  auto l = lex_text("0 42 1_000_000 9223372036854775807");
  REQUIRE_FALSE(l->aborted);
  REQUIRE(l->toks.size() == 5);
  CHECK(l->toks[0].int_value == 0);
  CHECK(l->toks[1].int_value == 42);
  CHECK(l->toks[2].int_value == 1000000);
  CHECK(l->toks[2].text == "1_000_000");
  CHECK(l->toks[3].int_value == INT64_MAX);

  auto big = lex_text("var x: 0..9223372036854775808");
  CHECK(big->aborted);
  REQUIRE(big->diags.diagnostics().size() == 1);
  const Diagnostic& d = big->diags.diagnostics()[0];
  CHECK(std::string(diag_code_id(d.code)) == "K0004");
  CHECK(d.span.begin == 10);
  CHECK(d.span.end == 29);
  CHECK(rendered(*big).find("l.keel:1:11: error[K0004]") != std::string::npos);
}

TEST_CASE("lexer: comments are skipped", "[lexer]")
{
  auto l = lex_text("a // line comment := \n/* block\n comment * / */ b /**/ c // end");
  REQUIRE_FALSE(l->aborted);
  CHECK(kinds(l->toks) == std::vector<Tok>{Tok::Ident, Tok::Ident, Tok::Ident, Tok::Eof});
  CHECK(l->toks[1].text == "b");
  CHECK(l->toks[2].text == "c");
  // The end-of-file token sits at the end of the text.
  CHECK(l->toks[3].span.begin == 62);
}

TEST_CASE("lexer: strings keep their quotes in the token text", "[lexer]")
{
  auto l = lex_text("assert x, \"it broke\"");
  REQUIRE_FALSE(l->aborted);
  REQUIRE(l->toks.size() == 5);
  CHECK(l->toks[3].kind == Tok::String);
  CHECK(l->toks[3].text == "\"it broke\"");
}

TEST_CASE("lexer: K0002 for a character that cannot start a token", "[lexer][errors]")
{
  auto l = lex_text("var x: bool\nx @ y");
  CHECK(l->aborted);
  REQUIRE(l->diags.error_count() == 1);
  const Diagnostic& d = l->diags.diagnostics()[0];
  CHECK(d.code == DiagCode::InvalidCharacter);
  CHECK(d.span.begin == 14);
  CHECK(d.span.end == 15);
  CHECK(d.message == "unexpected character '@'");
  std::string r = rendered(*l);
  CHECK(r.find("l.keel:2:3: error[K0002]: unexpected character '@'") == 0);
  CHECK(r.find(" 2 | x @ y\n   |   ^\n") != std::string::npos);
}

TEST_CASE("lexer: K0002 for a non-ASCII byte names the byte", "[lexer][errors]")
{
  auto l = lex_text("x \xc3\xa9");
  CHECK(l->aborted);
  REQUIRE(l->diags.error_count() == 1);
  CHECK(l->diags.diagnostics()[0].message == "unexpected character byte 0xc3");
  CHECK(l->diags.diagnostics()[0].span.begin == 2);
}

TEST_CASE("lexer: K0002 for a number running into a name", "[lexer][errors]")
{
  auto l = lex_text("x := 12abc");
  CHECK(l->aborted);
  REQUIRE(l->diags.error_count() == 1);
  CHECK(l->diags.diagnostics()[0].code == DiagCode::InvalidCharacter);
  CHECK(l->diags.diagnostics()[0].span.begin == 7);  // the 'a'
}

TEST_CASE("lexer: K0003 for an unterminated block comment, at its start", "[lexer][errors]")
{
  for (std::string text : {"a /* never closed", "a /*", "a /*/", "a /* * /"})
  {
    INFO(text);
    auto l = lex_text(text);
    CHECK(l->aborted);
    REQUIRE(l->diags.error_count() == 1);
    const Diagnostic& d = l->diags.diagnostics()[0];
    CHECK(d.code == DiagCode::UnterminatedComment);
    CHECK(d.span.begin == 2);
    CHECK(d.span.end == 4);
  }
}

TEST_CASE("lexer: K0005 for an unterminated string, also at a newline", "[lexer][errors]")
{
  auto l = lex_text("assert x, \"abc");
  CHECK(l->aborted);
  REQUIRE(l->diags.error_count() == 1);
  CHECK(l->diags.diagnostics()[0].code == DiagCode::UnterminatedString);
  CHECK(l->diags.diagnostics()[0].span.begin == 10);

  auto nl = lex_text("assert x, \"abc\ndef\"");
  CHECK(nl->aborted);
  REQUIRE(nl->diags.error_count() == 1);
  CHECK(nl->diags.diagnostics()[0].code == DiagCode::UnterminatedString);
  CHECK(nl->diags.diagnostics()[0].span.begin == 10);
  CHECK(nl->diags.diagnostics()[0].span.end == 14);
}

TEST_CASE("lexer: empty input and whitespace-only input give just end of file", "[lexer]")
{
  for (std::string text : {"", " \t\r\n\f\v", "// only a comment"})
  {
    auto l = lex_text(text);
    REQUIRE_FALSE(l->aborted);
    REQUIRE(l->toks.size() == 1);
    CHECK(l->toks[0].kind == Tok::Eof);
    CHECK(l->toks[0].span.begin == text.size());
  }
}

TEST_CASE("lexer: tok_spelling", "[lexer]")
{
  CHECK(std::string(tok_spelling(Tok::Assign)) == ":=");
  CHECK(std::string(tok_spelling(Tok::KwInvariant)) == "invariant");
  CHECK(std::string(tok_spelling(Tok::Eof)) == "end of file");
  CHECK(std::string(tok_spelling(Tok::KwInt)) == "int");
}
