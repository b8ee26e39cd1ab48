// The state writers on their own (golden bytes, the .npy header read back, NaN after an SGP4 error)
// and write_states() end to end (order, threads, blocks, errors, exceptions).
#include "skyfence/orbits/state_writers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/orbits/batch.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits {
namespace {

time::Instant iso(const char* text) {
  return time::parse_iso8601(text);
}

ElementSet named_set(const std::string& name) {
  ElementSet es;
  es.name = name;
  es.norad_id = 25544;
  es.epoch = iso("2026-04-27T00:00:00Z");
  return es;
}

const StateTimes& two_times() {
  static const StateTimes t = StateTimes::utc({iso("2026-04-27T12:00:00Z"), iso("2026-04-27T12:01:00Z")});
  return t;
}

const double kRows[] = {1, 2, 3, 4, 5, 6, -1.5, 0.25, 7000.123456789, -7.5, 0.0000000004, 1e-10};

std::string written(const StateWriter& w, const SatelliteStates& s) {
  std::string out;
  w.append(s, out);
  return out;
}

TEST(CsvStateWriter, GoldenTemeRowsWithQuotedName) {
  const ElementSet es = named_set("A, B");
  const CsvStateWriter w(two_times(), StateFrame::teme);
  EXPECT_EQ(w.begin(), "norad_id,name,time_utc,tsince_min,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s\n");
  EXPECT_EQ(written(w, {.index = 0, .set = &es, .values = kRows, .n_valid = 2}),
            "25544,\"A, B\",2026-04-27T12:00:00.000Z,720.00000000,1.00000000,2.00000000,3.00000000,"
            "4.000000000,5.000000000,6.000000000\n"
            "25544,\"A, B\",2026-04-27T12:01:00.000Z,721.00000000,-1.50000000,0.25000000,7000.12345679,"
            "-7.500000000,0.000000000,0.000000000\n");
  EXPECT_EQ(w.end(), "");
}

TEST(CsvStateWriter, GoldenGeodeticAndRowsStopAtTheError) {
  const ElementSet es = named_set("SAT");
  const CsvStateWriter w(two_times(), StateFrame::geodetic);
  EXPECT_EQ(w.begin(), "norad_id,name,time_utc,tsince_min,lat_deg,lon_deg,alt_km\n");
  const double geo[] = {50.45, -179.999999999, 550.0000004, 0, 0, 0};
  EXPECT_EQ(written(w, {.set = &es, .values = geo, .n_valid = 1, .error = Sgp4Error::decayed}),
            "25544,SAT,2026-04-27T12:00:00.000Z,720.00000000,50.450000000,-179.999999999,550.000000\n");
}

TEST(CsvStateWriter, HugeNumbersKeepEveryDigit) {
  // Numbers longer than the writer's stack buffer take the slower path with the same digits.
  const ElementSet es = named_set("SAT");
  const CsvStateWriter w(two_times(), StateFrame::teme);
  const double huge[] = {1e300, -2.5e200, 3, 4, 5, 6};
  const std::string out = written(w, {.set = &es, .values = huge, .n_valid = 1});
  // printf's digits are exact, as {fmt}'s are.
  char a[400], b[400];
  std::snprintf(a, sizeof a, "%.8f", 1e300);
  std::snprintf(b, sizeof b, "%.8f", -2.5e200);
  const std::string expected = std::string("25544,SAT,2026-04-27T12:00:00.000Z,720.00000000,") + a + "," + b +
                               ",3.00000000,4.000000000,5.000000000,6.000000000\n";
  EXPECT_GT(expected.size(), 500u);
  EXPECT_EQ(out, expected);
}

TEST(CsvStateWriter, SinceEpochTimesLabelEachRowFromItsOwnEpoch) {
  const ElementSet es = named_set("SAT");
  const StateTimes times = StateTimes::since_epoch({0.0, 90.5});
  const CsvStateWriter w(times, StateFrame::teme);
  const std::string out = written(w, {.set = &es, .values = kRows, .n_valid = 2});
  EXPECT_NE(out.find("25544,SAT,2026-04-27T00:00:00.000Z,0.00000000,"), std::string::npos) << out;
  EXPECT_NE(out.find("25544,SAT,2026-04-27T01:30:30.000Z,90.50000000,"), std::string::npos) << out;
}

TEST(JsonStateWriter, GoldenObjectWithTheErrorWhereStatesStop) {
  const ElementSet es = named_set("A \"B\"");
  const JsonStateWriter w(two_times(), StateFrame::teme);
  EXPECT_EQ(w.begin(), "[\n");
  EXPECT_EQ(w.end(), "\n]\n");
  const std::string meaning(describe(Sgp4Error::decayed));
  EXPECT_EQ(
      written(w, {.index = 3, .set = &es, .values = kRows, .n_valid = 1, .error = Sgp4Error::decayed}),
      ",\n{\"norad_id\": 25544, \"name\": \"A \\\"B\\\"\", \"epoch_utc\": \"2026-04-27T00:00:00.000000Z\", "
      "\"frame\": \"teme\", \"columns\": [\"time_utc\", \"tsince_min\", \"x_km\", \"y_km\", \"z_km\", "
      "\"vx_km_s\", \"vy_km_s\", \"vz_km_s\"],\n  \"states\": [\n    [\"2026-04-27T12:00:00.000Z\", "
      "720.00000000,1.00000000,2.00000000,3.00000000,4.000000000,5.000000000,6.000000000]],\n  "
      "\"error\": {\"code\": 6, \"meaning\": \"" +
          meaning + "\", \"tsince_min\": 721}}");
  // The first satellite has no separator, and no error is null.
  const std::string first = written(w, {.index = 0, .set = &es, .values = kRows, .n_valid = 2});
  EXPECT_EQ(first.rfind("{\"norad_id\": 25544", 0), 0u) << first;
  EXPECT_TRUE(first.ends_with("],\n  \"error\": null}")) << first;
}

// The header dict of a .npy file, checked the way numpy reads it.
struct NpyHeader {
  std::string dict;
  std::size_t data_offset = 0;
};

NpyHeader parse_npy(const std::string& bytes) {
  EXPECT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 6), "\x93NUMPY");
  EXPECT_EQ(bytes[6], '\x01');
  EXPECT_EQ(bytes[7], '\x00');
  const std::size_t hlen = static_cast<unsigned char>(bytes[8]) |
                           (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
  EXPECT_LE(10 + hlen, bytes.size());
  const std::string dict = bytes.substr(10, hlen);
  EXPECT_EQ(dict.back(), '\n');
  return {dict, 10 + hlen};
}

