// What every part of the extension module shares: the data folder, times between NumPy's datetime64
// and Instant, running a computation without the GIL while Ctrl-C still works, and the Python errors.
//
// Decisions:
//  - Times cross the boundary as int64 nanoseconds since 1970-01-01T00:00:00 UTC counting no leap
//    seconds (NumPy's datetime64[ns], POSIX time); the package's Python side converts any datetime64
//    to that. The conversion to Instant applies the leap-second table as time::from_utc does.
//  - A computation runs on a worker thread while the calling thread, holding the GIL only for an
//    instant every 50 ms, checks for signals: Ctrl-C sets RunContext::stop, the computation throws
//    Cancelled at its next check, and the caller raises KeyboardInterrupt. The worker thread never
//    touches Python objects.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "skyfence/core/error.h"
#include "skyfence/core/run_context.h"
#include "skyfence/time/instant.h"

namespace skyfence::python {

namespace py = pybind11;

// The bundled data folder: `data_dir` when not empty, else the environment variable SKYFENCE_DATA
// when set and not empty, else, for an installed package, the data installed with it
// (installed_data_dir), else the folder the build was configured with (as the CLI).
std::string data_dir(const std::string& given = {});
// The data folder installed with the package (PREFIX/share/skyfence/data by default) when this module
// was installed and that folder holds scenarios/default.toml; empty for the built module.
std::string installed_data_dir();

// An Instant from nanoseconds since 1970-01-01 UTC (POSIX, no leap seconds counted). Throws
// InputError located at `what` outside the years 1709..2290 (the range of Instant).
time::Instant instant_from_unix_ns(std::int64_t ns, const char* what = "times");
// The inverse: UTC nanoseconds since 1970 counting no leap seconds; an instant inside a leap second
// maps to the second after it (as POSIX clocks repeat it).
std::int64_t unix_ns(time::Instant t);

// Registers skyfence.InputError (a ValueError with file, line, field, detail and issues) and the
// translation of the library's exceptions: InputError and InputErrors to it, Cancelled to
// KeyboardInterrupt.
void register_errors(py::module_& m);

// Runs f(run) on a worker thread with the GIL released, `run` carrying `threads` (0 = all cores),
// a stop flag and the data folder; checks for signals (Ctrl-C) every 50 ms on the calling thread and,
// when one raised, asks the computation to stop, waits for it and raises the signal's exception
// (KeyboardInterrupt). Exceptions of f reach the caller. REQUIRES: the GIL held; f touches no Python
// object.
template <class F>
auto run_released(unsigned threads, const std::string& data_folder, F&& f)
    -> std::invoke_result_t<F&, RunContext&> {
  using Result = std::invoke_result_t<F&, RunContext&>;
  std::atomic<bool> stop{false};
  RunContext run;
  run.threads = threads;
  run.stop = &stop;
  run.data_dir = data_folder;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  bool interrupted = false;
  std::exception_ptr error;
  std::conditional_t<std::is_void_v<Result>, bool, std::optional<Result>> result{};
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        if constexpr (std::is_void_v<Result>) {
          f(run);
        } else {
          result.emplace(f(run));
        }
      } catch (...) {
        error = std::current_exception();
      }
      const std::lock_guard lock(mutex);
      done = true;
      done_cv.notify_all();
    });
    std::unique_lock lock(mutex);
    while (!done) {
      done_cv.wait_for(lock, std::chrono::milliseconds(50));
      if (done || interrupted) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() != 0) interrupted = true;  // the error indicator now holds the exception
      }
      if (interrupted) stop.store(true);
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (interrupted) throw py::error_already_set();
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<Result>) return std::move(*result);
}

}  // namespace skyfence::python
