// The globe viewer in headless Chromium (software WebGL), served by `skyfence serve`:
//   node browser_check.mjs URL EXPECTED_SATELLITES EXPECTED_POSITIONS.json SCREENSHOT.png [ROUTES_URL SWAP.json]
// URL is the viewer's page (http://127.0.0.1:PORT/viewer/). EXPECTED_POSITIONS.json maps ISO instants to
// {"provider/norad": [x, y, z] km} from `skyfence propagate --frame itrf`. Checks: the page loads with no
// console error and no failed request; every request to a host other than 127.0.0.1 is blocked, and there
// are none; the satellite count shown equals EXPECTED_SATELLITES; the positions drawn at each instant agree
// with skyfence's within 1 km; the globe area of a screenshot is not blank; a provider that a variant adds
// is drawn in that variant only. ROUTES_URL is a second viewer, with routes and a catalog swap: its routes
// are drawn, and choosing the swap draws the swapped-in satellites where SWAP.json ({"variant",
// "positions": {ISO: {"provider/norad": [x, y, z] km}}}) puts them, with the variant's routes. Exit 0
// when all hold.
// playwright-core comes from web/node_modules (SKYFENCE_WEB overrides web/); Chromium is Debian's.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const web = process.env.SKYFENCE_WEB || path.join(here, "..", "..", "web");
const { launchHeadlessChromium } = await import(pathToFileURL(path.join(web, "headless_chromium.mjs")).href);
const { PNG } = await loadPngDecoder();

// Resolves once the page has drawn `n` more frames (a change shown), or fails after 20 s.
async function framesDrawn(page, n = 2) {
  const start = await page.evaluate(() => window.skyfenceViewer.frameCount());
  await page.waitForFunction(([s, k]) => window.skyfenceViewer.frameCount() >= s + k, [start, n], { timeout: 20000 });
}

// Whether a pixel within `radius` of (x, y) (CSS pixels) of a screenshot is within `tolerance` of `rgb` in
// every channel.
function colourNear(img, x, y, rgb, radius = 4, tolerance = 40) {
  for (let v = Math.round(y) - radius; v <= Math.round(y) + radius; ++v) {
    for (let u = Math.round(x) - radius; u <= Math.round(x) + radius; ++u) {
      if (u < 0 || v < 0 || u >= img.width || v >= img.height) continue;
      const k = 4 * (v * img.width + u);
      if (rgb.every((c, i) => Math.abs(img.data[k + i] - c) <= tolerance)) return true;
    }
  }
  return false;
}

const [url, expectedCountText, positionsFile, screenshotFile, routesUrl, swapFile] = process.argv.slice(2);
const expectedCount = Number(expectedCountText);
const expected = JSON.parse(readFileSync(positionsFile, "utf8"));
const failures = [];
const check = (ok, what) => {
  if (ok) console.log(`ok: ${what}`);
  else { console.log(`FAIL: ${what}`); failures.push(what); }
};

