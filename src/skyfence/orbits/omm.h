// CCSDS Orbit Mean-Elements Messages (CCSDS 502.0-B-3) in the layouts catalogs are published in:
// JSON (CelesTrak GP JSON: an array of objects with the OMM keywords), CSV (CelesTrak GP CSV: a header
// row of OMM keywords) and XML (NDM/XML 2.0: <ndm><omm>...). Only SGP4 mean elements are supported
// (MEAN_ELEMENT_THEORY SGP4/SGP4-XP is rejected for the latter; EPHEMERIS_TYPE 0 or 2).
#pragma once

#include <string>
#include <string_view>

#include "skyfence/orbits/element_set.h"

namespace skyfence::orbits {

enum class OmmFormat { json, csv, xml };

struct OmmReadOptions {
  bool strict = false;  // throw at the first bad record. DEFAULT: false (skip and report it)
};

// Bad records are listed in Catalog::rejected, located as "file:LINE: record N: KEYWORD: expected ..."
// (JSON: the line where the record starts; XML: the keyword's element) or "file:LINE: KEYWORD: ..."
// (CSV). Errors in the whole input (syntax, a CSV header without a required keyword, no records)
// throw InputError even when not strict. Required keywords and defaults: the comment at the top of
// omm.cpp. EPOCH is read exactly: the same epoch as a TLE gives the identical Instant.
Catalog read_omm(std::string_view text, OmmFormat format, std::string_view source,
                 const OmmReadOptions& options = {});
// Format from the extension (.json, .csv, .xml), else sniffed from the first non-blank character.
Catalog read_omm_file(const std::string& path, const OmmReadOptions& options = {});

}  // namespace skyfence::orbits
