// Values per cell from CSV or GeoJSON; see cell_values.h. Both formats feed one collector that checks
// each (token, value) pair against the grid and gathers every problem with its location.
#include "skyfence/earth/cell_values.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "skyfence/core/read_file.h"
#include "skyfence/earth/csv_records.h"
#include "skyfence/earth/internal/geojson_text.h"
#include "skyfence/earth/internal/site_fields.h"

namespace skyfence::earth {
namespace {

using internal::quote;
using internal::trim;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// The S2 level of a valid cell id: its lowest set bit is at 2 * (30 - level).
int level_of(std::uint64_t id) {
  return 30 - std::countr_zero(id) / 2;
}

// Checks tokens and values against the grid; keeps the first value of each cell and where it came from.
class Collector {
 public:
  Collector(std::span<const Cell> cells, int level, std::string_view source, const CellValueReadOptions& o)
      : cells_(cells),
        level_(level),
        source_(source),
        options_(o),
        values_(cells.size(), 0.0),
        first_(cells.size()) {
    index_.reserve(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) index_.emplace(cells[i].id, i);
  }

  [[nodiscard]] SourceLocation where(int line, std::string field) const {
    return SourceLocation{std::string(source_), line, std::move(field)};
  }
  void problem(const SourceLocation& at, std::string message) {
    issues_.emplace_back(at, std::move(message));
  }

  // The grid index of the cell `token` names, or kNone after recording why it names none.
  std::size_t cell(std::string_view token, const SourceLocation& at) {
    if (token.empty()) {
      problem(at, "expected an S2 cell token, found an empty value");
      return kNone;
    }
    std::uint64_t id = 0;
    try {
      id = cell_id_from_token(token);
    } catch (const InputError&) {
      problem(at, "expected an S2 cell token (hex digits, as the per-point outputs write cell_id), found " +
                      quote(token));
      return kNone;
    }
    if (level_of(id) != level_) {
      problem(at, "expected a cell of level " + std::to_string(level_) + ", found " + quote(token) +
                      ", a cell of level " + std::to_string(level_of(id)));
      return kNone;
    }
    const auto it = index_.find(id);
    if (it == index_.end()) {
      problem(at, "expected a cell of " + options_.cells_name + " (" + std::to_string(cells_.size()) +
                      " cells of level " + std::to_string(level_) + "), found " + quote(token) +
                      " outside it");
      return kNone;
    }
    return it->second;
  }

  // A checked value for cell `i` (kNone: the token was bad, only the value is checked); `place` says
  // where the row is for a later repeat's message ("line 3", "features[2] (line 9)").
  void value(std::size_t i, double v, const std::string& found, const SourceLocation& at,
             const std::string& place) {
    if (!(v >= 0.0) || !std::isfinite(v)) {
      problem(at, "expected " + options_.expected_value + ", found " + found);
      return;
    }
    if (i == kNone) return;
    if (first_[i].empty()) {
      values_[i] = v == 0.0 ? 0.0 : v;  // -0 reads as 0
      first_[i] = place;
    } else if (values_[i] != v) {
      problem(at, "cell " + cells_[i].token + " again, with another value: expected " +
                      fmt::format("{}", values_[i]) + " as given at " + first_[i] + ", found " + found);
    }
  }

  void bad_value(const SourceLocation& at, const std::string& found) {
    problem(at, "expected " + options_.expected_value + ", found " + found);
  }

  std::vector<double> take() {
    if (!issues_.empty()) {
      std::string message = issues_.front().what();
      if (issues_.size() > 1) message += " (and " + std::to_string(issues_.size() - 1) + " more problems)";
      throw InputErrors(message, std::move(issues_));
    }
    return std::move(values_);
  }

 private:
  std::span<const Cell> cells_;
  int level_;
  std::string_view source_;
  const CellValueReadOptions& options_;
  std::vector<double> values_;
  std::vector<std::string> first_;  // where each cell's value was first given; empty: not yet
  std::unordered_map<std::uint64_t, std::size_t> index_;
  std::vector<InputError> issues_;
};

[[noreturn]] void file_error(std::string_view source, int line, const std::string& field,
                             const std::string& message) {
  throw InputError(SourceLocation{std::string(source), line, field}, message);
}

void read_csv(std::string_view text, std::string_view source, const CellValueReadOptions& o, Collector& c) {
  CsvSplitter splitter(text);
  CsvRecord rec;
  if (!splitter.next_nonblank(rec)) {
    file_error(source, 0, "",
               "expected a header row naming the columns (cell_id, " + o.column + "), found an empty file");
  }
  if (!rec.error.empty()) file_error(source, rec.line, "header", rec.error);
  std::vector<std::string> names;
  for (const std::string& f : rec.fields) names.emplace_back(trim(f));
  const auto find = [&](std::string_view want) {
    const std::string low = internal::lower_ascii(want);
    std::size_t at = kNone;
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (internal::lower_ascii(names[k]) != low) continue;
      if (at != kNone) {
        file_error(source, rec.line, "header",
                   "expected one column named " + quote(want) + ", found columns " + std::to_string(at + 1) +
                       " and " + std::to_string(k + 1));
      }
      at = k;
    }
    return at;
  };
  std::string listed;
  for (const std::string& n : names) listed += (listed.empty() ? "" : ", ") + quote(n);
  std::size_t key = find("cell_id");
  if (key == kNone) key = find("cell_token");
  if (key == kNone) {
    file_error(source, rec.line, "header",
               "expected a column named \"cell_id\" (S2 cell tokens), found columns " + listed);
  }
  const std::size_t col = find(o.column);
  if (col == kNone) {
    file_error(source, rec.line, "header",
               "expected a column named " + quote(o.column) + ", found columns " + listed);
  }

