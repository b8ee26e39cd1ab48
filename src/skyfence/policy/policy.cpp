// Evaluation: a request to a decision with reasons, and the per-point precomputation for coverage.
#include "skyfence/policy/policy.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "skyfence/earth/grid.h"
#include "skyfence/policy/internal/policy_data.h"
#include "skyfence/time/scales.h"

namespace skyfence::policy {

namespace {

// Room for the regions containing one point before falling back to the heap (countries do not
// overlap; only stacked custom regions can exceed this).
constexpr std::size_t kInlineRegions = 32;

constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

bool any_iequal(const std::vector<std::string>& v, std::string_view s) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& e) { return iequals(e, s); });
}

bool any_equal(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// What the rules need to know about the asker, worked out once per request rather than once per rule.
struct Asker {
  const RequestContext& c;
  std::string_view provider;  // the request's, else the policy's
  bool own_provider;          // whether `provider` is the policy's (ASCII case ignored)

  Asker(const internal::PolicyData& d, const RequestContext& context)
      : c(context),
        provider(context.provider.empty() ? std::string_view(d.provider)
                                          : std::string_view(context.provider)),
        own_provider(iequals(provider, d.provider)) {}
};

// Whether the rule exempts the terminal (by id or group).
bool exempt(const Rule& r, const RequestContext& c) {
  return (!c.terminal_id.empty() && any_equal(r.exempt_terminals, c.terminal_id)) ||
         (!c.group.empty() && any_equal(r.exempt_groups, c.group));
}

// The conditions on who asks (provider, customer class, terminal or group, exemptions).
bool context_matches(const Rule& r, const Asker& a) {
  const RequestContext& c = a.c;
  if (exempt(r, c)) return false;
  if (r.providers.empty() ? !a.own_provider : !any_iequal(r.providers, a.provider)) return false;
  if (!r.customers.empty() && (c.customer.empty() || !any_iequal(r.customers, c.customer))) return false;
  if (!r.terminals.empty() || !r.groups.empty()) {
    const bool by_id = !c.terminal_id.empty() && any_equal(r.terminals, c.terminal_id);
    const bool by_group = !c.group.empty() && any_equal(r.groups, c.group);
    if (!by_id && !by_group) return false;
  }
  return true;
}

// The regions containing a point: inline for the usual few, on the heap beyond.
struct Containing {
  std::uint32_t inline_ids[kInlineRegions];
  std::vector<std::uint32_t> heap;
  std::size_t n = 0;

  Containing(const internal::PolicyData& d, const frames::Geodetic& p) {
    n = d.index.containing(p, inline_ids, kInlineRegions);
    if (n > kInlineRegions) {
      heap.resize(n);
      d.index.containing(p, heap.data(), n);
    }
  }
  [[nodiscard]] const std::uint32_t* begin() const { return n > kInlineRegions ? heap.data() : inline_ids; }
  [[nodiscard]] const std::uint32_t* end() const { return begin() + n; }
  [[nodiscard]] bool has(std::uint32_t id) const { return std::binary_search(begin(), end(), id); }
};

// The conditions on the terminal's state: its speed and its days of roaming.
bool state_matches(const Rule& r, const Request& q) {
  if (r.max_speed_kmh && !(q.speed_kmh > *r.max_speed_kmh)) return false;
  if (r.roaming_days && !(q.roaming_days > *r.roaming_days)) return false;
  return true;
}

// Whether rule k's region condition holds for a point in the regions `in`.
bool location_matches(const internal::PolicyData& d, std::size_t k, const Containing& in) {
  const auto& ids = d.regions_of_rule[k];
  if (ids.empty()) return true;
  const bool inside = std::any_of(ids.begin(), ids.end(), [&](std::uint32_t id) { return in.has(id); });
  return d.rules[k].side == Side::inside ? inside : !inside;
}

// Calls fn(k) for every rule whose region condition holds at a point in `in` (a rule may be
// visited more than once when the point lies in several of its regions).
template <class Fn>
void for_each_located_rule(const internal::PolicyData& d, const Containing& in, Fn&& fn) {
  for (std::uint32_t k : d.always_candidates) {
    if (location_matches(d, k, in)) fn(k);
  }
  for (std::uint32_t id : in) {
    for (std::uint32_t k : d.inside_rules_of_region[id]) fn(k);
  }
}

// Whether rule k's region condition holds for a service cell whose relation to each region is `rel`
// (by region id), under the per-cell mode `mode` (any or all; see CellMode).
bool cell_location_matches(const internal::PolicyData& d, std::size_t k,
                           const std::vector<earth::CellRelation>& rel, std::uint64_t cell, CellMode mode) {
  const auto& ids = d.regions_of_rule[k];
  if (ids.empty()) return true;
  // The rule's union of regions: inside when one region holds the whole cell, or else, touching several,
  // when their union does (a cell across the border of two neighbouring countries both listed).
  bool inside = false, touches = false;
  std::size_t touching = 0;
  for (std::uint32_t id : ids) {
    inside = inside || rel[id] == earth::CellRelation::inside;
    touching += rel[id] != earth::CellRelation::disjoint ? 1 : 0;
  }
  touches = touching > 0;
  if (!inside && touching > 1) {
    inside = earth::cell_relation(*d.union_of_rule[k], cell) == earth::CellRelation::inside;
  }
  const bool outside = d.rules[k].side == Side::outside;
  const bool whole = outside ? !touches : inside;  // the cell lies wholly on the rule's side
  const bool some = outside ? !inside : touches;   // some of the cell lies on the rule's side
  const bool denying = d.rules[k].effect == Effect::forbid;
  // `any` leans to denial: forbid where any part is forbidden, permit only where all is permitted.
  return (mode == CellMode::any) == denying ? some : whole;
}

// Where a request is, as the policy's enforcement sees it: its own position (exact), the centre of
// its service cell (centre), or its service cell's relation to every rule region (any, all).
class Location {
 public:
  Location(const internal::PolicyData& d, const Enforcement& e, const frames::Geodetic& p) : d_(d), e_(e) {
    if (e_.mode == CellMode::exact) {
      in_.emplace(d, p);
      return;
    }
    cell_ = earth::cell_containing(p, e_.level);
    if (e_.mode == CellMode::centre) {
      in_.emplace(d, earth::make_cell(cell_).centre);
      return;
    }
    rel_.resize(d.regions.size());
    for (std::size_t id = 0; id < d.regions.size(); ++id) {
      rel_[id] = earth::cell_relation(d.regions[id], cell_);
    }
  }
  // Calls fn(k) for every rule whose region condition holds (possibly more than once for a rule).
  template <class Fn>
  void for_each_rule(Fn&& fn) const {
    if (in_) {
      for_each_located_rule(d_, *in_, fn);
      return;
    }
    for (std::uint32_t k = 0; k < d_.rules.size(); ++k) {
      if (cell_location_matches(d_, k, rel_, cell_, e_.mode)) fn(k);
    }
  }
  // The service cell (0 with exact enforcement).
  [[nodiscard]] std::uint64_t cell() const { return cell_; }

 private:
  const internal::PolicyData& d_;
  const Enforcement& e_;
  std::optional<Containing> in_;
  std::vector<earth::CellRelation> rel_;
  std::uint64_t cell_ = 0;
};

void append_quoted_list(std::string& out, const std::vector<const Rule*>& rules) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (i > 0) out += i + 1 == rules.size() ? " and " : ", ";
    out += '"';
    out += rules[i]->id;
    out += "\" (";
    out += rules[i]->summary;
    out += ')';
  }
}

