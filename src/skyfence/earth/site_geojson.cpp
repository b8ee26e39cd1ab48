// Sites from GeoJSON (RFC 7946) Point features, parsed with nlohmann_json; internal/geojson_text.h
// finds the line where each feature starts.
#include <string>
#include <vector>

#include "skyfence/earth/internal/geojson_text.h"
#include "skyfence/earth/internal/site_feature.h"
#include "skyfence/earth/internal/site_fields.h"
#include "skyfence/earth/site.h"

namespace skyfence::earth::internal {

namespace {

// An attribute's text: strings as they are, null as empty, anything else as compact JSON.
std::string attribute_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return {};
  return v.dump();
}

class FeatureReader {
 public:
  FeatureReader(const Json& feature, std::string label, int line, std::string_view source,
                const SiteReadOptions& options)
      : f_(feature), label_(std::move(label)), line_(line), source_(source), options_(options) {}

  [[nodiscard]] SourceLocation where(const std::string& path) const {
    return SourceLocation{std::string(source_), line_, path.empty() ? label_ : label_ + ": " + path};
  }
  [[noreturn]] void fail(const std::string& path, const std::string& message) const {
    throw InputError(where(path), message);
  }

  Site read(SourceLocation& id_where, bool with_location) const {
    if (!f_.is_object()) fail("", "expected a Feature object, found " + describe(f_));
    const auto type = f_.find("type");
    if (type == f_.end() || !type->is_string() || *type != "Feature") {
      fail("type",
           std::string("expected \"Feature\", found ") + (type == f_.end() ? "none" : describe(*type)));
    }
    const Json* props = nullptr;
    if (const auto p = f_.find("properties"); p != f_.end() && !p->is_null()) {
      if (!p->is_object()) fail("properties", "expected an object or null, found " + describe(*p));
      props = &*p;
    }

    Site site;
    std::string id_key;  // the property used as the id, if any
    // A null feature id counts as absent (some writers emit "id": null beside properties.id).
    if (const auto id = f_.find("id"); id != f_.end() && !id->is_null()) {
      site.id = id_text(*id, "id");
      id_where = where("id");
    } else if (props != nullptr && props->contains("id")) {
      site.id = id_text(props->at("id"), "properties.id");
      id_key = "id";
      id_where = where("properties.id");
    } else {
      fail("id", "expected an id (the feature's \"id\" or properties.id), found none");
    }

    std::string name_key;
    if (props != nullptr) {
      if (!options_.name_column.empty()) {
        if (props->contains(options_.name_column)) name_key = options_.name_column;
      } else {
        for (const std::string_view candidate : kNameColumns) {
          if (props->contains(candidate)) {
            name_key = candidate;
            break;
          }
        }
      }
    }
    if (!name_key.empty()) {
      const Json& n = props->at(name_key);
      if (n.is_string()) {
        site.name = std::string(trim(n.get_ref<const std::string&>()));
      } else if (n.is_number()) {
        site.name = n.dump();
      } else if (!n.is_null()) {
        fail("properties." + name_key, "expected a string, found " + describe(n));
      }
    }
    if (site.name.empty()) site.name = site.id;

    if (with_location) site.location = location();

    if (props != nullptr) {
      for (const auto& [key, value] : props->items()) {
        if (key == id_key || key == name_key) continue;
        site.attributes.emplace_back(key, attribute_text(value));
      }
    }
    return site;
  }

 private:
  std::string id_text(const Json& v, const std::string& path) const {
    std::string id;
    if (v.is_string()) {
      id = std::string(trim(v.get_ref<const std::string&>()));
    } else if (v.is_number()) {
      id = v.dump();
    } else {
      fail(path, "expected a string or a number, found " + describe(v));
    }
    if (id.empty()) fail(path, "expected a non-empty id, found an empty value");
    return id;
  }

