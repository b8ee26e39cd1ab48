#include "skyfence/orbits/state_writers.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>
#include <nlohmann/json.hpp>

#include "skyfence/frames/frames.h"
#include "skyfence/orbits/batch.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits {

namespace {

using time::Duration;
using time::Instant;

constexpr double kRadToDeg = 180.0 / std::numbers::pi;

std::size_t n_components(StateFrame frame) {
  return frame == StateFrame::geodetic ? 3 : 6;
}

// RFC 4180: quoted only when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::vector<std::string> utc_labels(const StateTimes& times) {
  std::vector<std::string> labels;
  if (times.is_since_epoch()) return labels;
  labels.reserve(times.size());
  for (const Instant& t : times.instants()) labels.push_back(time::format_iso8601(t, 3));
  return labels;
}

// Formats into a buffer on the stack, {fmt}'s fastest output, and appends it: growing the string
// through an insert iterator cost about a fifth of CSV's time. Only absurd values (hundreds of
// digits) overflow the buffer; they take the string path, with the same digits.
template <class... Args>
void append_formatted(std::string& out, fmt::format_string<Args...> format, Args... args) {
  char buf[256];
  const auto r = fmt::format_to_n(buf, sizeof buf, format, static_cast<Args>(args)...);
  if (r.size <= sizeof buf) {
    out.append(buf, r.size);
  } else {
    fmt::format_to(std::back_inserter(out), format, static_cast<Args>(args)...);
  }
}

// The numbers of one state after the time columns, with a leading comma (CSV and JSON alike).
void append_values(StateFrame frame, const double* v, std::string& out) {
  if (frame == StateFrame::geodetic) {
    append_formatted(out, ",{:.9f},{:.9f},{:.6f}", v[0], v[1], v[2]);
  } else {
    append_formatted(out, ",{:.8f},{:.8f},{:.8f},{:.9f},{:.9f},{:.9f}", v[0], v[1], v[2], v[3], v[4], v[5]);
  }
}

}  // namespace

std::string_view frame_name(StateFrame frame) {
  switch (frame) {
    case StateFrame::teme:
      return "teme";
    case StateFrame::itrf:
      return "itrf";
    case StateFrame::geodetic:
      return "geodetic";
  }
  return "teme";
}

std::vector<std::string> state_columns(StateFrame frame) {
  if (frame == StateFrame::geodetic) return {"lat_deg", "lon_deg", "alt_km"};
  return {"x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s"};
}

// ---- StateTimes ----

StateTimes StateTimes::since_epoch(std::vector<double> tsince_min) {
  if (tsince_min.empty()) throw std::invalid_argument("StateTimes::since_epoch: no times");
  StateTimes t;
  t.since_epoch_ = true;
  t.tsince_ = std::move(tsince_min);
  return t;
}

StateTimes StateTimes::utc(std::vector<time::Instant> instants) {
  if (instants.empty()) throw std::invalid_argument("StateTimes::utc: no times");
  StateTimes t;
  t.instants_ = std::move(instants);
  return t;
}

double StateTimes::tsince_min(std::size_t t, Instant epoch) const {
  return since_epoch_ ? tsince_[t] : (instants_[t] - epoch).to_minutes();
}

Instant StateTimes::at(std::size_t t, Instant epoch) const {
  return since_epoch_ ? epoch + Duration::minutes(tsince_[t]) : instants_[t];
}

// ---- CSV ----

CsvStateWriter::CsvStateWriter(const StateTimes& times, StateFrame frame)
    : times_(times), frame_(frame), labels_(utc_labels(times)) {}

std::string CsvStateWriter::begin() const {
  std::string header = "norad_id,name,time_utc,tsince_min";
  for (const auto& c : state_columns(frame_)) header += "," + c;
  return header + "\n";
}

void CsvStateWriter::append(const SatelliteStates& sat, std::string& out) const {
  const ElementSet& es = *sat.set;
  const std::string prefix = fmt::format("{},{},", es.norad_id, csv_field(es.name));
  const std::size_t nc = n_components(frame_);
  for (std::size_t t = 0; t < sat.n_valid; ++t) {
    out += prefix;
    if (times_.is_since_epoch()) {
      out += time::format_iso8601(times_.at(t, es.epoch), 3);
    } else {
      out += labels_[t];
    }
    append_formatted(out, ",{:.8f}", times_.tsince_min(t, es.epoch));
    append_values(frame_, sat.values + t * nc, out);
    out += '\n';
  }
}

// ---- JSON ----

