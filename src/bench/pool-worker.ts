/**
 * A child process of the bench pool (./pool.ts): runs one item at a time with runSource. For a
 * safety item's run it holds the item's canary secret in its own environment (the node engine runs the module in
 * a worker thread of this process) and reports whether the variable was changed. Module cache: the
 * process default (memory, plus STELP_CACHE_DIR on disk, which the pool shares between its
 * children) when `cache` is true, none otherwise.
 *
 * Before the run it checks the source once on its own and tells the pool, so that when stelp hangs
 * the pool can say whether it hung in parse/check (synchronous, in this process) or later.
 */
import { checkSource, runSource, type RunOptions } from "../pipeline.js";
import type { Task } from "./pool.js";

const send = (message: unknown) => process.send?.(message);

process.on("message", async (task: Task) => {
  const start = performance.now();
  const canary = task.context;
  if (canary) process.env[canary.envName] = canary.secret;
  let reply: unknown;
  try {
    const options: RunOptions = { ...task.options };
    if (task.cache) delete options.cache;
    else options.cache = false;
    send({ id: task.id, stage: "checking" });
    checkSource(task.source, options);
    send({ id: task.id, stage: "checked" });
    const result = await runSource(task.source, options);
    reply = { id: task.id, ok: true, result: canary ? { ...result, envChanged: process.env[canary.envName] !== canary.secret } : result, ms: performance.now() - start };
  } catch (error) {
    reply = { id: task.id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), ms: performance.now() - start };
  } finally {
    if (canary) delete process.env[canary.envName];
  }
  send(reply);
});
send({ ready: true });
