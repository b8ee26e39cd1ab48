#include "skyfence/report/model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include "skyfence/report/reliance.h"
#include "synthetic.h"

namespace skyfence::report {
namespace {

// validate(r) throws std::invalid_argument whose message mentions `part`.
void expect_validate_error(const Results& r, const std::string& part) {
  try {
    validate(r);
    ADD_FAILURE() << "no error, expected one mentioning " << part;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(ReportModel, SyntheticRunIsValid) {
  EXPECT_NO_THROW(validate(testing::synthetic()));
  EXPECT_GT(testing::synthetic().cells.size(), 100u);
}

TEST(ReportModel, ValidateNamesTheProblem) {
  Results r = testing::synthetic();
  r.cell_layers[0].stats.pop_back();
  expect_validate_error(r, "one stat per cell");
  r = testing::synthetic();
  r.variants[0].kind = VariantKind::withdraw;
  expect_validate_error(r, "baseline");
  r = testing::synthetic();
  r.terminal_service[3].provider = "Gamma";
  expect_validate_error(r, "unknown provider \"Gamma\"");
  r = testing::synthetic();
  r.cell_layers[1].stats[5].served_fraction = 1.5;
  expect_validate_error(r, "served_fraction");
  r = testing::synthetic();
  r.terminals[2].group = "nobody";
  expect_validate_error(r, "unknown group");
  r = testing::synthetic();
  r.providers.push_back(r.providers[0]);
  expect_validate_error(r, "given twice");
  r = testing::synthetic();
  r.timeseries[0].t_s.pop_back();
  expect_validate_error(r, "differ in length");
  r = testing::synthetic();
  r.reliance[0].scope = "planet";
  expect_validate_error(r, "scope");
  r = testing::synthetic();
  r.latency.push_back(r.latency.front());
  expect_validate_error(r, "latency (baseline, Alpha, gov-1, internet) given twice");
  ASSERT_GE(testing::synthetic().satellites.size(), 2u);
  r = testing::synthetic();
  r.satellites[0].provider = "any";
  expect_validate_error(r, "satellite (any, 41900): unknown provider");
  r = testing::synthetic();
  r.satellites[1].eccentricity = std::numeric_limits<double>::infinity();
  expect_validate_error(r, "satellite (Beta, 41901): elements");
  r = testing::synthetic();
  r.satellites.push_back(r.satellites[2]);
  expect_validate_error(r, "satellite (Alpha, 41902) given twice");
  r = testing::synthetic();
  r.ground_stations[0].kind = "teleport";
  expect_validate_error(r, "kind must be");
  r = testing::synthetic();
  r.ground_stations[1].lat_deg = 91.0;
  expect_validate_error(r, "ground station (Alpha, pop, pop-warsaw): bad location");
  r = testing::synthetic();
  r.ground_stations.push_back(r.ground_stations[0]);
  expect_validate_error(r, "ground station (Alpha, gateway, gw-lviv) given twice");
  ASSERT_FALSE(testing::synthetic().passes.empty());
  r = testing::synthetic();
  r.passes[0].provider = "any";
  expect_validate_error(r, "unknown provider \"any\"");
  r = testing::synthetic();
  r.passes[0].terminal = "nowhere";
  expect_validate_error(r, "unknown terminal \"nowhere\"");
  r = testing::synthetic();
  r.passes[1].tca = r.passes[1].los + time::Duration::seconds(1.0);
  expect_validate_error(r, "aos <= tca <= los");
  r = testing::synthetic();
  r.passes[1].aos = r.passes[1].tca + time::Duration::seconds(1.0);
  expect_validate_error(r, "aos <= tca <= los");
  r = testing::synthetic();
  r.passes[2].max_elevation_deg = 90.5;
  expect_validate_error(r, "max_elevation_deg");
  r = testing::synthetic();
  r.passes[2].max_elevation_deg = std::numeric_limits<double>::quiet_NaN();
  expect_validate_error(r, "max_elevation_deg");
  r = testing::synthetic();
  r.passes.push_back(r.passes[3]);
  r.passes.back().los = r.passes.back().los + time::Duration::seconds(5.0);
  expect_validate_error(r, "given twice");
  // The key is the stored text: two passes less than a millisecond apart are the same row.
  r = testing::synthetic();
  r.passes.push_back(r.passes[3]);
  {
    PassRecord& x = r.passes.back();
    // 10 ns towards the middle of its millisecond, so that the text stays the same.
    x.aos = x.aos + time::Duration::nanoseconds(x.aos.tai_ns() % 1'000'000 < 500'000 ? 10 : -10);
    x.tca = std::max(x.tca, x.aos);
    x.los = std::max(x.los, x.tca);
    ASSERT_NE(x.aos, r.passes[3].aos);
  }
  expect_validate_error(r, "given twice");
  r = testing::synthetic();
  r.passes[0].max_elevation_deg = -90.0;
  r.passes[1].aos = r.passes[1].tca = r.passes[1].los;
  EXPECT_NO_THROW(validate(r));
}

// A catalog swap's satellites (variant_satellites) belong to a catalog-swap variant and to its provider.
TEST(ReportModel, VariantSatellitesBelongToTheirCatalogSwap) {
  Results r = testing::synthetic();
  ASSERT_EQ(r.variants.size(), 3u);
  ASSERT_EQ(r.satellites[0].provider, "Alpha");
  Variant& v = r.variants[2];  // alpha-withdraws, made a swap of Alpha's catalog
  r.variant_satellites.push_back({v.id, {r.satellites[0], r.satellites[2]}});
  expect_validate_error(r, "variant satellites (" + v.id + "): not a catalog-swap variant");
  v.kind = VariantKind::catalog_swap;
  EXPECT_NO_THROW(validate(r));
  Results bad = r;
  bad.variant_satellites[0].satellites[1].provider = "Beta";
  expect_validate_error(bad,
                        "variant satellite (" + v.id + ", Beta, 41902): the variant's provider is \"Alpha\"");
  bad = r;
  bad.variant_satellites[0].satellites[1].bstar = std::numeric_limits<double>::quiet_NaN();
  expect_validate_error(bad, "variant satellite (" + v.id + ", Alpha, 41902): elements");
  bad = r;
  bad.variant_satellites[0].satellites.push_back(r.satellites[0]);
  expect_validate_error(bad, "variant satellite (" + v.id + ", 41900) given twice");
  bad = r;
  bad.variant_satellites.push_back({"nowhere", {}});
  expect_validate_error(bad, "variant satellites (nowhere): not a catalog-swap variant");
}

// A failure variant's failed satellites belong to a satellite-failure variant and to its provider's
// satellites, in increasing order.
TEST(ReportModel, FailedSatellitesBelongToTheirFailureVariant) {
  Results r = testing::synthetic();
  Variant& v = r.variants[2];  // alpha-withdraws, made a failure of Alpha's satellites
  ASSERT_EQ(v.provider, "Alpha");
  r.failed_satellites.push_back({v.id, {r.satellites[0].norad_id, r.satellites[2].norad_id}});
  expect_validate_error(r, "failed satellites (" + v.id + "): not a satellite-failure variant");
  v.kind = VariantKind::satellite_failure;
  EXPECT_NO_THROW(validate(r));
  Results bad = r;
  std::swap(bad.failed_satellites[0].norad_ids[0], bad.failed_satellites[0].norad_ids[1]);
  expect_validate_error(bad, "failed satellites (" + v.id + "): NORAD ids not increasing");
  bad = r;
  bad.failed_satellites[0].norad_ids.push_back(99999);
  expect_validate_error(bad, "failed satellite (" + v.id + ", 99999): not one of Alpha's satellites");
  bad = r;
  bad.failed_satellites.push_back(bad.failed_satellites[0]);
  expect_validate_error(bad, "given twice");
}

TEST(ReportModel, RttQuantilesNearestRank) {
  const RttQuantiles q = rtt_quantiles({50, 10, 40, 20, 30});
  EXPECT_EQ(q.min_ms, 10);
  EXPECT_EQ(q.median_ms, 30);  // the middle one
  EXPECT_EQ(q.p95_ms, 50);     // rank ceil(4.75) = 5
  EXPECT_EQ(q.max_ms, 50);
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_EQ(rtt_quantiles(hundred).p95_ms, 95);
  EXPECT_EQ(rtt_quantiles(hundred).median_ms, 50.5);  // the mean of the middle two, as network's
  EXPECT_EQ(rtt_quantiles({7}).p95_ms, 7);
  EXPECT_THROW(rtt_quantiles({}), std::invalid_argument);
}

TEST(ReportReliance, HandExample) {
  RelianceAccumulator acc({"A", "B"});
  // weight, baseline mask, variant mask (A = bit 0, B = bit 1); the variant takes A away.
  acc.add(2.0, 0b11, 0b10);  // both -> B only: lost by A, recovered by B
  acc.add(1.0, 0b01, 0b00);  // A only -> none: lost, not recovered
  acc.add(1.0, 0b10, 0b10);  // B only -> B only
  acc.add(4.0, 0b00, 0b00);  // never served
  const Reliance r = acc.result("region", "X", "v");
  EXPECT_DOUBLE_EQ(r.served_share_any, 3.0 / 8.0);
  EXPECT_DOUBLE_EQ(r.single_provider_share, 3.0 / 8.0);
  EXPECT_DOUBLE_EQ(r.lost_share, 3.0 / 8.0);
  EXPECT_DOUBLE_EQ(r.recovered_share, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.net_loss_share, 1.0 / 8.0);
  ASSERT_EQ(r.providers.size(), 2u);
  EXPECT_DOUBLE_EQ(r.providers[0].served_share, 0.0);
  EXPECT_DOUBLE_EQ(r.providers[1].served_share, 3.0 / 8.0);
  EXPECT_DOUBLE_EQ(r.providers[1].sole_share, 3.0 / 8.0);
}

TEST(ReportReliance, BaselineAgainstItselfLosesNothing) {
  RelianceAccumulator acc({"A", "B"});
  acc.add(1.0, 0b11, 0b11);
  acc.add(3.0, 0b01, 0b01);
  const Reliance r = acc.result("group", "g", "baseline");
  EXPECT_EQ(r.lost_share, 0.0);
  EXPECT_EQ(r.net_loss_share, 0.0);
  EXPECT_EQ(r.recovered_share, 0.0);
  EXPECT_DOUBLE_EQ(r.single_provider_share, 0.75);
  EXPECT_DOUBLE_EQ(r.providers[0].sole_share, 0.75);
}

TEST(ReportReliance, RejectsBadInput) {
  EXPECT_THROW(RelianceAccumulator({"A", "A"}), std::invalid_argument);
  EXPECT_THROW(RelianceAccumulator({"any"}), std::invalid_argument);
  RelianceAccumulator acc({"A"});
  EXPECT_THROW(acc.add(1.0, 0b10, 0), std::invalid_argument);
  EXPECT_THROW(acc.add(-1.0, 0, 0), std::invalid_argument);
}

// The region's served share by any provider (reliance) equals the area-weighted mean of the cells'
// served fraction for "any": the two routes to the same definition (docs/report.md) agree.
TEST(ReportReliance, AgreesWithCellStatistics) {
  const Results& r = testing::synthetic();
  for (const auto& v : r.variants) {
    const CellLayer* any = r.cell_layer(v.id, kAnyProvider);
    ASSERT_NE(any, nullptr);
    double sum = 0.0, area = 0.0;
    for (std::size_t i = 0; i < r.cells.size(); ++i) {
      sum += r.cells[i].area_km2 * any->stats[i].served_fraction;
      area += r.cells[i].area_km2;
    }
    const Reliance* x = nullptr;
    for (const auto& y : r.reliance) {
      if (y.scope == kScopeRegion && y.variant == v.id) x = &y;
    }
    ASSERT_NE(x, nullptr);
    EXPECT_NEAR(x->served_share_any, sum / area, 1e-12) << v.id;
    if (v.kind == VariantKind::withdraw) {
      EXPECT_GT(x->lost_share, 0.0);
      EXPECT_NEAR(x->net_loss_share, x->lost_share * (1.0 - x->recovered_share), 1e-12);
    }
  }
}

}  // namespace
}  // namespace skyfence::report

namespace skyfence::report {
namespace {

// Bug: the decision strings the runner wrote (permit/deny/varies) disagreed with docs/results.md
// (allow/deny/partial); one named enum now gives the text, and the documentation names each value.
TEST(TerminalDecisionText, OneSpellingInResultsAndDocs) {
  EXPECT_EQ(to_string(TerminalDecision::permit), "permit");
  EXPECT_EQ(to_string(TerminalDecision::deny), "deny");
  EXPECT_EQ(to_string(TerminalDecision::varies), "varies");
  std::ifstream in(std::string(SKYFENCE_DATA_DIR) + "/../docs/results.md");
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const auto row = doc.find("| `decision` | TEXT |");
  ASSERT_NE(row, std::string::npos);
  const std::string line = doc.substr(row, doc.find('\n', row) - row);
  for (TerminalDecision d : {TerminalDecision::permit, TerminalDecision::deny, TerminalDecision::varies}) {
    EXPECT_NE(line.find("`" + std::string(to_string(d)) + "`"), std::string::npos) << to_string(d);
  }
  EXPECT_EQ(line.find("`allow`"), std::string::npos);
  EXPECT_EQ(line.find("`partial`"), std::string::npos);
}

}  // namespace
}  // namespace skyfence::report
