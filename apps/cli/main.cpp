// skyfence: satellite-internet service from LEO constellations and their operators' policies.
// The command is thin: it parses arguments, calls the library, prints results and maps errors
// to exit codes (0 ok, 1 runtime failure, 2 bad usage or input, 130 interrupted).
#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <functional>
#include <stdexcept>

#include "capacity.h"
#include "common.h"
#include "constellations.h"
#include "coverage.h"
#include "enforcement.h"
#include "locate.h"
#include "passes.h"
#include "policy.h"
#include "propagate.h"
#include "route.h"
#include "run.h"
#include "serve.h"
#include "skyfence/core/error.h"
#include "skyfence/time/leap_seconds.h"
#include "skyfence/time/scales.h"
#include "view.h"
#include "visible.h"

namespace {

int run_main(int argc, char** argv) {
  using namespace skyfence::cli;
  CLI::App app{
      "skyfence: simulate satellite-internet service from LEO constellations (Starlink, OneWeb,\n"
      "Kuiper, Iridium...) with real orbits. Run `skyfence COMMAND --help` for a command's options."};
  app.set_version_flag("--version", std::string("skyfence ") + SKYFENCE_VERSION);
  app.require_subcommand(1);
  std::function<int()> run;
  add_propagate_command(app, run);
  add_passes_command(app, run);
  add_visible_command(app, run);
  add_constellations_command(app, run);
  add_policy_commands(app, run);
  add_route_command(app, run);
  add_coverage_command(app, run);
  add_capacity_command(app, run);
  add_locate_command(app, run);
  add_enforcement_command(app, run);
  add_run_command(app, run);
  add_serve_command(app, run);
  add_view_command(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e) == 0 ? kExitOk : kExitInput;
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e) == 0 ? kExitOk : kExitInput;
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e) == 0 ? kExitOk : kExitInput;
  } catch (const CLI::ParseError& e) {
    // Usage errors speak as every other error does.
    fmt::print(stderr, "skyfence: error: {}\n", e.what());
    fmt::print(stderr, "Run `skyfence --help` or `skyfence COMMAND --help` for the options.\n");
    return kExitInput;
  }
  try {
    return run();
  } catch (const skyfence::InputErrors& e) {
    report_input_errors(e);
    return kExitInput;
  } catch (const skyfence::InputError& e) {
    fmt::print(stderr, "skyfence: error: {}\n", e.what());
    return kExitInput;
  } catch (const skyfence::Cancelled&) {
    fmt::print(stderr, "skyfence: interrupted; no output was written\n");
    return kExitInterrupted;
  } catch (const std::invalid_argument& e) {
    // A library requirement an option value did not meet: bad input, as docs/rfcs/0002 says.
    fmt::print(stderr, "skyfence: error: {}\n", e.what());
    return kExitInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "skyfence: error: {}\n", e.what());
    return kExitRuntime;
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(argc, argv);
  } catch (...) {
    // Anything escaping run_main (e.g. allocation failure while building the command line).
    std::fputs("skyfence: error: unexpected failure\n", stderr);
    return skyfence::cli::kExitRuntime;
  }
}
