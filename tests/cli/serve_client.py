"""HTTP client side of tests/cli/serve.sh: drives a running `skyfence serve` and checks its answers.

Usage: serve_client.py PORT SERVER_PID SITE_DIR SECRET FLOOD_REQUESTS RSS_BOUND_KIB
Prints one line per failed check ("FAIL: ...") and the measured numbers; exits 1 when a check failed.
Only the standard library (Debian's /usr/bin/python3 has no `requests`).
"""

import http.client
import os
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
PID = int(sys.argv[2])
SITE = sys.argv[3]
SECRET = sys.argv[4].encode()
FLOOD = int(sys.argv[5])
RSS_BOUND_KIB = int(sys.argv[6])
HOST = "127.0.0.1"

failures = 0
checks = 0


def check(ok, what):
    global failures, checks
    checks += 1
    if not ok:
        failures += 1
        print(f"FAIL: {what}", flush=True)


def raw(request: bytes, timeout=10.0):
    """Sends bytes as they are and reads until the server closes: (status, headers, body) of the first
    response, or (None, {}, b"") when the connection ended without one; also the whole reply."""
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    data = b""
    try:
        s.sendall(request)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        s.close()
    return parse(data) + (data,)


def parse(data: bytes):
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 "):
        return None, {}, b""
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.decode().strip().lower()] = v.decode().strip()
    n = int(headers.get("content-length", "0"))
    return status, headers, body[:n]


def get_raw(target: str, method="GET", extra=""):
    req = f"{method} {target} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n{extra}\r\n"
    return raw(req.encode("latin-1"))


def request(method, path, body=None, headers=None):
    c = http.client.HTTPConnection(HOST, PORT, timeout=10)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


# 1. Files: the right bytes and media type, for GET; the same headers and no body for HEAD.
TYPES = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "mod.mjs": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "data.json": "application/json",
    "cells.geojson": "application/geo+json",
    "table.csv": "text/csv; charset=utf-8",
    "icon.svg": "image/svg+xml",
    "image.png": "image/png",
    "photo.jpg": "image/jpeg",
    "anim.gif": "image/gif",
    "pic.webp": "image/webp",
    "code.wasm": "application/wasm",
    "model.glb": "model/gltf-binary",
    "model.gltf": "model/gltf+json",
    "tex.ktx2": "image/ktx2",
    "feed.xml": "application/xml",
    "notes.txt": "text/plain; charset=utf-8",
    "scene.czml": "application/json",
    "results.sqlite": "application/vnd.sqlite3",
    "blob.bin": "application/octet-stream",
    "UPPER.PNG": "image/png",
    "empty.txt": "text/plain; charset=utf-8",
}
for name, ctype in TYPES.items():
    with open(os.path.join(SITE, name), "rb") as f:
        want = f.read()
    status, headers, body = request("GET", "/" + name)
    check(status == 200, f"GET /{name}: status {status}")
    check(body == want, f"GET /{name}: {len(body)} bytes, expected the file's {len(want)}")
    check(headers.get("content-type") == ctype, f"GET /{name}: Content-Type {headers.get('content-type')!r}, expected {ctype!r}")
    status, headers, body = request("HEAD", "/" + name)
    check(status == 200 and body == b"", f"HEAD /{name}: status {status}, {len(body)} body bytes")
    check(headers.get("content-length") == str(len(want)), f"HEAD /{name}: Content-Length {headers.get('content-length')}")
    check(headers.get("content-type") == ctype, f"HEAD /{name}: Content-Type {headers.get('content-type')!r}")

big = open(os.path.join(SITE, "results.sqlite"), "rb").read()
status, headers, body = request("GET", "/results.sqlite", headers={"Range": "bytes=100-199"})
check(status == 206 and body == big[100:200], f"range request: status {status}, {len(body)} bytes")

# 2. Folders: index.html, a redirect to the folder's `/`, and never a listing.
index = open(os.path.join(SITE, "index.html"), "rb").read()
sub_index = open(os.path.join(SITE, "sub", "index.html"), "rb").read()
status, headers, body = request("GET", "/")
check(status == 200 and body == index, f"GET /: status {status}")
status, headers, body = request("GET", "/sub/")
check(status == 200 and body == sub_index, f"GET /sub/: status {status}")
status, headers, body = request("GET", "/sub?x=1")
check(status == 301 and headers.get("location") == "/sub/?x=1", f"GET /sub: status {status}, Location {headers.get('location')}")
status, headers, body = request("GET", "/nolisting/")
check(status == 404 and b"listed.txt" not in body, f"GET /nolisting/ (no index.html): status {status}, body {body[:80]!r}")
status, headers, body = request("GET", "/nolisting/listed.txt")
check(status == 200, f"GET /nolisting/listed.txt: status {status}")
status, headers, body = request("GET", "/link-in.js")
check(status == 200 and body == open(os.path.join(SITE, "app.js"), "rb").read(), f"symlink inside the folder: status {status}")
status, headers, body = request("GET", "/missing.html")
check(status == 404, f"GET /missing.html: status {status}")

# 3. Read-only: every other method is 405 with Allow, and a body it carries ends the connection.
for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]:
    status, headers, body = request(method, "/index.html", body=b"x=1" if method in ("POST", "PUT", "PATCH") else None)
    check(status == 405, f"{method}: status {status}, expected 405")
    check(headers.get("allow") == "GET, HEAD", f"{method}: Allow {headers.get('allow')!r}")
status, headers, body = request("GET", "/index.html")
check(status == 200 and body == index, "the file is unchanged after POST/PUT/DELETE")

