// skyfence view: (re)writes the globe viewer of a results folder.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace skyfence::cli {

// Registers `skyfence view`; `run` is set to the function that executes it after parsing.
void add_view_command(CLI::App& app, std::function<int()>& run);

// The folder holding the viewer's page (viewer/) and its npm packages (node_modules/): the environment
// variable SKYFENCE_WEB when it is set and not empty, else, for a skyfence installed by `cmake --install`,
// PREFIX/share/skyfence/web beside PREFIX/bin (when it holds viewer/index.html), else the source tree's
// web/ (SKYFENCE_WEB_DIR).
std::string web_dir();

}  // namespace skyfence::cli
