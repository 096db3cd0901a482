// Runs the action plan through the library, as an agent would: node examples/agent/run.mjs
import { readFileSync } from "node:fs";
import { run } from "stelp";
import tools, { outbox } from "./tools.mjs";

const here = new URL(".", import.meta.url);
const plan = readFileSync(new URL("plan.js", here), "utf8");
const result = await run(plan, { policy: new URL("policy.json", here).pathname, tools });

console.log(`status: ${result.status} (exit code ${result.exitCode})`);
console.log(`stdout: ${result.stdout.trimEnd()}`);
console.log(`tool calls: ${JSON.stringify(result.toolCalls)}`);
console.log(`outbox: ${JSON.stringify(outbox, null, 2)}`);
for (const d of result.diagnostics) console.log(`diagnostic: ${d.rule} ${d.line}:${d.column} ${d.message}`);
