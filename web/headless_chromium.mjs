// Debian's Chromium, headless with software WebGL, driven by the pinned playwright-core: the one launch
// the viewer's test (tests/viewer/browser_check.mjs) and its benchmark (bench/viewer_bench.mjs) share.
// Flags: no sandbox (run as root in CI), none of Chromium's own network traffic (the machine is offline),
// SwiftShader for WebGL (see webglFlags). SKYFENCE_CHROMIUM overrides /usr/bin/chromium.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(path.join(here, "package.json"))("playwright-core");

// SKYFENCE_WEBGL=llvmpipe draws WebGL with Mesa's llvmpipe (ANGLE over EGL) instead of SwiftShader, both
// software renderers: the benchmark compares them (bench/viewer_bench.sh); unset or "swiftshader" is the
// default.
function webglFlags() {
  const choice = process.env.SKYFENCE_WEBGL || "swiftshader";
  if (choice === "swiftshader") return ["--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"];
  if (choice === "llvmpipe") return ["--use-gl=angle", "--use-angle=gl-egl"];
  throw new Error(`SKYFENCE_WEBGL=${choice}: expected swiftshader or llvmpipe`);
}

export function launchHeadlessChromium() {
  return chromium.launch({
    executablePath: process.env.SKYFENCE_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--no-first-run", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--disable-quic", ...webglFlags(), "--ignore-gpu-blocklist"],
  });
}
