#include "skyfence/orbits/internal/text_fields.h"

#include <charconv>
#include <cstdio>
#include <system_error>

namespace skyfence::orbits::internal {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at `pos` of `s` into `value`.
bool fixed_digits(std::string_view s, std::size_t pos, std::size_t n, int& value) {
  if (pos + n > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string quote(std::string_view s, std::size_t max_chars) {
  std::string out = "\"";
  std::size_t shown = 0;
  for (char c : s) {
    if (shown == max_chars) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(u));
      out += buf;
    }
    ++shown;
  }
  out += '"';
  return out;
}

std::optional<double> parse_decimal(std::string_view s) {
  // Validate the whole spelling first: std::from_chars would accept "inf", "nan" and stop early.
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    ++i;
  }
  const std::size_t mantissa_start = i;
  std::size_t mantissa_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  // from_chars takes no '+': parse the unsigned part and apply the sign.
  const std::string_view body = s.substr(mantissa_start);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (end != body.data() + body.size()) return std::nullopt;
  if (ec != std::errc()) return std::nullopt;  // out of the range of double (either way)
  return negative ? -value : value;
}

std::optional<std::uint64_t> parse_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_year(int year) {
  return is_leap_year(year) ? 366 : 365;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

std::string parse_iso_utc(std::string_view text, time::CivilTime& out) {
  static constexpr const char* kExpected =
      "expected an ISO-8601 UTC time such as 2020-10-13T04:52:48.472320 (or YYYY-DDDTHH:MM:SS)";
  const std::string_view s = trim(text);
  const auto bad = [&] { return std::string(kExpected) + ", found " + quote(s); };
  time::CivilTime c;
  std::size_t pos = 0;
  if (!fixed_digits(s, 0, 4, c.year) || s.size() < 5 || s[4] != '-') return bad();
  pos = 5;
  // Calendar date (MM-DD) or day of year (DDD): told apart by the character after 2 or 3 digits.
  int a = 0;
  if (fixed_digits(s, pos, 2, a) && pos + 2 < s.size() && s[pos + 2] == '-') {
    c.month = a;
    if (!fixed_digits(s, pos + 3, 2, c.day)) return bad();
    pos += 5;
    if (c.month < 1 || c.month > 12) return "expected a month from 01 to 12 in " + quote(s);
    if (c.day < 1 || c.day > days_in_month(c.year, c.month)) {
      return "expected a day from 01 to " + std::to_string(days_in_month(c.year, c.month)) + " in " +
             quote(s);
    }
  } else if (int doy = 0; fixed_digits(s, pos, 3, doy)) {
    pos += 3;
    if (doy < 1 || doy > days_in_year(c.year)) {
      return "expected a day of year from 001 to " + std::to_string(days_in_year(c.year)) + " in " + quote(s);
    }
    c.month = 1;
    while (doy > days_in_month(c.year, c.month)) doy -= days_in_month(c.year, c.month++);
    c.day = doy;
  } else {
    return bad();
  }
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != ' ')) return bad();
  ++pos;
  if (!fixed_digits(s, pos, 2, c.hour) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
      !fixed_digits(s, pos + 3, 2, c.minute) || pos + 5 >= s.size() || s[pos + 5] != ':' ||
      !fixed_digits(s, pos + 6, 2, c.second)) {
    return bad();
  }
  pos += 8;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    std::int64_t ns = 0;
    while (pos < s.size() && is_digit(s[pos])) {
      if (++digits > 9) return "expected at most 9 decimals of seconds in " + quote(s);
      ns = ns * 10 + (s[pos] - '0');
      ++pos;
    }
    if (digits == 0) return bad();
    for (std::size_t k = digits; k < 9; ++k) ns *= 10;
    c.nanosecond = ns;
  }
  if (pos < s.size() && s[pos] == 'Z') ++pos;
  if (pos != s.size()) return bad();
  if (c.hour > 23 || c.minute > 59 || c.second > 60) {
    return "expected a time of day from 00:00:00 to 23:59:60 in " + quote(s);
  }
  out = c;
  return {};
}

time::Instant utc_instant(const time::CivilTime& civil, const SourceLocation& where) {
  try {
    return time::from_utc(civil);
  } catch (const InputError& e) {
    throw InputError(where, e.detail());
  }
}

}  // namespace skyfence::orbits::internal