# 4. Traversal and escapes: 403 (refused) or 404 (nothing there), never the outside file.
REFUSED = [
    "/../outside/secret.txt",
    "/sub/../../outside/secret.txt",
    "/%2e%2e/outside/secret.txt",
    "/%2E%2E/outside/secret.txt",
    "/.%2e/outside/secret.txt",
    "/%252e%252e/outside/secret.txt",
    "/%25252e%25252e/outside/secret.txt",
    "/..%2foutside%2fsecret.txt",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/sub%2f..%2f..%2foutside%2fsecret.txt",
    "/%u002e%u002e/outside/secret.txt",
    "/..\\outside\\secret.txt",
    "/%5c..%5coutside%5csecret.txt",
    "//etc/passwd",
    "///etc/passwd",
    "/./index.html",
    "/link-out.txt",
    "/dir-out/secret.txt",
    "/dir-out/",
    "/index.html%00.txt",
    "/sub/%0a",
]
for target in REFUSED:
    status, headers, body, whole = get_raw(target)
    check(status == 403, f"GET {target}: status {status}, expected 403")
    check(SECRET not in whole and b"root:" not in whole, f"GET {target}: the outside file leaked")
for target in ["/etc/passwd", "/outside/secret.txt"]:
    status, headers, body, whole = get_raw(target)
    check(status == 404 and b"root:" not in whole and SECRET not in whole, f"GET {target}: status {status}, expected 404")
status, headers, body, whole = get_raw(f"http://{HOST}:{PORT}/../outside/secret.txt")
check(status == 400 and SECRET not in whole, f"absolute-form target: status {status}, expected 400")

# 5. Absurd requests.
status, _, _, _ = get_raw("/" + "a" * 10000)
check(status == 414, f"10,000-byte target: status {status}, expected 414")
status, _, _, _ = get_raw("/index.html", extra="".join(f"X-Pad-{i}: {'v' * 1000}\r\n" for i in range(40)))
check(status == 431, f"40 KB of headers: status {status}, expected 431")
status, _, _, _ = get_raw("/index.html", extra="".join(f"X-{i}: 1\r\n" for i in range(200)))
check(status == 431, f"200 header fields: status {status}, expected 431")
status, _, _, _ = get_raw("/index.html", extra=f"X-Long: {'v' * 9000}\r\n")
check(status == 400, f"a 9,000-byte header line: status {status}, expected 400")
status, _, _, _ = get_raw("/index.html", extra="Content-Length: 5\r\n")
check(status == 400, f"GET with a body: status {status}, expected 400")
# A body on GET must not be read as a second request: the connection ends after the first answer.
status, headers, _, whole = raw(b"GET /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n"
                                b"GET /app.js HTTP/1.1\r\nHost: x\r\n\r\n\r\n\r\n")
check(status == 400 and whole.count(b"HTTP/1.1 ") == 1, f"GET with a request as body: {whole.count(b'HTTP/1.1 ')} responses")
# Two pipelined requests on one connection get two answers, in order.
_, _, _, whole = raw(b"GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /table.csv HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
check(whole.count(b"HTTP/1.1 200") == 2, f"pipelined requests: {whole.count(b'HTTP/1.1 200')} answers of 2")
status, _, _, _ = get_raw("/index.html", method="BREW")
check(status == 400, f"unknown method: status {status}, expected 400")
# 2 MB of header lines: cut off at the server's 1 MiB per request (400, or the connection closed).
status, _, _, _ = raw(b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"z" * 4000) for i in range(500)) + b"\r\n")
check(status in (400, None), f"2 MB of headers: status {status}")
status, _, body = request("GET", "/index.html")
check(status == 200 and body == index, f"the server still answers after the absurd requests: {status}")


# 6. A flood from a bounded client: 4 threads, keep-alive connections, every answer checked.
def rss_kib():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


FLOOD_TARGETS = [("/index.html", 200, index), ("/app.js", 200, None), ("/data.json", 200, None),
                 ("/image.png", 200, None), ("/missing", 404, None), ("/%2e%2e/x", 403, None)]
errors = []


def worker(n, offset):
    c = http.client.HTTPConnection(HOST, PORT, timeout=10)
    for i in range(n):
        target, want, want_body = FLOOD_TARGETS[(i + offset) % len(FLOOD_TARGETS)]
        try:
            c.request("GET", target)
            r = c.getresponse()
            body = r.read()
            if r.status != want or (want_body is not None and body != want_body):
                errors.append(f"{target}: {r.status}")
        except Exception as e:  # noqa: BLE001 - every failure is counted and reported
            errors.append(f"{target}: {e!r}")
            c.close()
            c = http.client.HTTPConnection(HOST, PORT, timeout=10)
    c.close()


def flood(total):
    threads = [threading.Thread(target=worker, args=(total // 4, k)) for k in range(4)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - t0


first = min(1000, FLOOD // 10)
t1 = flood(first)
rss1 = rss_kib()
t2 = flood(FLOOD - first)
rss2 = rss_kib()
print(f"flood: {FLOOD} requests ({first} then {FLOOD - first}) in {t1 + t2:.2f} s "
      f"({FLOOD / (t1 + t2):.0f} requests/s), {len(errors)} errors; server VmRSS {rss1} KiB after {first}, "
      f"{rss2} KiB after {FLOOD} (growth {rss2 - rss1} KiB, bound {RSS_BOUND_KIB} KiB)", flush=True)
check(not errors, f"flood errors: {errors[:5]}")
check(rss1 > 0 and rss2 - rss1 <= RSS_BOUND_KIB, f"server memory grew by {rss2 - rss1} KiB during the flood")

print(f"client: {checks - failures} passed, {failures} failed", flush=True)
sys.exit(1 if failures else 0)
