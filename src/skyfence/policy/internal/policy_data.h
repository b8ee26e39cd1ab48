// The loaded form of a policy, shared by its evaluators.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "skyfence/policy/internal/region_index.h"
#include "skyfence/policy/policy.h"

namespace skyfence::policy::internal {

struct PolicyData {
  std::string provider;  // lower case
  std::string source;
  std::string sha256;
  std::vector<Rule> rules;                                  // file order; providers and customers lower case
  RegionIndex index;                                        // every distinct region of every rule
  std::vector<std::vector<std::uint32_t>> regions_of_rule;  // region ids per rule
  // Rules with an `inside` region condition, per region id: the only rules a point outside every
  // region cannot match besides `always_candidates`.
  std::vector<std::vector<std::uint32_t>> inside_rules_of_region;
  std::vector<std::uint32_t> always_candidates;  // rules with no region, or with `outside`
  std::vector<earth::Region> regions;            // by region id, as in `index`
  // Per rule with several regions, their union (for decisions per service cell); nullopt otherwise.
  std::vector<std::optional<earth::Region>> union_of_rule;
  Enforcement enforcement;
};

// ASCII letters lowered.
std::string lower(std::string_view s);

}  // namespace skyfence::policy::internal