// Chromium's own PNG decoding through the page would need the page; a tiny decoder via zlib is enough.
async function loadPngDecoder() {
  const zlib = await import("node:zlib");
  return {
    PNG: {
      // RGBA pixels of an 8-bit RGBA or RGB, non-interlaced PNG (what Chromium's screenshots are).
      decode(buf) {
        let pos = 8, width = 0, height = 0, colourType = 0;
        const idat = [];
        while (pos < buf.length) {
          const len = buf.readUInt32BE(pos), type = buf.toString("ascii", pos + 4, pos + 8);
          const body = buf.subarray(pos + 8, pos + 8 + len);
          if (type === "IHDR") {
            width = body.readUInt32BE(0); height = body.readUInt32BE(4); colourType = body[9];
            if (body[8] !== 8 || body[12] !== 0) throw new Error("unsupported PNG");
          } else if (type === "IDAT") idat.push(body);
          pos += 12 + len;
        }
        const bpp = colourType === 6 ? 4 : 3;
        const raw = zlib.inflateSync(Buffer.concat(idat));
        const stride = width * bpp, out = Buffer.alloc(width * height * 4);
        let prev = Buffer.alloc(stride);
        for (let y = 0; y < height; ++y) {
          const f = raw[y * (stride + 1)], line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
          for (let x = 0; x < stride; ++x) {
            const a = x >= bpp ? line[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
            const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
            const pred = f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1
              : f === 4 ? (pa <= pb && pa <= pc ? a : pb <= pc ? b : c) : 0;
            line[x] = (line[x] + pred) & 255;
          }
          for (let x = 0; x < width; ++x) {
            for (let k = 0; k < 3; ++k) out[4 * (y * width + x) + k] = line[bpp * x + k];
            out[4 * (y * width + x) + 3] = bpp === 4 ? line[bpp * x + 3] : 255;
          }
          prev = line;
        }
        return { width, height, data: out };
      },
    },
  };
}

const browser = await launchHeadlessChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, serviceWorkers: "block" });
  const page = await context.newPage();
  const consoleErrors = [], failedRequests = [], blocked = [];
  const watch = (pg) => {
    pg.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    pg.on("pageerror", (e) => consoleErrors.push(String(e)));
    pg.on("response", (r) => { if (r.status() >= 400) failedRequests.push(`${r.status()} ${r.url()}`); });
    pg.on("requestfailed", (r) => {
      if (!blocked.includes(r.url())) failedRequests.push(`failed ${r.url()}`);
    });
  };
  watch(page);
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if ((u.protocol === "http:" || u.protocol === "https:" || u.protocol === "ws:" || u.protocol === "wss:") &&
        u.hostname !== "127.0.0.1") {
      blocked.push(route.request().url());
      return route.abort("blockedbyclient");
    }
    return route.continue();
  });

  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === "true" && window.skyfenceViewer.cellsReady(),
    null, { timeout: 30000 });
  // A few frames after the data is in, so that the imagery tiles are drawn.
  await page.waitForFunction(() => window.skyfenceViewer.framesInLast(10) > 5, null, { timeout: 20000 });
  await page.waitForLoadState("networkidle");
  console.log(`viewer ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const shown = Number(await page.textContent("#satellite-count"));
  check(shown === expectedCount, `the page shows ${shown} satellites; the scenario has ${expectedCount}`);
  check(await page.evaluate(() => window.skyfenceViewer.satelliteCount()) === expectedCount,
    "the viewer holds every satellite");

  // Positions drawn at each instant against skyfence's.
  // Two minutes before each instant first: the worker then computes the key state at the instant ahead
  // of the clock (keys_worker.js), and the positions compared come from it, unless the page computed that
  // key itself before (the window's start, placed when the page loads): both paths are compared.
  let fromWorker = 0;
  for (const [iso, want] of Object.entries(expected)) {
    await page.evaluate((t) => window.skyfenceViewer.drawnPositions(t), new Date(Date.parse(iso) - 120000).toISOString());
    await page.waitForTimeout(1500);
    const got = await page.evaluate((t) => window.skyfenceViewer.drawnPositions(t), iso);
    if (await page.evaluate(() => window.skyfenceViewer.lastFromWorker())) ++fromWorker;
    let worst = 0, worstId = "", missing = 0;
    for (const [id, p] of Object.entries(want)) {
      const q = got[id];
      if (!q) { ++missing; continue; }
      const d = Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
      if (d > worst) { worst = d; worstId = id; }
    }
    check(Object.keys(want).length > 0 && missing === 0,
      `${iso}: all ${Object.keys(want).length} satellites of skyfence drawn (${missing} missing)`);
    check(worst <= 1.0, `${iso}: drawn positions within 1 km of skyfence propagate (worst ${worst.toFixed(4)} km, ${worstId})`);
  }

  // A click on a satellite names it (the points are drawn in one draw call of their own, picked through
  // their pick colours).
  const sat = await page.evaluate(() => window.skyfenceViewer.satelliteInView());
  check(sat !== null, "a satellite is drawn in view");
  if (sat) {
    await page.waitForTimeout(300);
    await page.mouse.click(sat.x, sat.y);
    const named = await page.evaluate(() => window.skyfenceViewer.pickedText());
    check(named.includes(`(${sat.provider}, NORAD ${sat.norad})`),
      `clicking satellite ${sat.provider}/${sat.norad} names it (${named})`);
    // It is drawn: a pixel of its provider's colour where it is, and none there once the provider is hidden.
    const rgb = (await page.evaluate((p) => window.skyfenceViewer.providerColour(p), sat.provider))
      .slice(0, 3).map((c) => Math.round(255 * Number(c)));
    const toggle = page.locator("#providers label", { hasText: sat.provider }).locator("input");
    const drawnThere = async () => {
      await framesDrawn(page);
      return colourNear(PNG.decode(await page.screenshot()), sat.x, sat.y, rgb);
    };
    const shownThere = await drawnThere();
    await toggle.uncheck();
    const hiddenThere = await drawnThere();
    await toggle.check();
    check(shownThere && !hiddenThere, `satellite ${sat.provider}/${sat.norad} is drawn in its provider's colour ` +
      `${JSON.stringify(rgb)} where it is (${shownThere}), and not once ${sat.provider} is hidden (${hiddenThere})`);
  }
  check(fromWorker > 0, `positions from the worker's key states compared at ${fromWorker} of ` +
    `${Object.keys(expected).length} instants`);

  // The panel: a provider's toggle hides its satellites and only them.
  const before = await page.evaluate(() => window.skyfenceViewer.shownSatellites());
  const firstProvider = Object.keys(before)[0];
  await page.locator("#providers input").first().uncheck();
  const hidden = await page.evaluate(() => window.skyfenceViewer.shownSatellites());
  check(hidden[firstProvider] === 0 && Object.keys(before).every((p) => p === firstProvider || hidden[p] === before[p]),
    `unchecking ${firstProvider} hides its ${before[firstProvider]} satellites and no other`);
  await page.locator("#providers input").first().check();
  check((await page.evaluate(() => window.skyfenceViewer.shownSatellites()))[firstProvider] === before[firstProvider],
    `checking ${firstProvider} again shows them`);

  // A provider that a variant adds flies in that variant only.
  const data = await page.evaluate(() => fetch("scenario.json").then((r) => r.json()));
  const added = data.variants.find((v) => v.kind === "add_provider");
  if (added) {
    const n = data.satellites.filter((r) => r[0] === added.provider).length;
    await page.evaluate((id) => window.skyfenceViewer.chooseVariant(id), added.id);
    const inVariant = await page.evaluate(() => window.skyfenceViewer.shownSatellites());
    await page.evaluate(() => window.skyfenceViewer.chooseVariant("baseline"));
    const inBaseline = await page.evaluate(() => window.skyfenceViewer.shownSatellites());
    check(n > 0 && inVariant[added.provider] === n && inBaseline[added.provider] === 0 &&
      Object.keys(before).every((p) => p === added.provider || (inVariant[p] === before[p] && inBaseline[p] === before[p])),
    `${added.provider}, added by ${added.id}: its ${n} satellites drawn in that variant only ` +
      `(${JSON.stringify(inVariant)} / baseline ${JSON.stringify(inBaseline)})`);
  } else {
    console.log("note: no add-provider variant; the added provider's satellites were not checked");
  }

  // A failure variant flies its provider's fleet less the failed satellites its file lists: those are not
  // drawn, the others are, and back in the baseline all of them again.
  const failure = data.variants.find((v) => v.kind === "satellite_failure");
  if (failure) {
    const vfile = await page.evaluate((u) => fetch(u).then((r) => r.json()), failure.data);
    const failed = new Set(vfile.failed.map((n) => `${failure.provider}/${n}`));
    await page.evaluate((id) => window.skyfenceViewer.chooseVariant(id), failure.id);
    const inVariant = await page.evaluate(() => window.skyfenceViewer.shownSatellites());
    const drawn = await page.evaluate((t) => window.skyfenceViewer.drawnPositions(t), Object.keys(expected)[0]);
    const label = await page.locator("#providers .name").allTextContents();
    await page.evaluate(() => window.skyfenceViewer.chooseVariant("baseline"));
    const back = await page.evaluate(() => window.skyfenceViewer.shownSatellites());
    const ofProvider = Object.keys(drawn).filter((k) => k.startsWith(`${failure.provider}/`));
    check(failed.size > 0 && inVariant[failure.provider] === before[failure.provider] - failed.size &&
      ofProvider.length === inVariant[failure.provider] && ofProvider.every((k) => !failed.has(k)) &&
      back[failure.provider] === before[failure.provider] &&
      Object.keys(before).every((p) => p === failure.provider || inVariant[p] === before[p]),
    `${failure.id}: ${failed.size} failed ${failure.provider} satellites not drawn, the other ` +
      `${inVariant[failure.provider]} drawn; all ${back[failure.provider]} back in the baseline`);
    check(label.some((t) => t.startsWith(`${failure.provider} (${before[failure.provider] - failed.size}, as in ${failure.id})`)),
      `the panel counts ${failure.provider}'s satellites in ${failure.id} (${label.join("; ")})`);
  }

  // Cells and terminals follow the chosen layer: a layer served nowhere but covered everywhere (a provider
  // forbidding the region) is red for service under policy and green for coverage.
  const denied = data.cell_layers.find((l) => l.served.every((v) => v === 0) && l.coverage.every((v) => v === 1));
  if (denied) {
    await page.selectOption("#cell-variant", denied.variant);
    await page.selectOption("#cell-provider", denied.provider);
    await page.selectOption("#cell-metric", "served");
    const red = await page.evaluate(() => window.skyfenceViewer.cellColours());
    check(red.length === data.cells.length && red.every(([r, g]) => r > 150 && g < 80),
      `${denied.variant} / ${denied.provider}, served: every cell red (${JSON.stringify(red[0])})`);
    await page.selectOption("#cell-metric", "coverage");
    const green = await page.evaluate(() => window.skyfenceViewer.cellColours());
    check(green.every(([r, g]) => g > 150 && r < 80),
      `${denied.variant} / ${denied.provider}, coverage: every cell green (${JSON.stringify(green[0])})`);
    const t = data.terminals.find((x) => x.service.some((s) => s.variant === denied.variant &&
      s.provider === denied.provider && s.served === 0));
    if (t) {
      const c = await page.evaluate((id) => window.skyfenceViewer.terminalColour(id), t.id);
      check(c && c[0] > 0.6 && c[1] < 0.3, `terminal ${t.id}, unserved in that layer, is red (${JSON.stringify(c)})`);
    }
  } else {
    console.log("note: no layer served nowhere and covered everywhere; the layer colours were not checked");
  }

  // Terminals: every one drawn, the toggle hides and shows them all.
  check(await page.evaluate(() => window.skyfenceViewer.terminalCount()) === data.terminals.length,
    `${data.terminals.length} terminals drawn, as in the scenario`);
  await page.locator("#terminals-on").uncheck();
  const hiddenTerminals = await page.evaluate(() => window.skyfenceViewer.terminalsShown());
  await page.locator("#terminals-on").check();
  check(hiddenTerminals === 0 && await page.evaluate(() => window.skyfenceViewer.terminalsShown()) === data.terminals.length,
    "the terminals' toggle hides and shows them");

  // Terminals' states step by step: a series per (variant, provider, terminal); the colour follows the
  // clock: at a change, the step before and the step of the change differ as scenario.json says.
  const series = data.terminal_states;
  check(series.length === data.terminals.length * data.cell_layers.filter((l) => l.provider !== "any").length,
    `a state series for every terminal under every provider of every variant (${series.length})`);
  const stepMs = data.run.step_s * 1000, startMs = Date.parse(data.run.start_utc);
  const isoAt = (step) => new Date(startMs + step * stepMs).toISOString();
  const COLOUR = { s: null, d: (c) => c[0] > 0.9 && c[1] < 0.3 && c[2] < 0.3, u: (c) => Math.abs(c[0] - 0.45) < 0.01 && Math.abs(c[1] - 0.45) < 0.01 };
  const changing = series.find((x) => x.steps.length > 1) || series[0];
  await page.selectOption("#cell-variant", changing.variant);
  await page.selectOption("#cell-provider", changing.provider);
  await page.selectOption("#terminal-colour", "state");
  let stateOk = 0;
  for (let k = 0; k < changing.steps.length && k < 4; ++k) {
    const at = isoAt(changing.steps[k]);
    const got = await page.evaluate(([v, p, id, t]) => window.skyfenceViewer.terminalState(v, p, id, t),
      [changing.variant, changing.provider, changing.terminal, at]);
    const want = { s: "served", u: "not covered", d: "denied" }[changing.states[k]];
    await page.evaluate((t) => window.skyfenceViewer.setTime(t), at);
    const c = await page.evaluate((id) => window.skyfenceViewer.terminalColour(id), changing.terminal);
    const colourOk = changing.states[k] === "s"
      ? JSON.stringify(c.map((x) => x.toFixed(2))) === JSON.stringify(await page.evaluate((p) => window.skyfenceViewer.providerColour(p), changing.provider))
      : COLOUR[changing.states[k]](c);
    if (got && got.state === want && colourOk) ++stateOk;
    else console.log(`  ${changing.terminal} at ${at}: ${JSON.stringify(got)}, colour ${JSON.stringify(c)}; expected ${want}`);
  }
  check(stateOk === Math.min(4, changing.steps.length),
    `${changing.variant} / ${changing.provider} / ${changing.terminal}: state and colour at ${stateOk} changes as scenario.json says`);
  const deniedSeries = series.find((x) => x.states.includes("d") && x.rules[String(x.states.indexOf("d"))]);
  if (deniedSeries) {
    const k = deniedSeries.states.indexOf("d");
    const got = await page.evaluate(([v, p, id, t]) => window.skyfenceViewer.terminalState(v, p, id, t),
      [deniedSeries.variant, deniedSeries.provider, deniedSeries.terminal, isoAt(deniedSeries.steps[k])]);
    check(got && got.state === "denied" && got.rules === deniedSeries.rules[String(k)],
      `${deniedSeries.terminal} denied in ${deniedSeries.variant} by rule ${deniedSeries.rules[String(k)]} (${JSON.stringify(got)})`);
  }
  // A moving terminal is drawn where its track is at a sample time.
  const mover = data.terminals.find((t) => t.track.length > 1);
  if (mover) {
    const [iso, lat, lon] = mover.track[1];
    await page.evaluate((t) => window.skyfenceViewer.setTime(t), iso);
    const at = await page.evaluate((id) => window.skyfenceViewer.terminalPosition(id), mover.id);
    check(at && Math.abs(at[0] - lon) < 1e-6 && Math.abs(at[1] - lat) < 1e-6,
      `moving terminal ${mover.id} drawn on its track at ${iso} (${JSON.stringify(at)})`);
  }

  // Forbidden regions: a toggle per (variant, provider) policy, each with the scenario's regions.
  const wantLayers = {};
  for (const r of data.policy_regions) {
    const key = `${r.variant}/${r.provider}`;
    wantLayers[key] = (wantLayers[key] || 0) + 1;
  }
  const layers = await page.evaluate(() => window.skyfenceViewer.policyLayers());
  check(Object.keys(layers).length === Object.keys(wantLayers).length &&
    Object.entries(wantLayers).every(([k, n]) => layers[k] && layers[k].regions === n),
  `forbidden regions: ${JSON.stringify(layers)} drawn, ${data.policy_regions.length} regions in the scenario`);
  const toggles = page.locator("#policies input");
  check(await toggles.count() === Object.keys(wantLayers).length, "a toggle per policy layer");
  let toggled = 0;
  for (let i = 0; i < await toggles.count(); ++i) {
    const key = await toggles.nth(i).getAttribute("data-layer");
    await toggles.nth(i).check();
    const on = await page.evaluate(() => window.skyfenceViewer.policyLayers());
    await toggles.nth(i).uncheck();
    const off = await page.evaluate(() => window.skyfenceViewer.policyLayers());
    if (on[key].shown && !off[key].shown &&
        Object.keys(on).every((k) => k === key || on[k].shown === off[k].shown)) ++toggled;
  }
  check(toggled === Object.keys(wantLayers).length, `each policy layer's toggle shows and hides it alone (${toggled})`);
  if (data.policy_regions.length > 0) {
    // Pointing at the first region names its rule (hover), and so does a click.
    const r = data.policy_regions[0];
    await toggles.first().check();
    const ring = r.polygons[0][0];
    const lon = ring.slice(0, -1).reduce((a, v) => a + v[0], 0) / (ring.length - 1);
    const lat = ring.slice(0, -1).reduce((a, v) => a + v[1], 0) / (ring.length - 1);
    await page.evaluate(([x, y]) => window.skyfenceViewer.lookAt(x, y, 1.5e6), [lon, lat]);
    await page.waitForFunction(() => window.skyfenceViewer.framesInLast(1) > 1, null, { timeout: 20000 });
    await page.waitForTimeout(300);
    const pos = await page.evaluate(() => window.skyfenceViewer.regionWindowPosition(0));
    // The region is drawn on the globe: around the point, redder with its layer shown than hidden.
    const redness = async () => {
      await page.waitForFunction(() => window.skyfenceViewer.framesInLast(1) > 1, null, { timeout: 20000 });
      await page.waitForTimeout(1000);
      const img = PNG.decode(await page.screenshot());
      let sum = 0, n = 0;
      for (let y = Math.round(pos[1]) - 6; y <= Math.round(pos[1]) + 6; ++y) {
        for (let x = Math.round(pos[0]) - 6; x <= Math.round(pos[0]) + 6; ++x) {
          const k = 4 * (y * img.width + x);
          sum += img.data[k] - (img.data[k + 1] + img.data[k + 2]) / 2; ++n;
        }
      }
      return sum / n;
    };
    // The imagery is redrawn tile by tile after a toggle: wait (up to 10 s) for the colour to settle.
    const settled = async (ok) => {
      let last = await redness();
      for (let k = 0; k < 10 && !ok(last); ++k) last = await redness();
      return last;
    };
    const redOn = await settled((x) => x > 20);
    await toggles.first().uncheck();
    const redOff = await settled((x) => x < redOn - 20);
    await toggles.first().check();
    check(redOn > redOff + 20, `${r.region} is drawn red on the globe while its layer is shown ` +
      `(red over green and blue ${redOn.toFixed(1)} shown, ${redOff.toFixed(1)} hidden)`);
    await page.mouse.move(pos[0] - 3, pos[1]);
    await page.waitForTimeout(250);
    await page.mouse.move(pos[0], pos[1], { steps: 2 });
    await page.waitForFunction((id) => window.skyfenceViewer.pickedText().includes(id), `"${r.rule}"`, { timeout: 5000 })
      .catch(() => {});
    const hovered = await page.evaluate(() => window.skyfenceViewer.pickedText());
    check(hovered.includes(`"${r.rule}"`), `hovering over ${r.region} names its rule (${hovered})`);
    await page.evaluate(() => { document.getElementById("picked").textContent = ""; });
    await page.mouse.click(pos[0], pos[1]);
    const clicked = await page.evaluate(() => window.skyfenceViewer.pickedText());
    check(clicked.includes(`"${r.rule}"`) && (!r.description || clicked.includes(r.description)),
      `clicking ${r.region} names its rule and description (${clicked})`);
  }

  // Routes to the internet (a second results folder, of a scenario with gateways and latency): the chosen
  // terminal's route at a latency step is scenario.json's, drawn from the terminal through the satellites
  // where they are drawn to the gateway and the PoP.
  if (routesUrl) {
    const page2 = await context.newPage();
    watch(page2);
    await page2.goto(routesUrl);
    await page2.waitForFunction(() => document.body.dataset.ready === "true" && window.skyfenceViewer.cellsReady(),
      null, { timeout: 30000 });
    const data2 = await page2.evaluate(() => fetch("scenario.json").then((r) => r.json()));
    const start2 = Date.parse(data2.run.start_utc);
    const r = data2.routes.find((x) => x.paths.some((p) => p.length > 0));
    check(data2.routes.length > 0 && r !== undefined, `routes in the second viewer (${data2.routes.length} terminals)`);
    const options = await page2.locator("#route-terminal option").count();
    check(options === data2.routes.length + 1, `a route choice per terminal with routes (${options - 1})`);
    if (r) {
      const k = r.paths.findIndex((p) => p.length > 0);
      await page2.evaluate((t) => window.skyfenceViewer.drawnPositions(t), new Date(start2 + r.t_s[k] * 1000 + 30000).toISOString());
      const got = await page2.evaluate((key) => window.skyfenceViewer.route(key), `${r.provider}/${r.terminal}`);
      const path = r.paths[k].split(" ");
      const sat = await page2.evaluate(([p, n]) => window.skyfenceViewer.satellitePosition(p, n), [r.provider, path[0].slice(4)]);
      check(got && got.path.join(" ") === r.paths[k] && got.positions.length === path.length + 1 && got.drawn === path.length + 1,
        `${r.terminal}'s route at +${r.t_s[k]} s drawn as scenario.json's: ${r.paths[k]} (${got && got.drawn} points)`);
      check(path[0].startsWith("sat:") && sat && got && Math.hypot(...sat.map((v, i) => v - got.positions[1][i])) < 1e-6,
        "the serving link ends at the serving satellite where it is drawn");
      const note = await page2.evaluate(() => window.skyfenceViewer.routeNote());
      check(note.includes(path[path.length - 1]) && note.includes("RTT"), `the route is named: ${note}`);
      const none = await page2.evaluate(() => window.skyfenceViewer.route(""));
      check(none === null, "choosing no terminal draws no route");
    }
    // The catalog swap: choosing it draws the swapped-in satellites (fetched then) instead of the
    // provider's, where `skyfence propagate` puts the catalog's at the shifted instants, and its routes.
    if (swapFile) {
      const swap = JSON.parse(readFileSync(swapFile, "utf8"));
      const v = data2.variants.find((x) => x.id === swap.variant);
      const baseline = await page2.evaluate(() => window.skyfenceViewer.shownSatellites());
      const requested = [];
      page2.on("request", (q) => requested.push(new URL(q.url()).pathname));
      await page2.evaluate((id) => window.skyfenceViewer.chooseVariant(id), v.id);
      check(requested.some((p) => p.endsWith(`/viewer/${v.data}`)), `choosing ${v.id} fetches ${v.data}`);
      const vdata = await page2.evaluate((f) => fetch(f).then((r) => r.json()), v.data);
      for (const [iso, want] of Object.entries(swap.positions)) {
        const got = await page2.evaluate((t) => window.skyfenceViewer.drawnPositions(t), iso);
        let worst = 0, missing = 0;
        for (const [id, p] of Object.entries(want)) {
          const q = got[id];
          if (!q) { ++missing; continue; }
          worst = Math.max(worst, Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]));
        }
        check(Object.keys(want).length > 0 && missing === 0 && worst <= 1.0,
          `${v.id} at ${iso}: the ${Object.keys(want).length} swapped-in satellites drawn within 1 km of skyfence ` +
          `propagate at the shifted instant (worst ${worst.toFixed(4)} km, ${missing} missing)`);
      }
      const shown = await page2.evaluate(() => window.skyfenceViewer.shownSatellites());
      check(shown[v.provider] === vdata.satellites.length &&
        Object.keys(baseline).every((p) => p === v.provider || shown[p] === baseline[p]),
      `${v.id}: ${v.provider} drawn with the ${vdata.satellites.length} satellites swapped in (${JSON.stringify(shown)}, ` +
        `baseline ${JSON.stringify(baseline)})`);
      const vr = vdata.routes.find((x) => x.paths.some((p) => p.length > 0));
      check(vr !== undefined && await page2.locator("#route-terminal option").count() === vdata.routes.length + 1,
        `${v.id}: a route choice per terminal with routes in the variant (${vdata.routes.length})`);
      if (vr) {
        const k = vr.paths.findIndex((p) => p.length > 0);
        await page2.evaluate((t) => window.skyfenceViewer.drawnPositions(t), new Date(start2 + vr.t_s[k] * 1000 + 30000).toISOString());
        const got = await page2.evaluate((key) => window.skyfenceViewer.route(key), `${vr.provider}/${vr.terminal}`);
        const path = vr.paths[k].split(" ");
        const sat = await page2.evaluate(([p, n]) => window.skyfenceViewer.satellitePosition(p, n), [vr.provider, path[0].slice(4)]);
        check(got && got.path.join(" ") === vr.paths[k] && got.drawn === path.length + 1 && sat &&
          Math.hypot(...sat.map((x, i) => x - got.positions[1][i])) < 1e-6,
        `${v.id}: ${vr.terminal}'s route drawn as the variant's file says, through the swapped-in satellite (${vr.paths[k]})`);
      }
      await page2.evaluate(() => window.skyfenceViewer.chooseVariant("baseline"));
      const back = await page2.evaluate(() => window.skyfenceViewer.shownSatellites());
      check(back[v.provider] === baseline[v.provider], `back to the baseline: ${back[v.provider]} ${v.provider} satellites`);
    }
    // A click on a gateway names it (the ground stations' point layer).
    await page2.evaluate(() => window.skyfenceViewer.setTime(window.skyfenceViewer.window()[0]));
    await page2.waitForFunction(() => window.skyfenceViewer.framesInLast(1) > 1, null, { timeout: 20000 });
    const gw = await page2.evaluate(() => window.skyfenceViewer.stationInView("gateway"));
    check(gw !== null, "a gateway is drawn in view");
    if (gw) {
      await page2.waitForTimeout(300);
      await page2.mouse.click(gw.x, gw.y);
      const named = await page2.evaluate(() => window.skyfenceViewer.pickedText());
      check(named === `gateway ${gw.id} (${gw.provider})`, `clicking gateway ${gw.id} names it (${named})`);
      // It is drawn: white (the square's inside) where it is, not once the gateways are hidden (the PoPs,
      // which may stand at the gateways, hidden meanwhile).
      const whiteThere = async () => {
        await framesDrawn(page2);
        return colourNear(PNG.decode(await page2.screenshot()), gw.x, gw.y, [255, 255, 255], 1, 30);
      };
      await page2.locator("#pops-on").uncheck();
      const shownThere = await whiteThere();
      await page2.locator("#gateways-on").uncheck();
      const hiddenThere = await whiteThere();
      await page2.locator("#gateways-on").check();
      await page2.locator("#pops-on").check();
      check(shownThere && !hiddenThere,
        `gateway ${gw.id} is drawn where it is (${shownThere}), and not once the gateways are hidden (${hiddenThere})`);
    }
    await page2.close();
  }

  // Back to the start, a frame drawn, then the screenshot: the globe (centre of the view) is not uniform.
  await page.evaluate((t) => window.skyfenceViewer.drawnPositions(t), Object.keys(expected)[0]);
  await page.waitForTimeout(500);
  const png = await page.screenshot({ path: screenshotFile });
  const img = PNG.decode(png);
  const cx = Math.floor(img.width / 2), cy = Math.floor(img.height / 2) - 20, half = 100;
  const colours = new Set();
  let sum = 0, sum2 = 0, n = 0;
  for (let y = cy - half; y < cy + half; ++y) {
    for (let x = cx - half; x < cx + half; ++x) {
      const k = 4 * (y * img.width + x);
      const l = 0.299 * img.data[k] + 0.587 * img.data[k + 1] + 0.114 * img.data[k + 2];
      sum += l; sum2 += l * l; ++n;
      colours.add((img.data[k] >> 3) << 10 | (img.data[k + 1] >> 3) << 5 | (img.data[k + 2] >> 3));
    }
  }
  const mean = sum / n, sd = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
  // The base map (Natural Earth II) is drawn: the view (the region from 12,000 km, right of the panel,
  // above the widgets) shows sea (blue above red and green) and land (green or brown: red or green above
  // blue), in shares of the area looked at.
  let sea = 0, land = 0, area = 0;
  for (let y = 0; y < img.height - 110; ++y) {
    for (let x = 320; x < img.width; ++x, ++area) {
      const k = 4 * (y * img.width + x), [r, g, b] = [img.data[k], img.data[k + 1], img.data[k + 2]];
      if (b > r + 30 && b > g + 10) ++sea;
      else if (Math.max(r, g) > b + 30) ++land;
    }
  }
  console.log(`view: ${(100 * sea / area).toFixed(1)} % sea, ${(100 * land / area).toFixed(1)} % land`);
  check(sea > 0.05 * area && land > 0.05 * area, "the globe's base map is drawn (sea and land in the view)");
  console.log(`globe area: mean luminance ${mean.toFixed(1)}, standard deviation ${sd.toFixed(1)}, ${colours.size} colours`);
  check(mean > 20 && sd > 8 && colours.size > 50, "the globe is drawn (the screenshot's globe area is neither blank nor uniform)");

  check(blocked.length === 0, `no request to another host than 127.0.0.1 (${blocked.length}: ${blocked.slice(0, 3).join(", ")})`);
  check(failedRequests.length === 0, `no failed request (${failedRequests.slice(0, 5).join(", ")})`);
  check(consoleErrors.length === 0, `no console error (${consoleErrors.slice(0, 5).join(" | ")})`);
} finally {
  await browser.close();
}
console.log(failures.length === 0 ? "browser checks passed" : `${failures.length} browser check(s) failed`);
process.exit(failures.length === 0 ? 0 : 1);
