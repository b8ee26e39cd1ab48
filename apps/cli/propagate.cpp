// skyfence propagate: SGP4/SDP4 states of a catalog's satellites at chosen times.
#include "propagate.h"

#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "common.h"
#include "skyfence/core/atomic_file.h"
#include "skyfence/core/error.h"
#include "skyfence/orbits/batch.h"
#include "skyfence/orbits/load.h"
#include "skyfence/orbits/omm.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/orbits/state_writers.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"

namespace skyfence::cli {

namespace propagate_command {

using time::Duration;
using time::Instant;

struct Options {
  std::string tle, omm;
  std::vector<std::string> satellites;
  std::string minutes;
  std::string start, stop, step;
  std::string frame = "teme";
  std::string format = "csv";
  std::string output;
  bool strict = false;
  bool accept_bad_checksums = false;
  bool quiet = false;
  unsigned threads = 0;
};

// Elements older or newer than this at a propagated time get a warning (the loader's rule).
constexpr double kStaleDays = orbits::kStaleEpochDays;

// Upper bound on states one command writes, to turn a typo ("--step 1s" over a year) into an error.
constexpr double kMaxStates = 2e9;

// --minutes=START:STOP:STEP: minutes since each element set's own epoch, STOP included even when off
// the grid, as in Vallado's verification driver (the one exception to time::Window's convention).
orbits::StateTimes times_from_minutes(const std::string& spec) {
  const auto fail = [&](const std::string& why) {
    throw InputError(SourceLocation{"--minutes", 0, {}},
                     why + " in \"" + spec + "\" (expected START:STOP:STEP in minutes, e.g. 0:1440:1)");
  };
  std::vector<double> parts;
  std::size_t pos = 0;
  while (true) {
    const std::size_t colon = spec.find(':', pos);
    const std::string piece = spec.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
    try {
      std::size_t used = 0;
      const double v = std::stod(piece, &used);
      if (used != piece.size() || !std::isfinite(v)) fail("\"" + piece + "\" is not a number");
      parts.push_back(v);
    } catch (const std::logic_error&) {
      fail("\"" + piece + "\" is not a number");
    }
    if (colon == std::string::npos) break;
    pos = colon + 1;
  }
  if (parts.size() != 3) fail("expected three numbers");
  const double start = parts[0], stop = parts[1], step = parts[2];
  if (step <= 0) fail("STEP must be positive");
  if (stop < start) fail("STOP must not be before START");
  if ((stop - start) / step > kMaxStates) fail("too many steps");
  // start + i*step (no accumulated rounding).
  std::vector<double> tsince;
  for (std::size_t i = 0;; ++i) {
    const double t = start + static_cast<double>(i) * step;
    if (t > stop) break;
    tsince.push_back(t);
  }
  if (tsince.back() < stop) tsince.push_back(stop);
  return orbits::StateTimes::since_epoch(std::move(tsince));
}

// --start/--stop/--step: UTC instants of the half-open window [START, STOP) (time/window.h).
orbits::StateTimes times_from_utc(const Options& o) {
  if (o.start.empty() || o.stop.empty() || o.step.empty()) {
    throw InputError("--start, --stop and --step are used together (or use --minutes=START:STOP:STEP)");
  }
  const Instant start = time::parse_iso8601(o.start, "--start");
  const Instant stop = time::parse_iso8601(o.stop, "--stop");
  const Duration step = time::parse_duration(o.step, "--step");
  return orbits::StateTimes::utc(time::Window::make(start, stop, step));
}

orbits::Catalog load_catalog(const Options& o) {
  if (!o.tle.empty()) {
    return orbits::read_tle_file(o.tle, {.accept_bad_checksums = o.accept_bad_checksums, .strict = o.strict});
  }
  return orbits::read_omm_file(o.omm, {.strict = o.strict});
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Keeps the catalog's order; a selector matches a NORAD id (digits), a name (case-insensitive),
// or a shell-style pattern ("STARLINK-1*").
std::vector<orbits::ElementSet> select(std::vector<orbits::ElementSet> sets,
                                       const std::vector<std::string>& sel, const std::string& source) {
  if (sel.empty()) return sets;
  std::vector<bool> keep(sets.size(), false);
  for (const std::string& s : sel) {
    bool matched = false;
    const bool pattern = s.find_first_of("*?[") != std::string::npos;
    const std::optional<std::uint32_t> id = orbits::parse_norad_id(s, "--satellite");
    for (std::size_t i = 0; i < sets.size(); ++i) {
      bool m = false;
      if (id) {
        m = sets[i].norad_id == *id;
      } else if (pattern) {
        m = ::fnmatch(s.c_str(), sets[i].name.c_str(), FNM_CASEFOLD) == 0;
      } else {
        m = lower(sets[i].name) == lower(s);
      }
      if (m) {
        keep[i] = true;
        matched = true;
      }
    }
    if (!matched) {
      throw InputError(SourceLocation{"--satellite", 0, {}},
                       fmt::format("no satellite in {} has NORAD id or name \"{}\"", source, s));
    }
  }
  std::vector<orbits::ElementSet> out;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    if (keep[i]) out.push_back(std::move(sets[i]));
  }
  return out;
}

orbits::StateFrame parse_frame(const std::string& name) {
  if (name == "itrf") return orbits::StateFrame::itrf;
  if (name == "geodetic") return orbits::StateFrame::geodetic;
  return orbits::StateFrame::teme;
}

std::unique_ptr<orbits::StateWriter> make_writer(const std::string& format, const orbits::StateTimes& times,
                                                 orbits::StateFrame frame, std::size_t n_sats) {
  if (format == "npy") return std::make_unique<orbits::NpyStateWriter>(times, frame, n_sats);
  if (format == "json") return std::make_unique<orbits::JsonStateWriter>(times, frame);
  return std::make_unique<orbits::CsvStateWriter>(times, frame);
}

// The element sets to propagate: the catalog's, its issues reported, narrowed to --satellite; at least
// one, and no more than kMaxStates states over `times`.
std::vector<orbits::ElementSet> load_sets(const Options& o, const orbits::StateTimes& times,
                                          const std::string& source) {
  orbits::Catalog catalog = load_catalog(o);
  report_catalog_issues(catalog, source);
  std::vector<orbits::ElementSet> sets = select(std::move(catalog.sets), o.satellites, source);
  if (sets.empty())
    throw InputError(SourceLocation{source, 0, {}}, "expected at least one element set, found none");
  if (static_cast<double>(sets.size()) * static_cast<double>(times.size()) > kMaxStates) {
    throw InputError(
        fmt::format("{} satellites x {} times is more than {:.0e} states; narrow the selection or the times",
                    sets.size(), times.size(), kMaxStates));
  }
  return sets;
}

// Warns when the last time lies past the leap-second table's expiry (times since epoch counted from
// the first element set's epoch).
void warn_about_leap_table(const orbits::StateTimes& times, const orbits::ElementSet& first) {
  const auto& leaps = time::LeapSecondTable::builtin();
  const Instant last_time = times.at(times.size() - 1, first.epoch);
  if (leaps.is_stale(last_time)) {
    warn(
        fmt::format("times after {} are past the leap-second table's expiry: a leap second announced since "
                    "is not known (UTC may be off by 1 s)",
                    time::format_iso8601(leaps.expires(), 0)));
  }
}

struct Written {
  orbits::WriteStatesSummary summary;
  bool failed = false;  // --strict and an SGP4 error: nothing was committed
};

// Propagates and writes every state in the chosen format, warns about each SGP4 error, and commits the
// output (and the .npy sidecar) unless --strict saw an error: a failing run leaves no output file, its
// temporary files removed unrenamed.
Written propagate_and_write(const Options& o, const std::vector<orbits::ElementSet>& sets,
                            const std::vector<orbits::Sgp4Record>& records, const orbits::StateTimes& times) {
  const orbits::StateFrame frame = parse_frame(o.frame);
  const std::unique_ptr<orbits::StateWriter> writer = make_writer(o.format, times, frame, sets.size());
  OutputSink sink(o.output);
  Progress progress("propagate", 1.0, o.quiet);
  orbits::WriteStatesOptions options;
  options.stale_days = kStaleDays;
  Written w;
  w.summary = orbits::write_states(
      sets, records, times, frame, *writer, [&](std::string_view bytes) { sink.write(bytes); }, options,
      run_context(o.threads, &progress));
  progress.finish();

  for (const orbits::StateError& e : w.summary.errors) {
    const orbits::ElementSet& es = sets[e.index];
    warn(fmt::format("{} (NORAD {}): SGP4 error {} at {} (tsince {:.3f} min): {}; its rows stop there",
                     es.name.empty() ? "satellite" : es.name, es.norad_id, static_cast<int>(e.error),
                     time::format_iso8601(times.at(e.time_index, es.epoch), 3),
                     times.tsince_min(e.time_index, es.epoch), orbits::describe(e.error)));
  }
  w.failed = o.strict && !w.summary.errors.empty();
  check_interrupted();
  if (!w.failed) {
    if (o.format == "npy") {
      AtomicFile meta(o.output + ".json");
      meta.write(static_cast<const orbits::NpyStateWriter&>(*writer).sidecar(sets));
      sink.commit();
      meta.commit();
    } else {
      sink.commit();
    }
  }
  return w;
}

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  if (o.format == "npy" && (o.output.empty() || o.output == "-")) {
    throw InputError(SourceLocation{"--format", 0, {}},
                     "npy is binary: give an output file with -o FILE.npy");
  }
  const orbits::StateTimes times = o.minutes.empty() ? times_from_utc(o) : times_from_minutes(o.minutes);
  const std::string source = o.tle.empty() ? o.omm : o.tle;
  const std::vector<orbits::ElementSet> sets = load_sets(o, times, source);
  std::vector<orbits::Sgp4Record> records;
  records.reserve(sets.size());
  for (const auto& es : sets) records.push_back(orbits::sgp4_init(es));
  warn_about_leap_table(times, sets.front());

