// Where the bundled data (catalogs, constellation shells) are read from.
#pragma once

#include <string>

namespace skyfence::cli {

// The data directory: the environment variable SKYFENCE_DATA when it is set and not empty, else, for a
// skyfence installed by `cmake --install`, PREFIX/share/skyfence/data beside PREFIX/bin (when it holds
// scenarios/default.toml), else the directory the build was configured with (SKYFENCE_DATA_DIR, the
// repository's data/).
std::string data_dir();

}  // namespace skyfence::cli
