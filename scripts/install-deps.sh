#!/usr/bin/env bash
# Installs the Debian 12 packages skyfence needs to build, test and benchmark, and the globe viewer's npm
# packages (web/package-lock.json: CesiumJS, satellite.js, playwright-core) into web/node_modules.
# Does nothing (and needs no network) when every package is already installed and web/node_modules matches
# the lock file. Nothing is fetched at build or run time: only here.
# Usage: scripts/install-deps.sh [--bench]   (--bench adds the benchmark peers)
set -euo pipefail

packages=(
  cmake ninja-build g++ make pkg-config
  libgeographiclib-dev libs2-dev libcli11-dev libtomlplusplus-dev libfmt-dev
  nlohmann-json3-dev libtbb-dev libsqlite3-dev libxsimd-dev libpugixml-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  iso-codes libpng-dev chromium clang clang-format libclang-rt-14-dev
  python3 python3-numpy python3-sgp4 python3-skyfield
  python3-dev pybind11-dev python3-pytest python3-pandas python3-xarray
  python3-distributed python3-dask python3-zarr
)
# The viewer's packages (and satellite.js for the benchmarks) come from npm; a Node.js already on PATH
# (e.g. one that bundles npm) is kept.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-scipy python3-networkx python3-shapely)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# web/node_modules from web/package-lock.json (`npm ci`: exactly the locked versions), again only when the
# lock file changed since the last install (its hash is kept in web/node_modules/.skyfence-lock).
web="$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)"
lock_hash="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
if [[ "$(cat "$web/node_modules/.skyfence-lock" 2>/dev/null)" != "$lock_hash" ]]; then
  echo "install-deps: npm ci in $web (CesiumJS, satellite.js, playwright-core)" >&2
  (cd "$web" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  echo "$lock_hash" >"$web/node_modules/.skyfence-lock"
fi
