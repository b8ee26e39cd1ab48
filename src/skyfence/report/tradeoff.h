// A trade-off plot as a standalone SVG document: one marker per point, labelled, coloured by series
// (e.g. leakage against collateral, one point per enforcement setting, a series per mode). It needs no
// script, font or network, and reads the same in a browser, an image viewer or an HTML page: its style
// rules are scoped to its root's class "tradeoff", so embedded in a page they restyle nothing else.
#pragma once

#include <span>
#include <string>

namespace skyfence::report {

struct TradeoffPoint {
  std::string label;   // written beside the marker
  std::string series;  // points of a series share a colour and are joined in the order given
  double x = 0.0;
  double y = 0.0;
};

// The plot, 720 x 480 pixels, axes from 0 to round values above the largest x and y (at least 1e-9),
// with a legend of the series in order of first appearance. Titles and labels are escaped.
std::string tradeoff_svg(std::span<const TradeoffPoint> points, const std::string& title,
                         const std::string& x_title, const std::string& y_title);

}  // namespace skyfence::report
