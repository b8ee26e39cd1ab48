// Small helpers for the report's hand-written HTML and SVG.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace skyfence::report::internal {

// Text with &, <, >, " and ' replaced by character references: safe in element content and in
// quoted attribute values, in HTML and XML alike.
std::string escape_html(std::string_view text);

// An sRGB colour map through evenly spaced stops ("#rrggbb"), interpolated linearly in sRGB.
class ColorScale {
 public:
  explicit ColorScale(std::vector<std::string> stops_hex);
  // "#rrggbb" at t in [0, 1] (clamped; NaN gives the first stop).
  [[nodiscard]] std::string at(double t) const;
  [[nodiscard]] const std::vector<std::string>& stops() const { return stops_; }

 private:
  std::vector<std::string> stops_;
  std::vector<double> rgb_;  // 3 per stop
};

// About `count` round tick values (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int count);

}  // namespace skyfence::report::internal
