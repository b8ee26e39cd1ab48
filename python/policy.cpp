// skyfence._skyfence.Policy: a service policy (policy::Policy) decided for arrays of requests, as
// `skyfence check --terminals` decides one row at a time (apps/cli/policy.cpp).
#include "skyfence/policy/policy.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "catalog.h"
#include "common.h"

namespace skyfence::python {

namespace {

// The requests of one call: points, times and who asks, each array of length n; the string lists
// have one item (the same for every request) or n.
struct Requests {
  std::size_t n = 0;
  const double* lat = nullptr;
  const double* lon = nullptr;
  const std::int64_t* time_ns = nullptr;
  std::string provider;
  const std::vector<std::string>* customer = nullptr;
  const std::vector<std::string>* terminal_id = nullptr;
  const std::vector<std::string>* group = nullptr;

  static const std::string& pick(const std::vector<std::string>& v, std::size_t i) {
    return v.size() == 1 ? v[0] : v[i];
  }
  [[nodiscard]] policy::Request at(std::size_t i, time::Instant when) const {
    return {{provider, pick(*customer, i), pick(*terminal_id, i), pick(*group, i)},
            frames::Geodetic::degrees(lat[i], lon[i], 0.0),
            when};
  }
};

// Checks the arrays (same length n, coordinates in range, times convertible) and the string lists;
// errors name the argument and the index.
Requests check(const policy::Policy& p, const py::array_t<double, py::array::c_style>& lat,
               const py::array_t<double, py::array::c_style>& lon,
               const py::array_t<std::int64_t, py::array::c_style>& time_ns,
               const std::vector<std::string>& customer, const std::vector<std::string>& terminal_id,
               const std::vector<std::string>& group, const std::string& provider,
               std::vector<time::Instant>& times) {
  Requests r;
  r.n = static_cast<std::size_t>(lat.size());
  if (lat.ndim() != 1 || lon.ndim() != 1 || time_ns.ndim() != 1 ||
      static_cast<std::size_t>(lon.size()) != r.n || static_cast<std::size_t>(time_ns.size()) != r.n) {
    throw py::value_error("lat_deg, lon_deg and time must be one-dimensional arrays of the same length");
  }
  for (const auto& [list, name] : {std::pair{&customer, "customer"}, std::pair{&terminal_id, "terminal_id"},
                                   std::pair{&group, "group"}}) {
    if (list->size() != 1 && list->size() != r.n) {
      throw py::value_error(
          fmt::format("{} must be one string or {} strings, got {}", name, r.n, list->size()));
    }
  }
  r.lat = lat.data();
  r.lon = lon.data();
  r.time_ns = time_ns.data();
  for (std::size_t i = 0; i < r.n; ++i) {
    if (!(r.lat[i] >= -90.0 && r.lat[i] <= 90.0)) {
      throw InputError(SourceLocation{fmt::format("lat_deg[{}]", i), 0, "latitude"},
                       fmt::format("expected a latitude from -90 to 90 degrees, found {}", r.lat[i]));
    }
    if (!(r.lon[i] >= -180.0 && r.lon[i] <= 180.0)) {
      throw InputError(SourceLocation{fmt::format("lon_deg[{}]", i), 0, "longitude"},
                       fmt::format("expected a longitude from -180 to 180 degrees, found {}", r.lon[i]));
    }
  }
  times.resize(r.n);
  for (std::size_t i = 0; i < r.n; ++i) times[i] = instant_from_unix_ns(r.time_ns[i], "time");
  r.provider = provider.empty() ? p.provider() : provider;
  r.customer = &customer;
  r.terminal_id = &terminal_id;
  r.group = &group;
  return r;
}

// Runs body(i) for every request on run.workers() threads, checking for a stop between blocks.
template <class Body>
void for_each_request(std::size_t n, const RunContext& run, Body&& body) {
  constexpr std::size_t kBlock = 4096;
  tbb::task_arena arena(static_cast<int>(run.workers()));
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kBlock),
                      [&](const tbb::blocked_range<std::size_t>& b) {
                        run.check_stop();
                        for (std::size_t i = b.begin(); i != b.end(); ++i) body(i);
                      });
  });
  run.check_stop();
}