JsonStateWriter::JsonStateWriter(const StateTimes& times, StateFrame frame)
    : times_(times), frame_(frame), labels_(utc_labels(times)) {}

void JsonStateWriter::append(const SatelliteStates& sat, std::string& out) const {
  const ElementSet& es = *sat.set;
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "{}{{\"norad_id\": {}, \"name\": {}, \"epoch_utc\": \"{}\", \"frame\": \"{}\", \"columns\": "
                 "[\"time_utc\", \"tsince_min\"",
                 sat.index == 0 ? "" : ",\n", es.norad_id, nlohmann::json(es.name).dump(),
                 time::format_iso8601(es.epoch, 6), frame_name(frame_));
  for (const auto& c : state_columns(frame_)) fmt::format_to(it, ", \"{}\"", c);
  out += "],\n  \"states\": [";
  const std::size_t nc = n_components(frame_);
  for (std::size_t t = 0; t < sat.n_valid; ++t) {
    out += t == 0 ? "\n    [\"" : ",\n    [\"";
    out += times_.is_since_epoch() ? time::format_iso8601(times_.at(t, es.epoch), 3) : labels_[t];
    append_formatted(out, "\", {:.8f}", times_.tsince_min(t, es.epoch));
    append_values(frame_, sat.values + t * nc, out);
    out += ']';
  }
  out += "],\n  \"error\": ";
  if (sat.error == Sgp4Error::none) {
    out += "null}";
  } else {
    fmt::format_to(it, "{{\"code\": {}, \"meaning\": {}, \"tsince_min\": {}}}}}", static_cast<int>(sat.error),
                   nlohmann::json(std::string(describe(sat.error))).dump(),
                   times_.tsince_min(sat.n_valid, es.epoch));
  }
}

// ---- npy ----

std::string npy_header_f8(std::span<const std::size_t> shape) {
  std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    dict += std::to_string(shape[i]);
    if (shape.size() == 1 || i + 1 < shape.size()) dict += ",";
    if (i + 1 < shape.size()) dict += " ";
  }
  dict += "), }";
  const std::size_t preamble = 10;                       // magic (6) + version (2) + header length (2)
  const std::size_t total = preamble + dict.size() + 1;  // + '\n'
  const std::size_t padded = (total + 63) / 64 * 64;
  dict.append(padded - total, ' ');
  dict += '\n';
  const std::size_t hlen = dict.size();
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(hlen & 0xff);
  out += static_cast<char>((hlen >> 8) & 0xff);
  return out + dict;
}

NpyStateWriter::NpyStateWriter(const StateTimes& times, StateFrame frame, std::size_t n_satellites)
    : times_(times), frame_(frame), n_satellites_(n_satellites) {}

std::string NpyStateWriter::begin() const {
  const std::size_t shape[] = {n_satellites_, times_.size(), n_components(frame_)};
  return npy_header_f8(shape);
}

void NpyStateWriter::append(const SatelliteStates& sat, std::string& out) const {
  static_assert(std::numeric_limits<double>::is_iec559, ".npy '<f8' needs IEEE doubles");
  const std::size_t nc = n_components(frame_);
  const std::size_t valid_bytes = sat.n_valid * nc * sizeof(double);
  const std::size_t all_bytes = times_.size() * nc * sizeof(double);
  out.append(reinterpret_cast<const char*>(sat.values), valid_bytes);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t b = valid_bytes; b < all_bytes; b += sizeof(double)) {
    out.append(reinterpret_cast<const char*>(&nan), sizeof(double));
  }
}

std::string NpyStateWriter::sidecar(std::span<const ElementSet> sets) const {
  nlohmann::json m;
  m["shape"] = {n_satellites_, times_.size(), n_components(frame_)};
  m["dtype"] = "float64";
  m["axes"] = {"satellite", "time", "component"};
  m["columns"] = state_columns(frame_);
  m["frame"] = std::string(frame_name(frame_));
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
  if (times_.is_since_epoch()) {
    m["tsince_min"] = times_.tsince_list();
  } else {
    m["time_utc"] = utc_labels(times_);
  }
  return m.dump(1) + "\n";
}

// ---- write_states ----

namespace {

// Bytes on their way to the sink: blocks of pieces, written in order by one thread. A few blocks
// circulate between the producer and the writer so that their buffers are reused, not reallocated.
class OrderedWriter {
 public:
  using Block = std::vector<std::string>;

