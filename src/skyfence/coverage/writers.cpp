#include "skyfence/coverage/writers.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace skyfence::coverage {
namespace {

void check(const LabelledPoints& pts, const CoverageResult& r) {
  const std::size_t n = pts.cells.empty() ? pts.sites.size() : pts.cells.size();
  if (n != r.points()) {
    throw std::invalid_argument("coverage writers: " + std::to_string(n) + " labels for " +
                                std::to_string(r.points()) + " points");
  }
}

// The statistics of every point and provider as the columns of earth::PointTable.
earth::PointTable table_of(const CoverageResult& r, bool served) {
  earth::PointTable t;
  for (std::size_t p = 0; p <= r.providers(); ++p) t.series.push_back(r.provider_name(p));
  t.columns = {"coverage_fraction", "mean_visible", "min_visible", "max_visible", "max_gap_s", "gap_count"};
  if (served) t.columns.emplace_back("served_fraction");
  t.values = [&r, served](std::size_t i, std::size_t p, std::vector<std::string>& v) {
    const PointStats& st = r.at(p, i);
    v[0] = fmt::format("{:.6f}", r.coverage_fraction(p, i));
    v[1] = fmt::format("{:.4f}", r.mean_visible(p, i));
    v[2] = fmt::format("{}", st.min_visible);
    v[3] = fmt::format("{}", st.max_visible);
    v[4] = fmt::format("{}", r.max_gap_s(p, i));
    v[5] = fmt::format("{}", st.gap_count);
    if (served) v[6] = fmt::format("{:.6f}", r.served_fraction(p, i));
  };
  return t;
}

earth::PointTableOutput output_of(const WriteOptions& o) {
  if (!o.out) throw std::invalid_argument("coverage writers: WriteOptions::out is required");
  return {o.out};
}

}  // namespace

void write_csv(const LabelledPoints& pts, const CoverageResult& r, const WriteOptions& o,
               const RunContext& run) {
  check(pts, r);
  earth::write_point_table_csv(pts, table_of(r, o.served), output_of(o), run);
}

void write_geojson(const LabelledPoints& pts, const CoverageResult& r, const WriteOptions& o,
                   const RunContext& run) {
  check(pts, r);
  earth::write_point_table_geojson(pts, table_of(r, o.served), output_of(o), run);
}

}  // namespace skyfence::coverage
