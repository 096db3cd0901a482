// A long-lived child process of bench/lib/pool.mjs: runs programs with stelp's runSource (from the
// built library in dist/) one at a time and sends each result back. A child that hangs or dies is
// killed and replaced by the pool, so one bad problem never stops a bench run.
const { runSource } = await import(new URL("../../dist/src/index.js", import.meta.url).href);

process.on("message", async (task) => {
  const start = performance.now();
  let reply;
  try {
    const result = await runSource(task.source, task.options ?? {});
    reply = { id: task.id, ok: true, result, ms: performance.now() - start };
  } catch (error) {
    reply = { id: task.id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), ms: performance.now() - start };
  }
  process.send(reply);
});
process.send({ ready: true });
