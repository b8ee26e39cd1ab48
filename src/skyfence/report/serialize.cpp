// Results as bytes and back; see serialize.h.
#include "skyfence/report/serialize.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace skyfence::report {
namespace encoding {

// The fields of each type the results hold, in one list per type, applied to `f` all at once: the one
// list serves both writing and reading, so the two cannot disagree. A field missing here would not
// travel: every field of model.h is listed (a new table or field is added here, and
// kResultsEncodingVersion bumped).
template <class F>
void fields(earth::LonLatDeg& x, F& f) {
  f(x.lon_deg, x.lat_deg);
}
template <class F>
void fields(InputFile& x, F& f) {
  f(x.role, x.path);
}
template <class F>
void fields(RunInfo& x, F& f) {
  f(x.scenario_name, x.scenario_path, x.inputs, x.seed, x.start, x.stop, x.step, x.region_name,
    x.region_area_km2, x.software_version, x.created, x.step_count);
}
template <class F>
void fields(ProviderInfo& x, F& f) {
  f(x.name, x.source, x.satellite_count, x.epoch_min, x.epoch_max, x.min_elevation_deg, x.policy, x.status,
    x.service_model, x.isl, x.isl_pairing, x.isl_shift, x.isl_file, x.isl_max_range_km,
    x.gateway_min_elevation_deg, x.gsl_max_range_km, x.hypatia_state);
}
template <class F>
void fields(LoadIssues& x, F& f) {
  f(x.provider, x.variant, x.records_rejected, x.records_with_warnings, x.non_payloads_left_out,
    x.duplicates_dropped, x.stale_element_sets, x.sgp4_init_failures, x.sgp4_failed_states);
}
template <class F>
void fields(Variant& x, F& f) {
  f(x.id, x.description, x.kind, x.provider, x.catalog, x.satellite_count, x.time_shift);
}
template <class F>
void fields(CellInfo& x, F& f) {
  f(x.token, x.lat_deg, x.lon_deg, x.area_km2, x.vertices);
}
template <class F>
void fields(CellStat& x, F& f) {
  f(x.coverage_fraction, x.served_fraction, x.mean_visible, x.min_visible, x.max_visible, x.max_gap_s,
    x.gap_count);
}
template <class F>
void fields(CellLayer& x, F& f) {
  f(x.variant, x.provider, x.stats);
}
template <class F>
void fields(TerminalGroup& x, F& f) {
  f(x.id, x.name, x.customer_class);
}
template <class F>
void fields(TrackPoint& x, F& f) {
  f(x.time, x.lat_deg, x.lon_deg);
}
template <class F>
void fields(Terminal& x, F& f) {
  f(x.id, x.name, x.lat_deg, x.lon_deg, x.group, x.customer_class, x.track);
}
template <class F>
void fields(TerminalService& x, F& f) {
  f(x.variant, x.provider, x.terminal, x.coverage_fraction, x.served_fraction, x.decision, x.reason);
}
template <class F>
void fields(LatencySummary& x, F& f) {
  f(x.variant, x.provider, x.src, x.dst, x.min_rtt_ms, x.median_rtt_ms, x.p95_rtt_ms, x.max_rtt_ms,
    x.path_changes, x.unreachable_fraction, x.rtt_samples_ms);
}
template <class F>
void fields(TimeSeries& x, F& f) {
  f(x.variant, x.provider, x.site, x.t_s, x.satellites_in_view);
}
template <class F>
void fields(PassRecord& x, F& f) {
  f(x.provider, x.terminal, x.norad_id, x.satellite, x.aos, x.tca, x.los, x.max_elevation_deg, x.aos_clipped,
    x.los_clipped);
}
template <class F>
void fields(ProviderReliance& x, F& f) {
  f(x.provider, x.served_share, x.sole_share);
}
template <class F>
void fields(Reliance& x, F& f) {
  f(x.scope, x.scope_id, x.variant, x.providers, x.served_share_any, x.single_provider_share, x.lost_share,
    x.recovered_share, x.net_loss_share);
}
template <class F>
void fields(CapacityScope& x, F& f) {
  f(x.scope, x.scope_id, x.variant, x.provider, x.demand_mbps, x.carried_mbps, x.demand_met_fraction,
    x.full_service_share);
}
template <class F>
void fields(TerminalCapacity& x, F& f) {
  f(x.variant, x.provider, x.terminal, x.demand_mbps, x.mean_mbps, x.p5_mbps, x.min_mbps,
    x.demand_met_fraction, x.full_service_fraction);
}
template <class F>
void fields(CapacityCellLayer& x, F& f) {
  f(x.variant, x.provider, x.demand_mbps, x.carried_mbps, x.demand_met_fraction);
}
template <class F>
void fields(ProviderUsage& x, F& f) {
  f(x.variant, x.provider, x.background_load, x.offered_mbps, x.carried_mbps, x.satellite_utilisation,
    x.saturated_satellite_share, x.saturated_cell_share, x.gateway_utilisation);
}
template <class F>
void fields(EnforcementSettingResult& x, F& f) {
  f(x.setting, x.level, x.mode, x.leakage_km2_h, x.leakage_share, x.collateral_km2_h, x.collateral_share,
    x.leakage_terminal_h, x.collateral_terminal_h);
}
template <class F>
void fields(EnforcementGroupResult& x, F& f) {
  f(x.setting, x.group, x.hostile, x.terminals, x.terminal_h, x.served_h, x.denied_h, x.speed_denied_h);
}
template <class F>
void fields(EnforcementStudy& x, F& f) {
  f(x.provider, x.policy, x.region, x.region_area_km2, x.study_area_km2, x.window_h, x.samples,
    x.reference_level, x.settings, x.groups);
}
template <class F>
void fields(SatelliteElements& x, F& f) {
  f(x.provider, x.norad_id, x.name, x.epoch, x.mean_motion_rev_per_day, x.eccentricity, x.inclination_deg,
    x.raan_deg, x.arg_perigee_deg, x.mean_anomaly_deg, x.bstar, x.mean_motion_dot, x.mean_motion_ddot);
}
template <class F>
void fields(VariantSatellites& x, F& f) {
  f(x.variant, x.satellites);
}
template <class F>
void fields(FailedSatellites& x, F& f) {
  f(x.variant, x.norad_ids);
}
template <class F>
void fields(GroundStation& x, F& f) {
  f(x.provider, x.kind, x.id, x.lat_deg, x.lon_deg);
}
template <class F>
void fields(PolicyRegion& x, F& f) {
  f(x.variant, x.provider, x.rule, x.description, x.summary, x.region, x.side, x.polygons);
}
template <class F>
void fields(TerminalStateChange& x, F& f) {
  f(x.variant, x.provider, x.terminal, x.first_step, x.state, x.rules);
}
template <class F>
void fields(RouteRecord& x, F& f) {
  f(x.variant, x.provider, x.terminal, x.time, x.rtt_ms, x.path);
}
template <class F>
void fields(Results& x, F& f) {
  f(x.run, x.providers, x.load_issues, x.variants, x.cells, x.cell_layers, x.groups, x.terminals,
    x.terminal_service, x.latency, x.timeseries, x.reliance, x.passes, x.capacity, x.terminal_capacity,
    x.capacity_cells, x.provider_usage, x.capacity_up, x.terminal_capacity_up, x.enforcement, x.satellites,
    x.ground_stations, x.policy_regions, x.terminal_states, x.routes, x.variant_satellites,
    x.failed_satellites);
}

// A field added to a type the results hold changes its size: these fail to compile until the field is
// listed above (and kResultsEncodingVersion bumped), then take the new sizes. Checked where the sizes
// were measured (x86-64, libstdc++); padding can hide a small field, which the review must then catch.
#if defined(__x86_64__) && defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG)
static_assert(sizeof(earth::LonLatDeg) == 16, "a field was added: list it in fields()");
static_assert(sizeof(InputFile) == 64, "a field was added: list it in fields()");
static_assert(sizeof(RunInfo) == 208, "a field was added: list it in fields()");
static_assert(sizeof(ProviderInfo) == 352, "a field was added: list it in fields()");
static_assert(sizeof(LoadIssues) == 120, "a field was added: list it in fields()");
static_assert(sizeof(Variant) == 152, "a field was added: list it in fields()");
static_assert(sizeof(CellInfo) == 120, "a field was added: list it in fields()");
static_assert(sizeof(CellStat) == 48, "a field was added: list it in fields()");
static_assert(sizeof(CellLayer) == 88, "a field was added: list it in fields()");
static_assert(sizeof(TerminalGroup) == 96, "a field was added: list it in fields()");
static_assert(sizeof(TrackPoint) == 24, "a field was added: list it in fields()");
static_assert(sizeof(Terminal) == 168, "a field was added: list it in fields()");
static_assert(sizeof(TerminalService) == 152, "a field was added: list it in fields()");
static_assert(sizeof(LatencySummary) == 200, "a field was added: list it in fields()");
static_assert(sizeof(TimeSeries) == 144, "a field was added: list it in fields()");
static_assert(sizeof(PassRecord) == 144, "a field was added: list it in fields()");
static_assert(sizeof(ProviderReliance) == 48, "a field was added: list it in fields()");
static_assert(sizeof(Reliance) == 160, "a field was added: list it in fields()");
static_assert(sizeof(CapacityScope) == 160, "a field was added: list it in fields()");
static_assert(sizeof(TerminalCapacity) == 144, "a field was added: list it in fields()");
static_assert(sizeof(CapacityCellLayer) == 136, "a field was added: list it in fields()");
static_assert(sizeof(ProviderUsage) == 128, "a field was added: list it in fields()");
static_assert(sizeof(EnforcementSettingResult) == 120, "a field was added: list it in fields()");
static_assert(sizeof(EnforcementGroupResult) == 112, "a field was added: list it in fields()");
static_assert(sizeof(EnforcementStudy) == 184, "a field was added: list it in fields()");
static_assert(sizeof(SatelliteElements) == 152, "a field was added: list it in fields()");
static_assert(sizeof(VariantSatellites) == 56, "a field was added: list it in fields()");
static_assert(sizeof(FailedSatellites) == 56, "a field was added: list it in fields()");
static_assert(sizeof(GroundStation) == 112, "a field was added: list it in fields()");
static_assert(sizeof(PolicyRegion) == 248, "a field was added: list it in fields()");
static_assert(sizeof(TerminalStateChange) == 136, "a field was added: list it in fields()");
static_assert(sizeof(RouteRecord) == 144, "a field was added: list it in fields()");
static_assert(sizeof(Results) == 1000, "a field was added: list it in fields()");
#endif

constexpr std::array<char, 8> kMagic = {'s', 'k', 'y', 'R', 'e', 's', 'u', 'l'};

// Appends each value's bytes.
class Writer {
 public:
  std::string out;

