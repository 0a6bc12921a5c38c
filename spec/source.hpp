// Source files and locations. A Span is a half-open byte range in one file;
// line/column are computed on demand so the lexer stays cheap.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace keel
{

using FileId = uint32_t;

struct Span
{
  FileId file = 0;
  uint32_t begin = 0;  // byte offset
  uint32_t end = 0;    // byte offset, exclusive
  bool valid() const { return end >= begin && !(begin == 0 && end == 0 && file == 0); }
};

struct LineCol
{
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, in bytes
};

class SourceFile
{
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return d_path; }
  std::string_view text() const { return d_text; }
  LineCol line_col(uint32_t offset) const;
  std::string_view line_text(uint32_t line) const;  // without the newline

 private:
  std::string d_path;
  std::string d_text;
  std::vector<uint32_t> d_line_starts;
};

class SourceManager
{
 public:
  FileId add(std::string path, std::string text);
  // Reads a file from disk; returns false (and leaves id untouched) when it cannot.
  bool load(const std::string& path, FileId& id, std::string& error);
  const SourceFile& file(FileId id) const { return *d_files.at(id); }
  size_t size() const { return d_files.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> d_files;
};

}  // namespace keel