  OrderedWriter(const std::function<void(std::string_view)>& sink, std::size_t n_blocks) : sink_(sink) {
    for (std::size_t i = 0; i < n_blocks; ++i) free_.push_back(std::make_unique<Block>());
    thread_ = std::thread([this] { loop(); });
  }
  // Without finish() (an exception left the producer), blocks not yet written are dropped.
  ~OrderedWriter() {
    {
      const std::lock_guard lock(mutex_);
      abandoned_ = true;
    }
    stop();
  }
  OrderedWriter(const OrderedWriter&) = delete;
  OrderedWriter& operator=(const OrderedWriter&) = delete;

  // A block whose pieces keep their capacity from earlier use (cleared); waits for one.
  std::unique_ptr<Block> take() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return !free_.empty(); });
    auto b = std::move(free_.front());
    free_.pop_front();
    return b;
  }
  void push(std::unique_ptr<Block> block) {
    {
      const std::lock_guard lock(mutex_);
      full_.push_back(std::move(block));
    }
    cv_.notify_all();
  }
  // Writes everything pushed, stops the thread and rethrows the sink's exception, if any.
  void finish() {
    stop();
    if (error_) std::rethrow_exception(error_);
  }
  [[nodiscard]] bool failed() {
    const std::lock_guard lock(mutex_);
    return error_ != nullptr;
  }

 private:
  void stop() {
    if (!thread_.joinable()) return;
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void loop() {
    while (true) {
      std::unique_ptr<Block> b;
      bool skip = false;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return !full_.empty() || done_; });
        if (full_.empty()) return;
        b = std::move(full_.front());
        full_.pop_front();
        skip = abandoned_ || error_ != nullptr;
      }
      if (!skip) {
        try {
          for (const std::string& piece : *b) {
            if (!piece.empty()) sink_(piece);
          }
        } catch (...) {
          const std::lock_guard lock(mutex_);
          error_ = std::current_exception();
        }
      }
      for (std::string& piece : *b) piece.clear();
      {
        const std::lock_guard lock(mutex_);
        free_.push_back(std::move(b));
      }
      cv_.notify_all();
    }
  }

  const std::function<void(std::string_view)>& sink_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Block>> free_, full_;
  bool done_ = false, abandoned_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

// The most satellites propagated and formatted together by one thread: one tile of the batch
// kernel (internal::kBatchTile); their bytes go to one piece.
constexpr std::size_t kGroup = 64;
// Times propagated at once for a group: 64 x 128 states of 7 numbers are 0.46 MB.
constexpr std::size_t kTimeChunk = 128;

// A thread's buffers, kept across groups and blocks: fresh ones per group would cost their page
// faults and zero fill every time.
struct GroupBuffers {
  BatchStates states;
  std::vector<double> values, tsince, offsets;
};

// Per satellite of a block, what the summary needs.
struct SatelliteOutcome {
  std::size_t n_valid = 0;
  Sgp4Error error = Sgp4Error::none;
  bool stale = false;
};

// What every group of one write_states call shares: its arguments and the tables built once per call.
struct WriteJob {
  std::span<const ElementSet> sets;
  std::span<const Sgp4Record> records;
  const StateTimes& times;
  StateFrame frame;
  const StateWriter& writer;
  std::size_t n_times = 0;
  std::size_t nc = 0;  // numbers per state in the output
  double stale_min = 0.0;
  std::vector<time::JulianDate> jd;  // UT1 Julian date of each UTC time (UT1 = UTC), for ITRF
  std::vector<double> times_min;     // grid minutes after the first instant, shared by every block
};

WriteJob make_job(std::span<const ElementSet> sets, std::span<const Sgp4Record> records,
                  const StateTimes& times, StateFrame frame, const StateWriter& writer, double stale_days) {
  WriteJob job{sets, records, times, frame, writer, times.size(), n_components(frame), stale_days * 1440.0,
               {},   {}};
  if (!times.is_since_epoch() && frame != StateFrame::teme) {
    job.jd.reserve(job.n_times);
    for (const Instant& t : times.instants()) job.jd.push_back(time::jd_utc(t));
  }
  if (!times.is_since_epoch()) {
    job.times_min.resize(job.n_times);
    for (std::size_t t = 0; t < job.n_times; ++t)
      job.times_min[t] = (times.instants()[t] - times.instants()[0]).to_minutes();
  }
  return job;
}

