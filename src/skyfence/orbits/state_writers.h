// Writers of propagated states, one per format (CSV, JSON, NumPy .npy with a JSON sidecar), and
// write_states(), which propagates element sets with BatchPropagator and feeds one writer.
//
// The writers turn one satellite's states into bytes; they hold no file. write_states() formats
// satellites in parallel and hands the bytes to a sink in satellite order, so the output is
// byte-identical for any thread count, and propagation of the next block of satellites runs while
// the previous one is written.
//
// Units everywhere: positions km, velocities km/s (TEME or ITRF), geodetic latitude and longitude in
// degrees (WGS84) and altitude in km; times ISO-8601 UTC with milliseconds; tsince in minutes since
// the satellite's element-set epoch.
//
// On an SGP4 error a satellite's states stop at the first failing time: CSV has no rows from there,
// JSON ends its "states" there and gives the error in "error", .npy holds NaN from there on. The
// caller decides what an error means (write_states() reports each one in its summary).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/core/run_context.h"
#include "skyfence/orbits/element_set.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/time/instant.h"
#include "skyfence/time/window.h"

namespace skyfence::orbits {

// The frame of written states: teme (SGP4's own frame), itrf (Earth-fixed, GMST 1982 rotation) or
// geodetic (WGS84 latitude, longitude, altitude above the ellipsoid, from the ITRF position).
enum class StateFrame { teme, itrf, geodetic };

// "teme", "itrf" or "geodetic".
std::string_view frame_name(StateFrame frame);
// Column names of a state in `frame`, units in the names: x_km, y_km, z_km, vx_km_s, vy_km_s,
// vz_km_s (teme, itrf) or lat_deg, lon_deg, alt_km (geodetic).
std::vector<std::string> state_columns(StateFrame frame);

// The times states are computed at, the same list for every satellite: either minutes since each
// element set's own epoch (the SGP4 verification set's convention) or UTC instants.
class StateTimes {
 public:
  // Minutes since each satellite's epoch, in increasing order. REQUIRES: not empty.
  static StateTimes since_epoch(std::vector<double> tsince_min);
  // UTC instants, in increasing order. REQUIRES: not empty.
  static StateTimes utc(std::vector<time::Instant> instants);
  // The instants of a window: start, start + step, ... before stop (time/window.h).
  static StateTimes utc(const time::Window& window) { return utc(window.instants()); }

  [[nodiscard]] bool is_since_epoch() const { return since_epoch_; }
  [[nodiscard]] std::size_t size() const { return since_epoch_ ? tsince_.size() : instants_.size(); }
  // Minutes from `epoch` to time index t: the list's value, or (instant - epoch) correctly rounded.
  [[nodiscard]] double tsince_min(std::size_t t, time::Instant epoch) const;
  // The instant of time index t for a satellite of epoch `epoch`.
  [[nodiscard]] time::Instant at(std::size_t t, time::Instant epoch) const;
  [[nodiscard]] const std::vector<double>& tsince_list() const { return tsince_; }
  [[nodiscard]] const std::vector<time::Instant>& instants() const { return instants_; }

 private:
  bool since_epoch_ = false;
  std::vector<double> tsince_;
  std::vector<time::Instant> instants_;
};

// One satellite's states as a writer receives them.
struct SatelliteStates {
  std::size_t index = 0;  // 0-based position of the satellite in the run (write order)
  const ElementSet* set = nullptr;
  // The states before the first SGP4 error (all of them without one): n_valid rows of
  // state_columns(frame).size() values, row-major, in the units of the column names.
  const double* values = nullptr;
  std::size_t n_valid = 0;
  // Sgp4Error::none, or the error at time index n_valid (an init error is reported at index 0).
  Sgp4Error error = Sgp4Error::none;
};

// A format. Every writer is built for one run (its times, frame and number of satellites) and is
// immutable after construction: append() may be called from many threads at once. A writer keeps a
// reference to its StateTimes, which must outlive it.
class StateWriter {
 public:
  virtual ~StateWriter() = default;
  // The bytes before the first satellite.
  [[nodiscard]] virtual std::string begin() const = 0;
  // Appends one satellite's bytes to `out`.
  virtual void append(const SatelliteStates& satellite, std::string& out) const = 0;
  // The bytes after the last satellite.
  [[nodiscard]] virtual std::string end() const = 0;
};

// CSV (RFC 4180, LF line ends): a header row "norad_id,name,time_utc,tsince_min" plus the frame's
// columns, then one row per satellite and time, satellites in run order, times in order. Positions
// and tsince are printed with 8 decimals (10 um), velocities with 9, latitude and longitude with 9
// (0.1 mm), altitude with 6 (1 mm). A satellite's rows stop at its first SGP4 error.
class CsvStateWriter final : public StateWriter {
 public:
  CsvStateWriter(const StateTimes& times, StateFrame frame);
  [[nodiscard]] std::string begin() const override;
  void append(const SatelliteStates& satellite, std::string& out) const override;
  [[nodiscard]] std::string end() const override { return {}; }