TEST(NpyHeader, ParsesBackWithShapeDtypeAndAlignedData) {
  const std::size_t shape3[] = {10238, 1440, 6};
  const std::string h = npy_header_f8(shape3);
  const NpyHeader p = parse_npy(h);
  EXPECT_EQ(p.data_offset, h.size());
  EXPECT_EQ(p.data_offset % 64, 0u);
  EXPECT_EQ(p.dict.rfind("{'descr': '<f8', 'fortran_order': False, 'shape': (10238, 1440, 6), }", 0), 0u)
      << p.dict;
  const std::size_t shape1[] = {5};
  EXPECT_NE(parse_npy(npy_header_f8(shape1)).dict.find("'shape': (5,), }"), std::string::npos);
}

TEST(NpyStateWriter, RowsAreRawDoublesAndNanAfterAnSgp4Error) {
  const ElementSet es = named_set("SAT");
  const StateTimes times = StateTimes::since_epoch({0, 1, 2});
  const NpyStateWriter w(times, StateFrame::teme, 4);
  const NpyHeader p = parse_npy(w.begin());
  EXPECT_NE(p.dict.find("'shape': (4, 3, 6), }"), std::string::npos) << p.dict;
  const std::string out =
      written(w, {.set = &es, .values = kRows, .n_valid = 1, .error = Sgp4Error::decayed});
  ASSERT_EQ(out.size(), 3 * 6 * sizeof(double));
  std::vector<double> v(18);
  std::memcpy(v.data(), out.data(), out.size());
  for (int c = 0; c < 6; ++c) EXPECT_EQ(v[c], kRows[c]);
  for (int k = 6; k < 18; ++k) EXPECT_TRUE(std::isnan(v[k])) << k;
  const std::string meta = w.sidecar({&es, 1});
  EXPECT_NE(meta.find("\"missing\": \"NaN after an SGP4 error\""), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"tsince_min\": [\n  0.0,\n  1.0,\n  2.0\n ]"), std::string::npos) << meta;
}

// Vallado's verification set: 28872 decays between 50 and 55 minutes after epoch.
Catalog verification_catalog() {
  return read_tle_file(SKYFENCE_TEST_DATA_DIR "/sgp4-verification/SGP4-VER.TLE",
                       {.accept_bad_checksums = true});
}

