#include "skyfence/earth/internal/topojson.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace skyfence::earth::internal {

namespace {

[[noreturn]] void fail(std::string_view source, const std::string& field, const std::string& what) {
  throw InputError(SourceLocation{std::string(source), 0, field}, what);
}

double number(const nlohmann::json& j, std::string_view source, const std::string& field) {
  if (!j.is_number()) fail(source, field, "expected a number");
  return j.get<double>();
}

std::vector<std::vector<LonLatDeg>> decode_arcs(const nlohmann::json& topo, std::string_view source) {
  double sx = 1.0, sy = 1.0, tx = 0.0, ty = 0.0;
  const bool quantized = topo.contains("transform");
  if (quantized) {
    const nlohmann::json& t = topo["transform"];
    if (!t.is_object() || !t.contains("scale") || !t.contains("translate") || !t["scale"].is_array() ||
        t["scale"].size() != 2 || !t["translate"].is_array() || t["translate"].size() != 2) {
      fail(source, "transform", "expected {\"scale\": [sx, sy], \"translate\": [tx, ty]}");
    }
    sx = number(t["scale"][0], source, "transform.scale[0]");
    sy = number(t["scale"][1], source, "transform.scale[1]");
    tx = number(t["translate"][0], source, "transform.translate[0]");
    ty = number(t["translate"][1], source, "transform.translate[1]");
  }
  if (!topo.contains("arcs") || !topo["arcs"].is_array()) fail(source, "arcs", "expected an array");
  std::vector<std::vector<LonLatDeg>> arcs;
  arcs.reserve(topo["arcs"].size());
  std::size_t ai = 0;
  for (const nlohmann::json& arc : topo["arcs"]) {
    const std::string field = "arcs[" + std::to_string(ai) + "]";
    if (!arc.is_array() || arc.size() < 2) fail(source, field, "expected at least 2 positions");
    std::vector<LonLatDeg> pts;
    pts.reserve(arc.size());
    // Quantized arcs are delta-encoded integers: sum them exactly before scaling.
    std::int64_t qx = 0, qy = 0;
    std::size_t pi = 0;
    for (const nlohmann::json& p : arc) {
      const std::string pf = field + "[" + std::to_string(pi++) + "]";
      if (!p.is_array() || p.size() < 2) fail(source, pf, "expected [x, y]");
      if (quantized) {
        if (!p[0].is_number_integer() || !p[1].is_number_integer()) {
          fail(source, pf, "expected integer deltas in a quantized topology");
        }
        qx += p[0].get<std::int64_t>();
        qy += p[1].get<std::int64_t>();
        pts.push_back({static_cast<double>(qx) * sx + tx, static_cast<double>(qy) * sy + ty});
      } else {
        pts.push_back({number(p[0], source, pf), number(p[1], source, pf)});
      }
    }
    arcs.push_back(std::move(pts));
    ++ai;
  }
  return arcs;
}

Ring make_ring(const nlohmann::json& indices, const std::vector<std::vector<LonLatDeg>>& arcs,
               std::string_view source, const std::string& field) {
  if (!indices.is_array()) fail(source, field, "expected an array of arc indices");
  Ring ring;
  std::size_t k = 0;
  for (const nlohmann::json& ij : indices) {
    const std::string f = field + "[" + std::to_string(k++) + "]";
    if (!ij.is_number_integer()) fail(source, f, "expected an arc index");
    const auto i = ij.get<std::int64_t>();
    const auto n = static_cast<std::int64_t>(arcs.size());
    const std::int64_t a = i >= 0 ? i : ~i;
    if (a >= n) fail(source, f, "arc index " + std::to_string(i) + " out of range");
    const auto& arc = arcs[static_cast<std::size_t>(a)];
    std::vector<LonLatDeg> pts(arc);
    if (i < 0) std::reverse(pts.begin(), pts.end());
    // Each arc after the first starts where the previous one ended.
    ring.insert(ring.end(), pts.begin() + (ring.empty() ? 0 : 1), pts.end());
  }
  return ring;
}

}  // namespace

std::vector<TopoFeature> read_topojson(std::string_view text, std::string_view object,
                                       std::string_view source) {
  nlohmann::json topo;
  try {
    topo = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    fail(source, "", std::string("invalid JSON: ") + e.what());
  }
  if (!topo.is_object() || topo.value("type", "") != "Topology") {
    fail(source, "type", "expected a TopoJSON Topology");
  }
  const auto arcs = decode_arcs(topo, source);
  const std::string oname(object);
  if (!topo.contains("objects") || !topo["objects"].is_object() || !topo["objects"].contains(oname)) {
    fail(source, "objects", "expected an object named \"" + oname + "\"");
  }
  const nlohmann::json& coll = topo["objects"][oname];
  if (!coll.is_object() || !coll.contains("geometries") || !coll["geometries"].is_array()) {
    fail(source, "objects." + oname, "expected a GeometryCollection");
  }
  std::vector<TopoFeature> out;
  std::size_t gi = 0;
  for (const nlohmann::json& g : coll["geometries"]) {
    const std::string field = "objects." + oname + ".geometries[" + std::to_string(gi++) + "]";
    if (!g.is_object()) fail(source, field, "expected a geometry object");
    const std::string type = g.value("type", "");
    if (type != "Polygon" && type != "MultiPolygon") continue;
    TopoFeature f;
    if (g.contains("id")) f.id = g["id"].is_string() ? g["id"].get<std::string>() : g["id"].dump();
    if (g.contains("properties") && g["properties"].is_object() && g["properties"].contains("name") &&
        g["properties"]["name"].is_string()) {
      f.name = g["properties"]["name"].get<std::string>();
    }
    if (!g.contains("arcs") || !g["arcs"].is_array()) fail(source, field + ".arcs", "expected an array");
    const nlohmann::json& a = g["arcs"];
    if (type == "Polygon") {
      for (std::size_t r = 0; r < a.size(); ++r) {
        f.rings.push_back(make_ring(a[r], arcs, source, field + ".arcs[" + std::to_string(r) + "]"));
      }
    } else {
      for (std::size_t p = 0; p < a.size(); ++p) {
        if (!a[p].is_array()) fail(source, field + ".arcs[" + std::to_string(p) + "]", "expected an array");
        for (std::size_t r = 0; r < a[p].size(); ++r) {
          f.rings.push_back(make_ring(a[p][r], arcs, source,
                                      field + ".arcs[" + std::to_string(p) + "][" + std::to_string(r) + "]"));
        }
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace skyfence::earth::internal
