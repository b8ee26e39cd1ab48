# `cmake --install BUILD --component cli`: the skyfence command and the viewer's sources in
# PREFIX/share/skyfence/web, which the installed skyfence uses to write viewers (its own copy, not the
# source tree's: a mark added to the installed page comes out in the viewer it writes).
source "$(dirname "$0")/lib.bash"
BUILD="$(dirname "$SKYFENCE")"
WEB_SRC="$(cd "$(dirname "$0")/../../web" && pwd)"
P="$WORK/prefix"

if [[ ! -f "$WEB_SRC/node_modules/cesium/Build/Cesium/Cesium.js" ]]; then
  echo "FAIL: the viewer's npm packages are not installed in $WEB_SRC/node_modules: run make deps" >&2
  exit 1
fi
expect_exit 0 "cmake --install --component cli" -- cmake --install "$BUILD" --component cli --prefix "$P"
[[ -x "$P/bin/skyfence" ]] && pass || fail "bin/skyfence not installed"
W="$P/share/skyfence/web"
for f in viewer/index.html viewer/viewer.js node_modules/cesium/Build/Cesium/Cesium.js \
  node_modules/cesium/Build/Cesium/Widgets/widgets.css node_modules/cesium/Build/Cesium/Assets/approximateTerrainHeights.json \
  node_modules/satellite.js/dist/io.js node_modules/satellite.js/dist/propagation/sgp4.js; do
  [[ -s "$W/$f" ]] && pass || fail "share/skyfence/web/$f not installed"
done
[[ ! -e "$W/node_modules/satellite.js/dist/wasm" && ! -e "$W/node_modules/satellite.js/dist/index.js" &&
  ! -e "$W/node_modules/cesium/Build/Cesium/Assets/Textures/SkyBox" && ! -e "$W/node_modules/playwright-core" ]] &&
  pass || fail "files the viewer does not use were installed"
size_kib=$(du -sk "$W" | cut -f1)
((size_kib < 13000)) && pass || fail "share/skyfence/web takes $size_kib KiB (13 MB expected at most)"

# The installed skyfence writes a viewer from its own web/ copy, with SKYFENCE_WEB unset.
echo "/* installed-copy-mark */" >>"$W/viewer/viewer.css"
expect_exit 0 "run" -- "$SKYFENCE" run "$DATA/scenario/small.toml" -o "$WORK/res" -q
expect_exit 0 "installed view" -- env -u SKYFENCE_WEB "$P/bin/skyfence" view "$WORK/res" -q
expect_grep "installed-copy-mark" "$WORK/res/viewer/viewer.css" "the installed skyfence uses the installed web/"
cmp -s "$WEB_SRC/node_modules/cesium/Build/Cesium/Cesium.js" "$WORK/res/viewer/cesium/Cesium.js" && pass ||
  fail "the installed viewer's Cesium.js differs from the package's"
# The built skyfence still uses the source tree's.
expect_exit 0 "built view" -- env -u SKYFENCE_WEB "$SKYFENCE" view "$WORK/res" -q
grep -q "installed-copy-mark" "$WORK/res/viewer/viewer.css" && fail "the built skyfence used the installed web/" || pass
finish
