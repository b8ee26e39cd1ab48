// OMM reading: JSON (nlohmann_json), CSV (own reader), XML (pugixml). Each layout is first turned into
// raw records (keyword -> text, with where each came from); one conversion then checks and converts
// the keywords for all three layouts, so they give identical element sets.
//
// Decisions:
//  - Required keywords: EPOCH, MEAN_MOTION, ECCENTRICITY, INCLINATION, RA_OF_ASC_NODE,
//    ARG_OF_PERICENTER, MEAN_ANOMALY, NORAD_CAT_ID, BSTAR. Optional, with defaults: OBJECT_NAME and
//    OBJECT_ID (empty), CLASSIFICATION_TYPE (U), EPHEMERIS_TYPE (0), ELEMENT_SET_NO (0),
//    REV_AT_EPOCH (0), MEAN_MOTION_DOT and MEAN_MOTION_DDOT (0; SGP4 does not use them). An empty
//    value (CSV ",,", XML <BSTAR/>) counts as absent.
//  - When present, MEAN_ELEMENT_THEORY must be SGP4, REF_FRAME TEME, TIME_SYSTEM UTC and
//    CENTER_NAME EARTH (case-insensitive); EPHEMERIS_TYPE must be 0 or 2. Other keywords are ignored.
//  - Numbers may be JSON numbers or strings. A JSON number is taken through nlohmann's shortest
//    round-trip spelling, so it converts to the same double as the same text in CSV or XML.
//  - EPOCH is read exactly to the nanosecond (no double) and converted with time::from_utc, so it is
//    the same Instant as the TLE epoch of the same element set.
//  - Errors in a whole file (bad JSON/XML syntax, a CSV header without a required keyword, no records
//    at all) throw InputError even when not strict; errors in one record reject that record.
//  - Locations: JSON "file:LINE: record N: KEYWORD" with the line of the record's '{'; CSV
//    "file:LINE: KEYWORD"; XML "file:LINE: record N: KEYWORD" with the line of the keyword's element
//    (of the <omm> element when the keyword is missing).
#include "skyfence/orbits/omm.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "skyfence/orbits/internal/text_fields.h"

namespace skyfence::orbits {

namespace {

using internal::quote;
using internal::trim;

enum class ValueKind { text, null, other };

struct RawField {
  std::string key;
  std::string text;  // for ValueKind::other: what was found ("an object", "true")
  ValueKind kind = ValueKind::text;
  int line = 0;  // 0: the record's line
};

struct RawRecord {
  std::string label;  // "record 3" (JSON, XML) or empty (CSV)
  int line = 0;
  std::vector<RawField> fields;
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// 1-based line numbers of byte offsets.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') newlines_.push_back(i);
    }
  }
  [[nodiscard]] int line_of(std::size_t offset) const {
    return static_cast<int>(std::lower_bound(newlines_.begin(), newlines_.end(), offset) -
                            newlines_.begin()) +
           1;
  }

 private:
  std::vector<std::size_t> newlines_;
};

