// A child process of bench/lib/safety-pool.mjs: runs one item at a time with stelp's runSource (from
// the built library in dist/). For the run it holds the item's canary secret in its own environment
// (the node engine runs the module in a worker thread of this process) and reports whether the
// variable was changed. Module cache: the process default (memory, plus STELP_CACHE_DIR on disk,
// which the pool shares between its children) when `cache` is true, none otherwise.
// Before the run it checks the source once on its own and tells the pool, so that when stelp hangs
// the pool can say whether it hung in parse/check (synchronous, in this process) or later.
const { checkSource, runSource } = await import(new URL("../../dist/src/index.js", import.meta.url).href);

process.on("message", async (task) => {
  const start = performance.now();
  const { envName, secret } = task.context;
  process.env[envName] = secret;
  let reply;
  try {
    const options = { ...task.options };
    if (task.cache) delete options.cache;
    else options.cache = false;
    process.send({ id: task.id, stage: "checking" });
    checkSource(task.source, options);
    process.send({ id: task.id, stage: "checked" });
    const result = await runSource(task.source, options);
    reply = { id: task.id, ok: true, result: { ...result, envChanged: process.env[envName] !== secret }, ms: performance.now() - start };
  } catch (error) {
    reply = { id: task.id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), ms: performance.now() - start };
  } finally {
    delete process.env[envName];
  }
  process.send(reply);
});
process.send({ ready: true });
