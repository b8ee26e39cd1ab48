// Regions from GeoJSON (RFC 7946) Polygon and MultiPolygon geometries.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "skyfence/core/read_file.h"
#include "skyfence/earth/internal/site_fields.h"
#include "skyfence/earth/region.h"

namespace skyfence::earth {

namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& field, const std::string& what) {
  throw InputError(SourceLocation{path, 0, field}, what);
}

Ring read_ring(const Json& j, const std::string& path, const std::string& field) {
  if (!j.is_array()) fail(path, field, "expected an array of positions");
  Ring ring;
  ring.reserve(j.size());
  for (std::size_t v = 0; v < j.size(); ++v) {
    const Json& p = j[v];
    if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) {
      fail(path, field + "[" + std::to_string(v) + "]", "expected a position [lon_deg, lat_deg]");
    }
    ring.push_back({p[0].get<double>(), p[1].get<double>()});
  }
  return ring;
}

// Appends the rings of a (Multi)Polygon geometry; false for other geometry types.
// The "type" member of a GeoJSON object, or "" when it is missing or not a string (the callers then
// report the object as not of the type they expected).
std::string type_of(const Json& object) {
  const auto it = object.find("type");
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool add_geometry(const Json& g, const std::string& path, const std::string& field,
                  std::vector<Ring>& rings) {
  if (!g.is_object()) return false;
  const std::string type = type_of(g);
  if (type != "Polygon" && type != "MultiPolygon") return false;
  if (!g.contains("coordinates") || !g["coordinates"].is_array()) {
    fail(path, field + ".coordinates", "expected an array");
  }
  const Json& c = g["coordinates"];
  const std::string cf = field + ".coordinates";
  if (type == "Polygon") {
    for (std::size_t r = 0; r < c.size(); ++r) {
      rings.push_back(read_ring(c[r], path, cf + "[" + std::to_string(r) + "]"));
    }
  } else {
    for (std::size_t p = 0; p < c.size(); ++p) {
      if (!c[p].is_array()) fail(path, cf + "[" + std::to_string(p) + "]", "expected an array of rings");
      for (std::size_t r = 0; r < c[p].size(); ++r) {
        rings.push_back(
            read_ring(c[p][r], path, cf + "[" + std::to_string(p) + "][" + std::to_string(r) + "]"));
      }
    }
  }
  return true;
}

std::string feature_name(const Json& f) {
  if (f.contains("properties") && f["properties"].is_object() && f["properties"].contains("name") &&
      f["properties"]["name"].is_string()) {
    return f["properties"]["name"].get<std::string>();
  }
  return {};
}

}  // namespace

Region read_region_file(const std::string& path, std::string_view name) {
  const std::string text = read_file(path, "region file");
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::exception& e) {
    fail(path, "", std::string("invalid JSON: ") + e.what());
  }
  if (!root.is_object()) fail(path, "", "expected a GeoJSON object");
  const std::string type = type_of(root);
  const std::string want = internal::lower_ascii(name);
  std::vector<Ring> rings;
  std::string region_name(name);
  std::string field;  // the feature that gave the rings, for messages
  auto take_feature = [&](const Json& f, const std::string& ff) {
    if (!f.is_object() || type_of(f) != "Feature") fail(path, ff, "expected a Feature");
    const std::string fname = feature_name(f);
    if (!want.empty() && internal::lower_ascii(fname) != want) return;
    if (!f.contains("geometry")) fail(path, ff + ".geometry", "missing");
    const std::size_t before = rings.size();
    if (add_geometry(f["geometry"], path, ff + ".geometry", rings) && region_name.empty()) {
      region_name = fname;
    }
    if (rings.size() != before && field.empty()) field = ff;
  };
  if (type == "FeatureCollection") {
    if (!root.contains("features") || !root["features"].is_array()) {
      fail(path, "features", "expected an array");
    }
    for (std::size_t k = 0; k < root["features"].size(); ++k) {
      take_feature(root["features"][k], "features[" + std::to_string(k) + "]");
    }
  } else if (type == "Feature") {
    take_feature(root, "");
  } else if (!add_geometry(root, path, "", rings)) {
    fail(path, "type",
         "expected a FeatureCollection, Feature, Polygon or MultiPolygon, got \"" + type + "\"");
  }
  if (rings.empty()) {
    fail(path, "",
         want.empty() ? std::string("no Polygon or MultiPolygon geometry")
                      : "no Polygon or MultiPolygon feature named \"" + std::string(name) + "\"");
  }
  if (region_name.empty()) region_name = std::filesystem::path(path).stem().string();
  // Ring numbers in messages count rings across the features used, in file order.
  return Region::from_rings(region_name, rings, SourceLocation{path, 0, field});
}

}  // namespace skyfence::earth
