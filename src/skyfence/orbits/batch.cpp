// BatchPropagator: packs the records once into structure-of-arrays constants, then splits the
// satellites into fixed chunks that threads take in any order. A satellite's lane, vector and chunk
// do not depend on the thread count, so neither do its results. Near-earth satellites go through the
// SIMD kernel (internal/batch_kernel_impl.h); deep-space ones and records with an init error go
// through the scalar sgp4() afterwards, overwriting their placeholder lanes.
#include "skyfence/orbits/batch.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "skyfence/orbits/internal/batch_access.h"
#include "skyfence/orbits/internal/batch_kernel.h"

namespace skyfence::orbits {

namespace internal {

bool batch_kernel_supported(BatchKernel k) {
  switch (k) {
    case BatchKernel::sse2:
      return true;
    case BatchKernel::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case BatchKernel::avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  }
  return false;
}

BatchKernel best_batch_kernel() {
  static const BatchKernel best = [] {
    if (batch_kernel_supported(BatchKernel::avx512)) return BatchKernel::avx512;
    if (batch_kernel_supported(BatchKernel::avx2)) return BatchKernel::avx2;
    return BatchKernel::sse2;
  }();
  return best;
}

const char* batch_kernel_name(BatchKernel k) {
  switch (k) {
    case BatchKernel::sse2:
      return "sse2";
    case BatchKernel::avx2:
      return "avx2";
    case BatchKernel::avx512:
      return "avx512";
  }
  return "?";
}

namespace {

BatchKernelFn kernel_function(BatchKernel k) {
  switch (k) {
    case BatchKernel::avx512:
      return &batch_kernel_avx512;
    case BatchKernel::avx2:
      return &batch_kernel_avx2;
    case BatchKernel::sse2:
      break;
  }
  return &batch_kernel_sse2;
}

}  // namespace

// The kernel's aligned SoA buffer. Not in the anonymous namespace: BatchPropagator::Impl, a class with
// external linkage, holds one.
struct AlignedFree {
  void operator()(double* p) const { ::operator delete[](p, std::align_val_t{kBatchAlign}); }
};
using AlignedArray = std::unique_ptr<double[], AlignedFree>;

}  // namespace internal

namespace {

using internal::AlignedArray;
using internal::BatchField;

// Satellites per chunk, the unit of work of a thread: whole tiles.
constexpr std::size_t kChunk = internal::kBatchTile;

AlignedArray aligned_doubles(std::size_t count) {
  auto* p =
      static_cast<double*>(::operator new[](count * sizeof(double), std::align_val_t{internal::kBatchAlign}));
  std::fill(p, p + count, 0.0);
  return AlignedArray(p);
}

// A plain circular orbit for lanes the kernel evaluates but nobody reads (padding, deep space, init
// errors): finite, error-free values keep those lanes from slowing the Kepler loop.
void set_placeholder(double* col) {
  constexpr std::size_t stride = internal::kBatchTile;
  const auto set = [&](BatchField f, double v) { col[static_cast<std::size_t>(f) * stride] = v; };
  constexpr double xke = 0.0743669161331734132;  // WGS-72
  set(internal::kAo, 1.1);
  set(internal::kNo, xke / (1.1 * std::sqrt(1.1)));
  set(internal::kEcco, 0.001);
  set(internal::kCosim, 1.0);
  set(internal::kXke, xke);
  set(internal::kInvXke, 1.0 / xke);
  set(internal::kHalfJ2, 0.5 * 0.001082616);
  set(internal::kRadius, 6378.135);
  set(internal::kVkmpersec, 6378.135 * xke / 60.0);
}

void pack(const Sgp4Record& r, double* col) {
  constexpr std::size_t stride = internal::kBatchTile;
  const auto set = [&](BatchField f, double v) { col[static_cast<std::size_t>(f) * stride] = v; };
  set(internal::kMo, r.mo);
  set(internal::kMdot, r.mdot);
  set(internal::kArgpo, r.argpo);
  set(internal::kArgpdot, r.argpdot);
  set(internal::kNodeo, r.nodeo);
  set(internal::kNodedot, r.nodedot);
  set(internal::kNodecf, r.nodecf);
  set(internal::kCc1, r.cc1);
  set(internal::kBc4, r.bstar * r.cc4);
  set(internal::kT2cof, r.t2cof);
  if (r.isimp != 1) {
    set(internal::kOmgcof, r.omgcof);
    set(internal::kEta, r.eta);
    set(internal::kXmcof, r.xmcof);
    set(internal::kDelmo, r.delmo);
    set(internal::kD2, r.d2);
    set(internal::kD3, r.d3);
    set(internal::kD4, r.d4);
    set(internal::kBc5, r.bstar * r.cc5);
    set(internal::kSinmao, r.sinmao);
    set(internal::kT3cof, r.t3cof);
    set(internal::kT4cof, r.t4cof);
    set(internal::kT5cof, r.t5cof);
  }  // else: zeros, which remove the isimp 0 terms exactly
  const double xke = r.gc.xke;
  set(internal::kAo, r.no_unkozai > 0.0 ? std::pow(xke / r.no_unkozai, 2.0 / 3.0) : 1.0);
  set(internal::kNo, r.no_unkozai);
  set(internal::kEcco, r.ecco);
  set(internal::kInclo, r.inclo);
  set(internal::kSinim, std::sin(r.inclo));
  set(internal::kCosim, std::cos(r.inclo));
  set(internal::kAycof, r.aycof);
  set(internal::kXlcof, r.xlcof);
  set(internal::kCon41, r.con41);
  set(internal::kX1mth2, r.x1mth2);
  set(internal::kX7thm1, r.x7thm1);
  set(internal::kXke, xke);
  set(internal::kInvXke, 1.0 / xke);
  set(internal::kHalfJ2, 0.5 * r.gc.j2);
  set(internal::kRadius, r.gc.radiusearthkm);
  set(internal::kVkmpersec, r.gc.radiusearthkm * xke / 60.0);
  set(internal::kNmBad, r.no_unkozai > 0.0 ? 0.0 : 1.0);
}

void resize_states(BatchStates& out, std::size_t n_times, std::size_t n) {
  const std::size_t total = n_times * n;
  out.n_times = n_times;
  out.n_satellites = n;
  for (auto* v : {&out.x, &out.y, &out.z, &out.vx, &out.vy, &out.vz}) v->resize(total);
  out.error.resize(total);
}

}  // namespace

struct BatchPropagator::Impl {
  std::size_t n = 0;
  AlignedArray soa;  // internal::BatchSoA layout
  // Satellites the kernel does not handle (deep space or init error), ascending, with their records.
  std::vector<std::size_t> special;
  std::vector<Sgp4Record> special_records;
  // Per chunk: whether it holds any near-earth satellite (else the kernel is skipped).
  std::vector<char> chunk_has_kernel_work;

