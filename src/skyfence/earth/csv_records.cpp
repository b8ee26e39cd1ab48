// CSV records; see csv_records.h.
#include "skyfence/earth/csv_records.h"

#include "skyfence/earth/internal/site_fields.h"

namespace skyfence::earth {

using internal::quote;
using internal::trim;

CsvSplitter::CsvSplitter(std::string_view text) : text_(text) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
}

bool CsvSplitter::next(CsvRecord& rec) {
  if (pos_ >= text_.size()) return false;
  rec = CsvRecord{};
  rec.line = line_;
  for (;;) {
    std::string value;
    bool quoted = false;
    if (!field(rec, value, quoted)) return true;  // syntax error; the rest of the line was skipped
    rec.fields.push_back(std::move(value));
    if (pos_ >= text_.size()) break;
    if (text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    // At a line end ('\n'; a '\r' before it was consumed with the field).
    ++pos_;
    ++line_;
    break;
  }
  rec.blank = rec.fields.size() == 1 && trim(rec.fields[0]).empty() && !first_quoted_;
  return true;
}

bool CsvSplitter::field(CsvRecord& rec, std::string& value, bool& quoted) {
  const std::size_t start = pos_;
  std::size_t i = pos_;
  // Spaces before an opening quote are tolerated (` "a, b"` is one quoted field).
  while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
  if (i < text_.size() && text_[i] == '"') {
    quoted = true;
    if (rec.fields.empty()) first_quoted_ = true;
    const int open_line = line_;
    pos_ = i + 1;
    for (;;) {
      if (pos_ >= text_.size()) {
        return syntax_error(rec, "expected a closing quote for the field opened on line " +
                                     std::to_string(open_line) + ", found the end of the file");
      }
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          value += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        // CRLF inside quotes reads as LF, so a file's line-end convention never changes its values.
        value += '\n';
        pos_ += 2;
        ++line_;
        continue;
      }
      if (c == '\n') ++line_;
      value += c;
      ++pos_;
    }
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n'))
      ++pos_;
    if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') {
      const std::size_t end = text_.find_first_of(",\r\n", pos_);
      return syntax_error(rec,
                          "expected a comma or a line end after the closing quote, found " +
                              quote(text_.substr(pos_, end == std::string_view::npos ? end : end - pos_)));
    }
    return true;
  }
  if (rec.fields.empty()) first_quoted_ = false;
  std::size_t end = text_.find_first_of(",\n", start);
  if (end == std::string_view::npos) end = text_.size();
  std::string_view raw = text_.substr(start, end - start);
  if (!raw.empty() && raw.back() == '\r' && (end == text_.size() || text_[end] == '\n')) raw.remove_suffix(1);
  value.assign(raw);
  pos_ = end;
  return true;
}

// Records the problem and skips to the end of the current line.
bool CsvSplitter::syntax_error(CsvRecord& rec, std::string message) {
  rec.error = std::move(message);
  rec.error_field = rec.fields.size();
  const std::size_t nl = pos_ < text_.size() ? text_.find('\n', pos_) : std::string_view::npos;
  if (nl == std::string_view::npos) {
    pos_ = text_.size();
  } else {
    pos_ = nl + 1;
    ++line_;
  }
  return false;
}

bool CsvSplitter::next_nonblank(CsvRecord& rec) {
  while (next(rec)) {
    if (!rec.error.empty() || !rec.blank) return true;
  }
  return false;
}

}  // namespace skyfence::earth
