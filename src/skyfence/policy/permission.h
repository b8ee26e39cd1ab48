// Service permission of several providers over one list of points, step by step: the adapter from
// PointPolicy to a coverage engine's permission hook (coverage::CoverageOptions::permission has the
// signature of PermissionHook; policy does not depend on coverage, so the type is spelled out here).
// The CLI's `coverage` and the scenario runner both build one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "skyfence/policy/policy.h"
#include "skyfence/time/instant.h"

namespace skyfence::policy {

// Sets permitted[i] = 0 where `provider` may not serve point i at `at`; entries it does not govern are
// left as they are (the caller presets them to 1).
using PermissionHook =
    std::function<void(std::size_t provider, time::Instant at, std::span<std::uint8_t> permitted)>;

class ProviderPermissions {
 public:
  // `providers`: how many providers the hook is asked about (indices 0 .. providers - 1), each
  // unrestricted until add() gives it a policy.
  explicit ProviderPermissions(std::size_t providers);

  // Governs points [first, first + policy.size()) of `provider` by `policy`. A time-invariant policy is
  // evaluated once here and copied on every step (the same values, cheaper). REQUIRES: provider <
  // providers; the ranges given for one provider do not overlap. Cost: one PointPolicy evaluation.
  void add(std::size_t provider, std::size_t first, PointPolicy policy);

  // Whether no provider has a policy (then a coverage engine needs no hook).
  [[nodiscard]] bool empty() const { return policies_ == 0; }
  // Whether `provider`'s permission at `point` is the same at every time (true where unrestricted).
  [[nodiscard]] bool time_invariant(std::size_t provider, std::size_t point) const;

  // The step's permission of `provider` over all points (out.size() covers every range added).
  // Thread-safe (const, no state).
  void permitted(std::size_t provider, time::Instant at, std::span<std::uint8_t> out) const;

  // A hook calling permitted(). Keeps a pointer to this object, which must outlive it.
  [[nodiscard]] PermissionHook hook() const;

 private:
  struct Range {
    std::size_t first = 0;
    PointPolicy policy;
    std::vector<std::uint8_t> fixed;  // the values of a time-invariant policy; empty otherwise
  };
  std::vector<std::vector<Range>> ranges_;  // per provider
  std::size_t policies_ = 0;
};

}  // namespace skyfence::policy