// The instants in (from, to) where rule r's time condition may change (its from, until and daily
// window edges), appended to `out`.
void time_edges(const Rule& r, time::Instant from, time::Instant to, std::vector<time::Instant>& out) {
  const auto add = [&](time::Instant t) {
    if (from < t && t < to) out.push_back(t);
  };
  if (r.from) add(*r.from);
  if (r.until) add(*r.until);
  if (r.hours_utc) {
    time::CivilTime day = time::to_utc(from);
    day.hour = 0;
    day.minute = 0;
    day.second = 0;
    day.nanosecond = 0;
    for (time::Instant midnight = time::from_utc(day); midnight < to; midnight += time::Duration::hours(24)) {
      add(midnight + time::Duration::minutes(r.hours_utc->start_min));
      add(midnight + time::Duration::minutes(r.hours_utc->end_min));
    }
  }
}

}  // namespace

std::string_view to_string(Effect e) {
  return e == Effect::permit ? "permit" : "forbid";
}

bool DailyWindow::contains_minute(int minute_of_day) const {
  if (start_min < end_min) return minute_of_day >= start_min && minute_of_day < end_min;
  return minute_of_day >= start_min || minute_of_day < end_min;  // wraps past midnight
}

bool time_matches(const Rule& r, time::Instant t) {
  if (r.from && t < *r.from) return false;
  if (r.until && !(t < *r.until)) return false;
  if (r.hours_utc) {
    const time::CivilTime c = time::to_utc(t);
    // A leap second (23:59:60) counts as the day's last minute.
    const int minute = std::min(c.hour * 60 + c.minute, 24 * 60 - 1);
    if (!r.hours_utc->contains_minute(minute)) return false;
  }
  return true;
}

