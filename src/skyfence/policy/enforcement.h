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

}  // namespace skyfence::policy
