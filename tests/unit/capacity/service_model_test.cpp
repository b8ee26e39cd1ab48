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

// kMinimal with the uplink: `big` and `small` given uplink figures, and an optional extra text.
std::string with_uplink(const std::string& extra = "") {
  std::string text = kMinimal;
  const auto after = [&](const std::string& line, const std::string& add) {
    const std::size_t at = text.find(line);
    text.insert(at + line.size(), add);
  };
  after("beam_bandwidth_mhz = 100.0\n",
        "capacity_up_gbps = 1.5\nbeams_up = 4\nbeam_bandwidth_up_mhz = 25.0\n");
  after("beam_bandwidth_mhz = 50.0\n",
        "capacity_up_gbps = 0.1\nbeams_up = 1\nbeam_bandwidth_up_mhz = 10.0\n");
  return text + extra;
}

TEST(CapacityServiceModel, AModelWithoutUplinkFiguresHasNoUplink) {
  const ServiceModel m = parse_service_model(kMinimal, "minimal.toml");
  EXPECT_FALSE(m.has_uplink);
  EXPECT_THROW((void)uplink_model(m), std::invalid_argument);
}

TEST(CapacityServiceModel, TheUplinkModelTakesTheUplinkFigures) {
  const ServiceModel m = parse_service_model(with_uplink(), "up.toml");
  ASSERT_TRUE(m.has_uplink);
  // Without [spectral_efficiency_up] the downlink's table.
  EXPECT_EQ(m.efficiency_up_bps_per_hz, m.efficiency_bps_per_hz);
  const ServiceModel up = uplink_model(m);
  EXPECT_EQ(up.classes[0].beams, 4U);
  EXPECT_DOUBLE_EQ(up.classes[0].beam_bandwidth_mhz, 25.0);
  // min(1,500, 4 x 25 MHz x 5 b/s/Hz = 500) and min(100, 1 x 10 x 5 = 50) Mbps.
  EXPECT_DOUBLE_EQ(up.satellite_capacity_mbps(up.classes[0]), 500.0);
  EXPECT_DOUBLE_EQ(up.satellite_capacity_mbps(up.classes[1]), 50.0);
  // The downlink's own figures are unchanged, and what is not per direction is shared.
  EXPECT_DOUBLE_EQ(m.satellite_capacity_mbps(m.classes[0]), 4000.0);
  EXPECT_EQ(up.cell_level, m.cell_level);
  EXPECT_EQ(up.max_beams_per_cell, m.max_beams_per_cell);

  // An uplink table of its own, and the background load applied to the uplink too.
  const ServiceModel own = parse_service_model(
      "background_load = 0.5\n" +
          with_uplink("[spectral_efficiency_up]\nelevation_deg = [25.0]\nbps_per_hz = [1.0]\n"),
      "own.toml");
  const ServiceModel own_up = uplink_model(own);
  EXPECT_DOUBLE_EQ(own_up.efficiency(60 * kRadPerDeg), 1.0);
  EXPECT_DOUBLE_EQ(own.efficiency(60 * kRadPerDeg), 5.0);
  EXPECT_DOUBLE_EQ(own_up.satellite_capacity_mbps(own_up.classes[0]), 0.5 * 100.0);
}

TEST(CapacityServiceModel, UplinkProblemsAreListedWithTheirKeys) {
  const auto fields = [](const std::string& text) {
    std::map<std::string, std::string> out;
    try {
      (void)parse_service_model(text, "bad.toml");
      ADD_FAILURE() << "expected InputErrors";
    } catch (const InputErrors& e) {
      for (const InputError& issue : e.issues()) out[issue.where().field] = issue.what();
    } catch (const InputError& e) {
      out[e.where().field] = e.what();
    }
    return out;
  };
  // One class with uplink figures, the other without.
  std::string half = kMinimal;
  half.insert(half.find("beam_bandwidth_mhz = 100.0\n") + 27,
              "capacity_up_gbps = 1.5\nbeams_up = 4\nbeam_bandwidth_up_mhz = 25.0\n");
  auto f = fields(half);
  ASSERT_TRUE(f.count("satellite_class[1].capacity_up_gbps")) << f.begin()->first;
  EXPECT_NE(f["satellite_class[1].capacity_up_gbps"].find("class \"small\" does not"), std::string::npos);
  // Two of the three keys.
  std::string partial = kMinimal;
  partial.insert(partial.find("beam_bandwidth_mhz = 100.0\n") + 27, "capacity_up_gbps = 1.5\nbeams_up = 4\n");
  f = fields(partial);
  ASSERT_TRUE(f.count("satellite_class[0].capacity_up_gbps"));
  EXPECT_NE(f["satellite_class[0].capacity_up_gbps"].find("found 2 of them"), std::string::npos);
  // Bad values.
  std::string bad = with_uplink();
  bad.replace(bad.find("beams_up = 4"), 12, "beams_up = 0");
  bad.replace(bad.find("capacity_up_gbps = 0.1"), 22, "capacity_up_gbps = -2.0");
  f = fields(bad);
  EXPECT_TRUE(f.count("satellite_class[0].beams_up"));
  EXPECT_TRUE(f.count("satellite_class[1].capacity_up_gbps"));
  // An uplink table without uplink figures, and a bad uplink table.
  f = fields(std::string(kMinimal) +
             "[spectral_efficiency_up]\nelevation_deg = [25.0]\nbps_per_hz = [1.0]\n");
  EXPECT_TRUE(f.count("spectral_efficiency_up"));
  f = fields(
      with_uplink("[spectral_efficiency_up]\nelevation_deg = [25.0, 20.0]\nbps_per_hz = [1.0, 2.0]\n"));
  EXPECT_TRUE(f.count("spectral_efficiency_up.elevation_deg"));
  f = fields(
      with_uplink("[spectral_efficiency_up]\nelevation_deg = [25.0]\nbps_per_hz = [1.0]\nnoise = 1\n"));
  EXPECT_TRUE(f.count("spectral_efficiency_up.noise"));
}

TEST(CapacityServiceModel, BundledModelsModelTheUplink) {
  // The satellites' uplink capacity by class (PROVENANCE.md, "The uplink"), Mbps.
  const std::map<std::string, double> expected{
      {"v2-mini", 6000.0}, {"v2-mini-dtc", 6000.0},    {"other", 6000.0},
      {"v1", 1700.0},      {"v1-annotated", 1700.0},   {"gen1", 2400.0},
      {"kuiper", 5000.0},  {"kuiper-planned", 5000.0}, {"iridium-next", 33.6}};
  for (const char* name : {"starlink", "oneweb", "kuiper", "kuiper-planned", "iridium"}) {
    SCOPED_TRACE(name);
    const ServiceModel m = read_service_model(kData + "/providers/" + name + ".toml");
    ASSERT_TRUE(m.has_uplink);
    const ServiceModel up = uplink_model(m);
    for (std::size_t k = 0; k < up.classes.size(); ++k) {
      const SatelliteClass& c = up.classes[k];
      EXPECT_NEAR(up.satellite_capacity_mbps(c), expected.at(c.name), 1e-9 * expected.at(c.name)) << c.name;
      // The uplink is the smaller direction everywhere.
      EXPECT_LT(up.satellite_capacity_mbps(c), m.satellite_capacity_mbps(m.classes[k])) << c.name;
    }
  }
}

}  // namespace
}  // namespace skyfence::capacity