// Copies one chunk of propagated states (times t0 .. t0 + nt of satellites first .. first + ng) into
// the satellites' rows of `values`, in the output frame; rows at or after a satellite's first error
// are left alone.
void store_chunk(const WriteJob& job, const BatchStates& states, std::size_t first, std::size_t ng,
                 std::size_t t0, std::size_t nt, const std::size_t* valid, std::vector<double>& values) {
  const std::size_t n_times = job.n_times;
  if (job.frame == StateFrame::teme) {
    // The common case, a plain transpose.
    for (std::size_t t = 0; t < nt; ++t) {
      const std::size_t k0 = states.index(t, 0);
      for (std::size_t i = 0; i < ng; ++i) {
        if (t0 + t >= valid[i]) continue;
        const std::size_t k = k0 + i;
        double* v = values.data() + (i * n_times + t0 + t) * 6;
        v[0] = states.x[k];
        v[1] = states.y[k];
        v[2] = states.z[k];
        v[3] = states.vx[k];
        v[4] = states.vy[k];
        v[5] = states.vz[k];
      }
    }
    return;
  }
  for (std::size_t t = 0; t < nt; ++t) {
    for (std::size_t i = 0; i < ng; ++i) {
      if (t0 + t >= valid[i]) continue;
      const std::size_t k = states.index(t, i);
      const frames::StateVector teme{{states.x[k], states.y[k], states.z[k]},
                                     {states.vx[k], states.vy[k], states.vz[k]}};
      const time::JulianDate when = job.times.is_since_epoch()
                                        ? time::jd_utc(job.times.at(t0 + t, job.sets[first + i].epoch))
                                        : job.jd[t0 + t];
      const frames::StateVector sv = frames::teme_to_itrf(teme, when);
      double* v = values.data() + (i * n_times + t0 + t) * job.nc;
      if (job.frame == StateFrame::geodetic) {
        const frames::Geodetic geo = frames::itrf_to_geodetic(sv.r_km);
        v[0] = geo.lat_rad * kRadToDeg;
        v[1] = geo.lon_rad * kRadToDeg;
        v[2] = geo.alt_km;
      } else {
        v[0] = sv.r_km.x;
        v[1] = sv.r_km.y;
        v[2] = sv.r_km.z;
        v[3] = sv.v_km_s.x;
        v[4] = sv.v_km_s.y;
        v[5] = sv.v_km_s.z;
      }
    }
  }
}

// Propagates satellites first .. first + ng (at most kGroup) at every time into local.values, one row of
// nc numbers per time, and sets valid[i] (rows before the satellite's first error) and first_error[i].
// Propagated by the thread that formats them, a chunk of times at a time, so that the states
// (kTimeChunk x one kernel tile, under 0.5 MB) are still in cache when they are copied. Each state is
// the same double whatever the split (batch.h).
void propagate_group(const WriteJob& job, std::size_t first, std::size_t ng, GroupBuffers& local,
                     std::size_t* valid, Sgp4Error* first_error) {
  const std::size_t n_times = job.n_times;
  const StateTimes& times = job.times;
  const BatchPropagator prop(job.records.subspan(first, ng));
  if (!times.is_since_epoch()) {
    local.offsets.resize(ng);
    for (std::size_t i = 0; i < ng; ++i) {
      local.offsets[i] = (times.instants()[0] - job.sets[first + i].epoch).to_minutes();
    }
  }
  if (local.values.size() < ng * n_times * job.nc) local.values.resize(ng * n_times * job.nc);
  std::fill_n(valid, ng, n_times);
  std::fill_n(first_error, ng, Sgp4Error::none);
  for (std::size_t t0 = 0; t0 < n_times; t0 += kTimeChunk) {
    const std::size_t nt = std::min(kTimeChunk, n_times - t0);
    if (times.is_since_epoch()) {
      local.tsince.resize(nt * ng);
      for (std::size_t t = 0; t < nt; ++t) {
        std::fill_n(local.tsince.begin() + static_cast<std::ptrdiff_t>(t * ng), ng,
                    times.tsince_list()[t0 + t]);
      }
      prop.propagate(local.tsince, nt, local.states, {.threads = 1});
    } else {
      prop.propagate_grid(local.offsets, std::span<const double>(job.times_min).subspan(t0, nt), local.states,
                          {.threads = 1});
    }
    for (std::size_t t = 0; t < nt; ++t) {
      const Sgp4Error* e = local.states.error.data() + local.states.index(t, 0);
      for (std::size_t i = 0; i < ng; ++i) {
        if (e[i] != Sgp4Error::none && valid[i] == n_times) {
          valid[i] = t0 + t;
          first_error[i] = e[i];
        }
      }
    }
    store_chunk(job, local.states, first, ng, t0, nt, valid, local.values);
  }
}

