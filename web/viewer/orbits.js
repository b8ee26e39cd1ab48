// Exact Earth-fixed states of the satellites at key instants, shared by the page (viewer.js) and the
// worker that computes the next key ahead of the clock (keys_worker.js). SGP4 is satellite.js's
// (Vallado's code); TEME -> Earth-fixed is the rotation by GMST, as skyfence's TEME -> PEF.
import { json2satrec } from "./satellite.js/io.js";
import { sgp4, gstime } from "./satellite.js/propagation.js";

export const KEY_STEP_S = 60;          // seconds of scenario time between exact states
const EARTH_RATE = 7.292115e-5;        // rad/s, Earth's rotation rate (as SGP4's TEME -> PEF uses)

// One record per row of scenario.json's `satellites` (fields named by `satellite_fields`, CCSDS OMM).
export function satelliteRecords(fields, rows) {
  return rows.map((row) => {
    const omm = {};
    fields.forEach((name, i) => { omm[name] = row[i]; });
    return { provider: omm.provider, norad: omm.NORAD_CAT_ID, name: omm.OBJECT_NAME, satrec: json2satrec(omm),
      epochMs: Date.parse(omm.EPOCH) };
  });
}

export function gmstAt(ms) {
  return gstime(new Date(ms));
}

// Earth-fixed position (km) and velocity (km/s) of one satellite at `ms` (Unix milliseconds) into
// out[k..k+5]; `g` is the Greenwich mean sidereal time at `ms` (radians). False when SGP4 fails there.
export function ecfState(record, ms, g, out, k) {
  const sv = sgp4(record.satrec, (ms - record.epochMs) / 60000);
  if (!sv || !sv.position || Number.isNaN(sv.position.x)) return false;
  const c = Math.cos(g), s = Math.sin(g);
  const p = sv.position, v = sv.velocity;
  const x = c * p.x + s * p.y, y = -s * p.x + c * p.y;
  out[k] = x; out[k + 1] = y; out[k + 2] = p.z;
  out[k + 3] = c * v.x + s * v.y + EARTH_RATE * y;
  out[k + 4] = -s * v.x + c * v.y - EARTH_RATE * x;
  out[k + 5] = v.z;
  return true;
}

// Every satellite's state at key `index` (the instant index * KEY_STEP_S s after the Unix epoch).
export function keyStates(records, index) {
  const n = records.length, ms = index * KEY_STEP_S * 1000, g = gmstAt(ms);
  const states = new Float64Array(6 * n), ok = new Uint8Array(n);
  for (let i = 0; i < n; ++i) ok[i] = ecfState(records[i], ms, g, states, 6 * i) ? 1 : 0;
  return { states, ok };
}
