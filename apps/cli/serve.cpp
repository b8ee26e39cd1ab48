// skyfence serve: a results folder over HTTP, read-only, for the browser viewer (browsers refuse some of
// what it loads from file://).
//
// Decisions:
// - HTTP is cpp-httplib (Debian's libcpp-httplib-dev, a compiled library): request lines, headers, ranges
//   and responses are the library's. This file owns the policy: what may be served (resolve()), the
//   limits (kLimits), the log line, and the connection loop (ServeServer), which replaces the library's
//   so that a connection is closed after a request whose body was not read, the bytes one request may
//   send are bounded, and a stop ends idle and slow connections at once.
// - Every refused path is 403, whatever the trick (`..`, encoded or double-encoded forms, encoded
//   separators, backslashes, control bytes, empty segments, a symlink resolving outside the folder);
//   404 means the path is acceptable and nothing servable is there. Paths are checked segment by segment
//   on the raw request target, each segment decoded once, so an encoded `/` never becomes a separator.
// - The folder's canonical path is taken once at start; every file is resolved with
//   std::filesystem::weakly_canonical (symlinks followed) and must lie inside it. A folder that a hostile
//   local user changes while it is served (swapping a checked file for a symlink) is out of scope.
#include "serve.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <fmt/core.h>
#include <httplib.h>

#include "common.h"
#include "skyfence/core/error.h"

