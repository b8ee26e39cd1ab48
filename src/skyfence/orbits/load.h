// Loading the satellites of one source (a bundled catalog, a TLE or OMM file, or a constellation
// preset) and choosing among them, with everything that was left out on the way: the one loader of the
// CLI commands and the scenario runner, so that every command reads, filters and warns the same way.
//
// Decisions:
//  - Nothing is printed here. load_satellites() returns the element sets and every issue met;
//    load_warnings() turns them into the sentences every command prints (the CLI prefixes them with
//    "skyfence: warning: ", the scenario runner passes them to its warn callback).
//  - The stale-epoch rule lives in one function, is_stale_epoch().
//  - The data directory is an argument (no global), as everywhere in the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/orbits/catalog_select.h"
#include "skyfence/orbits/element_set.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/time/instant.h"

namespace skyfence::orbits {

// Element sets whose epoch lies more than this many days from either end of the time window asked for
// are stale: SGP4's error grows by roughly 1-3 km a day away from epoch.
inline constexpr double kStaleEpochDays = 14.0;

// True when `epoch` lies more than kStaleEpochDays from `first` or from `last` (the window's ends;
// first == last for a single instant). Exact at the boundary: 14 days exactly is not stale.
bool is_stale_epoch(time::Instant epoch, time::Instant first, time::Instant last);

// A --satellite selector read as a NORAD catalog number: nullopt when `text` is not all digits (a name
// or pattern); the number when it has 1 to 9 digits. Throws InputError located at `option` (e.g.
// "--satellite") for a digit string longer than 9 digits, which no catalog number can have.
std::optional<std::uint32_t> parse_norad_id(std::string_view text, std::string_view option);

// Where the satellites come from and which of them to keep.
struct SatelliteSource {
  enum class Kind { catalog, tle, omm, preset };
  Kind kind = Kind::catalog;
  // The bundled catalog's name ("starlink", case-insensitive), the TLE or OMM file path, or the
  // preset id (data/constellations/shells.json). REQUIRES: not empty.
  std::string value;
  bool all_objects = false;  // keep debris, rocket bodies and kick motors. DEFAULT: false (left out)
  // Which satellites to keep: NORAD ids (digits, see parse_norad_id) or names and shell-style patterns
  // (CatalogSelection::names). DEFAULT: empty, all. A selector that matches nothing is an InputError.
  std::vector<std::string> satellites{};
  std::string selector_option = "--satellite";  // names the selectors in errors
  bool strict = false;                          // throw at the first bad record. DEFAULT: false
  bool accept_bad_checksums = false;            // TLE: accept a wrong line checksum, with a warning
};

// An element set SGP4 cannot initialise (kept in `sets`: the engines treat it as never in view).
struct Sgp4InitFailure {
  std::uint32_t norad_id = 0;
  std::string name;
  Sgp4Error error = Sgp4Error::none;
};

// The satellites of one source, and everything left out or doubtful on the way.
struct LoadedSatellites {
  std::string source;                               // for messages: the file path, or "preset ID"
  std::vector<ElementSet> sets;                     // selected, in catalog order (a preset: its order)
  std::size_t records_read = 0;                     // element sets the reader accepted, before selection
  std::vector<RecordIssue> rejected;                // bad records skipped by the reader, located
  std::vector<RecordIssue> accepted_with_warning;   // e.g. a bad checksum with accept_bad_checksums
  std::vector<DroppedObject> non_payloads;          // debris, rocket bodies, kick motors left out
  std::vector<DroppedObject> duplicates;            // older element sets of a NORAD id left out
  std::size_t stale_epochs = 0;                     // selected sets with is_stale_epoch() over the window
  double worst_stale_days = 0.0;                    // the largest |epoch - window end| among them, days
  std::vector<Sgp4InitFailure> sgp4_init_failures;  // selected sets whose sgp4_init fails
};

// Reads `source` and applies its selection, for use over the window [first, last] (a preset is
// generated with its epoch at `first`; stale epochs are counted against both ends). `data_dir` holds
// the bundled catalogs and presets. REQUIRES: first <= last.
// Steps, as orbits::select_satellites: non-payloads left out (unless all_objects), one element set per
// NORAD id (the latest epoch), then the selectors. Throws InputError when the source cannot be read,
// (strict) at its first bad record, when it holds no element set, naming a selector that matches
// nothing (at `selector_option`), and when nothing is selected.
// Cost: reading and parsing the file, plus one sgp4_init per selected set (about 1 us each).
LoadedSatellites load_satellites(const SatelliteSource& source, time::Instant first, time::Instant last,
                                 const std::string& data_dir);

// How load_warnings() words its sentences.
struct LoadWarningOptions {
  std::size_t max_listed = 20;  // issues of one kind listed one by one; the rest are counted
  // Name the CLI options that change the outcome (--strict, --all-objects). DEFAULT: true; the
  // scenario runner, which has no such options, sets false.
  bool mention_options = true;
};

// The warnings of a load, one sentence each, without a prefix, in this order: records accepted with a
// warning, records skipped (and their count), objects left out (non-payloads, then duplicates, and
// their count), stale element sets, SGP4 initialisation failures. Empty when nothing is worth saying.
std::vector<std::string> load_warnings(const LoadedSatellites& loaded,
                                       const LoadWarningOptions& options = {});

}  // namespace skyfence::orbits
