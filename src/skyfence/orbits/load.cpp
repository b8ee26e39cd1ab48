// The one satellite loader; see load.h.
#include "skyfence/orbits/load.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "skyfence/core/error.h"
#include "skyfence/orbits/omm.h"
#include "skyfence/orbits/presets.h"
#include "skyfence/orbits/tle.h"

namespace skyfence::orbits {
namespace {

// The most digits a NORAD catalog number has (OMM's NORAD_CAT_ID; a TLE's Alpha-5 stops at 339999).
constexpr std::size_t kMaxNoradDigits = 9;

// Reads the source's catalog (a preset is generated at `first`) and sets out.source.
Catalog read_source(const SatelliteSource& src, time::Instant first, const std::string& data_dir,
                    LoadedSatellites& out) {
  switch (src.kind) {
    case SatelliteSource::Kind::preset: {
      const PresetLibrary lib = load_presets(presets_path(data_dir));
      const Preset& preset = lib.find(src.value);
      out.source = "preset " + preset.id;
      Catalog c;
      c.sets = generate(preset, first).sets;
      return c;
    }
    case SatelliteSource::Kind::catalog:
      out.source = bundled_catalog_path(src.value, data_dir);
      return load_catalog_file(out.source,
                               {.strict = src.strict, .accept_bad_checksums = src.accept_bad_checksums});
    case SatelliteSource::Kind::tle:
      out.source = src.value;
      return read_tle_file(src.value,
                           {.accept_bad_checksums = src.accept_bad_checksums, .strict = src.strict});
    case SatelliteSource::Kind::omm:
      out.source = src.value;
      return read_omm_file(src.value, {.strict = src.strict});
  }
  return {};
}

CatalogSelection selection_of(const SatelliteSource& src) {
  CatalogSelection sel;
  sel.payloads_only = !src.all_objects;
  for (const std::string& s : src.satellites) {
    if (const std::optional<std::uint32_t> id = parse_norad_id(s, src.selector_option)) {
      sel.norad_ids.push_back(*id);
    } else {
      sel.names.push_back(s);
    }
  }
  return sel;
}

// Counts the stale epochs and SGP4 initialisation failures of the selected sets.
void check_sets(time::Instant first, time::Instant last, LoadedSatellites& out) {
  for (const ElementSet& es : out.sets) {
    if (is_stale_epoch(es.epoch, first, last)) {
      ++out.stale_epochs;
      const double days =
          std::max(std::abs((first - es.epoch).to_days()), std::abs((last - es.epoch).to_days()));
      out.worst_stale_days = std::max(out.worst_stale_days, days);
    }
    const Sgp4Record rec = sgp4_init(es);
    if (rec.init_error != Sgp4Error::none)
      out.sgp4_init_failures.push_back({es.norad_id, es.name, rec.init_error});
  }
}

template <class Issues, class Describe>
void list(const Issues& issues, std::size_t max_listed, const char* more, Describe describe,
          std::vector<std::string>& lines) {
  for (std::size_t i = 0; i < issues.size(); ++i) {
    if (i == max_listed) {
      lines.push_back("... and " + std::to_string(issues.size() - max_listed) + " more " + more);
      break;
    }
    lines.push_back(describe(issues[i]));
  }
}

}  // namespace

bool is_stale_epoch(time::Instant epoch, time::Instant first, time::Instant last) {
  return std::abs((first - epoch).to_days()) > kStaleEpochDays ||
         std::abs((last - epoch).to_days()) > kStaleEpochDays;
}

std::optional<std::uint32_t> parse_norad_id(std::string_view text, std::string_view option) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  if (text.size() > kMaxNoradDigits) {
    throw InputError(
        SourceLocation{std::string(option), 0, {}},
        "expected a NORAD catalog number of at most 9 digits, got \"" + std::string(text) + "\"");
  }
  std::uint32_t id = 0;
  for (char c : text) id = id * 10 + static_cast<std::uint32_t>(c - '0');
  return id;
}

LoadedSatellites load_satellites(const SatelliteSource& source, time::Instant first, time::Instant last,
                                 const std::string& data_dir) {
  LoadedSatellites out;
  const CatalogSelection selection = selection_of(source);  // bad selectors fail before reading
  Catalog catalog = read_source(source, first, data_dir, out);
  out.rejected = catalog.rejected;
  out.accepted_with_warning = catalog.warnings;
  out.records_read = catalog.sets.size();
  if (catalog.sets.empty())
    throw InputError(SourceLocation{out.source, 0, {}}, "expected at least one element set, found none");

  std::vector<CatalogInput> inputs;
  inputs.push_back({out.source, std::move(catalog)});
  SelectedCatalog chosen;
  try {
    chosen = select_satellites(std::move(inputs), selection);
  } catch (const InputError& e) {
    throw InputError(SourceLocation{source.selector_option, 0, {}}, e.detail());
  }
  for (DroppedObject& d : chosen.dropped)
    (d.duplicate ? out.duplicates : out.non_payloads).push_back(std::move(d));
  if (chosen.sets.empty()) throw InputError(SourceLocation{out.source, 0, {}}, "no element set selected");
  out.sets = std::move(chosen.sets);
  check_sets(first, last, out);
  return out;
}

std::vector<std::string> load_warnings(const LoadedSatellites& l, const LoadWarningOptions& o) {
  std::vector<std::string> lines;
  const auto issue = [](const RecordIssue& r) { return r.to_string(); };
  list(l.accepted_with_warning, o.max_listed, "warnings", issue, lines);
  list(
      l.rejected, o.max_listed, "records skipped",
      [](const RecordIssue& r) { return r.to_string() + " (record skipped)"; }, lines);
  if (!l.rejected.empty()) {
    lines.push_back(l.source + ": " + std::to_string(l.rejected.size()) + " record(s) skipped, " +
                    std::to_string(l.records_read) + " loaded" +
                    (o.mention_options ? "; use --strict to fail instead" : ""));
  }
  std::vector<const DroppedObject*> left_out;
  for (const auto& d : l.non_payloads) left_out.push_back(&d);
  for (const auto& d : l.duplicates) left_out.push_back(&d);
  list(
      left_out, o.max_listed, "objects left out",
      [&](const DroppedObject* d) {
        return l.source + ": left out NORAD " + std::to_string(d->norad_id) + " " + d->name + ": " +
               d->reason;
      },
      lines);
  if (!left_out.empty()) {
    lines.push_back(l.source + ": " + std::to_string(left_out.size()) + " object(s) left out in all" +
                    (o.mention_options ? " (use --all-objects to keep debris and rocket bodies)" : ""));
  }
  if (l.stale_epochs > 0) {
    lines.push_back(l.source + ": " + std::to_string(l.stale_epochs) + " element set(s) more than " +
                    std::to_string(static_cast<int>(kStaleEpochDays)) + " days from the window (up to " +
                    std::to_string(static_cast<long>(std::floor(l.worst_stale_days))) +
                    " days); SGP4 errors grow by roughly 1-3 km a day away from epoch");
  }
  list(
      l.sgp4_init_failures, o.max_listed, "SGP4 initialisation failures",
      [&](const Sgp4InitFailure& f) {
        return l.source + ": NORAD " + std::to_string(f.norad_id) + " " + f.name +
               ": SGP4 cannot initialise (" + std::string(describe(f.error)) + "); it is never in view";
      },
      lines);
  return lines;
}

}  // namespace skyfence::orbits
