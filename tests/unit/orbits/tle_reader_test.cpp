// The TLE reader and writer: fields, exact epochs, Alpha-5, and every error path with its message.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "../../test_seed.h"
#include "skyfence/core/error.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits {
namespace {

// Vallado's first verification case (catalog 5, VANGUARD 1).
const std::string kL1 = "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753";
const std::string kL2 = "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667";
// A CelesTrak Starlink set (CRLF in the bundled file).
const std::string kS1 = "1 44714U 19074B   26117.00002315  .00123192  00000+0  24714-2 0  9996";
const std::string kS2 = "2 44714  53.1543 312.8389 0000942  66.9226 117.3748 15.45800594  5831";

// `line` with columns first..first+text.size()-1 (1-based) replaced and its checksum recomputed.
std::string edit(std::string line, std::size_t first, const std::string& text) {
  line.replace(first - 1, text.size(), text);
  line[68] = static_cast<char>('0' + tle_checksum(line));
  return line;
}

time::Instant utc(int y, int mo, int d, int h, int mi, int s, std::int64_t ns) {
  time::CivilTime c;
  c.year = y;
  c.month = mo;
  c.day = d;
  c.hour = h;
  c.minute = mi;
  c.second = s;
  c.nanosecond = ns;
  return time::from_utc(c);
}

// The message of the only rejected record of `text`, which must hold no good set.
std::string only_issue(const std::string& text, const TleReadOptions& options = {}) {
  const Catalog c = read_tle(text, "t.tle", options);
  EXPECT_TRUE(c.sets.empty());
  EXPECT_EQ(c.rejected.size(), 1u);
  return c.rejected.empty() ? std::string() : c.rejected.front().to_string();
}

std::string thrown(const std::string& text) {
  try {
    (void)read_tle(text, "t.tle");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(TleChecksum, DigitsAddTheirValueMinusAddsOne) {
  EXPECT_EQ(tle_checksum(kL1), 3);
  EXPECT_EQ(tle_checksum(kL2), 7);
  EXPECT_EQ(tle_checksum("1 -"), 2);
  EXPECT_EQ(tle_checksum("+ ABC."), 0);
  // Only the first 68 columns count: column 69 is the checksum itself.
  EXPECT_EQ(tle_checksum(kL1.substr(0, 68) + "9"), 3);
}

TEST(TleParse, ReadsEveryField) {
  const ElementSet es = parse_tle(kL1, kL2);
  EXPECT_EQ(es.name, "");
  EXPECT_EQ(es.norad_id, 5u);
  EXPECT_EQ(es.classification, 'U');
  EXPECT_EQ(es.international_designator, "58002B");
  // Day 179 of 2000 is June 27; 0.78495062 day = 78495062 * 864000 ns = 18:50:19.733568.
  EXPECT_EQ(es.epoch, utc(2000, 6, 27, 18, 50, 19, 733'568'000));
  EXPECT_EQ(es.epoch, time::parse_iso8601("2000-06-27T18:50:19.733568Z"));
  EXPECT_EQ(es.mean_motion_dot, 0.00000023);
  EXPECT_EQ(es.mean_motion_ddot, 0.0);
  EXPECT_EQ(es.bstar, 0.28098e-4);
  EXPECT_EQ(es.ephemeris_type, 0);
  EXPECT_EQ(es.element_set_no, 475);
  EXPECT_EQ(es.inclination_deg, 34.2682);
  EXPECT_EQ(es.raan_deg, 348.7242);
  EXPECT_EQ(es.eccentricity, 0.1859667);
  EXPECT_EQ(es.arg_perigee_deg, 331.7664);
  EXPECT_EQ(es.mean_anomaly_deg, 19.3264);
  EXPECT_EQ(es.mean_motion_rev_per_day, 10.82419157);
  EXPECT_EQ(es.rev_at_epoch, 41366);
}

TEST(TleParse, ImpliedDecimalExponentFields) {
  const auto bstar = [](const std::string& field) { return parse_tle(edit(kL1, 54, field), kL2).bstar; };
  const auto ddot = [](const std::string& field) {
    return parse_tle(edit(kL1, 45, field), kL2).mean_motion_ddot;
  };
  EXPECT_EQ(bstar(" 28098-4"), 0.28098e-4);
  EXPECT_EQ(bstar("-11606-4"), -0.11606e-4);
  EXPECT_EQ(bstar(" 00000-0"), 0.0);
  EXPECT_EQ(bstar(" 00000+0"), 0.0);
  EXPECT_EQ(bstar("+12345-5"), 0.12345e-5);
  EXPECT_EQ(bstar(" 13519-0"), 0.13519);
  EXPECT_EQ(bstar(" 50000+1"), 5.0);
  EXPECT_EQ(ddot("-30915-6"), -0.30915e-6);
  EXPECT_EQ(ddot(" 81888-5"), 0.81888e-5);
}

TEST(TleParse, MeanMotionDerivativeField) {
  const auto ndot = [](const std::string& field) {
    return parse_tle(edit(kL1, 34, field), kL2).mean_motion_dot;
  };
  EXPECT_EQ(ndot("-.00000084"), -0.00000084);
  EXPECT_EQ(ndot(" .99999999"), 0.99999999);
  EXPECT_EQ(ndot("+.00001234"), 0.00001234);
  EXPECT_EQ(ndot(" .00000000"), 0.0);
}

TEST(TleParse, Alpha5CatalogNumbers) {
  const auto id = [](const std::string& five) {
    return parse_tle(edit(kL1, 3, five), edit(kL2, 3, five)).norad_id;
  };
  EXPECT_EQ(id("A0000"), 100000u);
  EXPECT_EQ(id("A0001"), 100001u);
  EXPECT_EQ(id("H9999"), 179999u);
  EXPECT_EQ(id("J0000"), 180000u);  // I is skipped
  EXPECT_EQ(id("N0000"), 220000u);
  EXPECT_EQ(id("P0000"), 230000u);  // O is skipped
  EXPECT_EQ(id("Z9999"), 339999u);
  EXPECT_EQ(id("99999"), 99999u);
  EXPECT_EQ(id("    5"), 5u);  // leading blanks, as some old sources write
  for (const std::string bad : {"I0000", "O1234", "a0000", "A00 0", "5    ", "AB000"}) {
    try {
      (void)parse_tle(edit(kL1, 3, bad), edit(kL2, 3, bad), "t.tle", 10);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(
          std::string(e.what()),
          "t.tle:10: line 1 catalog number: expected 5 digits or an Alpha-5 number (a letter other than I "
          "or O, then 4 digits), found \"" +
              bad + "\"");
    }
  }
}

TEST(TleParse, TwoDigitYears) {
  const auto epoch = [](const std::string& yyddd) { return parse_tle(edit(kL1, 19, yyddd), kL2).epoch; };
  EXPECT_EQ(epoch("57001.00000000"), utc(1957, 1, 1, 0, 0, 0, 0));
  EXPECT_EQ(epoch("99365.50000000"), utc(1999, 12, 31, 12, 0, 0, 0));
  EXPECT_EQ(epoch("00001.00000000"), utc(2000, 1, 1, 0, 0, 0, 0));
  EXPECT_EQ(epoch("56001.00000000"), utc(2056, 1, 1, 0, 0, 0, 0));
  EXPECT_EQ(epoch("26117.00002315"), utc(2026, 4, 27, 0, 0, 2, 160'000));
}

TEST(TleParse, EpochIsExactToTheNanosecond) {
  const auto epoch = [](const std::string& yyddd) { return parse_tle(edit(kL1, 19, yyddd), kL2).epoch; };
  // 1e-8 day = 864000 ns exactly.
  EXPECT_EQ(epoch("24100.00000001") - epoch("24100.00000000"), time::Duration::nanoseconds(864'000));
  EXPECT_EQ(epoch("24100.99999999"), utc(2024, 4, 9, 23, 59, 59, 999'136'000));
  // Day 366 exists in leap years only.
  EXPECT_EQ(epoch("24366.00000000"), utc(2024, 12, 31, 0, 0, 0, 0));
  EXPECT_EQ(epoch("24060.00000000"), utc(2024, 2, 29, 0, 0, 0, 0));
  EXPECT_EQ(epoch("23060.00000000"), utc(2023, 3, 1, 0, 0, 0, 0));
}

TEST(TleParse, EpochDayOutOfRange) {
  const auto message = [](const std::string& yyddd) {
    try {
      (void)parse_tle(edit(kL1, 19, yyddd), kL2, "t.tle", 7);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(
      message("26367.00000000"),
      "t.tle:7: line 1 epoch day: expected a day of year from 1 to 365 in 2026, found \"367.00000000\"");
  EXPECT_EQ(
      message("23366.00000000"),
      "t.tle:7: line 1 epoch day: expected a day of year from 1 to 365 in 2023, found \"366.00000000\"");
  EXPECT_EQ(
      message("24367.00000000"),
      "t.tle:7: line 1 epoch day: expected a day of year from 1 to 366 in 2024, found \"367.00000000\"");
  EXPECT_EQ(
      message("24000.50000000"),
      "t.tle:7: line 1 epoch day: expected a day of year from 1 to 366 in 2024, found \"000.50000000\"");
  EXPECT_EQ(message("24100.5000x000"),
            "t.tle:7: line 1 epoch day: expected a day of year with fraction, DDD.DDDDDDDD, found "
            "\"100.5000x000\"");
  EXPECT_EQ(message("2A100.50000000"), "t.tle:7: line 1 epoch year: expected 2 digits, found \"2A\"");
}

TEST(TleParse, BlankOptionalFields) {
  // Vallado's case 11801: no international designator, no ephemeris type.
  const ElementSet es = parse_tle("1 11801U          80230.29629788  .01431103  00000-0  14311-1      13",
                                  "2 11801  46.7916 230.4354 7318036  47.4722  10.4117  2.28537848    13");
  EXPECT_EQ(es.international_designator, "");
  EXPECT_EQ(es.ephemeris_type, 0);
  EXPECT_EQ(es.element_set_no, 1);
  EXPECT_EQ(es.rev_at_epoch, 1);
  EXPECT_EQ(es.bstar, 0.14311e-1);
}

TEST(TleRead, ThreeLineTwoLineAndSpaceTrackNames) {
  const std::string text = "STARLINK-1008           \n" + kS1 + "\n" + kS2 + "\n" +  // padded name
                           kL1 + "\n" + kL2 + "\n" +                                 // no name
                           "0 VANGUARD 1\n" + kL1 + "\n" + kL2 + "\n";               // Space-Track 3LE
  const Catalog c = read_tle(text, "t.tle");
  ASSERT_EQ(c.sets.size(), 3u);
  EXPECT_TRUE(c.rejected.empty());
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.sets[0].name, "STARLINK-1008");
  EXPECT_EQ(c.sets[0].norad_id, 44714u);
  EXPECT_EQ(c.sets[1].name, "");
  EXPECT_EQ(c.sets[2].name, "VANGUARD 1");
}

TEST(TleRead, LfCrlfAndMixedEndingsGiveIdenticalResults) {
  const std::string lf = "# comment\n\nSTARLINK-1008\n" + kS1 + "\n" + kS2 + "\n   \n" + kL1 + "\n" + kL2;
  std::string crlf;
  for (char ch : lf) {
    if (ch == '\n') crlf += '\r';
    crlf += ch;
  }
  std::string mixed =
      "# comment\r\n\nSTARLINK-1008\r\n" + kS1 + "\n" + kS2 + "\r\n   \n" + kL1 + "\r\n" + kL2 + "\r\n";
  const Catalog a = read_tle(lf, "t.tle");
  const Catalog b = read_tle(crlf, "t.tle");
  const Catalog m = read_tle(mixed, "t.tle");
  ASSERT_EQ(a.sets.size(), 2u);
  EXPECT_TRUE(a.rejected.empty() && b.rejected.empty() && m.rejected.empty());
  EXPECT_EQ(a.sets, b.sets);
  EXPECT_EQ(a.sets, m.sets);
}

TEST(TleRead, ColumnsAfter69OnLine2AreIgnored) {
  const Catalog c = read_tle(kL1 + "\n" + kL2 + "     0.00      4320.0        360.00\n", "t.tle");
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_EQ(c.sets[0], parse_tle(kL1, kL2));
  // ... when column 70 is blank: otherwise the line is too long (likely shifted).
  EXPECT_EQ(only_issue(kL1 + "\n" + kL2 + "0\n"),
            "t.tle:2: line 2: expected 69 columns, found 70 (extra columns must follow a blank column 70)");
  // Line 1 takes trailing blanks only.
  EXPECT_EQ(read_tle(kL1 + "   \n" + kL2 + "\n", "t.tle").sets.size(), 1u);
  EXPECT_EQ(only_issue(kL1 + " 5\n" + kL2 + "\n"), "t.tle:1: line 1: expected 69 columns, found 71");
}

TEST(TleRead, BadChecksum) {
  const std::string bad2 = kL2.substr(0, 68) + "1";
  EXPECT_EQ(only_issue("NAME\n" + kL1 + "\n" + bad2 + "\n"),
            "t.tle:3: line 2 checksum: expected 1, computed 7");
  const std::string bad1 = kL1.substr(0, 68) + "4";
  EXPECT_EQ(only_issue(bad1 + "\n" + kL2 + "\n"), "t.tle:1: line 1 checksum: expected 4, computed 3");
  EXPECT_EQ(only_issue(kL1.substr(0, 68) + "x\n" + kL2 + "\n"),
            "t.tle:1: line 1 checksum: expected a digit in column 69, found \"x\"");
}

TEST(TleRead, BadChecksumAcceptedWithAWarning) {
  TleReadOptions options;
  options.accept_bad_checksums = true;
  const std::string bad1 = kL1.substr(0, 68) + "4";
  const std::string bad2 = kL2.substr(0, 68) + "1";
  const Catalog c = read_tle(bad1 + "\n" + bad2 + "\n", "t.tle", options);
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_TRUE(c.rejected.empty());
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_EQ(c.warnings[0].to_string(), "t.tle:1: line 1 checksum: expected 4, computed 3");
  EXPECT_EQ(c.warnings[1].to_string(), "t.tle:2: line 2 checksum: expected 1, computed 7");
  EXPECT_EQ(c.sets[0], parse_tle(kL1, kL2));
  EXPECT_EQ(parse_tle(bad1, bad2, "t.tle", 1, true), parse_tle(kL1, kL2));
}

TEST(TleRead, ShortLine) {
  EXPECT_EQ(only_issue(kL1 + "\n" + kL2.substr(0, 68) + "\n"),
            "t.tle:2: line 2: expected 69 columns, found 68");
  EXPECT_EQ(only_issue(kL1.substr(0, 40) + "\n" + kL2 + "\n"),
            "t.tle:1: line 1: expected 69 columns, found 40");
  // A truncated file: the last line cut short.
  EXPECT_EQ(only_issue("X\n" + kL1 + "\n" + kL2.substr(0, 30)),
            "t.tle:3: line 2: expected 69 columns, found 30");
}

TEST(TleRead, WrongLineNumber) {
  const std::string three = "3" + kL2.substr(1);
  EXPECT_EQ(only_issue(kL1 + "\n" + three + "\n"),
            "t.tle:2: line 2: expected line 2 of the element set (starting \"2 \"), found \"3 00005  34.2682 "
            "348.7242 1859667 331.76...\"");
  try {
    (void)parse_tle(kL1, three, "t.tle", 4);
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "t.tle:5: line 2: expected \"2\" in column 1, found \"3\"");
  }
  try {
    (void)parse_tle(kL2, kL1, "t.tle", 4);
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "t.tle:4: line 1: expected \"1\" in column 1, found \"2\"");
  }
  EXPECT_EQ(only_issue(kL2 + "\n"),
            "t.tle:1: line 1: expected line 1 (starting \"1 \") before line 2, found line 2 alone");
}

TEST(TleRead, MismatchedCatalogNumbers) {
  EXPECT_EQ(only_issue(kL1 + "\n" + edit(kL2, 3, "00006") + "\n"),
            "t.tle:2: line 2 catalog number: expected \"00005\" as on line 1, found \"00006\"");
}

TEST(TleRead, BadExponentField) {
  EXPECT_EQ(only_issue(edit(kL1, 54, " 28098x4") + "\n" + kL2 + "\n"),
            "t.tle:1: line 1 bstar: expected an implied-decimal exponent field such as \" 28098-4\" (sign, 5 "
            "digits, exponent sign and digit), found \" 28098x4\"");
  EXPECT_EQ(
      only_issue(edit(kL1, 45, " 0.000-0") + "\n" + kL2 + "\n"),
      "t.tle:1: line 1 mean motion second derivative: expected an implied-decimal exponent field such as "
      "\" 28098-4\" (sign, 5 digits, exponent sign and digit), found \" 0.000-0\"");
}

TEST(TleRead, NonDigitInAField) {
  EXPECT_EQ(
      only_issue(kL1 + "\n" + edit(kL2, 9, " 34.26a2") + "\n"),
      "t.tle:2: line 2 inclination: expected a decimal number such as \" 53.0536\", found \" 34.26a2\"");
  EXPECT_EQ(
      only_issue(kL1 + "\n" + edit(kL2, 27, "18596O7") + "\n"),
      "t.tle:2: line 2 eccentricity: expected 7 digits (a leading decimal point implied), found \"18596O7\"");
  EXPECT_EQ(
      only_issue(kL1 + "\n" + edit(kL2, 64, "4136x") + "\n"),
      "t.tle:2: line 2 revolution number: expected 5 digits (blanks on the left allowed), found \"4136x\"");
  EXPECT_EQ(only_issue(edit(kL1, 34, " .0000o023") + "\n" + kL2 + "\n"),
            "t.tle:1: line 1 mean motion derivative: expected a decimal number such as \" .00001234\", found "
            "\" .0000o023\"");
  EXPECT_EQ(only_issue(edit(kL1, 8, "X") + "\n" + kL2 + "\n"),
            "t.tle:1: line 1 classification: expected U, C or S in column 8, found \"X\"");
  EXPECT_EQ(only_issue(edit(kL1, 63, "4") + "\n" + kL2 + "\n"),
            "t.tle:1: line 1 ephemeris type: expected 0 or 2 (SGP4 mean elements) in column 63, found \"4\"");
  EXPECT_EQ(only_issue(kL1 + "\n" + edit(kL2, 53, "-0.00000001") + "\n"),
            "t.tle:2: line 2 mean motion: expected a positive number of revolutions per day, found "
            "\"-0.00000001\"");
  EXPECT_EQ(only_issue(kL1 + "\n" + edit(kL2, 9, "180.0001") + "\n"),
            "t.tle:2: line 2 inclination: expected 0 to 180 degrees, found \"180.0001\"");
  // A field shifted by one column shows as a non-blank separator.
  EXPECT_EQ(only_issue(kL1 + "\n" + edit(kL2, 16, "21") + "\n"),
            "t.tle:2: line 2: expected a space in column 17, found \"1\"");
}

TEST(TleRead, NonAsciiInARecordLine) {
  std::string l1 = kL1;
  l1.replace(20, 2, "\xC3\xA9");
  EXPECT_EQ(only_issue(l1 + "\n" + kL2 + "\n"),
            "t.tle:1: line 1: expected printable ASCII, found byte 0xC3 in column 21");
  std::string l2 = kL2;
  l2[30] = '\t';
  EXPECT_EQ(only_issue(kL1 + "\n" + l2 + "\n"),
            "t.tle:2: line 2: expected printable ASCII, found byte 0x09 in column 31");
}

TEST(TleRead, MissingLine2AtEndOfInput) {
  EXPECT_EQ(only_issue("VANGUARD 1\n" + kL1 + "\n"),
            "t.tle:2: line 2: expected line 2 of the element set after line 1, found end of input");
  EXPECT_EQ(
      only_issue("VANGUARD 1\n"),
      "t.tle:1: expected line 1 of an element set (starting \"1 \") after the name \"VANGUARD 1\", found "
      "end of input");
}

TEST(TleRead, LoneCarriageReturnIsAnError) {
  // Old Mac line endings: one long line holding CRs.
  const std::string text = "VANGUARD 1\r" + kL1 + "\r" + kL2 + "\r";
  EXPECT_EQ(only_issue(text),
            "t.tle:1: expected LF or CRLF line endings, found a carriage return alone in column 11");
}

TEST(TleRead, EmptyInputs) {
  EXPECT_EQ(thrown(""), "t.tle: expected TLE element sets, found an empty file");
  EXPECT_EQ(thrown("\r\n  \n"), "t.tle: expected TLE element sets, found an empty file");
  EXPECT_EQ(thrown("# only a comment\n"),
            "t.tle: expected TLE element sets, found only blank and comment lines");
}

TEST(TleRead, GarbageBytesNeverCrash) {
  const std::uint64_t seed = skyfence_test::test_seed("tle garbage", 20240427);
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  for (int trial = 0; trial < 200; ++trial) {
    std::string text;
    const int n = static_cast<int>(rng() % 400);
    for (int k = 0; k < n; ++k) text += static_cast<char>(rng() % 256);
    if (trial % 3 == 0) text += "\n" + kL1.substr(0, rng() % 69) + "\n2 " + text.substr(0, text.size() / 2);
    try {
      const Catalog c = read_tle(text, "garbage.tle");
      EXPECT_TRUE(c.sets.empty()) << "trial " << trial;
      for (const RecordIssue& issue : c.rejected) EXPECT_FALSE(issue.message.empty());
    } catch (const InputError&) {
      // Empty or comment-only inputs.
    }
    TleReadOptions strict;
    strict.strict = true;
    EXPECT_THROW((void)read_tle(text, "garbage.tle", strict), InputError) << "trial " << trial;
  }
  EXPECT_EQ(only_issue(std::string("\x01\x02garbage\xFF\n")),
            "t.tle:1: expected a satellite name or line 1 of an element set, found byte 0x01 in column 1");
}

TEST(TleRead, GoodRecordsLoadAroundBadOnes) {
  const std::string text = "GOOD-1\n" + kS1 + "\n" + kS2 + "\n" +                       // lines 1-3
                           "BAD CHECKSUM\n" + kL1 + "\n" + kL2.substr(0, 68) + "0\n" +  // lines 4-6
                           "TRUNCATED\n" + kL1 + "\n" +                                 // lines 7-8
                           "GOOD-2\n" + kL1 + "\n" + kL2 + "\n" +                       // lines 9-11
                           "NAME WITHOUT SET\n" +                                       // line 12
                           "GOOD-3\n" + kS1 + "\n" + kS2 + "\n" +                       // lines 13-15
                           kL1 + "\n" + "3" + kL2.substr(1) + "\n" +                    // lines 16-17
                           "GOOD-4\n" + kL1 + "\n" + kL2 + "\n";                        // lines 18-20
  const Catalog c = read_tle(text, "t.tle");
  ASSERT_EQ(c.sets.size(), 4u);
  EXPECT_EQ(c.sets[0].name, "GOOD-1");
  EXPECT_EQ(c.sets[1].name, "GOOD-2");
  EXPECT_EQ(c.sets[2].name, "GOOD-3");
  EXPECT_EQ(c.sets[3].name, "GOOD-4");
  ASSERT_EQ(c.rejected.size(), 4u);
  EXPECT_EQ(c.rejected[0].to_string(), "t.tle:6: line 2 checksum: expected 0, computed 7");
  EXPECT_EQ(c.rejected[1].to_string(),
            "t.tle:9: line 2: expected line 2 of the element set (starting \"2 \"), found \"GOOD-2\"");
  EXPECT_EQ(
      c.rejected[2].to_string(),
      "t.tle:12: expected line 1 of an element set (starting \"1 \") after the name \"NAME WITHOUT SET\", "
      "found \"GOOD-3\" on line 13");
  EXPECT_EQ(
      c.rejected[3].to_string(),
      "t.tle:17: line 2: expected line 2 of the element set (starting \"2 \"), found \"3 00005  34.2682 "
      "348.7242 1859667 331.76...\"");

  TleReadOptions strict;
  strict.strict = true;
  try {
    (void)read_tle(text, "t.tle", strict);
    ADD_FAILURE() << "strict read accepted bad records";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "t.tle:6: line 2 checksum: expected 0, computed 7");
    EXPECT_EQ(e.where().line, 6);
    EXPECT_EQ(e.where().field, "line 2 checksum");
  }
}

TEST(TleRead, BadNameLineIsSkippedAndTheNextSetLoads) {
  const Catalog c = read_tle(std::string("bad \x01 name\n") + kL1 + "\n" + kL2 + "\n", "t.tle");
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_EQ(c.sets[0].name, "");
  ASSERT_EQ(c.rejected.size(), 1u);
  EXPECT_EQ(c.rejected[0].to_string(),
            "t.tle:1: expected a satellite name or line 1 of an element set, found byte 0x01 in column 5");
  // UTF-8 names are kept as they are.
  const Catalog u = read_tle("SPUTNIK \xD0\xA1\n" + kL1 + "\n" + kL2 + "\n", "t.tle");
  ASSERT_EQ(u.sets.size(), 1u);
  EXPECT_EQ(u.sets[0].name, "SPUTNIK \xD0\xA1");
}

TEST(TleFormat, WritesCelesTrakLinesBackExactly) {
  ElementSet es = parse_tle(kS1, kS2);
  EXPECT_EQ(format_tle(es), kS1 + "\n" + kS2 + "\n");
  // Vallado's zero "00000-0" is written "00000+0"; everything else is the same text.
  const std::string text = format_tle(parse_tle(kL1, kL2));
  EXPECT_EQ(text, edit(kL1, 45, " 00000+0") + "\n" + kL2 + "\n");
  EXPECT_EQ(parse_tle(text.substr(0, 69), text.substr(70, 69)), parse_tle(kL1, kL2));
}

TEST(TleFormat, RoundTripsAlpha5AndOmmDesignators) {
  ElementSet es = parse_tle(edit(kS1, 3, "T1234"), edit(kS2, 3, "T1234"));
  EXPECT_EQ(es.norad_id, 271234u);
  const std::string text = format_tle(es);
  EXPECT_EQ(text.substr(0, 8), "1 T1234U");
  EXPECT_EQ(parse_tle(text.substr(0, 69), text.substr(70, 69)), es);

  es.international_designator = "1958-002B";
  EXPECT_EQ(format_tle(es).substr(9, 8), "58002B  ");
  es.norad_id = 340000;
  EXPECT_THROW((void)format_tle(es), InputError);
}

TEST(TleFormat, EpochRoundsToTheNearestHundredMillionthOfADay) {
  ElementSet es = parse_tle(kS1, kS2);
  es.epoch = utc(2024, 12, 31, 23, 59, 59, 999'999'999);  // rounds up into the next year
  const std::string text = format_tle(es);
  EXPECT_EQ(text.substr(18, 14), "25001.00000000");
  es.epoch = utc(2024, 2, 29, 12, 0, 0, 431'999);  // 431999 ns < half of 864000 ns
  EXPECT_EQ(format_tle(es).substr(18, 14), "24060.50000000");
}

}  // namespace
}  // namespace skyfence::orbits
