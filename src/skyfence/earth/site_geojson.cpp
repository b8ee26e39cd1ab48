// Sites from GeoJSON (RFC 7946) Point features, parsed with nlohmann_json. nlohmann keeps no
// positions, so a light scan of the text finds the line where each feature starts; the scan also
// bounds the nesting depth, since printing a deeply nested attribute value would recurse.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "skyfence/earth/internal/site_fields.h"
#include "skyfence/earth/site.h"

namespace skyfence::earth::internal {

namespace {

// ordered_json keeps properties in file order, so attributes come out in the order written.
using Json = nlohmann::ordered_json;

constexpr int kMaxDepth = 256;

struct Scan {
  std::vector<int> feature_lines;  // line of each element of the root object's "features" array
  int root_line = 0;               // line of the root '{'
  int max_depth = 0;
  int deepest_line = 0;
};

Scan scan(std::string_view text) {
  Scan s;
  int line = 1;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  std::string root_string;  // the last string seen directly in the root object
  std::string pending_key;  // the root key whose value comes next
  int features_depth = 0;   // depth inside the features array, 0 when not in it
  bool features_done = false;
  bool expect_item = false;
  for (char c : text) {
    if (c == '\n') ++line;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
        continue;
      }
      if (depth == 1) root_string += c;
      continue;
    }
    if (expect_item && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      if (c != ']') s.feature_lines.push_back(line);
      expect_item = false;
    }
    switch (c) {
      case '"':
        in_string = true;
        if (depth == 1) root_string.clear();
        break;
      case ':':
        if (depth == 1) pending_key = root_string;
        break;
      case '[':
      case '{':
        if (depth == 0 && c == '{') s.root_line = line;
        if (depth == 1 && c == '[' && pending_key == "features" && !features_done) {
          features_depth = 2;
          expect_item = true;
        }
        ++depth;
        if (depth > s.max_depth) {
          s.max_depth = depth;
          s.deepest_line = line;
        }
        break;
      case ']':
      case '}':
        if (depth == features_depth) {
          features_depth = 0;
          features_done = true;
        }
        --depth;
        break;
      case ',':
        if (depth == 1) pending_key.clear();
        if (features_depth != 0 && depth == features_depth) expect_item = true;
        break;
      default:
        break;
    }
  }
  return s;
}

// A JSON value for a message: strings quoted, numbers and literals as spelled, containers by kind.
std::string describe(const Json& v) {
  if (v.is_string()) return quote(v.get_ref<const std::string&>());
  if (v.is_number() || v.is_boolean() || v.is_null()) return v.dump();
  return v.is_array() ? "an array" : "an object";
}

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

  Site read(SourceLocation& id_where) const {
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

    site.location = location();

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

int line_of(std::string_view text, std::size_t byte) {
  int line = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
  }
  return line;
}

}  // namespace

SiteList read_sites_geojson(std::string_view text, std::string_view source, const SiteReadOptions& options) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    file_error(source, 0, "expected a GeoJSON FeatureCollection or Feature, found an empty file");
  }
  const Scan positions = scan(text);
  if (positions.max_depth > kMaxDepth) {
    file_error(
        source, positions.deepest_line,
        "expected JSON nested at most " + std::to_string(kMaxDepth) + " levels deep, found deeper nesting");
  }
  Json doc;
  try {
    doc = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    if (const std::size_t close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    file_error(source, line_of(text, e.byte > 0 ? e.byte - 1 : 0),
               "expected JSON, found a syntax error: " + what);
  } catch (const Json::exception& e) {
    // Out-of-range numbers (1e400) and the like: nlohmann gives no position for them.
    std::string what = e.what();
    if (const std::size_t close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    file_error(source, 0, "expected JSON, found: " + what);
  }
  if (!doc.is_object())
    file_error(source, 0, "expected a GeoJSON FeatureCollection or Feature, found " + describe(doc));
  const auto type = doc.find("type");
  const std::string type_name =
      type != doc.end() && type->is_string() ? type->get<std::string>() : std::string();

  SiteCollector collector(options, source);
  const auto read_one = [&](const Json& feature, const std::string& label, int line) {
    try {
      const FeatureReader reader(feature, label, line, source, options);
      SourceLocation id_where;
      Site site = reader.read(id_where);
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
      file_error(source, positions.root_line,
                 "features: expected an array of Features, found " +
                     (features == doc.end() ? std::string("none") : describe(*features)));
    }
    // The scanned lines are trusted only when the scan found exactly one start per feature.
    const bool lines_ok = positions.feature_lines.size() == features->size();
    for (std::size_t k = 0; k < features->size(); ++k) {
      read_one((*features)[k], "features[" + std::to_string(k) + "]",
               lines_ok ? positions.feature_lines[k] : 0);
    }
  } else if (type_name == "Feature") {
    read_one(doc, "feature", positions.root_line);
  } else {
    file_error(source, positions.root_line,
               "type: expected \"FeatureCollection\" or \"Feature\", found " +
                   (type == doc.end() ? std::string("none") : describe(*type)));
  }
  return collector.take();
}

}  // namespace skyfence::earth::internal
