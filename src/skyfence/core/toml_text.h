// Words for TOML values in the messages of the layers that read TOML files (policy, scenario).
// Header-only: include it only where toml++ (Debian libtomlplusplus-dev) is linked; core itself does
// not use toml++.
#pragma once

#include <cstdlib>
#include <string>

#include <toml++/toml.h>

namespace skyfence {

// "a string", "an integer", ... for "expected X, found <this>".
inline std::string toml_type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

// A TOML offset date-time as ISO-8601 text with every digit kept (nanoseconds, offset):
// "2026-01-01T00:00:00.000000000+00:00", for time::parse_iso8601. REQUIRES: v.offset is set.
inline std::string toml_iso8601(const toml::date_time& v) {
  std::string o;
  auto pad = [&o](int width, long value) {
    const std::string digits = std::to_string(value);
    if (static_cast<int>(digits.size()) < width)
      o.append(static_cast<std::size_t>(width) - digits.size(), '0');
    o += digits;
  };
  pad(4, v.date.year);
  o += '-';
  pad(2, v.date.month);
  o += '-';
  pad(2, v.date.day);
  o += 'T';
  pad(2, v.time.hour);
  o += ':';
  pad(2, v.time.minute);
  o += ':';
  pad(2, v.time.second);
  o += '.';
  pad(9, v.time.nanosecond);
  const int off = v.offset->minutes;
  o += off < 0 ? '-' : '+';
  pad(2, std::abs(off) / 60);
  o += ':';
  pad(2, std::abs(off) % 60);
  return o;
}

}  // namespace skyfence
