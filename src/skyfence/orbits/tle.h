// Two-line element sets (NORAD/Space Force TLE format), with or without a name line.
#pragma once

#include <string>
#include <string_view>

#include "skyfence/orbits/element_set.h"

namespace skyfence::orbits {

struct TleReadOptions {
  // Accept records whose line checksum is wrong, with a warning. DEFAULT: false (reject the record).
  bool accept_bad_checksums = false;
  // Throw InputError at the first bad record instead of skipping it. DEFAULT: false.
  bool strict = false;
};

// Reads a whole TLE catalog: 2-line or 3-line sets (name line optional, "0 " prefix allowed), LF or
// CRLF, blank lines and '#' comment lines ignored. Columns after 69 on line 2 are ignored (Vallado's
// verification file puts its start/stop/step there). `source` names the input in errors.
// Bad records are listed in Catalog::rejected with file, line, field and what was expected.
Catalog read_tle(std::string_view text, std::string_view source, const TleReadOptions& options = {});
Catalog read_tle_file(const std::string& path, const TleReadOptions& options = {});

// Parses one element set from its two lines (no name). Throws InputError located at `source`,
// `first_line` (the 1-based number of line 1) naming the field. With accept_bad_checksums, a bad
// checksum is not an error (the caller decides whether to warn: see tle_checksum).
ElementSet parse_tle(std::string_view line1, std::string_view line2, std::string_view source = {},
                     int first_line = 1, bool accept_bad_checksums = false);

// The TLE checksum of the first 68 columns: digits add their value, '-' adds 1, modulo 10.
int tle_checksum(std::string_view line);

// Formats an element set back to its two lines (checksums computed), for round-trip tests and export.
std::string format_tle(const ElementSet& es);

}  // namespace skyfence::orbits
