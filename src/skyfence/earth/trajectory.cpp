// Trajectories: readers (CSV rows per sample, GeoJSON LineStrings with times), interpolation along
// great circles and speeds.
#include "skyfence/earth/trajectory.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "skyfence/core/read_file.h"
#include "skyfence/earth/csv_records.h"
#include "skyfence/earth/internal/geojson_text.h"
#include "skyfence/earth/internal/site_feature.h"
#include "skyfence/earth/internal/site_fields.h"
#include "skyfence/time/scales.h"

namespace skyfence::earth {

namespace {

struct Normal {
  double x, y, z;
};

Normal normal_of(const frames::Geodetic& g) {
  const double c = std::cos(g.lat_rad);
  return {c * std::cos(g.lon_rad), c * std::sin(g.lon_rad), std::sin(g.lat_rad)};
}

// The angle between two unit normals, radians, in [0, pi] (atan2 form: accurate for tiny and for
// nearly antipodal angles alike).
double angle_between(const Normal& a, const Normal& b) {
  const double cx = a.y * b.z - a.z * b.y;
  const double cy = a.z * b.x - a.x * b.z;
  const double cz = a.x * b.y - a.y * b.x;
  return std::atan2(std::sqrt(cx * cx + cy * cy + cz * cz), a.x * b.x + a.y * b.y + a.z * b.z);
}

// Consecutive samples closer to antipodal than this have no defined great circle between them.
constexpr double kAntipodalMarginRad = 1e-9;

double hours_between(time::Instant a, time::Instant b) {
  return (b - a).to_seconds() / 3600.0;
}

std::string format_kmh(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// The checks of one terminal's consecutive samples; `where_of(k)` locates sample k.
template <typename WhereOf>
void check_samples(const Track& t, const TrackReadOptions& options, const WhereOf& where_of,
                   std::vector<InputError>& problems) {
  for (std::size_t k = 1; k < t.samples.size(); ++k) {
    const TrackSample& a = t.samples[k - 1];
    const TrackSample& b = t.samples[k];
    if (b.time <= a.time) {
      problems.emplace_back(where_of(k, "time"), "expected a time after the previous sample of terminal \"" +
                                                     t.id + "\" (" + time::format_iso8601(a.time, 3) +
                                                     "), found " + time::format_iso8601(b.time, 3));
      continue;
    }
    const double angle = angle_between(normal_of(a.location), normal_of(b.location));
    if (angle > std::numbers::pi - kAntipodalMarginRad) {
      problems.emplace_back(where_of(k, "position"),
                            "expected a position not antipodal to the previous sample (no great circle joins "
                            "them), found one");
      continue;
    }
    const double speed = angle * kMeanEarthRadiusKm / hours_between(a.time, b.time);
    if (speed > options.max_speed_kmh) {
      problems.emplace_back(where_of(k, "position"), "expected at most " + format_kmh(options.max_speed_kmh) +
                                                         " km/h from the previous sample of terminal \"" +
                                                         t.id + "\", found " + format_kmh(speed) + " km/h (" +
                                                         format_kmh(angle * kMeanEarthRadiusKm) + " km in " +
                                                         time::format_duration(b.time - a.time) + ")");
    }
  }
}

[[noreturn]] void throw_problems(std::string_view source, std::vector<InputError>& problems) {
  std::stable_sort(problems.begin(), problems.end(),
                   [](const InputError& a, const InputError& b) { return a.where().line < b.where().line; });
  std::string message = std::to_string(problems.size()) + " problem" + (problems.size() == 1 ? "" : "s") +
                        " in " + std::string(source) + ":";
  for (const InputError& e : problems) message += "\n  " + std::string(e.what());
  throw InputErrors(message, std::move(problems));
}

std::vector<Track> read_tracks_csv(std::string_view text, std::string_view source,
                                   const TrackReadOptions& options) {
  using internal::SiteColumns;
  CsvSplitter splitter(text);
  CsvRecord rec;
  if (!splitter.next_nonblank(rec)) {
    throw InputError(
        SourceLocation{std::string(source), 0, ""},
        "expected a header row naming the columns (id, lat_deg, lon_deg, optionally time_utc and "
        "others), found an empty file");
  }
  SiteReadOptions site_options;
  site_options.name_column = options.name_column;
  const SiteColumns cols = internal::read_site_header(rec, source, site_options);
  const std::size_t time_col = cols.find("time_utc");

  std::vector<InputError> problems;
  std::vector<Track> tracks;
  std::unordered_map<std::string, std::size_t> index;  // id -> tracks[]
  std::vector<std::vector<int>> lines;                 // per track, the line of each sample
  while (splitter.next_nonblank(rec)) {
    try {
      Site site = internal::read_site_row(rec, cols, source);
      TrackSample sample{time::Instant{}, site.location};
      if (time_col != SiteColumns::kNone) {
        const std::string_view text_time = internal::trim(rec.fields[time_col]);
        const SourceLocation where{std::string(source), rec.line, cols.names[time_col]};
        if (text_time.empty()) throw InputError(where, "expected an ISO 8601 UTC time, found an empty value");
        try {
          sample.time = time::parse_iso8601(text_time, "time_utc");
        } catch (const InputError& e) {
          throw InputError(where, e.detail());
        }
        std::erase_if(site.attributes, [&](const auto& kv) { return kv.first == cols.names[time_col]; });
      }
      const auto [it, inserted] = index.emplace(site.id, tracks.size());
      if (inserted) {
        Track t;
        t.id = site.id;
        t.name = site.name;
        t.attributes = std::move(site.attributes);
        t.samples.push_back(sample);
        tracks.push_back(std::move(t));
        lines.push_back({rec.line});
        continue;
      }
      Track& t = tracks[it->second];
      const int first_line = lines[it->second].front();
      if (time_col == SiteColumns::kNone) {
        throw InputError(SourceLocation{std::string(source), rec.line, cols.names[cols.id]},
                         "expected a unique id (a file without time_utc lists fixed sites), found \"" +
                             site.id + "\" again (first at line " + std::to_string(first_line) + ")");
      }
      // A terminal's attributes are the same on every row; an empty value repeats the first row's.
      for (const auto& [key, value] : site.attributes) {
        const std::string* first = t.attribute(key);
        if (!value.empty() && first != nullptr && *first != value) {
          throw InputError(SourceLocation{std::string(source), rec.line, key},
                           "expected the value of terminal \"" + t.id + "\"'s first row (line " +
                               std::to_string(first_line) + ": " + internal::quote(*first) + "), found " +
                               internal::quote(value));
        }
      }
      t.samples.push_back(sample);
      lines[it->second].push_back(rec.line);
    } catch (const InputError& e) {
      problems.push_back(e);
    }
  }
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const auto where_of = [&](std::size_t k, const char* what) {
      return SourceLocation{std::string(source), lines[i][k],
                            std::string(what) == "time" ? cols.names[time_col] : cols.names[cols.lat]};
    };
    check_samples(tracks[i], options, where_of, problems);
  }
  if (!problems.empty()) throw_problems(source, problems);
  return tracks;
}

// A LineString feature's samples; `fail(path, message)` throws located at the feature.
template <typename Fail>
std::vector<TrackSample> line_samples(const internal::Json& geometry, const internal::Json* props,
                                      const Fail& fail) {
  using internal::describe;
  const auto c = geometry.find("coordinates");
  if (c == geometry.end() || !c->is_array() || c->empty()) {
    fail("geometry.coordinates", "expected an array of [lon_deg, lat_deg(, alt_m)] positions, found " +
                                     (c == geometry.end() ? std::string("none") : describe(*c)));
  }
  const internal::Json* times = nullptr;
  if (props != nullptr) {
    if (const auto t = props->find("times"); t != props->end()) times = &*t;
  }
  if (times == nullptr || !times->is_array()) {
    fail("properties.times", "expected an array of ISO 8601 UTC times, one per vertex, found " +
                                 (times == nullptr ? std::string("none") : describe(*times)));
  }
  if (times->size() != c->size()) {
    fail("properties.times", "expected " + std::to_string(c->size()) + " times (one per vertex), found " +
                                 std::to_string(times->size()));
  }
  std::vector<TrackSample> out;
  for (std::size_t k = 0; k < c->size(); ++k) {
    const internal::Json& p = (*c)[k];
    const std::string path = "geometry.coordinates[" + std::to_string(k) + "]";
    if (!p.is_array() || p.size() < 2 || p.size() > 3) {
      fail(path, "expected [lon_deg, lat_deg] or [lon_deg, lat_deg, alt_m], found " + describe(p));
    }
    for (std::size_t j = 0; j < p.size(); ++j) {
      if (!p[j].is_number())
        fail(path + "[" + std::to_string(j) + "]", "expected a number, found " + describe(p[j]));
    }
    const double lon = p[0].get<double>();
    const double lat = p[1].get<double>();
    const double alt = p.size() == 3 ? p[2].get<double>() : 0.0;
    const internal::Json& tj = (*times)[k];
    const std::string tpath = "properties.times[" + std::to_string(k) + "]";
    if (!tj.is_string()) fail(tpath, "expected an ISO 8601 UTC time, found " + describe(tj));
    TrackSample s;
    try {
      s.time = time::parse_iso8601(tj.get_ref<const std::string&>(), "time");
    } catch (const InputError& e) {
      fail(tpath, e.detail());
    }
    try {
      internal::check_longitude(lon, p[0].dump(), SourceLocation{});
      internal::check_latitude(lat, p[1].dump(), SourceLocation{});
      internal::check_altitude(alt, p.size() == 3 ? p[2].dump() : "0", SourceLocation{});
    } catch (const InputError& e) {
      fail(path, e.detail());
    }
    s.location = internal::to_geodetic(lat, lon, alt);
    out.push_back(s);
  }
  return out;
}

std::vector<Track> read_tracks_geojson(std::string_view text, std::string_view source,
                                       const TrackReadOptions& options) {
  using internal::describe;
  using internal::Json;
  const internal::GeoJsonText parsed =
      internal::parse_geojson_text(text, source, "a GeoJSON FeatureCollection or Feature");
  const Json& doc = parsed.doc;
  const auto file_error = [&](int line, const std::string& message) {
    throw InputError(SourceLocation{std::string(source), line, ""}, message);
  };
  if (!doc.is_object())
    file_error(0, "expected a GeoJSON FeatureCollection or Feature, found " + describe(doc));
  const auto type = doc.find("type");
  const std::string type_name = type != doc.end() && type->is_string() ? type->get<std::string>() : "";
  std::vector<std::pair<const Json*, std::string>> features;
  std::vector<int> feature_lines;
  if (type_name == "FeatureCollection") {
    const auto fs = doc.find("features");
    if (fs == doc.end() || !fs->is_array()) {
      file_error(parsed.root_line, "features: expected an array of Features, found " +
                                       (fs == doc.end() ? std::string("none") : describe(*fs)));
    }
    for (std::size_t k = 0; k < fs->size(); ++k) {
      features.emplace_back(&(*fs)[k], "features[" + std::to_string(k) + "]");
      feature_lines.push_back(parsed.feature_lines.empty() ? 0 : parsed.feature_lines[k]);
    }
  } else if (type_name == "Feature") {
    features.emplace_back(&doc, "feature");
    feature_lines.push_back(parsed.root_line);
  } else {
    file_error(parsed.root_line, "type: expected \"FeatureCollection\" or \"Feature\", found " +
                                     (type == doc.end() ? std::string("none") : describe(*type)));
  }

  SiteReadOptions site_options;
  site_options.name_column = options.name_column;
  std::vector<InputError> problems;
  std::vector<Track> tracks;
  std::vector<std::pair<std::string, int>> places;  // per track: label and line
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < features.size(); ++k) {
    const Json& f = *features[k].first;
    const std::string& label = features[k].second;
    const int line = feature_lines[k];
    try {
      const auto fail = [&](const std::string& path, const std::string& message) {
        throw InputError(SourceLocation{std::string(source), line, label + ": " + path}, message);
      };
      const Json* geometry = nullptr;
      if (f.is_object()) {
        if (const auto g = f.find("geometry"); g != f.end() && g->is_object()) geometry = &*g;
      }
      const bool is_line =
          geometry != nullptr && geometry->contains("type") && (*geometry)["type"] == "LineString";
      SourceLocation id_where;
      Site site = internal::read_feature_site(f, label, line, source, site_options, id_where, !is_line);
      Track t;
      t.id = site.id;
      t.name = site.name;
      t.attributes = std::move(site.attributes);
      if (is_line) {
        const Json* props = nullptr;
        if (const auto p = f.find("properties"); p != f.end() && p->is_object()) props = &*p;
        t.samples = line_samples(*geometry, props, fail);
        std::erase_if(t.attributes, [](const auto& kv) { return kv.first == "times"; });
      } else {
        t.samples.push_back(TrackSample{time::Instant{}, site.location});
      }
      if (const auto [it, inserted] = index.emplace(t.id, tracks.size()); !inserted) {
        const auto& [first_label, first_line] = places[it->second];
        throw InputError(id_where,
                         "expected a unique id, found \"" + t.id + "\" again (first at " + first_label +
                             (first_line > 0 ? " (line " + std::to_string(first_line) + ")" : "") + ")");
      }
      tracks.push_back(std::move(t));
      places.emplace_back(label, line);
    } catch (const InputError& e) {
      problems.push_back(e);
    }
  }
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const auto where_of = [&](std::size_t k, const char* what) {
      const std::string path = std::string(what) == "time"
                                   ? "properties.times[" + std::to_string(k) + "]"
                                   : "geometry.coordinates[" + std::to_string(k) + "]";
      return SourceLocation{std::string(source), places[i].second, places[i].first + ": " + path};
    };
    check_samples(tracks[i], options, where_of, problems);
  }
  if (!problems.empty()) throw_problems(source, problems);
  return tracks;
}

}  // namespace

