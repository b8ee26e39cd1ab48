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
// Bad records are listed in Catalog::rejected with file, line, field and what was expected, e.g.
// "starlink.tle:1043: line 2 checksum: expected 7, computed 3"; reading resumes at the next name or
// line 1. Lines 1 and 2 must have all 69 columns (the 69th is the checksum: a shorter line has lost
// data). An input with no element-set line at all (empty, or only comments) throws InputError even
// when not strict. Accepted fields and ranges: the comment at the top of tle.cpp.
Catalog read_tle(std::string_view text, std::string_view source, const TleReadOptions& options = {});
Catalog read_tle_file(const std::string& path, const TleReadOptions& options = {});

// Parses one element set from its two lines (no name). Throws InputError located at `source`,
// `first_line` (the 1-based number of line 1) naming the field. With accept_bad_checksums, a bad
// checksum is not an error (the caller decides whether to warn: see tle_checksum).
ElementSet parse_tle(std::string_view line1, std::string_view line2, std::string_view source = {},
                     int first_line = 1, bool accept_bad_checksums = false);

// The TLE checksum of the first 68 columns: digits add their value, '-' adds 1, modulo 10.
int tle_checksum(std::string_view line);

// Formats an element set back to its two lines (checksums computed), each ending in '\n', for round-trip
// tests and export. Published TLE text comes back unchanged (except a zero exponent field, written
// " 00000+0"); the epoch is rounded to the nearest 1e-8 day (864 us), revolution and element set
// numbers are taken modulo 100000 and 10000, an OMM designator "1958-002B" is written "58002B".
// Throws InputError (no file, field named) for values the columns cannot hold: catalog number above
// 339999, epoch outside 1957-2056, |mean motion dot| >= 1, |ddot| or |bstar| >= 1e9.
std::string format_tle(const ElementSet& es);

}  // namespace skyfence::orbits
