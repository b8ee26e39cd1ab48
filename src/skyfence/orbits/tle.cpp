// TLE reading and writing.
//
// Column layout (1-based, inclusive), as published by CelesTrak and in Spacetrack Report #3:
//   line 1: 1 line number, 3-7 catalog number, 8 classification, 10-17 international designator,
//           19-20 epoch year, 21-32 epoch day of year with fraction, 34-43 mean motion dot,
//           45-52 mean motion ddot (implied decimal and exponent), 54-61 B* (same), 63 ephemeris
//           type, 65-68 element set number, 69 checksum.
//   line 2: 1 line number, 3-7 catalog number, 9-16 inclination, 18-25 right ascension of the node,
//           27-33 eccentricity (implied leading decimal point), 35-42 argument of perigee,
//           44-51 mean anomaly, 53-63 mean motion, 64-68 revolution number, 69 checksum.
//
// Decisions (what is accepted, beyond the layout above):
//  - Both lines must have all 69 columns: the last one is the checksum, so a shorter line has lost
//    data (trailing spaces never end a valid line, so stripping them cannot shorten one). Extra
//    columns: on line 2 they are ignored when column 70 is blank (Vallado's verification file puts
//    start/stop/step there); on line 1 only trailing blanks may follow column 69.
//  - The separator columns must be blank: a line shifted by one column is reported as such instead
//    of as a wrong value in some field.
//  - Fields that may be blank: international designator (empty), classification (U), ephemeris type
//    (0), element set number (0), revolution number (0) -- Vallado's verification cases 11801 and
//    88888 leave some of these blank. Every other field must be present.
//  - Ephemeris type must be 0 or 2 (SGP4 mean elements); 4 (SGP4-XP) and others are rejected, as
//    in the OMM reader.
//  - Values are range-checked: inclination 0..180 deg, node, perigee and anomaly 0..360 deg, mean
//    motion > 0, epoch day within the year.
//  - Lines may end in LF or CRLF, mixed within a file; a carriage return anywhere else (for example
//    old Mac CR-only line endings) is an error.
#include "skyfence/orbits/tle.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>
#include <vector>

#include "skyfence/orbits/internal/text_fields.h"

namespace skyfence::orbits {

namespace {

using internal::quote;
using internal::trim;

constexpr std::size_t kLineColumns = 69;

struct Located {
  std::string_view text;  // without its line ending
  int number = 0;         // 1-based line number in the input
};

std::string digit_name(char c) {
  return std::string(1, c);
}

std::string hex_byte(unsigned char u) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("0x") + kHex[u >> 4] + kHex[u & 0xF];
}

// The character found at a place, for messages: 'x', a space, or a byte in hex.
std::string describe_char(char c) {
  if (c == ' ') return "a space";
  return quote(std::string_view(&c, 1));
}

// Columns first..last (1-based, inclusive) of a line known to have at least `last` columns.
std::string_view cols(std::string_view line, std::size_t first, std::size_t last) {
  return line.substr(first - 1, last - first + 1);
}

class LineParser {
 public:
  LineParser(std::string_view source, int line_no, int which)
      : source_(source), line_no_(line_no), which_(which) {}

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    std::string f = "line " + std::to_string(which_);
    if (!field.empty()) f += " " + field;
    throw InputError(SourceLocation{std::string(source_), line_no_, f}, message);
  }

  [[nodiscard]] int line_no() const { return line_no_; }

 private:
  std::string_view source_;
  int line_no_;
  int which_;
};

