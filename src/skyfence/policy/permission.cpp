// Service permission for coverage engines; see permission.h.
#include "skyfence/policy/permission.h"

#include <algorithm>
#include <utility>

namespace skyfence::policy {

ProviderPermissions::ProviderPermissions(std::size_t providers) : ranges_(providers) {}

void ProviderPermissions::add(std::size_t provider, std::size_t first, PointPolicy policy) {
  Range r{first, std::move(policy), {}};
  if (r.policy.time_invariant()) {
    r.fixed.assign(r.policy.size(), 1);
    r.policy.permitted(time::Instant(), r.fixed);
  }
  ranges_.at(provider).push_back(std::move(r));
  ++policies_;
}

bool ProviderPermissions::time_invariant(std::size_t provider, std::size_t point) const {
  for (const Range& r : ranges_.at(provider)) {
    if (point >= r.first && point < r.first + r.policy.size()) return r.policy.time_invariant();
  }
  return true;
}

void ProviderPermissions::permitted(std::size_t provider, time::Instant at,
                                    std::span<std::uint8_t> out) const {
  for (const Range& r : ranges_.at(provider)) {
    const std::span<std::uint8_t> part = out.subspan(r.first, r.policy.size());
    if (!r.fixed.empty()) {
      std::copy(r.fixed.begin(), r.fixed.end(), part.begin());
    } else {
      r.policy.permitted(at, part);
    }
  }
}

PermissionHook ProviderPermissions::hook() const {
  return [this](std::size_t provider, time::Instant at, std::span<std::uint8_t> out) {
    permitted(provider, at, out);
  };
}

}  // namespace skyfence::policy
