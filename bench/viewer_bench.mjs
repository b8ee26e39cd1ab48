// Frame rate and time to first frame of the globe viewer in headless Chromium (software WebGL):
//   node bench/viewer_bench.mjs URL [SECONDS] [MULTIPLIER] [WIDTHxHEIGHT]
// URL is a viewer page served by `skyfence serve` (http://127.0.0.1:PORT/viewer/). Prints the time from
// navigation to the first frame with every satellite placed (the page's own clock, window.skyfenceViewer
// .timings()) and its stages, then the frames drawn per second while the
// clock runs at MULTIPLIER x real time (default 60) for SECONDS (default 10) of wall time, and the time one
// update of every satellite takes (an exact key state computed, and without one). The
// viewport is WIDTHxHEIGHT CSS pixels (default 1280x800). Also prints the CPU time Chromium's processes spent
// per frame (/proc), which does not depend on how busy the machine is. Run by bench/viewer_bench.sh.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const web = process.env.SKYFENCE_WEB || path.join(here, "..", "web");
const { launchHeadlessChromium } = await import(pathToFileURL(path.join(web, "headless_chromium.mjs")).href);
const [url, secondsText = "10", multiplierText = "60", size = "1280x800"] = process.argv.slice(2);
const seconds = Number(secondsText), multiplier = Number(multiplierText);
const [width, height] = size.split("x").map(Number);

// CPU time (ms, user + system) of this process's descendants (Chromium's browser, renderer and GPU
// processes), from /proc: what a frame costs whatever else runs on the machine. `byType` gets it per
// Chromium process type (--type=renderer, gpu-process...; "browser" for the main process).
function childrenCpuMs(byType = {}) {
  const stats = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, "utf8");
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch { /* the process ended */ }
  }
  let ticks = 0;
  for (const [pid, s] of stats) {
    for (let p = s.ppid; p > 1; p = stats.get(p) ? stats.get(p).ppid : 0) {
      if (p !== process.pid) continue;
      ticks += s.ticks;
      let type = "browser";
      try {
        const m = readFileSync(`/proc/${pid}/cmdline`, "utf8").match(/--type=([a-z-]+)/);
        if (m) type = m[1];
      } catch { /* the process ended */ }
      byType[type] = (byType[type] || 0) + s.ticks * 10;
      break;
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

const browser = await launchHeadlessChromium();
try {
    const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === "true" && window.skyfenceViewer.framesInLast(60) > 0,
    null, { timeout: 120000, polling: 10 });
  const firstFrame = (Date.now() - t0) / 1000;
  const satellites = await page.evaluate(() => window.skyfenceViewer.satelliteCount());
  await page.evaluate((m) => window.skyfenceViewer.play(m), multiplier);
  await page.waitForTimeout(2000); // warm-up: imagery tiles, first key states
  const before = await page.evaluate(() => performance.now());
  const typesBefore = {}, typesAfter = {};
  const cpuBefore = childrenCpuMs(typesBefore);
  await page.waitForTimeout(seconds * 1000);
  const cpuAfter = childrenCpuMs(typesAfter);
  const [after, frames] = await page.evaluate((s) => [performance.now(), window.skyfenceViewer.framesInLast(s)],
    seconds);
  const fps = frames / ((after - before) / 1000);
  const stats = await page.evaluate((s) => window.skyfenceViewer.frameStats(s), seconds);
  const rendering = await page.evaluate(() => window.skyfenceViewer.rendering());
  // One hour and a half into the window: two instants 10 s apart, the first needing a new key state.
  const [withKey, withoutKey] = await page.evaluate(() => {
    const v = window.skyfenceViewer, at = Date.parse(v.window()[0]) + 5430000;
    const t0 = performance.now();
    v.drawnPositions(new Date(at).toISOString());
    const t1 = performance.now();
    v.drawnPositions(new Date(at + 10000).toISOString());
    return [t1 - t0, performance.now() - t1];
  });
  console.log(`satellites: ${satellites}; viewport ${width}x${height}`);
  console.log(`satellite update: ${withKey.toFixed(0)} ms with a new key state, ${withoutKey.toFixed(0)} ms between keys`);
  const t = await page.evaluate(() => window.skyfenceViewer.timings());
  console.log(`first frame with every satellite placed: ${(t.first_frame / 1000).toFixed(2)} s after navigation ` +
    `(the page's clock; the driver, polling, saw it after ${firstFrame.toFixed(2)} s)`);
  console.log(`  stages (s after navigation): data parsed ${(t.data / 1000).toFixed(2)}, globe made ` +
    `${(t.globe / 1000).toFixed(2)}, satellites initialised ${(t.satellites / 1000).toFixed(2)}, page ready ` +
    `${(t.ready / 1000).toFixed(2)}`);
  console.log(`frame rate: ${fps.toFixed(1)} frames/s over ${seconds} s at ${multiplier}x (${frames} frames)`);
  console.log(`  CPU time of Chromium's processes: ${((cpuAfter - cpuBefore) / frames).toFixed(0)} ms a frame ` +
    `(${((cpuAfter - cpuBefore) / ((after - before))).toFixed(2)} cores busy on average): ` +
    Object.keys(typesAfter).filter((k) => typesAfter[k] - (typesBefore[k] || 0) >= frames)
      .map((k) => `${k} ${((typesAfter[k] - (typesBefore[k] || 0)) / frames).toFixed(0)} ms`).join(", "));
  console.log(`  a frame: ${stats.interval_ms?.toFixed(1)} ms apart, of which the satellites' update ` +
    `${stats.satellites_ms?.toFixed(1)} ms; renderer ${rendering.software || "hardware"}, resolution scale ` +
    `${rendering.resolutionScale}, globe maximumScreenSpaceError ${rendering.maximumScreenSpaceError}`);
  if (errors.length) console.log(`console errors: ${errors.join(" | ")}`);
} finally {
  await browser.close();
}
