// Constellation presets: the published shell parameters of LEO broadband systems, read from
// data/constellations/shells.json (see its PROVENANCE.md), and their Walker layouts.
//
// The file publishes altitude, inclination, planes and satellites per plane per shell, with the sources
// each number comes from; a value no source gives is null. A shell with only a total published
// (Telesat's 2025 request) is kept, listed and counted, but cannot be generated: generate() says so
// instead of inventing planes or an inclination.
//
// What the file rarely publishes is the Walker layout, so skyfence decides it, shell by shell, by these
// rules (the choice and its reason are recorded in PresetShell::layout_note):
//  - pattern: an explicit raan_spacing_deg of 360/planes means delta, any other value a star with that
//    step (Iridium 31.6, OneWeb 2016 10.2 degrees). Without one, a near-polar shell (inclination within
//    5 degrees of 90) is a star over 180 degrees, as OneWeb and Iridium fly (the bundled
//    data/tle/oneweb_2026-03-26.tle shows 12 planes 15 degrees apart spanning 165 degrees); any other
//    shell is a delta over 360 degrees, as every cited simulator generates them.
//  - phasing F: the file's walker_F when given (Kuiper: hermes, from the filing's tables); else an
//    interplane_phase_deg converted to F = phase * total / 360 (OneWeb 2016: 4.5 degrees -> F = 9);
//    else the per-preset choice documented in presets.cpp (kPhasingChoices), e.g. Starlink: adjacent
//    planes offset half a slot (F = planes/2) after Hypatia's PHASE_DIFF=True and LEOCraft's 50% offset,
//    rather than StarPerf's F = 1 or hermes's 0; Telesat: hermes's per-plane offsets (F = 1 polar,
//    F = 24 inclined); Iridium: half a slot (SaVi). A shell no rule covers gets F = 0, said so in its note.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/orbits/walker.h"
#include "skyfence/time/instant.h"

namespace skyfence::orbits {

// One cited source of the shells file ("sources" object): a repository at a commit, or a web page.
struct PresetSource {
  std::string key;   // "hypatia"
  std::string repo;  // "snkas/hypatia" (empty for a web page)
  std::string commit;
  std::vector<std::string> paths;
  std::string url;  // web pages only
  std::string license;
  std::string cites;  // what the source itself cites (filings)
};

struct PresetShell {
  std::string name;  // "Gen1 shell 1"
  double altitude_km = 0.0;
  // As published; nullopt where the file has null (not published in the cited sources).
  std::optional<double> inclination_deg;
  std::optional<int> planes;
  std::optional<int> sats_per_plane;
  int total = 0;                           // always published; equals planes * sats_per_plane when both are
  std::optional<int> walker_f;             // "walker_F"
  std::optional<double> raan_spacing_deg;  // "raan_spacing_deg"
  std::optional<double> interplane_phase_deg;     // "interplane_phase_deg"
  std::optional<double> mean_motion_rev_per_day;  // as quoted by a source (informational; not used)
  std::string phasing;                            // the file's "phasing" remark (what the sources say)
  std::string note;                               // the file's "note"
  std::string fcc_status;                         // the file's "fcc_status"
  std::vector<std::string> sources;               // keys into PresetLibrary::sources

  // The Walker layout skyfence uses (see the rules above); nullopt when the shell cannot be generated.
  std::optional<WalkerShell> layout;
  // Why the layout is what it is (pattern, RAAN step and phasing, with their sources), or why there is
  // none ("only a total of 156 satellites is published: planes, ... are not").
  std::string layout_note;

  [[nodiscard]] bool can_generate() const { return layout.has_value(); }
};

struct Preset {
  std::string id;             // "starlink_gen1"
  std::string system;         // "Starlink Gen1"
  std::string operator_name;  // "SpaceX" (the file's "operator")
  std::string filing;         // may be empty
  std::vector<PresetShell> shells;
  std::vector<PresetSource> sources;  // the sources its shells cite, in order of first citation

  [[nodiscard]] int total() const;          // sum of the shells' published totals
  [[nodiscard]] bool can_generate() const;  // every shell can
};

struct PresetLibrary {
  std::string file;             // where it was read from
  std::vector<Preset> presets;  // in file order
  std::vector<PresetSource> sources;

  // The preset with this id; case-insensitive, '-' and '_' equivalent ("Starlink-Gen1"). Throws
  // InputError naming the known ids when there is none.
  [[nodiscard]] const Preset& find(std::string_view id) const;
};

// Path of the bundled shells file under a data directory: DATA_DIR/constellations/shells.json.
std::string presets_path(const std::string& data_dir);

// Parses a shells file. Throws InputError located at `source`: the line for a JSON syntax error, the
// field path ("constellations[3].shells[1].planes") and what was expected for a bad value.
PresetLibrary parse_presets(std::string_view text, std::string_view source);
PresetLibrary load_presets(const std::string& path);

struct GenerateOptions {
  // NORAD id of the first satellite. DEFAULT: kFirstSyntheticNoradId (see walker.h).
  std::uint32_t first_norad_id = kFirstSyntheticNoradId;
};

// The preset's satellites at `epoch`, shells in file order, named "<ID>-<shell>-<plane>-<slot>" with the
// preset id upper-cased ("KUIPER-0-00-00"). Throws InputError located at the preset id and shell name
// when a shell cannot be generated, saying what is not published (its layout_note).
GeneratedConstellation generate(const Preset& preset, time::Instant epoch,
                                const GenerateOptions& options = {});

}  // namespace skyfence::orbits
