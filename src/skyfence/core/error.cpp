#include "skyfence/core/error.h"

namespace skyfence {

std::string SourceLocation::prefix() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) out += ":" + std::to_string(line);
    out += ": ";
  } else if (line > 0) {
    out += "line " + std::to_string(line) + ": ";
  }
  if (!field.empty()) out += field + ": ";
  return out;
}

}  // namespace skyfence
