// Output files that appear whole or not at all: written to a temporary name beside the target,
// flushed, then renamed over it on commit(). Destroyed without commit(), the temporary is removed,
// so an interrupted or failed run never leaves a half-written file under the target's name.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace skyfence {

class AtomicFile {
 public:
  // Opens "<path>.tmp-<pid>" for binary writing. Throws std::runtime_error naming the path on failure.
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);
  void write(const void* data, std::size_t size);
  // Flushes, closes and renames onto the target. Throws std::runtime_error on any I/O failure.
  void commit();
  // Removes the temporary file now (also done by the destructor when not committed).
  void abandon() noexcept;

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& temp_path() const { return temp_; }

 private:
  std::string path_;
  std::string temp_;
  std::FILE* file_ = nullptr;
};

}  // namespace skyfence
