// Catalogs as named groups of satellites: the bundled catalog snapshots, loading any TLE/OMM file, choosing
// satellites by name pattern or NORAD id, dropping objects that are not payloads, and summarising what
// was chosen (counts and the epoch spread, which every report states: element sets age).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/orbits/element_set.h"
#include "skyfence/time/instant.h"

namespace skyfence::orbits {

// A catalog bundled under the data directory (data/tle/, see its PROVENANCE.md).
struct BundledCatalog {
  std::string_view name;           // "starlink": the group name used to select it
  std::string_view relative_path;  // "tle/starlink_2026-04-27.tle", under the data directory
  std::string_view description;
};

// starlink, starlink-omm, oneweb, iridium, kuiper, starlink-2024-07-16, starlink-2025-09-01; in that
// order.
std::span<const BundledCatalog> bundled_catalogs();
// DATA_DIR/<relative path> of a bundled catalog; the name is case-insensitive. Throws InputError
// listing the known names when there is none.
std::string bundled_catalog_path(std::string_view name, const std::string& data_dir);

struct CatalogLoadOptions {
  bool strict = false;                // throw at the first bad record. DEFAULT: false (skip and list it)
  bool accept_bad_checksums = false;  // TLE only. DEFAULT: false
};

// Reads a TLE or OMM file, chosen by extension (case-insensitive): .json, .csv, .xml are OMM
// ("x.omm.json" too); .tle, .txt, .3le, .2le and anything else are TLE. Throws InputError when the file
// cannot be opened or (strict) has a bad record.
Catalog load_catalog_file(const std::string& path, const CatalogLoadOptions& options = {});

// Why a name marks an object that is not a payload, or nullopt for a payload. The markers are those of
// the Space-Track/CelesTrak SATCAT naming conventions, matched case-insensitively as whole words
// (bounded by the ends of the name or by characters other than letters, digits and '/'):
//   "DEB", "DEBRIS"     debris          ("COSMOS 2251 DEB", "ISS DEB (SPX-28)", "STARLINK-1234 (DEB)")
//   "R/B"               rocket body     ("CZ-4C R/B", "FALCON 9 R/B"); also followed by "(1)": "DELTA 2
//   R/B(1)" "AKM", "PKM"        apogee/perigee kick motors
// Anything else is kept: unidentified objects ("OBJECT A", "TBA - TO BE ASSIGNED") may be payloads.
std::optional<std::string> non_payload_reason(std::string_view name);

// An element set left out of a selection, and why.
struct DroppedObject {
  std::uint32_t norad_id = 0;
  std::string name;
  std::string source;      // the catalog it came from
  std::string reason;      // "debris (\"DEB\")", "duplicate NORAD id: a newer element set from ..."
  bool duplicate = false;  // left out as a duplicate NORAD id (else as a non-payload)
};

// The epoch spread of a set of element sets. median: the element at index n/2 of the sorted epochs, so
// the upper middle for an even count (an epoch some element set actually has; data/tle/PROVENANCE.md
// states its medians the same way).
struct EpochSpread {
  time::Instant min, median, max;
};
std::optional<EpochSpread> epoch_spread(std::span<const ElementSet> sets);  // nullopt when empty

struct CatalogSummary {
  std::size_t satellites = 0;         // selected
  std::size_t dropped = 0;            // non-payloads and duplicates left out
  std::size_t not_selected = 0;       // payloads no selector matched
  std::size_t rejected = 0;           // bad records the readers skipped
  std::size_t warnings = 0;           // records accepted with a warning
  std::optional<EpochSpread> epochs;  // of the selected sets
};

struct CatalogSelection {
  std::vector<std::string> groups{};  // bundled catalog names ("starlink", "oneweb"...), case-insensitive
  std::vector<std::string> files{};   // TLE/OMM files (load_catalog_file)
  // Which satellites to keep; empty names and norad_ids: all. Otherwise a set is kept when it matches any
  // of them. A name is a shell-style pattern (fnmatch: '*', '?', '[...]'), matched case-insensitively
  // against the whole name; a name without wildcards is an exact, case-insensitive name. A selector that
  // matches nothing is an InputError (a typo should not silently select nothing).
  std::vector<std::string> names{};
  std::vector<std::uint32_t> norad_ids{};
  bool payloads_only = true;  // drop non_payload_reason() objects. DEFAULT: true
  CatalogLoadOptions load{};
};

struct SelectedCatalog {
  std::vector<ElementSet> sets;        // in input order (groups, then files)
  std::vector<std::string> sources;    // sources[i]: the file sets[i] came from
  std::vector<DroppedObject> dropped;  // non-payloads and duplicates
  std::vector<RecordIssue> rejected;   // from the readers
  std::vector<RecordIssue> warnings;   // from the readers
  CatalogSummary summary;
};

// One input of select_satellites: element sets and the name of the catalog they came from.
struct CatalogInput {
  std::string source;
  Catalog catalog;
};

// Applies a selection to catalogs already read (CatalogSelection::groups and files are ignored).
// Steps, in order: (1) non-payloads dropped (when payloads_only); (2) one element set per NORAD id: the
// one with the latest epoch is kept (the first of equal epochs), the others are dropped as duplicates;
// (3) name and id selectors applied. Throws InputError naming a selector that matches nothing (saying so
// when it matched only dropped objects).
SelectedCatalog select_satellites(std::vector<CatalogInput> inputs, const CatalogSelection& selection);
// Reads the selection's groups (under data_dir) and files, then applies it as above. Throws InputError
// when neither groups nor files are given.
SelectedCatalog load_and_select(const CatalogSelection& selection, const std::string& data_dir);

CatalogSummary summarize(const Catalog& catalog);

}  // namespace skyfence::orbits