// Checks line number, printable ASCII, length and separators; returns the 69 columns used.
std::string_view check_layout(std::string_view line, const LineParser& p, int which) {
  const char expected_number = which == 1 ? '1' : '2';
  if (line.empty() || line[0] != expected_number) {
    p.fail("", std::string("expected \"") + expected_number + "\" in column 1, found " +
                   (line.empty() ? std::string("an empty line") : describe_char(line[0])));
  }
  // Line 2 may carry extra columns after a blank column 70: only the first 69 are checked.
  std::string_view body = line;
  while (!body.empty() && (body.back() == ' ' || body.back() == '\t')) body.remove_suffix(1);
  if (which == 2 && body.size() > kLineColumns && line[kLineColumns] == ' ')
    body = body.substr(0, kLineColumns);
  for (std::size_t i = 0; i < body.size(); ++i) {
    const auto u = static_cast<unsigned char>(body[i]);
    if (u < 0x20 || u >= 0x7F) {
      p.fail("",
             "expected printable ASCII, found byte " + hex_byte(u) + " in column " + std::to_string(i + 1));
    }
  }
  if (body.size() != kLineColumns) {
    std::string message = "expected 69 columns, found " + std::to_string(body.size());
    if (which == 2 && body.size() > kLineColumns) message += " (extra columns must follow a blank column 70)";
    p.fail("", message);
  }
  static constexpr std::size_t kBlank1[] = {2, 9, 18, 33, 44, 53, 62, 64};
  static constexpr std::size_t kBlank2[] = {2, 8, 17, 26, 34, 43, 52};
  const auto check_blank = [&](std::size_t column) {
    if (body[column - 1] != ' ') {
      p.fail("", "expected a space in column " + std::to_string(column) + ", found " +
                     describe_char(body[column - 1]));
    }
  };
  if (which == 1) {
    for (std::size_t c : kBlank1) check_blank(c);
  } else {
    for (std::size_t c : kBlank2) check_blank(c);
  }
  return body;
}

// Column 69 against the computed checksum. Returns the mismatch message, or empty when it matches.
std::string checksum_mismatch(std::string_view body, const LineParser& p) {
  const char c = body[kLineColumns - 1];
  if (c < '0' || c > '9') p.fail("checksum", "expected a digit in column 69, found " + describe_char(c));
  const int computed = tle_checksum(body);
  if (c - '0' == computed) return {};
  return "expected " + digit_name(c) + ", computed " + std::to_string(computed);
}

// Catalog number, columns 3-7: five digits (leading blanks allowed), or Alpha-5: a letter other than
// I and O standing for 10..33, then four digits ("A0000" = 100000, "Z9999" = 339999).
std::uint32_t parse_catalog_number(std::string_view field, const LineParser& p) {
  const auto bad = [&] {
    p.fail("catalog number",
           "expected 5 digits or an Alpha-5 number (a letter other than I or O, then "
           "4 digits), found " +
               quote(field));
  };
  std::uint32_t leading = 0;
  std::string_view digits = field.substr(1);
  const char c = field[0];
  if (c >= 'A' && c <= 'Z') {
    if (c == 'I' || c == 'O') bad();
    // A..H -> 10..17, J..N -> 18..22, P..Z -> 23..33 (I and O are skipped: they look like 1 and 0).
    leading = static_cast<std::uint32_t>(c - 'A') + 10;
    if (c > 'I') --leading;
    if (c > 'O') --leading;
    const auto v = internal::parse_digits(digits);
    if (!v) bad();
    return leading * 10000 + static_cast<std::uint32_t>(*v);
  }
  const std::string_view t = trim(field);
  if (t.empty() || t.data() + t.size() != field.data() + field.size()) bad();  // blanks only on the left
  const auto v = internal::parse_digits(t);
  if (!v) bad();
  return static_cast<std::uint32_t>(*v);
}

// Fixed-point decimal field (blanks on the left allowed), e.g. " 34.2682", "-.00000084".
double parse_fixed(std::string_view field, const char* name, const LineParser& p, const char* example) {
  const std::string_view t = trim(field);
  const auto v = internal::parse_decimal(t);
  if (t.empty() || !v)
    p.fail(name, std::string("expected a decimal number such as ") + example + ", found " + quote(field));
  return *v;
}

// Implied-decimal exponent field, 8 columns: sign (blank, + or -), 5 mantissa digits, exponent sign
// (+ or -), exponent digit. " 28098-4" = 0.28098e-4, "-11606-4" = -0.11606e-4, " 00000-0" = 0.
double parse_exponent(std::string_view field, const char* name, const LineParser& p) {
  const auto bad = [&] {
    p.fail(name,
           "expected an implied-decimal exponent field such as \" 28098-4\" (sign, 5 digits, "
           "exponent sign and digit), found " +
               quote(field));
  };
  if (field.size() != 8) bad();
  const char sign = field[0];
  if (sign != ' ' && sign != '+' && sign != '-') bad();
  for (std::size_t i = 1; i <= 5; ++i) {
    if (field[i] < '0' || field[i] > '9') bad();
  }
  if ((field[6] != '+' && field[6] != '-') || field[7] < '0' || field[7] > '9') bad();
  // Spelled out as "0.ddddde-x" and converted once: the same double as the OMM's "-.ddddde-x".
  std::string text = sign == '-' ? "-0." : "0.";
  text += field.substr(1, 5);
  text += 'e';
  text += field.substr(6, 2);
  return *internal::parse_decimal(text);
}

