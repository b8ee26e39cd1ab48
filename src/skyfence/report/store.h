// The embedded result store: results.sqlite (schema: docs/results.md).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "skyfence/report/model.h"

namespace skyfence::report {

struct StoreOptions {
  // Called after each table is written, with its name (for progress). An exception thrown from it
  // abandons the store like any other failure. DEFAULT: none.
  std::function<void(std::string_view table)> on_table;
};

// Writes `results` to a new SQLite database at `path`, replacing any file there. Every table is
// created and filled in one transaction in a temporary file beside `path` ("<path>.tmp-<pid>"),
// which is closed and then renamed onto `path`: an interrupted or failed write leaves the previous
// file (or none) and no temporary. Validates first (validate(): std::invalid_argument); throws
// std::runtime_error naming the file for SQLite or I/O failures.
void write_sqlite(const Results& results, const std::string& path, const StoreOptions& options = {});

// The SQL that creates the store's tables, one CREATE TABLE statement per table, in order.
std::string sqlite_schema();

}  // namespace skyfence::report
