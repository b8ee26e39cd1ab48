// report.html: one self-contained page (inline CSS and SVG, no scripts, fonts or network) that
// answers what a reader of a run asks: how much of the region and of each terminal group each
// provider serves, under its policy and together; what each variant takes away and how much the
// others recover; latency to the internet; and how old the element sets are. What each figure
// shows and how its numbers are defined: docs/report.md.
#pragma once

#include <string>

#include "skyfence/report/borders.h"
#include "skyfence/report/model.h"

namespace skyfence::report {

// What the page says of the globe viewer (viewer/index.html beside it, report/viewer.h): a link when it
// was written, the reason and the way to get it when it was not, nothing when the caller wrote none.
struct ViewerNote {
  bool written = false;
  std::string why_not;  // when not written: the reason (e.g. the viewer's packages are not installed)
};

// The page as text (UTF-8). Every text from the results is HTML-escaped; the page is also
// well-formed XML. Validates first (std::invalid_argument). `borders` supplies the country
// outlines drawn under the maps (read_bundled_borders); an empty BorderMap draws none.
std::string render_report_html(const Results& results, const BorderMap& borders,
                               const ViewerNote& viewer = {});

// Renders and writes the page to `path` atomically (AtomicFile). Throws std::runtime_error for I/O
// failures.
void write_report_html(const Results& results, const BorderMap& borders, const std::string& path,
                       const ViewerNote& viewer = {});

}  // namespace skyfence::report
