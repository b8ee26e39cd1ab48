// skyfence._skyfence.propagate: SGP4 states of a catalog's satellites at UTC times, written straight into
// NumPy arrays shaped (satellites, times, 3) as python-sgp4's SatrecArray returns them.
//
// Decisions:
//  - The arithmetic is that of `skyfence propagate` (orbits::write_states): BatchPropagator::
//    propagate_grid with minutes from each epoch to the first time plus minutes after it, then
//    frames::teme_to_itrf at the UTC Julian date (UT1 = UTC) and frames::itrf_to_geodetic. So the
//    numbers are the CLI's, bit for bit, and do not depend on the thread count.
//  - Unlike the CLI's rows, which stop at a satellite's first SGP4 error, every time gets its own
//    error code and state (NaN where the code is not 0), as in python-sgp4: SGP4 holds no state
//    between times, so a time after an error is as good as any other.
//  - Satellites go in groups of one kernel tile (64), a chunk of 128 times at a time, each group on one
//    worker: the chunk's states (under 0.5 MB) are still in cache when they are copied into the
//    caller's arrays. The caller's arrays are written in place; nothing is allocated per state.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "catalog.h"
#include "common.h"
#include "skyfence/core/units.h"
#include "skyfence/frames/frames.h"
#include "skyfence/orbits/batch.h"
#include "skyfence/time/scales.h"

namespace skyfence::python {

namespace {

enum class Frame { teme, itrf, geodetic };

Frame parse_frame(const std::string& name) {
  if (name == "teme") return Frame::teme;
  if (name == "itrf") return Frame::itrf;
  if (name == "geodetic") return Frame::geodetic;
  throw py::value_error("frame must be \"teme\", \"itrf\" or \"geodetic\", got \"" + name + "\"");
}

constexpr std::size_t kGroup = 64;       // one batch kernel tile
constexpr std::size_t kTimeChunk = 128;  // times propagated at once for a group

// What the workers share: the inputs and the caller's output buffers.
struct Job {
  const Catalog& catalog;
  Frame frame;
  std::size_t n_times = 0;
  std::vector<double> times_min;     // minutes after the first time
  std::vector<double> offsets_min;   // minutes from each epoch to the first time
  std::vector<time::JulianDate> jd;  // UTC (= UT1) Julian date of each time, for itrf and geodetic
  double* r = nullptr;
  double* v = nullptr;
  std::uint8_t* e = nullptr;
};

// Copies one propagated chunk (times t0 .. t0 + nt of satellites first .. first + ng) into the output.
void store(const Job& job, const orbits::BatchStates& st, std::size_t first, std::size_t ng, std::size_t t0,
           std::size_t nt) {
  for (std::size_t i = 0; i < ng; ++i) {
    const std::size_t row = (first + i) * job.n_times + t0;
    double* r = job.r + row * 3;
    double* v = job.v + row * 3;
    std::uint8_t* e = job.e + row;
    for (std::size_t t = 0; t < nt; ++t) {
      const std::size_t k = st.index(t, i);
      e[t] = static_cast<std::uint8_t>(st.error[k]);
      if (job.frame == Frame::teme) {
        r[3 * t] = st.x[k];
        r[3 * t + 1] = st.y[k];
        r[3 * t + 2] = st.z[k];
        v[3 * t] = st.vx[k];
        v[3 * t + 1] = st.vy[k];
        v[3 * t + 2] = st.vz[k];
        continue;
      }
      const frames::StateVector teme{{st.x[k], st.y[k], st.z[k]}, {st.vx[k], st.vy[k], st.vz[k]}};
      const frames::StateVector itrf = frames::teme_to_itrf(teme, job.jd[t0 + t]);
      v[3 * t] = itrf.v_km_s.x;
      v[3 * t + 1] = itrf.v_km_s.y;
      v[3 * t + 2] = itrf.v_km_s.z;
      if (job.frame == Frame::itrf) {
        r[3 * t] = itrf.r_km.x;
        r[3 * t + 1] = itrf.r_km.y;
        r[3 * t + 2] = itrf.r_km.z;
      } else {
        const frames::Geodetic geo = frames::itrf_to_geodetic(itrf.r_km);
        r[3 * t] = geo.lat_rad * kDegPerRad;
        r[3 * t + 1] = geo.lon_rad * kDegPerRad;
        r[3 * t + 2] = geo.alt_km;
      }
    }
  }
}

void run_job(const Job& job, const RunContext& run) {
  const std::size_t n_sats = job.catalog.sets.size();
  const std::size_t n_groups = (n_sats + kGroup - 1) / kGroup;
  const std::span<const orbits::Sgp4Record> records = job.catalog.fleet->records();
  const std::span<const double> offsets(job.offsets_min);
  const std::span<const double> times(job.times_min);
  tbb::enumerable_thread_specific<orbits::BatchStates> buffers;
  tbb::task_arena arena(static_cast<int>(run.workers()));
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n_groups, 1), [&](const tbb::blocked_range<std::size_t>& range) {
          orbits::BatchStates& st = buffers.local();
          for (std::size_t g = range.begin(); g != range.end(); ++g) {
            run.check_stop();
            const std::size_t first = g * kGroup, ng = std::min(kGroup, n_sats - first);
            const orbits::BatchPropagator prop(records.subspan(first, ng));
            for (std::size_t t0 = 0; t0 < job.n_times; t0 += kTimeChunk) {
              const std::size_t nt = std::min(kTimeChunk, job.n_times - t0);
              prop.propagate_grid(offsets.subspan(first, ng), times.subspan(t0, nt), st, {.threads = 1});
              store(job, st, first, ng, t0, nt);
            }
          }
        });
  });
  run.check_stop();
}