  void run(internal::BatchKernel kernel, const internal::BatchJob& job, unsigned workers) const;
  void run_chunk(internal::BatchKernelFn kernel, const internal::BatchJob& job, std::size_t c) const;
};

BatchPropagator::BatchPropagator(std::span<const Sgp4Record> records) : impl_(new Impl) {
  Impl& m = *impl_;
  m.n = records.size();
  const std::size_t n_tiles = (m.n + internal::kBatchTile - 1) / internal::kBatchTile;
  constexpr std::size_t tile_doubles = static_cast<std::size_t>(internal::kFieldCount) * internal::kBatchTile;
  m.soa = aligned_doubles(std::max<std::size_t>(n_tiles, 1) * tile_doubles);
  m.chunk_has_kernel_work.assign(n_tiles, 0);
  for (std::size_t s = 0; s < n_tiles * internal::kBatchTile; ++s) {
    double* col = m.soa.get() + (s / internal::kBatchTile) * tile_doubles + s % internal::kBatchTile;
    if (s < m.n && records[s].init_error == Sgp4Error::none && records[s].method == 'n') {
      pack(records[s], col);
      m.chunk_has_kernel_work[s / kChunk] = 1;
    } else {
      set_placeholder(col);
      if (s < m.n) {
        m.special.push_back(s);
        m.special_records.push_back(records[s]);
      }
    }
  }
}

BatchPropagator::~BatchPropagator() {
  delete impl_;
}
BatchPropagator::BatchPropagator(BatchPropagator&& o) noexcept : impl_(o.impl_) {
  o.impl_ = nullptr;
}
BatchPropagator& BatchPropagator::operator=(BatchPropagator&& o) noexcept {
  if (this != &o) {
    delete impl_;
    impl_ = o.impl_;
    o.impl_ = nullptr;
  }
  return *this;
}

std::size_t BatchPropagator::size() const {
  return impl_ != nullptr ? impl_->n : 0;
}

void BatchPropagator::Impl::run_chunk(internal::BatchKernelFn kernel, const internal::BatchJob& job,
                                      std::size_t c) const {
  const std::size_t begin = c * kChunk;
  const std::size_t end = std::min(begin + kChunk, n);
  if (chunk_has_kernel_work[c] != 0) {
    internal::BatchSoA view{soa.get(), n};
    kernel(view, job, begin, end);
  }
  const auto first = std::lower_bound(special.begin(), special.end(), begin);
  const auto last = std::lower_bound(first, special.end(), end);
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  for (auto it = first; it != last; ++it) {
    const std::size_t s = *it;
    const Sgp4Record& rec = special_records[static_cast<std::size_t>(it - special.begin())];
    for (std::size_t t = 0; t < job.n_times; ++t) {
      const std::size_t at = t * n + s;
      Sgp4Error e = rec.init_error;
      frames::StateVector sv;
      if (e == Sgp4Error::none) {
        const double tsince = job.tsince != nullptr ? job.tsince[at] : job.offsets[s] + job.times[t];
        e = sgp4(rec, tsince, sv);
      }
      job.error[at] = e;
      if (e == Sgp4Error::none) {
        job.x[at] = sv.r_km.x;
        job.y[at] = sv.r_km.y;
        job.z[at] = sv.r_km.z;
        job.vx[at] = sv.v_km_s.x;
        job.vy[at] = sv.v_km_s.y;
        job.vz[at] = sv.v_km_s.z;
      } else {
        job.x[at] = job.y[at] = job.z[at] = job.vx[at] = job.vy[at] = job.vz[at] = nan;
      }
    }
  }
}

void BatchPropagator::Impl::run(internal::BatchKernel kernel, const internal::BatchJob& job,
                                unsigned workers) const {
  if (n == 0 || job.n_times == 0) return;
  const internal::BatchKernelFn fn = internal::kernel_function(kernel);
  const std::size_t n_chunks = (n + kChunk - 1) / kChunk;
  if (workers <= 1 || n_chunks == 1) {
    for (std::size_t c = 0; c < n_chunks; ++c) run_chunk(fn, job, c);
    return;
  }
  tbb::task_arena arena(static_cast<int>(workers));
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_chunks, 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t c = r.begin(); c != r.end(); ++c) run_chunk(fn, job, c);
                      });
  });
}

