#include "spec/source.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace keel
{

SourceFile::SourceFile(std::string path, std::string text) : d_path(std::move(path)), d_text(std::move(text))
{
  d_line_starts.push_back(0);
  for (uint32_t i = 0; i < d_text.size(); ++i)
  {
    if (d_text[i] == '\n') d_line_starts.push_back(i + 1);
  }
}

LineCol SourceFile::line_col(uint32_t offset) const
{
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(d_text.size()));
  auto it = std::upper_bound(d_line_starts.begin(), d_line_starts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - d_line_starts.begin());
  return {line, offset - d_line_starts[line - 1] + 1};
}

std::string_view SourceFile::line_text(uint32_t line) const
{
  if (line == 0 || line > d_line_starts.size()) return {};
  uint32_t b = d_line_starts[line - 1];
  uint32_t e = line < d_line_starts.size() ? d_line_starts[line] : d_text.size();
  while (e > b && (d_text[e - 1] == '\n' || d_text[e - 1] == '\r')) --e;
  return std::string_view(d_text).substr(b, e - b);
}

FileId SourceManager::add(std::string path, std::string text)
{
  d_files.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text)));
  return static_cast<FileId>(d_files.size() - 1);
}

bool SourceManager::load(const std::string& path, FileId& id, std::string& error)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
  {
    error = "cannot open file";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad())
  {
    error = "cannot read file";
    return false;
  }
  id = add(path, ss.str());
  return true;
}

}  // namespace keel
