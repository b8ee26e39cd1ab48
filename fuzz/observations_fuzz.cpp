// Fuzz target: the observations reader of skyfence locate (detection::parse_observations). Every input
// must either give the terminals or throw InputError with a message, and:
//  - every terminal has a non-empty id and at least one observation, ids are distinct;
//  - each terminal's observations are in time order, with catalog numbers in 1..999999999 and the
//    line they were read from (>= 2: after the header);
//  - an InputErrors lists at least one problem, each with a message and the source's name;
//  - reading the same input again gives the same observations (no hidden state).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "skyfence/detection/observations.h"

using namespace skyfence;
using skyfence::fuzz::check;

namespace {

std::optional<std::vector<detection::ObservedTerminal>> read(std::string_view text) {
  try {
    return detection::parse_observations(text, "fuzz.csv");
  } catch (const InputErrors& e) {
    fuzz::check_message(e);
    check(!e.issues().empty(), "InputErrors lists at least one problem");
    for (const InputError& i : e.issues()) {
      fuzz::check_message(i);
      check(i.where().file == "fuzz.csv", "each problem names the source");
    }
    return std::nullopt;
  } catch (const InputError& e) {
    fuzz::check_message(e);
    return std::nullopt;
  }
}

bool same(const std::vector<detection::ObservedTerminal>& a,
          const std::vector<detection::ObservedTerminal>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t t = 0; t < a.size(); ++t) {
    if (a[t].id != b[t].id || a[t].observations.size() != b[t].observations.size()) return false;
    for (std::size_t i = 0; i < a[t].observations.size(); ++i) {
      const auto& x = a[t].observations[i];
      const auto& y = b[t].observations[i];
      if (!(x.at == y.at) || x.norad_id != y.norad_id || x.line != y.line) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto terminals = read(text);
  if (!terminals) return 0;
  check(!terminals->empty(), "at least one terminal");
  std::set<std::string> ids;
  for (const detection::ObservedTerminal& t : *terminals) {
    check(!t.id.empty(), "terminal ids are not empty");
    check(ids.insert(t.id).second, "terminal ids are distinct");
    check(!t.observations.empty(), "every terminal has an observation");
    for (std::size_t i = 0; i < t.observations.size(); ++i) {
      const detection::Observation& o = t.observations[i];
      check(o.norad_id >= 1 && o.norad_id <= 999'999'999, "catalog numbers in range");
      check(o.line >= 2, "observations come after the header");
      if (i > 0) check(!(o.at < t.observations[i - 1].at), "observations in time order");
    }
  }
  const auto again = read(text);
  check(again && same(*terminals, *again), "the same input gives the same observations");
  return 0;
}
