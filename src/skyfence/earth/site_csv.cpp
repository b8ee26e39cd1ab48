// Sites from CSV. The file is first split into records (internal/csv_records.h); the header then maps
// columns by name, and each row is checked on its own so one bad row never hides the others.
#include <string>
#include <vector>

#include "skyfence/earth/csv_records.h"
#include "skyfence/earth/internal/site_fields.h"
#include "skyfence/earth/site.h"

namespace skyfence::earth::internal {

namespace {

constexpr std::size_t kNone = SiteColumns::kNone;
using Columns = SiteColumns;

std::string column_list(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += quote(n);
  }
  return out;
}

}  // namespace

std::size_t SiteColumns::find(std::string_view want) const {
  const std::string low = lower_ascii(want);
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (lower_ascii(names[k]) == low) return k;
  }
  return kNone;
}

Columns read_site_header(const CsvRecord& header, std::string_view source, const SiteReadOptions& options) {
  const auto fail = [&](const std::string& message) {
    throw InputError(SourceLocation{std::string(source), header.line, "header"}, message);
  };
  if (!header.error.empty()) fail(header.error);
  Columns cols;
  std::vector<std::string> lowered;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    const std::string_view name = trim(header.fields[k]);
    if (const std::string bad = utf8_problem(name); !bad.empty()) {
      fail("column " + std::to_string(k + 1) + ": expected a UTF-8 column name, found " + bad);
    }
    if (name.empty())
      fail("column " + std::to_string(k + 1) + ": expected a column name, found an empty one");
    std::string low = lower_ascii(name);
    for (std::size_t j = 0; j < k; ++j) {
      if (lowered[j] == low) {
        fail("expected each column once, found " + quote(name) + " as columns " + std::to_string(j + 1) +
             " and " + std::to_string(k + 1));
      }
    }
    lowered.push_back(std::move(low));
    cols.names.emplace_back(name);
  }
  const auto find = [&](std::string_view want) {
    const std::string low = lower_ascii(want);
    for (std::size_t k = 0; k < lowered.size(); ++k) {
      if (lowered[k] == low) return k;
    }
    return kNone;
  };
  const auto require = [&](std::string_view want, const char* why) {
    const std::size_t k = find(want);
    if (k == kNone) {
      fail("expected a column named " + quote(want) + why + ", found columns " + column_list(cols.names));
    }
    return k;
  };
  cols.id = require("id", "");
  cols.lat = require("lat_deg", "");
  cols.lon = require("lon_deg", "");
  cols.alt = find("alt_m");
  if (!options.name_column.empty()) {
    cols.name = require(options.name_column, " (the name column asked for)");
  } else {
    for (const std::string_view candidate : kNameColumns) {
      cols.name = find(candidate);
      if (cols.name != kNone) break;
    }
  }
  return cols;
}

Site read_site_row(const CsvRecord& rec, const Columns& cols, std::string_view source) {
  const auto where = [&](std::size_t k) {
    return SourceLocation{std::string(source), rec.line,
                          k < cols.names.size() ? cols.names[k] : std::string()};
  };
  if (!rec.error.empty()) throw InputError(where(rec.error_field), rec.error);
  if (rec.fields.size() != cols.names.size()) {
    throw InputError(where(rec.fields.size() < cols.names.size() ? rec.fields.size() : kNone),
                     "expected " + std::to_string(cols.names.size()) + " fields as in the header, found " +
                         std::to_string(rec.fields.size()));
  }
  for (std::size_t k = 0; k < rec.fields.size(); ++k) {
    if (const std::string bad = utf8_problem(rec.fields[k]); !bad.empty()) {
      throw InputError(where(k), "expected UTF-8 text, found " + bad);
    }
  }
  Site site;
  site.id = std::string(trim(rec.fields[cols.id]));
  if (site.id.empty()) throw InputError(where(cols.id), "expected a non-empty id, found an empty value");
  if (cols.name != kNone) site.name = std::string(trim(rec.fields[cols.name]));
  if (site.name.empty()) site.name = site.id;

  const double lat = parse_number(rec.fields[cols.lat], Unit::degrees, where(cols.lat));
  check_latitude(lat, quote(trim(rec.fields[cols.lat])), where(cols.lat));
  const double lon = parse_number(rec.fields[cols.lon], Unit::degrees, where(cols.lon));
  check_longitude(lon, quote(trim(rec.fields[cols.lon])), where(cols.lon));
  double alt = 0.0;
  if (cols.alt != kNone && !trim(rec.fields[cols.alt]).empty()) {
    alt = parse_number(rec.fields[cols.alt], Unit::metres, where(cols.alt));
    check_altitude(alt, quote(trim(rec.fields[cols.alt])), where(cols.alt));
  }
  site.location = to_geodetic(lat, lon, alt);

  for (std::size_t k = 0; k < rec.fields.size(); ++k) {
    if (k == cols.id || k == cols.name || k == cols.lat || k == cols.lon || k == cols.alt) continue;
    site.attributes.emplace_back(cols.names[k], rec.fields[k]);
  }
  return site;
}

SiteList read_sites_csv(std::string_view text, std::string_view source, const SiteReadOptions& options) {
  CsvSplitter splitter(text);
  CsvRecord rec;
  if (!splitter.next_nonblank(rec)) {
    throw InputError(
        SourceLocation{std::string(source), 0, ""},
        "expected a header row naming the columns (id, lat_deg, lon_deg and others), found an empty file");
  }
  const Columns cols = read_site_header(rec, source, options);
  if (const std::size_t t = cols.find("time_utc"); t != SiteColumns::kNone) {
    throw InputError(
        SourceLocation{std::string(source), rec.line, cols.names[t]},
        "expected fixed sites, found a time_utc column: this file holds trajectories (moving "
        "terminals), which `skyfence check` and `skyfence enforcement` take; this input takes fixed "
        "sites only");
  }

  SiteCollector collector(options, source);
  while (splitter.next_nonblank(rec)) {
    try {
      Site site = read_site_row(rec, cols, source);
      collector.accept(std::move(site), SourceLocation{std::string(source), rec.line, cols.names[cols.id]},
                       "line " + std::to_string(rec.line));
    } catch (const InputError& e) {
      collector.reject(e);
    }
  }
  return collector.take();
}

}  // namespace skyfence::earth::internal
