#include "skyfence/report/results_files.h"

#include "skyfence/report/borders.h"
#include "skyfence/report/exports.h"
#include "skyfence/report/html.h"
#include "skyfence/report/store.h"
#include "skyfence/report/viewer.h"

namespace skyfence::report {

ResultsFiles write_results_files(const Results& results, const std::filesystem::path& dir,
                                 const std::string& data_dir, const std::filesystem::path& web) {
  ResultsFiles out;
  write_sqlite(results, (dir / "results.sqlite").string());
  std::filesystem::create_directories(dir / "csv");
  std::filesystem::create_directories(dir / "geojson");
  out.csv_tables = write_csv_tables(results, (dir / "csv").string());
  write_geojson(results, (dir / "geojson").string());
  try {
    write_viewer(dir, web);
    out.viewer = true;
  } catch (const ViewerUnavailable& e) {
    out.viewer_missing = e.what();
  }
  write_report_html(results, read_bundled_borders(data_dir), (dir / "report.html").string(),
                    ViewerNote{out.viewer, out.viewer_missing});
  return out;
}

}  // namespace skyfence::report
