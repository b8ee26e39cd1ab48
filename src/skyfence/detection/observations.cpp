#include "skyfence/detection/observations.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "skyfence/core/error.h"
#include "skyfence/core/read_file.h"
#include "skyfence/earth/csv_records.h"
#include "skyfence/time/scales.h"

namespace skyfence::detection {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::string_view trimmed(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

struct Columns {
  std::size_t time = kNone, norad = kNone, terminal = kNone;
};

Columns read_header(const earth::CsvRecord& header, const std::string& source) {
  const auto where = [&](const std::string& field) { return SourceLocation{source, header.line, field}; };
  if (!header.error.empty()) throw InputError(where("header"), header.error);
  Columns c;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string_view name = trimmed(header.fields[i]);
    std::size_t* slot = name == "time_utc"      ? &c.time
                        : name == "norad_id"    ? &c.norad
                        : name == "terminal_id" ? &c.terminal
                                                : nullptr;
    if (slot == nullptr) {
      throw InputError(where("header"), "unknown column \"" + std::string(name) +
                                            "\": expected time_utc, norad_id and optionally terminal_id");
    }
    if (*slot != kNone)
      throw InputError(where("header"), "column \"" + std::string(name) + "\" appears twice");
    *slot = i;
  }
  if (c.time == kNone || c.norad == kNone) {
    throw InputError(where("header"),
                     "expected the columns time_utc and norad_id (and optionally terminal_id)");
  }
  return c;
}

std::optional<std::uint32_t> parse_norad(std::string_view s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 1 || v > 999'999'999) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

}  // namespace

std::vector<ObservedTerminal> parse_observations(std::string_view text, const std::string& source) {
  earth::CsvSplitter splitter(text);
  earth::CsvRecord rec;
  bool have_header = false;
  while (!have_header && splitter.next(rec)) have_header = !rec.blank;
  if (!have_header)
    throw InputError(SourceLocation{source, 0, {}}, "expected a header line, found an empty file");
  const Columns cols = read_header(rec, source);
  const std::size_t width = std::max({cols.time, cols.norad, cols.terminal == kNone ? 0 : cols.terminal}) + 1;

  std::vector<ObservedTerminal> out;
  std::map<std::string, std::size_t> index;
  std::vector<InputError> problems;
  while (splitter.next(rec)) {
    if (rec.blank) continue;
    const auto where = [&](const std::string& field) { return SourceLocation{source, rec.line, field}; };
    if (!rec.error.empty()) {
      problems.emplace_back(where("field " + std::to_string(rec.error_field + 1)), rec.error);
      continue;
    }
    if (rec.fields.size() < width) {
      problems.emplace_back(where({}), "expected " + std::to_string(width) +
                                           " fields as the header has, found " +
                                           std::to_string(rec.fields.size()));
      continue;
    }
    Observation o;
    o.line = rec.line;
    try {
      o.at = time::parse_iso8601(trimmed(rec.fields[cols.time]), "time_utc");
    } catch (const InputError& e) {
      problems.emplace_back(where("time_utc"), e.detail());
      continue;
    }
    const std::string_view norad = trimmed(rec.fields[cols.norad]);
    const std::optional<std::uint32_t> id = parse_norad(norad);
    if (!id) {
      problems.emplace_back(where("norad_id"), "expected a catalog number from 1 to 999999999, found \"" +
                                                   std::string(norad) + "\"");
      continue;
    }
    o.norad_id = *id;
    std::string terminal = "terminal";
    if (cols.terminal != kNone) {
      terminal = std::string(trimmed(rec.fields[cols.terminal]));
      if (terminal.empty()) {
        problems.emplace_back(where("terminal_id"), "expected a terminal id, found an empty value");
        continue;
      }
    }
    const auto [it, added] = index.emplace(terminal, out.size());
    if (added) out.push_back({terminal, {}});
    out[it->second].observations.push_back(o);
  }
  if (!problems.empty()) {
    const std::string message = problems.size() == 1
                                    ? std::string(problems.front().what())
                                    : std::to_string(problems.size()) + " problems in " + source;
    throw InputErrors(message, std::move(problems));
  }
  if (out.empty())
    throw InputError(SourceLocation{source, 0, {}}, "expected at least one observation, found none");
  for (ObservedTerminal& t : out) {
    std::stable_sort(t.observations.begin(), t.observations.end(),
                     [](const Observation& a, const Observation& b) { return a.at < b.at; });
  }
  return out;
}

std::vector<ObservedTerminal> read_observations(const std::string& path) {
  return parse_observations(read_file(path, "observations file"), path);
}

}  // namespace skyfence::detection
