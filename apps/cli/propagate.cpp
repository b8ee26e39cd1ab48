// skyfence propagate: SGP4/SDP4 states of a catalog's satellites at chosen times.
#include "propagate.h"

#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "npy.h"
#include "skyfence/core/atomic_file.h"
#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/frames/frames.h"
#include "skyfence/orbits/batch.h"
#include "skyfence/orbits/omm.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::cli {

namespace {

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

enum class Frame { teme, itrf, geodetic };

// Elements older or newer than this at a propagated time get a warning: SGP4 element sets are
// fitted to a few days of tracking and their error grows by roughly 1-3 km a day.
constexpr double kStaleDays = 14.0;

// The sampling plan: either minutes since each element set's epoch (the same list for every
// satellite), or UTC instants (the same for every satellite).
struct Plan {
  bool since_epoch = false;
  std::vector<double> tsince_min;  // since_epoch
  std::vector<Instant> times;      // !since_epoch
  [[nodiscard]] std::size_t size() const { return since_epoch ? tsince_min.size() : times.size(); }
};

// Upper bound on states one command writes, to turn a typo ("--step 1s" over a year) into an error.
constexpr double kMaxStates = 2e9;

Plan plan_from_minutes(const std::string& spec) {
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
  Plan plan;
  plan.since_epoch = true;
  // start + i*step (no accumulated rounding); STOP is included even when off the grid, as in
  // Vallado's verification driver.
  for (std::size_t i = 0;; ++i) {
    const double t = start + static_cast<double>(i) * step;
    if (t > stop) break;
    plan.tsince_min.push_back(t);
  }
  if (plan.tsince_min.back() < stop) plan.tsince_min.push_back(stop);
  return plan;
}

Plan plan_from_utc(const Options& o) {
  if (o.start.empty() || o.stop.empty() || o.step.empty()) {
    throw InputError("--start, --stop and --step are used together (or use --minutes=START:STOP:STEP)");
  }
  const Instant start = time::parse_iso8601(o.start, "--start");
  const Instant stop = time::parse_iso8601(o.stop, "--stop");
  const Duration step = time::parse_duration(o.step, "--step");
  if (step <= Duration())
    throw InputError(SourceLocation{"--step", 0, {}}, "expected a positive duration, got \"" + o.step + "\"");
  if (stop < start) throw InputError(SourceLocation{"--stop", 0, {}}, "expected a time at or after --start");
  const auto n = (stop - start).count_ns() / step.count_ns();
  if (static_cast<double>(n) > kMaxStates)
    throw InputError(SourceLocation{"--step", 0, {}}, "too many steps between --start and --stop");
  Plan plan;
  for (std::int64_t i = 0; i <= n; ++i) plan.times.push_back(start + step * i);
  if (plan.times.back() < stop) plan.times.push_back(stop);  // STOP included, as with --minutes
  return plan;
}

orbits::Catalog load_catalog(const Options& o) {
  if (!o.tle.empty()) {
    return orbits::read_tle_file(o.tle, {.accept_bad_checksums = o.accept_bad_checksums, .strict = o.strict});
  }
  return orbits::read_omm_file(o.omm, {.strict = o.strict});
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
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
    for (std::size_t i = 0; i < sets.size(); ++i) {
      bool m = false;
      if (all_digits(s)) {
        m = sets[i].norad_id == std::stoul(s);
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

constexpr double kRadToDeg = kDegPerRad;  // core/units.h

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  const Frame frame = o.frame == "itrf" ? Frame::itrf : o.frame == "geodetic" ? Frame::geodetic : Frame::teme;
  if (o.format == "npy" && (o.output.empty() || o.output == "-")) {
    throw InputError(SourceLocation{"--format", 0, {}},
                     "npy is binary: give an output file with -o FILE.npy");
  }
  const Plan plan = o.minutes.empty() ? plan_from_utc(o) : plan_from_minutes(o.minutes);
  const std::string source = o.tle.empty() ? o.omm : o.tle;

  orbits::Catalog catalog = load_catalog(o);
  report_catalog_issues(catalog, source);
  std::vector<orbits::ElementSet> sets = select(std::move(catalog.sets), o.satellites, source);
  if (sets.empty())
    throw InputError(SourceLocation{source, 0, {}}, "expected at least one element set, found none");
  if (static_cast<double>(sets.size()) * static_cast<double>(plan.size()) > kMaxStates) {
    throw InputError(
        fmt::format("{} satellites x {} times is more than {:.0e} states; narrow the selection or the times",
                    sets.size(), plan.size(), kMaxStates));
  }

  std::vector<orbits::Sgp4Record> records;
  records.reserve(sets.size());
  for (const auto& es : sets) records.push_back(orbits::sgp4_init(es));

  const auto& leaps = time::LeapSecondTable::builtin();
  const Instant last_time =
      plan.since_epoch ? sets.front().epoch + Duration::minutes(plan.tsince_min.back()) : plan.times.back();
  if (leaps.is_stale(last_time)) {
    warn(
        fmt::format("times after {} are past the leap-second table's expiry: a leap second announced since "
                    "is not known (UTC may be off by 1 s)",
                    time::format_iso8601(leaps.expires(), 0)));
  }

  // Precomputed per time in the UTC plan: its label and UT1 Julian date (UT1 = UTC).
  std::vector<std::string> time_labels;
  std::vector<time::JulianDate> time_jd;
  if (!plan.since_epoch) {
    for (const Instant& t : plan.times) {
      time_labels.push_back(time::format_iso8601(t, 3));
      time_jd.push_back(time::jd_utc(t));
    }
  }

  const std::size_t n_sats = sets.size();
  const std::size_t n_times = plan.size();
  const int ncomp = frame == Frame::geodetic ? 3 : 6;
  std::vector<std::string> columns =
      frame == Frame::geodetic
          ? std::vector<std::string>{"lat_deg", "lon_deg", "alt_km"}
          : std::vector<std::string>{"x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s"};

  OutputSink sink(o.output);
  std::unique_ptr<AtomicFile> meta;
  if (o.format == "csv") {
    std::string header = "norad_id,name,time_utc,tsince_min";
    for (const auto& c : columns) header += "," + c;
    sink.write(header + "\n");
  } else if (o.format == "npy") {
    sink.write(npy_header_f8({n_sats, n_times, static_cast<std::size_t>(ncomp)}));
  } else {
    sink.write("[\n");
  }

  // Satellites are processed in blocks sized to keep the batch output near 256 MB.
  const std::size_t per_sat_bytes = n_times * 7 * sizeof(double);
  const std::size_t block = std::clamp<std::size_t>((std::size_t{256} << 20) / per_sat_bytes, 8, 8192);

  std::size_t n_errors = 0, n_states = 0, n_stale = 0;
  Progress progress("propagate", static_cast<double>(n_sats), o.quiet);
  orbits::BatchStates states;
  fmt::memory_buffer buf;
  std::vector<double> row(static_cast<std::size_t>(ncomp));
  std::vector<double> npy_block;
  const double nan = std::numeric_limits<double>::quiet_NaN();

  for (std::size_t b0 = 0; b0 < n_sats; b0 += block) {
    if (g_interrupted.load()) throw Interrupted{};
    const std::size_t nb = std::min(block, n_sats - b0);
    const orbits::BatchPropagator prop(std::span<const orbits::Sgp4Record>(records.data() + b0, nb));
    if (plan.since_epoch) {
      std::vector<double> tsince(n_times * nb);
      for (std::size_t t = 0; t < n_times; ++t)
        std::fill_n(tsince.begin() + static_cast<std::ptrdiff_t>(t * nb), nb, plan.tsince_min[t]);
      prop.propagate(tsince, n_times, states, {.threads = o.threads});
    } else {
      std::vector<double> offsets(nb), times_min(n_times);
      for (std::size_t s = 0; s < nb; ++s)
        offsets[s] = (plan.times.front() - sets[b0 + s].epoch).to_minutes();
      for (std::size_t t = 0; t < n_times; ++t)
        times_min[t] = (plan.times[t] - plan.times.front()).to_minutes();
      prop.propagate_grid(offsets, times_min, states, {.threads = o.threads});
    }

    for (std::size_t s = 0; s < nb; ++s) {
      if (g_interrupted.load()) throw Interrupted{};
      const orbits::ElementSet& es = sets[b0 + s];
      const orbits::Sgp4Record& rec = records[b0 + s];
      std::string name_field = o.format == "csv" ? csv_field(es.name) : nlohmann::json(es.name).dump();
      if (o.format == "json") {
        fmt::format_to(
            std::back_inserter(buf),
            "{}{{\"norad_id\": {}, \"name\": {}, \"epoch_utc\": \"{}\", \"frame\": \"{}\", \"columns\": "
            "[\"time_utc\", \"tsince_min\"",
            b0 + s == 0 ? "" : ",\n", es.norad_id, name_field, time::format_iso8601(es.epoch, 6), o.frame);
        for (const auto& c : columns) fmt::format_to(std::back_inserter(buf), ", \"{}\"", c);
        fmt::format_to(std::back_inserter(buf), "],\n  \"states\": [");
      }
      std::optional<std::string> error_json;
      bool stale = false;
      std::size_t t = 0;
      for (; t < n_times; ++t) {
        const std::size_t k = states.index(t, s);
        const double tsince = plan.since_epoch ? plan.tsince_min[t] : (plan.times[t] - es.epoch).to_minutes();
        if (std::abs(tsince) > kStaleDays * 1440.0) stale = true;
        if (states.error[k] != orbits::Sgp4Error::none) {
          const orbits::Sgp4Error e =
              rec.init_error != orbits::Sgp4Error::none ? rec.init_error : states.error[k];
          const Instant when = plan.since_epoch ? es.epoch + Duration::minutes(tsince) : plan.times[t];
          ++n_errors;
          warn(fmt::format("{} (NORAD {}): SGP4 error {} at {} (tsince {:.3f} min): {}; its rows stop there",
                           es.name.empty() ? "satellite" : es.name, es.norad_id, static_cast<int>(e),
                           time::format_iso8601(when, 3), tsince, orbits::describe(e)));
          error_json =
              fmt::format("{{\"code\": {}, \"meaning\": {}, \"tsince_min\": {}}}", static_cast<int>(e),
                          nlohmann::json(std::string(orbits::describe(e))).dump(), tsince);
          break;
        }
        frames::StateVector sv{{states.x[k], states.y[k], states.z[k]},
                               {states.vx[k], states.vy[k], states.vz[k]}};
        time::JulianDate jd{};
        if (frame != Frame::teme) {
          jd = plan.since_epoch ? time::jd_utc(es.epoch + Duration::minutes(tsince)) : time_jd[t];
          sv = frames::teme_to_itrf(sv, jd);
        }
        if (frame == Frame::geodetic) {
          const frames::Geodetic g = frames::itrf_to_geodetic(sv.r_km);
          row[0] = g.lat_rad * kRadToDeg;
          row[1] = g.lon_rad * kRadToDeg;
          row[2] = g.alt_km;
        } else {
          row = {sv.r_km.x, sv.r_km.y, sv.r_km.z, sv.v_km_s.x, sv.v_km_s.y, sv.v_km_s.z};
        }
        ++n_states;
        if (o.format == "npy") {
          npy_block.insert(npy_block.end(), row.begin(), row.end());
          continue;
        }
        const std::string label =
            plan.since_epoch ? time::format_iso8601(es.epoch + Duration::minutes(tsince), 3) : time_labels[t];
        if (o.format == "csv") {
          fmt::format_to(std::back_inserter(buf), "{},{},{},{:.8f}", es.norad_id, name_field, label, tsince);
        } else {
          fmt::format_to(std::back_inserter(buf), "{}\n    [\"{}\", {:.8f}", t == 0 ? "" : ",", label,
                         tsince);
        }
        if (frame == Frame::geodetic) {
          fmt::format_to(std::back_inserter(buf), ",{:.9f},{:.9f},{:.6f}", row[0], row[1], row[2]);
        } else {
          fmt::format_to(std::back_inserter(buf), ",{:.8f},{:.8f},{:.8f},{:.9f},{:.9f},{:.9f}", row[0],
                         row[1], row[2], row[3], row[4], row[5]);
        }
        buf.push_back(o.format == "csv" ? '\n' : ']');
      }
      if (stale) ++n_stale;
      if (o.format == "npy") {
        npy_block.insert(npy_block.end(), (n_times - t) * static_cast<std::size_t>(ncomp), nan);
        sink.write(std::string_view(reinterpret_cast<const char*>(npy_block.data()),
                                    npy_block.size() * sizeof(double)));
        npy_block.clear();
      } else if (o.format == "json") {
        fmt::format_to(std::back_inserter(buf), "],\n  \"error\": {}}}", error_json.value_or("null"));
      }
      if (buf.size() > (1u << 20)) {
        sink.write(std::string_view(buf.data(), buf.size()));
        buf.clear();
      }
    }
    progress.update(static_cast<double>(b0 + nb));
  }
  if (o.format == "json") fmt::format_to(std::back_inserter(buf), "\n]\n");
  sink.write(std::string_view(buf.data(), buf.size()));

  if (o.format == "npy") {
    // The array's axes, ids and times, beside it: FILE.npy.json.
    nlohmann::json m;
    m["shape"] = {n_sats, n_times, ncomp};
    m["dtype"] = "float64";
    m["axes"] = {"satellite", "time", "component"};
    m["columns"] = columns;
    m["frame"] = o.frame;
    m["missing"] = "NaN after an SGP4 error";
    std::vector<std::uint32_t> ids;
    std::vector<std::string> names, epochs;
    for (const auto& es : sets) {
      ids.push_back(es.norad_id);
      names.push_back(es.name);
      epochs.push_back(time::format_iso8601(es.epoch, 6));
    }
    m["norad_id"] = ids;
    m["name"] = names;
    m["epoch_utc"] = epochs;
    if (plan.since_epoch) {
      m["tsince_min"] = plan.tsince_min;
    } else {
      m["time_utc"] = time_labels;
    }
    meta = std::make_unique<AtomicFile>(o.output + ".json");
    meta->write(m.dump(1) + "\n");
  }
  progress.finish();
  if (g_interrupted.load()) throw Interrupted{};
  sink.commit();
  if (meta) meta->commit();

  if (n_stale > 0) {
    warn(fmt::format(
        "{} satellite(s) were propagated more than {:.0f} days from their element-set epoch; SGP4 "
        "errors grow by roughly 1-3 km a day away from epoch",
        n_stale, kStaleDays));
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.quiet) {
    fmt::print(
        stderr, "skyfence: {} satellites x {} times: {} states, {} SGP4 error(s), {:.2f} s ({} kernel){}\n",
        n_sats, n_times, n_states, n_errors, secs, orbits::BatchPropagator::kernel_name(),
        o.output.empty() ? ""
                         : ", wrote " + o.output + (o.format == "npy" ? " and " + o.output + ".json" : ""));
  }
  if (o.strict && n_errors > 0) return kExitRuntime;
  return kExitOk;
}

}  // namespace

void add_propagate_command(CLI::App& app, std::function<int()>& run_fn) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "propagate", "Positions and velocities of satellites from their element sets (SGP4/SDP4)");
  cmd->footer(R"(Examples:
  skyfence propagate --tle data/tle/starlink_2026-04-27.tle --satellite STARLINK-1008 \
      --start 2026-04-27T12:00:00Z --stop 2026-04-27T13:36:00Z --step 1m
  skyfence propagate --tle tests/data/sgp4-verification/SGP4-VER.TLE --accept-bad-checksums \
      --satellite 5 --minutes=0:4320:360
  skyfence propagate --omm data/tle/starlink_2026-03-26.omm.json --start 2026-03-26T12:00:00Z \
      --stop 2026-03-27T12:00:00Z --step 1m --frame geodetic --format npy -o starlink.npy

Times: with --minutes, minutes since each element set's own epoch; with --start/--stop/--step, UTC.
STOP is always included, even when it is off the step grid. CSV columns: norad_id,name,time_utc,
tsince_min, then x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s (teme, itrf) or lat_deg,lon_deg,alt_km
(geodetic, WGS84). npy: float64 array of shape (satellites, times, components), NaN after an SGP4
error; its ids, names, epochs and times are written beside it as FILE.npy.json.
When SGP4 fails for a satellite its rows stop there with a warning; the exit status is 0 unless
--strict. Exit status: 0 ok, 1 runtime failure, 2 bad input, 130 interrupted.)");
  auto* in = cmd->add_option_group("input", "element sets");
  in->add_option("--tle", opts->tle, "TLE catalog (2- or 3-line sets, LF or CRLF)")->check(CLI::ExistingFile);
  in->add_option("--omm", opts->omm, "CCSDS OMM catalog: JSON, CSV or XML")->check(CLI::ExistingFile);
  in->require_option(1);
  cmd->add_option("--satellite", opts->satellites,
                  "NORAD ids, names or name patterns (STARLINK-1*) to propagate; default: all");
  auto* minutes = cmd->add_option("--minutes", opts->minutes, "START:STOP:STEP in minutes since each epoch");
  auto* start = cmd->add_option("--start", opts->start, "first time, ISO-8601 UTC (2026-04-27T12:00:00Z)");
  cmd->add_option("--stop", opts->stop, "last time, ISO-8601 UTC (included)")->needs(start);
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
