// Invariant checks shared by the fuzz targets: a broken invariant prints what was expected and
// aborts, which libFuzzer (and the corpus replay under ctest) reports as a crash with this input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#include "skyfence/core/error.h"

namespace skyfence::fuzz {

inline void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

// An InputError must say what was wrong.
inline void check_message(const InputError& e) {
  check(!std::string_view(e.what()).empty(), "an InputError has a message");
}

}  // namespace skyfence::fuzz
