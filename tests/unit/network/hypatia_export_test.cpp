// The pieces of the export to Hypatia's formats (hypatia_export.h): interface numbering in isls.txt
// order, fstate deltas, the static texts, and the export folder's refusal to replace files. The
// export's content as a whole is checked against Hypatia's format and paths in tests/cli/route_export.sh
// and HypatiaStarlink550.ExportedForwardingStateWalksHypatiasPaths.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../test_support.h"
#include "skyfence/core/error.h"
#include "skyfence/network/hypatia_export.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::network {

// satgenpy numbers a satellite's ISL interfaces in the order its links appear in isls.txt; the GSL
// interface comes after them.
TEST(HypatiaExport, InterfacesFollowTheLinkOrder) {
  const std::vector<SatellitePair> links = {{0, 1}, {0, 2}, {1, 2}, {2, 3}};
  const HypatiaInterfaces ifs(5, links);
  EXPECT_EQ(ifs.isl_count(0), 2);
  EXPECT_EQ(ifs.isl_count(1), 2);
  EXPECT_EQ(ifs.isl_count(2), 3);
  EXPECT_EQ(ifs.isl_count(3), 1);
  EXPECT_EQ(ifs.isl_count(4), 0);  // no ISL: the GSL interface is 0
  EXPECT_EQ(ifs.isl_interface(0, 1), 0);
  EXPECT_EQ(ifs.isl_interface(0, 2), 1);
  EXPECT_EQ(ifs.isl_interface(1, 0), 0);
  EXPECT_EQ(ifs.isl_interface(1, 2), 1);
  EXPECT_EQ(ifs.isl_interface(2, 0), 0);
  EXPECT_EQ(ifs.isl_interface(2, 1), 1);
  EXPECT_EQ(ifs.isl_interface(2, 3), 2);
  EXPECT_EQ(ifs.isl_interface(3, 2), 0);
  EXPECT_EQ(ifs.isl_interface(0, 3), -1);
  const std::vector<SatellitePair> self = {{1, 1}};
  EXPECT_THROW(HypatiaInterfaces(5, self), std::invalid_argument);
  const std::vector<SatellitePair> outside = {{1, 5}};
  EXPECT_THROW(HypatiaInterfaces(5, outside), std::invalid_argument);
  EXPECT_EQ(hypatia_gsl_if_bandwidth_text(ifs, 5, 1),
            "0,2,1.000000\n1,2,1.000000\n2,3,1.000000\n3,1,1.000000\n4,0,1.000000\n5,0,1.000000\n");
}

// Two satellites, two ground stations (nodes 2 and 3): the first step writes every entry (satellites to
// each station, then station to station, never a node to itself), later steps only the changes.
TEST(HypatiaExport, FstateWritesEverythingFirstThenOnlyChanges) {
  const std::size_t sats = 2, gs = 2, nodes = sats + gs;
  std::vector<HypatiaNextHop> t0(nodes * gs), t1;
  // Towards station 2 (d = 0): 0 -> 2 down; 1 -> 0 over ISL 0; station 3 -> 1 up.
  t0[0 * nodes + 0] = {2, 1, 0};
  t0[0 * nodes + 1] = {0, 0, 0};
  t0[0 * nodes + 3] = {1, 0, 1};
  // Towards station 3 (d = 1): unreachable from satellite 0 and station 2; 1 -> 3 down.
  t0[1 * nodes + 1] = {3, 1, 0};
  std::string out;
  append_hypatia_fstate(t0, {}, sats, gs, out);
  EXPECT_EQ(out, "0,2,2,1,0\n0,3,-1,-1,-1\n1,2,0,0,0\n1,3,3,1,0\n2,3,-1,-1,-1\n3,2,1,0,1\n");
  t1 = t0;
  t1[1 * nodes + 0] = {1, 0, 0};
  t1[0 * nodes + 3] = {};
  out.clear();
  append_hypatia_fstate(t1, t0, sats, gs, out);
  EXPECT_EQ(out, "0,3,1,0,0\n3,2,-1,-1,-1\n");
  out.clear();
  append_hypatia_fstate(t1, t1, sats, gs, out);
  EXPECT_EQ(out, "");
}

