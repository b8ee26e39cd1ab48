// The hash-chained audit log (docs/policy.md, "Audit log").
#include "skyfence/policy/audit.h"

#include <cmath>
#include <numbers>
#include <string>

#include <nlohmann/json.hpp>

#include "skyfence/core/units.h"
#include "skyfence/policy/internal/sha256.h"
#include "skyfence/time/scales.h"

namespace skyfence::policy {

namespace {

constexpr std::string_view kHashKey = ",\"hash\":\"";

std::string js(const std::string& s) {
  // Invalid UTF-8 (from a terminals file) is replaced rather than refused: the log must not fail.
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string num(double v) {
  return nlohmann::json(v).dump();
}

}  // namespace

std::string audit_record(const AuditEntry& e, AuditHead& head) {
  const RequestContext& c = e.request.context;
  std::string line = "{\"seq\":" + std::to_string(head.records + 1) + ",\"prev\":\"" + head.hash + "\"";
  line += ",\"time_utc\":" + js(time::format_iso8601(e.request.time, 3));
  line += ",\"provider\":" + js(c.provider) + ",\"terminal_id\":" + js(c.terminal_id) +
          ",\"customer\":" + js(c.customer) + ",\"group\":" + js(c.group);
  // Degrees rounded to 1e-9 (0.1 mm): the record shows what was decided, not binary noise.
  line += ",\"lat_deg\":" + num(std::round(e.request.location.lat_rad * kDegPerRad * 1e9) / 1e9);
  line += ",\"lon_deg\":" + num(std::round(e.request.location.lon_rad * kDegPerRad * 1e9) / 1e9);
  // The terminal's state, when the rules on it could see anything (a terminal at rest, not roaming,
  // writes the same record as before these fields existed). Rounded to 1e-6.
  if (e.request.speed_kmh != 0.0)
    line += ",\"speed_kmh\":" + num(std::round(e.request.speed_kmh * 1e6) / 1e6);
  if (e.request.roaming_days != 0.0) {
    line += ",\"roaming_days\":" + num(std::round(e.request.roaming_days * 1e6) / 1e6);
  }
  line += std::string(",\"decision\":\"") + (e.decision.permit ? "permit" : "deny") + "\",\"matched\":[";
  for (std::size_t i = 0; i < e.decision.matched.size(); ++i) {
    line += (i ? "," : "") + js(e.decision.matched[i]);
  }
  line += "],\"reason\":" + js(e.decision.reason) + ",\"policy_sha256\":" + js(e.policy_sha256);
  const std::string hash = internal::sha256_hex(line);
  line += std::string(kHashKey) + hash + "\"}";
  head.records += 1;
  head.hash = hash;
  return line;
}

AuditCheck verify_audit_log(std::string_view text) {
  AuditCheck out;
  out.head_hash = std::string(kAuditGenesis);
  std::size_t pos = 0;
  int line_no = 0;
  auto fail = [&](const std::string& why) {
    out.ok = false;
    out.problem_line = line_no;
    out.problem = why;
    return out;
  };
  while (pos < text.size()) {
    ++line_no;
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      if (pos >= text.size()) break;  // a final newline
      return fail("empty line: a record was removed or the file was edited");
    }
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
      return fail("not a JSON record: the record was altered or truncated");
    }
    if (!j.is_object() || !j.contains("hash") || !j["hash"].is_string() || !j.contains("prev") ||
        !j["prev"].is_string() || !j.contains("seq") || !j["seq"].is_number_unsigned()) {
      return fail("not an audit record (expected seq, prev and hash): the record was altered");
    }
    const std::string hash = j["hash"].get<std::string>();
    const std::size_t at = line.rfind(kHashKey);
    if (at == std::string_view::npos || line.substr(at) != std::string(kHashKey) + hash + "\"}" ||
        internal::sha256_hex(line.substr(0, at)) != hash) {
      return fail("hash does not match the record's content: this record was altered");
    }
    const auto seq = j["seq"].get<std::uint64_t>();
    if (seq != out.records + 1) {
      return fail("seq is " + std::to_string(seq) + ", expected " + std::to_string(out.records + 1) +
                  ": a record before this one was removed, or records were reordered");
    }
    if (j["prev"].get<std::string>() != out.head_hash) {
      return fail(
          "prev is not the hash of the record before: the records before this one were altered, "
          "removed or reordered");
    }
    out.records += 1;
    out.head_hash = hash;
  }
  return out;
}

}  // namespace skyfence::policy
