#include "data_dir.h"

#include <cstdlib>

namespace skyfence::cli {

std::string data_dir() {
  const char* env = std::getenv("SKYFENCE_DATA");
  if (env != nullptr && *env != '\0') return env;
  return SKYFENCE_DATA_DIR;
}

}  // namespace skyfence::cli