TEST(HypatiaExport, StaticTexts) {
  const std::vector<SatellitePair> links = {{3, 1}, {0, 2}};
  EXPECT_EQ(hypatia_isls_text(links), "1 3\n0 2\n");
  const std::vector<SatellitePair> twice = {{1, 3}, {3, 1}};
  EXPECT_THROW((void)hypatia_isls_text(twice), std::invalid_argument);
  EXPECT_EQ(hypatia_gsl_interfaces_info_text(1, 2), "0,1,1.000000\n1,1,1.000000\n2,1,1.000000\n");
  EXPECT_EQ(hypatia_description_text(1089.6864181956202, 5016.5912330984278),
            "max_gsl_length_m=1089686.4181956202\nmax_isl_length_m=5016591.2330984278\n");
  // The extended form: WGS84 x, y, z in metres; a comma in a name would break the line's fields.
  const std::vector<GroundNode> stations = {{"Quito, EC", frames::Geodetic::degrees(0.0, -90.0, 0.0)}};
  EXPECT_EQ(hypatia_ground_stations_text(stations),
            "0,Quito_ EC,0.000000,-90.000000,0.000000,0.000000,-6378137.000000,0.000000\n");
}

TEST(HypatiaExport, TleNamesCarryTheirIds) {
  const std::string l1 = "1 44714U 19074B   26117.00002315  .00123192  00000+0  24714-2 0  9996";
  const std::string l2 = "2 44714  53.1543 312.8389 0000942  66.9226 117.3748 15.45800594  5831";
  orbits::ElementSet a = orbits::parse_tle(l1, l2);
  a.name = "STARLINK 1008";
  orbits::ElementSet b = a;
  b.name = "Starlink-550 1";  // already Hypatia's form: kept
  const std::vector<orbits::ElementSet> sets = {a, b};
  EXPECT_EQ(hypatia_tles_text(sets, 0, 0),
            "1 2\nSTARLINK_1008 0\n" + l1 + "\n" + l2 + "\nStarlink-550 1\n" + l1 + "\n" + l2 + "\n");
  EXPECT_EQ(hypatia_tles_text(sets, 2, 1).substr(0, 4), "2 1\n");
  EXPECT_THROW((void)hypatia_tles_text(sets, 3, 1), std::invalid_argument);
}

// A folder with files in it is refused (and left as it was) unless overwrite is asked for; nothing
// is written for a refused export. The network is checked first: it must have no gateways or PoPs.
TEST(HypatiaExport, RefitReportListsEverySatellite) {
  orbits::ElementSet a, b;
  a.name = "STARLINK-1, A";  // the comma cannot stay in a CSV field
  a.norad_id = 44713;
  a.epoch = time::parse_iso8601("2026-04-26T18:22:22.470Z");
  b.name = "DEBRIS";
  b.norad_id = 7;
  b.epoch = time::parse_iso8601("2026-04-20T00:00:00Z");
  orbits::RefitResult ra, rb;
  ra.refitted = true;
  ra.max_position_error_km = 0.01234567;
  rb.error = orbits::Sgp4Error::decayed;
  const std::vector<orbits::ElementSet> sets{a, b};
  EXPECT_EQ(hypatia_refit_report_text(sets, std::vector<orbits::RefitResult>{ra, rb}),
            "id,norad_id,name,original_epoch_utc,refitted,max_position_error_km,sgp4_error\n"
            "0,44713,STARLINK-1_ A,2026-04-26T18:22:22.470Z,1,0.012346,\n"
            "1,7,DEBRIS,2026-04-20T00:00:00.000Z,0,,6\n");
  EXPECT_THROW((void)hypatia_refit_report_text(sets, std::vector<orbits::RefitResult>{ra}),
               std::invalid_argument);
}

TEST(HypatiaExport, RefusesToReplaceFilesWithoutOverwrite) {
  const std::filesystem::path dir = skyfence_test::scratch_dir("hypatia-export", "full");
  { std::ofstream(dir / "mine.txt") << "keep\n"; }
  const std::vector<orbits::ElementSet> one = {
      orbits::parse_tle("1 44714U 19074B   26117.00002315  .00123192  00000+0  24714-2 0  9996",
                        "2 44714  53.1543 312.8389 0000942  66.9226 117.3748 15.45800594  5831")};
  const visibility::Fleet fleet(one);
  const std::vector<GroundNode> stations = {{"A", frames::Geodetic::degrees(10.0, 20.0)}};
  const Network net(fleet, {}, {}, {}, stations, NetworkOptions{});
  const std::vector<time::Instant> times = {time::Instant{}};
  EXPECT_THROW((void)export_hypatia_state(net, one, times, dir.string(), {}), InputError);
  EXPECT_EQ(skyfence_test::slurp(dir / "mine.txt"), "keep\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.parent_path()),
                          std::filesystem::directory_iterator()),
            1);  // no DIR.tmp-PID beside it
  const Network with_gateway(fleet, {}, stations, {}, stations, NetworkOptions{});
  EXPECT_THROW((void)export_hypatia_state(with_gateway, one, times, (dir / "new").string(), {}),
               std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir / "new"));
  std::filesystem::remove_all(dir.parent_path());
}

}  // namespace skyfence::network
