// Fuzz target: the TLE reader (orbits::read_tle), lenient and strict, with and without bad checksums
// accepted. Every input must either give a catalog or throw InputError with a message, and:
//  - every accepted element set holds the documented ranges (finite values, inclination 0..180 deg,
//    node, perigee and anomaly 0..360 deg, 0 <= e < 1, mean motion > 0, classification U/C/S,
//    ephemeris type 0 or 2, catalog number at most 339999 (Alpha-5));
//  - strict reading succeeds exactly when lenient reading rejects nothing, with the same sets;
//  - warnings appear only when bad checksums are accepted;
//  - an accepted set that format_tle can write reads back, and writes again to the same lines.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "check.h"
#include "element_set_checks.h"
#include "skyfence/orbits/tle.h"

using namespace skyfence;
using skyfence::fuzz::check;

namespace {

void check_set(const orbits::ElementSet& es) {
  fuzz::check_element_set_ranges(es);
  check(es.norad_id <= 339999, "Alpha-5 catalog number");

  std::string text;
  try {
    text = orbits::format_tle(es);
  } catch (const InputError& e) {
    fuzz::check_message(e);
    return;  // a value the columns cannot hold (documented)
  }
  const std::size_t split = text.find('\n');
  check(split != std::string::npos && text.size() > split + 1, "format_tle gives two lines");
  const std::string_view lines(text);
  orbits::ElementSet again;
  try {
    again = orbits::parse_tle(lines.substr(0, split + 1), lines.substr(split + 1), "formatted");
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n%s", e.what(), text.c_str());
    check(false, "what format_tle writes reads back");
  }
  check(orbits::format_tle(again) == text, "format_tle(parse_tle(format_tle(es))) == format_tle(es)");
}

std::optional<orbits::Catalog> read(std::string_view text, bool strict, bool bad_checksums) {
  orbits::TleReadOptions options;
  options.strict = strict;
  options.accept_bad_checksums = bad_checksums;
  try {
    return orbits::read_tle(text, "fuzz.tle", options);
  } catch (const InputError& e) {
    fuzz::check_message(e);
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const bool bad_checksums : {false, true}) {
    const std::optional<orbits::Catalog> lenient = read(text, false, bad_checksums);
    const std::optional<orbits::Catalog> strict = read(text, true, bad_checksums);
    if (!lenient) {
      check(!strict, "strict reading fails when lenient reading throws");
      continue;
    }
    for (const orbits::ElementSet& es : lenient->sets) check_set(es);
    for (const auto& issues : {lenient->rejected, lenient->warnings}) {
      for (const orbits::RecordIssue& i : issues) {
        check(!i.message.empty() && i.where.file == "fuzz.tle", "issues say what and where");
      }
    }
    check(bad_checksums || lenient->warnings.empty(), "warnings only for accepted bad checksums");
    check(strict.has_value() == lenient->rejected.empty(), "strict fails exactly when lenient rejects");
    if (strict) check(strict->sets == lenient->sets, "strict and lenient give the same sets");
  }
  return 0;
}
