// Service model files: the bundled models load and classify the real catalogs; bad files list every
// problem with its line and key.
#include "skyfence/capacity/service_model.h"
#include "skyfence/core/units.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numbers>
#include <string>

#include "skyfence/orbits/tle.h"

namespace skyfence::capacity {
namespace {

const std::string kData = SKYFENCE_DATA_DIR;

constexpr const char* kMinimal = R"(
name = "test"
cell_level = 9
max_beams_per_cell = 4
isl = false
[spectral_efficiency]
elevation_deg = [25.0, 55.0]
bps_per_hz = [2.0, 5.0]
[[satellite_class]]
name = "big"
name_pattern = "BIG-*"
capacity_down_gbps = 10.0
beams = 8
beam_bandwidth_mhz = 100.0
[[satellite_class]]
name = "small"
norad_range = [100, 200]
capacity_down_gbps = 0.5
beams = 2
beam_bandwidth_mhz = 50.0
)";

TEST(CapacityServiceModel, ReadsTheFormulasOfTheHeader) {
  const ServiceModel m = parse_service_model(kMinimal, "minimal.toml");
  EXPECT_EQ(m.name, "test");
  EXPECT_EQ(m.status, "deployed");
  EXPECT_EQ(m.cell_level, 9);
  EXPECT_FALSE(m.has_gateways);
  // Linear between points, constant beyond the ends.
  EXPECT_DOUBLE_EQ(m.efficiency(10 * kRadPerDeg), 2.0);
  EXPECT_NEAR(m.efficiency(40 * kRadPerDeg), 3.5, 1e-12);
  EXPECT_DOUBLE_EQ(m.efficiency(80 * kRadPerDeg), 5.0);
  const SatelliteClass* big = m.class_of("BIG-7", 5);
  const SatelliteClass* small = m.class_of("OTHER", 150);
  ASSERT_NE(big, nullptr);
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(big->name, "big");
  EXPECT_EQ(small->name, "small");
  EXPECT_EQ(m.class_of("OTHER", 201), nullptr);
  // min(10,000, 8 x 100 x 5 = 4,000) Mbps; min(500, 2 x 50 x 5 = 500).
  EXPECT_DOUBLE_EQ(m.satellite_capacity_mbps(*big), 4000.0);
  EXPECT_DOUBLE_EQ(m.satellite_capacity_mbps(*small), 500.0);
  EXPECT_NEAR(m.beam_rate_mbps(*big, 40 * kRadPerDeg), 350.0, 1e-9);
  // No priorities: everyone shares rank 0.
  EXPECT_EQ(m.rank("military"), 0U);
}

TEST(CapacityServiceModel, BackgroundLoadAndPriorities) {
  std::string text = kMinimal;
  text.insert(text.find("[spectral_efficiency]"),
              "background_load = 0.25\npriorities = [\"government\", [\"military\", \"police\"]]\n");
  const ServiceModel m = parse_service_model(text, "p.toml");
  EXPECT_DOUBLE_EQ(m.satellite_capacity_mbps(*m.class_of("BIG-1", 1)), 3000.0);
  EXPECT_EQ(m.rank("government"), 0U);
  EXPECT_EQ(m.rank("military"), 1U);
  EXPECT_EQ(m.rank("police"), 1U);
  EXPECT_EQ(m.rank("civil"), 2U);
  EXPECT_EQ(m.rank(""), 2U);
}

TEST(CapacityServiceModel, EveryProblemIsListedWithItsLineAndKey) {
  const std::string bad = R"(name = "x"
cell_level = 40
max_beams_per_cell = "eight"
isl = false
colour = "blue"
[spectral_efficiency]
elevation_deg = [50.0, 25.0]
bps_per_hz = [2.0, 5.0]
[[satellite_class]]
name = "a"
capacity_down_gbps = -1.0
beams = 8
beam_bandwidth_mhz = 100.0
)";
  try {
    (void)parse_service_model(bad, "bad.toml");
    FAIL() << "expected InputErrors";
  } catch (const InputErrors& e) {
    std::map<std::string, int> lines;
    for (const InputError& issue : e.issues()) {
      EXPECT_EQ(issue.where().file, "bad.toml");
      lines[issue.where().field] = issue.where().line;
    }
    EXPECT_EQ(lines.at("cell_level"), 2);
    EXPECT_EQ(lines.at("max_beams_per_cell"), 3);
    EXPECT_EQ(lines.at("colour"), 5);
    EXPECT_EQ(lines.at("spectral_efficiency.elevation_deg"), 7);
    EXPECT_EQ(lines.at("satellite_class[0].capacity_down_gbps"), 11);
    EXPECT_EQ(e.issues().size(), 5U);
  }
  EXPECT_THROW((void)parse_service_model("name = [", "broken.toml"), InputError);
  EXPECT_THROW((void)read_service_model("/nonexistent/model.toml"), InputError);
}

