// Frame rate and time to first frame of the globe viewer in headless Chromium (software WebGL):
//   node bench/viewer_bench.mjs URL [SECONDS] [MULTIPLIER] [WIDTHxHEIGHT]
// URL is a viewer page served by `skyfence serve` (http://127.0.0.1:PORT/viewer/). Prints the time from
// navigation to the first frame with every satellite placed (the page's own clock, window.skyfenceViewer
// .timings()) and its stages, then the frames drawn per second while the
// clock runs at MULTIPLIER x real time (default 60) for SECONDS (default 10) of wall time, and the time one
// update of every satellite takes (an exact key state computed, and without one). The
// viewport is WIDTHxHEIGHT CSS pixels (default 1280x800). Run by bench/viewer_bench.sh.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const web = process.env.SKYFENCE_WEB || path.join(here, "..", "web");
const { launchHeadlessChromium } = await import(pathToFileURL(path.join(web, "headless_chromium.mjs")).href);
const [url, secondsText = "10", multiplierText = "60", size = "1280x800"] = process.argv.slice(2);
const seconds = Number(secondsText), multiplier = Number(multiplierText);
const [width, height] = size.split("x").map(Number);

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
  await page.waitForTimeout(seconds * 1000);
  const [after, frames] = await page.evaluate((s) => [performance.now(), window.skyfenceViewer.framesInLast(s)],
    seconds);
  const fps = frames / ((after - before) / 1000);
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
  if (errors.length) console.log(`console errors: ${errors.join(" | ")}`);
} finally {
  await browser.close();
}