struct Written {
  std::string bytes;
  WriteStatesSummary summary;
  std::size_t sink_calls = 0;
};

Written write_all(const std::vector<ElementSet>& sets, const StateTimes& times, StateFrame frame,
                  const StateWriter& w, const WriteStatesOptions& options = {}, const RunContext& run = {}) {
  std::vector<Sgp4Record> records;
  for (const auto& es : sets) records.push_back(sgp4_init(es));
  Written r;
  r.summary = write_states(
      sets, records, times, frame, w,
      [&](std::string_view b) {
        r.bytes += b;
        ++r.sink_calls;
      },
      options, run);
  return r;
}

TEST(WriteStates, DecayedSatelliteRowsStopAndTheErrorIsReported) {
  std::vector<ElementSet> sets;
  for (auto& es : verification_catalog().sets) {
    if (es.norad_id == 28872 || es.norad_id == 5) sets.push_back(es);
  }
  ASSERT_EQ(sets.size(), 2u);
  std::vector<double> minutes;
  for (int m = 0; m <= 60; m += 5) minutes.push_back(m);
  const StateTimes times = StateTimes::since_epoch(minutes);
  const NpyStateWriter npy(times, StateFrame::teme, sets.size());
  const Written r = write_all(sets, times, StateFrame::teme, npy);
  ASSERT_EQ(r.summary.errors.size(), 1u);
  const std::size_t bad = sets[0].norad_id == 28872 ? 0 : 1;
  EXPECT_EQ(r.summary.errors[0].index, bad);
  EXPECT_EQ(r.summary.errors[0].time_index, 11u);  // tsince 55: tcppver.out's last row is at 50
  EXPECT_EQ(r.summary.errors[0].error, Sgp4Error::decayed);
  EXPECT_EQ(r.summary.n_states, 13u + 11u);
  const std::size_t off = npy.begin().size();
  ASSERT_EQ(r.bytes.size(), off + 2 * 13 * 6 * sizeof(double));
  std::vector<double> a(2 * 13 * 6);
  std::memcpy(a.data(), r.bytes.data() + off, a.size() * sizeof(double));
  for (std::size_t t = 0; t < 13; ++t) {
    for (std::size_t c = 0; c < 6; ++c) {
      EXPECT_EQ(std::isnan(a[(bad * 13 + t) * 6 + c]), t >= 11) << t;
      EXPECT_FALSE(std::isnan(a[((1 - bad) * 13 + t) * 6 + c])) << t;
    }
  }
  const CsvStateWriter csv(times, StateFrame::teme);
  const Written c = write_all(sets, times, StateFrame::teme, csv);
  std::size_t rows = 0;
  for (char ch : c.bytes) rows += ch == '\n';
  EXPECT_EQ(rows, 1u + 13u + 11u);
}

TEST(WriteStates, BytesDoNotDependOnThreadsOrBlocks) {
  const Catalog cat = read_tle_file(SKYFENCE_DATA_DIR "/tle/iridium-next_2026-04-27.tle");
  ASSERT_GT(cat.sets.size(), 20u);
  const StateTimes times = StateTimes::utc(time::Window::make(
      iso("2026-04-27T00:00:00Z"), iso("2026-04-27T03:00:00Z"), time::Duration::minutes(7)));
  for (StateFrame frame : {StateFrame::itrf, StateFrame::geodetic}) {
    const CsvStateWriter csv(times, frame);
    const NpyStateWriter npy(times, frame, cat.sets.size());
    const Written ref_csv = write_all(cat.sets, times, frame, csv, {}, {.threads = 1});
    const Written ref_npy = write_all(cat.sets, times, frame, npy, {}, {.threads = 1});
    EXPECT_EQ(ref_npy.bytes.size(), npy.begin().size() + cat.sets.size() * times.size() *
                                                             state_columns(frame).size() * sizeof(double));
    for (unsigned threads : {0u, 2u, 3u}) {
      for (std::size_t block : {0, 1, 7}) {
        WriteStatesOptions o;
        o.block_satellites = block;
        const Written c = write_all(cat.sets, times, frame, csv, o, {.threads = threads});
        const Written n = write_all(cat.sets, times, frame, npy, o, {.threads = threads});
        EXPECT_EQ(c.bytes, ref_csv.bytes) << threads << " threads, blocks of " << block;
        EXPECT_EQ(n.bytes, ref_npy.bytes) << threads << " threads, blocks of " << block;
        if (block == 1) {
          EXPECT_GE(n.sink_calls, cat.sets.size());
        }
      }
    }
  }
}

