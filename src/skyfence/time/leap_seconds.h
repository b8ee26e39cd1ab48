// The TAI-UTC leap-second table (IERS/IANA leap-seconds.list format).
//
// An immutable value: load it once, pass it down. builtin() is the copy bundled at build time from
// data/leap-seconds/leap-seconds.list (see its PROVENANCE.md).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "skyfence/time/instant.h"

namespace skyfence::time {

class LeapSecondTable {
 public:
  struct Entry {
    std::int64_t utc_seconds_since_2000;  // UTC midnight at which the offset starts, as seconds since
                                          // 2000-01-01T00:00:00 UTC counting no leap seconds
    int tai_minus_utc_s;
  };

  // Parses the NTP leap-seconds.list format; `source` names the input in errors (InputError with line).
  static LeapSecondTable parse(std::string_view text, std::string_view source);
  static const LeapSecondTable& builtin();

  // TAI-UTC in seconds in effect at a UTC time given as seconds since 2000-01-01 UTC (no leap
  // seconds counted). Before the first entry: the first entry's offset.
  [[nodiscard]] int tai_minus_utc_at_utc(std::int64_t utc_seconds_since_2000) const;
  // TAI-UTC in effect at an instant (during a leap second: the old offset).
  [[nodiscard]] int tai_minus_utc(Instant t) const;
  // The file's expiry (its "#@" line); after it the table may be missing a leap second.
  [[nodiscard]] Instant expires() const { return expires_; }
  // True when `now` is past the expiry: callers print a warning (the CLI does, once per run).
  [[nodiscard]] bool is_stale(Instant now) const { return now > expires_; }
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
  Instant expires_;
};

}  // namespace skyfence::time
