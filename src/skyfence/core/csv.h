// One CSV field as RFC 4180 writes it: quoted (with quotes doubled) when it holds a comma, a quote or a
// line break, else unchanged. Header-only; the one quoting rule of every CSV the project writes.
#pragma once

#include <string>
#include <string_view>

namespace skyfence {

[[nodiscard]] inline std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace skyfence
