// Helpers shared by the element-set readers (TLE, OMM): strict number parsing of untrusted text,
// printable rendering of what was found for error messages, and exact UTC epochs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "skyfence/core/error.h"
#include "skyfence/time/instant.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits::internal {

// `s` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

// `s` rendered for a message: in double quotes, bytes outside printable ASCII as \xHH, cut after
// `max_chars` characters with "..." appended.
std::string quote(std::string_view s, std::size_t max_chars = 40);

// A decimal number: [+-] digits [. digits] [(e|E) [+-] digits], with at least one mantissa digit
// (".5" and "5." are accepted). No spaces, no "inf"/"nan", no hexadecimal. Correctly rounded (the
// same double for the same real number whatever its spelling: "-.22483E-4" == "-0.22483e-4").
std::optional<double> parse_decimal(std::string_view s);

// Only decimal digits (at least one, at most 18): the value; anything else: nullopt.
std::optional<std::uint64_t> parse_digits(std::string_view s);

bool is_leap_year(int year);
int days_in_year(int year);
int days_in_month(int year, int month);

// Parses an ISO-8601 UTC time without zone or with "Z": "YYYY-MM-DDTHH:MM:SS[.f]" or the CCSDS
// day-of-year form "YYYY-DDDTHH:MM:SS[.f]", with up to 9 decimals of seconds, exactly (no double).
// Returns an empty string on success, else what was expected (for an InputError).
std::string parse_iso_utc(std::string_view text, time::CivilTime& out);

// time::from_utc, with any InputError it raises re-located at `where` (its detail kept).
time::Instant utc_instant(const time::CivilTime& civil, const SourceLocation& where);

}  // namespace skyfence::orbits::internal
