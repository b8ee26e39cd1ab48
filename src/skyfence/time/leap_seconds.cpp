#include "skyfence/time/leap_seconds.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "skyfence/core/error.h"
#include "skyfence/time/internal/civil.h"

namespace skyfence::time {

namespace {

// NTP timestamps count seconds since 1900-01-01T00:00:00; 2000-01-01 is 3155673600 of them.
constexpr std::int64_t kNtpAt2000 = 3'155'673'600;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Reads the leading integer of `s` (after blanks) and advances past it; false when there is none.
bool take_int(std::string_view& s, std::int64_t& out) {
  s = trim(s);
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  if (ec != std::errc() || p == s.data()) return false;
  s.remove_prefix(static_cast<std::size_t>(p - s.data()));
  return true;
}

}  // namespace

LeapSecondTable LeapSecondTable::parse(std::string_view text, std::string_view source) {
  LeapSecondTable table;
  bool have_expiry = false;
  int line_no = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    line = trim(line);
    if (line.empty()) continue;
    const SourceLocation where{std::string(source), line_no, {}};
    if (line.starts_with("#@")) {
      std::string_view rest = line.substr(2);
      std::int64_t ntp = 0;
      if (!take_int(rest, ntp)) {
        throw InputError({where.file, line_no, "expiry (#@)"},
                         "expected NTP seconds, got \"" + std::string(line) + "\"");
      }
      table.expires_ = Instant::from_tai_ns((ntp - kNtpAt2000) * internal::kNsPerSecond);
      have_expiry = true;
      continue;
    }
    if (line.front() == '#') continue;
    std::string_view rest = line;
    std::int64_t ntp = 0;
    std::int64_t offset = 0;
    if (!take_int(rest, ntp) || !take_int(rest, offset)) {
      throw InputError({where.file, line_no, "entry"},
                       "expected \"<NTP seconds> <TAI-UTC seconds>\", got \"" + std::string(line) + "\"");
    }
    const std::int64_t utc = ntp - kNtpAt2000;
    if (!table.entries_.empty() && utc <= table.entries_.back().utc_seconds_since_2000) {
      throw InputError({where.file, line_no, "entry"}, "expected dates in increasing order");
    }
    if (internal::floor_mod(utc, internal::kSecondsPerDay) != 0) {
      throw InputError({where.file, line_no, "entry"}, "expected a UTC midnight");
    }
    table.entries_.push_back({utc, static_cast<int>(offset)});
  }
  if (table.entries_.empty()) {
    throw InputError({std::string(source), 0, {}}, "expected at least one leap-second entry");
  }
  if (!have_expiry) {
    throw InputError({std::string(source), 0, "expiry (#@)"}, "expected an expiry line \"#@ <NTP seconds>\"");
  }
  // The expiry was read as if UTC were TAI; shift it by the last offset to make it a true instant.
  table.expires_ =
      table.expires_ + Duration::nanoseconds(table.entries_.back().tai_minus_utc_s * internal::kNsPerSecond);
  return table;
}

int LeapSecondTable::tai_minus_utc_at_utc(std::int64_t utc_seconds_since_2000) const {
  // Last entry starting at or before the given time.
  auto it = std::upper_bound(entries_.begin(), entries_.end(), utc_seconds_since_2000,
                             [](std::int64_t t, const Entry& e) { return t < e.utc_seconds_since_2000; });
  if (it == entries_.begin()) return entries_.front().tai_minus_utc_s;
  return std::prev(it)->tai_minus_utc_s;
}

int LeapSecondTable::tai_minus_utc(Instant t) const {
  const std::int64_t tai_s = internal::floor_div(t.tai_ns(), internal::kNsPerSecond);
  // Entry i is in force from TAI second (start_i + offset_i); the leap second itself (the second
  // before that) still carries the old offset.
  int offset = entries_.front().tai_minus_utc_s;
  for (const Entry& e : entries_) {
    if (tai_s >= e.utc_seconds_since_2000 + e.tai_minus_utc_s) {
      offset = e.tai_minus_utc_s;
    } else {
      break;
    }
  }
  return offset;
}

}  // namespace skyfence::time
