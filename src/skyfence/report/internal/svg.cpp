#include "skyfence/report/internal/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace skyfence::report::internal {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {
int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw std::invalid_argument("colour: bad hex digit");
}
}  // namespace

ColorScale::ColorScale(std::vector<std::string> stops_hex) : stops_(std::move(stops_hex)) {
  if (stops_.size() < 2) throw std::invalid_argument("colour scale: at least two stops");
  for (const auto& s : stops_) {
    if (s.size() != 7 || s[0] != '#') throw std::invalid_argument("colour scale: expected #rrggbb");
    for (int k = 0; k < 3; ++k) {
      const auto i = static_cast<std::size_t>(1 + 2 * k);
      rgb_.push_back(hex_digit(s[i]) * 16 + hex_digit(s[i + 1]));
    }
  }
}

std::string ColorScale::at(double t) const {
  if (std::isnan(t)) t = 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double u = t * static_cast<double>(stops_.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(u), stops_.size() - 2);
  const double f = u - static_cast<double>(i);
  char buf[8];
  int c[3];
  for (std::size_t k = 0; k < 3; ++k) {
    const double a = rgb_[3 * i + k], b = rgb_[3 * (i + 1) + k];
    c[k] = static_cast<int>(std::lround(a + (b - a) * f));
  }
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c[0], c[1], c[2]);
  return buf;
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
  if (!(hi > lo) || count < 1) return {lo};
  const double raw = (hi - lo) / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) {
    ticks.push_back(std::fabs(v) < 1e-12 * step ? 0.0 : v);
  }
  return ticks;
}

}  // namespace skyfence::report::internal
