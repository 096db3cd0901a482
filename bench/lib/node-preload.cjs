// Preloaded (`node -r`) into every reference run of bench/correctness.mjs. It changes nothing about
// how the program runs: `uncaughtExceptionMonitor` only observes. When the program dies on an
// uncaught exception, it writes a marker line to stderr (so the bench can tell the program's own
// stderr from Node's error report that follows) and the error's first line to the file named by
// STELP_BENCH_UNCAUGHT_FILE.
"use strict";
const fs = require("node:fs");
const util = require("node:util");
const file = process.env.STELP_BENCH_UNCAUGHT_FILE;
delete process.env.STELP_BENCH_UNCAUGHT_FILE;
process.on("uncaughtExceptionMonitor", (error) => {
  let headline;
  try {
    if (error instanceof Error) headline = (error.message ? `${error.name}: ${error.message}` : String(error.name)).split("\n")[0];
    else if (typeof error === "string") headline = error.split("\n")[0];
    else headline = util.inspect(error).split("\n")[0];
  } catch {
    headline = "<uninspectable error>";
  }
  try {
    process.stderr.write("\u0000STELP-BENCH-UNCAUGHT\u0000\n");
    if (file) fs.writeFileSync(file, JSON.stringify({ headline }));
  } catch {
    // nothing more to do: the bench then sees a non-zero exit without a headline
  }
});
