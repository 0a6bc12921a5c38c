#include "spec/lexer.hpp"

#include <string>
#include <unordered_map>

namespace keel
{

const char* tok_spelling(Tok t)
{
  static const char* const kSpellings[] = {
#define KEEL_TOK_SPELL(Name, Spelling) Spelling,
      KEEL_TOKENS(KEEL_TOK_SPELL)
#undef KEEL_TOK_SPELL
  };
  return kSpellings[static_cast<int>(t)];
}

namespace
{

const std::unordered_map<std::string_view, Tok>& keywords()
{
  static const std::unordered_map<std::string_view, Tok> kMap = []
  {
    std::unordered_map<std::string_view, Tok> m;
    for (int i = static_cast<int>(Tok::KwProtocol); i <= static_cast<int>(Tok::KwInt); ++i)
      m.emplace(tok_spelling(static_cast<Tok>(i)), static_cast<Tok>(i));
    return m;
  }();
  return kMap;
}

// Words with a meaning only in one place of the grammar; the parser
// recognises them there by their text (see Parser::accept_word).
bool is_soft_keyword(Tok k)
{
  return k == Tok::KwInit || k == Tok::KwFrom || k == Tok::KwCapacity || k == Tok::KwOrdered || k == Tok::KwUnordered ||
         k == Tok::KwWhere;
}

bool is_ident_start(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident_char(char c)
{
  return is_ident_start(c) || (c >= '0' && c <= '9');
}

}  // namespace

std::vector<Token> lex(const SourceFile& file, FileId id, DiagnosticEngine& diags)
{
  std::string_view s = file.text();
  std::vector<Token> out;
  size_t i = 0;
  auto span = [&](size_t b, size_t e) { return Span{id, static_cast<uint32_t>(b), static_cast<uint32_t>(e)}; };
  auto push = [&](Tok k, size_t b, size_t e)
  {
    Token t;
    t.kind = k;
    t.span = span(b, e);
    t.text = s.substr(b, e - b);
    out.push_back(t);
  };
  while (i < s.size())
  {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
    {
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '/')
    {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*')
    {
      size_t b = i;
      i += 2;
      while (i + 1 < s.size() && !(s[i] == '*' && s[i + 1] == '/')) ++i;
      if (i + 1 >= s.size()) diags.fatal(DiagCode::UnterminatedComment, span(b, b + 2), "unterminated block comment");
      i += 2;
      continue;
    }
    size_t b = i;
    if (is_ident_start(c))
    {
      while (i < s.size() && is_ident_char(s[i])) ++i;
      std::string_view word = s.substr(b, i - b);
      if (word == "_")
      {
        push(Tok::Underscore, b, i);
        continue;
      }
      auto it = keywords().find(word);
      if (it != keywords().end() && is_soft_keyword(it->second)) it = keywords().end();
      push(it == keywords().end() ? Tok::Ident : it->second, b, i);
      continue;
    }
    if (c >= '0' && c <= '9')
    {
      int64_t v = 0;
      bool overflow = false;
      while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
      {
        if (s[i] != '_')
        {
          if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v)) overflow = true;
        }
        ++i;
      }
      if (i < s.size() && is_ident_start(s[i]))
        diags.fatal(DiagCode::InvalidCharacter, span(i, i + 1), "a number must not run into a name");
      if (overflow) diags.fatal(DiagCode::IntegerTooLarge, span(b, i), "integer literal does not fit in 63 bits");
      push(Tok::Int, b, i);
      out.back().int_value = v;
      continue;
    }
    if (c == '"')
    {
      ++i;
      while (i < s.size() && s[i] != '"' && s[i] != '\n') ++i;
      if (i >= s.size() || s[i] != '"')
        diags.fatal(DiagCode::UnterminatedString, span(b, i), "unterminated string literal");
      ++i;
      push(Tok::String, b, i);
      continue;
    }
    auto two = [&](char a, char b2) { return c == a && i + 1 < s.size() && s[i + 1] == b2; };
    Tok k;
    size_t len = 2;
    if (two('.', '.'))
      k = Tok::DotDot;
    else if (two(':', '='))
      k = Tok::Assign;
    else if (two('=', '='))
      k = Tok::EqEq;
    else if (two('!', '='))
      k = Tok::NotEq;
    else if (two('<', '='))
      k = Tok::LessEq;
    else if (two('>', '='))
      k = Tok::GreaterEq;
    else if (two('&', '&'))
      k = Tok::AndAnd;
    else if (two('|', '|'))
      k = Tok::OrOr;
    else if (two('=', '>'))
      k = Tok::Implies;
    else if (two('~', '>'))
      k = Tok::LeadsTo;
    else
    {
      len = 1;
      switch (c)
      {
        case '{':
          k = Tok::LBrace;
          break;
        case '}':
          k = Tok::RBrace;
          break;
        case '(':
          k = Tok::LParen;
          break;
        case ')':
          k = Tok::RParen;
          break;
        case '[':
          k = Tok::LBracket;
          break;
        case ']':
          k = Tok::RBracket;
          break;
        case ',':
          k = Tok::Comma;
          break;
        case ':':
          k = Tok::Colon;
          break;
        case ';':
          k = Tok::Semi;
          break;
        case '.':
          k = Tok::Dot;
          break;
        case '<':
          k = Tok::Less;
          break;
        case '>':
          k = Tok::Greater;
          break;
        case '+':
          k = Tok::Plus;
          break;
        case '-':
          k = Tok::Minus;
          break;
        case '*':
          k = Tok::Star;
          break;
        case '/':
          k = Tok::Slash;
          break;
        case '%':
          k = Tok::Percent;
          break;
        case '!':
          k = Tok::Bang;
          break;
        case '=':
          k = Tok::Eq;
          break;
        case '|':
          k = Tok::Bar;
          break;
        default:
        {
          std::string shown;
          unsigned char uc = static_cast<unsigned char>(c);
          if (uc >= 0x20 && uc < 0x7f)
            shown = std::string("'") + c + "'";
          else
          {
            char buf[8];
            snprintf(buf, sizeof buf, "0x%02x", uc);
            shown = std::string("byte ") + buf;
          }
          diags.fatal(DiagCode::InvalidCharacter, span(i, i + 1), "unexpected character " + shown);
        }
      }
    }
    i += len;
    push(k, b, i);
  }
  push(Tok::Eof, s.size(), s.size());
  return out;
}

}  // namespace keel