py::dict decide(const policy::Policy& p, const py::array_t<double, py::array::c_style>& lat,
                const py::array_t<double, py::array::c_style>& lon,
                const py::array_t<std::int64_t, py::array::c_style>& time_ns,
                const std::vector<std::string>& customer, const std::vector<std::string>& terminal_id,
                const std::vector<std::string>& group, const std::string& provider, unsigned threads) {
  std::vector<time::Instant> times;
  const Requests req = check(p, lat, lon, time_ns, customer, terminal_id, group, provider, times);
  std::vector<policy::Decision> decisions(req.n);
  run_released(threads, data_dir(), [&](const RunContext& run) {
    for_each_request(req.n, run, [&](std::size_t i) { decisions[i] = p.decide(req.at(i, times[i])); });
  });
  py::array_t<bool> permit(static_cast<py::ssize_t>(req.n));
  bool* pd = permit.mutable_data();
  py::list matched, reason;
  for (std::size_t i = 0; i < req.n; ++i) {
    pd[i] = decisions[i].permit;
    std::string joined;
    for (const auto& m : decisions[i].matched) joined += (joined.empty() ? "" : ";") + m;
    matched.append(py::str(joined));
    reason.append(py::str(decisions[i].reason));
  }
  return py::dict(py::arg("permit") = permit, py::arg("matched_rules") = matched, py::arg("reason") = reason,
                  py::arg("provider") = req.provider);
}

py::array_t<bool> permits(const policy::Policy& p, const py::array_t<double, py::array::c_style>& lat,
                          const py::array_t<double, py::array::c_style>& lon,
                          const py::array_t<std::int64_t, py::array::c_style>& time_ns,
                          const std::vector<std::string>& customer,
                          const std::vector<std::string>& terminal_id, const std::vector<std::string>& group,
                          const std::string& provider, unsigned threads) {
  std::vector<time::Instant> times;
  const Requests req = check(p, lat, lon, time_ns, customer, terminal_id, group, provider, times);
  py::array_t<bool> out(static_cast<py::ssize_t>(req.n));
  bool* d = out.mutable_data();
  run_released(threads, data_dir(), [&](const RunContext& run) {
    for_each_request(req.n, run, [&](std::size_t i) { d[i] = p.permits(req.at(i, times[i])); });
  });
  return out;
}

}  // namespace

void add_policy(py::module_& m) {
  py::class_<policy::Policy>(m, "Policy", "A loaded service policy (see skyfence.load_policy).")
      .def_property_readonly("provider", &policy::Policy::provider)
      .def_property_readonly("source", &policy::Policy::source)
      .def_property_readonly("sha256", &policy::Policy::sha256)
      .def_property_readonly(
          "rules",
          [](const policy::Policy& p) {
            py::list out;
            for (const policy::Rule& r : p.rules()) {
              out.append(py::dict(py::arg("id") = r.id,
                                  py::arg("effect") = std::string(policy::to_string(r.effect)),
                                  py::arg("line") = r.defined_at.line, py::arg("summary") = r.summary,
                                  py::arg("description") = r.description));
            }
            return out;
          })
      .def("decide", &decide, py::arg("lat_deg"), py::arg("lon_deg"), py::arg("time_ns"), py::arg("customer"),
           py::arg("terminal_id"), py::arg("group"), py::arg("provider"), py::arg("threads"))
      .def("permits", &permits, py::arg("lat_deg"), py::arg("lon_deg"), py::arg("time_ns"),
           py::arg("customer"), py::arg("terminal_id"), py::arg("group"), py::arg("provider"),
           py::arg("threads"));
  m.def(
      "load_policy",
      [](const std::string& path, const std::string& data_folder) {
        return policy::Policy::load_file(path, policy::LoadOptions{data_dir(data_folder)});
      },
      py::arg("path"), py::arg("data_dir"), "policy::Policy::load_file; see skyfence.load_policy.");
}

}  // namespace skyfence::python
