// Enforcement delay and roaming days; see enforcement.h.
#include "skyfence/policy/enforcement.h"

#include <stdexcept>
#include <utility>

#include "skyfence/time/scales.h"

namespace skyfence::policy {
namespace {

// `v` when it holds one entry per track (TrackDecisions' requirement), else std::invalid_argument.
template <class T>
std::vector<T> one_per_track(std::vector<T> v, std::size_t tracks) {
  if (v.size() != tracks)
    throw std::invalid_argument("TrackDecisions: one request context and one roaming entry per track");
  return v;
}

}  // namespace

EnforcementDelay::EnforcementDelay(time::Duration delay, std::size_t n)
    : delay_(delay), state_(n, State::unseen), since_(n), last_(n), primed_(n, 0) {
  if (delay < time::Duration{}) throw std::invalid_argument("EnforcementDelay: a negative delay");
}

bool EnforcementDelay::apply_one(std::size_t i, time::Instant t, bool permitted) {
  State& s = state_[i];
  if (s != State::unseen && primed_[i] == 0 && !(last_[i] < t)) {
    throw std::invalid_argument("EnforcementDelay: times must increase for each subject");
  }
  last_[i] = t;
  primed_[i] = 0;
  if (permitted) {
    s = State::permitted;
    return true;
  }
  switch (s) {
    case State::unseen:  // denied since before the series: in force already
    case State::denied:
      s = State::denied;
      return false;
    case State::permitted:
      s = State::pending;
      since_[i] = t;
      break;
    case State::pending:
      break;
  }
  if (t - since_[i] >= delay_) {
    s = State::denied;
    return false;
  }
  return true;
}

void EnforcementDelay::prime(std::size_t i, bool permitted_before) {
  if (state_[i] != State::unseen)
    throw std::invalid_argument("EnforcementDelay::prime: after the series started");
  state_[i] = permitted_before ? State::permitted : State::denied;
  primed_[i] = 1;
}

void EnforcementDelay::apply(time::Instant t, std::span<std::uint8_t> permitted) {
  if (permitted.size() != state_.size()) {
    throw std::invalid_argument("EnforcementDelay::apply: one decision per subject is required");
  }
  for (std::size_t i = 0; i < permitted.size(); ++i)
    permitted[i] = apply_one(i, t, permitted[i] != 0) ? 1 : 0;
}

RoamingClock::RoamingClock(std::vector<Terminal> terminals)
    : terminals_(std::move(terminals)), outside_since_(terminals_.size()), last_(terminals_.size()) {}

double RoamingClock::days(std::size_t i, time::Instant t, const frames::Geodetic& position) {
  if (last_[i] && t < *last_[i])
    throw std::invalid_argument("RoamingClock: times must not decrease per terminal");
  const bool first = !last_[i];
  last_[i] = t;
  const Terminal& term = terminals_[i];
  if (!term.activation_country || term.activation_country->contains(position)) {
    outside_since_[i].reset();
    return 0.0;
  }
  if (!outside_since_[i]) {
    outside_since_[i] = first && term.roaming_since && *term.roaming_since <= t ? *term.roaming_since : t;
  }
  return (t - *outside_since_[i]).to_seconds() / 86400.0;
}

Request track_request(const earth::Track& track, RequestContext context, time::Instant t,
                      RoamingClock& roaming, std::size_t i) {
  Request q{std::move(context), track.at(t), t};
  q.speed_kmh = track.speed_kmh(t);
  q.roaming_days = roaming.days(i, t, q.location);
  return q;
}

TrackDecisions::TrackDecisions(const Policy& policy, std::span<const earth::Track> tracks,
                               std::vector<RequestContext> contexts,
                               std::vector<RoamingClock::Terminal> roaming)
    : policy_(&policy),
      tracks_(tracks),
      contexts_(one_per_track(std::move(contexts), tracks.size())),
      roaming_(one_per_track(std::move(roaming), tracks.size())),
      delay_(policy.enforcement().delay, tracks.size()) {}

void TrackDecisions::start(time::Instant first) {
  const time::Duration lag = policy_->enforcement().delay;
  if (!(lag > time::Duration{})) return;
  const time::Instant before = first - lag;
  // The decision before the series is asked of a copy of the roaming clocks: that instant is not one the
  // user asked about, so a terminal's roaming (without `roaming_since`) still starts at `first`.
  RoamingClock probe = roaming_;
  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    delay_.prime(i, policy_->permits(track_request(tracks_[i], contexts_[i], before, probe, i)));
  }
}

TrackDecisions::Outcome TrackDecisions::decide(std::size_t i, time::Instant t) {
  Outcome o{track_request(tracks_[i], contexts_[i], t, roaming_, i), {}};
  o.decision = policy_->decide(o.request);
  if (delay_.apply_one(i, t, o.decision.permit) && !o.decision.permit) {
    o.decision.permit = true;
    o.decision.reason = "permitted until the denial takes effect (" +
                        time::format_duration(policy_->enforcement().delay) +
                        " after it began): " + o.decision.reason;
  }
  return o;
}

void TrackDecisions::permitted(time::Instant t, std::span<std::uint8_t> out) {
  if (out.size() != tracks_.size()) throw std::invalid_argument("TrackDecisions: one entry per track");
  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    const bool now = policy_->permits(track_request(tracks_[i], contexts_[i], t, roaming_, i));
    out[i] = delay_.apply_one(i, t, now) ? 1 : 0;
  }
}

}  // namespace skyfence::policy
