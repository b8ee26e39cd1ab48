#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace skyfence::cli {

// Registers `skyfence policy validate`, `skyfence check` and `skyfence audit verify`; `run` is set to
// the function that executes the chosen one after parsing.
void add_policy_commands(CLI::App& app, std::function<int()>& run);

}  // namespace skyfence::cli