namespace {

internal::BatchJob make_job(BatchStates& out, std::size_t n_times) {
  internal::BatchJob job;
  job.n_times = n_times;
  job.x = out.x.data();
  job.y = out.y.data();
  job.z = out.z.data();
  job.vx = out.vx.data();
  job.vy = out.vy.data();
  job.vz = out.vz.data();
  job.error = out.error.data();
  return job;
}

}  // namespace

void internal::BatchAccess::propagate(const BatchPropagator& p, BatchKernel k, std::span<const double> tsince,
                                      std::size_t n_times, BatchStates& out, const RunContext& run) {
  const std::size_t n = p.size();
  if (tsince.size() != n_times * n) {
    throw std::invalid_argument("BatchPropagator::propagate: tsince has " + std::to_string(tsince.size()) +
                                " values, expected n_times * size() = " + std::to_string(n_times * n));
  }
  resize_states(out, n_times, n);
  if (n == 0) return;
  BatchJob job = make_job(out, n_times);
  job.tsince = tsince.data();
  p.impl_->run(k, job, run.workers());
}

void internal::BatchAccess::propagate_grid(const BatchPropagator& p, BatchKernel k,
                                           std::span<const double> epoch_offsets_min,
                                           std::span<const double> times_min, BatchStates& out,
                                           const RunContext& run) {
  const std::size_t n = p.size();
  if (epoch_offsets_min.size() != n) {
    throw std::invalid_argument(
        "BatchPropagator::propagate_grid: " + std::to_string(epoch_offsets_min.size()) +
        " epoch offsets for " + std::to_string(n) + " satellites");
  }
  resize_states(out, times_min.size(), n);
  if (n == 0) return;
  BatchJob job = make_job(out, times_min.size());
  job.offsets = epoch_offsets_min.data();
  job.times = times_min.data();
  p.impl_->run(k, job, run.workers());
}

void BatchPropagator::propagate(std::span<const double> tsince, std::size_t n_times, BatchStates& out,
                                const RunContext& run) const {
  internal::BatchAccess::propagate(*this, internal::best_batch_kernel(), tsince, n_times, out, run);
}

void BatchPropagator::propagate_grid(std::span<const double> epoch_offsets_min,
                                     std::span<const double> times_min, BatchStates& out,
                                     const RunContext& run) const {
  internal::BatchAccess::propagate_grid(*this, internal::best_batch_kernel(), epoch_offsets_min, times_min,
                                        out, run);
}

const char* BatchPropagator::kernel_name() {
  return internal::batch_kernel_name(internal::best_batch_kernel());
}

}  // namespace skyfence::orbits
