// GeoJSON text; see geojson_text.h.
#include "skyfence/earth/internal/geojson_text.h"

#include "skyfence/core/error.h"
#include "skyfence/earth/internal/site_fields.h"

namespace skyfence::earth::internal {

namespace {

struct Scan {
  std::vector<int> feature_lines;  // line of each element of the root object's "features" array
  int root_line = 0;               // line of the root '{'
  int max_depth = 0;
  int deepest_line = 0;
};

Scan scan(std::string_view text) {
  Scan s;
  int line = 1;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  std::string root_string;  // the last string seen directly in the root object
  std::string pending_key;  // the root key whose value comes next
  int features_depth = 0;   // depth inside the features array, 0 when not in it
  bool features_done = false;
  bool expect_item = false;
  for (char c : text) {
    if (c == '\n') ++line;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
        continue;
      }
      if (depth == 1) root_string += c;
      continue;
    }
    if (expect_item && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      if (c != ']') s.feature_lines.push_back(line);
      expect_item = false;
    }
    switch (c) {
      case '"':
        in_string = true;
        if (depth == 1) root_string.clear();
        break;
      case ':':
        if (depth == 1) pending_key = root_string;
        break;
      case '[':
      case '{':
        if (depth == 0 && c == '{') s.root_line = line;
        if (depth == 1 && c == '[' && pending_key == "features" && !features_done) {
          features_depth = 2;
          expect_item = true;
        }
        ++depth;
        if (depth > s.max_depth) {
          s.max_depth = depth;
          s.deepest_line = line;
        }
        break;
      case ']':
      case '}':
        if (depth == features_depth) {
          features_depth = 0;
          features_done = true;
        }
        --depth;
        break;
      case ',':
        if (depth == 1) pending_key.clear();
        if (features_depth != 0 && depth == features_depth) expect_item = true;
        break;
      default:
        break;
    }
  }
  return s;
}

[[noreturn]] void file_error(std::string_view source, int line, const std::string& message) {
  throw InputError(SourceLocation{std::string(source), line, ""}, message);
}

int line_of(std::string_view text, std::size_t byte) {
  int line = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
  }
  return line;
}

// nlohmann's message without its "[json.exception...] " prefix.
std::string json_message(const nlohmann::json::exception& e) {
  std::string what = e.what();
  if (const std::size_t close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
  return what;
}

}  // namespace

std::string describe(const Json& v) {
  if (v.is_string()) return quote(v.get_ref<const std::string&>());
  if (v.is_number() || v.is_boolean() || v.is_null()) return v.dump();
  return v.is_array() ? "an array" : "an object";
}

GeoJsonText parse_geojson_text(std::string_view text, std::string_view source, std::string_view what) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    file_error(source, 0, "expected " + std::string(what) + ", found an empty file");
  }
  const Scan positions = scan(text);
  if (positions.max_depth > kMaxJsonDepth) {
    file_error(source, positions.deepest_line,
               "expected JSON nested at most " + std::to_string(kMaxJsonDepth) +
                   " levels deep, found deeper nesting");
  }
  GeoJsonText out;
  try {
    out.doc = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    file_error(source, line_of(text, e.byte > 0 ? e.byte - 1 : 0),
               "expected JSON, found a syntax error: " + json_message(e));
  } catch (const Json::exception& e) {
    // Out-of-range numbers (1e400) and the like: nlohmann gives no position for them.
    file_error(source, 0, "expected JSON, found: " + json_message(e));
  }
  out.root_line = positions.root_line;
  if (out.doc.is_object()) {
    const auto features = out.doc.find("features");
    if (features != out.doc.end() && features->is_array() &&
        positions.feature_lines.size() == features->size()) {
      out.feature_lines = positions.feature_lines;
    }
  }
  return out;
}

}  // namespace skyfence::earth::internal
