#include "skyfence/report/store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include <string>

#include "skyfence/report/internal/tables.h"
#include "skyfence/report/results_folder.h"

namespace skyfence::report {

namespace {

using internal::ColumnType;
using internal::Table;

std::string create_sql(const Table& t) {
  std::string sql = "CREATE TABLE " + t.name + " (";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const auto& c = t.columns[i];
    sql += (i ? ", " : "") + c.name;
    sql += c.type == ColumnType::integer ? " INTEGER" : c.type == ColumnType::real ? " REAL" : " TEXT";
    if (!c.nullable) sql += " NOT NULL";
  }
  sql += ", PRIMARY KEY (";
  for (std::size_t i = 0; i < t.primary_key.size(); ++i) sql += (i ? ", " : "") + t.primary_key[i];
  sql += ")) WITHOUT ROWID;";
  return sql;
}

// Owns the connection and the temporary file; removes the temporary unless committed.
class TempDatabase {
 public:
  explicit TempDatabase(std::string path)
      : path_(std::move(path)), temp_(path_ + ".tmp-" + std::to_string(::getpid())) {
    std::remove(temp_.c_str());
    if (sqlite3_open_v2(temp_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      const std::string temp = temp_;
      close_and_remove();
      throw std::runtime_error(temp + ": cannot create the database: " + msg);
    }
  }
  ~TempDatabase() { close_and_remove(); }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  sqlite3* db() const { return db_; }

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err != nullptr ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      fail(msg);
    }
  }

  [[noreturn]] void fail(const std::string& msg) const { throw std::runtime_error(path_ + ": " + msg); }

  void commit() {
    if (sqlite3_close(db_) != SQLITE_OK)
      fail(std::string("cannot close the database: ") + sqlite3_errmsg(db_));
    db_ = nullptr;
    // synchronous=OFF skipped SQLite's fsyncs: one before the rename makes the store durable.
    const int fd = ::open(temp_.c_str(), O_RDONLY);
    const bool synced = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!synced) fail("cannot sync " + temp_);
    if (std::rename(temp_.c_str(), path_.c_str()) != 0) fail("cannot rename " + temp_ + " onto it");
    temp_.clear();
  }

 private:
  void close_and_remove() noexcept {
    if (db_ != nullptr) {
      sqlite3_close_v2(db_);
      db_ = nullptr;
    }
    if (!temp_.empty()) {
      std::remove(temp_.c_str());
      std::remove((temp_ + "-journal").c_str());
      temp_.clear();
    }
  }

  std::string path_;
  std::string temp_;
  sqlite3* db_ = nullptr;
};

// A prepared statement, finalized on destruction.
class Statement {
 public:
  Statement(TempDatabase& db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db.db(), sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      db.fail(std::string("cannot prepare \"") + sql + "\": " + sqlite3_errmsg(db.db()));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void insert(const std::vector<internal::Value>& row, const std::string& table) {
    sqlite3_reset(stmt_);
    for (std::size_t i = 0; i < row.size(); ++i) {
      const int k = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<std::int64_t>(&row[i])) {
        rc = sqlite3_bind_int64(stmt_, k, *n);
      } else if (const auto* d = std::get_if<double>(&row[i])) {
        rc = sqlite3_bind_double(stmt_, k, *d);
      } else if (const auto* s = std::get_if<std::string>(&row[i])) {
        rc = sqlite3_bind_text(stmt_, k, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_null(stmt_, k);
      }
      if (rc != SQLITE_OK) db_.fail(table + ": cannot bind a value: " + sqlite3_errmsg(db_.db()));
    }
    if (sqlite3_step(stmt_) != SQLITE_DONE) db_.fail(table + ": " + sqlite3_errmsg(db_.db()));
  }

 private:
  TempDatabase& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

std::string sqlite_schema() {
  // The schema does not depend on the rows: built from an empty, valid model (with the uplink's tables,
  // which a store has only when the scenario asks uplink demand).
  std::string sql;
  for (const auto& t : internal::build_tables(Results{}, true)) sql += create_sql(t) + "\n";
  return sql;
}

void write_sqlite(const Results& results, const std::string& path, const StoreOptions& options) {
  validate(results);
  const auto tables = internal::build_tables(results);
  TempDatabase db(path);
  // The temporary is renamed only when whole, so the rollback journal adds nothing but I/O.
  db.exec("PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;");
  // Marks the file as skyfence's results store (a results folder is recognised by it: results_folder.h).
  db.exec("PRAGMA application_id=" + std::to_string(kResultsApplicationId) + ";");
  db.exec("BEGIN;");
  for (const auto& t : tables) {
    db.exec(create_sql(t));
    std::string sql = "INSERT INTO " + t.name + " VALUES (";
    for (std::size_t i = 0; i < t.columns.size(); ++i) sql += i ? ",?" : "?";
    sql += ");";
    Statement insert(db, sql);
    for (const auto& row : t.rows) insert.insert(row, t.name);
    if (options.on_table) options.on_table(t.name);
  }
  db.exec("COMMIT;");
  db.commit();
}

}  // namespace skyfence::report
