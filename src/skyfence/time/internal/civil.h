// Proleptic Gregorian calendar arithmetic on day counts (days since 2000-01-01).
#pragma once

#include <cstdint>

namespace skyfence::time::internal {

inline constexpr std::int64_t kSecondsPerDay = 86400;
inline constexpr std::int64_t kNsPerSecond = 1'000'000'000;

// Days since 2000-01-01 of a civil date. Valid for any year in +/-1e6; no range checks.
// Shifts the year to start on March 1 so that the leap day is the last day of the year.
constexpr std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;                          // [0, 399]
  const std::int64_t mp = (m + 9) % 12;                            // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;             // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 730425;                              // 730425: 0000-03-01 -> 2000-01-01
}

struct Date {
  std::int64_t year;
  int month;
  int day;
};

// The inverse of days_from_civil.
constexpr Date civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 730425;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool is_leap_year(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr int days_in_month(std::int64_t y, int m) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

// Floor division and modulo for negative counts.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  return a - floor_div(a, b) * b;
}

}  // namespace skyfence::time::internal
