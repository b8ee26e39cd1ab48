#include "skyfence/report/reliance.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace skyfence::report {

RelianceAccumulator::RelianceAccumulator(std::vector<std::string> providers)
    : providers_(std::move(providers)), served_(providers_.size(), 0.0), sole_(providers_.size(), 0.0) {
  if (providers_.size() > 64) throw std::invalid_argument("reliance: at most 64 providers");
  for (std::size_t i = 0; i < providers_.size(); ++i) {
    if (providers_[i] == kAnyProvider) throw std::invalid_argument("reliance: \"any\" is not a provider");
    for (std::size_t j = 0; j < i; ++j) {
      if (providers_[i] == providers_[j]) {
        throw std::invalid_argument("reliance: provider \"" + providers_[i] + "\" given twice");
      }
    }
  }
}

void RelianceAccumulator::add(double weight, std::uint64_t baseline_served, std::uint64_t variant_served) {
  if (!std::isfinite(weight) || weight < 0.0) {
    throw std::invalid_argument("reliance: weight must be finite and >= 0");
  }
  const std::uint64_t valid =
      providers_.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << providers_.size()) - 1;
  if ((baseline_served & ~valid) != 0 || (variant_served & ~valid) != 0) {
    throw std::invalid_argument("reliance: served mask names a provider beyond the list");
  }
  total_ += weight;
  const int n = std::popcount(variant_served);
  if (n >= 1) any_ += weight;
  if (n == 1) single_ += weight;
  for (std::size_t k = 0; k < providers_.size(); ++k) {
    if ((variant_served >> k) & 1u) {
      served_[k] += weight;
      if (n == 1) sole_[k] += weight;
    }
  }
  if ((baseline_served & ~variant_served) != 0) {
    lost_ += weight;
    if (variant_served != 0) lost_recovered_ += weight;
  }
  if (baseline_served != 0 && variant_served == 0) net_lost_ += weight;
}

Reliance RelianceAccumulator::result(std::string scope, std::string scope_id, std::string variant) const {
  Reliance r;
  r.scope = std::move(scope);
  r.scope_id = std::move(scope_id);
  r.variant = std::move(variant);
  // A part's sum can round above the whole's by an ulp: clamped to [0, 1].
  const auto share = [&](double x) { return total_ > 0.0 ? std::min(1.0, x / total_) : 0.0; };
  for (std::size_t k = 0; k < providers_.size(); ++k) {
    r.providers.push_back(ProviderReliance{providers_[k], share(served_[k]), share(sole_[k])});
  }
  r.served_share_any = share(any_);
  r.single_provider_share = share(single_);
  r.lost_share = share(lost_);
  r.recovered_share = lost_ > 0.0 ? std::min(1.0, lost_recovered_ / lost_) : 0.0;
  r.net_loss_share = share(net_lost_);
  return r;
}

}  // namespace skyfence::report
