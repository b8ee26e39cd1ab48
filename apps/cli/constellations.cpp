// skyfence constellations: the constellation presets and bundled catalogs, and presets written out as
// element sets (TLE) for the propagator and everything downstream.
#include "constellations.h"

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "data_dir.h"
#include "skyfence/core/atomic_file.h"
#include "skyfence/core/error.h"
#include "skyfence/orbits/catalog_select.h"
#include "skyfence/orbits/presets.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::cli {

namespace constellations_command {

struct Options {
  std::string preset;
  std::string epoch;
  std::string output;
  std::string format = "table";
  std::uint32_t first_id = orbits::kFirstSyntheticNoradId;
  bool quiet = false;
};

// A plain-text table: columns padded to their widest cell, two spaces apart.
std::string text_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string shorten(const std::string& s, std::size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

std::string fmt_num(double v) {
  return fmt::format("{}", v);
}

template <typename T>
std::string opt_text(const std::optional<T>& v) {
  return v ? fmt::format("{}", *v) : "-";
}

template <typename T>
nlohmann::json opt_json(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string epoch_text(const std::optional<orbits::EpochSpread>& e, int which) {
  if (!e) return "";
  const time::Instant t = which == 0 ? e->min : which == 1 ? e->median : e->max;
  return time::format_iso8601(t, 0);
}

// One bundled catalog, read and summarised.
struct CatalogRow {
  std::string name, file;
  orbits::CatalogSummary summary;
};

std::vector<CatalogRow> read_bundled(const std::string& dir) {
  std::vector<CatalogRow> rows;
  for (const orbits::BundledCatalog& c : orbits::bundled_catalogs()) {
    const std::string path = orbits::bundled_catalog_path(c.name, dir);
    rows.push_back(CatalogRow{std::string(c.name), std::string(c.relative_path),
                              orbits::summarize(orbits::load_catalog_file(path))});
    if (rows.back().summary.rejected > 0) {
      warn(fmt::format("{}: {} record(s) could not be read", path, rows.back().summary.rejected));
    }
  }
  return rows;
}

std::string pattern_name(orbits::WalkerPattern p) {
  return p == orbits::WalkerPattern::star ? "star" : "delta";
}

nlohmann::json preset_json(const orbits::Preset& p) {
  nlohmann::json j;
  j["id"] = p.id;
  j["system"] = p.system;
  j["operator"] = p.operator_name;
  j["filing"] = p.filing;
  j["satellites"] = p.total();
  j["can_generate"] = p.can_generate();
  j["shells"] = nlohmann::json::array();
  for (const orbits::PresetShell& s : p.shells) {
    nlohmann::json js;
    js["name"] = s.name;
    js["altitude_km"] = s.altitude_km;
    js["inclination_deg"] = opt_json(s.inclination_deg);
    js["planes"] = opt_json(s.planes);
    js["sats_per_plane"] = opt_json(s.sats_per_plane);
    js["total"] = s.total;
    if (s.layout) {
      js["pattern"] = pattern_name(s.layout->pattern);
      js["raan_step_deg"] = s.layout->effective_raan_step_deg();
      js["walker_f"] = s.layout->phasing;
    } else {
      js["pattern"] = nullptr;
      js["raan_step_deg"] = nullptr;
      js["walker_f"] = nullptr;
    }
    js["layout_note"] = s.layout_note;
    js["sources"] = s.sources;
    j["shells"].push_back(js);
  }
  j["sources"] = nlohmann::json::array();
  for (const orbits::PresetSource& s : p.sources) {
    j["sources"].push_back({{"key", s.key},
                            {"repo", s.repo},
                            {"commit", s.commit},
                            {"paths", s.paths},
                            {"url", s.url},
                            {"license", s.license}});
  }
  return j;
}

// `skyfence constellations`: presets and bundled catalogs.
std::string list_all(const orbits::PresetLibrary& lib, const std::vector<CatalogRow>& cats,
                     const std::string& dir, const std::string& format) {
  if (format == "json") {
    nlohmann::json j;
    j["data_dir"] = dir;
    j["presets"] = nlohmann::json::array();
    for (const orbits::Preset& p : lib.presets) j["presets"].push_back(preset_json(p));
    j["catalogs"] = nlohmann::json::array();
    for (const CatalogRow& c : cats) {
      j["catalogs"].push_back({{"name", c.name},
                               {"file", c.file},
                               {"satellites", c.summary.satellites},
                               {"epoch_min_utc", epoch_text(c.summary.epochs, 0)},
                               {"epoch_median_utc", epoch_text(c.summary.epochs, 1)},
                               {"epoch_max_utc", epoch_text(c.summary.epochs, 2)}});
    }
    return j.dump(1) + "\n";
  }
  if (format == "csv") {
    std::string out =
        "kind,id,system,shells,satellites,can_generate,filing,file,"
        "epoch_min_utc,epoch_median_utc,epoch_max_utc\n";
    for (const orbits::Preset& p : lib.presets) {
      out += fmt::format("preset,{},{},{},{},{},{},,,,\n", p.id, csv_field(p.system), p.shells.size(),
                         p.total(), p.can_generate() ? "true" : "false", csv_field(p.filing));
    }
    for (const CatalogRow& c : cats) {
      out += fmt::format("catalog,{},,,{},,,{},{},{},{}\n", c.name, c.summary.satellites, csv_field(c.file),
                         epoch_text(c.summary.epochs, 0), epoch_text(c.summary.epochs, 1),
                         epoch_text(c.summary.epochs, 2));
    }
    return out;
  }
  std::vector<std::vector<std::string>> prow{{"id", "system", "shells", "satellites", "filing"}};
  for (const orbits::Preset& p : lib.presets) {
    prow.push_back({p.id, shorten(p.system, 44), std::to_string(p.shells.size()),
                    std::to_string(p.total()) + (p.can_generate() ? "" : " (published total only)"),
                    shorten(p.filing.empty() ? "-" : p.filing, 60)});
  }
  std::vector<std::vector<std::string>> crow{
      {"name", "file", "satellites", "epoch_min_utc", "epoch_median_utc", "epoch_max_utc"}};
  for (const CatalogRow& c : cats) {
    crow.push_back({c.name, c.file, std::to_string(c.summary.satellites), epoch_text(c.summary.epochs, 0),
                    epoch_text(c.summary.epochs, 1), epoch_text(c.summary.epochs, 2)});
  }
  return fmt::format("Constellation presets ({}):\n", lib.file) + text_table(prow) +
         "\nBundled catalogs (under " + dir + "):\n" + text_table(crow) +
         "\nShells of a preset: skyfence constellations --preset ID\n"
         "Element sets of a preset: "
         "skyfence constellations --preset ID --epoch 2026-04-27T00:00:00Z -o FILE.tle\n";
}

// `skyfence constellations --preset ID`: the shells and their Walker layout.
std::string show_preset(const orbits::Preset& p, const std::string& format) {
  if (format == "json") return preset_json(p).dump(1) + "\n";
  if (format == "csv") {
    std::string out =
        "preset,shell,name,altitude_km,inclination_deg,planes,sats_per_plane,total,pattern,"
        "raan_step_deg,walker_f,layout_note\n";
    for (std::size_t i = 0; i < p.shells.size(); ++i) {
      const orbits::PresetShell& s = p.shells[i];
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", p.id, i, csv_field(s.name),
                         fmt_num(s.altitude_km), s.inclination_deg ? fmt_num(*s.inclination_deg) : "",
                         s.planes ? std::to_string(*s.planes) : "",
                         s.sats_per_plane ? std::to_string(*s.sats_per_plane) : "", s.total,
                         s.layout ? pattern_name(s.layout->pattern) : "",
                         s.layout ? fmt_num(s.layout->effective_raan_step_deg()) : "",
                         s.layout ? std::to_string(s.layout->phasing) : "", csv_field(s.layout_note));
    }
    return out;
  }
  std::string out = fmt::format("{}: {}, {} satellites\n", p.id, p.system, p.total());
  if (!p.operator_name.empty()) out += "operator: " + p.operator_name + "\n";
  if (!p.filing.empty()) out += "filing: " + p.filing + "\n";
  std::vector<std::vector<std::string>> rows{{"shell", "name", "alt_km", "incl_deg", "planes", "per_plane",
                                              "total", "pattern", "raan_step_deg", "F"}};
  std::string notes;
  for (std::size_t i = 0; i < p.shells.size(); ++i) {
    const orbits::PresetShell& s = p.shells[i];
    rows.push_back({std::to_string(i), s.name, fmt_num(s.altitude_km), opt_text(s.inclination_deg),
                    opt_text(s.planes), opt_text(s.sats_per_plane), std::to_string(s.total),
                    s.layout ? pattern_name(s.layout->pattern) : "-",
                    s.layout ? fmt::format("{:.4g}", s.layout->effective_raan_step_deg()) : "-",
                    s.layout ? std::to_string(s.layout->phasing) : "-"});
    notes += fmt::format("  shell {}: {}\n", i, s.layout_note);
  }
  out += "\n" + text_table(rows) + "\nLayout (pattern, RAAN step, phasing F) and why:\n" + notes;
  out += "\nSources:";
  for (const orbits::PresetSource& s : p.sources) {
    out += "\n  " + s.key + ": " + (s.repo.empty() ? s.url : s.repo + " @ " + s.commit);
  }
  return out + "\n";
}

int run(const Options& o) {
  install_interrupt_handler();
  const std::string dir = data_dir();
  const orbits::PresetLibrary lib = orbits::load_presets(orbits::presets_path(dir));

  if (o.preset.empty()) {
    OutputSink sink(o.output);
    sink.write(list_all(lib, read_bundled(dir), dir, o.format));
    sink.commit();
    return kExitOk;
  }
  const orbits::Preset& preset = lib.find(o.preset);
  if (o.epoch.empty()) {
    OutputSink sink(o.output);
    sink.write(show_preset(preset, o.format));
    sink.commit();
    return kExitOk;
  }

  const time::Instant epoch = time::parse_iso8601(o.epoch, "--epoch");
  const std::uint64_t total = static_cast<std::uint64_t>(preset.total());
  if (preset.can_generate() && (o.first_id < 1 || o.first_id + total - 1 > orbits::kLastSyntheticNoradId)) {
    throw InputError(
        SourceLocation{"--first-id", 0, {}},
        fmt::format("expected ids that fit a TLE: {} satellites from {} would end at {}, above {}", total,
                    o.first_id, o.first_id + total - 1, orbits::kLastSyntheticNoradId));
  }
  const orbits::GeneratedConstellation c = orbits::generate(preset, epoch, {.first_norad_id = o.first_id});
  if (o.first_id < orbits::kFirstSyntheticNoradId) {
    warn(fmt::format(
        "--first-id {} is below the reserved range {}-{}: the ids may collide with real satellites",
        o.first_id, orbits::kFirstSyntheticNoradId, orbits::kLastSyntheticNoradId));
  }
  std::string text;
  text.reserve(c.sets.size() * 166);
  for (const orbits::ElementSet& es : c.sets) {
    check_interrupted();
    text += es.name + "\n" + orbits::format_tle(es);
  }
  OutputSink sink(o.output);
  sink.write(text);
  check_interrupted();
  sink.commit();
  if (!o.quiet) {
    fmt::print(stderr, "skyfence: {}: {} satellites in {} shell(s) at {}, NORAD ids {}-{}{}\n", preset.id,
               c.sets.size(), preset.shells.size(), time::format_iso8601(epoch, 0), c.sets.front().norad_id,
               c.sets.back().norad_id, o.output.empty() || o.output == "-" ? "" : ", wrote " + o.output);
  }
  return kExitOk;
}

}  // namespace constellations_command

void add_constellations_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace constellations_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "constellations",
      "Constellation presets (Walker shells from published filings) and the bundled catalogs");
  cmd->footer(R"(Examples:
  skyfence constellations                       # presets and bundled catalogs, as a table
  skyfence constellations --format json         # the same with every shell, layout and source
  skyfence constellations --preset kuiper       # a preset's shells and the Walker layout used
  skyfence constellations --preset starlink_gen1 --epoch 2026-04-27T00:00:00Z -o starlink_gen1.tle
  skyfence propagate --tle starlink_gen1.tle --satellite 'STARLINK_GEN1-0-00-*' \
      --start 2026-04-27T00:00:00Z --stop 2026-04-27T01:36:00Z --step 1m

Generated satellites are circular (eccentricity 0, no drag: bstar 0) at the shell's nominal altitude
(the SGP4 radius averaged over a revolution is 6378.135 km + altitude), named ID-SHELL-PLANE-SLOT
(0-based) with NORAD ids from --first-id (default 270000, the reserved range 270000-339999).
A shell published only as a total (telesat_lightspeed_2025) cannot be generated: exit status 2.
Data are read from $SKYFENCE_DATA when set, else, for an installed skyfence, from share/skyfence/data
beside its bin/, else from the build's data directory.
Exit status: 0 ok, 1 runtime failure, 2 bad input.)");
  cmd->add_option("--preset", opts->preset,
                  "a preset id (see the listing), e.g. starlink_gen1, kuiper, iridium_next");
  auto* epoch = cmd->add_option(
      "--epoch", opts->epoch,
      "with --preset: generate its element sets at this ISO-8601 UTC epoch and write them as TLE");
  cmd->add_option("--format", opts->format,
                  "listing format: table, csv or json (generation always writes TLE)")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output,
                  "output file (default: standard output); written whole or not at all");
  cmd->add_option("--first-id", opts->first_id, "NORAD id of the first generated satellite")
      ->needs(epoch)
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", opts->quiet, "no summary on standard error");
  cmd->callback([opts, cmd, &run_fn] {
    if (!opts->epoch.empty() && opts->preset.empty()) {
      throw CLI::ValidationError("constellations", "--epoch generates a preset: give --preset ID too");
    }
    if (!opts->epoch.empty() && cmd->count("--format") > 0) {
      throw CLI::ValidationError("constellations",
                                 "--format applies to listings; generated element sets are TLE");
    }
    run_fn = [opts] { return run(*opts); };
  });
}

}  // namespace skyfence::cli