// Formats the group's rows into `piece` and records each satellite's outcome for the summary.
void format_group(const WriteJob& job, std::size_t first, std::size_t ng, const std::vector<double>& values,
                  const std::size_t* valid, const Sgp4Error* first_error, std::string& piece,
                  SatelliteOutcome* outcome) {
  const std::size_t n_times = job.n_times;
  for (std::size_t i = 0; i < ng; ++i) {
    const std::size_t s = first + i;
    SatelliteStates sat;
    sat.index = s;
    sat.set = &job.sets[s];
    sat.values = values.data() + i * n_times * job.nc;
    sat.n_valid = valid[i];
    if (valid[i] < n_times) {
      sat.error = job.records[s].init_error != Sgp4Error::none ? job.records[s].init_error : first_error[i];
    }
    job.writer.append(sat, piece);
    // Stale when any time up to the first error lies beyond stale_days (tsince is monotonic).
    const std::size_t last = std::min(valid[i], n_times - 1);
    outcome[i] = {valid[i], sat.error,
                  std::abs(job.times.tsince_min(0, job.sets[s].epoch)) > job.stale_min ||
                      std::abs(job.times.tsince_min(last, job.sets[s].epoch)) > job.stale_min};
  }
}

}  // namespace

WriteStatesSummary write_states(std::span<const ElementSet> sets, std::span<const Sgp4Record> records,
                                const StateTimes& times, StateFrame frame, const StateWriter& writer,
                                const std::function<void(std::string_view)>& sink,
                                const WriteStatesOptions& options, const RunContext& run) {
  if (records.size() != sets.size())
    throw std::invalid_argument("write_states: records and sets differ in size");
  const std::size_t n_sats = sets.size();
  const WriteJob job = make_job(sets, records, times, frame, writer, options.stale_days);

  // Groups are one kernel tile unless a group's rows would pass 64 MB (long windows: a day at 1 s
  // takes 13 satellites, a million times one). Blocks are whole groups making about 64 MB of states:
  // small enough that writing one overlaps computing the next, large enough for every thread.
  constexpr std::size_t kBudget = std::size_t{64} << 20;
  const std::size_t per_sat_bytes = std::max<std::size_t>(job.n_times * 7 * sizeof(double), 1);
  const std::size_t group = std::clamp<std::size_t>(kBudget / per_sat_bytes, 1, kGroup);
  const std::size_t block = options.block_satellites != 0
                                ? options.block_satellites
                                : std::clamp<std::size_t>(kBudget / per_sat_bytes / group, 1, 128) * group;

  tbb::task_arena arena(static_cast<int>(run.workers()));

  WriteStatesSummary summary;
  OrderedWriter out(sink, 3);
  {
    auto first = out.take();
    first->resize(std::max<std::size_t>(first->size(), 1));
    (*first)[0] = writer.begin();
    out.push(std::move(first));
  }

  tbb::enumerable_thread_specific<GroupBuffers> buffers;
  std::vector<SatelliteOutcome> outcome;
  for (std::size_t b0 = 0; b0 < n_sats && !out.failed(); b0 += block) {
    const std::size_t nb = std::min(block, n_sats - b0);
    const std::size_t n_groups = (nb + group - 1) / group;
    auto pieces = out.take();
    if (pieces->size() < n_groups) pieces->resize(n_groups);
    outcome.assign(nb, {});
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_groups, 1),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          GroupBuffers& local = buffers.local();
                          for (std::size_t g = r.begin(); g != r.end(); ++g) {
                            const std::size_t s0 = g * group, ng = std::min(group, nb - s0);
                            std::size_t valid[kGroup];
                            Sgp4Error first_error[kGroup];
                            propagate_group(job, b0 + s0, ng, local, valid, first_error);
                            format_group(job, b0 + s0, ng, local.values, valid, first_error, (*pieces)[g],
                                         outcome.data() + s0);
                          }
                        });
    });
    // Pieces past n_groups (left from a larger block) stay empty and are skipped.
    for (std::size_t g = n_groups; g < pieces->size(); ++g) (*pieces)[g].clear();
    out.push(std::move(pieces));

    for (std::size_t i = 0; i < nb; ++i) {
      summary.n_states += outcome[i].n_valid;
      if (outcome[i].error != Sgp4Error::none)
        summary.errors.push_back({b0 + i, outcome[i].n_valid, outcome[i].error});
      if (outcome[i].stale) ++summary.n_stale;
    }
    run.report("propagate", static_cast<double>(b0 + nb) / static_cast<double>(job.sets.size()));
  }

  auto last = out.take();
  last->resize(std::max<std::size_t>(last->size(), 1));
  for (std::string& piece : *last) piece.clear();
  (*last)[0] = writer.end();
  out.push(std::move(last));
  out.finish();
  return summary;
}

}  // namespace skyfence::orbits