const std::string* Track::attribute(std::string_view key) const {
  for (const auto& [k, v] : attributes) {
    if (k == key) return &v;
  }
  return nullptr;
}

frames::Geodetic Track::at(time::Instant t) const {
  if (samples.empty()) throw std::invalid_argument("Track::at: a terminal without samples");
  if (samples.size() == 1 || t <= samples.front().time) return samples.front().location;
  if (t >= samples.back().time) return samples.back().location;
  const auto hi = std::upper_bound(samples.begin(), samples.end(), t,
                                   [](time::Instant x, const TrackSample& s) { return x < s.time; });
  const TrackSample& a = *(hi - 1);
  const TrackSample& b = *hi;
  // At rest between two samples at one place: exactly there (interpolating would round).
  if (a.location.lat_rad == b.location.lat_rad && a.location.lon_rad == b.location.lon_rad &&
      a.location.alt_km == b.location.alt_km)
    return a.location;
  const double f = (t - a.time).to_seconds() / (b.time - a.time).to_seconds();
  const Normal na = normal_of(a.location);
  const Normal nb = normal_of(b.location);
  const double omega = angle_between(na, nb);
  double wa = 1.0 - f;
  double wb = f;
  if (omega > 1e-12) {
    const double s = std::sin(omega);
    wa = std::sin((1.0 - f) * omega) / s;
    wb = std::sin(f * omega) / s;
  }
  const double x = wa * na.x + wb * nb.x;
  const double y = wa * na.y + wb * nb.y;
  const double z = wa * na.z + wb * nb.z;
  frames::Geodetic g;
  g.lat_rad = std::atan2(z, std::hypot(x, y));
  g.lon_rad = std::atan2(y, x);
  if (g.lon_rad <= -std::numbers::pi) g.lon_rad += 2.0 * std::numbers::pi;
  g.alt_km = a.location.alt_km + f * (b.location.alt_km - a.location.alt_km);
  return g;
}

