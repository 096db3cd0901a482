/**
 * The repair loop with a scripted generator standing in for an LLM: each call returns the next
 * script line, and the test checks what feedback the generator was given.
 */
import { describe, expect, it } from "vitest";
import { defaultPolicy, withLimits } from "../src/policy.js";
import { runWithRepair, type RepairFeedback } from "../src/repair.js";

function scripted(sources: string[]): { generate: (f: RepairFeedback) => string; seen: RepairFeedback[] } {
  const seen: RepairFeedback[] = [];
  return {
    seen,
    generate(feedback) {
      seen.push(feedback);
      const source = sources[feedback.attempt - 1];
      if (source === undefined) throw new Error(`no scripted source for attempt ${feedback.attempt}`);
      return source;
    },
  };
}

const policy = withLimits(defaultPolicy(), { fuel: 200_000 });

describe("runWithRepair", () => {
  it("feeds back the rejection, then the bound, until the code passes", async () => {
    const gen = scripted([
      `const fs = require("fs");\nconsole.log(fs.readFileSync("/etc/passwd", "utf8"));`,
      `let n = 0;\nwhile (true) { n++; }\nconsole.log(n);`,
      `let n = 0;\nfor (let i = 1; i <= 10; i++) n += i;\nconsole.log(n);`,
    ]);
    const outcome = await runWithRepair(gen.generate, { policy, cache: false });
    expect(outcome.ok).toBe(true);
    expect(outcome.attempts.map((a) => a.result.status)).toEqual(["rejected", "fuel_exhausted", "ok"]);
    expect(outcome.final.result.stdout).toBe("55\n");
    expect(gen.seen[0]).toMatchObject({ attempt: 1, previous: null, message: "" });
    expect(gen.seen[1]!.message).toMatch(/rejected/);
    expect(gen.seen[1]!.message).toMatch(/snippet\.js:1:\d+ forbidden-global/);
    expect(gen.seen[1]!.message).toMatch(/hint:/);
    expect(gen.seen[2]!.message).toMatch(/stopped with status fuel_exhausted/);
    expect(gen.seen[2]!.message).toMatch(/fuel/);
    expect(gen.seen[2]!.previous?.source).toContain("while (true)");
  }, 180_000);

  it("stops at maxAttempts and returns every attempt", async () => {
    const gen = scripted(["eval('1');", "eval('2');"]);
    const outcome = await runWithRepair(gen.generate, { policy, cache: false, maxAttempts: 2 });
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toHaveLength(2);
    expect(outcome.final.attempt).toBe(2);
    expect(outcome.attempts.every((a) => a.result.status === "rejected" && !a.accepted)).toBe(true);
  }, 180_000);

  it("asks again when an ok run is not accepted, quoting its output", async () => {
    const gen = scripted(["console.log(6 * 7 + 1);", "console.log(6 * 7);"]);
    const outcome = await runWithRepair(gen.generate, { policy, cache: false, accept: (r) => r.stdout.trim() === "42" });
    expect(outcome.ok).toBe(true);
    expect(outcome.attempts.map((a) => a.accepted)).toEqual([false, true]);
    expect(gen.seen[1]!.message).toMatch(/not accepted/);
    expect(gen.seen[1]!.message).toContain("43");
  }, 180_000);

  it("rejects a nonsensical attempt count and passes the generator's own error through", async () => {
    await expect(runWithRepair(() => "", { maxAttempts: 0 })).rejects.toThrow(RangeError);
    await expect(
      runWithRepair(() => {
        throw new Error("model unavailable");
      }),
    ).rejects.toThrow("model unavailable");
  });
});