  frames::Geodetic location() const {
    const auto g = f_.find("geometry");
    if (g == f_.end()) fail("geometry", "expected a Point geometry, found none");
    if (!g->is_object()) fail("geometry", "expected a Point geometry, found " + describe(*g));
    const auto type = g->find("type");
    if (type == g->end()) fail("geometry.type", "expected \"Point\", found none");
    if (!type->is_string() || *type != "Point")
      fail("geometry.type", "expected \"Point\", found " + describe(*type));
    const auto c = g->find("coordinates");
    if (c == g->end())
      fail("geometry.coordinates", "expected [lon_deg, lat_deg] or [lon_deg, lat_deg, alt_m], found none");
    if (!c->is_array() || c->size() < 2 || c->size() > 3) {
      const std::string found = c->is_array() ? "an array of " + std::to_string(c->size()) : describe(*c);
      fail("geometry.coordinates",
           "expected [lon_deg, lat_deg] or [lon_deg, lat_deg, alt_m], found " + found);
    }
    const auto number = [&](std::size_t k, const char* what) {
      const Json& v = (*c)[k];
      const std::string path = "geometry.coordinates[" + std::to_string(k) + "]";
      if (!v.is_number()) fail(path, std::string("expected a number of ") + what + ", found " + describe(v));
      return v.get<double>();
    };
    const double lon = number(0, "degrees");
    check_longitude(lon, (*c)[0].dump(), where("geometry.coordinates[0]"));
    const double lat = number(1, "degrees");
    check_latitude(lat, (*c)[1].dump(), where("geometry.coordinates[1]"));
    double alt = 0.0;
    if (c->size() == 3) {
      alt = number(2, "metres");
      check_altitude(alt, (*c)[2].dump(), where("geometry.coordinates[2]"));
    }
    return to_geodetic(lat, lon, alt);
  }

  const Json& f_;
  std::string label_;
  int line_;
  std::string_view source_;
  const SiteReadOptions& options_;
};

[[noreturn]] void file_error(std::string_view source, int line, const std::string& message) {
  throw InputError(SourceLocation{std::string(source), line, ""}, message);
}

}  // namespace

Site read_feature_site(const Json& feature, const std::string& label, int line, std::string_view source,
                       const SiteReadOptions& options, SourceLocation& id_where, bool with_location) {
  const FeatureReader reader(feature, label, line, source, options);
  return reader.read(id_where, with_location);
}

SiteList read_sites_geojson(std::string_view text, std::string_view source, const SiteReadOptions& options) {
  const GeoJsonText parsed = parse_geojson_text(text, source, "a GeoJSON FeatureCollection or Feature");
  const Json& doc = parsed.doc;
  if (!doc.is_object())
    file_error(source, 0, "expected a GeoJSON FeatureCollection or Feature, found " + describe(doc));
  const auto type = doc.find("type");
  const std::string type_name =
      type != doc.end() && type->is_string() ? type->get<std::string>() : std::string();

  SiteCollector collector(options, source);
  const auto read_one = [&](const Json& feature, const std::string& label, int line) {
    try {
      SourceLocation id_where;
      Site site = read_feature_site(feature, label, line, source, options, id_where, true);
      std::string place = label;
      if (line > 0) place += " (line " + std::to_string(line) + ")";
      collector.accept(std::move(site), id_where, place);
    } catch (const InputError& e) {
      collector.reject(e);
    }
  };

  if (type_name == "FeatureCollection") {
    const auto features = doc.find("features");
    if (features == doc.end() || !features->is_array()) {
      file_error(source, parsed.root_line,
                 "features: expected an array of Features, found " +
                     (features == doc.end() ? std::string("none") : describe(*features)));
    }
    const bool lines_ok = !parsed.feature_lines.empty();
    for (std::size_t k = 0; k < features->size(); ++k) {
      read_one((*features)[k], "features[" + std::to_string(k) + "]", lines_ok ? parsed.feature_lines[k] : 0);
    }
  } else if (type_name == "Feature") {
    read_one(doc, "feature", parsed.root_line);
  } else {
    file_error(source, parsed.root_line,
               "type: expected \"FeatureCollection\" or \"Feature\", found " +
                   (type == doc.end() ? std::string("none") : describe(*type)));
  }
  return collector.take();
}

}  // namespace skyfence::earth::internal
