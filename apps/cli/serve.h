#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace skyfence::cli {

// Registers `skyfence serve`; `run` is set to the function that executes it after parsing.
void add_serve_command(CLI::App& app, std::function<int()>& run);

}  // namespace skyfence::cli