const std::string& Policy::provider() const {
  return data_->provider;
}
const std::string& Policy::source() const {
  return data_->source;
}
const std::vector<Rule>& Policy::rules() const {
  return data_->rules;
}
const std::string& Policy::sha256() const {
  return data_->sha256;
}

Policy::Policy(std::shared_ptr<const internal::PolicyData> d)
    : data_(std::move(d)), enforcement_(data_->enforcement) {}

Policy Policy::with_enforcement(const Enforcement& e) const {
  const bool exact = e.mode == CellMode::exact;
  if ((exact && e.level != -1) || (!exact && (e.level < 0 || e.level > 30)) || e.delay < time::Duration{}) {
    throw std::invalid_argument("Policy::with_enforcement: an invalid enforcement setting");
  }
  Policy p = *this;
  p.enforcement_ = e;
  return p;
}

std::string_view to_string(CellMode m) {
  switch (m) {
    case CellMode::exact:
      return "exact";
    case CellMode::centre:
      return "centre";
    case CellMode::any:
      return "any";
    case CellMode::all:
      return "all";
  }
  return "exact";
}

bool Policy::permits(const Request& request) const {
  const internal::PolicyData& d = *data_;
  const Location in(d, enforcement_, request.location);
  const Asker asker(d, request.context);
  bool permit = false;
  bool forbid = false;
  in.for_each_rule([&](std::uint32_t k) {
    const Rule& r = d.rules[k];
    if (forbid || (r.effect == Effect::permit && permit)) return;
    if (!context_matches(r, asker) || !time_matches(r, request.time) || !state_matches(r, request)) return;
    (r.effect == Effect::permit ? permit : forbid) = true;
  });
  return permit && !forbid;
}

Decision Policy::decide(const Request& request) const {
  const internal::PolicyData& d = *data_;
  const Location in(d, enforcement_, request.location);
  const Asker asker(d, request.context);
  // Matching rules, usually a handful: inline storage first.
  constexpr std::size_t kInlineHits = 16;
  std::uint32_t inline_hits[kInlineHits];
  std::vector<std::uint32_t> more_hits;
  std::size_t n_hits = 0;
  in.for_each_rule([&](std::uint32_t k) {
    const Rule& r = d.rules[k];
    if (!context_matches(r, asker) || !time_matches(r, request.time) || !state_matches(r, request)) return;
    if (n_hits < kInlineHits) {
      inline_hits[n_hits] = k;
    } else {
      if (more_hits.empty()) more_hits.assign(inline_hits, inline_hits + kInlineHits);
      more_hits.push_back(k);
    }
    ++n_hits;
  });
  std::uint32_t* hits = n_hits > kInlineHits ? more_hits.data() : inline_hits;
  std::sort(hits, hits + n_hits);
  n_hits = static_cast<std::size_t>(std::unique(hits, hits + n_hits) - hits);
  std::vector<const Rule*> permits, forbids;
  Decision out;
  out.matched.reserve(n_hits);
  for (std::size_t i = 0; i < n_hits; ++i) {
    const Rule& r = d.rules[hits[i]];
    out.matched.push_back(r.id);
    (r.effect == Effect::permit ? permits : forbids).push_back(&r);
  }
  out.permit = !permits.empty() && forbids.empty();
  std::string& m = out.reason;
  m.reserve(160);
  if (!forbids.empty()) {
    m += forbids.size() > 1 ? "denied: forbid rules " : "denied: forbid rule ";
    append_quoted_list(m, forbids);
    m += forbids.size() > 1 ? " match" : " matches";
    if (!permits.empty()) {
      m += permits.size() > 1 ? ", which overrides permit rules " : ", which overrides permit rule ";
      append_quoted_list(m, permits);
    }
  } else if (!permits.empty()) {
    m += permits.size() > 1 ? "permitted: permit rules " : "permitted: permit rule ";
    append_quoted_list(m, permits);
    m += permits.size() > 1 ? " match and no forbid rule does" : " matches and no forbid rule does";
  } else {
    const RequestContext& c = request.context;
    m += "denied: no rule matches (provider ";
    m += c.provider.empty() ? d.provider : c.provider;
    if (!c.customer.empty()) m += ", customer " + c.customer;
    if (!c.terminal_id.empty()) m += ", terminal " + c.terminal_id;
    if (!c.group.empty()) m += ", group " + c.group;
    m += "); with no permit rule matching, service is denied";
  }
  if (enforcement_.mode != CellMode::exact) {
    m += " (decided for service cell " + earth::cell_token(in.cell()) + " at level " +
         std::to_string(enforcement_.level) + ", mode " + std::string(to_string(enforcement_.mode)) + ")";
  }
  return out;
}

