#include "skyfence/time/scales.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "skyfence/core/error.h"
#include "skyfence/time/internal/civil.h"

namespace skyfence::time {

using internal::floor_div;
using internal::floor_mod;
using internal::kNsPerSecond;
using internal::kSecondsPerDay;

namespace {

constexpr double kJd2000Midnight = 2451544.5;           // JD of 2000-01-01T00:00:00
constexpr std::int64_t kTtMinusTaiNs = 32'184'000'000;  // TT = TAI + 32.184 s

[[noreturn]] void civil_error(const char* field, const std::string& expected) {
  throw InputError(SourceLocation{{}, 0, field}, expected);
}

// UTC seconds since 2000-01-01 counting no leap seconds (a day is always 86400 of them).
std::int64_t utc_seconds(const CivilTime& c) {
  return internal::days_from_civil(c.year, c.month, c.day) * kSecondsPerDay + std::int64_t{c.hour} * 3600 +
         std::int64_t{c.minute} * 60 + c.second;
}

}  // namespace

Instant from_utc(const CivilTime& c, const LeapSecondTable& leaps) {
  if (c.month < 1 || c.month > 12) civil_error("month", "expected 1..12, got " + std::to_string(c.month));
  if (c.day < 1 || c.day > internal::days_in_month(c.year, c.month)) {
    civil_error("day", "expected 1.." + std::to_string(internal::days_in_month(c.year, c.month)) + ", got " +
                           std::to_string(c.day));
  }
  if (c.hour < 0 || c.hour > 23) civil_error("hour", "expected 0..23, got " + std::to_string(c.hour));
  if (c.minute < 0 || c.minute > 59) civil_error("minute", "expected 0..59, got " + std::to_string(c.minute));
  if (c.second < 0 || c.second > 60) civil_error("second", "expected 0..60, got " + std::to_string(c.second));
  if (c.nanosecond < 0 || c.nanosecond >= kNsPerSecond) civil_error("nanosecond", "expected 0..999999999");
  if (c.year < 1709 || c.year > 2290) {
    civil_error("year",
                "expected 1709..2290 (the range of skyfence instants), got " + std::to_string(c.year));
  }
  if (c.second == 60) {
    // Valid only at 23:59:60 of a day after which TAI-UTC grows.
    CivilTime before = c;
    before.second = 59;
    const std::int64_t midnight = utc_seconds(before) + 1;
    if (c.hour != 23 || c.minute != 59 ||
        leaps.tai_minus_utc_at_utc(midnight) <= leaps.tai_minus_utc_at_utc(midnight - 1)) {
      civil_error("second", "60 is valid only during a leap second (23:59:60 before a leap)");
    }
    before.nanosecond = c.nanosecond;
    return from_utc(before, leaps) + Duration::nanoseconds(kNsPerSecond);
  }
  const std::int64_t utc = utc_seconds(c);
  const std::int64_t tai = utc + leaps.tai_minus_utc_at_utc(utc);
  return Instant::from_tai_ns(tai * kNsPerSecond + c.nanosecond);
}

CivilTime to_utc(Instant t, const LeapSecondTable& leaps) {
  const std::int64_t tai_s = floor_div(t.tai_ns(), kNsPerSecond);
  const std::int64_t ns = floor_mod(t.tai_ns(), kNsPerSecond);
  const int offset = leaps.tai_minus_utc(t);
  std::int64_t utc = tai_s - offset;
  bool leap = false;
  // Inside a leap second the old offset gives the next day's midnight: show 23:59:60 instead.
  if (leaps.tai_minus_utc_at_utc(utc) != offset && leaps.tai_minus_utc_at_utc(utc) > offset) {
    leap = true;
    utc -= 1;
  }
  const std::int64_t days = floor_div(utc, kSecondsPerDay);
  const std::int64_t sod = floor_mod(utc, kSecondsPerDay);
  const internal::Date d = internal::civil_from_days(days);
  CivilTime c;
  c.year = static_cast<int>(d.year);
  c.month = d.month;
  c.day = d.day;
  c.hour = static_cast<int>(sod / 3600);
  c.minute = static_cast<int>(sod % 3600 / 60);
  c.second = static_cast<int>(sod % 60) + (leap ? 1 : 0);
  c.nanosecond = ns;
  return c;
}

JulianDate jd_utc(Instant t, const LeapSecondTable& leaps) {
  const CivilTime c = to_utc(t, leaps);
  const std::int64_t days = internal::days_from_civil(c.year, c.month, c.day);
  // During a leap second the day fraction is held just below 1 (UT1 does not leap).
  const int second = c.second == 60 ? 59 : c.second;
  const std::int64_t sod_ns = (c.hour * 3600 + c.minute * 60 + second) * kNsPerSecond + c.nanosecond;
  return {kJd2000Midnight + static_cast<double>(days),
          static_cast<double>(sod_ns) / static_cast<double>(kSecondsPerDay * kNsPerSecond)};
}

namespace {
JulianDate jd_of_uniform_ns(std::int64_t ns_since_2000) {
  const std::int64_t day_ns = kSecondsPerDay * kNsPerSecond;
  const std::int64_t days = floor_div(ns_since_2000, day_ns);
  const std::int64_t rem = floor_mod(ns_since_2000, day_ns);
  return {kJd2000Midnight + static_cast<double>(days),
          static_cast<double>(rem) / static_cast<double>(day_ns)};
}
}  // namespace

JulianDate jd_tai(Instant t) {
  return jd_of_uniform_ns(t.tai_ns());
}
JulianDate jd_tt(Instant t) {
  return jd_of_uniform_ns(t.tai_ns() + kTtMinusTaiNs);
}

Instant from_jd_utc(JulianDate jd, const LeapSecondTable& leaps) {
  // Split both parts into whole days and a day fraction before combining, to keep nanoseconds.
  const double w = jd.whole - kJd2000Midnight;
  const double wf = std::floor(w);
  const double ff = std::floor(jd.fraction);
  const double frac = (w - wf) + (jd.fraction - ff);
  std::int64_t days = static_cast<std::int64_t>(wf) + static_cast<std::int64_t>(ff);
  std::int64_t ns = std::llround(frac * static_cast<double>(kSecondsPerDay * kNsPerSecond));
  days += floor_div(ns, kSecondsPerDay * kNsPerSecond);
  ns = floor_mod(ns, kSecondsPerDay * kNsPerSecond);
  const std::int64_t utc = days * kSecondsPerDay + ns / kNsPerSecond;
  const std::int64_t tai = utc + leaps.tai_minus_utc_at_utc(utc);
  return Instant::from_tai_ns(tai * kNsPerSecond + ns % kNsPerSecond);
}

// ---- ISO-8601 ----

namespace {

class Cursor {
 public:
  Cursor(std::string_view s, std::string_view what) : s_(s), what_(what) {}
  [[nodiscard]] bool done() const { return i_ >= s_.size(); }
  [[nodiscard]] char peek() const { return done() ? '\0' : s_[i_]; }
  bool accept(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  int digits(int n, const char* field) {
    int v = 0;
    for (int k = 0; k < n; ++k) {
      const char c = peek();
      if (c < '0' || c > '9') fail(std::string("expected ") + std::to_string(n) + " digits for the " + field);
      v = v * 10 + (c - '0');
      ++i_;
    }
    return v;
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw InputError(
        SourceLocation{std::string(what_), 0, {}},
        why + " in \"" + std::string(s_) + "\" (expected an ISO-8601 UTC time such as 2024-10-25T00:00:00Z)");
  }
  std::size_t i_ = 0;

 private:
  std::string_view s_;
  std::string_view what_;
};

}  // namespace

Instant parse_iso8601(std::string_view text, std::string_view what, const LeapSecondTable& leaps) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  Cursor cur(text, what);
  if (text.empty()) cur.fail("empty time");
  CivilTime c;
  c.year = cur.digits(4, "year");
  if (!cur.accept('-')) cur.fail("expected '-' after the year");
  c.month = cur.digits(2, "month");
  if (!cur.accept('-')) cur.fail("expected '-' after the month");
  c.day = cur.digits(2, "day");
  std::int64_t offset_s = 0;
  if (!cur.done()) {
    if (!cur.accept('T') && !cur.accept('t') && !cur.accept(' ')) cur.fail("expected 'T' after the date");
    c.hour = cur.digits(2, "hour");
    if (!cur.accept(':')) cur.fail("expected ':' after the hour");
    c.minute = cur.digits(2, "minute");
    if (cur.accept(':')) {
      c.second = cur.digits(2, "second");
      if (cur.accept('.') || cur.accept(',')) {
        int n = 0;
        std::int64_t frac = 0;
        while (cur.peek() >= '0' && cur.peek() <= '9') {
          if (n == 9) cur.fail("more than 9 fractional digits of seconds");
          frac = frac * 10 + (cur.peek() - '0');
          ++n;
          ++cur.i_;
        }
        if (n == 0) cur.fail("expected digits after the decimal point");
        for (int k = n; k < 9; ++k) frac *= 10;
        c.nanosecond = frac;
      }
    }
    if (cur.accept('Z') || cur.accept('z')) {
      // UTC
    } else if (cur.peek() == '+' || cur.peek() == '-') {
      const int sign = cur.peek() == '-' ? -1 : 1;
      ++cur.i_;
      const int oh = cur.digits(2, "zone hours");
      cur.accept(':');
      const int om = cur.digits(2, "zone minutes");
      if (oh > 23 || om > 59) cur.fail("zone offset out of range");
      offset_s = std::int64_t{sign} * (std::int64_t{oh} * 3600 + std::int64_t{om} * 60);
    }
    if (!cur.done()) cur.fail("unexpected text after the time");
  }
  Instant t;
  try {
    t = from_utc(c, leaps);
  } catch (const InputError& e) {
    cur.fail(e.where().field + " out of range (" + e.detail() + ")");
  }
  // A local time with offset +hh:mm is that much ahead of UTC.
  return t - Duration::nanoseconds(offset_s * kNsPerSecond);
}

std::string format_iso8601(Instant t, int decimals, const LeapSecondTable& leaps) {
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;
  const CivilTime c = to_utc(t, leaps);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute,
                c.second);
  std::string out = buf;
  if (decimals > 0) {
    std::int64_t frac = c.nanosecond;
    for (int k = decimals; k < 9; ++k) frac /= 10;
    std::snprintf(buf, sizeof buf, ".%0*lld", decimals, static_cast<long long>(frac));
    out += buf;
  }
  out += 'Z';
  return out;
}

