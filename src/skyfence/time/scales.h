// Conversions between Instant and the civil/astronomical representations in each time scale.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "skyfence/time/instant.h"
#include "skyfence/time/leap_seconds.h"

namespace skyfence::time {

// A proleptic Gregorian calendar date and time of day in some scale (UTC unless stated).
// second is 0..60 (60 only during a positive leap second in UTC).
struct CivilTime {
  int year = 2000;
  int month = 1;                // 1..12
  int day = 1;                  // 1..31
  int hour = 0;                 // 0..23
  int minute = 0;               // 0..59
  int second = 0;               // 0..60
  std::int64_t nanosecond = 0;  // 0..999'999'999
  auto operator<=>(const CivilTime&) const = default;
};

// UTC civil time -> Instant. Throws InputError when a field is out of range (including second 60
// at a time that is not a leap second).
Instant from_utc(const CivilTime& utc, const LeapSecondTable& leaps = LeapSecondTable::builtin());
// Instant -> UTC civil time (second == 60 inside a leap second).
CivilTime to_utc(Instant t, const LeapSecondTable& leaps = LeapSecondTable::builtin());

// Julian dates of an instant in UTC (also used as UT1, see instant.h), TAI and TT.
JulianDate jd_utc(Instant t, const LeapSecondTable& leaps = LeapSecondTable::builtin());
JulianDate jd_tai(Instant t);
JulianDate jd_tt(Instant t);
// Instant from a UTC Julian date (the inverse of jd_utc, to the nanosecond).
Instant from_jd_utc(JulianDate jd, const LeapSecondTable& leaps = LeapSecondTable::builtin());

// ISO-8601 UTC: "2024-10-25T00:00:00Z", "2024-10-25T00:00:00.123456789Z", "2024-10-25 00:00:00",
// "2024-10-25" (midnight). A missing zone means UTC; "Z" and "+00:00" are accepted, other offsets
// are applied. Throws InputError naming `what` (e.g. "--start") and what was expected.
Instant parse_iso8601(std::string_view text, std::string_view what = "time",
                      const LeapSecondTable& leaps = LeapSecondTable::builtin());
// "2024-10-25T00:00:00.000Z" with `decimals` digits of seconds (0..9), truncated toward the past.
std::string format_iso8601(Instant t, int decimals = 3,
                           const LeapSecondTable& leaps = LeapSecondTable::builtin());

// Durations: "90s", "15m", "24h", "7d", "500ms", "1.5h", "1h30m", "-10m". Throws InputError naming
// `what` on anything else.
Duration parse_duration(std::string_view text, std::string_view what = "duration");
// Compact form: "90s", "1h30m", "7d", "0.5s".
std::string format_duration(Duration d);

}  // namespace skyfence::time
