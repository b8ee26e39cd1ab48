// Fuzz target: the scenario parser (scenario::parse_scenario, TOML text to Scenario). Every input
// must either give a scenario or throw ScenarioError listing at least one problem, each with a
// message; and an accepted scenario holds what parse_scenario checks: stop after start, 1 to
// 1,000,000 steps, min_sats 1..1000, region level 0..10 with exactly one of country or file and at
// most one of a demand density and a demand file, at least one provider, provider names unique and not
// "any", group ids unique, variant ids unique and not "baseline", every provider a variant or
// compute.passes_providers names defined.
//
// The scenario's path lies in a folder of the temporary directory that does not exist, so relative
// file names never resolve; parsing must never create it (it reads, and only checks that files exist).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

#include "check.h"
#include "skyfence/scenario/scenario.h"

using namespace skyfence;
using skyfence::fuzz::check;

namespace {

void check_scenario(const scenario::Scenario& sc) {
  check(sc.stop > sc.start, "stop after start");
  check(sc.steps() >= 1 && sc.steps() <= 1'000'000, "1 to 1,000,000 steps");
  check(sc.step.count_ns() > 0, "a positive step");
  check(sc.min_sats >= 1 && sc.min_sats <= 1000, "min_sats in 1..1000");
  check(sc.region.level >= 0 && sc.region.level <= 10, "region level in 0..10");
  check(sc.region.country.empty() != sc.region.file.empty(), "region: exactly one of country or file");
  check(sc.region.demand_density_mbps_km2 < 0.0 || sc.region.demand_file.empty(),
        "region: at most one of a demand density and a demand file");
  check(!sc.providers.empty(), "at least one provider");
  std::set<std::string> providers;
  for (const scenario::ProviderSpec& p : sc.providers) {
    check(p.name != "any" && providers.insert(p.name).second, "provider names unique, not \"any\"");
    check(p.min_elevation_deg >= -90.0 && p.min_elevation_deg < 90.0, "min_elevation_deg in [-90, 90)");
    check(p.gateways.empty() == p.pops.empty(), "gateways and pops together");
  }
  std::set<std::string> groups;
  for (const scenario::TerminalGroupSpec& g : sc.groups) {
    check(groups.insert(g.id).second && !g.file.empty() && !g.name.empty(), "groups unique, with a file");
  }
  for (const std::string& p : sc.compute.passes_providers)
    check(providers.contains(p), "passes_providers exist");
  std::set<std::string> variants{"baseline"};
  for (const scenario::VariantSpec& v : sc.variants) {
    check(variants.insert(v.id).second, "variant ids unique, not \"baseline\"");
    if (v.kind == scenario::VariantSpec::Kind::add_provider) {
      check(v.added.has_value() && !providers.contains(v.provider), "an added provider is new");
    } else {
      check(providers.contains(v.provider), "a variant changes a defined provider");
    }
    if (v.kind == scenario::VariantSpec::Kind::satellite_failure) {
      check(v.fraction >= 0.0 && v.fraction <= 1.0, "failure fraction in [0, 1]");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "skyfence-fuzz-scenario-never-created";
  static const std::string path = (dir / "fuzz.toml").string();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    check_scenario(scenario::parse_scenario(text, path));
  } catch (const scenario::ScenarioError& e) {
    fuzz::check_message(e);
    check(!e.issues().empty(), "a ScenarioError lists its problems");
    for (const InputError& issue : e.issues()) fuzz::check_message(issue);
  }
  std::error_code ec;
  check(!std::filesystem::exists(dir, ec), "parsing writes nothing");
  return 0;
}
