// Points in time and spans of time as strong types.
//
// Instant counts TAI nanoseconds since 2000-01-01T00:00:00 TAI in a signed 64-bit integer: exact, with
// a range of about +/-292 years (years 1708..2292). Duration is a signed count of nanoseconds.
// Time scales (docs/design.md, "Time"):
//  - TAI: the Instant's own scale, uniform.
//  - UTC: TAI minus the leap-second offset of LeapSecondTable; before 1972 the table's first offset
//    (10 s) is used (the "rubber second" era is not modelled).
//  - TT = TAI + 32.184 s exactly.
//  - UT1 is taken equal to UTC (|UT1-UTC| < 0.9 s; SGP4 element sets are fitted in that convention,
//    so this adds no error beyond the element sets' own at the scale of SGP4's accuracy, ~1 km).
#pragma once

#include <compare>
#include <cstdint>

namespace skyfence::time {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration nanoseconds(std::int64_t ns) { return Duration(ns); }
  // Rounded to the nearest nanosecond.
  static Duration seconds(double s);
  static Duration minutes(double m);
  static Duration hours(double h);
  static Duration days(double d);

  [[nodiscard]] constexpr std::int64_t count_ns() const { return ns_; }
  [[nodiscard]] double to_seconds() const;
  [[nodiscard]] double to_minutes() const;
  [[nodiscard]] double to_days() const;

  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr Duration operator-() const { return Duration(-ns_); }
  constexpr Duration operator*(std::int64_t k) const { return Duration(ns_ * k); }
  constexpr Duration& operator+=(Duration o) {
    ns_ += o.ns_;
    return *this;
  }
  constexpr auto operator<=>(const Duration&) const =
      default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 misreads defaulted <=>

 private:
  constexpr explicit Duration(std::int64_t ns) : ns_(ns) {}
  std::int64_t ns_ = 0;
};

class Instant {
 public:
  constexpr Instant() = default;
  // TAI nanoseconds since 2000-01-01T00:00:00 TAI.
  static constexpr Instant from_tai_ns(std::int64_t ns) { return Instant(ns); }
  [[nodiscard]] constexpr std::int64_t tai_ns() const { return ns_; }

  constexpr Instant operator+(Duration d) const { return Instant(ns_ + d.count_ns()); }
  constexpr Instant operator-(Duration d) const { return Instant(ns_ - d.count_ns()); }
  constexpr Duration operator-(Instant o) const { return Duration::nanoseconds(ns_ - o.ns_); }
  constexpr Instant& operator+=(Duration d) {
    ns_ += d.count_ns();
    return *this;
  }
  constexpr auto operator<=>(const Instant&) const = default;  // NOLINT(modernize-use-nullptr): as above

 private:
  constexpr explicit Instant(std::int64_t ns) : ns_(ns) {}
  std::int64_t ns_ = 0;
};

// A Julian date in two parts, as ERFA and python-sgp4 pass them: whole + fraction keeps ~20 us
// precision in a double sum but sub-nanosecond precision in the pair. `whole` ends in .5 (midnight).
struct JulianDate {
  double whole = 0.0;
  double fraction = 0.0;
  [[nodiscard]] double sum() const { return whole + fraction; }
};

}  // namespace skyfence::time
