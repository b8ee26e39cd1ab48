// The OMM reader (JSON, CSV, XML): the same record in every layout gives the same element set, and
// the same as its TLE; bad records give located errors.
#include <gtest/gtest.h>

#include <string>

#include "skyfence/core/error.h"
#include "skyfence/orbits/omm.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits {
namespace {

const std::string kTestData = SKYFENCE_TEST_DATA_DIR;

// VANGUARD 1 as in tests/data/sgp4-verification/sample_omm.*, in CelesTrak's JSON layout.
const std::string kJsonRecord =
    R"({"OBJECT_NAME":"VANGUARD 1","OBJECT_ID":"1958-002B","EPOCH":"2020-10-13T04:52:48.472320",)"
    R"("MEAN_MOTION":10.84869164,"ECCENTRICITY":0.1845686,"INCLINATION":34.2443,"RA_OF_ASC_NODE":225.5254,)"
    R"("ARG_OF_PERICENTER":162.2516,"MEAN_ANOMALY":205.2356,"EPHEMERIS_TYPE":0,"CLASSIFICATION_TYPE":"U",)"
    R"("NORAD_CAT_ID":5,"ELEMENT_SET_NO":999,"REV_AT_EPOCH":21814,"BSTAR":-2.2483e-05,)"
    R"("MEAN_MOTION_DOT":-1.6e-07,"MEAN_MOTION_DDOT":0})";

const std::string kCsvHeader =
    "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,"
    "MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,"
    "MEAN_MOTION_DOT,MEAN_MOTION_DDOT";
const std::string kCsvRow =
    "VANGUARD 1,1958-002B,2020-10-13T04:52:48.472320,10.84869164,.1845686,34.2443,225.5254,162.2516,205.2356,"
    "0,U,5,999,21814,-.22483E-4,-1.6E-7,0";

ElementSet vanguard() {
  ElementSet es;
  es.name = "VANGUARD 1";
  es.norad_id = 5;
  es.classification = 'U';
  es.international_designator = "1958-002B";
  time::CivilTime c;
  c.year = 2020;
  c.month = 10;
  c.day = 13;
  c.hour = 4;
  c.minute = 52;
  c.second = 48;
  c.nanosecond = 472'320'000;
  es.epoch = time::from_utc(c);
  es.mean_motion_dot = -1.6e-7;
  es.mean_motion_ddot = 0.0;
  es.bstar = -0.22483e-4;
  es.ephemeris_type = 0;
  es.element_set_no = 999;
  es.inclination_deg = 34.2443;
  es.raan_deg = 225.5254;
  es.eccentricity = 0.1845686;
  es.arg_perigee_deg = 162.2516;
  es.mean_anomaly_deg = 205.2356;
  es.mean_motion_rev_per_day = 10.84869164;
  es.rev_at_epoch = 21814;
  return es;
}

std::string only_issue(const std::string& text, OmmFormat format) {
  const Catalog c = read_omm(text, format, "t.omm");
  EXPECT_TRUE(c.sets.empty());
  EXPECT_EQ(c.rejected.size(), 1u);
  return c.rejected.empty() ? std::string() : c.rejected.front().to_string();
}

std::string thrown(const std::string& text, OmmFormat format) {
  try {
    (void)read_omm(text, format, "t.omm");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no exception)";
}

// A JSON record with one keyword's value replaced (`value` is JSON text) or removed (empty).
std::string json_with(const std::string& key, const std::string& value) {
  std::string r = kJsonRecord;
  const std::size_t k = r.find("\"" + key + "\":");
  const std::size_t v = k + key.size() + 3;
  const std::size_t end = r[v] == '"' ? r.find('"', v + 1) + 1 : r.find_first_of(",}", v);
  if (value.empty()) {
    r.erase(k, end - k + (r[end] == ',' ? 1 : 0));
  } else {
    r.replace(k, end - k, "\"" + key + "\":" + value);
  }
  return r;
}

// EXPECT that `text` starts with `prefix`.
void expect_prefix(const std::string& text, const std::string& prefix) {
  EXPECT_EQ(text.substr(0, prefix.size()), prefix) << text;
}

TEST(OmmRead, SampleCsvAndXmlGiveTheSameElementSet) {
  const Catalog csv = read_omm_file(kTestData + "/sgp4-verification/sample_omm.csv");
  const Catalog xml = read_omm_file(kTestData + "/sgp4-verification/sample_omm.xml");
  ASSERT_EQ(csv.sets.size(), 1u);
  ASSERT_EQ(xml.sets.size(), 1u);
  EXPECT_TRUE(csv.rejected.empty());
  EXPECT_TRUE(xml.rejected.empty());
  EXPECT_EQ(csv.sets[0], vanguard());
  EXPECT_EQ(xml.sets[0], vanguard());
  EXPECT_EQ(csv.sets[0].epoch, time::parse_iso8601("2020-10-13T04:52:48.472320Z"));
}

TEST(OmmRead, JsonNumbersAndStringsGiveTheSameElementSet) {
  const Catalog array =
      read_omm("[\n" + kJsonRecord + ",\n" + kJsonRecord + "\n]\n", OmmFormat::json, "t.json");
  ASSERT_EQ(array.sets.size(), 2u);
  EXPECT_EQ(array.sets[0], vanguard());
  EXPECT_EQ(array.sets[1], vanguard());
  // A single object, and every number as a string in the CSV spelling.
  std::string strings = kJsonRecord;
  for (const auto& [key, text] :
       std::initializer_list<std::pair<std::string, std::string>>{{"MEAN_MOTION", "\"10.84869164\""},
                                                                  {"ECCENTRICITY", "\".1845686\""},
                                                                  {"BSTAR", "\"-.22483E-4\""},
                                                                  {"MEAN_MOTION_DOT", "\"-1.6E-7\""},
                                                                  {"NORAD_CAT_ID", "\"5\""},
                                                                  {"REV_AT_EPOCH", "\"21814\""}}) {
    std::string next = strings;
    const std::size_t k = next.find("\"" + key + "\":");
    next.replace(k, next.find_first_of(",}", k) - k, "\"" + key + "\":" + text);
    strings = next;
  }
  const Catalog single = read_omm(strings, OmmFormat::json, "t.json");
  ASSERT_EQ(single.sets.size(), 1u);
  EXPECT_EQ(single.sets[0], vanguard());
}

TEST(OmmRead, CsvColumnsInAnyOrderQuotedValuesAndCrlf) {
  const std::string text =
      "NORAD_CAT_ID,MEAN_MOTION_DDOT,MEAN_MOTION_DOT,BSTAR,REV_AT_EPOCH,ELEMENT_SET_NO,CLASSIFICATION_TYPE,"
      "EPHEMERIS_TYPE,MEAN_ANOMALY,ARG_OF_PERICENTER,RA_OF_ASC_NODE,INCLINATION,ECCENTRICITY,MEAN_MOTION,"
      "EPOCH,"
      "OBJECT_ID,OBJECT_NAME,EXTRA\r\n"
      "5,0,-1.6E-7,-.22483E-4,21814,999,U,0,205.2356,162.2516,225.5254,34.2443,.1845686,10.84869164,"
      "2020-10-13T04:52:48.472320,1958-002B,\"VANGUARD 1\",\"ignored, \"\"quoted\"\"\"\r\n\r\n";
  const Catalog c = read_omm(text, OmmFormat::csv, "t.csv");
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_TRUE(c.rejected.empty());
  EXPECT_EQ(c.sets[0], vanguard());
}

TEST(OmmRead, XmlWithSeveralOmmsAndABareOmmRoot) {
  const std::string omm =
      "<omm id=\"CCSDS_OMM_VERS\" "
      "version=\"2.0\"><header><CREATION_DATE/><ORIGINATOR/></header><body><segment>"
      "<metadata><OBJECT_NAME>VANGUARD 1</OBJECT_NAME><OBJECT_ID>1958-002B</OBJECT_ID>"
      "<CENTER_NAME>EARTH</CENTER_NAME><REF_FRAME>TEME</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM>"
      "<MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY></metadata><data><meanElements>"
      "<EPOCH>2020-10-13T04:52:48.472320</EPOCH><MEAN_MOTION>10.84869164</MEAN_MOTION>"
      "<ECCENTRICITY>.1845686</ECCENTRICITY><INCLINATION>34.2443</INCLINATION>"
      "<RA_OF_ASC_NODE>225.5254</RA_OF_ASC_NODE><ARG_OF_PERICENTER>162.2516</ARG_OF_PERICENTER>"
      "<MEAN_ANOMALY>205.2356</MEAN_ANOMALY></meanElements><tleParameters><EPHEMERIS_TYPE>0</EPHEMERIS_TYPE>"
      "<CLASSIFICATION_TYPE>U</CLASSIFICATION_TYPE><NORAD_CAT_ID>5</NORAD_CAT_ID>"
      "<ELEMENT_SET_NO>999</ELEMENT_SET_NO><REV_AT_EPOCH>21814</REV_AT_EPOCH><BSTAR>-.22483E-4</BSTAR>"
      "<MEAN_MOTION_DOT>-1.6E-7</MEAN_MOTION_DOT><MEAN_MOTION_DDOT>0</MEAN_MOTION_DDOT></tleParameters>"
      "</data></segment></body></omm>\n";
  const Catalog two =
      read_omm("<?xml version=\"1.0\"?>\n<ndm>\n" + omm + omm + "</ndm>\n", OmmFormat::xml, "t.xml");
  ASSERT_EQ(two.sets.size(), 2u);
  EXPECT_EQ(two.sets[1], vanguard());
  const Catalog bare = read_omm(omm, OmmFormat::xml, "t.xml");
  ASSERT_EQ(bare.sets.size(), 1u);
  EXPECT_EQ(bare.sets[0], vanguard());

  std::string xp = omm;
  xp.replace(xp.find(">SGP4<"), 6, ">SGP4-XP<");
  const Catalog mixed = read_omm("<ndm>\n" + omm + xp + "</ndm>", OmmFormat::xml, "t.xml");
  ASSERT_EQ(mixed.sets.size(), 1u);
  ASSERT_EQ(mixed.rejected.size(), 1u);
  EXPECT_EQ(
      mixed.rejected[0].to_string(),
      "t.xml:3: record 2: MEAN_ELEMENT_THEORY: expected SGP4 (the only one supported), found \"SGP4-XP\"");
}

TEST(OmmRead, TleOfTheSameRecordGivesTheSameElementSet) {
  const ElementSet omm = read_omm_file(kTestData + "/sgp4-verification/sample_omm.xml").sets.at(0);
  const std::string text = format_tle(omm);
  EXPECT_EQ(text,
            "1 00005U 58002B   20287.20333880 -.00000016  00000+0 -22483-4 0  9997\n"
            "2 00005  34.2443 225.5254 1845686 162.2516 205.2356 10.84869164218149\n");
  const Catalog back = read_tle("VANGUARD 1\n" + text, "vanguard.tle");
  ASSERT_EQ(back.sets.size(), 1u);
  ElementSet expected = omm;
  expected.international_designator = "58002B";  // each format's own spelling, kept as given
  EXPECT_EQ(back.sets[0], expected);
  EXPECT_EQ(back.sets[0].epoch.tai_ns(), omm.epoch.tai_ns());  // identical to the nanosecond
}

TEST(OmmRead, EpochIsExactToTheNanosecond) {
  const auto epoch = [](const std::string& iso) {
    return read_omm(json_with("EPOCH", "\"" + iso + "\""), OmmFormat::json, "t.json").sets.at(0).epoch;
  };
  EXPECT_EQ(epoch("2020-10-13T04:52:48.123456789") - epoch("2020-10-13T04:52:48"),
            time::Duration::nanoseconds(123'456'789));
  EXPECT_EQ(epoch("2020-10-13T04:52:48.1"), epoch("2020-10-13T04:52:48.100000000Z"));
  EXPECT_EQ(epoch("2020-287T04:52:48.472320"), vanguard().epoch);  // CCSDS day-of-year form
  EXPECT_EQ(epoch("2016-12-31T23:59:60.5") - epoch("2016-12-31T23:59:59.5"),
            time::Duration::nanoseconds(1'000'000'000));
}

TEST(OmmRead, RejectsNonSgp4Theories) {
  const auto message = [](const std::string& key, const std::string& value) {
    return only_issue(
        "[" + kJsonRecord.substr(0, kJsonRecord.size() - 1) + ",\"" + key + "\":\"" + value + "\"}]",
        OmmFormat::json);
  };
  EXPECT_EQ(
      message("MEAN_ELEMENT_THEORY", "SGP4-XP"),
      "t.omm:1: record 1: MEAN_ELEMENT_THEORY: expected SGP4 (the only one supported), found \"SGP4-XP\"");
  EXPECT_EQ(message("REF_FRAME", "GCRF"),
            "t.omm:1: record 1: REF_FRAME: expected TEME (the only one supported), found \"GCRF\"");
  EXPECT_EQ(message("TIME_SYSTEM", "TAI"),
            "t.omm:1: record 1: TIME_SYSTEM: expected UTC (the only one supported), found \"TAI\"");
  EXPECT_EQ(message("CENTER_NAME", "MOON"),
            "t.omm:1: record 1: CENTER_NAME: expected EARTH (the only one supported), found \"MOON\"");
  EXPECT_EQ(only_issue(json_with("EPHEMERIS_TYPE", "4"), OmmFormat::json),
            "t.omm:1: record 1: EPHEMERIS_TYPE: expected 0 or 2 (SGP4 mean elements), found \"4\"");
}

TEST(OmmRead, XmlErrorsNameTheElementLine) {
  std::string omm =
      "<omm>\n<EPOCH>2020-10-13T04:52:48.472320</EPOCH>\n<MEAN_MOTION>10.84869164</MEAN_MOTION>\n"
      "<ECCENTRICITY>.1845686</ECCENTRICITY>\n<INCLINATION>34.2443</INCLINATION>\n"
      "<RA_OF_ASC_NODE>225.5254</RA_OF_ASC_NODE>\n<ARG_OF_PERICENTER>162.2516</ARG_OF_PERICENTER>\n"
      "<MEAN_ANOMALY>205.2356</MEAN_ANOMALY>\n<NORAD_CAT_ID>5</NORAD_CAT_ID>\n"
      "<MEAN_ELEMENT_THEORY>SGP4-XP</MEAN_ELEMENT_THEORY>\n<BSTAR>-.22483E-4</BSTAR>\n</omm>\n";
  EXPECT_EQ(
      only_issue("<ndm>\n" + omm + "</ndm>\n", OmmFormat::xml),
      "t.omm:11: record 1: MEAN_ELEMENT_THEORY: expected SGP4 (the only one supported), found \"SGP4-XP\"");
  omm.replace(omm.find("<BSTAR>"), std::string("<BSTAR>-.22483E-4</BSTAR>\n").size(), "");
  omm.replace(omm.find("SGP4-XP"), 7, "SGP4");
  EXPECT_EQ(only_issue("<ndm>\n" + omm + "</ndm>\n", OmmFormat::xml),
            "t.omm:2: record 1: BSTAR: expected a decimal number, found no BSTAR");
  expect_prefix(thrown("<ndm><omm></ndm>", OmmFormat::xml), "t.omm:1: expected well-formed XML, found: ");
  EXPECT_EQ(thrown("<kvn/>", OmmFormat::xml),
            "t.omm:1: expected an <ndm> or <omm> root element, found <kvn>");
  EXPECT_EQ(thrown("<ndm>\n</ndm>", OmmFormat::xml), "t.omm:1: expected <omm> elements in <ndm>, found none");
}

TEST(OmmRead, MissingAndBadFieldsAreLocated) {
  const std::string text =
      "[\n" + kJsonRecord + ",\n" + json_with("MEAN_MOTION", "") + ",\n" +
      json_with("ECCENTRICITY", "\"0.1x\"") + ",\n" + json_with("INCLINATION", "null") + ",\n" +
      json_with("NORAD_CAT_ID", "-5") + ",\n" + json_with("EPOCH", "\"2020-13-01T00:00:00\"") + ",\n" +
      json_with("ECCENTRICITY", "1.0") + ",\n" + json_with("MEAN_ANOMALY", "true") + ",\n42\n]";
  const Catalog c = read_omm(text, OmmFormat::json, "t.json");
  ASSERT_EQ(c.sets.size(), 1u);
  ASSERT_EQ(c.rejected.size(), 8u);
  EXPECT_EQ(c.rejected[0].to_string(),
            "t.json:3: record 2: MEAN_MOTION: expected a decimal number, found no MEAN_MOTION");
  EXPECT_EQ(c.rejected[1].to_string(),
            "t.json:4: record 3: ECCENTRICITY: expected a decimal number, found \"0.1x\"");
  EXPECT_EQ(c.rejected[2].to_string(),
            "t.json:5: record 4: INCLINATION: expected a decimal number, found null");
  EXPECT_EQ(c.rejected[3].to_string(),
            "t.json:6: record 5: NORAD_CAT_ID: expected an integer from 0 to 999999999, found \"-5\"");
  EXPECT_EQ(c.rejected[4].to_string(),
            "t.json:7: record 6: EPOCH: expected a month from 01 to 12 in \"2020-13-01T00:00:00\"");
  EXPECT_EQ(c.rejected[5].to_string(),
            "t.json:8: record 7: ECCENTRICITY: expected 0 <= e < 1, found \"1.0\"");
  EXPECT_EQ(c.rejected[6].to_string(),
            "t.json:9: record 8: MEAN_ANOMALY: expected a decimal number, found true");
  EXPECT_EQ(c.rejected[7].to_string(),
            "t.json:10: record 9: expected an object of OMM keywords, found a JSON number");

  OmmReadOptions strict;
  strict.strict = true;
  try {
    (void)read_omm(text, OmmFormat::json, "t.json", strict);
    ADD_FAILURE() << "strict read accepted bad records";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.where().field, "record 2: MEAN_MOTION");
  }
}

TEST(OmmRead, CsvErrors) {
  EXPECT_EQ(only_issue(kCsvHeader + "\n" + kCsvRow.substr(0, kCsvRow.rfind(',')) + "\n", OmmFormat::csv),
            "t.omm:2: expected 17 values as in the header, found 16");
  std::string no_epoch = kCsvHeader;
  no_epoch.replace(no_epoch.find(",EPOCH"), 6, "");
  expect_prefix(
      thrown(no_epoch + "\n" + kCsvRow + "\n", OmmFormat::csv),
      "t.omm:1: expected a header row of OMM keywords including EPOCH, found \"OBJECT_NAME,OBJECT_ID,MEAN_");
  EXPECT_EQ(thrown(kCsvHeader + "\n", OmmFormat::csv),
            "t.omm:1: expected OMM records after the header row, found none");
  EXPECT_EQ(thrown(kCsvHeader + ",EPOCH\n", OmmFormat::csv),
            "t.omm:1: expected each OMM keyword once in the header, found EPOCH twice");
  EXPECT_EQ(thrown(kCsvHeader + "\n\"VANGUARD 1", OmmFormat::csv),
            "t.omm:2: expected a closing double quote, found end of input");
}

TEST(OmmRead, GoodRecordsLoadAroundBadOnesInCsv) {
  std::string bad_bstar = kCsvRow;
  bad_bstar.replace(bad_bstar.find("-.22483E-4"), 10, "");
  const Catalog c = read_omm(kCsvHeader + "\n" + kCsvRow + "\n\n" + bad_bstar + "\n" + kCsvRow + "\n",
                             OmmFormat::csv, "t.csv");
  ASSERT_EQ(c.sets.size(), 2u);
  ASSERT_EQ(c.rejected.size(), 1u);
  EXPECT_EQ(c.rejected[0].to_string(), "t.csv:4: BSTAR: expected a decimal number, found an empty value");
}

TEST(OmmRead, EmptyAndMalformedFiles) {
  EXPECT_EQ(thrown("", OmmFormat::json), "t.omm: expected OMM records, found an empty file");
  EXPECT_EQ(thrown(" \r\n", OmmFormat::csv), "t.omm: expected OMM records, found an empty file");
  EXPECT_EQ(thrown("[]", OmmFormat::json), "t.omm: expected OMM records, found an empty JSON array");
  expect_prefix(thrown("No GP data found", OmmFormat::json),
                "t.omm:1: expected JSON (an array of OMM objects), found a syntax error: parse error");
  expect_prefix(thrown("[\n{\"EPOCH\": }\n]", OmmFormat::json), "t.omm:2: expected JSON");
  EXPECT_EQ(thrown("[{\"BSTAR\": 1E999}]", OmmFormat::json),
            "t.omm: expected JSON (an array of OMM objects), found: number overflow parsing '1E999'");
  EXPECT_EQ(thrown("\"text\"", OmmFormat::json),
            "t.omm: expected an array of OMM objects or one object, found a JSON string");
  expect_prefix(thrown("\xFF\xFE garbage", OmmFormat::xml), "t.omm:1: expected well-formed XML, found: ");
  expect_prefix(thrown("\x01\x02\x03<<>>", OmmFormat::xml), "t.omm:1: expected well-formed XML, found: ");
}

TEST(OmmReadFile, FormatFromExtensionOrContent) {
  const Catalog json = read_omm_file(kTestData + "/orbits/vanguard_omm.json");
  ASSERT_EQ(json.sets.size(), 1u);
  EXPECT_EQ(json.sets[0], vanguard());
  const Catalog sniffed = read_omm_file(kTestData + "/orbits/vanguard_omm_xml.txt");
  ASSERT_EQ(sniffed.sets.size(), 1u);
  EXPECT_EQ(sniffed.sets[0], vanguard());
  try {
    (void)read_omm_file(kTestData + "/orbits/does-not-exist.json");
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_EQ(e.detail(), "expected a readable OMM file, found: No such file or directory");
  }
}

}  // namespace
}  // namespace skyfence::orbits
