# `cmake --install BUILD --component cli`: the skyfence command, the bundled data in
# PREFIX/share/skyfence/data, which the installed skyfence reads when run outside the checkout, and the
# viewer's sources in PREFIX/share/skyfence/web, which it uses to write viewers (its own copy, not the
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
size_kib=$(du -sk "$P/share/skyfence/data" | cut -f1)
((size_kib < 12000)) && pass || fail "share/skyfence/data takes $size_kib KiB (12 MB expected at most)"

# The bundled data: every file of data/ (the PROVENANCE.md files included), read by the installed skyfence
# from a folder outside the checkout with SKYFENCE_DATA unset.
D="$P/share/skyfence/data"
missing=$(cd "$REPO_DATA" && find . -type f | while read -r f; do cmp -s "$f" "$D/$f" || echo "$f"; done)
[[ -z "$missing" ]] && pass || fail "data files not installed as in data/: $missing"
[[ -s "$D/tle/PROVENANCE.md" && -s "$D/borders/PROVENANCE.md" && -s "$D/scenarios/default.toml" ]] && pass ||
  fail "share/skyfence/data lacks the PROVENANCE files or the default scenario"
mkdir -p "$WORK/elsewhere"
cd "$WORK/elsewhere" || exit 1
expect_exit 0 "installed run --check" -- env -u SKYFENCE_DATA "$P/bin/skyfence" run --check
expect_grep "^$D/scenarios/default.toml: scenario \"ukraine-reliance\" is valid" "$WORK/out" \
  "the installed skyfence resolves its default scenario in share/skyfence/data"
expect_exit 0 "installed constellations" -- env -u SKYFENCE_DATA "$P/bin/skyfence" constellations --format json
expect_grep "\"data_dir\": *\"$D\"" "$WORK/out" "the installed skyfence reads share/skyfence/data"
# A bundled catalog and the borders, by the installed binary and by the built one: the same cells and values.
cov=(coverage --catalog starlink --region MDA --level 6 --start 2026-04-27T00:00:00Z --duration 2m --step 1m -q)
expect_exit 0 "installed coverage --catalog starlink" -- env -u SKYFENCE_DATA "$P/bin/skyfence" "${cov[@]}" -o "$WORK/inst.csv"
expect_exit 0 "built coverage --catalog starlink" -- "$SKYFENCE" "${cov[@]}" -o "$WORK/built.csv"
[[ $(wc -l <"$WORK/inst.csv") -gt 1 ]] && cmp -s "$WORK/inst.csv" "$WORK/built.csv" && pass ||
  fail "the installed skyfence's coverage differs from the built one's: $(head -c 300 "$WORK/inst.csv")"
# SKYFENCE_DATA still overrides the installed folder.
expect_exit 2 "SKYFENCE_DATA overrides" -- env SKYFENCE_DATA="$WORK/nowhere" "$P/bin/skyfence" run --check
cd - >/dev/null || exit 1

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