// A blank or right-aligned unsigned integer field (blank = 0).
long parse_count(std::string_view field, const char* name, const LineParser& p) {
  const std::string_view t = trim(field);
  if (t.empty()) return 0;
  const auto v = internal::parse_digits(t);
  if (!v || t.data() + t.size() != field.data() + field.size()) {
    p.fail(name, "expected " + std::to_string(field.size()) + " digits (blanks on the left allowed), found " +
                     quote(field));
  }
  return static_cast<long>(*v);
}

void check_angle(double v, double max, const char* name, std::string_view field, const LineParser& p) {
  if (!(v >= 0.0 && v <= max)) {
    p.fail(name, "expected 0 to " + std::to_string(static_cast<int>(max)) + " degrees, found " +
                     quote(trim(field)));
  }
}

// Epoch: two-digit year (57-99 -> 1957-1999, 00-56 -> 2000-2056) and day of year with up to 8
// decimals. The fraction is read as an integer count of 1e-8 day = 864000 ns, so the epoch is exact
// to the nanosecond and equal to the OMM's ISO spelling of the same epoch.
time::Instant parse_epoch(std::string_view year_field, std::string_view day_field, const LineParser& p,
                          const std::string& source) {
  const auto yy = internal::parse_digits(year_field);
  if (!yy) p.fail("epoch year", "expected 2 digits, found " + quote(year_field));
  const int year = static_cast<int>(*yy) + (*yy >= 57 ? 1900 : 2000);

  const auto bad_format = [&] {
    p.fail("epoch day", "expected a day of year with fraction, DDD.DDDDDDDD, found " + quote(day_field));
  };
  const std::string_view t = trim(day_field);
  const std::size_t dot = t.find('.');
  const std::string_view whole = t.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : t.substr(dot + 1);
  const auto day = internal::parse_digits(whole);
  if (t.empty() || !day || whole.size() > 3 || frac.size() > 8) bad_format();
  std::int64_t units = 0;  // of 1e-8 day
  if (!frac.empty()) {
    const auto f = internal::parse_digits(frac);
    if (!f) bad_format();
    units = static_cast<std::int64_t>(*f);
    for (std::size_t k = frac.size(); k < 8; ++k) units *= 10;
  }
  const int max_day = internal::days_in_year(year);
  if (*day < 1 || static_cast<int>(*day) > max_day) {
    p.fail("epoch day", "expected a day of year from 1 to " + std::to_string(max_day) + " in " +
                            std::to_string(year) + ", found " + quote(t));
  }
  time::CivilTime c;
  c.year = year;
  int doy = static_cast<int>(*day);
  c.month = 1;
  while (doy > internal::days_in_month(year, c.month)) doy -= internal::days_in_month(year, c.month++);
  c.day = doy;
  std::int64_t ns = units * 864000;  // < 86400e9
  c.hour = static_cast<int>(ns / 3'600'000'000'000);
  ns %= 3'600'000'000'000;
  c.minute = static_cast<int>(ns / 60'000'000'000);
  ns %= 60'000'000'000;
  c.second = static_cast<int>(ns / 1'000'000'000);
  c.nanosecond = ns % 1'000'000'000;
  return internal::utc_instant(c, SourceLocation{source, p.line_no(), "line 1 epoch"});
}

struct ParsedTle {
  ElementSet set;
  std::vector<RecordIssue> checksum_notes;  // bad checksums accepted
};

ParsedTle parse_pair(std::string_view line1, std::string_view line2, std::string_view source, int n1, int n2,
                     bool accept_bad_checksums) {
  ParsedTle out;
  ElementSet& es = out.set;
  const std::string src(source);
  const LineParser p1(source, n1, 1);
  const LineParser p2(source, n2, 2);

  const std::string_view a = check_layout(line1, p1, 1);
  const std::string_view b = check_layout(line2, p2, 2);
  for (int which = 1; which <= 2; ++which) {
    const LineParser& p = which == 1 ? p1 : p2;
    const std::string mismatch = checksum_mismatch(which == 1 ? a : b, p);
    if (mismatch.empty()) continue;
    if (!accept_bad_checksums) p.fail("checksum", mismatch);
    out.checksum_notes.push_back(RecordIssue{
        SourceLocation{src, p.line_no(), "line " + std::to_string(which) + " checksum"}, mismatch});
  }

  // Line 1.
  es.norad_id = parse_catalog_number(cols(a, 3, 7), p1);
  const char cls = a[7];
  if (cls == ' ') {
    es.classification = 'U';
  } else if (cls == 'U' || cls == 'C' || cls == 'S') {
    es.classification = cls;
  } else {
    p1.fail("classification", "expected U, C or S in column 8, found " + describe_char(cls));
  }
  const std::string_view designator = trim(cols(a, 10, 17));
  for (char c : designator) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == ' ')) {
      p1.fail("international designator",
              "expected digits and capital letters such as \"58002B\", found " + quote(cols(a, 10, 17)));
    }
  }
  es.international_designator = std::string(designator);
  es.epoch = parse_epoch(cols(a, 19, 20), cols(a, 21, 32), p1, src);
  es.mean_motion_dot = parse_fixed(cols(a, 34, 43), "mean motion derivative", p1, "\" .00001234\"");
  es.mean_motion_ddot = parse_exponent(cols(a, 45, 52), "mean motion second derivative", p1);
  es.bstar = parse_exponent(cols(a, 54, 61), "bstar", p1);
  const char eph = a[62];
  if (eph == ' ' || eph == '0') {
    es.ephemeris_type = 0;
  } else if (eph == '2') {
    es.ephemeris_type = 2;
  } else {
    p1.fail("ephemeris type",
            "expected 0 or 2 (SGP4 mean elements) in column 63, found " + describe_char(eph));
  }
  es.element_set_no = static_cast<int>(parse_count(cols(a, 65, 68), "element set number", p1));

  // Line 2.
  const std::uint32_t id2 = parse_catalog_number(cols(b, 3, 7), p2);
  if (id2 != es.norad_id) {
    p2.fail("catalog number",
            "expected " + quote(cols(a, 3, 7)) + " as on line 1, found " + quote(cols(b, 3, 7)));
  }
  es.inclination_deg = parse_fixed(cols(b, 9, 16), "inclination", p2, "\" 53.0536\"");
  check_angle(es.inclination_deg, 180.0, "inclination", cols(b, 9, 16), p2);
  es.raan_deg = parse_fixed(cols(b, 18, 25), "right ascension of the node", p2, "\"123.4567\"");
  check_angle(es.raan_deg, 360.0, "right ascension of the node", cols(b, 18, 25), p2);
  const std::string_view ecc = cols(b, 27, 33);
  const auto ecc_digits = internal::parse_digits(ecc);
  if (!ecc_digits) {
    p2.fail("eccentricity", "expected 7 digits (a leading decimal point implied), found " + quote(ecc));
  }
  es.eccentricity = *internal::parse_decimal("0." + std::string(ecc));
  es.arg_perigee_deg = parse_fixed(cols(b, 35, 42), "argument of perigee", p2, "\"123.4567\"");
  check_angle(es.arg_perigee_deg, 360.0, "argument of perigee", cols(b, 35, 42), p2);
  es.mean_anomaly_deg = parse_fixed(cols(b, 44, 51), "mean anomaly", p2, "\"123.4567\"");
  check_angle(es.mean_anomaly_deg, 360.0, "mean anomaly", cols(b, 44, 51), p2);
  es.mean_motion_rev_per_day = parse_fixed(cols(b, 53, 63), "mean motion", p2, "\"15.12345678\"");
  if (!(es.mean_motion_rev_per_day > 0.0)) {
    p2.fail("mean motion",
            "expected a positive number of revolutions per day, found " + quote(cols(b, 53, 63)));
  }
  es.rev_at_epoch = parse_count(cols(b, 64, 68), "revolution number", p2);
  return out;
}

