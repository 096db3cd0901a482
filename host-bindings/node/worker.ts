/**
 * The node engine's worker thread: runs one instrumented module (./run-instance.ts) and posts back
 * the captured bytes. The main thread's wall-clock backstop terminates this worker if it runs too long.
 *
 * Host tools run on the main thread (they are the embedder's functions). A tool call posts the
 * encoded arguments on the run's tool port and blocks on Atomics.wait until the main thread has
 * posted the reply and raised the signal; the reply is then taken off the port synchronously
 * (receiveMessageOnPort), so the module sees an ordinary synchronous call even when the tool is async.
 */
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { runInstance, type ToolChannel, type ToolInvoker, type WorkerInput } from "./run-instance.js";

export type { WorkerInput, WorkerOutput } from "./run-instance.js";

function toolInvoker(channel: ToolChannel): ToolInvoker {
  const signal = new Int32Array(channel.signal);
  return (name, args) => {
    Atomics.store(signal, 0, 0);
    channel.port.postMessage({ name, args }, [args.buffer as ArrayBuffer]);
    for (;;) {
      const received = receiveMessageOnPort(channel.port);
      if (received) return received.message as Uint8Array;
      // Sleeps until the main thread raises the signal; the timeout only covers a reply raised
      // before it became visible on the port (then the next look finds it).
      Atomics.wait(signal, 0, 0, 50);
      Atomics.store(signal, 0, 0);
    }
  };
}

function run(input: WorkerInput) {
  return runInstance(input, input.toolChannel ? toolInvoker(input.toolChannel) : undefined);
}

// The input comes as workerData, or, for a worker started ahead of time (src/engines/node.ts keeps
// one spare so that a run does not wait for a thread to boot), as the first message.
if (workerData) parentPort?.postMessage(run(workerData as WorkerInput));
else parentPort?.once("message", (input: WorkerInput) => parentPort?.postMessage(run(input)));