namespace skyfence::cli {

namespace serve_command {

namespace fs = std::filesystem;

struct Options {
  std::string dir;
  int port = 8000;
  std::string bind = "127.0.0.1";
  bool quiet = false;
};

// What one client may ask of the server. The library adds two limits of its own, compiled into
// Debian's build: a request target over 8,192 bytes is answered 414, a single header line over 8,192
// bytes 400.
struct Limits {
  std::size_t max_header_fields = 100;         // more: 431
  std::size_t max_header_bytes = 32 * 1024;    // names and values together; more: 431
  std::size_t max_request_head = 1024 * 1024;  // bytes read for one request; past it the read fails: 400
  std::size_t keep_alive_requests = 100;       // requests on one connection before it is closed
  int keep_alive_ms = 5000;                    // an idle connection is closed after this
  int io_timeout_ms = 5000;                    // one read or write waits at most this
  int poll_slice_ms = 100;                     // waits are sliced to notice a stop this promptly
  std::size_t threads = 8;                     // connections served at once (a browser opens ~6)
};
constexpr Limits kLimits{};

// Media types by file extension (lower case); anything else is application/octet-stream.
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kMediaTypes{{
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"geojson", "application/geo+json"},
    {"czml", "application/json"},
    {"csv", "text/csv; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"xml", "application/xml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ktx2", "image/ktx2"},
    {"wasm", "application/wasm"},
    {"glb", "model/gltf-binary"},
    {"gltf", "model/gltf+json"},
    {"sqlite", "application/vnd.sqlite3"},
    {"npy", "application/octet-stream"},
    {"map", "application/json"},
}};

std::string_view media_type(const fs::path& file) {
  std::string ext = file.extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [e, type] : kMediaTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

// The answer to a request's path: a file to send, a redirect (a folder named without its final `/`, so
// that the relative links of its index.html resolve), or an error status.
struct Resolved {
  int status = 404;
  fs::path file;         // status 200
  std::string location;  // status 301
};

Resolved answer(int status) {
  Resolved r;
  r.status = status;
  return r;
}

bool inside(const fs::path& root, const fs::path& p) {
  const std::string& r = root.native();
  const std::string& s = p.native();
  if (s == r) return true;
  const std::string prefix = r.ends_with('/') ? r : r + '/';
  return s.starts_with(prefix);
}

// `root` is canonical. `target` is the raw request target (fragment already removed by the library).
Resolved resolve(const fs::path& root, const std::string& target) {
  const std::size_t q = target.find('?');
  const std::string raw = target.substr(0, q);
  if (raw.empty() || raw[0] != '/') return answer(400);  // absolute-form or `*`
  // Segments of the raw path, each decoded once by the library's decoder.
  fs::path rel;
  std::size_t pos = 1;
  const bool trailing_slash = raw.ends_with('/');
  while (pos <= raw.size()) {
    std::size_t next = raw.find('/', pos);
    if (next == std::string::npos) next = raw.size();
    const std::string seg = httplib::detail::decode_url(raw.substr(pos, next - pos), false);
    const bool last = next == raw.size();
    if (seg.empty()) {
      // Only the end of a folder's path ("/sub/") may be empty; "//etc/passwd" is refused.
      if (!last) return answer(403);
    } else {
      if (seg == "." || seg == "..") return answer(403);
      for (const char c : seg) {
        const auto u = static_cast<unsigned char>(c);
        // An encoded separator, a backslash, a control byte (NUL included), or a `%` left after one
        // decoding (double encoding such as %252e).
        if (c == '/' || c == '\\' || c == '%' || u < 0x20 || u == 0x7f) return answer(403);
      }
      rel /= seg;
    }
    pos = next + 1;
  }
  std::error_code ec;
  fs::path p = fs::weakly_canonical(root / rel, ec);
  if (ec) return answer(404);
  if (!inside(root, p)) return answer(403);
  fs::file_status st = fs::status(p, ec);
  if (ec || !fs::exists(st)) return answer(404);
  if (fs::is_directory(st)) {
    if (!trailing_slash) {
      Resolved r = answer(301);
      r.location = raw + "/" + (q == std::string::npos ? "" : target.substr(q));
      return r;
    }
    p = fs::weakly_canonical(p / "index.html", ec);
    if (ec) return answer(404);
    if (!inside(root, p)) return answer(403);
    st = fs::status(p, ec);
    if (ec) return answer(404);
  }
  if (!fs::is_regular_file(st)) return answer(404);  // no listings, no devices or pipes
  Resolved r = answer(200);
  r.file = p;
  return r;
}

const char* reason(int status) {
  switch (status) {
    case 301:
      return "Moved Permanently";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    default:
      return "";
  }
}

void set_error(httplib::Response& res, int status, std::string_view why) {
  res.status = status;
  res.set_content(fmt::format("{} {}: {}\n", status, reason(status), why), "text/plain; charset=utf-8");
}

// A file's descriptor, closed when the last response holding it is gone.
struct OpenFile {
  int fd = -1;
  explicit OpenFile(int f) : fd(f) {}
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
};

void send_file(const fs::path& file, httplib::Response& res) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    set_error(res, errno == EACCES ? 403 : 404, "cannot open this file");
    return;
  }
  auto handle = std::make_shared<OpenFile>(fd);
  struct stat sb {};
  if (::fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    set_error(res, 404, "not a regular file");
    return;
  }
  // The status is left to the library: 200, or 206 for a Range request.
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");
  const std::string type(media_type(file));
  const auto size = static_cast<std::size_t>(sb.st_size);
  if (size == 0) {
    res.set_content("", type);
    return;
  }
  // Streamed in pieces: a results.sqlite of gigabytes is never held in memory.
  res.set_content_provider(
      size, type, [handle](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::array<char, 64 * 1024> buf{};
        const std::size_t want = std::min(length, buf.size());
        const ssize_t got = ::pread(handle->fd, buf.data(), want, static_cast<off_t>(offset));
        if (got <= 0) return false;  // the file shrank or failed: the connection is dropped
        return sink.write(buf.data(), static_cast<std::size_t>(got));
      });
}

bool has_body(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  return req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0";
}

// State of the connection a worker thread is serving: the peer (for requests the library refused before
// it knew the address) and whether the connection must close after this response.
struct Connection {
  std::string peer;
  bool close_after = false;
};
thread_local Connection* t_connection = nullptr;

// The connection's bytes for the library's parser: buffered reads and writes that wait with poll() in
// slices, give up after kLimits.io_timeout_ms or when the server stops, and a bound on the bytes one
// request may send (the library keeps reading header lines as long as they come).
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(::socket_t fd, const std::atomic<::socket_t>& listener) : fd_(fd), listener_(listener) {
    int yes = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    address(true, remote_ip_, remote_port_);
    address(false, local_ip_, local_port_);
  }