PointPolicy::PointPolicy(const Policy& policy, std::span<const frames::Geodetic> points,
                         const RequestContext& ctx)
    : PointPolicy(policy, points, std::span<const RequestContext>(&ctx, 1),
                  std::vector<std::uint32_t>(points.size(), 0)) {}

PointPolicy PointPolicy::per_point(const Policy& policy, std::span<const frames::Geodetic> points,
                                   std::span<const RequestContext> contexts) {
  if (contexts.size() != points.size()) {
    throw std::invalid_argument("PointPolicy::per_point: one request context per point is required");
  }
  std::vector<std::uint32_t> of_point(points.size());
  for (std::size_t i = 0; i < of_point.size(); ++i) of_point[i] = static_cast<std::uint32_t>(i);
  return PointPolicy(policy, points, contexts, of_point);
}

PointPolicy::PointPolicy(const Policy& policy, std::span<const frames::Geodetic> points,
                         std::span<const RequestContext> contexts,
                         const std::vector<std::uint32_t>& context_of_point)
    : delay_(policy.enforcement().delay) {
  const internal::PolicyData& d = policy.data();
  // Which rules apply to each distinct context (points often share one: a group, a customer class).
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::uint32_t> distinct;
  std::vector<std::uint32_t> distinct_of_context(contexts.size());
  std::vector<std::vector<bool>> applicable;
  for (std::size_t c = 0; c < contexts.size(); ++c) {
    const RequestContext& ctx = contexts[c];
    const auto [it, inserted] =
        distinct.emplace(std::make_tuple(ctx.provider, ctx.customer, ctx.terminal_id, ctx.group),
                         static_cast<std::uint32_t>(applicable.size()));
    if (inserted) {
      const Asker asker(d, ctx);
      std::vector<bool> a(d.rules.size());
      for (std::size_t k = 0; k < d.rules.size(); ++k) {
        a[k] = context_matches(d.rules[k], asker) && !d.rules[k].has_terminal_state_condition();
      }
      applicable.push_back(std::move(a));
    }
    distinct_of_context[c] = it->second;
  }
  std::vector<std::int64_t> time_slot(d.rules.size(), -1);
  for (std::size_t k = 0; k < d.rules.size(); ++k) {
    if (!d.rules[k].has_time_condition()) continue;
    const bool any = std::any_of(applicable.begin(), applicable.end(), [&](const auto& a) { return a[k]; });
    if (!any) continue;
    time_slot[k] = static_cast<std::int64_t>(time_rules_.size());
    time_rules_.push_back(d.rules[k]);
  }
  // A point's class: [static permit, static forbid, timed permits..., separator, timed forbids...].
  std::map<std::vector<std::uint32_t>, std::uint32_t> class_ids;
  constexpr std::uint32_t kSeparator = 0xFFFFFFFFu;
  class_of_point_.resize(points.size());
  std::vector<std::uint32_t> timed_permit, timed_forbid, key;
  // Decided per service cell, the points of one cell asking alike share their class: worked out once.
  const bool per_cell = policy.enforcement().mode != CellMode::exact;
  std::map<std::pair<std::uint64_t, std::uint32_t>, std::uint32_t> class_of_cell;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::uint32_t asker = distinct_of_context[context_of_point[i]];
    std::pair<std::uint64_t, std::uint32_t> cell_key{0, asker};
    if (per_cell) {
      cell_key.first = earth::cell_containing(points[i], policy.enforcement().level);
      if (const auto it = class_of_cell.find(cell_key); it != class_of_cell.end()) {
        class_of_point_[i] = it->second;
        continue;
      }
    }
    const std::vector<bool>& applies = applicable[asker];
    const Location in(d, policy.enforcement(), points[i]);
    bool sp = false, sf = false;
    timed_permit.clear();
    timed_forbid.clear();
    in.for_each_rule([&](std::uint32_t k) {
      if (!applies[k]) return;
      const bool permit = d.rules[k].effect == Effect::permit;
      if (time_slot[k] < 0) {
        (permit ? sp : sf) = true;
      } else {
        (permit ? timed_permit : timed_forbid).push_back(static_cast<std::uint32_t>(time_slot[k]));
      }
    });
    for (auto* v : {&timed_permit, &timed_forbid}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    key.clear();
    key.push_back(sp ? 1u : 0u);
    key.push_back(sf ? 1u : 0u);
    if (!sf) {  // a static forbid decides alone: no need to tell such points apart
      key.insert(key.end(), timed_permit.begin(), timed_permit.end());
      key.push_back(kSeparator);
      key.insert(key.end(), timed_forbid.begin(), timed_forbid.end());
    }
    auto [it, inserted] = class_ids.emplace(key, static_cast<std::uint32_t>(classes_.size()));
    if (inserted) {
      Class c;
      c.static_permit = sp;
      c.static_forbid = sf;
      if (!sf) {
        c.timed_permits = timed_permit;
        c.timed_forbids = timed_forbid;
      }
      classes_.push_back(std::move(c));
    }
    class_of_point_[i] = it->second;
    if (per_cell) class_of_cell.emplace(cell_key, it->second);
  }
}

