#include "skyfence/report/borders.h"
#include "skyfence/core/read_file.h"

#include <nlohmann/json.hpp>

#include "skyfence/core/error.h"

namespace skyfence::report {

namespace {

using nlohmann::json;

std::vector<std::vector<earth::LonLatDeg>> decode_arcs(const json& topo, const std::string& path) {
  double sx = 1.0, sy = 1.0, tx = 0.0, ty = 0.0;
  const bool quantized = topo.contains("transform");
  if (quantized) {
    const json& tr = topo["transform"];
    sx = tr.at("scale").at(0).get<double>();
    sy = tr.at("scale").at(1).get<double>();
    tx = tr.at("translate").at(0).get<double>();
    ty = tr.at("translate").at(1).get<double>();
  }
  if (!topo.contains("arcs") || !topo["arcs"].is_array()) {
    throw InputError(SourceLocation{path, 0, "arcs"}, "expected an array of arcs");
  }
  std::vector<std::vector<earth::LonLatDeg>> arcs;
  arcs.reserve(topo["arcs"].size());
  for (const json& a : topo["arcs"]) {
    std::vector<earth::LonLatDeg> pts;
    double x = 0.0, y = 0.0;
    for (const json& p : a) {
      const double px = p.at(0).get<double>(), py = p.at(1).get<double>();
      if (quantized) {
        x += px;
        y += py;
        pts.push_back({x * sx + tx, y * sy + ty});
      } else {
        pts.push_back({px, py});
      }
    }
    arcs.push_back(std::move(pts));
  }
  return arcs;
}

earth::Ring assemble_ring(const json& indices, const std::vector<std::vector<earth::LonLatDeg>>& arcs,
                          const std::string& path) {
  earth::Ring ring;
  for (const json& j : indices) {
    const auto i = j.get<long long>();
    const auto k = static_cast<std::size_t>(i >= 0 ? i : ~i);
    if (k >= arcs.size()) {
      throw InputError(SourceLocation{path, 0, "arcs"}, "arc index " + std::to_string(i) + " out of range");
    }
    const auto& arc = arcs[k];
    const std::size_t n = arc.size();
    for (std::size_t m = 0; m < n; ++m) {
      if (!ring.empty() && m == 0) continue;  // shared with the previous arc's last point
      ring.push_back(i >= 0 ? arc[m] : arc[n - 1 - m]);
    }
  }
  return ring;
}

}  // namespace

BorderMap read_borders(const std::string& topojson_path) {
  const std::string text = read_file(topojson_path, "borders file");
  BorderMap out;
  try {
    const json topo = json::parse(text);
    if (!topo.is_object() || topo.value("type", "") != "Topology") {
      throw InputError(SourceLocation{topojson_path, 0, "type"}, "expected a TopoJSON Topology");
    }
    const auto arcs = decode_arcs(topo, topojson_path);
    if (!topo.contains("objects") || !topo["objects"].contains("countries")) {
      throw InputError(SourceLocation{topojson_path, 0, "objects.countries"}, "expected a countries object");
    }
    for (const json& g : topo["objects"]["countries"].at("geometries")) {
      const std::string type = g.value("type", "");
      if (type != "Polygon" && type != "MultiPolygon") continue;
      BorderCountry c;
      if (g.contains("id")) c.id = g["id"].is_string() ? g["id"].get<std::string>() : g["id"].dump();
      if (g.contains("properties") && g["properties"].is_object()) c.name = g["properties"].value("name", "");
      const json& polys = g.at("arcs");
      const auto add_polygon = [&](const json& poly) {
        for (const json& r : poly) {
          earth::Ring ring = assemble_ring(r, arcs, topojson_path);
          if (ring.size() >= 4) c.rings.push_back(std::move(ring));
        }
      };
      if (type == "Polygon") {
        add_polygon(polys);
      } else {
        for (const json& p : polys) add_polygon(p);
      }
      out.countries.push_back(std::move(c));
    }
  } catch (const json::exception& e) {
    throw InputError(SourceLocation{topojson_path, 0, ""}, std::string("malformed TopoJSON: ") + e.what());
  }
  return out;
}

BorderMap read_bundled_borders(const std::string& data_dir) {
  return read_borders(data_dir + "/borders/countries-50m.json");
}

}  // namespace skyfence::report
