// Country regions from the bundled Natural Earth borders (TopoJSON) and the ISO 3166-1 table.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "skyfence/core/read_file.h"
#include "skyfence/earth/internal/site_fields.h"
#include "skyfence/earth/internal/topojson.h"
#include "skyfence/earth/region.h"

namespace skyfence::earth {

namespace internal {

struct CountryData {
  std::vector<Country> countries;
  std::vector<std::vector<Ring>> rings;  // per country
  std::string source;
};

}  // namespace internal

namespace {

// World-atlas quantizes latitudes from -89.999: Natural Earth's edge along the south pole becomes a
// separate ring at -89.999 that encircles the pole. Read as its smaller side it would cut a 111 m
// hole at the pole out of Antarctica, so a ring lying entirely this close to a pole is dropped.
bool is_pole_ring(const Ring& ring) {
  return std::all_of(ring.begin(), ring.end(),
                     [](const LonLatDeg& p) { return std::fabs(p.lat_deg) >= 89.999 - 1e-9; });
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

CountryBorders CountryBorders::read(const std::string& topojson_path, const std::string& iso_codes_path) {
  // ISO 3166-1 table: numeric -> codes and name.
  std::map<std::string, Country> iso;
  {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(read_file(iso_codes_path));
    } catch (const nlohmann::json::exception& e) {
      throw InputError(SourceLocation{iso_codes_path, 0, ""}, std::string("invalid JSON: ") + e.what());
    }
    if (!j.is_object() || !j.contains("3166-1") || !j["3166-1"].is_array()) {
      throw InputError(SourceLocation{iso_codes_path, 0, "3166-1"}, "expected an array");
    }
    for (const auto& e : j["3166-1"]) {
      if (!e.is_object()) continue;
      Country c;
      c.alpha2 = e.value("alpha_2", "");
      c.alpha3 = e.value("alpha_3", "");
      c.numeric = e.value("numeric", "");
      c.iso_name = e.value("name", "");
      if (!c.numeric.empty()) iso[c.numeric] = c;
    }
  }
  auto data = std::make_shared<internal::CountryData>();
  data->source = topojson_path;
  for (auto& f : internal::read_topojson(read_file(topojson_path), "countries", topojson_path)) {
    Country c;
    if (auto it = iso.find(f.id); !f.id.empty() && it != iso.end()) c = it->second;
    c.name = f.name.empty() ? f.id : f.name;
    std::vector<Ring> rings;
    for (auto& r : f.rings) {
      if (!is_pole_ring(r)) rings.push_back(std::move(r));
    }
    data->countries.push_back(std::move(c));
    data->rings.push_back(std::move(rings));
  }
  return CountryBorders(std::move(data));
}

CountryBorders CountryBorders::read_bundled(const std::string& data_dir) {
  return read(data_dir + "/borders/countries-50m.json", data_dir + "/borders/iso_3166-1.json");
}

const std::vector<Country>& CountryBorders::countries() const {
  return data_->countries;
}

Region CountryBorders::find(std::string_view query) const {
  const std::string q = internal::lower_ascii(internal::trim(query));
  std::string numeric = q;
  if (!q.empty() && q.size() < 3 &&
      std::all_of(q.begin(), q.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    numeric = std::string(3 - q.size(), '0') + q;
  }
  const auto& cs = data_->countries;
  std::vector<std::size_t> hits;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const Country& c = cs[i];
    const bool code = !q.empty() && ((!c.alpha3.empty() && internal::lower_ascii(c.alpha3) == q) ||
                                     (!c.alpha2.empty() && internal::lower_ascii(c.alpha2) == q) ||
                                     (!c.numeric.empty() && c.numeric == numeric));
    if (code) hits.push_back(i);
  }
  if (hits.empty()) {
    for (std::size_t i = 0; i < cs.size(); ++i) {
      if (!q.empty() && (internal::lower_ascii(cs[i].name) == q ||
                         (!cs[i].iso_name.empty() && internal::lower_ascii(cs[i].iso_name) == q))) {
        hits.push_back(i);
      }
    }
  }
  if (hits.empty()) {
    std::vector<std::pair<std::size_t, std::size_t>> scored;  // (distance, country)
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const Country& c = cs[i];
      std::size_t d = edit_distance(q, internal::lower_ascii(c.name));
      if (!c.iso_name.empty()) d = std::min(d, edit_distance(q, internal::lower_ascii(c.iso_name)));
      if (!c.alpha3.empty()) d = std::min(d, edit_distance(q, internal::lower_ascii(c.alpha3)));
      if (!q.empty() && (internal::lower_ascii(c.name).find(q) != std::string::npos ||
                         internal::lower_ascii(c.iso_name).find(q) != std::string::npos)) {
        d = 0;
      }
      if (d <= std::max<std::size_t>(2, q.size() / 3)) scored.emplace_back(d, i);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string close;
    for (std::size_t k = 0; k < scored.size() && k < 5; ++k) {
      const Country& c = cs[scored[k].second];
      close += (k ? ", " : "") + (c.alpha3.empty() ? c.name : c.alpha3 + " (" + c.name + ")");
    }
    throw InputError(SourceLocation{"", 0, "country"},
                     "unknown country \"" + std::string(query) + "\"" +
                         (close.empty() ? std::string("; expected an ISO 3166-1 code or a name")
                                        : "; did you mean: " + close + "?"));
  }
  std::vector<Ring> rings;
  for (std::size_t i : hits) rings.insert(rings.end(), data_->rings[i].begin(), data_->rings[i].end());
  return Region::from_rings(cs[hits.front()].name, rings,
                            SourceLocation{data_->source, 0, cs[hits.front()].name});
}

Region find_country(const CountryBorders& borders, std::string_view query) {
  return borders.find(query);
}

}  // namespace skyfence::earth
