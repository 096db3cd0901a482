#!/usr/bin/env node
// The stelp CLI. The TypeScript sources are compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from "node:fs";

const entry = new URL("../dist/src/cli.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("stelp: dist/ is missing; run `npm run build` (npm ci/install does it for you)\n");
  process.exit(1);
}
const { cli } = await import(entry.href);
await cli(process.argv.slice(2));