 private:
  const StateTimes& times_;
  StateFrame frame_;
  std::vector<std::string> labels_;  // ISO-8601 of each UTC time (empty for since-epoch times)
};

// JSON: an array with one object per satellite: {"norad_id", "name", "epoch_utc" (microseconds),
// "frame", "columns": ["time_utc", "tsince_min", ...frame's columns], "states": [[time_utc,
// tsince_min, values...], ...], "error": null or {"code", "meaning", "tsince_min"}}, numbers printed
// as in CSV. "states" stops at the first SGP4 error, which "error" then describes.
class JsonStateWriter final : public StateWriter {
 public:
  JsonStateWriter(const StateTimes& times, StateFrame frame);
  [[nodiscard]] std::string begin() const override { return "[\n"; }
  void append(const SatelliteStates& satellite, std::string& out) const override;
  [[nodiscard]] std::string end() const override { return "\n]\n"; }

 private:
  const StateTimes& times_;
  StateFrame frame_;
  std::vector<std::string> labels_;
};

// NumPy .npy, format 1.0: one C-ordered little-endian float64 array of shape (satellites, times,
// components), components as state_columns(frame), NaN from a satellite's first SGP4 error on. The
// data starts at a 64-byte boundary, so element k lies at byte begin().size() + 8 k. Because .npy
// holds one array, the satellites' ids, names, epochs and the times go to a JSON sidecar (sidecar()).
class NpyStateWriter final : public StateWriter {
 public:
  NpyStateWriter(const StateTimes& times, StateFrame frame, std::size_t n_satellites);
  [[nodiscard]] std::string begin() const override;
  void append(const SatelliteStates& satellite, std::string& out) const override;
  [[nodiscard]] std::string end() const override { return {}; }
  // The sidecar, one JSON object: shape, dtype, axes, columns, frame, missing ("NaN after an SGP4
  // error"), norad_id, name and epoch_utc per satellite, and time_utc (ISO-8601, milliseconds) or
  // tsince_min per time.
  [[nodiscard]] std::string sidecar(std::span<const ElementSet> sets) const;

 private:
  const StateTimes& times_;
  StateFrame frame_;
  std::size_t n_satellites_;
};

// The .npy 1.0 header of a C-ordered little-endian float64 array of `shape`: magic, version, header
// length and the header dict, padded with spaces so that the data starts on a 64-byte boundary.
std::string npy_header_f8(std::span<const std::size_t> shape);

// An SGP4 error met by write_states(): satellite `index` failed at time index `time_index`.
struct StateError {
  std::size_t index = 0;
  std::size_t time_index = 0;
  Sgp4Error error = Sgp4Error::none;  // the record's init error if it has one, else the propagation's
};

struct WriteStatesOptions {
  // Satellites propagated more than this many days from their epoch count as stale. DEFAULT: 14.
  double stale_days = 14.0;
  // Satellites per block (propagated together, then formatted while the previous block is written);
  // 0 = whole kernel tiles (64 satellites) making about 64 MB of states. DEFAULT: 0. The bytes
  // written do not depend on it.
  std::size_t block_satellites = 0;
};

struct WriteStatesSummary {
  std::size_t n_states = 0;        // states written (valid, not NaN)
  std::vector<StateError> errors;  // one per satellite that failed, in satellite order
  std::size_t n_stale = 0;         // satellites propagated beyond stale_days of their epoch
};

// Propagates `sets` (with their records, from sgp4_init) at `times` and writes them through `writer`:
// sink(writer.begin()), then each satellite's bytes in order, then sink(writer.end()). The sink is
// called from one thread (not the caller's) in order; an exception it throws is rethrown here.
// Propagation and formatting use run.workers() threads (the bytes written do not depend on them), one
// more thread hands the bytes to the sink; progress ("propagate", share of the satellites written) is
// reported on the calling thread after each block, and a stop requested through `run` ends the call
// with skyfence::Cancelled after the block in flight (the sink then has a partial stream: write to a
// temporary file). REQUIRES: records.size() == sets.size(), and the writer built for these times and frame.
// Cost: the batch kernel's (docs/performance.md) plus formatting, both spread over the threads, with
// writing overlapped; memory: the bytes of up to three blocks in flight (about 3 x 55 MB for .npy
// with the default blocks) and about 5 MB per thread.
WriteStatesSummary write_states(std::span<const ElementSet> sets, std::span<const Sgp4Record> records,
                                const StateTimes& times, StateFrame frame, const StateWriter& writer,
                                const std::function<void(std::string_view)>& sink,
                                const WriteStatesOptions& options = {}, const RunContext& run = {});

}  // namespace skyfence::orbits
