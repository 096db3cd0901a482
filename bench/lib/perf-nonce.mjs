// Makes each run's bytes unique, so that no engine-side cache (V8's Wasm native-module cache, its
// script cache) serves a repeat from an earlier run: a custom section appended to a Wasm module
// (ignored by every engine; the module's behaviour is unchanged).
export function withNonce(wasm, nonce) {
  const name = Buffer.from("perf-nonce");
  const payload = Buffer.from(String(nonce));
  const body = Buffer.concat([Buffer.from([name.length]), name, payload]);
  const leb = [];
  let n = body.length;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    leb.push(byte);
  } while (n);
  return new Uint8Array(Buffer.concat([Buffer.from(wasm), Buffer.from([0, ...leb]), body]));
}