// A line without its CRLF/LF ending.
std::string_view strip_line_end(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// A name line: may be UTF-8 text, but no control characters. Returns what is wrong, or empty.
std::string name_problem(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto u = static_cast<unsigned char>(s[i]);
    std::size_t len = 1;
    bool ok = true;
    if (u < 0x80) {
      ok = u >= 0x20 && u != 0x7F;
      if (u == '\t') ok = true;
    } else if (u >= 0xC2 && u <= 0xDF) {
      len = 2;
    } else if (u >= 0xE0 && u <= 0xEF) {
      len = 3;
    } else if (u >= 0xF0 && u <= 0xF4) {
      len = 4;
    } else {
      ok = false;
    }
    for (std::size_t k = 1; ok && k < len; ++k) {
      ok = i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (!ok) {
      return "expected a satellite name or line 1 of an element set, found byte " + hex_byte(u) +
             " in column " + std::to_string(i + 1);
    }
    i += len;
  }
  return {};
}

// The significant lines of `text`: not blank, not a '#' comment, each without its LF or CRLF (a CR
// elsewhere stays in the line, for the caller to reject). Throws when there is none.
std::vector<Located> significant_lines(std::string_view text, const std::string& src) {
  std::vector<Located> lines;
  bool any_text = false;
  int number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!trim(line).empty()) any_text = true;
    if (trim(line).empty() || line.front() == '#') continue;
    lines.push_back(Located{line, number});
  }
  if (!any_text) {
    throw InputError(SourceLocation{src, 0, ""}, "expected TLE element sets, found an empty file");
  }
  if (lines.empty()) {
    throw InputError(SourceLocation{src, 0, ""},
                     "expected TLE element sets, found only blank and comment lines");
  }
  return lines;
}