// A C-contiguous, writeable array of `dtype` and `shape`, else TypeError/ValueError naming `what`.
template <class T>
T* output_buffer(const py::array& a, const std::vector<py::ssize_t>& shape, const char* what) {
  if (!a.dtype().is(py::dtype::of<T>())) {
    throw py::type_error(std::string(what) + " must have dtype " + std::string(py::str(py::dtype::of<T>())) +
                         ", got " + std::string(py::str(a.dtype())));
  }
  if (!std::equal(shape.begin(), shape.end(), a.shape(), a.shape() + a.ndim()) ||
      static_cast<std::size_t>(a.ndim()) != shape.size()) {
    throw py::value_error(std::string(what) + " has the wrong shape");
  }
  if (!(a.flags() & py::array::c_style)) throw py::value_error(std::string(what) + " must be C-contiguous");
  if (!a.writeable()) throw py::value_error(std::string(what) + " must be writeable");
  return static_cast<T*>(const_cast<void*>(a.data()));
}

// Fills r, v (float64, (n_sats, n_times, 3)) and e (uint8, (n_sats, n_times)) in place.
void propagate(const Catalog& catalog, const py::array_t<std::int64_t, py::array::c_style>& times_ns,
               const std::string& frame_name, unsigned threads, const py::array& r, const py::array& v,
               const py::array& e) {
  if (times_ns.ndim() != 1) throw py::value_error("times must be one-dimensional");
  const auto n_sats = static_cast<py::ssize_t>(catalog.sets.size());
  const py::ssize_t n_times = times_ns.shape(0);
  Job job{catalog, parse_frame(frame_name), 0, {}, {}, {}, nullptr, nullptr, nullptr};
  job.n_times = static_cast<std::size_t>(n_times);
  job.r = output_buffer<double>(r, {n_sats, n_times, 3}, "r");
  job.v = output_buffer<double>(v, {n_sats, n_times, 3}, "v");
  job.e = output_buffer<std::uint8_t>(e, {n_sats, n_times}, "e");
  if (n_times == 0 || n_sats == 0) return;

  std::vector<time::Instant> instants(job.n_times);
  const std::int64_t* ns = times_ns.data();
  for (std::size_t t = 0; t < job.n_times; ++t) instants[t] = instant_from_unix_ns(ns[t]);
  job.times_min.resize(job.n_times);
  for (std::size_t t = 0; t < job.n_times; ++t) job.times_min[t] = (instants[t] - instants[0]).to_minutes();
  job.offsets_min.resize(catalog.sets.size());
  for (std::size_t s = 0; s < catalog.sets.size(); ++s)
    job.offsets_min[s] = (instants[0] - catalog.sets[s].epoch).to_minutes();
  if (job.frame != Frame::teme) {
    job.jd.reserve(job.n_times);
    for (const time::Instant& t : instants) job.jd.push_back(time::jd_utc(t));
  }
  run_released(threads, data_dir(), [&](const RunContext& run) { run_job(job, run); });
}

}  // namespace

void add_propagate(py::module_& m) {
  m.def("propagate", &propagate, py::arg("catalog"), py::arg("times_ns"), py::arg("frame"),
        py::arg("threads"), py::arg("r"), py::arg("v"), py::arg("e"),
        "Fills r, v and e in place; see skyfence.propagate. times_ns: int64 UTC ns since 1970.");
  m.def("batch_kernel", [] { return std::string(orbits::BatchPropagator::kernel_name()); });
}

}  // namespace skyfence::python
