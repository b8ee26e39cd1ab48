// The marks skyfence leaves in the folders it writes (a results folder's manifest, a viewer's data file):
// a JSON object whose "format" names what wrote it.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace skyfence::report::internal {

// Whether `file` holds a JSON object with "format": `format`. Never throws.
inline bool has_format_mark(const std::filesystem::path& file, const std::string& format) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return false;
  const auto f = j.find("format");
  return f != j.end() && f->is_string() && f->get<std::string>() == format;
}

}  // namespace skyfence::report::internal
