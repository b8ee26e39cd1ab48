// Reading a whole file into memory, with the error model's located messages.
#pragma once

#include <string>
#include <string_view>

namespace skyfence {

// The bytes of the file at `path`. Throws InputError located at the file ("cannot read the WHAT")
// when it cannot be opened, is a directory, or a read fails; `what` names the file's role, e.g. "policy
// file".
std::string read_file(const std::string& path, std::string_view what = "file");

}  // namespace skyfence
