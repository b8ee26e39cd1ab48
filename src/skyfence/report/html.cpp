// report.html put together: the head with its style sheet, the header band, the sections in the order of
// docs/report.md ("What the page shows") and the footer. Each section is rendered by its own file,
// internal/html_<section>.cpp, from figures the model computes (model.h); nothing here computes a metric.
#include "skyfence/report/html.h"

#include <fmt/format.h>

#include <optional>

#include "skyfence/core/atomic_file.h"
#include "skyfence/report/internal/html_page.h"
#include "skyfence/time/scales.h"

namespace skyfence::report {

namespace {

namespace html = internal::html;
using html::utc;
using internal::escape_html;

const char* kCss = R"CSS(
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#e3e8ee;--bg:#f7f9fb;--card:#ffffff;--accent:#2563a8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;-webkit-font-smoothing:antialiased}
header{background:#16324f;color:#fff;padding:28px 0 24px}
header .wrap{display:flex;flex-direction:column;gap:4px}
header h1{margin:0;font-size:26px;font-weight:650;letter-spacing:-0.01em}
header .sub{color:#c9d6e3;font-size:14px}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
main .wrap{padding-top:8px;padding-bottom:48px}
section{margin-top:36px}
h2{font-size:20px;font-weight:650;margin:0 0 6px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:16px;font-weight:600;margin:22px 0 8px}
p{margin:6px 0 12px;max-width:880px}
.muted{color:var(--muted)}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:18px 0 6px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;border-top:4px solid var(--c,#2563a8)}
.kpi .v{font-size:28px;font-weight:650;letter-spacing:-0.02em;font-variant-numeric:tabular-nums}
.kpi .k{color:var(--muted);font-size:13px}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
figure{margin:14px 0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px 10px}
figure svg{display:block;width:100%;height:auto}
.fig-title{font-weight:600;font-size:14px;margin:0 0 8px}
figcaption{color:var(--muted);font-size:13px;margin-top:8px;line-height:1.45}
.table-wrap{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:4px 0 0;margin:14px 0;overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13.5px;font-variant-numeric:tabular-nums}
caption{caption-side:bottom;text-align:left;color:var(--muted);font-size:13px;padding:8px 14px 10px;line-height:1.45}
th,td{padding:7px 12px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{font-weight:600;color:#334155;background:#f1f4f8;border-bottom:1px solid #d5dde6;white-space:nowrap}
td.n,th.n{text-align:right;white-space:nowrap}
tbody tr:nth-child(even) td{background:#fafbfd}
tbody tr:last-child td{border-bottom:none}
.bar{display:inline-block;height:7px;border-radius:4px;background:var(--c,#2563a8);vertical-align:middle;margin-left:6px;opacity:.85}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
.badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:600}
.ok{background:#e3f4ea;color:#1d6b3d}.warn{background:#fdf0dc;color:#8a5300}.bad{background:#fde4e1;color:#9b1c1c}
details{margin:10px 0}
summary{cursor:pointer;color:var(--accent);font-weight:600}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;background:#eef2f6;padding:1px 4px;border-radius:4px}
svg text{font-family:inherit}
svg .tick{font-size:11px;fill:#5f6b7a}
svg .axis-title,svg .legend-title{font-size:12px;fill:#334155}
svg .legend{font-size:12px;fill:#1f2933}
svg .cat{font-size:12px;fill:#1f2933}
svg .bar-label{font-size:10.5px;fill:#334155}
svg .gridline{stroke:#e6ebf0;stroke-width:1}
svg .axis{stroke:#8a96a3;stroke-width:1}
svg .sea{fill:#e8eef4}
svg .land{fill:#fbfbf8;stroke:none}
svg .border{fill:none;stroke:#5b6675;stroke-width:0.7;stroke-linejoin:round;opacity:.75}
svg .grid{fill:none;stroke:#d3dce6;stroke-width:0.6}
svg .grat{font-size:10px;fill:#6b7785}
svg .frame{fill:none;stroke:#b8c2cc;stroke-width:1}
svg .cells path{stroke-width:0.6}
svg .site{fill:#ffffff;stroke:#111827;stroke-width:1.1}
svg .track{fill:none;stroke:#111827;stroke-width:1.2;stroke-dasharray:3 2;stroke-linejoin:round}
footer{color:var(--muted);font-size:12.5px;border-top:1px solid var(--line);margin-top:40px;padding-top:14px}
@media (max-width:700px){.grid2{grid-template-columns:1fr}header h1{font-size:21px}}
)CSS";

}  // namespace

std::string render_report_html(const Results& r, const BorderMap& borders, const ViewerNote& viewer) {
  validate(r);
  html::Page page;
  std::string& o = page.out;
  const std::string title = "skyfence report: " + escape_html(r.run.scenario_name);
  o += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
       "<meta name=\"generator\" content=\"" +
       escape_html(r.run.software_version) + "\"/><title>" + title + "</title><style>" + kCss +
       "</style></head><body>";
  o += "<header><div class=\"wrap\"><h1>" + title + "</h1><div class=\"sub\">" +
       escape_html(r.run.region_name.empty() ? std::string("") : r.run.region_name + " \xc2\xb7 ") +
       utc(r.run.start) + " to " + utc(r.run.stop) + " \xc2\xb7 step " +
       escape_html(time::format_duration(r.run.step)) + " \xc2\xb7 " +
       fmt::format("{} providers, {} variants", r.providers.size(), r.variants.size()) +
       "</div></div></header>";
  o += "<main><div class=\"wrap\">";
  if (viewer.written) {
    o += "<p class=\"viewer-note\">The 3D globe of this run (satellites moving over the window, cells, "
         "terminals, gateways): <a href=\"viewer/index.html\">viewer/index.html</a>. Browsers open it over "
         "http:// only: run <code>skyfence serve</code> on this folder and follow the link from the page it "
         "serves.</p>";
  } else if (!viewer.why_not.empty()) {
    o +=
        "<p class=\"viewer-note muted\">The 3D globe viewer was not written: " + escape_html(viewer.why_not) +
        ". After installing them, <code>skyfence view</code> on this folder writes it.</p>";
  }
  html::summary_section(page, r);
  std::optional<html::MapBase> base;
  if (!r.cells.empty()) base = html::make_map_base(r, borders);
  html::service_section(page, r, base ? &*base : nullptr);
  html::reliance_section(page, r, base ? &*base : nullptr);
  html::capacity_section(page, r, base ? &*base : nullptr);
  html::enforcement_section(page, r);
  html::latency_section(page, r);
  html::in_view_section(page, r);
  html::passes_section(page, r);
  html::data_section(page, r);
  o += "<footer>Made by " + escape_html(r.run.software_version) + " on " + utc(r.run.created) +
       ". Results: <code>results.sqlite</code> and the CSV and GeoJSON files beside this page (schema in "
       "<code>docs/results.md</code>). Borders: Natural Earth 1:50m.</footer>";
  o += "</div></main></body></html>\n";
  return o;
}

void write_report_html(const Results& results, const BorderMap& borders, const std::string& path,
                       const ViewerNote& viewer) {
  const std::string page = render_report_html(results, borders, viewer);
  AtomicFile f(path);
  f.write(page);
  f.commit();
}

}  // namespace skyfence::report
