// Time layer tests. Reference values: Unix timestamps (POSIX time counts no leap seconds, so
// UTC seconds since 2000 = unix - 946684800), the IERS leap-second history (TAI-UTC = 32 s in 2000,
// 37 s since 2017-01-01), and the definitions JD(2000-01-01T12:00 UTC) = 2451545.0, TT = TAI + 32.184 s.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "../../test_seed.h"
#include "skyfence/core/error.h"
#include "skyfence/time/instant.h"
#include "skyfence/time/leap_seconds.h"
#include "skyfence/time/scales.h"

namespace skyfence::time {
namespace {

constexpr std::int64_t kNs = 1'000'000'000;

Instant utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, std::int64_t ns = 0) {
  return from_utc(CivilTime{y, mo, d, h, mi, s, ns});
}

TEST(Duration, NamedConstructorsAndConversions) {
  EXPECT_EQ(Duration::seconds(90).count_ns(), 90 * kNs);
  EXPECT_EQ(Duration::minutes(15).count_ns(), 900 * kNs);
  EXPECT_EQ(Duration::hours(24).count_ns(), 86400 * kNs);
  EXPECT_EQ(Duration::days(7).count_ns(), 7 * 86400 * kNs);
  EXPECT_EQ(Duration::seconds(1.5e-9).count_ns(), 2);  // rounded to nearest
  EXPECT_DOUBLE_EQ(Duration::hours(1.5).to_minutes(), 90.0);
  EXPECT_DOUBLE_EQ(Duration::days(2).to_days(), 2.0);
  EXPECT_EQ((Duration::minutes(1) * 3 - Duration::seconds(30)).count_ns(), 150 * kNs);
  EXPECT_LT(Duration::seconds(-1), Duration());
}

TEST(LeapSeconds, BuiltinTableMatchesIersHistory) {
  const LeapSecondTable& t = LeapSecondTable::builtin();
  EXPECT_EQ(t.entries().size(), 28u);
  EXPECT_EQ(t.entries().front().tai_minus_utc_s, 10);  // 1972-01-01
  EXPECT_EQ(t.entries().back().tai_minus_utc_s, 37);   // 2017-01-01
  EXPECT_EQ(t.tai_minus_utc(utc(2000, 1, 1)), 32);
  EXPECT_EQ(t.tai_minus_utc(utc(2016, 12, 31, 23, 59, 59)), 36);
  EXPECT_EQ(t.tai_minus_utc(utc(2017, 1, 1)), 37);
  EXPECT_EQ(t.tai_minus_utc(utc(1960, 1, 1)), 10);  // before the table: first offset
  // The file says it expires on 28 June 2027.
  EXPECT_EQ(to_utc(t.expires()), (CivilTime{2027, 6, 28, 0, 0, 0, 0}));
  EXPECT_FALSE(t.is_stale(utc(2026, 11, 27)));
  EXPECT_TRUE(t.is_stale(utc(2027, 7, 1)));
}

TEST(LeapSeconds, ParseErrorsAreLocated) {
  try {
    LeapSecondTable::parse("#@ 4023129600\n2272060800 10\nbogus line\n", "leaps.list");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 3);
    EXPECT_NE(std::string(e.what()).find("leaps.list:3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(LeapSecondTable::parse("2272060800 10\n", "x"), InputError);        // no expiry
  EXPECT_THROW(LeapSecondTable::parse("#@ 4023129600\n", "x"), InputError);        // no entries
  EXPECT_THROW(LeapSecondTable::parse("#@ 1\n2272060801 10\n", "x"), InputError);  // not midnight
  EXPECT_THROW(LeapSecondTable::parse("#@ 1\n2287785600 11\n2272060800 10\n", "x"), InputError);  // order
}

TEST(Utc, MatchesUnixTimestamps) {
  // (unix seconds, civil) pairs; unix = UTC seconds since 1970 without leap seconds.
  struct Case {
    std::int64_t unix_s;
    CivilTime c;
  };
  const Case cases[] = {
      {946684800, {2000, 1, 1, 0, 0, 0, 0}},  {1729814400, {2024, 10, 25, 0, 0, 0, 0}},
      {951782400, {2000, 2, 29, 0, 0, 0, 0}}, {4102444799, {2099, 12, 31, 23, 59, 59, 0}},
      {315532800, {1980, 1, 1, 0, 0, 0, 0}},  {-86400, {1969, 12, 31, 0, 0, 0, 0}},
      {1483228800, {2017, 1, 1, 0, 0, 0, 0}}, {1798761600, {2027, 1, 1, 0, 0, 0, 0}},
  };
  const Instant unix2000 = utc(2000, 1, 1);
  for (const Case& k : cases) {
    const Instant t = from_utc(k.c);
    const std::int64_t utc_since_2000 = k.unix_s - 946684800;
    const int off = LeapSecondTable::builtin().tai_minus_utc(t);
    EXPECT_EQ(t.tai_ns(), (utc_since_2000 + off) * kNs) << k.unix_s;
    EXPECT_EQ(to_utc(t), k.c) << k.unix_s;
    (void)unix2000;
  }
}

TEST(Utc, LeapSecondIsRepresentedAndElapsedTimeCountsIt) {
  const Instant before = utc(2016, 12, 31, 23, 59, 59);
  const Instant leap = utc(2016, 12, 31, 23, 59, 60);
  const Instant after = utc(2017, 1, 1, 0, 0, 0);
  EXPECT_EQ((leap - before).count_ns(), kNs);
  EXPECT_EQ((after - before).count_ns(), 2 * kNs);  // 2 SI seconds across the leap
  EXPECT_EQ(to_utc(leap + Duration::nanoseconds(500'000'000)),
            (CivilTime{2016, 12, 31, 23, 59, 60, 500'000'000}));
  EXPECT_EQ(format_iso8601(leap), "2016-12-31T23:59:60.000Z");
  EXPECT_EQ(parse_iso8601("2016-12-31T23:59:60Z"), leap);
  // Second 60 where no leap second happened is an error.
  EXPECT_THROW(utc(2016, 6, 30, 23, 59, 60), InputError);
  EXPECT_THROW(utc(2016, 12, 31, 23, 58, 60), InputError);
}

TEST(Utc, RejectsOutOfRangeFields) {
  EXPECT_THROW(utc(2023, 2, 29), InputError);
  EXPECT_NO_THROW(utc(2024, 2, 29));
  EXPECT_THROW(utc(2024, 13, 1), InputError);
  EXPECT_THROW(utc(2024, 4, 31), InputError);
  EXPECT_THROW(utc(2024, 1, 1, 24), InputError);
  EXPECT_THROW(utc(2024, 1, 1, 0, 60), InputError);
  EXPECT_THROW(utc(2400, 1, 1), InputError);
}

TEST(Utc, RoundTripsRandomInstants) {
  const std::uint64_t seed = skyfence_test::test_seed("utc round trip", 20261127);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> dist(-40LL * 365 * 86400 * kNs, 90LL * 365 * 86400 * kNs);
  for (int i = 0; i < 20000; ++i) {
    const Instant t = Instant::from_tai_ns(dist(rng));
    ASSERT_EQ(from_utc(to_utc(t)), t) << "seed " << seed << " tai_ns " << t.tai_ns();
  }
}

TEST(JulianDates, Definitions) {
  const JulianDate noon = jd_utc(utc(2000, 1, 1, 12));
  EXPECT_EQ(noon.whole, 2451544.5);
  EXPECT_EQ(noon.fraction, 0.5);
  EXPECT_EQ(jd_utc(utc(2000, 1, 1, 12)).sum(), 2451545.0);
  // J2000.0 is 2000-01-01T12:00:00 TT = 11:58:55.816 UTC.
  const JulianDate j2000 = jd_tt(utc(2000, 1, 1, 11, 58, 55, 816'000'000));
  EXPECT_EQ(j2000.whole, 2451544.5);
  EXPECT_NEAR(j2000.fraction, 0.5, 1e-15);
  // TAI = UTC + 37 s in 2024.
  const Instant t = utc(2024, 10, 25);
  EXPECT_NEAR((jd_tai(t).fraction - jd_utc(t).fraction) * 86400.0, 37.0, 1e-9);
  // MJD 60608 = 2024-10-25.
  EXPECT_EQ(jd_utc(t).whole - 2400000.5, 60608.0);
}

TEST(JulianDates, FromJdUtcInvertsToTheNanosecond) {
  const std::uint64_t seed = skyfence_test::test_seed("from_jd_utc", 7);
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> dist(0, 60LL * 365 * 86400 * kNs);
  for (int i = 0; i < 10000; ++i) {
    const Instant t = Instant::from_tai_ns(dist(rng) / 1000 * 1000);  // microsecond grid
    const Instant back = from_jd_utc(jd_utc(t));
    // The fraction is a double of a day: 86400 s * 2^-53 ~ 10 ps resolution near 1; allow 1 us at leaps.
    ASSERT_LE(std::llabs((back - t).count_ns()), 1) << t.tai_ns();
  }
}

TEST(Iso8601, ParsesTheFormsUsersWrite) {
  const Instant t = utc(2024, 10, 25);
  EXPECT_EQ(parse_iso8601("2024-10-25T00:00:00Z"), t);
  EXPECT_EQ(parse_iso8601("2024-10-25T00:00:00"), t);
  EXPECT_EQ(parse_iso8601("2024-10-25 00:00:00"), t);
  EXPECT_EQ(parse_iso8601("2024-10-25"), t);
  EXPECT_EQ(parse_iso8601("2024-10-25T00:00Z"), t);
  EXPECT_EQ(parse_iso8601("2024-10-25T02:00:00+02:00"), t);
  EXPECT_EQ(parse_iso8601("2024-10-24T19:00:00-0500"), t);
  EXPECT_EQ(parse_iso8601("2024-10-25T00:00:00.123456789Z"), t + Duration::nanoseconds(123456789));
  EXPECT_EQ(parse_iso8601("2020-10-13T04:52:48.472320"), utc(2020, 10, 13, 4, 52, 48, 472'320'000));
  EXPECT_EQ(parse_iso8601(" 2024-10-25T00:00:00.5z\r"), t + Duration::nanoseconds(500'000'000));
}

TEST(Iso8601, ErrorsSayWhatWasExpected) {
  for (const char* bad : {"", "2024", "2024-1-05", "2024-10-25T", "2024-10-25T25:00:00Z", "2024-02-30",
                          "2024-10-25T00:00:00.Z", "2024-10-25T00:00:00.1234567891Z",
                          "2024-10-25T00:00:00Zjunk", "yesterday", "2024-10-25T00:00:00+25:00"}) {
    try {
      parse_iso8601(bad, "--start");
      ADD_FAILURE() << "accepted \"" << bad << "\"";
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_EQ(msg.rfind("--start: ", 0), 0u) << msg;
      EXPECT_NE(msg.find("2024-10-25T00:00:00Z"), std::string::npos) << msg;
    }
  }
}

TEST(Iso8601, FormatsWithChosenDecimalsTruncating) {
  const Instant t = utc(2024, 10, 25, 1, 2, 3, 987'654'321);
  EXPECT_EQ(format_iso8601(t), "2024-10-25T01:02:03.987Z");
  EXPECT_EQ(format_iso8601(t, 0), "2024-10-25T01:02:03Z");
  EXPECT_EQ(format_iso8601(t, 9), "2024-10-25T01:02:03.987654321Z");
  EXPECT_EQ(format_iso8601(utc(1999, 12, 31, 23, 59, 59, 999'999'999), 3), "1999-12-31T23:59:59.999Z");
}

TEST(Durations, ParsesUnitsAndCompounds) {
  EXPECT_EQ(parse_duration("90s"), Duration::seconds(90));
  EXPECT_EQ(parse_duration("15m"), Duration::minutes(15));
  EXPECT_EQ(parse_duration("24h"), Duration::hours(24));
  EXPECT_EQ(parse_duration("7d"), Duration::days(7));
  EXPECT_EQ(parse_duration("1w"), Duration::days(7));
  EXPECT_EQ(parse_duration("500ms"), Duration::nanoseconds(500'000'000));
  EXPECT_EQ(parse_duration("1.5h"), Duration::minutes(90));
  EXPECT_EQ(parse_duration("1h30m"), Duration::minutes(90));
  EXPECT_EQ(parse_duration("-10m"), -Duration::minutes(10));
  EXPECT_EQ(parse_duration("0.000000001s"), Duration::nanoseconds(1));
  EXPECT_EQ(parse_duration("1.0000000001s"), Duration::seconds(1));  // beyond ns: rounded away
}

TEST(Durations, RejectsWithExpectation) {
  for (const char* bad : {"", "10", "m", "10x", "1.5.5h", "--1s", "99999999999999999d", "1h 30m"}) {
    try {
      parse_duration(bad, "--step");
      ADD_FAILURE() << "accepted \"" << bad << "\"";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("--step: "), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("90s, 15m"), std::string::npos) << e.what();
    }
  }
}

TEST(Durations, FormatRoundTrips) {
  for (const char* s : {"90s", "15m", "1d", "1h30m", "7d", "0.5s", "1d2h3m4.000000005s"}) {
    EXPECT_EQ(parse_duration(format_duration(parse_duration(s))), parse_duration(s)) << s;
  }
  EXPECT_EQ(format_duration(Duration::minutes(90)), "1h30m");
  EXPECT_EQ(format_duration(Duration::seconds(90)), "1m30s");
  EXPECT_EQ(format_duration(Duration()), "0s");
  EXPECT_EQ(format_duration(-Duration::hours(2)), "-2h");
}

}  // namespace
}  // namespace skyfence::time
