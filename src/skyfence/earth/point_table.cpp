// Per-point tables as CSV and GeoJSON (point_table.h).
#include "skyfence/earth/point_table.h"

#include <fmt/format.h>

#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "skyfence/core/csv.h"
#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/lonlat_polygon.h"
#include "skyfence/time/scales.h"

namespace skyfence::earth {
namespace {

// Formats into a buffer handed to the caller's sink in pieces of about 1 MB.
class Buffered {
 public:
  Buffered(const PointTableOutput& o, const RunContext& run) : o_(o), run_(run) {
    if (!o_.out) throw std::invalid_argument("point table writers: an output is required");
  }
  template <typename... Args>
  void print(fmt::format_string<Args...> f, Args&&... args) {
    fmt::format_to(std::back_inserter(buf_), f, std::forward<Args>(args)...);
    if (buf_.size() > (1u << 20)) flush();
  }
  void flush() {
    o_.out(std::string_view(buf_.data(), buf_.size()));
    buf_.clear();
  }
  void check_cancel() const { run_.check_stop(); }

 private:
  const PointTableOutput& o_;
  const RunContext& run_;
  fmt::memory_buffer buf_;
};

void check(const LabelledPoints& pts, const PointTable& table) {
  if (!pts.cells.empty() && !pts.sites.empty()) {
    throw std::invalid_argument("point table writers: label the points with cells or sites, not both");
  }
  if (!table.values) throw std::invalid_argument("point table writers: PointTable::values is required");
  if (!pts.tracks.empty() && pts.tracks.size() != pts.sites.size())
    throw std::invalid_argument("point table writers: one track per site, or none");
}

const std::string& id_of(const LabelledPoints& pts, std::size_t i) {
  return pts.cells.empty() ? pts.sites[i].id : pts.cells[i].token;
}

const frames::Geodetic& location_of(const LabelledPoints& pts, std::size_t i) {
  return pts.cells.empty() ? pts.sites[i].location : pts.cells[i].centre;
}

// A JSON string (ids and names are valid UTF-8: the readers check it).
std::string json_string(const std::string& s) {
  return nlohmann::json(s).dump();
}

}  // namespace

std::string cell_geometry_json(const Cell& cell) {
  Ring ring(cell.vertices.begin(), cell.vertices.end());
  ring.push_back(ring.front());
  const std::vector<Ring> parts = lonlat_parts(ring);
  fmt::memory_buffer gb;
  fmt::format_to(std::back_inserter(gb), "{}",
                 parts.size() == 1 ? "{\"type\":\"Polygon\",\"coordinates\":"
                                   : "{\"type\":\"MultiPolygon\",\"coordinates\":[");
  for (std::size_t k = 0; k < parts.size(); ++k) {
    fmt::format_to(std::back_inserter(gb), "{}[[", k == 0 ? "" : ",");
    for (std::size_t v = 0; v < parts[k].size(); ++v) {
      fmt::format_to(std::back_inserter(gb), "{}[{:.6f},{:.6f}]", v == 0 ? "" : ",", parts[k][v].lon_deg,
                     parts[k][v].lat_deg);
    }
    fmt::format_to(std::back_inserter(gb), "]]");
  }
  fmt::format_to(std::back_inserter(gb), "{}", parts.size() == 1 ? "}" : "]}");
  return {gb.data(), gb.size()};
}

void write_point_table_csv(const LabelledPoints& pts, const PointTable& table, const PointTableOutput& o,
                           const RunContext& run) {
  check(pts, table);
  Buffered w(o, run);
  w.print("cell_id,lat_deg,lon_deg,area_km2,{}", csv_field(table.series_column));
  for (const std::string& c : table.columns) w.print(",{}", csv_field(c));
  w.print("\n");
  std::vector<std::string> names;
  for (const std::string& s : table.series) names.push_back(csv_field(s));
  std::vector<std::string> values;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    w.check_cancel();
    const frames::Geodetic& g = location_of(pts, i);
    const std::string id = csv_field(id_of(pts, i));
    const std::string area = pts.cells.empty() ? std::string() : fmt::format("{:.3f}", pts.cells[i].area_km2);
    for (std::size_t s = 0; s < names.size(); ++s) {
      values.assign(table.columns.size(), std::string());
      table.values(i, s, values);
      w.print("{},{:.6f},{:.6f},{},{}", id, g.lat_rad * kDegPerRad, g.lon_rad * kDegPerRad, area, names[s]);
      for (const std::string& v : values) w.print(",{}", v);
      w.print("\n");
    }
  }
  w.flush();
}

void write_point_table_geojson(const LabelledPoints& pts, const PointTable& table, const PointTableOutput& o,
                               const RunContext& run) {
  check(pts, table);
  Buffered w(o, run);
  w.print("{{\"type\":\"FeatureCollection\",\"features\":[\n");
  std::vector<std::string> names, keys;
  for (const std::string& s : table.series) names.push_back(json_string(s));
  for (const std::string& c : table.columns) keys.push_back(json_string(c));
  const std::string series_key = json_string(table.series_column);
  std::vector<std::string> values;
  bool first = true;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    w.check_cancel();
    const frames::Geodetic& g = location_of(pts, i);
    // The geometry once per point, as text, repeated for each series.
    std::string geometry = pts.cells.empty()
                               ? fmt::format("{{\"type\":\"Point\",\"coordinates\":[{:.6f},{:.6f}]}}",
                                             g.lon_rad * kDegPerRad, g.lat_rad * kDegPerRad)
                               : cell_geometry_json(pts.cells[i]);
    std::string times;  // a moving site's ',"times":[...]'
    if (!pts.tracks.empty() && pts.tracks[i].moving()) {
      geometry = "{\"type\":\"LineString\",\"coordinates\":[";
      times = ",\"times\":[";
      for (std::size_t k = 0; k < pts.tracks[i].samples.size(); ++k) {
        const TrackSample& s = pts.tracks[i].samples[k];
        geometry += fmt::format("{}[{:.6f},{:.6f}]", k ? "," : "", s.location.lon_rad * kDegPerRad,
                                s.location.lat_rad * kDegPerRad);
        times += fmt::format("{}\"{}\"", k ? "," : "", time::format_iso8601(s.time, 3));
      }
      geometry += "]}";
      times += "]";
    }
    const std::string id = json_string(id_of(pts, i));
    const std::string area =
        pts.cells.empty() ? std::string("null") : fmt::format("{:.3f}", pts.cells[i].area_km2);
    for (std::size_t s = 0; s < names.size(); ++s) {
      values.assign(table.columns.size(), std::string());
      table.values(i, s, values);
      w.print(
          "{}{{\"type\":\"Feature\",\"geometry\":{},\"properties\":{{\"cell_id\":{},\"lat_deg\":{:.6f},"
          "\"lon_deg\":{:.6f},\"area_km2\":{},{}:{}",
          first ? "" : ",\n", geometry, id, g.lat_rad * kDegPerRad, g.lon_rad * kDegPerRad, area, series_key,
          names[s]);
      for (std::size_t k = 0; k < values.size(); ++k) {
        w.print(",{}:{}", keys[k], values[k].empty() ? "null" : values[k]);
      }
      w.print("{}}}}}", times);
      first = false;
    }
  }
  w.print("\n]}}\n");
  w.flush();
}

}  // namespace skyfence::earth
