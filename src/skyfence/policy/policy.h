// Service policies: an operator's rules for where, when and for whom its service is permitted, and
// their evaluation to decisions with reasons (docs/policy.md documents the file format).
//
// Semantics: a request (provider, terminal, customer class, location, time) is permitted if and only
// if at least one permit rule matches it and no forbid rule matches it; when no rule matches, it is
// denied. Rule order does not matter. A rule matches when every condition it names holds; a rule
// naming no condition matches every request for the policy's provider.
//
// Regions are earth::Region spherical polygons (edges densified from lon/lat lines, antimeridian and
// poles handled). A point exactly on a region's boundary follows S2's semi-open model: where two
// regions share an edge, a point on it lies in exactly one of them, so a border point is never in
// two neighbouring countries nor in neither; which one is fixed (symbolic perturbation) but not
// geographic. Tests: tests/unit/policy/policy_test.cpp (boundary cases), tests/oracle/policy/
// differential_test.cpp (agreement with an independent planar implementation).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/earth/region.h"
#include "skyfence/frames/frames.h"
#include "skyfence/time/instant.h"

namespace skyfence::policy {

namespace internal {
struct PolicyData;
}  // namespace internal

enum class Effect { permit, forbid };

// "permit" / "forbid".
std::string_view to_string(Effect e);

// Which side of a rule's region the rule applies to.
enum class Side { inside, outside };

// A daily window of UTC time of day, [start, end) in minutes after midnight; end < start wraps past
// midnight ("22:00-06:00"); start == end is not allowed (use no window instead).
struct DailyWindow {
  int start_min = 0;
  int end_min = 0;
  [[nodiscard]] bool contains_minute(int minute_of_day) const;
};

// One rule as loaded. Empty lists mean "any".
struct Rule {
  std::string id;
  Effect effect = Effect::permit;
  std::string description;
  std::vector<std::string> providers;  // empty: the policy's own provider
  // The region condition, none when empty: the union of these regions (inside) or its complement
  // (outside).
  std::vector<earth::Region> regions;
  std::vector<std::string> region_specs;  // as written ("RUS", "areas.geojson#zone", "polygon")
  Side side = Side::inside;
  std::vector<std::string> customers;
  // The terminal condition holds when the terminal's id is in `terminals` or its group in `groups`.
  std::vector<std::string> terminals;
  std::vector<std::string> groups;
  std::optional<time::Instant> from;   // inclusive
  std::optional<time::Instant> until;  // exclusive
  std::optional<DailyWindow> hours_utc;
  // Enforcement conditions (forbid rules only): the rule matches while the terminal moves faster than
  // max_speed_kmh (Request::speed_kmh), or has been outside its activation country for more than
  // roaming_days days (Request::roaming_days).
  std::optional<double> max_speed_kmh;
  std::optional<double> roaming_days;
  // Terminals and groups the rule does not apply to (a whitelist's exemption), whatever else holds.
  std::vector<std::string> exempt_terminals;
  std::vector<std::string> exempt_groups;
  SourceLocation defined_at;  // file and line of the [[rule]] table
  std::string summary;        // its conditions in words, for reasons ("inside RUS; customers military")

  // Whether the rule has a condition on time (from, until or hours_utc).
  [[nodiscard]] bool has_time_condition() const { return from || until || hours_utc; }
  // Whether the rule has a condition on the terminal's motion or roaming (they never hold for a point
  // at rest in its activation country).
  [[nodiscard]] bool has_terminal_state_condition() const { return max_speed_kmh || roaming_days; }
};

// How a provider applies the region conditions of its rules (the policy's [enforcement] table).
enum class CellMode {
  exact,   // at the terminal's own position (the default)
  centre,  // at the centre of the service cell holding it
  any,     // per service cell, denying: a forbidden region touching the cell forbids all of it, and a
           // permitted region permits only the cells wholly inside it
  all,     // per service cell, permitting: only cells wholly inside a forbidden region are forbidden,
           // and a permitted region permits every cell it touches
};

// "exact", "centre", "any", "all".
std::string_view to_string(CellMode m);

struct Enforcement {
  int level = -1;  // S2 level of the service cells; -1 with CellMode::exact
  CellMode mode = CellMode::exact;
  // A decision that turns from permit to deny takes effect only once the deny has held this long
  // (EnforcementDelay); zero: at once. A deny that turns into a permit takes effect at once.
  time::Duration delay{};
};

// Who asks: everything about a request except where and when.
struct RequestContext {
  std::string provider;     // empty: the policy's provider
  std::string customer;     // customer class ("civil", "government", "military"); empty: unknown
  std::string terminal_id;  // empty: unknown
  std::string group;        // the terminal's group; empty: none
};

struct Request {
  RequestContext context;
  frames::Geodetic location;  // latitude and longitude used; altitude ignored
  time::Instant time;
  double speed_kmh = 0.0;     // the terminal's ground speed (earth::Track::speed_kmh)
  double roaming_days = 0.0;  // days outside its activation country so far (RoamingClock); 0 inside
};

struct Decision {
  bool permit = false;
  std::vector<std::string> matched;  // ids of the matching rules, in file order
  std::string reason;                // one human-readable sentence
};

// Everything wrong with a policy file, all at once (each with file:line and field).
class PolicyError : public InputErrors {
 public:
  explicit PolicyError(std::vector<InputError> issues);
};

struct LoadOptions {
  // The bundled data folder (borders/countries-50m.json and borders/iso_3166-1.json) for country
  // codes. REQUIRED when a rule names a country and `borders` is not set.
  std::string data_dir;
  // Country borders already read (e.g. shared by many policies); used instead of data_dir when set.
  std::optional<earth::CountryBorders> borders = std::nullopt;
};

// A loaded policy: immutable, cheap to copy (shared), safe to use from many threads at once.
class Policy {
 public:
  // Parses policy text; `source` names it in messages and is the folder that relative GeoJSON paths
  // are read from. Throws PolicyError listing every problem found (never a partial policy).
  static Policy parse(std::string_view toml_text, const std::string& source, const LoadOptions& options);
  // Reads and parses a file. Throws InputError when unreadable, PolicyError when invalid.
  static Policy load_file(const std::string& path, const LoadOptions& options);

