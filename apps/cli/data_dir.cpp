#include "data_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace skyfence::cli {

std::string data_dir() {
  const char* env = std::getenv("SKYFENCE_DATA");
  if (env != nullptr && *env != '\0') return env;
  // An installed skyfence (`cmake --install`): PREFIX/share/skyfence/data beside PREFIX/bin/skyfence. The
  // built one (build/skyfence) has no such folder beside it and reads the checkout's data/.
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path installed = (exe.parent_path() / SKYFENCE_DATA_FROM_BIN).lexically_normal();
    if (std::filesystem::is_regular_file(installed / "scenarios" / "default.toml", ec))
      return installed.string();
  }
  return SKYFENCE_DATA_DIR;
}

}  // namespace skyfence::cli
