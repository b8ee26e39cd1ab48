#include "skyfence/time/instant.h"

#include <cmath>

namespace skyfence::time {

namespace {
constexpr double kNsPerSecond = 1e9;
}

Duration Duration::seconds(double s) {
  return Duration(std::llround(s * kNsPerSecond));
}
Duration Duration::minutes(double m) {
  return Duration(std::llround(m * 60.0 * kNsPerSecond));
}
Duration Duration::hours(double h) {
  return Duration(std::llround(h * 3600.0 * kNsPerSecond));
}
Duration Duration::days(double d) {
  return Duration(std::llround(d * 86400.0 * kNsPerSecond));
}

// Divisions of the exact integer count: one correctly rounded result, no accumulated error.
double Duration::to_seconds() const {
  return static_cast<double>(ns_) / kNsPerSecond;
}
double Duration::to_minutes() const {
  return static_cast<double>(ns_) / (60.0 * kNsPerSecond);
}
double Duration::to_days() const {
  return static_cast<double>(ns_) / (86400.0 * kNsPerSecond);
}

}  // namespace skyfence::time