class RecordConverter {
 public:
  RecordConverter(const RawRecord& r, std::string_view source) : r_(r), source_(source) {}

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    int line = r_.line;
    for (const RawField& f : r_.fields) {
      if (f.key == key && f.line > 0) line = f.line;
    }
    std::string field = r_.label.empty() ? key : r_.label + ": " + key;
    throw InputError(SourceLocation{std::string(source_), line, field}, message);
  }

  // The field's text, or nullopt when absent or empty; null and non-scalar values are errors.
  std::optional<std::string_view> get(const std::string& key, const char* expected) const {
    const RawField* found = nullptr;
    for (const RawField& f : r_.fields) {
      if (f.key != key) continue;
      if (found != nullptr) fail(key, std::string("expected one ") + key + ", found it twice");
      found = &f;
    }
    if (found == nullptr) return std::nullopt;
    if (found->kind == ValueKind::null) fail(key, std::string("expected ") + expected + ", found null");
    if (found->kind == ValueKind::other)
      fail(key, std::string("expected ") + expected + ", found " + found->text);
    const std::string_view t = trim(found->text);
    if (t.empty()) return std::nullopt;
    return t;
  }

  std::string_view require(const std::string& key, const char* expected) const {
    const auto v = get(key, expected);
    if (!v)
      fail(key, std::string("expected ") + expected + ", found " +
                    (present(key) ? "an empty value" : "no " + key));
    return *v;
  }

  [[nodiscard]] bool present(const std::string& key) const {
    return std::any_of(r_.fields.begin(), r_.fields.end(), [&](const RawField& f) { return f.key == key; });
  }

  double number(const std::string& key, bool required, double fallback = 0.0) const {
    static constexpr const char* kWhat = "a decimal number";
    std::optional<std::string_view> t = required ? std::optional(require(key, kWhat)) : get(key, kWhat);
    if (!t) return fallback;
    const auto v = internal::parse_decimal(*t);
    if (!v) fail(key, std::string("expected ") + kWhat + ", found " + quote(*t));
    return *v;
  }

  std::uint64_t count(const std::string& key, bool required, std::uint64_t max) const {
    static constexpr const char* kWhat = "a non-negative integer";
    std::optional<std::string_view> t = required ? std::optional(require(key, kWhat)) : get(key, kWhat);
    if (!t) return 0;
    std::string_view digits = *t;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    const auto v = internal::parse_digits(digits);
    if (!v || *v > max) {
      fail(key, std::string("expected an integer from 0 to ") + std::to_string(max) + ", found " + quote(*t));
    }
    return *v;
  }

  void check_keyword(const std::string& key, std::string_view expected) const {
    const auto v = get(key, "a keyword");
    if (v && upper(*v) != expected) {
      fail(key, "expected " + std::string(expected) + " (the only one supported), found " + quote(*v));
    }
  }

  void check_angle(const std::string& key, double v, double max) const {
    if (!(v >= 0.0 && v <= max)) {
      fail(key, "expected 0 to " + std::to_string(static_cast<int>(max)) + " degrees, found " +
                    quote(*get(key, "")));
    }
  }

  ElementSet convert() const {
    check_keyword("MEAN_ELEMENT_THEORY", "SGP4");
    check_keyword("REF_FRAME", "TEME");
    check_keyword("TIME_SYSTEM", "UTC");
    check_keyword("CENTER_NAME", "EARTH");

    ElementSet es;
    if (const auto v = get("OBJECT_NAME", "a name")) es.name = std::string(*v);
    if (const auto v = get("OBJECT_ID", "an international designator"))
      es.international_designator = std::string(*v);

    const std::string_view epoch = require("EPOCH", "an ISO-8601 UTC time");
    time::CivilTime civil;
    if (const std::string problem = internal::parse_iso_utc(epoch, civil); !problem.empty())
      fail("EPOCH", problem);
    es.epoch = internal::utc_instant(civil, location("EPOCH"));

    es.mean_motion_rev_per_day = number("MEAN_MOTION", true);
    if (!(es.mean_motion_rev_per_day > 0.0)) {
      fail("MEAN_MOTION",
           "expected a positive number of revolutions per day, found " + quote(*get("MEAN_MOTION", "")));
    }
    es.eccentricity = number("ECCENTRICITY", true);
    if (!(es.eccentricity >= 0.0 && es.eccentricity < 1.0)) {
      fail("ECCENTRICITY", "expected 0 <= e < 1, found " + quote(*get("ECCENTRICITY", "")));
    }
    es.inclination_deg = number("INCLINATION", true);
    check_angle("INCLINATION", es.inclination_deg, 180.0);
    es.raan_deg = number("RA_OF_ASC_NODE", true);
    check_angle("RA_OF_ASC_NODE", es.raan_deg, 360.0);
    es.arg_perigee_deg = number("ARG_OF_PERICENTER", true);
    check_angle("ARG_OF_PERICENTER", es.arg_perigee_deg, 360.0);
    es.mean_anomaly_deg = number("MEAN_ANOMALY", true);
    check_angle("MEAN_ANOMALY", es.mean_anomaly_deg, 360.0);

    es.ephemeris_type = static_cast<int>(count("EPHEMERIS_TYPE", false, 9));
    if (es.ephemeris_type != 0 && es.ephemeris_type != 2) {
      fail("EPHEMERIS_TYPE",
           "expected 0 or 2 (SGP4 mean elements), found " + quote(*get("EPHEMERIS_TYPE", "")));
    }
    if (const auto v = get("CLASSIFICATION_TYPE", "U, C or S")) {
      if (*v != "U" && *v != "C" && *v != "S")
        fail("CLASSIFICATION_TYPE", "expected U, C or S, found " + quote(*v));
      es.classification = (*v)[0];
    }
    es.norad_id = static_cast<std::uint32_t>(count("NORAD_CAT_ID", true, 999'999'999));
    es.element_set_no = static_cast<int>(count("ELEMENT_SET_NO", false, 999'999'999));
    es.rev_at_epoch = static_cast<long>(count("REV_AT_EPOCH", false, 999'999'999));
    es.bstar = number("BSTAR", true);
    es.mean_motion_dot = number("MEAN_MOTION_DOT", false);
    es.mean_motion_ddot = number("MEAN_MOTION_DDOT", false);
    return es;
  }

 private:
  [[nodiscard]] SourceLocation location(const std::string& key) const {
    int line = r_.line;
    for (const RawField& f : r_.fields) {
      if (f.key == key && f.line > 0) line = f.line;
    }
    return SourceLocation{std::string(source_), line, r_.label.empty() ? key : r_.label + ": " + key};
  }

  const RawRecord& r_;
  std::string_view source_;
};