TEST(WriteStates, LongWindowsUseSmallerGroupsWithTheSameStates) {
  // 20,000 times: groups of fewer than 64 satellites (their rows would pass 64 MB). Every state
  // equals the batch propagator's for that satellite alone.
  const Catalog cat = read_tle_file(SKYFENCE_DATA_DIR "/tle/iridium-next_2026-04-27.tle");
  const std::vector<ElementSet> sets(cat.sets.begin(), cat.sets.begin() + 40);
  std::vector<double> minutes(20000);
  for (std::size_t t = 0; t < minutes.size(); ++t) minutes[t] = 0.5 * static_cast<double>(t);
  const StateTimes times = StateTimes::since_epoch(minutes);
  const NpyStateWriter npy(times, StateFrame::teme, sets.size());
  const Written w = write_all(sets, times, StateFrame::teme, npy);
  const std::size_t off = npy.begin().size();
  ASSERT_EQ(w.bytes.size(), off + sets.size() * minutes.size() * 6 * sizeof(double));
  for (std::size_t s : {0, 13, 39}) {
    const Sgp4Record rec = sgp4_init(sets[s]);
    const BatchPropagator alone(std::span<const Sgp4Record>(&rec, 1));
    BatchStates st;
    alone.propagate(minutes, minutes.size(), st, {.threads = 1});
    for (std::size_t t : {0, 777, 19999}) {
      double v[6];
      std::memcpy(v, w.bytes.data() + off + (s * minutes.size() + t) * 6 * sizeof(double), sizeof v);
      EXPECT_EQ(v[0], st.x[t]) << s << " " << t;
      EXPECT_EQ(v[5], st.vz[t]) << s << " " << t;
    }
  }
}

TEST(WriteStates, ASinkExceptionOrAStopEndsTheRun) {
  const Catalog cat = read_tle_file(SKYFENCE_DATA_DIR "/tle/iridium-next_2026-04-27.tle");
  std::vector<Sgp4Record> records;
  for (const auto& es : cat.sets) records.push_back(sgp4_init(es));
  const StateTimes times = StateTimes::since_epoch({0, 10, 20});
  const CsvStateWriter csv(times, StateFrame::teme);
  WriteStatesOptions one_block;
  one_block.block_satellites = 1;
  int calls = 0;
  EXPECT_THROW(write_states(
                   cat.sets, records, times, StateFrame::teme, csv,
                   [&](std::string_view) {
                     if (++calls == 2) throw std::runtime_error("disk full");
                   },
                   one_block),
               std::runtime_error);
  // Progress after each block, as the share of the satellites written; a stop requested (here from the
  // third report) ends the run there.
  std::vector<double> shares;
  std::atomic<bool> stop{false};
  RunContext run;
  run.stop = &stop;
  run.progress = [&](std::string_view stage, double done) {
    EXPECT_EQ(stage, "propagate");
    shares.push_back(done);
    if (shares.size() == 3) stop.store(true);
  };
  EXPECT_THROW(write_states(
                   cat.sets, records, times, StateFrame::teme, csv, [](std::string_view) {}, one_block, run),
               skyfence::Cancelled);
  const double n = static_cast<double>(cat.sets.size());
  EXPECT_EQ(shares, (std::vector<double>{1.0 / n, 2.0 / n, 3.0 / n}));
}

TEST(WriteStates, StaleSatellitesAreCounted) {
  std::vector<ElementSet> sets;
  for (auto& es : verification_catalog().sets) {
    if (es.norad_id == 5) sets.push_back(es);
  }
  const StateTimes within = StateTimes::since_epoch({0, 14 * 1440.0});
  const CsvStateWriter csv(within, StateFrame::teme);
  EXPECT_EQ(write_all(sets, within, StateFrame::teme, csv).summary.n_stale, 0u);
  const StateTimes later = StateTimes::since_epoch({0, 14 * 1440.0 + 1});
  const CsvStateWriter csv2(later, StateFrame::teme);
  EXPECT_EQ(write_all(sets, later, StateFrame::teme, csv2).summary.n_stale, 1u);
}

}  // namespace
}  // namespace skyfence::orbits
