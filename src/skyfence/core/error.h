// The error model (docs/rfcs/0002-error-model.md), shared by every layer.
//
// Readers turn untrusted input into checked values. A problem in the input is an InputError that
// says where (file, line, field) and what was expected; the CLI maps it to exit status 2.
// Batch computations never throw halfway: they report a status per element instead.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace skyfence {

// Where in an input a problem was found. Any part may be empty / zero when unknown.
struct SourceLocation {
  std::string file;   // path or a name such as "<stdin>" or "--start"
  int line = 0;       // 1-based; 0 when the input has no lines (a command-line value)
  std::string field;  // the field or column, e.g. "line 2 checksum", "EPOCH"

  // "file:line: field: " (parts omitted when empty), ready to prefix a message.
  [[nodiscard]] std::string prefix() const;
};

// A problem with one row, record or feature of an input that a reader skipped or accepted with a
// warning (readers that degrade gracefully list these instead of throwing): where, and what was
// expected and found. The one type of every reader (orbits::RecordIssue and earth::SiteIssue name it).
struct InputIssue {
  SourceLocation where;
  std::string message;  // what was expected, and what was found
  [[nodiscard]] std::string to_string() const { return where.prefix() + message; }
};

// Bad input: a value that cannot be read or is out of its documented range.
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, const std::string& what_expected)
      : std::runtime_error(where.prefix() + what_expected),
        where_(std::move(where)),
        detail_(what_expected) {}
  explicit InputError(const std::string& message) : std::runtime_error(message), detail_(message) {}

  [[nodiscard]] const SourceLocation& where() const { return where_; }
  // The message without the location prefix.
  [[nodiscard]] const std::string& detail() const { return detail_; }

 private:
  SourceLocation where_;
  std::string detail_;
};

// Every problem found in one input, all at once (a policy or a scenario file is checked whole): what()
// is the message the reader composes from them, issues() each with its own location.
class InputErrors : public InputError {
 public:
  // `issues` is taken by reference so that `message` may be computed from it in the same call.
  InputErrors(const std::string& message, std::vector<InputError>&& issues)
      : InputError(message), issues_(std::move(issues)) {}
  [[nodiscard]] const std::vector<InputError>& issues() const { return issues_; }

 private:
  std::vector<InputError> issues_;
};

// Thrown by a long computation when its caller asked it to stop (a progress callback returned false):
// the one cancellation type of every layer (coverage, passes, the scenario runner). No partial result
// is returned; the caller maps it to "interrupted" (exit status 130 in the CLI).
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("computation cancelled") {}
};

}  // namespace skyfence
