// The skyfence globe: a results folder's scenario.json on a CesiumJS globe (docs/viewer.md).
// Satellites are propagated here with SGP4 (satellite.js, Vallado's code) from the run's mean elements,
// TEME -> Earth-fixed with GMST, as skyfence does (orbits.js). Positions are computed exactly at key
// instants every KEY_STEP_S seconds of scenario time (position and velocity) and drawn between them by
// cubic Hermite interpolation, so a frame costs one polynomial per satellite instead of one SGP4 call; a
// worker computes the next key ahead of the clock (docs/design.md).
import { KEY_STEP_S, satelliteRecords, gmstAt, ecfState, keyStates } from "./orbits.js";
import { POINT_FLOATS, PointLayer, RegionImagery } from "./layers.js";

const Cesium = window.Cesium;
const PROVIDER_COLOURS = ["#4cc9f0", "#f72585", "#ffd166", "#06d6a0", "#b388ff", "#ff9f1c", "#90be6d", "#e9ecef"];

const statusEl = document.getElementById("status");

function fail(message) {
  statusEl.textContent = message;
  statusEl.classList.add("error");
  throw new Error(message);
}

// A share in [0, 1] as a colour from red (0) through yellow to green (1); grey when unknown.
function shareColour(v, alpha) {
  if (v === null || v === undefined || Number.isNaN(v)) return new Cesium.Color(0.5, 0.5, 0.5, alpha * 0.5);
  const lerp = (a, b, t) => a + (b - a) * t;
  const [r, g, b] = v < 0.5
    ? [lerp(200, 235, v * 2), lerp(40, 200, v * 2), 40]
    : [lerp(235, 40, (v - 0.5) * 2), lerp(200, 170, (v - 0.5) * 2), lerp(40, 80, (v - 0.5) * 2)];
  return new Cesium.Color(r / 255, g / 255, b / 255, alpha);
}

