// Fuzz target: the OMM reader (orbits::read_omm) in its three layouts, JSON, CSV and XML, each
// lenient and strict: every input is given to all six. Every input must either give a catalog or
// throw InputError with a message, and:
//  - every accepted element set holds the documented ranges (finite values, inclination 0..180 deg,
//    node, perigee and anomaly 0..360 deg, 0 <= e < 1, mean motion > 0, classification U/C/S,
//    ephemeris type 0 or 2);
//  - strict reading succeeds exactly when lenient reading rejects nothing, with the same sets;
//  - every rejected record says what was wrong and names the source.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "check.h"
#include "element_set_checks.h"
#include "skyfence/orbits/omm.h"

using namespace skyfence;
using skyfence::fuzz::check;

namespace {

void check_set(const orbits::ElementSet& es) {
  fuzz::check_element_set_ranges(es);
  check(es.element_set_no >= 0 && es.rev_at_epoch >= 0, "non-negative counters");
}

std::optional<orbits::Catalog> read(std::string_view text, orbits::OmmFormat format, bool strict) {
  orbits::OmmReadOptions options;
  options.strict = strict;
  try {
    return orbits::read_omm(text, format, "fuzz.omm", options);
  } catch (const InputError& e) {
    fuzz::check_message(e);
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const orbits::OmmFormat format :
       {orbits::OmmFormat::json, orbits::OmmFormat::csv, orbits::OmmFormat::xml}) {
    const std::optional<orbits::Catalog> lenient = read(text, format, false);
    const std::optional<orbits::Catalog> strict = read(text, format, true);
    if (!lenient) {
      check(!strict, "strict reading fails when lenient reading throws");
      continue;
    }
    for (const orbits::ElementSet& es : lenient->sets) check_set(es);
    for (const orbits::RecordIssue& i : lenient->rejected) {
      check(!i.message.empty() && i.where.file == "fuzz.omm", "issues say what and where");
    }
    check(lenient->warnings.empty(), "the OMM reader gives no warnings");
    check(strict.has_value() == lenient->rejected.empty(), "strict fails exactly when lenient rejects");
    if (strict) check(strict->sets == lenient->sets, "strict and lenient give the same sets");
  }
  return 0;
}
