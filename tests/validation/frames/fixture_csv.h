// Reader for the CSV fixtures in tests/data/frames/: '#' lines are comments (provenance), the first
// other line names the columns. Numbers are parsed with std::from_chars (locale-independent, exact
// for the repr() output the generator writes).
#pragma once

#include <charconv>
#include <cstddef>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace skyfence::frames::testing {

class CsvFixture {
 public:
  struct Row {
    const CsvFixture* table;
    std::vector<std::string> cells;
    [[nodiscard]] const std::string& str(const std::string& column) const {
      return cells.at(table->index(column));
    }
    [[nodiscard]] double num(const std::string& column) const {
      const std::string& s = str(column);
      double v = 0.0;
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc() || end != s.data() + s.size()) throw std::runtime_error("not a number: " + s);
      return v;
    }
  };

  // name: a file under tests/data/frames/.
  explicit CsvFixture(const std::string& name) {
    const std::string path = std::string(SKYFENCE_TEST_DATA_DIR) + "/frames/" + name;
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::string line;
    bool have_header = false;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> cells = split(line);
      if (!have_header) {
        for (std::size_t i = 0; i < cells.size(); ++i) columns_[cells[i]] = i;
        have_header = true;
      } else {
        if (cells.size() != columns_.size()) throw std::runtime_error("bad row in " + path + ": " + line);
        rows_.push_back({this, std::move(cells)});
      }
    }
  }
  CsvFixture(const CsvFixture&) = delete;
  CsvFixture& operator=(const CsvFixture&) = delete;

  [[nodiscard]] const std::vector<Row>& rows() const { return rows_; }
  [[nodiscard]] std::size_t index(const std::string& column) const { return columns_.at(column); }

 private:
  static std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out(1);
    for (char c : line) {
      if (c == ',')
        out.emplace_back();
      else if (c != '\r')
        out.back().push_back(c);
    }
    return out;
  }
  std::map<std::string, std::size_t> columns_;
  std::vector<Row> rows_;
};

}  // namespace skyfence::frames::testing
