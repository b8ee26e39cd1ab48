#include "skyfence/coverage/writers.h"

#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "skyfence/core/csv.h"
#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/lonlat_polygon.h"

namespace skyfence::coverage {
namespace {

// Formats into a buffer handed to the caller's sink in pieces of about 1 MB.
class Buffered {
 public:
  explicit Buffered(const WriteOptions& o) : o_(o) {
    if (!o_.out) throw std::invalid_argument("coverage writers: WriteOptions::out is required");
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
  void check_cancel() const {
    if (o_.keep_going && !o_.keep_going()) throw skyfence::Cancelled();
  }

 private:
  const WriteOptions& o_;
  fmt::memory_buffer buf_;
};

// The statistics of one point and provider, as written.
struct Row {
  double coverage_fraction, mean_visible, max_gap_s, served_fraction;
  std::uint32_t min_visible, max_visible, gap_count;
};

Row row_of(const CoverageResult& r, std::size_t p, std::size_t i) {
  const PointStats& st = r.at(p, i);
  return Row{r.coverage_fraction(p, i),
             r.mean_visible(p, i),
             r.max_gap_s(p, i),
             r.served_fraction(p, i),
             st.min_visible,
             st.max_visible,
             st.gap_count};
}

std::size_t count(const LabelledPoints& pts) {
  return pts.cells.empty() ? pts.sites.size() : pts.cells.size();
}

void check(const LabelledPoints& pts, const CoverageResult& r) {
  if (!pts.cells.empty() && !pts.sites.empty()) {
    throw std::invalid_argument("coverage writers: label the points with cells or sites, not both");
  }
  if (count(pts) != r.points()) {
    throw std::invalid_argument("coverage writers: " + std::to_string(count(pts)) + " labels for " +
                                std::to_string(r.points()) + " points");
  }
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

// A cell's outline as a GeoJSON geometry, cut at the antimeridian.
std::string cell_geometry(const earth::Cell& cell) {
  earth::Ring ring(cell.vertices.begin(), cell.vertices.end());
  ring.push_back(ring.front());
  const std::vector<earth::Ring> parts = earth::lonlat_parts(ring);
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

}  // namespace

void write_csv(const LabelledPoints& pts, const CoverageResult& r, const WriteOptions& o) {
  check(pts, r);
  Buffered w(o);
  w.print(
      "cell_id,lat_deg,lon_deg,area_km2,provider,coverage_fraction,mean_visible,min_visible,max_visible,"
      "max_gap_s,gap_count{}\n",
      o.served ? ",served_fraction" : "");
  std::vector<std::string> names;
  for (std::size_t p = 0; p <= r.providers(); ++p) names.push_back(csv_field(r.provider_name(p)));
  for (std::size_t i = 0; i < r.points(); ++i) {
    w.check_cancel();
    const frames::Geodetic& g = location_of(pts, i);
    const std::string id = csv_field(id_of(pts, i));
    const std::string area = pts.cells.empty() ? std::string() : fmt::format("{:.3f}", pts.cells[i].area_km2);
    for (std::size_t p = 0; p <= r.providers(); ++p) {
      const Row row = row_of(r, p, i);
      w.print("{},{:.6f},{:.6f},{},{},{:.6f},{:.4f},{},{},{},{}", id, g.lat_rad * kDegPerRad,
              g.lon_rad * kDegPerRad, area, names[p], row.coverage_fraction, row.mean_visible,
              row.min_visible, row.max_visible, row.max_gap_s, row.gap_count);
      if (o.served) w.print(",{:.6f}", row.served_fraction);
      w.print("\n");
    }
  }
  w.flush();
}

void write_geojson(const LabelledPoints& pts, const CoverageResult& r, const WriteOptions& o) {
  check(pts, r);
  Buffered w(o);
  w.print("{{\"type\":\"FeatureCollection\",\"features\":[\n");
  std::vector<std::string> names;
  for (std::size_t p = 0; p <= r.providers(); ++p) names.push_back(json_string(r.provider_name(p)));
  bool first = true;
  for (std::size_t i = 0; i < r.points(); ++i) {
    w.check_cancel();
    const frames::Geodetic& g = location_of(pts, i);
    // The geometry once per point, as text, repeated for each provider.
    const std::string geometry = pts.cells.empty()
                                     ? fmt::format("{{\"type\":\"Point\",\"coordinates\":[{:.6f},{:.6f}]}}",
                                                   g.lon_rad * kDegPerRad, g.lat_rad * kDegPerRad)
                                     : cell_geometry(pts.cells[i]);
    const std::string id = json_string(id_of(pts, i));
    const std::string area =
        pts.cells.empty() ? std::string("null") : fmt::format("{:.3f}", pts.cells[i].area_km2);
    for (std::size_t p = 0; p <= r.providers(); ++p) {
      const Row row = row_of(r, p, i);
      w.print(
          "{}{{\"type\":\"Feature\",\"geometry\":{},\"properties\":{{\"cell_id\":{},\"lat_deg\":{:.6f},"
          "\"lon_deg\":{:.6f},\"area_km2\":{},\"provider\":{},\"coverage_fraction\":{:.6f},"
          "\"mean_visible\":{:.4f},\"min_visible\":{},\"max_visible\":{},\"max_gap_s\":{},\"gap_count\":{}{}}"
          "}}"
          "}",
          first ? "" : ",\n", geometry, id, g.lat_rad * kDegPerRad, g.lon_rad * kDegPerRad, area, names[p],
          row.coverage_fraction, row.mean_visible, row.min_visible, row.max_visible, row.max_gap_s,
          row.gap_count, o.served ? fmt::format(",\"served_fraction\":{:.6f}", row.served_fraction) : "");
      first = false;
    }
  }
  w.print("\n]}}\n");
  w.flush();
}

}  // namespace skyfence::coverage