// ---- Durations ----

Duration parse_duration(std::string_view text, std::string_view what) {
  const std::string original(text);
  auto fail = [&](const std::string& why) -> void {
    throw InputError(SourceLocation{std::string(what), 0, {}},
                     why + " in \"" + original + "\" (expected a duration such as 90s, 15m, 24h, 7d, 1h30m)");
  };
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  if (text.empty()) fail("empty duration");
  int sign = 1;
  if (text.front() == '-' || text.front() == '+') {
    sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
  }
  if (text.empty()) fail("missing number");
  // Exact integer arithmetic: whole part and up to 9 fractional digits, then scaled by the unit.
  std::int64_t total_ns = 0;
  constexpr std::int64_t kLimitNs = INT64_MAX / 4;
  while (!text.empty()) {
    std::int64_t whole = 0;
    std::int64_t frac = 0;
    int nfrac = 0;
    bool any = false;
    while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
      whole = whole * 10 + (text.front() - '0');
      if (whole > 1'000'000'000'000LL) fail("number too large");
      any = true;
      text.remove_prefix(1);
    }
    if (!text.empty() && text.front() == '.') {
      text.remove_prefix(1);
      while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
        if (nfrac < 9) {
          frac = frac * 10 + (text.front() - '0');
          ++nfrac;
        }
        any = true;
        text.remove_prefix(1);
      }
    }
    if (!any) fail("expected a number");
    std::int64_t unit_ns = 0;
    if (text.starts_with("ms")) {
      unit_ns = 1'000'000;
      text.remove_prefix(2);
    } else if (text.starts_with("us")) {
      unit_ns = 1'000;
      text.remove_prefix(2);
    } else if (text.starts_with("ns")) {
      unit_ns = 1;
      text.remove_prefix(2);
    } else if (!text.empty() && (text.front() == 's' || text.front() == 'm' || text.front() == 'h' ||
                                 text.front() == 'd' || text.front() == 'w')) {
      const char u = text.front();
      unit_ns = u == 's'   ? kNsPerSecond
                : u == 'm' ? 60 * kNsPerSecond
                : u == 'h' ? 3600 * kNsPerSecond
                : u == 'd' ? 86400 * kNsPerSecond
                           : std::int64_t{7} * 86400 * kNsPerSecond;
      text.remove_prefix(1);
    } else {
      fail("expected a unit (ns, us, ms, s, m, h, d, w) after the number");
    }
    std::int64_t scale = 1;
    for (int k = 0; k < nfrac; ++k) scale *= 10;
    if (whole > kLimitNs / unit_ns) fail("duration too large");
    // frac < scale, so both forms stay below unit_ns: no overflow, and exact when unit_ns % scale == 0.
    const std::int64_t frac_ns =
        unit_ns % scale == 0 ? frac * (unit_ns / scale) : (frac * unit_ns + scale / 2) / scale;
    total_ns += whole * unit_ns + frac_ns;
    if (total_ns > kLimitNs) fail("duration too large");
  }
  return Duration::nanoseconds(static_cast<std::int64_t>(total_ns) * sign);
}

std::string format_duration(Duration d) {
  std::int64_t ns = d.count_ns();
  std::string out;
  if (ns < 0) {
    out += '-';
    ns = -ns;
  }
  if (ns == 0) return "0s";
  const std::int64_t day = 86400 * kNsPerSecond;
  const std::int64_t hour = 3600 * kNsPerSecond;
  const std::int64_t minute = 60 * kNsPerSecond;
  if (ns >= day) {
    out += std::to_string(ns / day) + "d";
    ns %= day;
  }
  if (ns >= hour) {
    out += std::to_string(ns / hour) + "h";
    ns %= hour;
  }
  if (ns >= minute) {
    out += std::to_string(ns / minute) + "m";
    ns %= minute;
  }
  if (ns > 0) {
    std::string s = std::to_string(ns / kNsPerSecond);
    if (const std::int64_t f = ns % kNsPerSecond; f != 0) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%09lld", static_cast<long long>(f));
      std::string fs = buf;
      while (fs.back() == '0') fs.pop_back();
      s += "." + fs;
    }
    out += s + "s";
  }
  return out;
}

}  // namespace skyfence::time
