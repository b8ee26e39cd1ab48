// The module's shared pieces; see common.h.
#include "common.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "skyfence/time/leap_seconds.h"

namespace skyfence::python {

namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
// Seconds from 1970-01-01 to 2000-01-01, both UTC midnights, counting no leap seconds.
constexpr std::int64_t kUnixSecondsAt2000 = 946'684'800;
// The range time::from_utc accepts, 1709-01-01 to 2291-01-01 (exclusive), as POSIX seconds.
constexpr std::int64_t kFirstUnixSecond = -8'236'339'200;
constexpr std::int64_t kEndUnixSecond = 10'129'795'200;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// The exception class, kept alive for the translator (created once, at import).
PyObject* g_input_error = nullptr;

// A Python InputError carrying the library error's location.
py::object make_input_error(const InputError& e) {
  py::object cls = py::reinterpret_borrow<py::object>(g_input_error);
  py::object obj = cls(py::str(e.what()));
  obj.attr("file") = py::str(e.where().file);
  obj.attr("line") = py::int_(e.where().line);
  obj.attr("field") = py::str(e.where().field);
  obj.attr("detail") = py::str(e.detail());
  return obj;
}

}  // namespace

std::string installed_data_dir() {
  // The folder of this extension module's file (dladdr of one of its functions): an installed package
  // (`cmake --install --component python`) has its data at SKYFENCE_DATA_FROM_MODULE from there; the
  // built module (build/python/skyfence) has none and reads the checkout's.
  static const std::string found = [] {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&installed_data_dir), &info) == 0 || info.dli_fname == nullptr)
      return std::string();
    std::error_code ec;
    const std::filesystem::path module = std::filesystem::canonical(info.dli_fname, ec).parent_path();
    if (ec || module == std::filesystem::weakly_canonical(SKYFENCE_BUILD_MODULE_DIR, ec))
      return std::string();
    const std::filesystem::path data = (module / SKYFENCE_DATA_FROM_MODULE).lexically_normal();
    if (!std::filesystem::is_regular_file(data / "scenarios" / "default.toml", ec)) return std::string();
    return data.string();
  }();
  return found;
}

std::string data_dir(const std::string& given) {
  if (!given.empty()) return given;
  const char* env = std::getenv("SKYFENCE_DATA");
  if (env != nullptr && *env != '\0') return env;
  std::string installed = installed_data_dir();
  if (!installed.empty()) return installed;
  return SKYFENCE_DATA_DIR;
}

time::Instant instant_from_unix_ns(std::int64_t ns, const char* what) {
  const std::int64_t s = floor_div(ns, kNsPerSecond);
  if (s < kFirstUnixSecond || s >= kEndUnixSecond) {
    throw InputError(SourceLocation{what, 0, {}},
                     "expected times from 1709 to 2290 (the range of skyfence times)");
  }
  const std::int64_t sub = ns - s * kNsPerSecond;
  const std::int64_t utc = s - kUnixSecondsAt2000;
  const std::int64_t tai = utc + time::LeapSecondTable::builtin().tai_minus_utc_at_utc(utc);
  return time::Instant::from_tai_ns(tai * kNsPerSecond + sub);
}

std::int64_t unix_ns(time::Instant t) {
  const std::int64_t tai_s = floor_div(t.tai_ns(), kNsPerSecond);
  const std::int64_t sub = t.tai_ns() - tai_s * kNsPerSecond;
  const std::int64_t utc = tai_s - time::LeapSecondTable::builtin().tai_minus_utc(t);
  return (utc + kUnixSecondsAt2000) * kNsPerSecond + sub;
}

void register_errors(py::module_& m) {
  static py::exception<InputError> input_error(m, "InputError", PyExc_ValueError);
  input_error.attr("__module__") = "skyfence";
  input_error.attr("__doc__") =
      "Bad input: a file, record or argument that cannot be read or is out of its documented range.\n\n"
      "A ValueError. Attributes: file (the file or argument), line (1-based; 0 when the input has no\n"
      "lines), field (the field or column), detail (the message without its location) and issues (every\n"
      "problem found, each an InputError with its own location: a policy or scenario file is checked\n"
      "whole; one item when there is one problem).";
  for (const char* name : {"file", "field", "detail"}) input_error.attr(name) = py::str("");
  input_error.attr("line") = py::int_(0);
  input_error.attr("issues") = py::list();
  g_input_error = input_error.ptr();

  py::register_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const InputErrors& e) {
      py::object obj = make_input_error(e);
      py::list issues;
      for (const InputError& issue : e.issues()) issues.append(make_input_error(issue));
      obj.attr("issues") = issues;
      PyErr_SetObject(g_input_error, obj.ptr());
    } catch (const InputError& e) {
      py::object obj = make_input_error(e);
      py::list issues;
      issues.append(make_input_error(e));
      obj.attr("issues") = issues;
      PyErr_SetObject(g_input_error, obj.ptr());
    } catch (const Cancelled& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
  });
}

}  // namespace skyfence::python
