// Fuzz target: the reader of values per cell (earth::read_cell_values) for CSV and GeoJSON: every input
// is given to both. The cells are every other S2 cell of level 2 (48 of 96), so that tokens of the
// right level may still lie outside them. Every input must either give the values or throw InputError
// with a message, and:
//  - the values are one per cell, each finite and >= 0;
//  - an InputErrors lists at least one problem, each with a message and the source's name;
//  - reading the same input again gives the same values (no hidden state).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "check.h"
#include "skyfence/earth/cell_values.h"
#include "skyfence/earth/grid.h"

using namespace skyfence;
using skyfence::fuzz::check;

namespace {

constexpr int kLevel = 2;

const std::vector<earth::Cell>& cells() {
  static const std::vector<earth::Cell> every_other = [] {
    std::vector<earth::Cell> out;
    const earth::Grid g = earth::global_grid(kLevel);
    for (std::size_t i = 0; i < g.cells.size(); i += 2) out.push_back(g.cells[i]);
    return out;
  }();
  return every_other;
}

std::optional<std::vector<double>> read(std::string_view text, earth::CellTableFormat format) {
  try {
    return earth::read_cell_values(text, format, "fuzz.cells", cells(), kLevel);
  } catch (const InputErrors& e) {
    fuzz::check_message(e);
    check(!e.issues().empty(), "InputErrors lists at least one problem");
    for (const InputError& i : e.issues()) {
      fuzz::check_message(i);
      check(i.where().file == "fuzz.cells", "each problem names the source");
    }
    return std::nullopt;
  } catch (const InputError& e) {
    fuzz::check_message(e);
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const earth::CellTableFormat format : {earth::CellTableFormat::csv, earth::CellTableFormat::geojson}) {
    const std::optional<std::vector<double>> values = read(text, format);
    if (!values) continue;
    check(values->size() == cells().size(), "one value per cell");
    for (double v : *values) check(std::isfinite(v) && v >= 0.0, "values finite and >= 0");
    check(read(text, format) == values, "the same input gives the same values");
  }
  return 0;
}
