// What enforcement needs of a terminal's history: the delay before a new denial takes effect, and
// the days a terminal has spent outside the country where it was activated. Both are state carried
// along a series of decisions in time order (docs/enforcement.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "skyfence/earth/region.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/frames/frames.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/instant.h"

namespace skyfence::policy {

// Applies an enforcement delay to the decisions of n subjects (terminals or cells) over increasing
// times: a subject whose decision turns from permit to deny stays permitted until the deny has held
// for `delay` (it takes effect at t0 + delay when it started at t0); a deny that turns into a permit
// takes effect at once, and a permit in between restarts the clock. Before the first call every
// decision is taken to have held forever, so denials in force when the series starts are in effect
// at once. With a zero delay the decisions pass unchanged.
class EnforcementDelay {
 public:
  EnforcementDelay(time::Duration delay, std::size_t n);
  // Rewrites the instantaneous decisions `permitted` (1 permit, 0 deny) at `t` into the enforced
  // ones. REQUIRES: permitted.size() == n; t after the previous call's (else std::invalid_argument).
  void apply(time::Instant t, std::span<std::uint8_t> permitted);
  // The same for subject i alone, with its own clock: times must increase per subject.
  bool apply_one(std::size_t i, time::Instant t, bool permitted);
  // The decision in force for subject i before its series starts (instead of "held forever"): with
  // `permitted_before`, a denial at its first instant starts the clock there. Callers that can evaluate
  // the decision at (first instant - delay) pass it here. REQUIRES: before the subject's first apply.
  void prime(std::size_t i, bool permitted_before);
  // Whether subject i is permitted now only because its denial has not yet taken effect.
  [[nodiscard]] bool pending(std::size_t i) const { return state_[i] == State::pending; }

 private:
  enum class State : std::uint8_t { unseen, permitted, pending, denied };
  time::Duration delay_;
  std::vector<State> state_;
  std::vector<time::Instant> since_;  // when a pending denial started
  std::vector<time::Instant> last_;
  std::vector<std::uint8_t> primed_;  // primed and not yet applied
};

// Days outside the activation country, per terminal, along increasing times. A terminal is roaming
// while its position is outside its activation country; its roaming days at t are the days since it
// was last seen inside, or, when it has not been seen inside yet, since `roaming_since` (when given)
// or since the first time it was asked about. A terminal without an activation country never roams.
class RoamingClock {
 public:
  struct Terminal {
    std::optional<earth::Region> activation_country;  // none: never roaming
    std::optional<time::Instant> roaming_since;       // when it left, if known
  };
  explicit RoamingClock(std::vector<Terminal> terminals);
  // Roaming days of terminal i at `t`, at `position`: 0 inside its activation country. REQUIRES: times
  // increase per terminal (else std::invalid_argument).
  double days(std::size_t i, time::Instant t, const frames::Geodetic& position);

 private:
  std::vector<Terminal> terminals_;
  std::vector<std::optional<time::Instant>> outside_since_;
  std::vector<std::optional<time::Instant>> last_;
};

// The request of terminal i (`track`, asking with `context`) at t: where it is, its ground speed, and
// its roaming days from `roaming` (which advances: times must not decrease per terminal).
Request track_request(const earth::Track& track, RequestContext context, time::Instant t,
                      RoamingClock& roaming, std::size_t i);

// The decisions of one policy for terminals along their tracks over a series of increasing instants,
// the one way `check`, coverage and capacity of moving terminals, the leakage sweep and the scenario
// decide them: terminal i asks as contexts[i] where it is at t, with its ground speed there and its
// roaming days (RoamingClock), and the policy's enforcement delay applies step by step
// (EnforcementDelay). The policy and the tracks must outlive this object.
class TrackDecisions {
 public:
  // REQUIRES: contexts.size() == roaming.size() == tracks.size() (else std::invalid_argument).
  TrackDecisions(const Policy& policy, std::span<const earth::Track> tracks,
                 std::vector<RequestContext> contexts, std::vector<RoamingClock::Terminal> roaming);

  // Begins a series at `first`: the decision in force before it is the one at first - delay (with a
  // delay > 0), so a denial that began less than the delay before `first` is not yet in effect. Without
  // this call (a single instant, no history), denials in force are taken to have held forever.
  // REQUIRES: before any decision.
  void start(time::Instant first);

  struct Outcome {
    Request request;    // where terminal i is at t, its speed and roaming days
    Decision decision;  // enforced: a denial not yet in effect is a permit whose reason says so
  };
  // Terminal i at t. REQUIRES: times increase per terminal.
  Outcome decide(std::size_t i, time::Instant t);
  // Every terminal's enforced decision at t (1 permit, 0 deny), as decide's without the reasons.
  // REQUIRES: out.size() == tracks.size(); times increase.
  void permitted(time::Instant t, std::span<std::uint8_t> out);

  [[nodiscard]] std::size_t size() const { return tracks_.size(); }

 private:
  const Policy* policy_;
  std::span<const earth::Track> tracks_;
  std::vector<RequestContext> contexts_;
  RoamingClock roaming_;
  EnforcementDelay delay_;
};

}  // namespace skyfence::policy
