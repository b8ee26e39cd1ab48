#include "skyfence/report/exports.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "skyfence/core/atomic_file.h"
#include "skyfence/core/csv.h"
#include "skyfence/earth/lonlat_polygon.h"
#include "skyfence/report/internal/tables.h"

namespace skyfence::report {

namespace {

std::string csv_field(const internal::Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) return fmt::format("{}", *n);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  if (const auto* s = std::get_if<std::string>(&v)) return ::skyfence::csv_field(*s);
  return {};
}

// Writes every file to its temporary, then commits them all.
class FileSet {
 public:
  AtomicFile& open(const std::string& path) {
    files_.push_back(std::make_unique<AtomicFile>(path));
    return *files_.back();
  }
  std::vector<std::string> commit() {
    std::vector<std::string> paths;
    for (auto& f : files_) {
      f->commit();
      paths.push_back(f->path());
    }
    return paths;
  }

 private:
  std::vector<std::unique_ptr<AtomicFile>> files_;
};

std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace

std::vector<std::string> write_csv_tables(const Results& results, const std::string& dir) {
  validate(results);
  FileSet files;
  for (const auto& t : internal::build_tables(results)) {
    AtomicFile& f = files.open(join(dir, t.name + ".csv"));
    std::string line;
    for (std::size_t i = 0; i < t.columns.size(); ++i) line += (i ? "," : "") + t.columns[i].name;
    f.write(line + "\n");
    for (const auto& row : t.rows) {
      line.clear();
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) line += ',';
        line += csv_field(row[i]);
      }
      line += '\n';
      f.write(line);
    }
  }
  return files.commit();
}

std::vector<std::string> write_geojson(const Results& results, const std::string& dir) {
  validate(results);
  using nlohmann::ordered_json;
  FileSet files;
  {
    ordered_json features = ordered_json::array();
    for (std::size_t i = 0; i < results.cells.size(); ++i) {
      const auto& c = results.cells[i];
      earth::Ring ring(c.vertices.begin(), c.vertices.end());
      ring.push_back(ring.front());
      // Cut at the antimeridian, closed at the poles, counter-clockwise (RFC 7946).
      const std::vector<earth::Ring> parts = earth::lonlat_parts(ring);
      ordered_json polygons = ordered_json::array();
      for (const auto& part : parts) {
        ordered_json coords = ordered_json::array();
        for (const auto& v : part) coords.push_back({v.lon_deg, v.lat_deg});
        polygons.push_back(ordered_json::array({std::move(coords)}));
      }
      ordered_json geometry =
          polygons.size() == 1 ? ordered_json{{"type", "Polygon"}, {"coordinates", std::move(polygons[0])}}
                               : ordered_json{{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}};
      ordered_json props = {
          {"cell_id", c.token}, {"lat_deg", c.lat_deg}, {"lon_deg", c.lon_deg}, {"area_km2", c.area_km2}};
      for (const auto& l : results.cell_layers) {
        const std::string k = l.variant + ":" + l.provider + ":";
        const auto& s = l.stats[i];
        props[k + "coverage_fraction"] = s.coverage_fraction;
        props[k + "served_fraction"] = s.served_fraction;
        props[k + "mean_visible"] = s.mean_visible;
        props[k + "max_gap_s"] = s.max_gap_s;
      }
      features.push_back({{"type", "Feature"},
                          {"id", c.token},
                          {"geometry", std::move(geometry)},
                          {"properties", std::move(props)}});
    }
    ordered_json doc = {{"type", "FeatureCollection"}, {"features", std::move(features)}};
    files.open(join(dir, "cells.geojson"))
        .write(doc.dump(-1, ' ', false, ordered_json::error_handler_t::replace) + "\n");
  }
  {
    ordered_json features = ordered_json::array();
    for (const auto& t : results.terminals) {
      ordered_json props = {{"terminal_id", t.id},
                            {"name", t.name},
                            {"group_id", t.group},
                            {"customer_class", t.customer_class}};
      for (const auto& s : results.terminal_service) {
        if (s.terminal == t.id) props[s.variant + ":" + s.provider + ":served_fraction"] = s.served_fraction;
      }
      // With uplink demand: the share of it met (the downlink's demand met is in the CSV tables).
      for (const auto& c : results.terminal_capacity_up) {
        if (c.terminal == t.id)
          props[c.variant + ":" + c.provider + ":demand_up_met_fraction"] = c.demand_met_fraction;
      }
      // A moving terminal: its trajectory, with the time of each vertex (so the file reads back as
      // trajectories, earth/trajectory.h).
      ordered_json geometry = {{"type", "Point"}, {"coordinates", {t.lon_deg, t.lat_deg}}};
      if (!t.track.empty()) {
        ordered_json coordinates = ordered_json::array(), times = ordered_json::array();
        for (const TrackPoint& p : t.track) {
          coordinates.push_back({p.lon_deg, p.lat_deg});
          times.push_back(internal::utc_text(p.time));
        }
        geometry = {{"type", "LineString"}, {"coordinates", std::move(coordinates)}};
        props["times"] = std::move(times);
      }
      features.push_back({{"type", "Feature"},
                          {"id", t.id},
                          {"geometry", std::move(geometry)},
                          {"properties", std::move(props)}});
    }
    ordered_json doc = {{"type", "FeatureCollection"}, {"features", std::move(features)}};
    files.open(join(dir, "terminals.geojson"))
        .write(doc.dump(-1, ' ', false, ordered_json::error_handler_t::replace) + "\n");
  }
  return files.commit();
}

}  // namespace skyfence::report