bool PointPolicy::time_invariant() const {
  return time_rules_.empty();
}

void PointPolicy::instantaneous(time::Instant t, std::vector<std::uint8_t>& by_class) const {
  std::vector<bool> active(time_rules_.size());
  for (std::size_t k = 0; k < time_rules_.size(); ++k) active[k] = time_matches(time_rules_[k], t);
  by_class.assign(classes_.size(), 0);
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    const Class& cl = classes_[c];
    auto any_active = [&](const std::vector<std::uint32_t>& v) {
      return std::any_of(v.begin(), v.end(), [&](std::uint32_t k) { return active[k]; });
    };
    const bool forbid = cl.static_forbid || any_active(cl.timed_forbids);
    const bool permit = cl.static_permit || any_active(cl.timed_permits);
    by_class[c] = permit && !forbid ? 1 : 0;
  }
}

void PointPolicy::permitted(time::Instant t, std::span<std::uint8_t> out) const {
  std::vector<std::uint8_t> result;
  instantaneous(t, result);
  if (delay_ > time::Duration{} && !time_rules_.empty() &&
      std::find(result.begin(), result.end(), std::uint8_t{0}) != result.end()) {
    // A class denied at t is permitted while its denial is younger than the delay: when some instant of
    // [t - delay, t) permits it. Decisions are constant between the time rules' edges.
    const time::Instant from = t - delay_;
    std::vector<time::Instant> instants{from};
    for (const Rule& r : time_rules_) time_edges(r, from, t, instants);
    std::vector<std::uint8_t> then;
    for (const time::Instant at : instants) {
      instantaneous(at, then);
      for (std::size_t c = 0; c < result.size(); ++c)
        result[c] = static_cast<std::uint8_t>(result[c] | then[c]);
    }
  }
  const std::size_t n = std::min(out.size(), class_of_point_.size());
  for (std::size_t i = 0; i < n; ++i) out[i] = result[class_of_point_[i]];
}

}  // namespace skyfence::policy