double Track::speed_kmh(time::Instant t) const {
  if (samples.size() < 2 || t < samples.front().time || t >= samples.back().time) return 0.0;
  const auto hi = std::upper_bound(samples.begin(), samples.end(), t,
                                   [](time::Instant x, const TrackSample& s) { return x < s.time; });
  const TrackSample& a = *(hi - 1);
  const TrackSample& b = *hi;
  return ground_distance_km(a.location, b.location) / hours_between(a.time, b.time);
}

frames::Vec3 Track::velocity_itrf_km_s(time::Instant t) const {
  if (samples.size() < 2 || t < samples.front().time || t >= samples.back().time) return {};
  const auto hi = std::upper_bound(samples.begin(), samples.end(), t,
                                   [](time::Instant x, const TrackSample& s) { return x < s.time; });
  const time::Duration h = time::Duration::seconds(0.25);
  const time::Instant a = std::max(t - h, (hi - 1)->time), b = std::min(t + h, hi->time);
  return (frames::geodetic_to_itrf(at(b)) - frames::geodetic_to_itrf(at(a))) * (1.0 / (b - a).to_seconds());
}

Track fixed_track(const Site& site) {
  Track t;
  t.id = site.id;
  t.name = site.name;
  t.attributes = site.attributes;
  t.samples.push_back(TrackSample{time::Instant{}, site.location});
  return t;
}

