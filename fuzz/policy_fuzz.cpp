// Fuzz target: the policy parser (TOML to Policy) and the evaluation of what it accepts. Every input
// must either load or throw InputError (PolicyError) with a message; anything else is a bug. Relative
// GeoJSON paths resolve in corpus/geojson (areas.geojson there is the tests' file).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "skyfence/earth/region.h"
#include "skyfence/policy/policy.h"

using namespace skyfence;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The borders are read once; a policy naming a country then only builds that country's polygon.
  static const earth::CountryBorders borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  policy::LoadOptions options;
  options.borders = borders;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const policy::Policy p =
        policy::Policy::parse(text, SKYFENCE_FUZZ_DIR "/corpus/geojson/fuzz.toml", options);
    for (double lat : {-90.0, -33.9, 0.0, 50.45, 90.0}) {
      for (double lon : {-180.0, -0.5, 30.52, 179.999}) {
        const policy::Request r{
            {"", "civil", "T1", "g"}, frames::Geodetic::degrees(lat, lon), time::Instant()};
        const policy::Decision d = p.decide(r);
        if (d.permit != p.permits(r) || d.reason.empty()) __builtin_trap();
      }
    }
  } catch (const InputError& e) {
    if (std::string_view(e.what()).empty()) __builtin_trap();
  }
  return 0;
}
