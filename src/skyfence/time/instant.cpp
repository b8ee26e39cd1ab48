#include "skyfence/time/instant.h"

#include <cmath>

#include "skyfence/time/internal/civil.h"

namespace skyfence::time {

namespace {
// The layer's one count of nanoseconds per second (internal/civil.h), as a double: 1e9 exactly.
constexpr double kNsPerSecondReal = static_cast<double>(internal::kNsPerSecond);
}  // namespace

Duration Duration::seconds(double s) {
  return Duration(std::llround(s * kNsPerSecondReal));
}
Duration Duration::minutes(double m) {
  return Duration(std::llround(m * 60.0 * kNsPerSecondReal));
}
Duration Duration::hours(double h) {
  return Duration(std::llround(h * 3600.0 * kNsPerSecondReal));
}
Duration Duration::days(double d) {
  return Duration(std::llround(d * 86400.0 * kNsPerSecondReal));
}

// Divisions of the exact integer count: one correctly rounded result, no accumulated error.
double Duration::to_seconds() const {
  return static_cast<double>(ns_) / kNsPerSecondReal;
}
double Duration::to_minutes() const {
  return static_cast<double>(ns_) / (60.0 * kNsPerSecondReal);
}
double Duration::to_days() const {
  return static_cast<double>(ns_) / (86400.0 * kNsPerSecondReal);
}

}  // namespace skyfence::time
