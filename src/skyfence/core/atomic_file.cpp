#include "skyfence/core/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace skyfence {

namespace {
std::runtime_error io_error(const std::string& what, const std::string& path) {
  return std::runtime_error(path + ": " + what + ": " + std::strerror(errno));
}
}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  temp_ = path_ + ".tmp-" + std::to_string(::getpid());
  file_ = std::fopen(temp_.c_str(), "wb");
  if (file_ == nullptr) throw io_error("cannot create file", temp_);
  // Large buffer: outputs are written in many small pieces.
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

AtomicFile::~AtomicFile() {
  abandon();
}

void AtomicFile::write(std::string_view bytes) {
  write(bytes.data(), bytes.size());
}

void AtomicFile::write(const void* data, std::size_t size) {
  if (file_ == nullptr) throw std::runtime_error(path_ + ": write after close");
  if (size != 0 && std::fwrite(data, 1, size, file_) != size) throw io_error("write failed", temp_);
}

void AtomicFile::commit() {
  if (file_ == nullptr) throw std::runtime_error(path_ + ": commit after close");
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) throw io_error("write failed", temp_);
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) throw io_error("close failed", temp_);
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) throw io_error("cannot rename onto", path_);
  temp_.clear();
}

void AtomicFile::abandon() noexcept {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (!temp_.empty()) {
    std::remove(temp_.c_str());
    temp_.clear();
  }
}

}  // namespace skyfence
