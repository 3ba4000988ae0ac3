// Times the built engine (web/dist/engine.js) on report files, outside the browser, with Node.js:
//   node web/bench.js FILE...
// For comparing builds (opt-level, wasm-opt); the page shows its own time per check.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const dist = process.env.XXGK_WEB_DIST || path.join(__dirname, 'dist');
const context = { TextDecoder, TextEncoder, WebAssembly, console, performance };
context.self = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(path.join(dist, 'engine.js'), 'utf8'), context);
const engine = vm.runInContext('XXGK_ENGINE', context);
vm.runInContext(Buffer.from(engine.worker, 'base64').toString('utf8') + '\nself.wasm_bindgen = wasm_bindgen;', context);
const wasm = Buffer.from(engine.wasm, 'base64');
let started = performance.now();
// The object must come from the context's realm for the glue to recognise it.
context.wasmBytes = wasm;
vm.runInContext('wasm_bindgen.initSync({ module: wasmBytes })', context);
console.log(`compile+instantiate: ${(performance.now() - started).toFixed(0)} ms; wasm ${wasm.length} bytes`);
// CPU time (user + system) rather than wall time: steadier on a shared machine. "first" is a
// file's first check (code not yet optimised by the engine's tiers), as a clerk's single check is.
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const file of process.argv.slice(2)) {
  const bytes = fs.readFileSync(file);
  const name = path.basename(file);
  const times = [];
  for (let i = 0; i < 21; i++) {
    started = cpu();
    context.wasm_bindgen.check(name, bytes, undefined, undefined);
    times.push(cpu() - started);
  }
  const first = times[0];
  times.sort((a, b) => a - b);
  console.log(`${name}: first ${first.toFixed(0)} ms, median ${times[10].toFixed(1)} ms (CPU)`);
}