  template <class... T>
  void operator()(const T&... values) {
    (put(values), ...);
  }

 private:
  template <class T>
  requires std::is_arithmetic_v<T>
  void put(T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out.append(b, sizeof(T));
  }
  template <class T>
  requires std::is_enum_v<T>
  void put(T v) { put(static_cast<std::underlying_type_t<T>>(v)); }
  void put(const std::string& s) {
    put(static_cast<std::uint64_t>(s.size()));
    out.append(s);
  }
  void put(time::Instant t) { put(t.tai_ns()); }
  void put(time::Duration d) { put(d.count_ns()); }
  template <class T>
  void put(const std::vector<T>& v) {
    put(static_cast<std::uint64_t>(v.size()));
    for (const T& e : v) put(e);
  }
  template <class T>
  void put(const std::optional<T>& v) {
    put(v.has_value());
    if (v) put(*v);
  }
  template <class T, std::size_t N>
  void put(const std::array<T, N>& a) {
    for (const T& e : a) put(e);
  }
  template <class T>
  requires std::is_class_v<T>
  void put(const T& record) {
    // Writing reads the record only; `fields` takes it mutable because reading shares the list.
    fields(const_cast<T&>(record), *this);
  }
};

// Reads each value back, refusing bytes that run out.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  template <class... T>
  void operator()(T&... values) {
    (get(values), ...);
  }

