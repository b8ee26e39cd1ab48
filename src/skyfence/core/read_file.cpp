#include "skyfence/core/read_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "skyfence/core/error.h"

namespace skyfence {

std::string read_file(const std::string& path, std::string_view what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(SourceLocation{path, 0, {}},
                     "cannot read the " + std::string(what) + ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, {}}, "cannot read the " + std::string(what));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw InputError(SourceLocation{path, 0, {}}, "cannot read the " + std::string(what) + ": read error");
  return text.str();
}

}  // namespace skyfence
