// Bundled catalogs, file loading by extension, selection and non-payload filtering.
#include "skyfence/orbits/catalog_select.h"

#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <utility>

#include "skyfence/core/error.h"
#include "skyfence/orbits/omm.h"
#include "skyfence/orbits/tle.h"

namespace skyfence::orbits {

namespace {

constexpr std::array<BundledCatalog, 7> kBundled{{
    {"starlink", "tle/starlink_2026-04-27.tle", "CelesTrak Starlink group, TLE, 2026-04-27"},
    {"starlink-omm", "tle/starlink_2026-03-26.omm.json", "CelesTrak Starlink group, OMM JSON, 2026-03-26"},
    {"oneweb", "tle/oneweb_2026-03-26.tle", "CelesTrak OneWeb group, TLE, 2026-03-26"},
    {"iridium", "tle/iridium-next_2026-04-27.tle", "CelesTrak Iridium NEXT group, TLE, 2026-04-27"},
    {"kuiper", "tle/kuiper_2026-03-29.tle", "CelesTrak Kuiper group, TLE, 2026-03-29"},
    {"starlink-2024-07-16", "tle/starlink_2024-07-16.tle", "CelesTrak Starlink group, TLE, 2024-07-16"},
    {"starlink-2025-09-01", "tle/starlink_2025-09-01.tle", "CelesTrak Starlink group, TLE, 2025-09-01"},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/';
}

bool name_matches(const std::string& selector, const std::string& name) {
  if (selector.find_first_of("*?[") != std::string::npos) {
    return ::fnmatch(selector.c_str(), name.c_str(), FNM_CASEFOLD) == 0;
  }
  return lower(selector) == lower(name);
}

std::string describe_epoch_source(const std::string& source) {
  return source.empty() ? "another input" : source;
}

// The element sets of every input in input order, each with the source it came from.
struct Pooled {
  std::vector<ElementSet> sets;
  std::vector<std::string> sources;
};

// Pools the inputs' element sets, moving their rejected records and warnings to `out` and, with
// payloads_only, each non-payload to `dropped`.
Pooled pool_inputs(std::vector<CatalogInput>& inputs, bool payloads_only, SelectedCatalog& out,
                   std::vector<DroppedObject>& dropped) {
  Pooled all;
  for (CatalogInput& in : inputs) {
    out.rejected.insert(out.rejected.end(), in.catalog.rejected.begin(), in.catalog.rejected.end());
    out.warnings.insert(out.warnings.end(), in.catalog.warnings.begin(), in.catalog.warnings.end());
    for (ElementSet& es : in.catalog.sets) {
      if (payloads_only) {
        if (std::optional<std::string> why = non_payload_reason(es.name)) {
          dropped.push_back(DroppedObject{es.norad_id, es.name, in.source, std::move(*why)});
          continue;
        }
      }
      all.sets.push_back(std::move(es));
      all.sources.push_back(in.source);
    }
  }
  return all;
}

// One element set per NORAD id: the latest epoch wins, the first of equal epochs. Returns which are
// kept; each other one goes to `dropped` as a duplicate.
std::vector<bool> latest_per_norad_id(const Pooled& all, std::vector<DroppedObject>& dropped) {
  std::map<std::uint32_t, std::size_t> best;
  for (std::size_t i = 0; i < all.sets.size(); ++i) {
    const auto [it, inserted] = best.try_emplace(all.sets[i].norad_id, i);
    if (!inserted && all.sets[i].epoch > all.sets[it->second].epoch) it->second = i;
  }
  std::vector<bool> keep(all.sets.size(), false);
  for (const auto& [id, i] : best) keep[i] = true;
  for (std::size_t i = 0; i < all.sets.size(); ++i) {
    if (keep[i]) continue;
    const std::size_t w = best.at(all.sets[i].norad_id);
    dropped.push_back(DroppedObject{all.sets[i].norad_id, all.sets[i].name, all.sources[i],
                                    "duplicate NORAD id: the element set from " +
                                        describe_epoch_source(all.sources[w]) +
                                        " (same or later epoch) is kept",
                                    true});
  }
  return keep;
}

// Which of the kept element sets the selectors (name patterns, NORAD ids) choose; all of them when there
// is no selector. A selector that matches nothing is an error, which says so when it matched only
// objects left out.
std::vector<bool> apply_selectors(const Pooled& all, const std::vector<bool>& keep,
                                  const CatalogSelection& selection,
                                  const std::vector<DroppedObject>& dropped) {
  const bool select_all = selection.names.empty() && selection.norad_ids.empty();
  std::vector<bool> chosen(all.sets.size(), select_all);
  if (select_all) return chosen;
  const auto unmatched = [&](const std::string& what, const auto& matches_dropped) {
    const bool only_dropped = std::any_of(dropped.begin(), dropped.end(), matches_dropped);
    throw InputError(SourceLocation{"selection", 0, {}},
                     "no satellite matches " + what +
                         (only_dropped ? " except objects left out (non-payloads or duplicates)" : ""));
  };
  for (const std::string& pattern : selection.names) {
    bool any = false;
    for (std::size_t i = 0; i < all.sets.size(); ++i) {
      if (keep[i] && name_matches(pattern, all.sets[i].name)) {
        chosen[i] = true;
        any = true;
      }
    }
    if (!any) {
      unmatched("\"" + pattern + "\"", [&](const DroppedObject& d) { return name_matches(pattern, d.name); });
    }
  }
  for (const std::uint32_t id : selection.norad_ids) {
    bool any = false;
    for (std::size_t i = 0; i < all.sets.size(); ++i) {
      if (keep[i] && all.sets[i].norad_id == id) {
        chosen[i] = true;
        any = true;
      }
    }
    if (!any) {
      unmatched("NORAD id " + std::to_string(id), [&](const DroppedObject& d) { return d.norad_id == id; });
    }
  }
  return chosen;
}

}  // namespace

std::span<const BundledCatalog> bundled_catalogs() {
  return kBundled;
}

std::string bundled_catalog_path(std::string_view name, const std::string& data_dir) {
  const std::string want = lower(name);
  for (const BundledCatalog& c : kBundled) {
    if (c.name == want) return data_dir + "/" + std::string(c.relative_path);
  }
  std::string known;
  for (const BundledCatalog& c : kBundled) known += (known.empty() ? "" : ", ") + std::string(c.name);
  throw InputError(SourceLocation{"catalog", 0, {}},
                   "no bundled catalog \"" + std::string(name) + "\"; known: " + known);
}

Catalog load_catalog_file(const std::string& path, const CatalogLoadOptions& options) {
  const std::string l = lower(path);
  if (ends_with(l, ".json") || ends_with(l, ".csv") || ends_with(l, ".xml")) {
    return read_omm_file(path, {.strict = options.strict});
  }
  return read_tle_file(path,
                       {.accept_bad_checksums = options.accept_bad_checksums, .strict = options.strict});
}

std::optional<std::string> non_payload_reason(std::string_view name) {
  std::size_t i = 0;
  while (i < name.size()) {
    if (!is_word_char(name[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < name.size() && is_word_char(name[j])) ++j;
    std::string word(name.substr(i, j - i));
    for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (word == "DEB" || word == "DEBRIS") return "debris (\"" + word + "\")";
    if (word == "R/B") return "rocket body (\"R/B\")";
    if (word == "AKM" || word == "PKM") return "kick motor (\"" + word + "\")";
    i = j;
  }
  return std::nullopt;
}

std::optional<EpochSpread> epoch_spread(std::span<const ElementSet> sets) {
  if (sets.empty()) return std::nullopt;
  std::vector<time::Instant> epochs;
  epochs.reserve(sets.size());
  for (const ElementSet& es : sets) epochs.push_back(es.epoch);
  const std::size_t mid = epochs.size() / 2;  // the upper middle for an even count
  std::nth_element(epochs.begin(), epochs.begin() + static_cast<std::ptrdiff_t>(mid), epochs.end());
  const time::Instant median = epochs[mid];
  const auto [lo, hi] = std::minmax_element(epochs.begin(), epochs.end());
  return EpochSpread{*lo, median, *hi};
}

CatalogSummary summarize(const Catalog& catalog) {
  CatalogSummary s;
  s.satellites = catalog.sets.size();
  s.rejected = catalog.rejected.size();
  s.warnings = catalog.warnings.size();
  s.epochs = epoch_spread(catalog.sets);
  return s;
}

SelectedCatalog select_satellites(std::vector<CatalogInput> inputs, const CatalogSelection& selection) {
  SelectedCatalog out;
  std::vector<DroppedObject> dropped;
  Pooled all = pool_inputs(inputs, selection.payloads_only, out, dropped);
  const std::vector<bool> keep = latest_per_norad_id(all, dropped);
  const std::vector<bool> chosen = apply_selectors(all, keep, selection, dropped);

  std::size_t not_selected = 0;
  for (std::size_t i = 0; i < all.sets.size(); ++i) {
    if (!keep[i]) continue;
    if (!chosen[i]) {
      ++not_selected;
      continue;
    }
    out.sets.push_back(std::move(all.sets[i]));
    out.sources.push_back(std::move(all.sources[i]));
  }
  out.dropped = std::move(dropped);
  out.summary.satellites = out.sets.size();
  out.summary.dropped = out.dropped.size();
  out.summary.not_selected = not_selected;
  out.summary.rejected = out.rejected.size();
  out.summary.warnings = out.warnings.size();
  out.summary.epochs = epoch_spread(out.sets);
  return out;
}

SelectedCatalog load_and_select(const CatalogSelection& selection, const std::string& data_dir) {
  if (selection.groups.empty() && selection.files.empty()) {
    throw InputError(SourceLocation{"selection", 0, {}}, "expected at least one catalog group or file");
  }
  std::vector<CatalogInput> inputs;
  for (const std::string& g : selection.groups) {
    const std::string path = bundled_catalog_path(g, data_dir);
    inputs.push_back(CatalogInput{path, load_catalog_file(path, selection.load)});
  }
  for (const std::string& f : selection.files) {
    inputs.push_back(CatalogInput{f, load_catalog_file(f, selection.load)});
  }
  return select_satellites(std::move(inputs), selection);
}

}  // namespace skyfence::orbits