[[noreturn]] void file_error(std::string_view source, int line, const std::string& message) {
  throw InputError(SourceLocation{std::string(source), line, ""}, message);
}

// ---- JSON ----

// Line numbers where each top-level record starts (the elements of the root array, or the root
// object itself), found by a scan that skips strings: cheap, and nlohmann keeps no positions.
std::vector<int> json_record_lines(std::string_view text) {
  std::vector<int> lines;
  int line = 1;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  bool root_is_array = false;
  bool expect_item = false;  // after the root '[' or a ',' between its elements
  for (char c : text) {
    if (c == '\n') ++line;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (expect_item && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      if (c != ']') lines.push_back(line);
      expect_item = false;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (depth == 0) {
          root_is_array = c == '[';
          if (root_is_array) {
            expect_item = true;
          } else {
            lines.push_back(line);
          }
        }
        ++depth;
        break;
      case ']':
      case '}':
        --depth;
        break;
      case ',':
        if (depth == 1 && root_is_array) expect_item = true;
        break;
      default:
        break;
    }
  }
  return lines;
}

std::vector<RawRecord> json_records(std::string_view text, std::string_view source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    if (const std::size_t close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    const LineIndex index(text);
    file_error(source, index.line_of(e.byte > 0 ? e.byte - 1 : 0),
               "expected JSON (an array of OMM objects), found a syntax error: " + what);
  } catch (const nlohmann::json::exception& e) {  // e.g. out_of_range: a number beyond double
    std::string what = e.what();
    if (const std::size_t close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    file_error(source, 0, "expected JSON (an array of OMM objects), found: " + what);
  }
  const std::vector<int> lines = json_record_lines(text);
  std::vector<const nlohmann::json*> items;
  if (doc.is_array()) {
    for (const auto& item : doc) items.push_back(&item);
    if (items.empty()) file_error(source, 0, "expected OMM records, found an empty JSON array");
  } else if (doc.is_object()) {
    items.push_back(&doc);
  } else {
    file_error(
        source, 0,
        std::string("expected an array of OMM objects or one object, found a JSON ") + doc.type_name());
  }
  // Record lines are only trusted when the scan found exactly one start per element.
  const bool lines_ok = lines.size() == items.size();
  std::vector<RawRecord> records;
  records.reserve(items.size());
  for (std::size_t k = 0; k < items.size(); ++k) {
    RawRecord r;
    r.label = "record " + std::to_string(k + 1);
    r.line = lines_ok ? lines[k] : 0;
    const nlohmann::json& item = *items[k];
    if (!item.is_object()) {
      // Reported at conversion as a problem with the whole record.
      r.fields.push_back(RawField{"", std::string("a JSON ") + item.type_name(), ValueKind::other, 0});
      records.push_back(std::move(r));
      continue;
    }
    for (const auto& [key, value] : item.items()) {
      RawField f;
      f.key = upper(trim(key));
      if (value.is_string()) {
        f.text = value.get<std::string>();
      } else if (value.is_number()) {
        f.text = value.dump();  // shortest round-trip spelling: converts back to the same double
      } else if (value.is_null()) {
        f.kind = ValueKind::null;
      } else {
        f.kind = ValueKind::other;
        f.text = value.is_boolean() ? value.dump() : std::string("a JSON ") + value.type_name();
      }
      r.fields.push_back(std::move(f));
    }
    records.push_back(std::move(r));
  }
  return records;
}

// ---- CSV ----

struct CsvRow {
  int line = 0;
  std::vector<std::string> cells;
};

// RFC 4180: comma separators, optional double quotes ("" inside quotes is a quote), LF or CRLF.
// Rows that are entirely blank are dropped.
std::vector<CsvRow> csv_rows(std::string_view text, std::string_view source) {
  std::vector<CsvRow> rows;
  int line = 1;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte order mark
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    std::string cell;
    bool row_done = false;
    while (!row_done) {
      cell.clear();
      if (i < text.size() && text[i] == '"') {
        const int start_line = line;
        ++i;
        for (;;) {
          if (i >= text.size())
            file_error(source, start_line, "expected a closing double quote, found end of input");
          const char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') {
              cell += '"';
              ++i;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line;
            cell += c;
          }
        }
        // After a closing quote: blanks, then a separator or the end of the row (LF or CRLF).
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
        if (i < text.size() && text[i] != ',' && text[i] != '\n') {
          file_error(source, line,
                     "expected a comma or the end of the row after a quoted value, found " +
                         quote(text.substr(i, 1)));
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n') cell += text[i++];
        if (!cell.empty() && cell.back() == '\r' && (i >= text.size() || text[i] == '\n')) cell.pop_back();
      }
      row.cells.push_back(cell);
      if (i >= text.size()) {
        row_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // '\n'
        ++i;
        ++line;
        row_done = true;
      }
    }
    const bool blank = row.cells.size() == 1 && trim(row.cells[0]).empty();
    if (!blank) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<RawRecord> csv_records(std::string_view text, std::string_view source) {
  const std::vector<CsvRow> rows = csv_rows(text, source);
  if (rows.empty()) file_error(source, 0, "expected a CSV header row of OMM keywords, found an empty file");
  const CsvRow& header = rows.front();
  std::vector<std::string> keys;
  for (const std::string& cell : header.cells) {
    std::string key = upper(trim(cell));
    if (!key.empty() && std::find(keys.begin(), keys.end(), key) != keys.end()) {
      file_error(source, header.line,
                 "expected each OMM keyword once in the header, found " + key + " twice");
    }
    keys.push_back(std::move(key));
  }
  static constexpr const char* kRequired[] = {"EPOCH",        "MEAN_MOTION",    "ECCENTRICITY",
                                              "INCLINATION",  "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
                                              "MEAN_ANOMALY", "NORAD_CAT_ID",   "BSTAR"};
  for (const char* k : kRequired) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      file_error(source, header.line,
                 std::string("expected a header row of OMM keywords including ") + k + ", found " +
                     quote(text.substr(0, std::min<std::size_t>(text.find('\n'), 60)), 60));
    }
  }
  if (rows.size() == 1)
    file_error(source, header.line, "expected OMM records after the header row, found none");
  std::vector<RawRecord> records;
  records.reserve(rows.size() - 1);
  for (std::size_t k = 1; k < rows.size(); ++k) {
    RawRecord r;
    r.line = rows[k].line;
    if (rows[k].cells.size() != keys.size()) {
      r.fields.push_back(RawField{"",
                                  std::to_string(keys.size()) + " values as in the header, found " +
                                      std::to_string(rows[k].cells.size()),
                                  ValueKind::other, 0});
    } else {
      for (std::size_t c = 0; c < keys.size(); ++c) {
        if (!keys[c].empty()) r.fields.push_back(RawField{keys[c], rows[k].cells[c], ValueKind::text, 0});
      }
    }
    records.push_back(std::move(r));
  }
  return records;
}

