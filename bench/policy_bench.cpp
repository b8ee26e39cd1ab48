// Policy benchmark driver (plain; run by bench/policy_bench.sh, which also runs the shapely peer of
// bench/policy_peer.py on the same points). Prints "name value" lines. Single thread.
//   policy_bench [--points N]
// Workload: a policy with a permit-everywhere rule and one forbid rule per bundled Natural Earth
// country (241 rules, each its own region), evaluated at N points uniform on the sphere drawn from a
// 64-bit LCG (x = 6364136223846793005 x + 1442695040888963407 mod 2^64, u = (x >> 11) / 2^53,
// seed 1), which policy_peer.py repeats exactly.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <string>
#include <vector>

#include "skyfence/earth/region.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/scales.h"

namespace {

using namespace skyfence;

std::vector<frames::Geodetic> lcg_points(std::size_t n) {
  std::uint64_t x = 1;
  auto next = [&x] {
    x = 6364136223846793005ULL * x + 1442695040888963407ULL;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  };
  std::vector<frames::Geodetic> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double z = 2.0 * next() - 1.0;
    const double lon_deg = 360.0 * next() - 180.0;
    out.push_back(frames::Geodetic::degrees(std::asin(z) * 180.0 / std::numbers::pi, lon_deg));
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 1000000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--points") == 0) n = std::stoul(argv[i + 1]);
  }
  const auto borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  std::string text = "provider = \"starlink\"\n[[rule]]\nid = \"everywhere\"\neffect = \"permit\"\n";
  std::size_t k = 0;
  for (const earth::Country& c : borders.countries()) {
    std::string name;
    for (char ch : c.name) name += ch == '"' ? '\'' : ch;
    text +=
        "[[rule]]\nid = \"c" + std::to_string(k++) + "\"\neffect = \"forbid\"\nregion = \"" + name + "\"\n";
  }
  auto t0 = std::chrono::steady_clock::now();
  const policy::Policy p = policy::Policy::parse(text, "bench.toml", policy::LoadOptions{SKYFENCE_DATA_DIR});
  std::printf("rules %zu\n", p.rules().size());
  std::printf("load_s %.3f\n", seconds_since(t0));
  const auto pts = lcg_points(n);
  const time::Instant when = time::parse_iso8601("2026-04-27T12:00:00Z");
  policy::RequestContext ctx{"starlink", "civil", "T", ""};

  // permits(): the full rule evaluation per request (index lookup + candidate rules). Best of 5
  // passes, as the machine may be shared. One request whose location changes, as a batch caller
  // would do it (building a fresh Request copies its four strings: about 10 % more).
  std::size_t permitted = 0;
  double permits_s = 1e300;
  policy::Request request{ctx, {}, when};
  for (int rep = 0; rep < 5; ++rep) {
    permitted = 0;
    t0 = std::chrono::steady_clock::now();
    for (const auto& g : pts) {
      request.location = g;
      permitted += p.permits(request) ? 1 : 0;
    }
    permits_s = std::min(permits_s, seconds_since(t0));
  }
  std::printf("points %zu\n", n);
  std::printf("permitted %zu\n", permitted);
  std::printf("permits_per_s %.0f\n", static_cast<double>(n) / permits_s);

  // decide(): the same with matched rule ids and the reason text.
  const std::size_t nd = n / 4;
  double decide_s = 1e300;
  for (int rep = 0; rep < 5; ++rep) {
    std::size_t permitted_d = 0;
    t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < nd; ++i) {
      request.location = pts[i];
      permitted_d += p.decide(request).permit ? 1 : 0;
    }
    decide_s = std::min(decide_s, seconds_since(t0));
    if (permitted_d > nd) return 1;
  }
  std::printf("decide_per_s %.0f\n", static_cast<double>(nd) / decide_s);

  // PointPolicy: set-up once (location resolved), then per time step a table lookup per point.
  t0 = std::chrono::steady_clock::now();
  const policy::PointPolicy pp(p, pts, ctx);
  std::printf("point_policy_setup_s %.3f\n", seconds_since(t0));
  std::vector<std::uint8_t> out(n);
  const int steps = 20;
  t0 = std::chrono::steady_clock::now();
  std::size_t sum = 0;
  for (int s = 0; s < steps; ++s) {
    pp.permitted(when + time::Duration::minutes(s), out);
    for (std::uint8_t v : out) sum += v;
  }
  std::printf("point_policy_per_s %.0f\n", static_cast<double>(n) * steps / seconds_since(t0));
  if (sum != permitted * steps) {
    std::fprintf(stderr, "PointPolicy disagrees with permits(): %zu vs %zu\n", sum, permitted * steps);
    return 1;
  }
  return 0;
}
