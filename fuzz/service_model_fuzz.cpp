// Fuzz target: the service model reader (capacity::parse_service_model, TOML text to ServiceModel).
// Every input must either give a model or throw InputError (InputErrors listing at least one problem,
// each with a message); and an accepted model holds the ranges of service_model.h: a name, status
// "deployed" or "planned", cell_level 0..30, max_beams_per_cell >= 1, background_load in [0, 1), a
// non-empty efficiency table with strictly increasing elevations in [0, pi/2] rad and positive
// efficiencies, at least one satellite class, each with capacity > 0, beams >= 1 and bandwidth > 0,
// gateway capacity > 0 when there are gateways. Its functions must then answer for any elevation and
// satellite: efficiency() finite and positive, satellite_capacity_mbps() finite and >= 0. A model with an
// uplink has it in every class, and its uplink_model() holds the same ranges; one without has it in none.
//
// The model's path lies in a folder of the temporary directory that does not exist, so a relative
// gateways file never resolves; parsing must never create it. An absolute one is read (a device such
// as /dev/zero must be refused, not read without end).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "skyfence/capacity/service_model.h"

using namespace skyfence;
using skyfence::fuzz::check;

namespace {

// 90 degrees converted as the reader converts them may lie an ulp or two above pi/2.
constexpr double kMaxElevationRad = std::numbers::pi / 2 + 1e-12;

void check_efficiency(const capacity::ServiceModel& m) {
  const std::vector<double>& x = m.efficiency_elevation_rad;
  const std::vector<double>& y = m.efficiency_bps_per_hz;
  check(!x.empty() && x.size() == y.size(), "an efficiency table, as many efficiencies as elevations");
  for (std::size_t k = 0; k < x.size(); ++k) {
    check(std::isfinite(x[k]) && x[k] >= 0.0 && x[k] <= kMaxElevationRad, "elevations in [0, pi/2] rad");
    check(k == 0 || x[k] > x[k - 1], "elevations strictly increasing");
    check(std::isfinite(y[k]) && y[k] > 0.0, "efficiencies finite and > 0");
  }
  std::vector<double> at{-std::numbers::pi,
                         -1e-9,
                         0.0,
                         1e-9,
                         std::numbers::pi / 4,
                         std::numbers::pi / 2,
                         4.0,
                         std::numeric_limits<double>::max(),
                         -std::numeric_limits<double>::max()};
  for (std::size_t k = 0; k < x.size(); ++k) {
    at.push_back(x[k]);
    at.push_back(std::nextafter(x[k], -1.0));
    at.push_back(std::nextafter(x[k], 4.0));
    if (k > 0) at.push_back(x[k - 1] + (x[k] - x[k - 1]) / 2);
  }
  for (double e : at) {
    const double eff = m.efficiency(e);
    check(std::isfinite(eff) && eff > 0.0, "efficiency() finite and > 0 at any elevation");
  }
  const double best = m.max_efficiency();
  check(std::isfinite(best) && best > 0.0, "max_efficiency() finite and > 0");
}

void check_model(const capacity::ServiceModel& m, const std::string& path, bool uplink_view = false) {
  check(!m.name.empty(), "a name");
  check(m.status == "deployed" || m.status == "planned", "status deployed or planned");
  check(m.source == path, "the source is the path given");
  check(m.cell_level >= 0 && m.cell_level <= 30, "cell_level in 0..30");
  check(m.max_beams_per_cell >= 1, "max_beams_per_cell >= 1");
  check(m.background_load >= 0.0 && m.background_load < 1.0, "background_load in [0, 1)");
  for (const auto& [customer, rank] : m.priorities) {
    check(!customer.empty() && rank < m.unlisted_rank && m.rank(customer) == rank,
          "ranked customers named, before the unlisted rank");
  }
  check(m.rank("") == m.unlisted_rank, "the unnamed customer is unlisted");
  check_efficiency(m);
  if (m.has_gateways) {
    check(m.gateway_capacity_mbps > 0.0 && std::isfinite(m.gateway_capacity_mbps), "gateway capacity > 0");
    check(m.gateway_min_elevation_rad >= 0.0 && m.gateway_min_elevation_rad <= kMaxElevationRad,
          "gateway elevation in [0, pi/2] rad");
    check(!m.gateways.empty(), "gateways read");
  } else {
    check(m.gateways.empty(), "no gateways without a [gateways] table");
  }
  check(!m.classes.empty(), "at least one satellite class");
  for (const capacity::SatelliteClass& c : m.classes) {
    check(std::isfinite(c.capacity_down_mbps) && c.capacity_down_mbps > 0.0, "class capacity > 0");
    check(c.beams >= 1, "class beams >= 1");
    check(std::isfinite(c.beam_bandwidth_mhz) && c.beam_bandwidth_mhz > 0.0, "class bandwidth > 0");
    check(c.norad_low.has_value() == c.norad_high.has_value(), "norad_range: both ends or neither");
    if (c.norad_low) check(*c.norad_low <= *c.norad_high, "norad_range: low <= high");
    const double capacity = m.satellite_capacity_mbps(c);
    check(std::isfinite(capacity) && capacity >= 0.0, "satellite_capacity_mbps finite and >= 0");
    const double rate = m.beam_rate_mbps(c, std::numbers::pi / 4);
    check(!std::isnan(rate) && rate >= 0.0, "beam_rate_mbps >= 0");
  }
  std::size_t with_uplink = 0;
  for (const capacity::SatelliteClass& c : m.classes) {
    if (!c.has_uplink) continue;
    ++with_uplink;
    check(std::isfinite(c.capacity_up_mbps) && c.capacity_up_mbps > 0.0 && c.beams_up >= 1 &&
              std::isfinite(c.beam_bandwidth_up_mhz) && c.beam_bandwidth_up_mhz > 0.0,
          "class uplink figures > 0");
  }
  check(with_uplink == (m.has_uplink ? m.classes.size() : 0), "the uplink in every class or in none");
  if (m.has_uplink && !uplink_view) {
    check(!m.efficiency_up_elevation_rad.empty(), "an uplink efficiency table");
    check_model(capacity::uplink_model(m), path, true);
  }
  // Whatever class_of finds matches the satellite.
  for (const char* name : {"", "STARLINK-1007", "ONEWEB-0012", "*?"}) {
    for (std::uint32_t norad : {0u, 25544u, 999999999u, 4294967295u}) {
      const capacity::SatelliteClass* c = m.class_of(name, norad);
      check(c == nullptr || c->matches(name, norad), "class_of gives a matching class");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "skyfence-fuzz-service-model-never-created";
  static const std::string path = (dir / "fuzz.toml").string();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    check_model(capacity::parse_service_model(text, path), path);
  } catch (const InputErrors& e) {
    fuzz::check_message(e);
    check(!e.issues().empty(), "InputErrors lists its problems");
    for (const InputError& issue : e.issues()) fuzz::check_message(issue);
  } catch (const InputError& e) {
    fuzz::check_message(e);
  }
  std::error_code ec;
  check(!std::filesystem::exists(dir, ec), "parsing writes nothing");
  return 0;
}