// ---- XML ----

std::string_view local_name(const char* name) {
  std::string_view n(name);
  if (const std::size_t colon = n.rfind(':'); colon != std::string_view::npos) n.remove_prefix(colon + 1);
  return n;
}

std::vector<RawRecord> xml_records(std::string_view text, std::string_view source) {
  pugi::xml_document doc;
  const LineIndex index(text);
  const pugi::xml_parse_result result = doc.load_buffer(text.data(), text.size());
  if (!result) {
    file_error(source, index.line_of(static_cast<std::size_t>(result.offset)),
               std::string("expected well-formed XML, found: ") + result.description());
  }
  const auto line_of = [&](const pugi::xml_node& n) {
    const std::ptrdiff_t off = n.offset_debug();
    return off < 0 ? 0 : index.line_of(static_cast<std::size_t>(off));
  };
  const pugi::xml_node root = doc.document_element();
  std::vector<pugi::xml_node> omms;
  const std::string_view root_name = local_name(root.name());
  if (root_name == "omm") {
    omms.push_back(root);
  } else if (root_name == "ndm") {
    for (pugi::xml_node n = root.first_child(); n; n = n.next_sibling()) {
      if (n.type() == pugi::node_element && local_name(n.name()) == "omm") omms.push_back(n);
    }
    if (omms.empty()) file_error(source, line_of(root), "expected <omm> elements in <ndm>, found none");
  } else {
    file_error(source, root ? line_of(root) : 0,
               "expected an <ndm> or <omm> root element, found " +
                   (root ? "<" + std::string(root.name()) + ">" : std::string("no element")));
  }
  std::vector<RawRecord> records;
  for (std::size_t k = 0; k < omms.size(); ++k) {
    RawRecord r;
    r.label = "record " + std::to_string(k + 1);
    r.line = line_of(omms[k]);
    // Every element without child elements is a keyword (header, metadata, meanElements,
    // tleParameters, ...); walked without recursion.
    std::vector<pugi::xml_node> stack{omms[k]};
    while (!stack.empty()) {
      const pugi::xml_node n = stack.back();
      stack.pop_back();
      bool has_child_element = false;
      for (pugi::xml_node c = n.last_child(); c; c = c.previous_sibling()) {
        if (c.type() == pugi::node_element) {
          stack.push_back(c);
          has_child_element = true;
        }
      }
      if (!has_child_element && n != omms[k]) {
        r.fields.push_back(
            RawField{upper(local_name(n.name())), n.text().get(), ValueKind::text, line_of(n)});
      }
    }
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace

Catalog read_omm(std::string_view text, OmmFormat format, std::string_view source,
                 const OmmReadOptions& options) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    file_error(source, 0, "expected OMM records, found an empty file");
  }
  std::vector<RawRecord> records;
  switch (format) {
    case OmmFormat::json:
      records = json_records(text, source);
      break;
    case OmmFormat::csv:
      records = csv_records(text, source);
      break;
    case OmmFormat::xml:
      records = xml_records(text, source);
      break;
  }
  Catalog catalog;
  catalog.sets.reserve(records.size());
  for (const RawRecord& r : records) {
    try {
      const RecordConverter conv(r, source);
      // A record that is not a keyword table (a JSON non-object, a CSV row of the wrong width).
      if (r.fields.size() == 1 && r.fields[0].key.empty() && r.fields[0].kind == ValueKind::other) {
        const std::string what =
            r.label.empty() ? r.fields[0].text : "an object of OMM keywords, found " + r.fields[0].text;
        throw InputError(SourceLocation{std::string(source), r.line, r.label}, "expected " + what);
      }
      catalog.sets.push_back(conv.convert());
    } catch (const InputError& e) {
      if (options.strict) throw;
      catalog.rejected.push_back(RecordIssue{e.where(), e.detail()});
    }
  }
  return catalog;
}

Catalog read_omm_file(const std::string& path, const OmmReadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(SourceLocation{path, 0, ""},
                     std::string("expected a readable OMM file, found: ") + std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  std::string ext;
  if (const std::size_t dot = path.rfind('.');
      dot != std::string::npos && path.find('/', dot) == std::string::npos) {
    ext = upper(std::string_view(path).substr(dot + 1));
  }
  OmmFormat format = OmmFormat::csv;
  if (ext == "JSON") {
    format = OmmFormat::json;
  } else if (ext == "XML") {
    format = OmmFormat::xml;
  } else if (ext == "CSV") {
    format = OmmFormat::csv;
  } else {
    std::size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i < text.size() && (text[i] == '[' || text[i] == '{')) format = OmmFormat::json;
    if (i < text.size() && text[i] == '<') format = OmmFormat::xml;
  }
  return read_omm(text, format, path, options);
}

}  // namespace skyfence::orbits
