// Fuzz target: the GeoJSON region reader (earth::read_region_file). Every input must either give a
// region or throw InputError with a message. The reader takes a path, so each input is written to
// one scratch file per process first.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "skyfence/earth/region.h"

using namespace skyfence;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/skyfence-fuzz-" + std::to_string(getpid()) + ".geojson";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    const earth::Region r = earth::read_region_file(path);
    (void)r.contains(frames::Geodetic::degrees(10.0, 20.0));
    if (!(r.area_km2() >= 0.0)) __builtin_trap();
  } catch (const InputError& e) {
    if (std::string_view(e.what()).empty()) __builtin_trap();
  }
  return 0;
}
