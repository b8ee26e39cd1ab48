// The plus grid's two pairing rules (nearest, same-index with a shift) and the readers of explicit ISL
// lists and of Hypatia's static state, with their bad inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/network/hypatia.h"
#include "skyfence/network/planes.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/walker.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::network {
namespace {

const time::Instant kPairingEpoch = time::parse_iso8601("2026-05-01T00:00:00Z");

// A 6-plane, 5-slot Walker delta 30/6/1.
struct Small {
  orbits::WalkerShell shell{.altitude_km = 550,
                            .inclination_deg = 53,
                            .planes = 6,
                            .sats_per_plane = 5,
                            .phasing = 1,
                            .pattern = orbits::WalkerPattern::delta};
  orbits::GeneratedConstellation gen = orbits::generate_walker(std::span(&shell, 1), kPairingEpoch);
  PlaneAssignment planes = planes_from_walker(gen.slots, std::span(&shell, 1));
  [[nodiscard]] std::uint32_t index(int plane, int slot) const {
    for (std::size_t i = 0; i < gen.slots.size(); ++i) {
      if (gen.slots[i].plane == plane && gen.slots[i].slot == slot) return static_cast<std::uint32_t>(i);
    }
    ADD_FAILURE() << "no satellite at plane " << plane << " slot " << slot;
    return 0;
  }
};

// Hypatia's +Grid, written from its generator's rule: (i, j) to (i, j + 1) and to (i + 1, j + shift),
// both modulo their counts.
std::vector<SatellitePair> hypatia_grid(const Small& s, int shift) {
  std::set<SatellitePair> out;
  const int p = s.shell.planes, n = s.shell.sats_per_plane;
  const auto add = [&](std::uint32_t a, std::uint32_t b) {
    out.insert(a < b ? SatellitePair{a, b} : SatellitePair{b, a});
  };
  for (int i = 0; i < p; ++i) {
    for (int j = 0; j < n; ++j) {
      add(s.index(i, j), s.index(i, (j + 1) % n));
      add(s.index(i, j), s.index((i + 1) % p, (((j + shift) % n) + n) % n));
    }
  }
  return {out.begin(), out.end()};
}

TEST(NetworkIslPairing, SameIndexIsHypatiasGridForAnyShift) {
  const Small s;
  for (int shift : {0, 1, 2, 4, 5, 7, -1}) {
    EXPECT_EQ(plus_grid_links(s.planes, {.pairing = IslPairing::same_index, .shift = shift}),
              hypatia_grid(s, shift))
        << "shift " << shift;
  }
}

TEST(NetworkIslPairing, NearestKeepsTheWalkerPhasingAcrossTheWrap) {
  const Small s;
  const auto nearest = plus_grid_links(s.planes);  // the default
  EXPECT_EQ(nearest, plus_grid_links(s.planes, {.pairing = IslPairing::nearest}));
  const std::set<SatellitePair> set(nearest.begin(), nearest.end());
  // Inside the shell the two rules agree (slot k faces slot k) ...
  EXPECT_TRUE(set.count({s.index(2, 3), s.index(3, 3)}) || set.count({s.index(3, 3), s.index(2, 3)}));
  // ... across the wrap nearest shifts by the phasing F = 1, same-index does not.
  const auto link = [](std::uint32_t a, std::uint32_t b) {
    return a < b ? SatellitePair{a, b} : SatellitePair{b, a};
  };
  EXPECT_TRUE(set.count(link(s.index(5, 2), s.index(0, 3))));
  EXPECT_FALSE(set.count(link(s.index(5, 2), s.index(0, 2))));
  const auto same = plus_grid_links(s.planes, {.pairing = IslPairing::same_index});
  const std::set<SatellitePair> same_set(same.begin(), same.end());
  EXPECT_TRUE(same_set.count(link(s.index(5, 2), s.index(0, 2))));
  EXPECT_EQ(same.size(), nearest.size());
}

TEST(NetworkIslPairing, SameIndexLeavesAMissingSlotWithoutPartner) {
  // Hand-made planes: plane 1 lacks slot 2 (three of four satellites).
  PlaneAssignment a;
  a.shells.push_back(ShellPlanes{.planes = 3, .satellites = 11, .min_per_plane = 3, .max_per_plane = 4});
  for (int j = 0; j < 3; ++j) {
    for (int k = 0; k < 4; ++k) {
      if (j == 1 && k == 2) continue;
      a.of.push_back(PlaneSlot{0, j, k});
    }
  }
  a.arg_latitude_rad.assign(a.of.size(), 0.0);
  // Satellite numbers: plane 0: 0-3, plane 1: 4 (slot 0), 5 (slot 1), 6 (slot 3), plane 2: 7-10.
  const auto links = plus_grid_links(a, {.pairing = IslPairing::same_index, .shift = 1});
  const std::set<SatellitePair> set(links.begin(), links.end());
  EXPECT_TRUE(set.count({0, 5}));   // (0,0) -> (1,1)
  EXPECT_TRUE(set.count({2, 6}));   // (0,2) -> (1,3)
  EXPECT_TRUE(set.count({3, 4}));   // (0,3) -> (1,0)
  EXPECT_FALSE(set.count({1, 6}));  // (0,1) -> (1,2): missing, no partner instead
  for (std::uint32_t b : {4u, 5u, 6u}) EXPECT_FALSE(set.count({1, b})) << "1-" << b;
  EXPECT_TRUE(set.count({5, 9}));                       // (1,1) -> (2,2)
  EXPECT_TRUE(set.count({6, 7}));                       // (1,3) -> (2,0)
  EXPECT_TRUE(set.count({7, 1}) || set.count({1, 7}));  // wrap (2,0) -> (0,1)
}

TEST(NetworkIslPairing, PlanesInFileOrder) {
  const Small s;
  // The generated sets, taken in Walker order (plane by plane), are numbered as Hypatia numbers them.
  const PlaneAssignment a = planes_in_file_order(s.gen.sets, 6, 5);
  ASSERT_EQ(a.of.size(), 30u);
  EXPECT_EQ(a.of[0], (PlaneSlot{0, 0, 0}));
  EXPECT_EQ(a.of[7], (PlaneSlot{0, 1, 2}));
  EXPECT_EQ(a.of[29], (PlaneSlot{0, 5, 4}));
  EXPECT_TRUE(a.shells.at(0).wraps);
  EXPECT_NEAR(a.shells[0].inclination_deg, 53.0, 1e-9);
  EXPECT_THROW(planes_in_file_order(s.gen.sets, 5, 5), std::invalid_argument);
  EXPECT_THROW(planes_in_file_order(s.gen.sets, 0, 5), std::invalid_argument);
}

// --gsl-max-range: with the masks at the horizon, a site links exactly to the satellites above its
// horizon and within the slant range, checked against plain vector geometry on a 10-degree grid.
TEST(NetworkGslRange, LinksExactlyTheSatellitesWithinRange) {
  const Small s;
  const visibility::Fleet fleet(s.gen.sets);
  std::vector<GroundNode> sites;
  for (int lat = -60; lat <= 60; lat += 10) {
    for (int lon = -180; lon < 180; lon += 10) {
      sites.push_back({std::to_string(lat) + "," + std::to_string(lon), frames::Geodetic::degrees(lat, lon)});
    }
  }
  for (double range_km : {800.0, 1500.0, 2500.0}) {
    NetworkOptions o;
    o.user_min_elevation_rad = o.gateway_min_elevation_rad = 0.0;
    o.gsl_max_range_km = range_km;
    o.ground_relay = false;
    const Network net(fleet, {}, {}, {}, sites, o);
    Snapshot snap;
    const time::Instant t = kPairingEpoch + time::Duration::seconds(600);
    net.snapshot(t, snap);
    std::size_t expected = 0;
    for (std::size_t e = 0; e < sites.size(); ++e) {
      const frames::Vec3 g = frames::geodetic_to_itrf(sites[e].location);
      const frames::Geodetic& loc = sites[e].location;
      const frames::Vec3 up{std::cos(loc.lat_rad) * std::cos(loc.lon_rad),
                            std::cos(loc.lat_rad) * std::sin(loc.lon_rad), std::sin(loc.lat_rad)};
      std::set<std::uint32_t> want;
      for (std::uint32_t i = 0; i < fleet.size(); ++i) {
        const frames::Vec3 d = snap.sat_itrf[i].r_km - g;
        if (d.dot(up) >= 0.0 && d.norm() <= range_km) want.insert(i);
      }
      std::set<std::uint32_t> got;
      const std::uint32_t node = net.endpoint_node(e);
      for (std::uint32_t a = snap.graph.offsets[node]; a < snap.graph.offsets[node + 1]; ++a) {
        got.insert(snap.graph.arcs[a].to);
        EXPECT_LE(snap.graph.arcs[a].delay_ms, range_km / kSpeedOfLightKmS * 1000.0);
      }
      EXPECT_EQ(got, want) << sites[e].id << ", range " << range_km << " km";
      expected += want.size();
    }
    EXPECT_EQ(snap.user_links, expected);
    if (range_km == 2500.0) {
      EXPECT_GT(expected, 0u);
    }
  }
}

// The error message of reading `text` as an ISL list (empty when it reads).
std::string isl_error(const std::string& text, const std::vector<orbits::ElementSet>& sats) {
  try {
    read_isl_list(text, "isls.txt", sats);
  } catch (const InputError& e) {
    return e.what();
  }
  return {};
}

std::vector<orbits::ElementSet> three_satellites() {
  std::vector<orbits::ElementSet> sats(3);
  sats[0].norad_id = 44713;
  sats[1].norad_id = 44714;
  sats[2].norad_id = 44715;
  return sats;
}

TEST(NetworkIslList, ReadsBothForms) {
  const auto sats = three_satellites();
  EXPECT_EQ(read_isl_list("1 2\n0 1\n\n", "isls.txt", sats), (std::vector<SatellitePair>{{0, 1}, {1, 2}}));
  EXPECT_EQ(read_isl_list("0\t2\r\n", "isls.txt", sats), (std::vector<SatellitePair>{{0, 2}}));
  EXPECT_EQ(read_isl_list("name,norad_b,norad_a\nx,44715,44713\ny,44713,44714\n", "isls.csv", sats),
            (std::vector<SatellitePair>{{0, 1}, {0, 2}}));
}

TEST(NetworkIslList, BadInputsAreLocated) {
  const auto sats = three_satellites();
  EXPECT_EQ(isl_error("0 1\n0 3\n", sats),
            "isls.txt:2: b: expected a satellite index below 3 (the satellites read), got 3");
  EXPECT_EQ(isl_error("0 1\n1 1\n", sats), "isls.txt:2: b: expected two distinct satellites");
  EXPECT_EQ(isl_error("0 1\n0 1\n", sats), "isls.txt:2: expected each link once, found this one again");
  EXPECT_EQ(
      isl_error("2 1\n", sats),
      "isls.txt:1: b: expected the second index larger than the first (as Hypatia's isls.txt), got 2 1");
  EXPECT_EQ(isl_error("0 1 2\n", sats),
            "isls.txt:1: expected two satellite indices \"a b\", found 3 field(s)");
  EXPECT_EQ(isl_error("0 x\n", sats),
            "isls.txt:1: b: expected a satellite index (a whole number >= 0), got \"x\"");
  EXPECT_EQ(isl_error("0 -1\n", sats),
            "isls.txt:1: b: expected a satellite index (a whole number >= 0), got \"-1\"");
  EXPECT_EQ(isl_error("\n\n", sats), "isls.txt: expected at least one inter-satellite link, found none");
  EXPECT_EQ(isl_error("a,b\n1,2\n", sats),
            "isls.txt:1: header: expected a header row with columns norad_a and norad_b (e.g. "
            "\"norad_a,norad_b\")");
  EXPECT_EQ(isl_error("norad_a,norad_b\n44713,99999\n", sats),
            "isls.txt:2: norad_b: expected the NORAD id of a satellite read, got 99999");
  EXPECT_EQ(isl_error("norad_a,norad_b\n44713,44713\n", sats),
            "isls.txt:2: norad_b: expected two distinct satellites");
  EXPECT_EQ(isl_error("norad_a,norad_b\n44713,44714\n44714,44713\n", sats),
            "isls.txt:3: expected each link once, found this one again");
  EXPECT_EQ(isl_error("norad_a,norad_b\n44713\n", sats),
            "isls.txt:2: expected 2 fields as in the header, found 1");
  EXPECT_EQ(isl_error("norad_a,norad_b\n", sats),
            "isls.txt: expected at least one inter-satellite link, found none");
}

std::string error_of(auto&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return {};
}

TEST(NetworkHypatiaState, BadGroundStationsAndDescriptions) {
  const auto gs = [](const std::string& text) {
    return error_of([&] { read_hypatia_ground_stations(text, "gs.txt"); });
  };
  EXPECT_EQ(gs("0,Paris,48.8,2.3,0\n1,Rome,41.9,12.5,0\n"), "");
  EXPECT_EQ(gs("0,Paris,48.8,2.3\n"),
            "gs.txt:1: expected 5 fields gid,name,lat_deg,lon_deg,elev_m (or 8 with x_m,y_m,z_m), found 4");
  EXPECT_EQ(gs("0,Paris,48.8,2.3,0\n2,Rome,41.9,12.5,0\n"),
            "gs.txt:2: gid: expected ground station ids counting up from 0: 1, got 2");
  EXPECT_EQ(gs("0,Paris,48.8,2.3,0\n1,Paris,41.9,12.5,0\n"),
            "gs.txt:2: name: expected distinct names (they are the site ids); \"Paris\" is on line 1 too");
  EXPECT_EQ(gs("0,Paris,98.8,2.3,0\n"), "gs.txt:1: lat_deg: expected a latitude in [-90, 90], got 98.8");
  EXPECT_EQ(gs("0,Paris,48.8,2.3,0,1,2,z\n"),
            "gs.txt:1: z_m: expected an ECEF coordinate in metres (a finite number), got \"z\"");
  EXPECT_EQ(gs(""), "gs.txt: expected at least one ground station, found none");
  const auto desc = [](const std::string& text) {
    return error_of([&] { read_hypatia_description(text, "description.txt"); });
  };
  EXPECT_EQ(desc("max_gsl_length_m=1089686.4\nmax_isl_length_m=5016591.2\n"), "");
  EXPECT_EQ(desc("max_gsl_length_m=1089686.4\n"),
            "description.txt: max_isl_length_m: expected max_isl_length_m=..., found none");
  EXPECT_EQ(desc("max_gsl_length_m=-1\nmax_isl_length_m=5\n"),
            "description.txt:1: max_gsl_length_m: expected a length > 0, got -1");
  EXPECT_EQ(desc("max_gsl_length_m 5\n"),
            "description.txt:1: expected key=value, got \"max_gsl_length_m 5\"");
  const HypatiaDescription d =
      read_hypatia_description("a=b\nmax_isl_length_m=2000\nmax_gsl_length_m=1000.5\n", "d");
  EXPECT_DOUBLE_EQ(d.max_gsl_length_km, 1.0005);
  EXPECT_DOUBLE_EQ(d.max_isl_length_km, 2.0);
}

TEST(NetworkHypatiaState, BadTles) {
  const std::string l1 = "1 00001U 00000ABC 00001.00000000  .00000000  00000-0  00000+0 0    04";
  const std::string l2 = "2 00001  53.0000   0.0000 0000001   0.0000   0.0000 15.19000000    08";
  const auto tles = [](const std::string& text) {
    return error_of([&] { read_hypatia_tles(text, "tles.txt"); });
  };
  EXPECT_EQ(tles("1 1\nSat 0\n" + l1 + "\n" + l2 + "\n"), "");
  const HypatiaTles t = read_hypatia_tles("1 1\nSat 0\n" + l1 + "\n" + l2 + "\n", "tles.txt");
  EXPECT_EQ(t.satellites.size(), 1u);
  EXPECT_EQ(tles("1\nSat 0\n" + l1 + "\n" + l2 + "\n"),
            "tles.txt:1: header: expected Hypatia's header \"ORBITS SATS_PER_ORBIT\" (two whole numbers)");
  EXPECT_EQ(tles("1 2\nSat 0\n" + l1 + "\n" + l2 + "\n"),
            "tles.txt:1: header: expected 1 x 2 = 2 satellites as the header says, read 1");
  EXPECT_EQ(tles("1 1\nSat 3\n" + l1 + "\n" + l2 + "\n"),
            "tles.txt:2: name: expected satellite 0's name to end in its id 0 (Hypatia's ids count up from 0 "
            "in file "
            "order), got \"Sat 3\"");
  // Located at the record's name line, past blank lines.
  EXPECT_EQ(
      tles("1 2\nSat 0\n" + l1 + "\n" + l2 + "\n\nSat 5\n" + l1 + "\n" + l2 + "\n"),
      "tles.txt:6: name: expected satellite 1's name to end in its id 1 (Hypatia's ids count up from 0 in "
      "file order), got \"Sat 5\"");
  EXPECT_EQ(
      tles("0 1\n"),
      "tles.txt:1: header: expected ORBITS and SATS_PER_ORBIT >= 1 (and a product up to 10^7), got 0 1");
  // A product that would overflow 64 bits.
  EXPECT_EQ(tles("4294967296 4294967296\n"),
            "tles.txt:1: header: expected ORBITS and SATS_PER_ORBIT >= 1 (and a product up to 10^7), got "
            "4294967296 4294967296");
  // An element set that is not a valid TLE is reported by the TLE reader, located in the file.
  EXPECT_NE(tles("1 1\nSat 0\n" + l1 + "\n" + l2.substr(0, 60) + "\n").find("tles.txt:"), std::string::npos);
}

}  // namespace
}  // namespace skyfence::network