  const Written w = propagate_and_write(o, sets, records, times);

  if (w.summary.n_stale > 0) {
    warn(fmt::format(
        "{} satellite(s) were propagated more than {:.0f} days from their element-set epoch; SGP4 "
        "errors grow by roughly 1-3 km a day away from epoch",
        w.summary.n_stale, kStaleDays));
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.quiet) {
    fmt::print(stderr,
               "skyfence: {} satellites x {} times: {} states, {} SGP4 error(s), {:.2f} s ({} kernel){}\n",
               sets.size(), times.size(), w.summary.n_states, w.summary.errors.size(), secs,
               orbits::BatchPropagator::kernel_name(),
               o.output.empty() || w.failed
                   ? ""
                   : ", wrote " + o.output + (o.format == "npy" ? " and " + o.output + ".json" : ""));
  }
  if (w.failed) {
    if (!o.output.empty() && o.output != "-") warn(fmt::format("--strict: {} not written", o.output));
    return kExitRuntime;
  }
  return kExitOk;
}

}  // namespace propagate_command

void add_propagate_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace propagate_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "propagate", "Positions and velocities of satellites from their element sets (SGP4/SDP4)");
  cmd->footer(std::string(R"(Examples:
  skyfence propagate --tle data/tle/starlink_2026-04-27.tle --satellite STARLINK-1008 \
      --start 2026-04-27T12:00:00Z --stop 2026-04-27T13:36:00Z --step 1m
  skyfence propagate --tle tests/data/sgp4-verification/SGP4-VER.TLE --accept-bad-checksums \
      --satellite 5 --minutes=0:4320:360
  skyfence propagate --omm data/tle/starlink_2026-03-26.omm.json --start 2026-03-26T12:00:00Z \
      --stop 2026-03-27T12:00:00Z --step 1m --frame geodetic --format npy -o starlink.npy

)") + time::kWindowHelp +
              R"(
--minutes=START:STOP:STEP counts minutes since each element set's own epoch and, as the SGP4
verification set does, includes STOP even when it is off the step grid (0:60:7 ends at 60).
CSV columns: norad_id,name,time_utc,tsince_min, then x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s (teme,
itrf) or lat_deg,lon_deg,alt_km (geodetic, WGS84). npy: float64 array of shape (satellites, times,
components), NaN after an SGP4 error; its ids, names, epochs and times are written beside it as
FILE.npy.json.
When SGP4 fails for a satellite its rows stop there with a warning; the exit status is 0 unless
--strict, which then writes no output file. Exit status: 0 ok, 1 runtime failure, 2 bad input,
130 interrupted.)");
  auto* in = cmd->add_option_group("input", "element sets");
  in->add_option("--tle", opts->tle, "TLE catalog (2- or 3-line sets, LF or CRLF)")->check(CLI::ExistingFile);
  in->add_option("--omm", opts->omm, "CCSDS OMM catalog: JSON, CSV or XML")->check(CLI::ExistingFile);
  in->require_option(1);
  cmd->add_option("--satellite", opts->satellites,
                  "NORAD ids, names or name patterns (STARLINK-1*) to propagate; default: all");
  auto* minutes = cmd->add_option("--minutes", opts->minutes, "START:STOP:STEP in minutes since each epoch");
  auto* start = cmd->add_option("--start", opts->start, "first time, ISO-8601 UTC (2026-04-27T12:00:00Z)");
  cmd->add_option("--stop", opts->stop, "end of the window, ISO-8601 UTC (excluded: [START, STOP))")
      ->needs(start);
  cmd->add_option("--step", opts->step, "time step: 90s, 15m, 1h, 1d")->needs(start);
  minutes->excludes(start);
  cmd->add_option("--frame", opts->frame, "teme (SGP4's frame), itrf (Earth-fixed) or geodetic (WGS84)")
      ->check(CLI::IsMember({"teme", "itrf", "geodetic"}))
      ->capture_default_str();
  cmd->add_option("--format", opts->format, "csv, json or npy")
      ->check(CLI::IsMember({"csv", "json", "npy"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output,
                  "output file (default: standard output); written whole or not at all");
  cmd->add_flag("--strict", opts->strict, "fail on any bad record (exit 2) or SGP4 error (exit 1)");
  cmd->add_flag("--accept-bad-checksums", opts->accept_bad_checksums,
                "accept TLE lines whose checksum is wrong, with a warning");
  cmd->add_option("--threads", opts->threads,
                  "worker threads (default: all cores); results do not depend on it");
  cmd->add_flag("-q,--quiet", opts->quiet, "no progress bar or summary");
  cmd->callback([opts, &run_fn] {
    if (opts->minutes.empty() && opts->start.empty()) {
      throw CLI::ValidationError("propagate",
                                 "give either --minutes=START:STOP:STEP or --start, --stop and --step");
    }
    run_fn = [opts] { return run(*opts); };
  });
}

}  // namespace skyfence::cli
