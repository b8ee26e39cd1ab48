// Every bundled catalog (data/tle/) and Vallado's verification file load completely, and what the
// readers return matches the raw text.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "skyfence/orbits/omm.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits {
namespace {

const std::string kData = SKYFENCE_DATA_DIR;
const std::string kTestData = SKYFENCE_TEST_DATA_DIR;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The non-blank lines of a file, line endings removed.
std::vector<std::string> raw_lines(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(slurp(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Compares each set with its three raw lines, read independently with std::stod / std::stol on the
// published columns (strtod rounds correctly, so the doubles must be identical).
void expect_matches_raw_text(const Catalog& c, const std::vector<std::string>& lines) {
  ASSERT_EQ(lines.size(), 3 * c.sets.size());
  for (std::size_t k = 0; k < c.sets.size(); ++k) {
    const ElementSet& es = c.sets[k];
    const std::string& name = lines[3 * k];
    const std::string& l1 = lines[3 * k + 1];
    const std::string& l2 = lines[3 * k + 2];
    SCOPED_TRACE(l1);
    EXPECT_EQ(es.name, name.substr(0, name.find_last_not_of(' ') + 1));
    EXPECT_EQ(es.norad_id, static_cast<std::uint32_t>(std::stoul(l1.substr(2, 5))));
    EXPECT_EQ(es.inclination_deg, std::stod(l2.substr(8, 8)));
    EXPECT_EQ(es.raan_deg, std::stod(l2.substr(17, 8)));
    EXPECT_EQ(es.eccentricity, std::stod("0." + l2.substr(26, 7)));
    EXPECT_EQ(es.arg_perigee_deg, std::stod(l2.substr(34, 8)));
    EXPECT_EQ(es.mean_anomaly_deg, std::stod(l2.substr(43, 8)));
    EXPECT_EQ(es.mean_motion_rev_per_day, std::stod(l2.substr(52, 11)));
    EXPECT_EQ(es.mean_motion_dot, std::stod(l1.substr(33, 10)));
    const std::string b = l1.substr(53, 8);
    EXPECT_EQ(es.bstar,
              std::stod(std::string(b[0] == '-' ? "-" : "") + "0." + b.substr(1, 5) + "e" + b.substr(6)));
    // Whole-catalog round trip: the writer gives back the published lines.
    EXPECT_EQ(format_tle(es), l1 + "\n" + l2 + "\n");
  }
}

TEST(CatalogFiles, StarlinkTle) {
  const std::string path = kData + "/tle/starlink_2026-04-27.tle";
  const Catalog c = read_tle_file(path);
  ASSERT_EQ(c.sets.size(), 10'238u);
  EXPECT_TRUE(c.rejected.empty()) << c.rejected.front().to_string();
  EXPECT_TRUE(c.warnings.empty());
  expect_matches_raw_text(c, raw_lines(path));

  const ElementSet& first = c.sets.front();  // STARLINK-1008, line 1 "... 26117.00002315 ..."
  EXPECT_EQ(first.name, "STARLINK-1008");
  EXPECT_EQ(first.international_designator, "19074B");
  EXPECT_EQ(first.epoch, time::parse_iso8601("2026-04-27T00:00:02.000160Z"));
  EXPECT_EQ(first.bstar, 0.24714e-2);
  EXPECT_EQ(first.element_set_no, 999);
  EXPECT_EQ(first.rev_at_epoch, 583);
  const ElementSet& middle = c.sets[5119];
  EXPECT_EQ(middle.name, "STARLINK-32045");
  EXPECT_EQ(middle.epoch, time::parse_iso8601("2026-04-27T09:42:19.570752Z"));
  EXPECT_EQ(middle.rev_at_epoch, 10434);
  const ElementSet& last = c.sets.back();
  EXPECT_EQ(last.name, "STARLINK-37342");
  EXPECT_EQ(last.norad_id, 68752u);
  EXPECT_EQ(last.international_designator, "26082AA");
  EXPECT_EQ(last.epoch, time::parse_iso8601("2026-04-27T12:00:02.000160Z"));
  EXPECT_EQ(last.mean_motion_dot, -0.00020643);
  EXPECT_EQ(last.bstar, -0.13789e-3);
}

TEST(CatalogFiles, StarlinkTleLfAndCrlfIdentical) {
  const std::string crlf = slurp(kData + "/tle/starlink_2026-04-27.tle");
  ASSERT_NE(crlf.find("\r\n"), std::string::npos);
  std::string lf;
  lf.reserve(crlf.size());
  for (char ch : crlf) {
    if (ch != '\r') lf += ch;
  }
  const Catalog a = read_tle(crlf, "crlf.tle");
  const Catalog b = read_tle(lf, "lf.tle");
  EXPECT_EQ(a.sets, b.sets);
  EXPECT_TRUE(b.rejected.empty());
}

TEST(CatalogFiles, OneWebTle) {
  const std::string path = kData + "/tle/oneweb_2026-03-26.tle";
  const Catalog c = read_tle_file(path);
  ASSERT_EQ(c.sets.size(), 651u);
  EXPECT_TRUE(c.rejected.empty());
  EXPECT_TRUE(c.warnings.empty());
  expect_matches_raw_text(c, raw_lines(path));
  EXPECT_EQ(c.sets[0].name, "ONEWEB-0012");
  EXPECT_EQ(c.sets[0].epoch, time::parse_iso8601("2026-03-26T09:59:45.026304Z"));
  EXPECT_EQ(c.sets[650].name, "ONEWEB-0708");
  EXPECT_EQ(c.sets[650].rev_at_epoch, 7245);
  EXPECT_EQ(c.sets[650].bstar, -0.14261e-2);
}

TEST(CatalogFiles, IridiumNextTle) {
  const std::string path = kData + "/tle/iridium-next_2026-04-27.tle";
  const Catalog c = read_tle_file(path);
  ASSERT_EQ(c.sets.size(), 80u);
  EXPECT_TRUE(c.rejected.empty());
  EXPECT_TRUE(c.warnings.empty());
  expect_matches_raw_text(c, raw_lines(path));
  EXPECT_EQ(c.sets[0].name, "IRIDIUM 106");
  EXPECT_EQ(c.sets[0].epoch, time::parse_iso8601("2026-04-27T10:38:42.298368Z"));
  EXPECT_EQ(c.sets[0].bstar, -0.83853e-5);
  EXPECT_EQ(c.sets[79].name, "IRIDIUM 179");
}

TEST(CatalogFiles, StarlinkOmmJson) {
  const Catalog c = read_omm_file(kData + "/tle/starlink_2026-03-26.omm.json");
  ASSERT_EQ(c.sets.size(), 9'984u);
  EXPECT_TRUE(c.rejected.empty()) << c.rejected.front().to_string();
  const ElementSet& first = c.sets.front();
  EXPECT_EQ(first.name, "STARLINK-1008");
  EXPECT_EQ(first.international_designator, "2019-074B");
  EXPECT_EQ(first.norad_id, 44714u);
  EXPECT_EQ(first.epoch, time::parse_iso8601("2026-03-26T11:25:48.773280Z"));
  EXPECT_EQ(first.mean_motion_rev_per_day, 15.32440257);
  EXPECT_EQ(first.eccentricity, 0.0002249);
  EXPECT_EQ(first.bstar, 0.0014703);
  EXPECT_EQ(first.mean_motion_dot, 0.0004662);
  EXPECT_EQ(first.rev_at_epoch, 35144);
  const ElementSet& last = c.sets.back();
  EXPECT_EQ(last.name, "STARLINK-37113");
  EXPECT_EQ(last.norad_id, 68318u);
  EXPECT_EQ(last.epoch, time::parse_iso8601("2026-03-26T06:00:02.000160Z"));
  EXPECT_EQ(last.bstar, -0.00094326073);
  EXPECT_EQ(last.mean_motion_ddot, 0.00026835603);
  EXPECT_EQ(last.arg_perigee_deg, 50.793);
}

TEST(CatalogFiles, OmmEpochsSurviveATleRoundTripExactly) {
  // CelesTrak's ISO epochs are its TLE epochs (whole multiples of 1e-8 day = 864 us), so writing each
  // set as a TLE and reading it back gives the same Instant to the nanosecond.
  const Catalog c = read_omm_file(kData + "/tle/starlink_2026-03-26.omm.json");
  std::size_t checked = 0;
  for (const ElementSet& es : c.sets) {
    const std::string text = format_tle(es);
    const ElementSet back = parse_tle(text.substr(0, 69), text.substr(70, 69));
    ASSERT_EQ(back.epoch, es.epoch) << text;
    EXPECT_EQ(back.norad_id, es.norad_id);
    EXPECT_EQ(back.inclination_deg, es.inclination_deg);
    EXPECT_EQ(back.mean_motion_rev_per_day, es.mean_motion_rev_per_day);
    ++checked;
  }
  EXPECT_EQ(checked, 9'984u);
}

TEST(VerificationFile, LoadsWithBadChecksumsAccepted) {
  TleReadOptions options;
  options.accept_bad_checksums = true;
  const std::string path = kTestData + "/sgp4-verification/SGP4-VER.TLE";
  const Catalog c = read_tle_file(path, options);
  ASSERT_EQ(c.sets.size(), 33u);
  EXPECT_TRUE(c.rejected.empty());
  std::vector<std::string> warnings;
  for (const RecordIssue& w : c.warnings) warnings.push_back(w.to_string());
  // Cases 33333, 33334 and 33335 are edited copies of other cases, their checksums left as they were.
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          path + ":100: line 1 checksum: expected 4, computed 2",
                          path + ":101: line 2 checksum: expected 8, computed 0",
                          path + ":103: line 1 checksum: expected 9, computed 6",
                          path + ":106: line 1 checksum: expected 0, computed 3",
                          path + ":107: line 2 checksum: expected 1, computed 7",
                      }));
  EXPECT_EQ(c.sets[0].norad_id, 5u);
  EXPECT_EQ(c.sets[0].epoch, time::parse_iso8601("2000-06-27T18:50:19.733568Z"));
  EXPECT_EQ(c.sets[32].norad_id, 20413u);  // the second case of 20413
  EXPECT_EQ(c.sets[9].norad_id, 20413u);
  EXPECT_EQ(c.sets[9], c.sets[32]);
  for (const ElementSet& es : c.sets) EXPECT_EQ(es.name, "");  // '#' lines are comments, not names
  // Case 11801 (Spacetrack Report #3) leaves the designator and ephemeris type blank.
  EXPECT_EQ(c.sets[6].norad_id, 11801u);
  EXPECT_EQ(c.sets[6].international_designator, "");
  EXPECT_EQ(c.sets[6].epoch, time::parse_iso8601("1980-08-17T07:06:40.136832Z"));
}

TEST(VerificationFile, RejectsBadChecksumsByDefault) {
  const std::string path = kTestData + "/sgp4-verification/SGP4-VER.TLE";
  const Catalog c = read_tle_file(path);
  EXPECT_EQ(c.sets.size(), 30u);
  EXPECT_TRUE(c.warnings.empty());
  ASSERT_EQ(c.rejected.size(), 3u);
  EXPECT_EQ(c.rejected[0].to_string(), path + ":100: line 1 checksum: expected 4, computed 2");
  EXPECT_EQ(c.rejected[1].to_string(), path + ":103: line 1 checksum: expected 9, computed 6");
  EXPECT_EQ(c.rejected[2].to_string(), path + ":106: line 1 checksum: expected 0, computed 3");
  TleReadOptions strict;
  strict.strict = true;
  EXPECT_THROW((void)read_tle_file(path, strict), InputError);
}

}  // namespace
}  // namespace skyfence::orbits