// Where a rejected record goes: thrown with --strict, else listed in the catalog.
struct Rejections {
  const std::string& src;
  bool strict = false;
  Catalog& catalog;

  void operator()(int line, std::string field, std::string message) const {
    RecordIssue issue{SourceLocation{src, line, std::move(field)}, std::move(message)};
    if (strict) throw InputError(issue.where, issue.message);
    catalog.rejected.push_back(std::move(issue));
  }
};

// The lines of one element set: an optional name line, then line 1 and line 2.
struct TleRecord {
  std::string name;
  Located line1, line2;
};

// Takes the record that starts at lines[i] and moves i past it. When the lines there do not make a
// record, rejects them once, moves i past what belonged to the broken record (at least one line) and
// returns nothing, so that reading goes on with the next record.
std::optional<TleRecord> take_record(std::span<const Located> lines, std::size_t& i,
                                     const Rejections& reject) {
  const auto is_line1 = [&](std::size_t k) { return k < lines.size() && starts_with(lines[k].text, "1 "); };
  const auto is_line2 = [&](std::size_t k) { return k < lines.size() && starts_with(lines[k].text, "2 "); };
  if (const std::size_t cr = lines[i].text.find('\r'); cr != std::string_view::npos) {
    reject(lines[i].number, "",
           "expected LF or CRLF line endings, found a carriage return alone in column " +
               std::to_string(cr + 1));
    ++i;
    return std::nullopt;
  }
  TleRecord rec;
  if (is_line2(i)) {
    reject(lines[i].number, "line 1", "expected line 1 (starting \"1 \") before line 2, found line 2 alone");
    ++i;
    return std::nullopt;
  }
  if (!is_line1(i)) {
    // A name line (3-line sets): "0 " prefix (Space-Track 3LE) dropped, blanks trimmed.
    std::string_view n = lines[i].text;
    if (const std::string problem = name_problem(n); !problem.empty()) {
      reject(lines[i].number, "", problem);
      ++i;
      return std::nullopt;
    }
    if (starts_with(n, "0 ")) n.remove_prefix(2);
    if (!is_line1(i + 1)) {
      reject(lines[i].number, "",
             "expected line 1 of an element set (starting \"1 \") after the name " + quote(trim(n)) +
                 ", found " +
                 (i + 1 < lines.size()
                      ? quote(lines[i + 1].text) + " on line " + std::to_string(lines[i + 1].number)
                      : std::string("end of input")));
      ++i;
      return std::nullopt;
    }
    rec.name = std::string(trim(n));
    ++i;
  }
  // lines[i] is line 1.
  rec.line1 = lines[i];
  if (i + 1 >= lines.size()) {
    reject(rec.line1.number, "line 2", "expected line 2 of the element set after line 1, found end of input");
    ++i;
    return std::nullopt;
  }
  if (!is_line2(i + 1)) {
    const Located next = lines[i + 1];
    reject(next.number, "line 2",
           "expected line 2 of the element set (starting \"2 \"), found " + quote(next.text));
    // Resynchronise: keep the unexpected line if it may start the next set (a line 1, or a name
    // followed by a line 1); otherwise it belonged to this broken set.
    i += (is_line1(i + 1) || is_line1(i + 2)) ? 1 : 2;
    return std::nullopt;
  }
  rec.line2 = lines[i + 1];
  i += 2;
  return rec;
}

}  // namespace

