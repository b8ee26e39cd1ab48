// The one satellite loader: what it keeps, everything it leaves out, the stale-epoch rule, the
// selectors, and the warning sentences every command prints.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/orbits/load.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits {
namespace {

const std::string kIssues = std::string(SKYFENCE_TEST_DATA_DIR) + "/scenario/issues.tle";
const time::Instant kDay = time::parse_iso8601("2026-04-27T00:00:00Z");

SatelliteSource tle(const std::string& path) {
  SatelliteSource s;
  s.kind = SatelliteSource::Kind::tle;
  s.value = path;
  return s;
}

bool contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines) {
    if (l.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST(LoadSatellites, KeepsPayloadsAndListsEverythingLeftOut) {
  const LoadedSatellites l = load_satellites(tle(kIssues), kDay, kDay, SKYFENCE_DATA_DIR);
  EXPECT_EQ(l.source, kIssues);
  ASSERT_EQ(l.sets.size(), 2u);
  EXPECT_EQ(l.sets[0].name, "IRIDIUM 106");
  EXPECT_EQ(l.sets[1].name, "IRIDIUM 103");
  EXPECT_EQ(l.records_read, 5u);
  ASSERT_EQ(l.rejected.size(), 1u);
  EXPECT_EQ(l.rejected[0].where.line, 18);  // line 2 of IRIDIUM 180, whose checksum is wrong
  EXPECT_TRUE(l.accepted_with_warning.empty());
  ASSERT_EQ(l.non_payloads.size(), 2u);
  EXPECT_EQ(l.non_payloads[0].norad_id, 41919u);
  EXPECT_EQ(l.non_payloads[1].norad_id, 41920u);
  ASSERT_EQ(l.duplicates.size(), 1u);
  EXPECT_EQ(l.duplicates[0].name, "IRIDIUM 106 OLD");
  EXPECT_EQ(l.stale_epochs, 0u);
  EXPECT_TRUE(l.sgp4_init_failures.empty());
}

TEST(LoadSatellites, AllObjectsAndAcceptedChecksums) {
  SatelliteSource s = tle(kIssues);
  s.all_objects = true;
  s.accept_bad_checksums = true;
  const LoadedSatellites l = load_satellites(s, kDay, kDay, SKYFENCE_DATA_DIR);
  EXPECT_EQ(l.sets.size(), 5u);  // two payloads, R/B, DEB, and the record with the bad checksum
  EXPECT_TRUE(l.rejected.empty());
  EXPECT_EQ(l.accepted_with_warning.size(), 1u);
  EXPECT_TRUE(l.non_payloads.empty());
  EXPECT_EQ(l.duplicates.size(), 1u);
}

TEST(LoadSatellites, StrictThrowsAtTheBadRecord) {
  SatelliteSource s = tle(kIssues);
  s.strict = true;
  EXPECT_THROW(load_satellites(s, kDay, kDay, SKYFENCE_DATA_DIR), InputError);
}

TEST(LoadSatellites, StaleEpochsCountedWithTheWorst) {
  const time::Instant later = kDay + time::Duration::days(30);
  const LoadedSatellites l = load_satellites(tle(kIssues), kDay, later, SKYFENCE_DATA_DIR);
  EXPECT_EQ(l.stale_epochs, 2u);
  EXPECT_GT(l.worst_stale_days, 29.5);
  EXPECT_LT(l.worst_stale_days, 30.0);
}

TEST(LoadSatellites, SelectorsAndPresets) {
  SatelliteSource s = tle(kIssues);
  s.satellites = {"41918"};
  EXPECT_EQ(load_satellites(s, kDay, kDay, SKYFENCE_DATA_DIR).sets.at(0).name, "IRIDIUM 103");
  s.satellites = {"NO SUCH"};
  try {
    load_satellites(s, kDay, kDay, SKYFENCE_DATA_DIR);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "--satellite");
  }
  SatelliteSource p;
  p.kind = SatelliteSource::Kind::preset;
  p.value = "kuiper";
  const LoadedSatellites k = load_satellites(p, kDay, kDay, SKYFENCE_DATA_DIR);
  EXPECT_EQ(k.source, "preset kuiper");
  EXPECT_GT(k.sets.size(), 1000u);
  EXPECT_EQ(k.sets.front().epoch, kDay);
}

TEST(StaleEpoch, FourteenDaysFromEitherEndOfTheWindow) {
  const time::Instant e = kDay;
  EXPECT_FALSE(is_stale_epoch(e, e + time::Duration::days(14), e + time::Duration::days(14)));
  EXPECT_TRUE(is_stale_epoch(e, e + time::Duration::days(14) + time::Duration::seconds(1),
                             e + time::Duration::days(14) + time::Duration::seconds(1)));
  EXPECT_TRUE(is_stale_epoch(e, e, e + time::Duration::days(15)));
  EXPECT_TRUE(is_stale_epoch(e, e - time::Duration::days(15), e));
}

// Bug: a 20-digit --satellite number ended in std::stoul's out_of_range (exit 1, "stoul") instead of
// an input error naming --satellite (exit 2).
TEST(ParseNoradId, TwentyDigitSatelliteNumberIsAnInputErrorNotStoul) {
  try {
    parse_norad_id("99999999999999999999", "--satellite");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "--satellite");
    EXPECT_NE(std::string(e.what()).find("at most 9 digits"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_norad_id("4294967297", "--satellite"), InputError);  // would wrap in 32 bits
  EXPECT_EQ(parse_norad_id("999999999", "--satellite"), 999999999u);
  EXPECT_EQ(parse_norad_id("41917", "--satellite"), 41917u);
  EXPECT_EQ(parse_norad_id("STARLINK-1*", "--satellite"), std::nullopt);
  EXPECT_EQ(parse_norad_id("", "--satellite"), std::nullopt);
}

TEST(LoadWarnings, SameSentencesForEveryCommand) {
  const LoadedSatellites l =
      load_satellites(tle(kIssues), kDay, kDay + time::Duration::days(20), SKYFENCE_DATA_DIR);
  const std::vector<std::string> lines = load_warnings(l);
  EXPECT_TRUE(contains(lines, kIssues + ":18: "));
  EXPECT_TRUE(contains(lines, "(record skipped)"));
  EXPECT_TRUE(contains(lines, kIssues + ": 1 record(s) skipped, 5 loaded; use --strict to fail instead"));
  EXPECT_TRUE(contains(lines, "left out NORAD 41919 CZ-2C R/B: rocket body"));
  EXPECT_TRUE(contains(lines, "left out NORAD 41917 IRIDIUM 106 OLD: duplicate NORAD id"));
  EXPECT_TRUE(contains(lines, ": 3 object(s) left out in all (use --all-objects"));
  EXPECT_TRUE(contains(lines, ": 2 element set(s) more than 14 days from the window (up to 19 days)"));
  LoadWarningOptions quiet_options;
  quiet_options.mention_options = false;
  quiet_options.max_listed = 1;
  const std::vector<std::string> short_lines = load_warnings(l, quiet_options);
  EXPECT_FALSE(contains(short_lines, "--strict"));
  EXPECT_FALSE(contains(short_lines, "--all-objects"));
  EXPECT_TRUE(contains(short_lines, "... and 2 more objects left out"));
}

}  // namespace
}  // namespace skyfence::orbits
