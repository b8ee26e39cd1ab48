// SHA-256 against FIPS 180-4's examples, and the audit log's chain: every alteration, removal and
// reordering is found at the right line.
#include "skyfence/policy/audit.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "skyfence/policy/internal/sha256.h"
#include "skyfence/time/scales.h"

namespace skyfence::policy {
namespace {

TEST(Sha256Test, Fips180Examples) {
  EXPECT_EQ(internal::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(internal::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(internal::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(internal::sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

std::vector<std::string> make_log(int n) {
  AuditHead head;
  std::vector<std::string> lines;
  for (int i = 0; i < n; ++i) {
    AuditEntry e;
    e.request.context = {"starlink", "civil", "T" + std::to_string(i), ""};
    e.request.location = frames::Geodetic::degrees(50.0 + i, 30.0);
    e.request.time = time::parse_iso8601("2026-04-27T12:00:00Z");
    e.decision.permit = i % 2 == 0;
    e.decision.matched = {"everywhere"};
    e.decision.reason = "reason \"" + std::to_string(i) + "\"";
    e.policy_sha256 = internal::sha256_hex("policy");
    lines.push_back(audit_record(e, head));
  }
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

TEST(AuditTest, GoodLogVerifies) {
  const auto lines = make_log(5);
  const AuditCheck c = verify_audit_log(join(lines));
  EXPECT_TRUE(c.ok) << c.problem;
  EXPECT_EQ(c.records, 5u);
  EXPECT_EQ(verify_audit_log("").records, 0u);
  EXPECT_TRUE(verify_audit_log("").ok);
  EXPECT_NE(lines[0].find("\"seq\":1,\"prev\":\"0000"), std::string::npos);
  EXPECT_NE(lines[0].find("\"lat_deg\":50.0,"), std::string::npos) << lines[0];
}

TEST(AuditTest, AlteredRecordIsFound) {
  auto lines = make_log(5);
  const auto at = lines[2].find("\"decision\":\"permit\"");
  ASSERT_NE(at, std::string::npos);
  lines[2].replace(at, 19, "\"decision\":\"deny\"");
  const AuditCheck c = verify_audit_log(join(lines));
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.problem_line, 3);
  EXPECT_EQ(c.records, 2u);
  EXPECT_NE(c.problem.find("altered"), std::string::npos);
}

TEST(AuditTest, RemovedRecordIsFound) {
  auto lines = make_log(5);
  lines.erase(lines.begin() + 1);
  const AuditCheck c = verify_audit_log(join(lines));
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.problem_line, 2);
  EXPECT_NE(c.problem.find("removed"), std::string::npos);
}

TEST(AuditTest, ReorderedRecordsAreFound) {
  auto lines = make_log(5);
  std::swap(lines[3], lines[4]);
  const AuditCheck c = verify_audit_log(join(lines));
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.problem_line, 4);
}

TEST(AuditTest, ForgedChainWithRecomputedHashIsFound) {
  // Changing a record and recomputing its own hash still breaks the next record's prev.
  auto lines = make_log(3);
  std::string body = lines[1].substr(0, lines[1].rfind(",\"hash\":\""));
  body.replace(body.find("T1"), 2, "T9");
  lines[1] = body + ",\"hash\":\"" + internal::sha256_hex(body) + "\"}";
  const AuditCheck c = verify_audit_log(join(lines));
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.problem_line, 3);
  EXPECT_NE(c.problem.find("prev"), std::string::npos);
}

TEST(AuditTest, GarbageIsAProblemNotACrash) {
  for (const char* text :
       {"{", "[]\n", "{\"seq\":1}\n", "\xff\xfe\n", "\n\n{}\n", "{\"seq\":-1,\"prev\":\"\",\"hash\":\"\"}"}) {
    const AuditCheck c = verify_audit_log(text);
    EXPECT_FALSE(c.ok) << text;
    EXPECT_EQ(c.problem_line, 1) << text;
  }
}

}  // namespace
}  // namespace skyfence::policy
