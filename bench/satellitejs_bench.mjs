// satellite.js 7 bulk (WASM) propagation on the workload of docs/performance.md: every satellite of a
// TLE file over one day from 2026-04-27T00:00:00Z at 1-minute steps, TEME position and velocity
// (EciBaseCalculator). Prints one line: "satellite.js <threads> <propagations> <seconds> <Mprops/s>",
// the best of a few runs (setSatRecs/setDates and WASM start-up are not timed).
//
//   node bench/satellitejs_bench.mjs <tle-file> <threads> [repeats]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  BulkPropagator,
  EciBaseCalculator,
  createMultiThreadRuntime,
  createSingleThreadRuntime,
  twoline2satrec,
} from 'satellite.js';

const [tlePath, threadsArg = '1', repeatsArg = '3'] = process.argv.slice(2);
if (!tlePath) {
  console.error('usage: node satellitejs_bench.mjs <tle-file> <threads> [repeats]');
  process.exit(2);
}
const threads = Number(threadsArg);
const repeats = Number(repeatsArg);

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

// The single-thread runtime is the plain WASM build; the multi-thread one runs pthreads workers.
const runtime = threads > 1 ? await createMultiThreadRuntime({ threadsCount: threads }) : await createSingleThreadRuntime();
const propagator = new BulkPropagator({
  runtime,
  calculators: [new EciBaseCalculator()],
  satRecsCount: satrecs.length,
  datesCount: dates.length,
});
propagator.setSatRecs(satrecs);
propagator.setDates(dates);

const count = satrecs.length * dates.length;
let best = Infinity;
for (let r = 0; r < repeats + 1; r++) {
  const t0 = performance.now();
  await propagator.run();
  const dt = (performance.now() - t0) / 1000;
  if (r > 0) best = Math.min(best, dt);  // the first run warms up (memory growth, JIT)
}
// A sanity check that something was computed: the first satellite's first position.
const out = propagator.getFormattedOutput(0, 0);
if (!out || !Number.isFinite(out.eci.position.x)) {
  console.error('satellite.js produced no position for satellite 0');
  process.exit(1);
}
console.log(`satellite.js ${threads} ${count} ${best.toFixed(4)} ${(count / best / 1e6).toFixed(3)}`);
propagator.dispose();
// The runtime's dispose() ends the WASM program by throwing its exit status; the process ends here anyway.
process.exit(0);
