// Observations of a terminal's service: "satellite NORAD_ID served the terminal at TIME" (a dish's own
// diagnostics expose it; passive monitoring can observe it), read from CSV.
//
// Format: a header, then one row per observation; columns by name, in any order:
//   time_utc     ISO-8601 UTC (time::parse_iso8601), required
//   norad_id     the serving satellite's catalog number (1-999999999), required
//   terminal_id  which terminal (optional: without it every row is one terminal, "terminal")
// Other columns are an error (a misspelt name would otherwise be ignored). Blank lines are skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/time/instant.h"

namespace skyfence::detection {

struct Observation {
  time::Instant at;
  std::uint32_t norad_id = 0;
  int line = 0;  // where it was read (1-based), for messages
};

// One terminal's observations, in time order (rows of one time keep file order).
struct ObservedTerminal {
  std::string id;
  std::vector<Observation> observations;
};

// The observations of each terminal, terminals in order of first appearance. Throws InputErrors with
// every bad row (file, line, field, what was expected): a missing or unknown column, a time or number
// that does not parse, an empty terminal id; InputError for an unreadable file or one without rows.
std::vector<ObservedTerminal> parse_observations(std::string_view text, const std::string& source);
std::vector<ObservedTerminal> read_observations(const std::string& path);

}  // namespace skyfence::detection