// A set of satellites drawn together: the baseline's (scenario.json's `satellites`) or the ones a
// catalog-swap variant gives its provider (its variants/K.json), in one point layer (layers.js) whose
// points the GPU moves between the two key states around the clock's time.
class Satellites {
  constructor(fields, rows, scene, colourOf) {
    this.records = satelliteRecords(fields, rows);
    this.keys = new Map(); // key index -> {states: Float64Array(6 n), ok: Uint8Array(n)}
    // The worker computes the key after the clock's; a key it has not delivered when needed is computed
    // here (the same code), so the drawing never waits and never differs.
    this.pending = new Set();
    this.worker = new Worker(new URL("keys_worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = (e) => {
      this.pending.delete(e.data.index);
      if (!this.keys.has(e.data.index)) {
        this.store(e.data.index, { states: e.data.states, ok: e.data.ok, fromWorker: true });
      }
    };
    this.worker.onerror = (e) => console.error(`keys_worker.js: ${e.message}`);
    this.worker.postMessage({ satellites: { fields, rows } });
    const n = this.records.length, colours = new Uint8Array(4 * n);
    this.records.forEach((r, i) => colours.set(colourOf(r.provider).toBytes(), 4 * i));
    this.layer = scene.primitives.add(new PointLayer(n, { colours, size: 3,
      ids: this.records.map((r) => ({ kind: "satellite", norad: r.norad, name: r.name, provider: r.provider })) }));
    this.providerShown = new Map(this.records.map((r) => [r.provider, true]));
    this.failed = new Set(); // indices of satellites a failure variant takes out (hidden)
    this.loaded = null; // the key index whose states (and the next key's) the layer holds
    this.ok = new Uint8Array(n); // whether satellite i has both key states (SGP4 did not fail)
    this.index = new Map(this.records.map((r, i) => [`${r.provider}/${r.norad}`, i]));
  }

  // Shows or hides `provider`'s satellites of this set.
  setShown(provider, on) {
    if (this.providerShown.get(provider) === on) return;
    this.providerShown.set(provider, on);
    this.refreshShown();
  }

  // Hides `provider`'s satellites of NORAD ids `norads` (a failure variant's failed ones), showing the
  // ones hidden before; none for an empty list.
  setFailed(provider, norads) {
    const failed = new Set();
    for (const n of norads) {
      const i = this.index.get(`${provider}/${n}`);
      if (i !== undefined) failed.add(i);
    }
    if (failed.size === this.failed.size && [...failed].every((i) => this.failed.has(i))) return;
    this.failed = failed;
    this.refreshShown();
  }

  // Satellites of `provider` that fly (not failed).
  flying(provider) { return this.count(provider) - [...this.failed].filter((i) => this.records[i].provider === provider).length; }

  refreshShown() {
    const shown = this.layer.shown;
    this.records.forEach((r, i) => {
      shown[i] = this.ok[i] && this.providerShown.get(r.provider) && !this.failed.has(i) ? 1 : 0;
    });
    this.layer.shownChanged = true;
    this.layer.show = [...this.providerShown.values()].some((on) => on);
  }

  // Whether satellite i is drawn now.
  drawn(i) { return this.layer.show && this.layer.shown[i] === 1; }

  // Where satellite "provider/norad" is drawn now (a Cartesian3, metres), or null when it is not drawn.
  drawnAt(key) {
    const i = this.index.get(key);
    return i !== undefined && this.drawn(i) ? this.layer.positionOf(i, new Cesium.Cartesian3()) : null;
  }

  store(index, k) {
    if (this.keys.size >= 6) this.keys.delete(this.keys.keys().next().value);
    this.keys.set(index, k);
  }

  key(index) {
    let k = this.keys.get(index);
    if (k) return k;
    k = keyStates(this.records, index);
    this.store(index, k);
    return k;
  }

  // Asks the worker for key `index` unless it is here or asked for.
  prefetch(index) {
    if (this.keys.has(index) || this.pending.has(index)) return;
    this.pending.add(index);
    this.worker.postMessage({ index });
  }

  count(provider) { return this.records.filter((r) => r.provider === provider).length; }

  // Sets the points to `ms`: the Hermite basis of the instant between the key states around it (the two
  // states are given to the layer when the clock enters another key interval). Nothing while every
  // provider of the set is hidden.
  update(ms) {
    if (!this.layer.show) return;
    const i0 = Math.floor(ms / (KEY_STEP_S * 1000));
    if (this.loaded !== i0) {
      const a = this.key(i0), b = this.key(i0 + 1);
      this.lastFromWorker = Boolean(a.fromWorker || b.fromWorker);
      const A = a.states, B = b.states, d = this.layer.data;
      for (let i = 0; i < this.records.length; ++i) {
        const k = 6 * i, o = POINT_FLOATS * i;
        this.ok[i] = a.ok[i] && b.ok[i] ? 1 : 0;
        for (let c = 0; c < 6; ++c) { d[o + c] = 1000 * A[k + c]; d[o + 6 + c] = 1000 * B[k + c]; }
      }
      this.layer.dataChanged = true;
      this.loaded = i0;
      this.refreshShown();
    }
    this.prefetch(i0 + 2);
    const h = KEY_STEP_S;
    const s = (ms / 1000 - i0 * KEY_STEP_S) / h;
    const s2 = s * s, s3 = s2 * s;
    this.layer.setBasis(2 * s3 - 3 * s2 + 1, (s3 - 2 * s2 + s) * h, -2 * s3 + 3 * s2, (s3 - s2) * h);
  }
}

// The WebGL renderer's name says whether it runs on the CPU (null when the browser does not tell).
function softwareRenderer(scene) {
  const gl = scene.canvas.getContext(scene.context.webgl2 ? "webgl2" : "webgl");
  const info = gl && gl.getExtension("WEBGL_debug_renderer_info");
  const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
  return /swiftshader|llvmpipe|softpipe|software/i.test(name) ? name : null;
}

async function main() {
  Cesium.Ion.defaultAccessToken = "";
  const response = await fetch("scenario.json");
  if (!response.ok) fail(`scenario.json: HTTP ${response.status}`);
  const data = await response.json();
  if (data.format !== "skyfence-viewer") fail("scenario.json is not a skyfence viewer data file");
  performance.mark("skyfence:data");

  // The globe's imagery: Natural Earth II (inside CesiumJS's package) with the forbidden regions shown
  // drawn over it (RegionImagery; replaced when the regions shown change).
  const baseTiles = new Map();
  const globeImagery = (regions) => new Cesium.ImageryLayer(new RegionImagery(regions,
    { baseUrl: Cesium.buildModuleUrl("Assets/Textures/NaturalEarthII"), baseTiles }));
  const viewer = new Cesium.Viewer("globe", {
    baseLayer: globeImagery([]), baseLayerPicker: false, geocoder: false, homeButton: false, sceneModePicker: false,
    navigationHelpButton: false, fullscreenButton: false, infoBox: false, selectionIndicator: false,
    skyBox: false, skyAtmosphere: false, terrainProvider: new Cesium.EllipsoidTerrainProvider(),
    shouldAnimate: true, msaaSamples: 1, orderIndependentTranslucency: false,
  });
  // Without a GPU (software WebGL) every full-screen pass costs: no multisampling, order-independent
  // translucency (the cells blend in one pass), FXAA, HDR, ground atmosphere or fog, which add nothing to
  // a map of satellites and cells (docs/performance.md).
  const scene = viewer.scene;
  scene.globe.enableLighting = false;
  scene.globe.showGroundAtmosphere = false;
  scene.fog.enabled = false;
  scene.highDynamicRange = false;
  scene.postProcessStages.fxaa.enabled = false;
  // A software rasteriser (SwiftShader, llvmpipe: no GPU) spends the frame filling pixels, most of them the
  // globe's: there the scene is drawn at half the resolution in each direction (a quarter of the pixels)
  // and scaled up, and the globe's tiles are refined less. `?resolution=1` (or any scale) overrides it.
  const software = softwareRenderer(scene);
  const asked = Number(new URLSearchParams(location.search).get("resolution"));
  viewer.resolutionScale = asked > 0 && asked <= 2 ? asked : software ? 0.5 : 1;
  if (software) scene.globe.maximumScreenSpaceError = 4;

  // The clock over the scenario's window.
  const start = Cesium.JulianDate.fromIso8601(data.run.start_utc);
  const stop = Cesium.JulianDate.fromIso8601(data.run.stop_utc);
  const clock = viewer.clock;
  clock.startTime = start.clone();
  clock.stopTime = Cesium.JulianDate.compare(stop, start) > 0 ? stop.clone()
    : Cesium.JulianDate.addSeconds(start, 3600, new Cesium.JulianDate());
  clock.currentTime = start.clone();
  clock.clockRange = Cesium.ClockRange.LOOP_STOP;
  clock.multiplier = 30;
  viewer.timeline.zoomTo(clock.startTime, clock.stopTime);

  document.getElementById("title").textContent = data.run.scenario_name;
  performance.mark("skyfence:globe");
  const colours = new Map(data.providers.map((p, i) =>
    [p.name, Cesium.Color.fromCssColorString(PROVIDER_COLOURS[i % PROVIDER_COLOURS.length])]));
  const colourOf = (name) => colours.get(name) || Cesium.Color.WHITE;
  const sats = new Satellites(data.satellite_fields, data.satellites, scene, colourOf);
  performance.mark("skyfence:satellites");

  // Each variant's own data (variants/K.json: a catalog swap's satellites, the variant's routes), fetched
  // when the variant is first chosen; a swap's satellites become a set of their own.
  const variantData = new Map(); // variant id -> Promise of {satellites: Satellites | null, routes}
  const variantLoaded = new Map(); // the same, once loaded
  const loadVariant = (v) => {
    if (!v.data) return Promise.resolve(null);
    if (!variantData.has(v.id)) {
      variantData.set(v.id, (async () => {
        const r = await fetch(v.data);
        if (!r.ok) throw new Error(`${v.data}: HTTP ${r.status}`);
        const d = await r.json();
        if (d.format !== "skyfence-viewer-variant" || d.variant !== v.id) throw new Error(`${v.data}: not variant ${v.id}'s data`);
        const x = { satellites: d.satellites.length > 0 ? new Satellites(data.satellite_fields, d.satellites, scene, colourOf) : null,
          failed: d.failed || [], routes: d.routes };
        variantLoaded.set(v.id, x);
        return x;
      })());
    }
    return variantData.get(v.id);
  };
  // Which satellites fly in the chosen variant: the baseline's, less a provider that another variant
  // adds, with a catalog swap's provider's replaced by the swap's.
  const addedBy = new Map(data.variants.filter((v) => v.kind === "add_provider").map((v) => [v.provider, v.id]));
  let currentVariant = data.variants.find((v) => v.id === "baseline") || data.variants[0];
  let currentExtra = null; // currentVariant's loaded data (null for the baseline)
  const providerOn = new Map(data.providers.map((p) => [p.name, true]));
  const providerLabels = new Map();
  const satelliteSets = () => [sats, ...[...variantLoaded.values()].map((x) => x.satellites).filter((s) => s)];
  const swapOf = (provider) => currentVariant.kind === "catalog_swap" && currentVariant.provider === provider &&
    currentExtra && currentExtra.satellites ? currentExtra.satellites : null;
  const flies = (set, provider) => {
    if (set !== sats) return set === swapOf(provider);
    if (addedBy.has(provider) && addedBy.get(provider) !== currentVariant.id) return false;
    return swapOf(provider) === null;
  };
  // The set that draws `provider`'s satellites in the chosen variant.
  const setOf = (provider) => swapOf(provider) || sats;
  const showSatellites = () => {
    // A failure variant's failed satellites are hidden (from the baseline's set, which it flies less them).
    const failure = currentVariant.kind === "satellite_failure" && currentExtra;
    sats.setFailed(failure ? currentVariant.provider : "", failure ? currentExtra.failed : []);
    for (const set of satelliteSets()) {
      for (const provider of set.providerShown.keys()) set.setShown(provider, providerOn.get(provider) !== false && flies(set, provider));
    }
    for (const p of data.providers) {
      const n = satelliteSets().reduce((a, set) => a + (flies(set, p.name) ? set.flying(p.name) : 0), 0);
      providerLabels.get(p.name).textContent = `${p.name} (${n}${p.status === "planned" ? ", planned" : ""}` +
        `${swapOf(p.name) || (failure && currentVariant.provider === p.name) ? `, as in ${currentVariant.id}` : ""})`;
    }
  };

  // Providers: a toggle each, with its colour and satellite count in the chosen variant.
  const providersEl = document.getElementById("providers");
  data.providers.forEach((p) => {
    const label = document.createElement("label");
    label.innerHTML = `<input type="checkbox" checked> <span class="swatch"></span> <span class="name"></span>`;
    label.querySelector(".swatch").style.background = colourOf(p.name).toCssColorString();
    providerLabels.set(p.name, label.querySelector(".name"));
    label.querySelector("input").addEventListener("change", (e) => { providerOn.set(p.name, e.target.checked); showSatellites(); });
    providersEl.append(label);
  });
  showSatellites();

  // Cells: one polygon each, recoloured when the layer changes.
  const cellsById = new Map();
  let cellPrimitive = null;
  if (data.cells.length > 0) {
    const instances = data.cells.map((c) => new Cesium.GeometryInstance({
      id: c[0],
      geometry: new Cesium.PolygonGeometry({
        polygonHierarchy: new Cesium.PolygonHierarchy(Cesium.Cartesian3.fromDegreesArray(
          [c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]])),
        height: 0, vertexFormat: Cesium.PerInstanceColorAppearance.VERTEX_FORMAT,
      }),
      attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(shareColour(null, 0.5)) },
    }));
    cellPrimitive = scene.primitives.add(new Cesium.Primitive({
      geometryInstances: instances,
      appearance: new Cesium.PerInstanceColorAppearance({ flat: true, translucent: true }),
      releaseGeometryInstances: true,
    }));
    data.cells.forEach((c, i) => cellsById.set(c[0], i));
  }
  const variantSel = document.getElementById("cell-variant");
  const providerSel = document.getElementById("cell-provider");
  const metricSel = document.getElementById("cell-metric");
  for (const v of data.variants) variantSel.add(new Option(v.id, v.id));
  providerSel.add(new Option("any provider", "any"));
  for (const p of data.providers) providerSel.add(new Option(p.name, p.name));
  const layerOf = () => data.cell_layers.find(
    (l) => l.variant === variantSel.value && l.provider === providerSel.value);
  const cellNote = document.getElementById("cell-note");
  const colourCells = () => {
    if (!cellPrimitive || !cellPrimitive.ready) return;
    const layer = layerOf();
    const values = layer ? layer[metricSel.value] : null;
    const known = values ? values.filter((v) => v !== null) : [];
    data.cells.forEach((c, i) => {
      const a = cellPrimitive.getGeometryInstanceAttributes(c[0]);
      a.color = Cesium.ColorGeometryInstanceAttribute.toValue(shareColour(values ? values[i] : null, 0.55));
    });
    cellNote.textContent = !layer ? "No cells for this provider in this variant (withdrawn or not yet added)."
      : known.length === 0 ? `No ${metricSel.selectedOptions[0].text} in these results (grey).`
      : `${data.cells.length} cells; mean ${(100 * known.reduce((x, y) => x + y, 0) / known.length).toFixed(1)} %`;
  };
  if (cellPrimitive) {
    scene.postRender.addEventListener(function once() {
      if (!cellPrimitive.ready) return;
      scene.postRender.removeEventListener(once);
      colourCells();
    });
  } else {
    cellNote.textContent = "These results have no cells.";
  }
  document.getElementById("cells-on").addEventListener("change", (e) => {
    if (cellPrimitive) cellPrimitive.show = e.target.checked;
  });

  // Terminals: a point each, coloured by the share of time served; moving ones follow their track.
  const terminalEntities = [];
  const trackEntities = [];
  for (const t of data.terminals) {
    let position = Cesium.Cartesian3.fromDegrees(t.lon_deg, t.lat_deg, 0);
    if (t.track.length > 1) {
      const sampled = new Cesium.SampledPositionProperty();
      for (const [time, lat, lon] of t.track)
        sampled.addSample(Cesium.JulianDate.fromIso8601(time), Cesium.Cartesian3.fromDegrees(lon, lat, 0));
      sampled.forwardExtrapolationType = Cesium.ExtrapolationType.HOLD;
      sampled.backwardExtrapolationType = Cesium.ExtrapolationType.HOLD;
      position = sampled;
      trackEntities.push(viewer.entities.add({
        polyline: {
          positions: t.track.map(([, lat, lon]) => Cesium.Cartesian3.fromDegrees(lon, lat, 0)),
          width: 1.5, material: Cesium.Color.WHITE.withAlpha(0.7),
        },
      }));
    }
    terminalEntities.push({ t, entity: viewer.entities.add({
      id: `terminal:${t.id}`, position,
      point: { pixelSize: 7, outlineWidth: 1.5, outlineColor: Cesium.Color.BLACK,
        disableDepthTestDistance: Number.POSITIVE_INFINITY },
    }) });
  }
  // Each terminal's state step by step (scenario.json's terminal_states: the steps where it changes),
  // per variant and provider: served, not covered ("uncovered") or denied, with the forbid rules.
  const stepMs = data.run.step_s * 1000;
  const startMs = Date.parse(data.run.start_utc);
  const stateSeries = new Map(); // "variant/provider/terminal" -> series
  for (const s of data.terminal_states || []) stateSeries.set(`${s.variant}/${s.provider}/${s.terminal}`, s);
  const STATE_NAMES = { s: "served", u: "not covered", d: "denied" };
  // The state of terminal `id` under `provider` in `variant` at `ms`: {state, rules} or null.
  const stateAt = (variant, provider, id, ms) => {
    const s = stateSeries.get(`${variant}/${provider}/${id}`);
    if (!s || s.steps.length === 0) return null;
    const step = Math.floor((ms - startMs) / stepMs + 1e-9);
    let lo = 0, hi = s.steps.length - 1;
    if (step < s.steps[0]) return null;
    while (lo < hi) { // the last change at or before `step`
      const mid = (lo + hi + 1) >> 1;
      if (s.steps[mid] <= step) lo = mid; else hi = mid - 1;
    }
    return { state: s.states[lo], rules: s.rules[String(lo)] };
  };
  const providerColour = colourOf;
  const DENIED = Cesium.Color.fromCssColorString("#ff2d2d"), UNCOVERED = new Cesium.Color(0.45, 0.45, 0.45, 1);
  // The providers a terminal's state is shown for: the chosen one, or every provider of the variant.
  const stateProviders = () => providerSel.value === "any" ? data.providers.map((p) => p.name) : [providerSel.value];
  // The terminal's state now in the panel's variant: the first provider serving it (by the providers'
  // order), else denied when a provider denies it, else not covered; null without states.
  const terminalStateNow = (id, ms) => {
    const states = stateProviders().map((p) => [p, stateAt(variantSel.value, p, id, ms)]).filter(([, x]) => x);
    if (states.length === 0) return null;
    const served = states.find(([, x]) => x.state === "s");
    if (served) return { state: "s", provider: served[0], states };
    return { state: states.some(([, x]) => x.state === "d") ? "d" : "u", provider: null, states };
  };
  const describeState = (now) => now.states.map(([p, x]) => `${p}: ${STATE_NAMES[x.state]}` +
    (x.state === "d" ? ` (${x.rules ? `forbid rule ${x.rules}` : "no permit rule matches"})` : "")).join("; ");
  const terminalColourMode = document.getElementById("terminal-colour");
  const terminalNote = document.getElementById("terminal-note");
  const colourTerminals = () => {
    const byState = terminalColourMode.value === "state";
    for (const { t, entity } of terminalEntities) {
      const s = t.service.find((x) => x.variant === variantSel.value && x.provider === providerSel.value);
      const summary = s ? `served ${(100 * s.served).toFixed(1)} % of the time, covered ` +
        `${(100 * s.coverage).toFixed(1)} %, ${s.decision}${s.reason ? ` (${s.reason})` : ""}` : "";
      if (byState) {
        entity.point.color = new Cesium.CallbackProperty((time) => {
          const now = terminalStateNow(t.id, Cesium.JulianDate.toDate(time).getTime());
          return !now ? shareColour(null, 1.0) : now.state === "s" ? providerColour(now.provider)
            : now.state === "d" ? DENIED : UNCOVERED;
        }, false);
        entity.point.outlineColor = Cesium.Color.BLACK;
        entity.description = new Cesium.CallbackProperty((time) => {
          const now = terminalStateNow(t.id, Cesium.JulianDate.toDate(time).getTime());
          return `${t.name} (${t.id}) at ${Cesium.JulianDate.toIso8601(time, 0)}: ` +
            (now ? describeState(now) : "no state in these results") + (summary ? `. Over the window: ${summary}` : "");
        }, false);
      } else {
        entity.point.color = shareColour(s ? s.served : null, 1.0);
        entity.point.outlineColor = s && s.decision === "deny" ? Cesium.Color.RED : Cesium.Color.BLACK;
        entity.description = s ? `${t.name}: ${summary}` : t.name;
      }
    }
    terminalNote.textContent = `${terminalEntities.length} terminals` +
      (trackEntities.length ? `, ${trackEntities.length} moving` : "");
  };
  for (const sel of [variantSel, providerSel, metricSel, terminalColourMode]) {
    sel.addEventListener("change", () => { colourCells(); colourTerminals(); });
  }
  // The chosen variant's satellites and routes (loaded on first choice; the baseline's meanwhile for the
  // providers it changes: nothing is drawn that the variant does not have once loaded).
  const nowMs = (julian) => Cesium.JulianDate.toDate(julian).getTime();
  let variantReady = Promise.resolve();
  const chooseVariant = async () => {
    const v = data.variants.find((x) => x.id === variantSel.value);
    currentVariant = v;
    currentExtra = variantLoaded.get(v.id) || null;
    showSatellites();
    fillRoutes();
    let extra = null;
    try {
      extra = await loadVariant(v);
    } catch (e) {
      console.error(`variant ${v.id}: ${e.message}`);
    }
    if (currentVariant !== v) return;
    currentExtra = extra;
    showSatellites();
    if (extra && extra.satellites) extra.satellites.update(nowMs(clock.currentTime));
    fillRoutes();
  };
  variantSel.addEventListener("change", () => { variantReady = chooseVariant(); });
  colourTerminals();
  document.getElementById("terminals-on").addEventListener("change", (e) => {
    for (const { entity } of terminalEntities) entity.show = e.target.checked;
  });
  document.getElementById("tracks-on").addEventListener("change", (e) => {
    for (const en of trackEntities) en.show = e.target.checked;
  });

  // Gateways (white squares) and PoPs (orange diamonds), a point layer each.
  const groundLayers = {};
  for (const [kind, shape, colour] of [["gateway", "square", "#ffffff"], ["pop", "diamond", "#ffb703"]]) {
    const stations = data.ground_stations.filter((g) => g.kind === kind);
    const rgba = Cesium.Color.fromCssColorString(colour).toBytes();
    const layer = new PointLayer(stations.length, { size: 14, shape, border: 0.3,
      colours: new Uint8Array(stations.flatMap(() => rgba)),
      ids: stations.map((g) => ({ kind: g.kind, id: g.id, provider: g.provider })) });
    stations.forEach((g, i) => {
      const p = Cesium.Cartesian3.fromDegrees(g.lon_deg, g.lat_deg, 0);
      layer.data.set([p.x, p.y, p.z], POINT_FLOATS * i);
    });
    groundLayers[kind] = scene.primitives.add(layer);
  }
  document.getElementById("ground-note").textContent = data.ground_stations.length === 0
    ? "No provider of this scenario has a network (gateways, PoPs)."
    : `${groundLayers.gateway.count} gateways, ${groundLayers.pop.count} PoPs`;
  for (const kind of ["gateway", "pop"]) {
    document.getElementById(`${kind}s-on`).addEventListener("change", (e) => {
      groundLayers[kind].show = e.target.checked;
    });
  }

  // Forbidden regions: a toggle per (variant, provider) policy; the regions of the policies shown are drawn
  // into the globe's imagery, a forbid rule's region filled red (its holes left open), or for a rule
  // forbidding outside its region, the region's outline.
  const policyLayers = new Map(); // "variant/provider" -> {variant, provider, regions, count, shown}
  const policyRegions = data.policy_regions || [];
  policyRegions.forEach((r, index) => {
    const key = `${r.variant}/${r.provider}`;
    if (!policyLayers.has(key)) policyLayers.set(key, { variant: r.variant, provider: r.provider, regions: [], count: 0 });
    const layer = policyLayers.get(key);
    ++layer.count;
    layer.regions.push({ polygons: r.polygons, fill: r.side === "inside", index });
  });
  let regionsDrawn = ""; // the keys of the policies whose regions the globe's imagery holds
  const drawRegions = () => {
    const shown = [...policyLayers].filter(([, l]) => l.shown);
    if (shown.map(([key]) => key).join("\n") === regionsDrawn) return;
    regionsDrawn = shown.map(([key]) => key).join("\n");
    viewer.imageryLayers.remove(viewer.imageryLayers.get(0), true);
    viewer.imageryLayers.add(globeImagery(shown.flatMap(([, l]) => l.regions)), 0);
  };
  const regionSource = () => viewer.imageryLayers.get(0).imageryProvider;
  const policiesEl = document.getElementById("policies");
  for (const [key, layer] of policyLayers) {
    const label = document.createElement("label");
    label.innerHTML = `<input type="checkbox" data-layer="">`;
    const input = label.querySelector("input");
    input.dataset.layer = key;
    input.checked = layer.variant === "baseline";
    label.append(` ${layer.provider}${layer.variant === "baseline" ? "" : ` (variant ${layer.variant})`}: ` +
      `${layer.count} region${layer.count === 1 ? "" : "s"}`);
    layer.shown = input.checked;
    input.addEventListener("change", (e) => { layer.shown = e.target.checked; drawRegions(); });
    policiesEl.append(label);
  }
  drawRegions();
  document.getElementById("policy-note").textContent = policyRegions.length === 0
    ? "No policy of this scenario forbids a region."
    : `${policyRegions.length} regions of forbid rules; point at one for its rule.`;
  const describeRegion = (r) => `forbid rule "${r.rule}" of ${r.provider}'s policy` +
    `${r.variant === "baseline" ? "" : ` (added by variant ${r.variant})`}: ${r.side} ${r.region}` +
    `${r.description ? ` - ${r.description}` : ""}${r.summary ? ` [${r.summary}]` : ""}`;

  // A chosen terminal's serving link and route to the internet (the baseline's routes, computed at the
  // scenario's latency steps): at the clock's time, the route of the last latency step, drawn from the
  // terminal through its satellites (where they are drawn now) to the gateway and the PoP.
  // The chosen variant's routes: the baseline's are in scenario.json, a variant's in its own file.
  let routes = data.routes || [];
  const routeSel = document.getElementById("route-terminal");
  const routeNote = document.getElementById("route-note");
  function fillRoutes() {
    routes = currentVariant.id === "baseline" ? data.routes || [] : currentExtra ? currentExtra.routes : [];
    const chosen = routeSel.value;
    while (routeSel.options.length > 1) routeSel.remove(1);
    for (const r of routes) routeSel.add(new Option(`${r.terminal} (${r.provider})`, `${r.provider}/${r.terminal}`));
    routeSel.value = routes.some((r) => `${r.provider}/${r.terminal}` === chosen) ? chosen : "";
    describeRoute();
  }
  const stationAt = new Map(data.ground_stations.map((g) => [`${g.provider}/${g.kind}:${g.id}`,
    Cesium.Cartesian3.fromDegrees(g.lon_deg, g.lat_deg, 0)]));
  // The route now: {path: [tokens], rtt, positions: [Cartesian3]} or null.
  const routeNow = (time) => {
    const r = routes.find((x) => `${x.provider}/${x.terminal}` === routeSel.value);
    if (!r) return null;
    const s = (Cesium.JulianDate.toDate(time).getTime() - startMs) / 1000;
    let k = -1;
    for (let i = 0; i < r.t_s.length && r.t_s[i] <= s + 1e-6; ++i) k = i;
    if (k < 0) return null;
    const path = r.paths[k] ? r.paths[k].split(" ") : [];
    const t = terminalEntities.find((x) => x.t.id === r.terminal);
    const positions = [t.entity.position.getValue(time)];
    for (const node of path) {
      if (node.startsWith("sat:")) {
        const p = setOf(r.provider).drawnAt(`${r.provider}/${node.slice(4)}`);
        if (p) positions.push(Cesium.Cartesian3.clone(p));
      } else {
        const p = stationAt.get(`${r.provider}/${node}`);
        if (p) positions.push(p);
      }
    }
    return { provider: r.provider, terminal: r.terminal, at: r.t_s[k], path, rtt: r.rtt_ms[k], positions };
  };
  const routeEntity = viewer.entities.add({
    polyline: {
      positions: new Cesium.CallbackProperty((time) => {
        const r = routeNow(time);
        return r && r.path.length > 0 ? r.positions : [];
      }, false),
      width: 3, material: Cesium.Color.fromCssColorString("#ffe66d"), arcType: Cesium.ArcType.NONE,
    },
  });
  function describeRoute() {
    const r = routeNow(clock.currentTime);
    routeNote.textContent = routes.length === 0 ? `No routes in ${currentVariant.id} (latency not computed, no provider with gateways, or not loaded yet).`
      : !routeSel.value ? `${routes.length} terminals with routes (${currentVariant.id}); choose one.`
      : !r ? "No route yet at this time."
      : r.path.length === 0 ? `${r.terminal}: no route at the latency step ${new Date(startMs + r.at * 1000).toISOString().slice(11, 16)} UTC`
      : `${r.terminal} over ${r.provider} at ${new Date(startMs + r.at * 1000).toISOString().slice(11, 16)} UTC: ` +
        `${r.path.join(" > ")}; RTT ${r.rtt.toFixed(1)} ms`;
  }
  routeSel.addEventListener("change", describeRoute);
  clock.onTick.addEventListener(() => { if (routeSel.value) describeRoute(); });
  fillRoutes();

  // Picking: what is under the pointer.
  const picked = document.getElementById("picked");
  const describe = (id) => {
    if (id instanceof Cesium.Entity) return id.description ? id.description.getValue(clock.currentTime) : id.id;
    if (id && id.kind === "satellite") return `${id.name || "NORAD " + id.norad} (${id.provider}, NORAD ${id.norad})`;
    if (id && id.kind === "policy-region") return describeRegion(policyRegions[id.index]);
    if (id && id.kind) return `${id.kind} ${id.id} (${id.provider})`;
    if (typeof id === "string") return `cell ${id}`;
    return "";
  };
  const handler = new Cesium.ScreenSpaceEventHandler(scene.canvas);
  // A click names what is under the pointer: a satellite or ground station near it, else a forbidden
  // region (the cells lie on it too; the regions of the layers shown, found in their polygons at the point
  // of the globe under the pointer), else a terminal, a cell or a route.
  const regionAt = (position) => {
    const at = viewer.camera.pickEllipsoid(position);
    if (!at) return undefined;
    const c = Cesium.Cartographic.fromCartesian(at);
    const region = regionSource().regionAt(Cesium.Math.toDegrees(c.longitude), Cesium.Math.toDegrees(c.latitude));
    return region ? { kind: "policy-region", index: region.index } : undefined;
  };
  // A satellite, gateway or PoP drawn within 5 pixels of the pointer (the nearest), by its id.
  const pointAt = (position) => {
    let best = null;
    for (const layer of [...satelliteSets().map((set) => set.layer), groundLayers.gateway, groundLayers.pop]) {
      const near = layer.pointNear(scene, position, 5);
      if (near && (!best || near.distance < best.distance)) best = { ...near, id: layer.ids[near.index] };
    }
    return best ? best.id : undefined;
  };
  const pickAt = (position) => pointAt(position) || regionAt(position) ||
    scene.drillPick(position, 4).map((p) => p.id).find((id) => id !== undefined);
  handler.setInputAction((ev) => { picked.textContent = describe(pickAt(ev.position)); },
    Cesium.ScreenSpaceEventType.LEFT_CLICK);
  // Hovering over a forbidden region names its rule (picking at most every 200 ms).
  let lastHover = 0;
  handler.setInputAction((ev) => {
    const t = performance.now();
    if (t - lastHover < 200 || policyRegions.length === 0) return;
    lastHover = t;
    const id = regionAt(ev.endPosition);
    if (id) picked.textContent = describe(id);
  }, Cesium.ScreenSpaceEventType.MOUSE_MOVE);

  // Satellites move before each frame.
  const updateSatellites = (ms) => { for (const set of satelliteSets()) set.update(ms); };
  const updateCost = []; // [start of the frame's update, ms it took], for timings
  scene.preUpdate.addEventListener((sc, time) => {
    const t0 = performance.now();
    updateSatellites(nowMs(time));
    updateCost.push([t0, performance.now() - t0]);
    if (updateCost.length > 2000) updateCost.splice(0, 1000);
  });
  updateSatellites(nowMs(clock.currentTime));

  // Looks at the region (the cells' or terminals' centre), from far enough to see the constellations.
  const centre = data.cells.length > 0
    ? data.cells.reduce((a, c) => [a[0] + c[2] / data.cells.length, a[1] + c[1] / data.cells.length], [0, 0])
    : data.terminals.length > 0 ? [data.terminals[0].lon_deg, data.terminals[0].lat_deg] : [0, 20];
  viewer.camera.setView({ destination: Cesium.Cartesian3.fromDegrees(centre[0], centre[1], 1.2e7) });

  const total = sats.records.length;
  statusEl.innerHTML = `<span id="satellite-count">${total}</span> satellites, ${data.providers.length} ` +
    `provider(s); ${data.run.start_utc.slice(0, 16).replace("T", " ")} to ` +
    `${data.run.stop_utc.slice(0, 16).replace("T", " ")} UTC`;

  // A window position `w` (CSS pixels) where the globe is not under the panel or the widgets, 20 pixels or
  // more inside the view, with its distance from the view's centre; null elsewhere.
  const inWindow = (w) => {
    const width = scene.canvas.clientWidth, height = scene.canvas.clientHeight;
    if (w.x < 20 || w.y < 20 || w.x > width - 20 || w.y > height - 20) return null;
    if (document.elementFromPoint(w.x, w.y) !== scene.canvas) return null;
    return { x: w.x, y: w.y, d: Math.hypot(w.x - width / 2, w.y - height / 2) };
  };

  // A read-only hook for tests and scripts: exact and drawn positions at an instant, frame timing.
  const frames = [];
  let frameCount = 0;
  scene.postRender.addEventListener(() => {
    ++frameCount;
    frames.push(performance.now());
    if (frames.length > 2000) frames.splice(0, 1000);
  });
  window.skyfenceViewer = Object.freeze({
    satelliteCount: () => total,
    window: () => [data.run.start_utc, data.run.stop_utc],
    cellsReady: () => !cellPrimitive || cellPrimitive.ready,
    // The forbidden regions' layers: {"variant/provider": {regions, shown}}, shown as drawn now.
    policyLayers() {
      const out = {};
      for (const [key, l] of policyLayers) out[key] = { regions: l.count, shown: l.shown };
      return out;
    },
    // A window position inside region `index` (its first ring's first vertex nudged inwards is not
    // guaranteed inside; the mean of the ring's vertices is, for the convex-ish test regions), or null.
    regionWindowPosition(index) {
      const ring = policyRegions[index].polygons[0][0];
      const n = ring.length - 1;
      const lon = ring.slice(0, n).reduce((a, v) => a + v[0], 0) / n, lat = ring.slice(0, n).reduce((a, v) => a + v[1], 0) / n;
      const w = Cesium.SceneTransforms.worldToWindowCoordinates(scene, Cesium.Cartesian3.fromDegrees(lon, lat, 0));
      return w ? [w.x, w.y] : null;
    },
    // Looks straight down at (lon, lat) from `height_m`.
    lookAt(lon, lat, heightM) { viewer.camera.setView({ destination: Cesium.Cartesian3.fromDegrees(lon, lat, heightM) }); },
    pickedText: () => picked.textContent,
    // Terminal `id`'s state in `variant` under `provider` at `iso`: "served", "not covered", "denied" (and
    // the forbid rules), as scenario.json holds it; null without one.
    terminalState(variant, provider, id, iso) {
      const x = stateAt(variant, provider, id, Date.parse(iso));
      return x ? { state: STATE_NAMES[x.state], rules: x.rules ?? null } : null;
    },
    terminalCount: () => terminalEntities.length,
    // Chooses the route of `key` ("provider/terminal", "" for none) and gives the route drawn at the
    // clock's time: {path, rtt, positions: [[x, y, z] km]} or null; `satellite(token)` positions are those
    // drawn for the satellites.
    route(key) {
      if (key !== undefined && routeSel.value !== key) { routeSel.value = key; routeSel.dispatchEvent(new Event("change")); }
      const r = routeNow(clock.currentTime);
      const drawn = routeEntity.polyline.positions.getValue(clock.currentTime);
      return r && { path: r.path, rtt: r.rtt, at_s: r.at, drawn: drawn.length,
        positions: r.positions.map((p) => [p.x / 1000, p.y / 1000, p.z / 1000]) };
    },
    // The satellite drawn nearest the view's centre but 150 pixels or more away from it (where the
    // terminals of a region are), in front of the Earth, with its window position: {provider, norad, x, y}
    // (CSS pixels), or null.
    satelliteInView() {
      let best = null;
      for (const set of satelliteSets()) {
        set.layer.forEachInView(scene, (i, w) => {
          const at = inWindow(w), r = set.records[i];
          if (at && at.d >= 150 && (!best || at.d < best.d)) best = { provider: r.provider, norad: r.norad, ...at };
        });
      }
      return best;
    },
    // The gateway or PoP (`kind`) drawn in the view farthest from its centre (away from the region's
    // cells, which are drawn over the ground), with its window position: {id, provider, x, y}, or null.
    stationInView(kind) {
      const layer = groundLayers[kind];
      let best = null;
      layer.forEachInView(scene, (i, w) => {
        const at = inWindow(w);
        if (at && (!best || at.d > best.d)) best = { ...layer.ids[i], ...at };
      });
      return best;
    },
    satellitePosition(provider, norad) {
      const p = setOf(provider).drawnAt(`${provider}/${norad}`);
      return p ? [p.x / 1000, p.y / 1000, p.z / 1000] : null;
    },
    // Chooses variant `id` in the panel and resolves once its own data (satellites, routes) are in.
    async chooseVariant(id) {
      variantSel.value = id;
      variantSel.dispatchEvent(new Event("change"));
      await variantReady;
      return currentVariant.id;
    },
    routeNote: () => routeNote.textContent,
    // A provider's colour, [r, g, b, a] in [0, 1] to two decimals (as text).
    providerColour(name) { const c = colourOf(name); return [c.red, c.green, c.blue, c.alpha].map((x) => x.toFixed(2)); },
    terminalsShown: () => terminalEntities.filter(({ entity }) => entity.show).length,
    // Where terminal `id` is drawn now (degrees).
    terminalPosition(id) {
      const e = terminalEntities.find((x) => x.t.id === id);
      const p = e && e.entity.position.getValue(clock.currentTime);
      if (!p) return null;
      const c = Cesium.Cartographic.fromCartesian(p);
      return [Cesium.Math.toDegrees(c.longitude), Cesium.Math.toDegrees(c.latitude)];
    },
    // Sets the clock to `iso` and stops it.
    setTime(iso) { clock.shouldAnimate = false; clock.currentTime = Cesium.JulianDate.fromIso8601(iso); },
    // {norad: [x, y, z] km, Earth-fixed} computed with SGP4 at `iso` (exact, no interpolation).
    exactPositions(iso) {
      const ms = Date.parse(iso);
      const out = {}, buf = new Float64Array(6), g = gmstAt(ms);
      for (const r of sats.records) {
        if (ecfState(r, ms, g, buf, 0)) out[`${r.provider}/${r.norad}`] = [buf[0], buf[1], buf[2]];
      }
      return out;
    },
    // Whether the last positions drawn used a key state the worker computed.
    lastFromWorker: () => sats.lastFromWorker,
    // The positions drawn on the globe at `iso` (km), after moving the clock there and stopping it.
    drawnPositions(iso) {
      clock.shouldAnimate = false;
      clock.currentTime = Cesium.JulianDate.fromIso8601(iso);
      updateSatellites(Date.parse(iso));
      const out = {};
      for (const set of satelliteSets()) {
        const p = new Cesium.Cartesian3();
        set.records.forEach((r, i) => {
          if (set.drawn(i)) {
            set.layer.positionOf(i, p);
            out[`${r.provider}/${r.norad}`] = [p.x / 1000, p.y / 1000, p.z / 1000];
          }
        });
      }
      return out;
    },
    // The drawing settings: the WebGL renderer when it is a software one, the resolution scale.
    rendering: () => ({ software, resolutionScale: viewer.resolutionScale,
      maximumScreenSpaceError: scene.globe.maximumScreenSpaceError }),
    // Over the last `seconds` seconds of wall time: frames drawn, their mean interval and the mean time
    // the satellites' update took in them (ms); the rest of a frame is Cesium's (globe, primitives, draw).
    frameStats(seconds) {
      const t = performance.now() - seconds * 1000;
      const f = frames.filter((x) => x >= t), u = updateCost.filter(([x]) => x >= t);
      return { frames: f.length, interval_ms: f.length > 1 ? (f[f.length - 1] - f[0]) / (f.length - 1) : null,
        satellites_ms: u.length ? u.reduce((a, [, d]) => a + d, 0) / u.length : null };
    },
    // Frames drawn in the last `seconds` seconds of wall time.
    framesInLast(seconds) {
      const t = performance.now() - seconds * 1000;
      return frames.filter((f) => f >= t).length;
    },
    // Frames drawn since the page opened.
    frameCount: () => frameCount,
    play(multiplier) { clock.multiplier = multiplier; clock.shouldAnimate = true; },
    // Satellites drawn now, per provider, over the baseline's set and the variants' (a hidden provider's
    // count 0).
    shownSatellites() {
      const out = {};
      for (const set of satelliteSets()) {
        set.records.forEach((r, i) => {
          out[r.provider] = (out[r.provider] || 0) + (set.drawn(i) ? 1 : 0);
        });
      }
      return out;
    },
    // Each cell's colour now, [r, g, b, a] bytes, in the order of scenario.json's cells.
    cellColours: () => (cellPrimitive && cellPrimitive.ready
      ? data.cells.map((c) => Array.from(cellPrimitive.getGeometryInstanceAttributes(c[0]).color)) : []),
    // A terminal's point colour now, [r, g, b, a] in [0, 1].
    terminalColour(id) {
      const e = terminalEntities.find((x) => x.t.id === id);
      const c = e && e.entity.point.color.getValue(clock.currentTime);
      return c ? [c.red, c.green, c.blue, c.alpha] : null;
    },
    // Milliseconds from navigation to each stage of loading: the data parsed, the globe made, the
    // satellites initialised (SGP4) and placed, everything ready; and the first frame drawn.
    timings() {
      const at = (name) => { const m = performance.getEntriesByName(name); return m.length ? m[0].startTime : null; };
      return { data: at("skyfence:data"), globe: at("skyfence:globe"), satellites: at("skyfence:satellites"),
        ready: at("skyfence:ready"), first_frame: frames.length ? frames[0] : null };
    },
  });
  performance.mark("skyfence:ready");
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  console.error(e);
  if (!statusEl.classList.contains("error")) statusEl.textContent = `The viewer failed: ${e.message || e}`;
});
