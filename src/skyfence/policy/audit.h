// The audit log: every decision as one JSON line, each record carrying the hash of the one before,
// so that an altered, removed or reordered record breaks the chain (docs/policy.md, "Audit log").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/policy/policy.h"

namespace skyfence::policy {

// The `prev` of the first record: 64 zeros.
inline constexpr std::string_view kAuditGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

// What one record says about one decision.
struct AuditEntry {
  Request request;
  Decision decision;
  std::string policy_sha256;
};

// The state of a log's tail, needed to append: the count of records and the last record's hash.
struct AuditHead {
  std::size_t records = 0;
  std::string hash = std::string(kAuditGenesis);
};

// One record line (without the newline) following `head`: the JSON object
// {"seq":N,"prev":"...","time_utc":"...","provider":"...","terminal_id":"...","customer":"...",
//  "group":"...","lat_deg":...,"lon_deg":...,"decision":"permit"|"deny","matched":[...],
//  "reason":"...","policy_sha256":"...","hash":"..."} where hash is the hex SHA-256 of the line's
// text before `,"hash":` (which begins with `{"seq":`). Advances `head`.
std::string audit_record(const AuditEntry& entry, AuditHead& head);

// The result of checking a log.
struct AuditCheck {
  bool ok = true;
  std::size_t records = 0;          // records read before the first problem (all when ok)
  std::string head_hash;            // the last good record's hash (genesis when none)
  std::optional<int> problem_line;  // 1-based line of the first bad record
  std::string problem;              // what is wrong there
};

// Checks every record of a log's text: well-formed, seq counting from 1, prev equal to the hash of
// the record before, hash equal to the recomputed one. Stops at the first problem. An empty text is
// a good empty log. Removing the last records cannot be seen from the log alone: compare the count
// and head hash with a copy kept elsewhere.
AuditCheck verify_audit_log(std::string_view text);

}  // namespace skyfence::policy