  while (splitter.next_nonblank(rec)) {
    const auto at = [&](std::size_t k) {
      return c.where(rec.line, k < names.size() ? names[k] : std::string());
    };
    if (!rec.error.empty()) {
      c.problem(at(rec.error_field), rec.error);
      continue;
    }
    if (rec.fields.size() != names.size()) {
      c.problem(at(rec.fields.size() < names.size() ? rec.fields.size() : kNone),
                "expected " + std::to_string(names.size()) + " fields as in the header, found " +
                    std::to_string(rec.fields.size()));
      continue;
    }
    const std::size_t cell = c.cell(trim(rec.fields[key]), at(key));
    const std::string_view text_value = trim(rec.fields[col]);
    const std::optional<double> v = internal::parse_decimal(text_value);
    const std::string found = text_value.empty() ? std::string("an empty value") : quote(text_value);
    if (!v) {
      c.bad_value(at(col), found);
      continue;
    }
    c.value(cell, *v, found, at(col), "line " + std::to_string(rec.line));
  }
}

void read_feature(const internal::Json& f, const std::string& label, int line, const CellValueReadOptions& o,
                  Collector& c) {
  using internal::describe;
  const auto at = [&](const std::string& path) {
    return c.where(line, path.empty() ? label : label + ": " + path);
  };
  if (!f.is_object()) {
    c.problem(at(""), "expected a Feature object, found " + describe(f));
    return;
  }
  const auto type = f.find("type");
  if (type == f.end() || !type->is_string() || *type != "Feature") {
    c.problem(at("type"),
              std::string("expected \"Feature\", found ") + (type == f.end() ? "none" : describe(*type)));
    return;
  }
  const auto props = f.find("properties");
  if (props == f.end() || !props->is_object()) {
    c.problem(at("properties"), "expected an object with cell_id and " + o.column + ", found " +
                                    (props == f.end() ? std::string("none") : describe(*props)));
    return;
  }
  std::string key = "cell_id";
  if (!props->contains(key) && props->contains("cell_token")) key = "cell_token";
  std::size_t cell = kNone;
  const auto token = props->find(key);
  if (token == props->end()) {
    c.problem(at("properties.cell_id"), "expected an S2 cell token, found none");
  } else if (!token->is_string()) {
    c.problem(at("properties." + key), "expected an S2 cell token (a string), found " + describe(*token));
  } else {
    cell = c.cell(trim(token->get_ref<const std::string&>()), at("properties." + key));
  }
  const std::string value_path = "properties." + o.column;
  const auto value = props->find(o.column);
  if (value == props->end()) {
    c.bad_value(at(value_path), "none");
  } else if (!value->is_number()) {
    c.bad_value(at(value_path), describe(*value));
  } else {
    std::string place = label;
    if (line > 0) place += " (line " + std::to_string(line) + ")";
    c.value(cell, value->get<double>(), value->dump(), at(value_path), place);
  }
}

void read_geojson(std::string_view text, std::string_view source, const CellValueReadOptions& o,
                  Collector& c) {
  using internal::describe;
  const internal::GeoJsonText parsed =
      internal::parse_geojson_text(text, source, "a GeoJSON FeatureCollection or Feature");
  const internal::Json& doc = parsed.doc;
  if (!doc.is_object()) {
    file_error(source, 0, "", "expected a GeoJSON FeatureCollection or Feature, found " + describe(doc));
  }
  const auto type = doc.find("type");
  const std::string type_name = type != doc.end() && type->is_string() ? type->get<std::string>() : "";
  if (type_name == "Feature") {
    read_feature(doc, "feature", parsed.root_line, o, c);
    return;
  }
  if (type_name != "FeatureCollection") {
    file_error(source, parsed.root_line, "type",
               "expected \"FeatureCollection\" or \"Feature\", found " +
                   (type == doc.end() ? std::string("none") : describe(*type)));
  }
  const auto features = doc.find("features");
  if (features == doc.end() || !features->is_array()) {
    file_error(source, parsed.root_line, "features",
               "expected an array of Features, found " +
                   (features == doc.end() ? std::string("none") : describe(*features)));
  }
  for (std::size_t k = 0; k < features->size(); ++k) {
    read_feature((*features)[k], "features[" + std::to_string(k) + "]",
                 parsed.feature_lines.empty() ? 0 : parsed.feature_lines[k], o, c);
  }
}

}  // namespace

std::vector<double> read_cell_values(std::string_view text, CellTableFormat format, std::string_view source,
                                     std::span<const Cell> cells, int level,
                                     const CellValueReadOptions& options) {
  if (options.column.empty()) throw std::invalid_argument("read_cell_values: the value column is empty");
  Collector collector(cells, level, source, options);
  if (format == CellTableFormat::csv) {
    read_csv(text, source, options, collector);
  } else {
    read_geojson(text, source, options, collector);
  }
  return collector.take();
}

std::vector<double> read_cell_values_file(const std::string& path, std::span<const Cell> cells, int level,
                                          const CellValueReadOptions& options) {
  const std::string text = read_file(path, "file of values per cell");
  return read_cell_values(text,
                          internal::is_geojson(path, text) ? CellTableFormat::geojson : CellTableFormat::csv,
                          path, cells, level, options);
}

}  // namespace skyfence::earth
