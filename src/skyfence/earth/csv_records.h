// CSV records (RFC 4180) with the line each starts on: the splitter of every CSV input (sites, cell
// values, observations); readers then map the header's columns by name. Written here because a quoted field
// may span lines and every record must keep the line it starts on: quoted fields with commas, doubled quotes
// and line breaks (a CRLF inside quotes reads as LF), LF or CRLF line ends, a UTF-8 byte-order mark skipped.
// A syntax error is reported in the record (`error`), the rest of its line skipped, and splitting goes on
// with the next line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace skyfence::earth {

struct CsvRecord {
  int line = 0;  // where the record starts
  std::vector<std::string> fields;
  bool blank = false;  // a line with nothing but spaces and tabs
  // A syntax problem: the record is reported, not read.
  std::string error;
  std::size_t error_field = 0;
};

class CsvSplitter {
 public:
  explicit CsvSplitter(std::string_view text);
  // The next record into `rec`; false at the end of the text.
  bool next(CsvRecord& rec);
  // The next record that is not a blank line (a record with a syntax error is returned); false at the end.
  bool next_nonblank(CsvRecord& rec);

 private:
  bool field(CsvRecord& rec, std::string& value, bool& quoted);
  bool syntax_error(CsvRecord& rec, std::string message);

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  bool first_quoted_ = false;
};

}  // namespace skyfence::earth
