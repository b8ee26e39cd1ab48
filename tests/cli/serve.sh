# skyfence serve: a folder over HTTP, read-only. The HTTP checks are in serve_client.py (Debian's
# /usr/bin/python3, standard library only); this script builds the folder, starts and stops the server,
# and checks its errors, its log and its exit.
source "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
CLIENT="$(dirname "$0")/serve_client.py"
# Under AddressSanitizer ($SANITIZED, lib.bash) the flood is smaller and its
# memory bound looser: the sanitizer keeps freed memory in quarantine (up to 256 MiB) on purpose.
if [[ "$SANITIZED" == 1 ]]; then
  FLOOD=2000 RSS_BOUND_KIB=65536
else
  FLOOD=10000 RSS_BOUND_KIB=2048
fi

SITE="$WORK/site"
mkdir -p "$SITE/sub" "$SITE/nolisting" "$WORK/outside"
echo "TOPSECRET-$$" >"$WORK/outside/secret.txt"
echo '<!doctype html><title>viewer</title><script src="app.js"></script>' >"$SITE/index.html"
echo '<!doctype html><title>sub</title>' >"$SITE/sub/index.html"
echo 'listed' >"$SITE/nolisting/listed.txt"
for f in app.js mod.mjs style.css data.json cells.geojson table.csv icon.svg model.gltf feed.xml notes.txt \
  scene.czml; do
  echo "content of $f" >"$SITE/$f"
done
for f in image.png photo.jpg anim.gif pic.webp code.wasm model.glb tex.ktx2 blob.bin UPPER.PNG; do
  head -c 3000 /dev/urandom >"$SITE/$f"
done
head -c 300000 /dev/urandom >"$SITE/results.sqlite"
: >"$SITE/empty.txt"
ln -s ../outside/secret.txt "$SITE/link-out.txt"
ln -s ../outside "$SITE/dir-out"
ln -s app.js "$SITE/link-in.js"

# Bad input: exit 2 with a message naming the problem.
expect_exit 2 "missing folder" -- "$SKYFENCE" serve "$WORK/nope" --port 0
expect_grep "nope.*no such folder" "$WORK/err" "missing folder named"
expect_exit 2 "a file, not a folder" -- "$SKYFENCE" serve "$SITE/index.html" --port 0
expect_grep "not a folder" "$WORK/err" "not a folder reported"
expect_exit 2 "bad --bind" -- "$SKYFENCE" serve "$SITE" --bind example.org --port 0
expect_grep "not an IPv4 or IPv6 address" "$WORK/err" "bad --bind reported"
expect_exit 2 "bad --port" -- "$SKYFENCE" serve "$SITE" --port 70000
expect_exit 0 "serve --help" -- "$SKYFENCE" serve --help
expect_grep "403" "$WORK/out" "--help explains what is refused"

# start_server OUT ERR ARGS...: starts `skyfence serve` in the background (pid in $server_pid) and waits
# for its URL line; the port lands in $port.
start_server() {
  local out="$1" err="$2"
  shift 2
  "$SKYFENCE" serve "$@" >"$out" 2>"$err" &
  server_pid=$!
  port=""
  for _ in $(seq 1 200); do
    if grep -qE '^http://127\.0\.0\.1:[0-9]+/$' "$out" 2>/dev/null; then
      port="$(sed -E 's|^http://127\.0\.0\.1:([0-9]+)/$|\1|' "$out")"
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  fail "the server printed no URL: $(head -c 300 "$err")"
  return 1
}

if start_server "$WORK/serve.out" "$WORK/serve.err" "$SITE" --port 0; then
  pass
  [[ $(wc -l <"$WORK/serve.out") -eq 1 ]] && pass || fail "stdout is not the one URL line"
  expect_grep "Ctrl-C" "$WORK/serve.err" "the stop hint"

  "$PY" "$CLIENT" "$port" "$server_pid" "$SITE" "TOPSECRET-$$" "$FLOOD" "$RSS_BOUND_KIB" >"$WORK/client.out" 2>&1
  code=$?
  cat "$WORK/client.out"
  [[ $code -eq 0 ]] && pass || fail "HTTP checks failed (serve_client.py exit $code)"

  # One log line per request: time, client, method, target, status, bytes.
  expect_grep '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z 127\.0\.0\.1 GET /index\.html 200 [0-9]+$' "$WORK/serve.err" \
    "request logged"
  expect_grep ' 127\.0\.0\.1 POST /index\.html 405 [0-9]+$' "$WORK/serve.err" "405 logged"
  expect_grep ' 127\.0\.0\.1 - - 414 0$' "$WORK/serve.err" "414 logged"
  grep -q "TOPSECRET" "$WORK/serve.err" && fail "the log holds the secret" || pass

  # A second server on the same port fails: exit 1, naming the port.
  expect_exit 1 "port in use" -- "$SKYFENCE" serve "$SITE" --port "$port"
  expect_grep "cannot listen on 127\.0\.0\.1:$port" "$WORK/err" "port in use reported"

  # Ctrl-C: exit 130 promptly, with a kept-alive connection open, and the port free at once.
  "$PY" -c "
import socket, time
s = socket.create_connection(('127.0.0.1', $port))
s.sendall(b'GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n')
s.recv(65536)
time.sleep(30)" &
  idle_pid=$!
  sleep 0.3
  t0=$(date +%s%N)
  kill -INT "$server_pid"
  wait "$server_pid"
  code=$?
  ms=$((($(date +%s%N) - t0) / 1000000))
  kill "$idle_pid" 2>/dev/null
  wait "$idle_pid" 2>/dev/null
  echo "SIGINT: exit $code after $ms ms"
  [[ $code -eq 130 ]] && pass || fail "exit $code after SIGINT, expected 130"
  [[ $ms -lt 2000 ]] && pass || fail "SIGINT took $ms ms to stop the server"

  # The same port again, at once; this one quiet (no request log), stopped by SIGTERM.
  if start_server "$WORK/serve2.out" "$WORK/serve2.err" "$SITE" --port "$port" --quiet; then
    pass
    "$PY" -c "
import http.client
c = http.client.HTTPConnection('127.0.0.1', $port, timeout=10)
c.request('GET', '/notes.txt')
assert c.getresponse().status == 200" && pass || fail "no answer from the server on the reused port"
    kill -TERM "$server_pid"
    wait "$server_pid"
    code=$?
    [[ $code -eq 130 ]] && pass || fail "exit $code after SIGTERM, expected 130"
    grep -q "GET /notes.txt" "$WORK/serve2.err" && fail "--quiet still logs requests" || pass
  else
    kill "$server_pid" 2>/dev/null
  fi
fi
finish