  [[nodiscard]] const std::string& provider() const;
  [[nodiscard]] const std::string& source() const;
  [[nodiscard]] const std::vector<Rule>& rules() const;
  // Hex SHA-256 of the policy text, recorded in audit logs.
  [[nodiscard]] const std::string& sha256() const;
  [[nodiscard]] const Enforcement& enforcement() const { return enforcement_; }
  // The same rules enforced another way (a sweep of enforcement settings): shares everything else.
  // REQUIRES: e.level in 0..30 unless e.mode is exact (then -1); e.delay >= 0 (else
  // std::invalid_argument).
  [[nodiscard]] Policy with_enforcement(const Enforcement& e) const;

  // The decision for one request, with the matching rules and the reason. Cost: one point lookup
  // in an index over every rule region (O(log edges)), then the candidate rules' other conditions.
  // With enforcement per service cell (mode any or all), the relation of the request's cell to every
  // rule region instead (an S2 cell test per region).
  [[nodiscard]] Decision decide(const Request& request) const;
  // The same decision without the lists and text. Same cost, no allocation.
  [[nodiscard]] bool permits(const Request& request) const;

  [[nodiscard]] const internal::PolicyData& data() const { return *data_; }

 private:
  explicit Policy(std::shared_ptr<const internal::PolicyData> d);
  std::shared_ptr<const internal::PolicyData> data_;
  Enforcement enforcement_;
};

// Location-dependent conditions resolved once for a fixed set of points (cells or sites), for one
// request context; per time step only the time conditions remain. The points are at rest in their
// activation country: rules on speed or roaming never match them. The policy's enforcement delay is
// applied exactly: a point is denied at t only when its decision was deny at every instant of
// [t - delay, t] (decisions change only at the time rules' from, until and daily edges, so those instants
// and t - delay are the ones evaluated). Immutable after construction and
// safe to share between threads. Keeps a reference to nothing: the policy may go away.
class PointPolicy {
 public:
  // Cost: one index lookup per point and applicable region rule.
  PointPolicy(const Policy& policy, std::span<const frames::Geodetic> points, const RequestContext& ctx);
  // Each point with its own request context (sites and terminals: their customer, id and group).
  // REQUIRES: contexts.size() == points.size() (else std::invalid_argument). Cost: as above, plus one
  // rule scan per distinct context.
  static PointPolicy per_point(const Policy& policy, std::span<const frames::Geodetic> points,
                               std::span<const RequestContext> contexts);
  // out[i] = 1 when service is permitted at points[i] at time t, else 0. REQUIRES: out.size() equals
  // the number of points. Cost: O(points) with one table lookup each, plus O(classes x time rules).
  void permitted(time::Instant t, std::span<std::uint8_t> out) const;
  // Whether no rule with a time condition applies (then permitted() gives the same for any t).
  [[nodiscard]] bool time_invariant() const;
  [[nodiscard]] std::size_t size() const { return class_of_point_.size(); }

 private:
  PointPolicy(const Policy& policy, std::span<const frames::Geodetic> points,
              std::span<const RequestContext> contexts, const std::vector<std::uint32_t>& context_of_point);
  struct Class {
    bool static_permit = false;
    bool static_forbid = false;
    std::vector<std::uint32_t> timed_permits;  // indices into time_rules_
    std::vector<std::uint32_t> timed_forbids;
  };
  // Each class's decision at t without the delay.
  void instantaneous(time::Instant t, std::vector<std::uint8_t>& by_class) const;
  std::vector<Rule> time_rules_;  // the applicable rules with a time condition (copies: no dangling)
  std::vector<Class> classes_;
  time::Duration delay_{};
  std::vector<std::uint32_t> class_of_point_;
};

// Whether rule `r` holds at time `t` (its from/until/hours_utc); true when it has no time condition.
bool time_matches(const Rule& r, time::Instant t);

}  // namespace skyfence::policy