int tle_checksum(std::string_view line) {
  int sum = 0;
  const std::size_t n = line.size() < 68 ? line.size() : 68;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = line[i];
    if (c >= '0' && c <= '9') sum += c - '0';
    if (c == '-') sum += 1;
  }
  return sum % 10;
}

ElementSet parse_tle(std::string_view line1, std::string_view line2, std::string_view source, int first_line,
                     bool accept_bad_checksums) {
  return parse_pair(strip_line_end(line1), strip_line_end(line2), source, first_line, first_line + 1,
                    accept_bad_checksums)
      .set;
}

Catalog read_tle(std::string_view text, std::string_view source, const TleReadOptions& options) {
  const std::string src(source);
  Catalog catalog;
  const std::vector<Located> lines = significant_lines(text, src);
  const Rejections reject{src, options.strict, catalog};
  for (std::size_t i = 0; i < lines.size();) {
    std::optional<TleRecord> rec = take_record(lines, i, reject);
    if (!rec) continue;
    try {
      ParsedTle parsed = parse_pair(rec->line1.text, rec->line2.text, source, rec->line1.number,
                                    rec->line2.number, options.accept_bad_checksums);
      parsed.set.name = std::move(rec->name);
      catalog.sets.push_back(std::move(parsed.set));
      for (auto& note : parsed.checksum_notes) catalog.warnings.push_back(std::move(note));
    } catch (const InputError& e) {
      if (options.strict) throw;
      catalog.rejected.push_back(RecordIssue{e.where(), e.detail()});
    }
  }
  return catalog;
}

