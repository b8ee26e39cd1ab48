// Computes key states (orbits.js) off the page's thread: the page asks for the key after the clock's, so
// that crossing a key does not stall a frame on 10,000 SGP4 calls. Messages: {satellites: {fields, rows}}
// once, then {index} per key; answers {index, states, ok} (transferred).
import { satelliteRecords, keyStates } from "./orbits.js";

let records = [];
self.onmessage = (e) => {
  if (e.data.satellites) {
    records = satelliteRecords(e.data.satellites.fields, e.data.satellites.rows);
    return;
  }
  const { states, ok } = keyStates(records, e.data.index);
  self.postMessage({ index: e.data.index, states, ok }, [states.buffer, ok.buffer]);
};
