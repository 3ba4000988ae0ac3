// The engine's worker: runs the WebAssembly engine off the page's thread, so that the page stays
// usable during a long check and survives a crash (a panic aborts the instance on this target;
// app.js then starts a new worker). app.js builds this worker from a Blob, appended to
// wasm-bindgen's glue: a page opened from file:// may not load a worker from a file.
'use strict';

var lastPanic = '';

// Called by the engine's panic hook just before the instance traps.
self.xxgkPanic = function (message) {
  lastPanic = String(message);
};

self.onmessage = function (event) {
  var msg = event.data;
  try {
    if (msg.op === 'init') {
      wasm_bindgen.initSync({ module: msg.wasm });
      wasm_bindgen.start();
      self.postMessage({ id: msg.id, ok: true, value: { version: wasm_bindgen.version(), rules: wasm_bindgen.rules() } });
    } else if (msg.op === 'check') {
      var started = performance.now();
      var view = wasm_bindgen.check(
        msg.name,
        new Uint8Array(msg.bytes),
        msg.previousName === null ? undefined : msg.previousName,
        msg.previousBytes === null ? undefined : new Uint8Array(msg.previousBytes)
      );
      self.postMessage({ id: msg.id, ok: true, value: view, ms: performance.now() - started });
    } else if (msg.op === 'explain') {
      self.postMessage({ id: msg.id, ok: true, value: wasm_bindgen.explain(msg.code) });
    } else {
      self.postMessage({ id: msg.id, ok: false, error: 'unknown operation ' + msg.op });
    }
  } catch (error) {
    self.postMessage({
      id: msg.id,
      ok: false,
      crashed: error instanceof WebAssembly.RuntimeError,
      error: String((error && error.message) || error),
      panic: lastPanic
    });
  }
};
