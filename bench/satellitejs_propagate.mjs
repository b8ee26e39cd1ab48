// satellite.js 7's BulkPropagator as a whole process, the peer of `skyfence propagate --format npy`:
// reads a TLE file, propagates every satellite over one day from 2026-04-27T00:00:00Z at 1-minute
// steps (1440 times, TEME position and velocity, EciBaseCalculator) once, and writes the raw
// position and velocity arrays (float64, as many bytes as skyfence's .npy) to a file. Everything is
// timed from outside (process start to exit), as the command is.
//
//   node bench/satellitejs_propagate.mjs <tle-file> <threads> <output-file>
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import {
  BulkPropagator,
  EciBaseCalculator,
  createMultiThreadRuntime,
  createSingleThreadRuntime,
  twoline2satrec,
} from 'satellite.js';

const [tlePath, threadsArg = '2', outPath] = process.argv.slice(2);
if (!tlePath || !outPath) {
  console.error('usage: node satellitejs_propagate.mjs <tle-file> <threads> <output-file>');
  process.exit(2);
}
const threads = Number(threadsArg);

const lines = readFileSync(tlePath, 'utf8').split(/\r?\n/);
const satrecs = [];
for (let i = 0; i + 1 < lines.length; i++) {
  if (lines[i].startsWith('1 ') && lines[i + 1].startsWith('2 ')) {
    satrecs.push(twoline2satrec(lines[i], lines[i + 1]));
    i++;
  }
}
const start = Date.UTC(2026, 3, 27, 0, 0, 0);
const dates = [];
for (let m = 0; m < 1440; m++) dates.push(new Date(start + m * 60000));

const runtime = threads > 1 ? await createMultiThreadRuntime({ threadsCount: threads }) : await createSingleThreadRuntime();
const propagator = new BulkPropagator({
  runtime,
  calculators: [new EciBaseCalculator()],
  satRecsCount: satrecs.length,
  datesCount: dates.length,
});
propagator.setSatRecs(satrecs);
propagator.setDates(dates);
await propagator.run();
const raw = propagator.getRawOutput();
const fd = openSync(outPath, 'w');
for (const a of [raw.eci.position, raw.eci.velocity]) {
  writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}
closeSync(fd);
console.error(`satellite.js ${threads} threads: ${satrecs.length} satellites x ${dates.length} times`);
propagator.dispose();
process.exit(0);
