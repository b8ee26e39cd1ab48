// Results as bytes and back (serialize.h): every table comes back as it was written, and bytes that are
// not such an encoding are refused.
#include "skyfence/report/serialize.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "skyfence/report/exports.h"
#include "synthetic.h"

namespace skyfence::report {
namespace {

// The synthetic run with what it leaves empty filled too: an enforcement study, a gateway
// utilisation, a catalog-swap variant's fields.
Results every_table() {
  Results r = testing::synthetic_results(SKYFENCE_DATA_DIR, "Moldova", 7);
  EnforcementStudy e;
  e.provider = r.providers.front().name;
  e.policy = "policy.toml";
  e.region = "Moldova";
  e.region_area_km2 = 33846.5;
  e.study_area_km2 = 40000.25;
  e.window_h = 2.0;
  e.samples = 12345;
  e.reference_level = 12;
  e.settings.push_back({"exact", -1, "exact", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0});
  e.settings.push_back({"L9 centre", 9, "centre", 12.5, 0.1 / 3.0, 7.25, 0.2, 1.5, 2.5});
  e.groups.push_back({"L9 centre", "hostile", true, 3, 6.0, 1.0, 5.0, 0.5});
  r.enforcement = e;
  ProviderUsage u;
  u.variant = r.variants.front().id;
  u.provider = r.providers.front().name;
  u.gateway_utilisation = 1.0 / 7.0;
  r.provider_usage.push_back(u);
  r.variants.back().catalog = "bundled catalog starlink";
  r.variants.back().satellite_count = 4321;
  r.variants.back().time_shift = time::Duration::nanoseconds(-86'164'090'530'833);
  ProviderInfo& p = r.providers.back();  // a provider routed as Hypatia configures its network
  p.isl_pairing = "same-index";
  p.isl_shift = -3;
  p.isl_file = "state/isls.txt";
  p.isl_max_range_km = 5016.5;
  p.gsl_max_range_km = 1089.6864181956202;
  p.hypatia_state = "state";
  return r;
}

TEST(ResultsEncoding, EveryTableComesBackAsWritten) {
  const Results r = every_table();
  ASSERT_FALSE(r.terminals.empty());
  ASSERT_FALSE(r.latency.empty());
  ASSERT_FALSE(r.passes.empty());
  const std::string bytes = encode_results(r);
  const Results back = decode_results(bytes);
  EXPECT_EQ(encode_results(back), bytes);
  // Through the exports, which write every table's every column: the same files, byte for byte.
  const auto dir = testing::scratch_dir("encoding");
  std::filesystem::create_directories(dir / "a");
  std::filesystem::create_directories(dir / "b");
  const auto a = write_csv_tables(r, (dir / "a").string());
  const auto b = write_csv_tables(back, (dir / "b").string());
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(skyfence_test::slurp(a[k]), skyfence_test::slurp(b[k])) << a[k];
  }
  ASSERT_TRUE(back.enforcement.has_value());
  EXPECT_EQ(back.enforcement->settings[1].leakage_share, 0.1 / 3.0);
  EXPECT_EQ(back.provider_usage.back().gateway_utilisation, 1.0 / 7.0);
  EXPECT_EQ(back.variants.back().time_shift, r.variants.back().time_shift);
  EXPECT_EQ(back.cells.at(1).vertices[2].lat_deg, r.cells.at(1).vertices[2].lat_deg);
  EXPECT_EQ(back.run.created, r.run.created);
  const ProviderInfo& p = back.providers.back();
  EXPECT_EQ(p.isl_pairing, "same-index");
  EXPECT_EQ(p.isl_shift, -3);
  EXPECT_EQ(p.isl_file, "state/isls.txt");
  EXPECT_EQ(p.isl_max_range_km, 5016.5);
  EXPECT_EQ(p.gsl_max_range_km, 1089.6864181956202);
  EXPECT_EQ(p.hypatia_state, "state");
}

TEST(ResultsEncoding, EmptyResultsRoundTrip) {
  const Results back = decode_results(encode_results(Results{}));
  EXPECT_TRUE(back.cells.empty());
  EXPECT_FALSE(back.enforcement.has_value());
  EXPECT_EQ(encode_results(back), encode_results(Results{}));
}

TEST(ResultsEncoding, RefusesWhatIsNotAnEncoding) {
  const std::string bytes = encode_results(every_table());
  // Cut anywhere (in the header, inside a string, a size or a number) or with a byte left over.
  for (const std::size_t n : {std::size_t{0}, std::size_t{5}, std::size_t{9}, std::size_t{13},
                              bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
    EXPECT_THROW((void)decode_results(std::string_view(bytes).substr(0, n)), std::invalid_argument) << n;
  }
  EXPECT_THROW((void)decode_results(bytes + '\0'), std::invalid_argument);
  std::string magic = bytes;
  magic[0] = 'S';
  EXPECT_THROW((void)decode_results(magic), std::invalid_argument);
  std::string version = bytes;
  version[8] = static_cast<char>(kResultsEncodingVersion + 1);
  try {
    (void)decode_results(version);
    ADD_FAILURE() << "another version was read";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("version"), std::string::npos) << e.what();
  }
  // A size far beyond the bytes there is refused before anything is allocated.
  std::string huge = bytes;
  for (std::size_t k = 12; k < 20; ++k) huge[k] = '\x7f';
  EXPECT_THROW((void)decode_results(huge), std::invalid_argument);
}

}  // namespace
}  // namespace skyfence::report
