#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace skyfence::cli {

// Registers `skyfence enforcement`; `run` is set to the function that executes it after parsing.
void add_enforcement_command(CLI::App& app, std::function<int()>& run);

}  // namespace skyfence::cli