  [[nodiscard]] std::size_t left() const { return in_.size() - at_; }

  void take(char* to, std::size_t n) {
    if (n > left()) throw std::invalid_argument("decode_results: the bytes end inside a value");
    std::memcpy(to, in_.data() + at_, n);
    at_ += n;
  }

 private:
  // A count of elements, each at least one byte: never more than the bytes left.
  std::size_t count() {
    std::uint64_t n = 0;
    get(n);
    if (n > left()) throw std::invalid_argument("decode_results: a size beyond the bytes left");
    return static_cast<std::size_t>(n);
  }
  template <class T>
  requires std::is_arithmetic_v<T>
  void get(T& v) { take(reinterpret_cast<char*>(&v), sizeof(T)); }
  template <class T>
  requires std::is_enum_v<T>
  void get(T& v) {
    std::underlying_type_t<T> u{};
    get(u);
    v = static_cast<T>(u);
  }
  void get(std::string& s) {
    s.resize(count());
    take(s.data(), s.size());
  }
  void get(time::Instant& t) {
    std::int64_t ns = 0;
    get(ns);
    t = time::Instant::from_tai_ns(ns);
  }
  void get(time::Duration& d) {
    std::int64_t ns = 0;
    get(ns);
    d = time::Duration::nanoseconds(ns);
  }
  template <class T>
  void get(std::vector<T>& v) {
    v.assign(count(), T{});
    for (T& e : v) get(e);
  }
  template <class T>
  void get(std::optional<T>& v) {
    bool has = false;
    get(has);
    v.reset();
    if (has) get(v.emplace());
  }
  template <class T, std::size_t N>
  void get(std::array<T, N>& a) {
    for (T& e : a) get(e);
  }
  template <class T>
  requires std::is_class_v<T>
  void get(T& record) { fields(record, *this); }

  std::string_view in_;
  std::size_t at_ = 0;
};

}  // namespace encoding

std::string encode_results(const Results& results) {
  encoding::Writer w;
  w.out.append(encoding::kMagic.data(), encoding::kMagic.size());
  w(static_cast<std::uint32_t>(kResultsEncodingVersion), results);
  return std::move(w.out);
}

Results decode_results(std::string_view bytes) {
  encoding::Reader r(bytes);
  std::array<char, 8> magic{};
  r.take(magic.data(), magic.size());
  if (magic != encoding::kMagic) throw std::invalid_argument("decode_results: not encoded results");
  std::uint32_t version = 0;
  r(version);
  if (version != kResultsEncodingVersion) {
    throw std::invalid_argument("decode_results: encoding version " + std::to_string(version) +
                                ", expected " + std::to_string(kResultsEncodingVersion));
  }
  Results results;
  r(results);
  if (r.left() != 0) throw std::invalid_argument("decode_results: bytes left over after the results");
  return results;
}

}  // namespace skyfence::report
