/**
 * The node engine's worker thread: runs one instrumented module (./run-instance.ts) and posts back
 * the captured bytes. The main thread's wall-clock backstop terminates this worker if it runs too long.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runInstance, type WorkerInput } from "./run-instance.js";

export type { WorkerInput, WorkerOutput } from "./run-instance.js";

// The input comes as workerData, or, for a worker started ahead of time (src/engines/node.ts keeps
// one spare so that a run does not wait for a thread to boot), as the first message.
if (workerData) parentPort?.postMessage(runInstance(workerData as WorkerInput));
else parentPort?.once("message", (input: WorkerInput) => parentPort?.postMessage(runInstance(input)));