Catalog read_tle_file(const std::string& path, const TleReadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(SourceLocation{path, 0, ""},
                     std::string("expected a readable TLE file, found: ") + std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    throw InputError(SourceLocation{path, 0, ""}, "expected a readable TLE file, found a read error");
  const std::string text = buffer.str();
  return read_tle(text, path, options);
}

namespace {

// Catalog number for columns 3-7 (Alpha-5 above 99999).
std::string format_catalog_number(std::uint32_t id) {
  char buf[16];
  if (id <= 99999) {
    std::snprintf(buf, sizeof buf, "%05u", static_cast<unsigned>(id));
    return buf;
  }
  if (id > 339999) {
    throw InputError(SourceLocation{"", 0, "catalog number"},
                     "expected at most 339999 (Alpha-5) to write a TLE, found " + std::to_string(id));
  }
  unsigned lead = id / 10000;  // 10..33
  char letter = static_cast<char>('A' + (lead - 10));
  if (letter >= 'I') ++letter;
  if (letter >= 'O') ++letter;
  std::snprintf(buf, sizeof buf, "%c%04u", letter, static_cast<unsigned>(id % 10000));
  return buf;
}

// OMM designators ("1958-002B") become the TLE's "58002B"; others are written as given.
std::string tle_designator(const std::string& d) {
  std::string s = d;
  if (s.size() >= 6 && s[4] == '-') s = s.substr(2, 2) + s.substr(5);
  if (s.size() > 8) s.resize(8);
  s.resize(8, ' ');
  return s;
}

// Implied-decimal exponent field: 0.ddddd x 10^e. Values below 1e-10 in magnitude are written as 0.
std::string format_exponent(double v, const char* name) {
  if (!std::isfinite(v)) {
    throw InputError(SourceLocation{"", 0, name}, "expected a finite number to write a TLE");
  }
  const double mag = std::fabs(v);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4e", mag);  // d.dddde[+-]XX, correctly rounded
  int e = std::atoi(buf + 7) + 1;
  std::string mantissa = std::string(1, buf[0]) + std::string(buf + 2, 4);
  if (mag == 0.0 || e < -9) return " 00000+0";
  if (e > 9) {
    throw InputError(SourceLocation{"", 0, name}, "expected a magnitude below 1e9 to write a TLE");
  }
  std::string out(1, v < 0 ? '-' : ' ');
  out += mantissa;
  out += e < 0 ? '-' : '+';
  out += static_cast<char>('0' + (e < 0 ? -e : e));
  return out;
}

}  // namespace

std::string format_tle(const ElementSet& es) {
  // Epoch: year and day of year with 8 decimals, rounded to the nearest 1e-8 day (864 us).
  const time::CivilTime c = time::to_utc(es.epoch);
  int year = c.year;
  if (year < 1957 || year > 2056) {
    throw InputError(
        SourceLocation{"", 0, "epoch"},
        "expected an epoch from 1957 to 2056 to write a TLE, found year " + std::to_string(year));
  }
  int doy = c.day;
  for (int m = 1; m < c.month; ++m) doy += internal::days_in_month(year, m);
  const std::int64_t ns_of_day =
      ((static_cast<std::int64_t>(c.hour) * 60 + c.minute) * 60 + c.second) * 1'000'000'000 + c.nanosecond;
  std::int64_t units = (ns_of_day + 432000) / 864000;
  if (units >= 100'000'000) {
    units -= 100'000'000;
    if (++doy > internal::days_in_year(year)) {
      doy = 1;
      ++year;
    }
  }
  if (!(std::fabs(es.mean_motion_dot) < 1.0)) {
    throw InputError(SourceLocation{"", 0, "mean motion derivative"}, "expected |value| < 1 to write a TLE");
  }
  char ndot[32];
  std::snprintf(ndot, sizeof ndot, "%.8f", std::fabs(es.mean_motion_dot));  // "0.dddddddd"
  if (ndot[0] != '0') {
    throw InputError(SourceLocation{"", 0, "mean motion derivative"}, "expected |value| < 1 to write a TLE");
  }
  const char ndot_sign = es.mean_motion_dot < 0 ? '-' : ' ';
  char ephemeris =
      static_cast<char>('0' + (es.ephemeris_type >= 0 && es.ephemeris_type <= 9 ? es.ephemeris_type : 0));

  const std::string id = format_catalog_number(es.norad_id);
  char l1[128];
  std::snprintf(l1, sizeof l1, "1 %s%c %s %02d%03d.%08lld %c%s %s %s %c %4d", id.c_str(), es.classification,
                tle_designator(es.international_designator).c_str(), year % 100, doy,
                static_cast<long long>(units), ndot_sign, ndot + 1,
                format_exponent(es.mean_motion_ddot, "mean motion second derivative").c_str(),
                format_exponent(es.bstar, "bstar").c_str(), ephemeris, es.element_set_no % 10000);

  const long long ecc = std::llround(es.eccentricity * 1e7);
  if (ecc < 0 || ecc > 9999999) {
    throw InputError(SourceLocation{"", 0, "eccentricity"}, "expected 0 <= e < 1 to write a TLE");
  }
  char l2[128];
  std::snprintf(l2, sizeof l2, "2 %s %8.4f %8.4f %07lld %8.4f %8.4f %11.8f%5ld", id.c_str(),
                es.inclination_deg, es.raan_deg, ecc, es.arg_perigee_deg, es.mean_anomaly_deg,
                es.mean_motion_rev_per_day, es.rev_at_epoch % 100000);
  std::string line1(l1);
  std::string line2(l2);
  if (line1.size() != 68 || line2.size() != 68) {
    throw InputError(SourceLocation{"", 0, "element set"},
                     "expected values that fit the TLE columns (angles 0..360, mean motion below 100)");
  }
  line1 += static_cast<char>('0' + tle_checksum(line1));
  line2 += static_cast<char>('0' + tle_checksum(line2));
  return line1 + "\n" + line2 + "\n";
}

}  // namespace skyfence::orbits