  bool is_readable() const override { return pos_ < len_ || wait(POLLIN, kLimits.io_timeout_ms); }
  bool is_writable() const override { return wait(POLLOUT, kLimits.io_timeout_ms); }

  ssize_t read(char* ptr, std::size_t size) override {
    if (pos_ == len_) {
      if (request_bytes_ >= kLimits.max_request_head) {
        overflowed_ = true;
        return -1;
      }
      if (!wait(POLLIN, kLimits.io_timeout_ms)) return -1;
      ssize_t got;
      do {
        got = ::recv(fd_, buf_.data(), buf_.size(), 0);
      } while (got < 0 && errno == EINTR);
      if (got <= 0) return got;
      pos_ = 0;
      len_ = static_cast<std::size_t>(got);
    }
    const std::size_t n = std::min(size, len_ - pos_);
    std::memcpy(ptr, buf_.data() + pos_, n);
    pos_ += n;
    request_bytes_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, std::size_t size) override {
    if (!wait(POLLOUT, kLimits.io_timeout_ms)) return -1;
    ssize_t sent;
    do {
      sent = ::send(fd_, ptr, size, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = remote_ip_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = local_ip_;
    port = local_port_;
  }
  ::socket_t socket() const override { return fd_; }

  // Waits for the next request of a kept-alive connection (true when bytes are there to read).
  bool next_request() {
    request_bytes_ = 0;
    return pos_ < len_ || wait(POLLIN, kLimits.keep_alive_ms);
  }
  bool overflowed() const { return overflowed_; }
  const std::string& remote_ip() const { return remote_ip_; }

 private:
  bool wait(short events, int timeout_ms) const {
    for (int waited = 0; waited < timeout_ms; waited += kLimits.poll_slice_ms) {
      if (listener_.load() == INVALID_SOCKET) return false;  // the server is stopping
      pollfd p{.fd = fd_, .events = events, .revents = 0};
      const int r = ::poll(&p, 1, kLimits.poll_slice_ms);
      if (r > 0) return true;  // ready, or an error/hang-up that the next call reports
      if (r < 0 && errno != EINTR) return false;
    }
    return false;
  }

  void address(bool remote, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if ((remote ? ::getpeername(fd_, sa, &len) : ::getsockname(fd_, sa, &len)) != 0) return;
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> serv{};
    if (::getnameinfo(sa, len, host.data(), host.size(), serv.data(), serv.size(),
                      NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host.data();
      port = std::atoi(serv.data());
    }
  }

  ::socket_t fd_;
  const std::atomic<::socket_t>& listener_;
  std::array<char, 4096> buf_{};
  std::size_t pos_ = 0, len_ = 0;
  std::size_t request_bytes_ = 0;
  bool overflowed_ = false;
  std::string remote_ip_ = "-", local_ip_;
  int remote_port_ = -1, local_port_ = -1;
};

// The library's server with skyfence's connection loop (see the Decisions at the top).
class ServeServer final : public httplib::Server {
 private:
  bool process_and_close_socket(::socket_t sock) override {
    ConnectionStream strm(sock, svr_sock_);
    Connection conn;
    conn.peer = strm.remote_ip();
    t_connection = &conn;
    bool ok = true;
    for (std::size_t served = 0; served < kLimits.keep_alive_requests; ++served) {
      if (!strm.next_request()) break;
      conn.close_after = false;
      bool closed = false;
      ok = process_request(strm, served + 1 == kLimits.keep_alive_requests, closed, nullptr);
      if (!ok || closed || conn.close_after || strm.overflowed()) break;
    }
    t_connection = nullptr;
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
  }
};

// "path" as logged: control and non-ASCII bytes escaped, at most 200 characters.
std::string loggable(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (out.size() >= 200) {
      out += "...";
      break;
    }
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out.empty() ? "-" : out;
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", buf.data(), ms);
}

// One line a request: time, client, method, target, status, body bytes sent.
void log_request(const httplib::Request& req, const httplib::Response& res) {
  std::size_t bytes = 0;
  if (req.method != "HEAD") {
    if (!res.body.empty()) {
      bytes = res.body.size();
    } else if (res.has_header("Content-Length")) {
      bytes = static_cast<std::size_t>(
          std::strtoull(res.get_header_value("Content-Length").c_str(), nullptr, 10));
    }
  }
  std::string client = req.remote_addr;
  if (client.empty() && t_connection != nullptr) client = t_connection->peer;
  fmt::print(stderr, "{} {} {} {} {} {}\n", utc_now(), client.empty() ? "-" : client,
             req.method.empty() ? "-" : loggable(req.method), loggable(req.target), res.status, bytes);
}

// Every request is answered here, before the library's own routing.
httplib::Server::HandlerResponse handle(const fs::path& root, const httplib::Request& req,
                                        httplib::Response& res) {
  using httplib::Server;
  // The library adds four fields of its own (REMOTE_ADDR, REMOTE_PORT, LOCAL_ADDR, LOCAL_PORT).
  constexpr std::size_t kLibraryFields = 4;
  std::size_t header_bytes = 0;
  for (const auto& [name, value] : req.headers) header_bytes += name.size() + value.size();
  if (req.headers.size() > kLimits.max_header_fields + kLibraryFields ||
      header_bytes > kLimits.max_header_bytes) {
    set_error(res, 431,
              fmt::format("at most {} header fields and {} bytes of headers", kLimits.max_header_fields,
                          kLimits.max_header_bytes));
    return Server::HandlerResponse::Handled;
  }
  if (req.method != "GET" && req.method != "HEAD") {
    res.set_header("Allow", "GET, HEAD");
    set_error(res, 405, "this server is read-only (GET and HEAD)");
    return Server::HandlerResponse::Handled;
  }
  if (has_body(req)) {
    set_error(res, 400, "a GET or HEAD request has no body");
    return Server::HandlerResponse::Handled;
  }
  const Resolved r = resolve(root, req.target);
  switch (r.status) {
    case 200:
      send_file(r.file, res);
      break;
    case 301:
      res.status = 301;
      res.set_header("Location", r.location);
      break;
    case 400:
      set_error(res, 400, "the target must be a path starting with /");
      break;
    case 403:
      set_error(res, 403, "this path is refused");
      break;
    default:
      set_error(res, 404, "no such file (folders are served by their index.html)");
      break;
  }
  return Server::HandlerResponse::Handled;
}

// After every response's headers are made, before they are written (requests the library refused
// included): a request whose body was not read, or that the parser may have left half-read, ends the
// connection.
void after_response(const httplib::Request& req, httplib::Response& res) {
  const int s = res.status;
  const bool close = s == 400 || s == 413 || s == 414 || s == 431 || (!req.method.empty() && has_body(req));
  if (!close) return;
  if (t_connection != nullptr) t_connection->close_after = true;
  res.headers.erase("Keep-Alive");
  res.headers.erase("Connection");
  res.set_header("Connection", "close");
}

bool is_loopback(const std::string& address) {
  in_addr a4{};
  if (::inet_pton(AF_INET, address.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  return address == "::1";
}

int run(const Options& o) {
  std::error_code ec;
  const fs::path root = fs::canonical(o.dir, ec);
  if (ec) throw InputError(SourceLocation{o.dir, 0, {}}, "no such folder (" + ec.message() + ")");
  if (!fs::is_directory(root)) throw InputError(SourceLocation{o.dir, 0, {}}, "not a folder");
  {
    in6_addr probe{};
    if (::inet_pton(AF_INET, o.bind.c_str(), &probe) != 1 &&
        ::inet_pton(AF_INET6, o.bind.c_str(), &probe) != 1) {
      throw InputError(
          SourceLocation{"--bind", 0, {}},
          fmt::format("\"{}\" is not an IPv4 or IPv6 address (e.g. 127.0.0.1, ::1, 0.0.0.0)", o.bind));
    }
  }
  if (o.port < 0 || o.port > 65535) {
    throw InputError(SourceLocation{"--port", 0, {}}, fmt::format("{} is not a port (0 to 65535)", o.port));
  }
  install_interrupt_handler();

  ServeServer server;
  server.new_task_queue = [] { return new httplib::ThreadPool(kLimits.threads); };
  // SO_REUSEADDR only: the port can be bound again as soon as the server is gone, and a second server on
  // the same port fails instead of sharing it (the library's default, SO_REUSEPORT, would let it).
  server.set_socket_options([](::socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server.set_tcp_nodelay(true);
  server.set_pre_routing_handler(
      [root](const httplib::Request& req, httplib::Response& res) { return handle(root, req, res); });
  server.set_post_routing_handler(after_response);
  if (!o.quiet) server.set_logger(log_request);

  errno = 0;
  const int port =
      o.port == 0 ? server.bind_to_any_port(o.bind) : (server.bind_to_port(o.bind, o.port) ? o.port : -1);
  if (port < 0) {
    const int err = errno;
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{}{}{}; choose another --port, or --port 0 for a free one", o.bind,
                    o.port, err != 0 ? ": " : "", err != 0 ? std::strerror(err) : ""));
  }
  const bool v6 = o.bind.find(':') != std::string::npos;
  fmt::print("http://{}{}{}:{}/\n", v6 ? "[" : "", o.bind, v6 ? "]" : "", port);
  std::fflush(stdout);
  if (!o.quiet) {
    fmt::print(stderr, "skyfence: serving {} read-only; press Ctrl-C to stop\n", root.string());
  }
  if (!is_loopback(o.bind)) {
    warn(
        fmt::format("listening on {}: anyone who can reach this machine can read {}", o.bind, root.string()));
  }

  // SIGINT/SIGTERM only set a flag (common.cpp); this thread turns it into a stop of the listener.
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done.load()) {
      if (g_interrupted.load() && server.is_running()) {
        server.stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  const bool ok = server.listen_after_bind();
  done.store(true);
  watcher.join();
  if (g_interrupted.load()) {
    if (!o.quiet) fmt::print(stderr, "skyfence: serve stopped\n");
    return kExitInterrupted;
  }
  if (!ok) throw std::runtime_error("the server stopped on an error accepting connections");
  return kExitOk;
}

}  // namespace serve_command

void add_serve_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace serve_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve a results folder over HTTP, read-only, for a browser");
  cmd->footer(R"(Examples:
  skyfence serve results/ukraine-reliance               # http://127.0.0.1:8000/
  skyfence serve results/ukraine-reliance --port 0      # any free port; the URL says which
  skyfence serve results/ukraine-reliance --bind 0.0.0.0 --port 8080   # to other machines too

Browsers refuse some of what a page loads from file:// (scripts as modules, fetch of data files);
serve makes the folder an http:// site on this machine. The first line on standard output is the URL
(http://ADDRESS:PORT/); stop with Ctrl-C (exit status 130).
What it serves: files under DIR, and a folder's index.html for the folder; never a listing. Only GET
and HEAD (anything else: 405 with Allow: GET, HEAD). Paths with `..` or `.` segments, encoded or
double-encoded forms (%2e%2e, %2f, %252e), backslashes, control bytes, empty segments (//etc/passwd)
or symlinks resolving outside DIR: 403. Nothing there: 404. A request target over 8 KiB: 414; over
100 header fields or 32 KiB of headers: 431; a header line over 8 KiB, or a body on GET/HEAD: 400.
Each request is logged on stderr (time, client, method, target, status, bytes) unless --quiet.
Exit status: 130 stopped by Ctrl-C or SIGTERM, 1 the port cannot be bound (in use, not allowed),
2 bad input (DIR missing or not a folder, --bind not an address). More: docs/serve.md.)");
  cmd->add_option("DIR", opts->dir, "the folder to serve (e.g. a `skyfence run` results folder)")->required();
  cmd->add_option("--port", opts->port, "TCP port; 0 picks a free one")->capture_default_str();
  cmd->add_option("--bind", opts->bind,
                  "address to listen on: 127.0.0.1 (this machine only), ::1, or 0.0.0.0 (every interface)")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", opts->quiet, "no request log or start message (the URL is still printed)");
  cmd->callback([opts, &run_fn] { run_fn = [opts] { return run(*opts); }; });
}

}  // namespace skyfence::cli