double ground_distance_km(const frames::Geodetic& a, const frames::Geodetic& b) {
  return angle_between(normal_of(a), normal_of(b)) * kMeanEarthRadiusKm;
}

std::vector<Track> read_tracks(std::string_view text, SiteFormat format, std::string_view source,
                               const TrackReadOptions& options) {
  if (!(options.max_speed_kmh > 0.0)) throw std::invalid_argument("read_tracks: max_speed_kmh must be > 0");
  return format == SiteFormat::csv ? read_tracks_csv(text, source, options)
                                   : read_tracks_geojson(text, source, options);
}

std::vector<Track> read_tracks_file(const std::string& path, const TrackReadOptions& options) {
  const std::string text = read_file(path, "terminals file");
  const SiteFormat format = internal::is_geojson(path, text) ? SiteFormat::geojson : SiteFormat::csv;
  return read_tracks(text, format, path, options);
}

bool holds_trajectories(const std::string& path) {
  const std::string text = read_file(path, "terminals file");
  if (internal::is_geojson(path, text)) return text.find("\"LineString\"") != std::string::npos;
  CsvSplitter splitter(text);
  CsvRecord rec;
  return splitter.next_nonblank(rec) &&
         std::any_of(rec.fields.begin(), rec.fields.end(), [](const std::string& f) {
           return internal::lower_ascii(internal::trim(f)) == "time_utc";
         });
}

bool any_moving(std::span<const Track> tracks) {
  return std::any_of(tracks.begin(), tracks.end(), [](const Track& t) { return t.moving(); });
}

void positions_at(std::span<const Track> tracks, time::Instant t, std::span<frames::Geodetic> out) {
  if (out.size() != tracks.size()) throw std::invalid_argument("positions_at: out.size() != tracks.size()");
  for (std::size_t i = 0; i < tracks.size(); ++i) out[i] = tracks[i].at(t);
}

}  // namespace skyfence::earth