TEST(CapacityServiceModel, AMissingGatewayFileIsAProblemOfTheModel) {
  std::string text = kMinimal;
  text.insert(text.find("[[satellite_class]]"),
              "[gateways]\nfile = \"nowhere.csv\"\nmin_elevation_deg = 20.0\ncapacity_gbps = 10.0\n");
  EXPECT_THROW((void)parse_service_model(text, "/tmp/m.toml"), InputError);
}

// A device, a directory or a kernel file that reports size 0 is refused before it is read: /dev/zero or
// /proc/self/pagemap would otherwise be read without end.
TEST(CapacityServiceModel, AGatewayFileThatIsNotARegularFileIsRefused) {
  for (const char* file : {"/dev/zero", "/tmp", "/proc/self/pagemap"}) {
    std::string text = kMinimal;
    text.insert(text.find("[[satellite_class]]"), std::string("[gateways]\nfile = \"") + file +
                                                      "\"\nmin_elevation_deg = 20.0\ncapacity_gbps = 10.0\n");
    try {
      (void)parse_service_model(text, "/tmp/m.toml");
      FAIL() << "expected InputErrors for " << file;
    } catch (const InputErrors& e) {
      ASSERT_EQ(e.issues().size(), 1U) << file;
      EXPECT_EQ(e.issues().front().where().field, "gateways.file") << file;
    }
  }
}

// Two adjacent doubles in degrees can be one double in radians; the table must still increase
// strictly where it is used (found while writing the checks of fuzz/service_model_fuzz.cpp).
TEST(CapacityServiceModel, ElevationsEqualInRadiansAreRefused) {
  std::string text = kMinimal;
  const std::string old_el = "elevation_deg = [25.0, 55.0]";
  text.replace(text.find(old_el), old_el.size(), "elevation_deg = [58.860245110968485, 58.86024511096849]");
  ASSERT_NE(58.860245110968485, 58.86024511096849);
  ASSERT_EQ(58.860245110968485 * kRadPerDeg, 58.86024511096849 * kRadPerDeg);
  try {
    (void)parse_service_model(text, "m.toml");
    FAIL() << "expected InputErrors";
  } catch (const InputErrors& e) {
    ASSERT_EQ(e.issues().size(), 1U);
    EXPECT_EQ(e.issues().front().where().field, "spectral_efficiency.elevation_deg");
  }
}

// Just below a point, the interpolation's factor can round to 1; with an efficiency far below the one
// before it, y0 + 1 * (y1 - y0) was 0. It stays between the two points.
TEST(CapacityServiceModel, EfficiencyJustBelowAPointStaysPositive) {
  std::string text = kMinimal;
  const std::string old_el = "elevation_deg = [25.0, 55.0]";
  text.replace(text.find(old_el), old_el.size(), "elevation_deg = [0.9488224244770833, 6.0]");
  const std::string old_eff = "bps_per_hz = [2.0, 5.0]";
  text.replace(text.find(old_eff), old_eff.size(), "bps_per_hz = [1e300, 1e-300]");
  const ServiceModel m = parse_service_model(text, "m.toml");
  const double below = std::nextafter(m.efficiency_elevation_rad[1], 0.0);
  EXPECT_GE(m.efficiency(below), 1e-300);
  EXPECT_LE(m.efficiency(below), 1e300);
  EXPECT_EQ(m.efficiency(m.efficiency_elevation_rad[1]), 1e-300);
}

// The bundled models load, and their classes split the real catalogs as data/providers/PROVENANCE.md
// states.
TEST(CapacityServiceModel, BundledModelsClassifyTheBundledCatalogs) {
  for (const char* name : {"starlink", "oneweb", "kuiper", "kuiper-planned", "iridium"}) {
    SCOPED_TRACE(name);
    const ServiceModel m = read_service_model(kData + "/providers/" + name + ".toml");
    EXPECT_EQ(m.name, name);
    EXPECT_FALSE(m.classes.empty());
  }
  const ServiceModel starlink = read_service_model(kData + "/providers/starlink.toml");
  EXPECT_TRUE(starlink.isl);
  EXPECT_EQ(starlink.gateways.size(), 261U);
  std::map<std::string, int> counts;
  for (const orbits::ElementSet& s : orbits::read_tle_file(kData + "/tle/starlink_2026-04-27.tle").sets) {
    const SatelliteClass* c = starlink.class_of(s.name, s.norad_id);
    ASSERT_NE(c, nullptr) << s.name;
    ++counts[c->name];
  }
  int total = 0;
  for (const auto& [cls, n] : counts) total += n;
  EXPECT_EQ(total, 10238);
  const ServiceModel oneweb = read_service_model(kData + "/providers/oneweb.toml");
  EXPECT_FALSE(oneweb.isl);
  EXPECT_EQ(oneweb.gateways.size(), 43U);
  for (const orbits::ElementSet& s : orbits::read_tle_file(kData + "/tle/oneweb_2026-03-26.tle").sets) {
    EXPECT_NE(oneweb.class_of(s.name, s.norad_id), nullptr) << s.name;
  }
}

}  // namespace
}  // namespace skyfence::capacity
