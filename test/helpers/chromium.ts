/**
 * Headless Chromium for the tests that check what a browser shows (the bench's report.html, the ESM
 * build): Debian's chromium driven by playwright-core. When it is missing the test fails in CI
 * (.ci/run installs it) and is skipped elsewhere, with a warning saying how to install it.
 */
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

const EXECUTABLE = "/usr/bin/chromium";

/** Runs `use` with a launched browser, closed afterwards; skips the test (outside CI) without one. */
export async function withChromium(context: { skip: () => void }, use: (browser: Browser) => Promise<void>): Promise<void> {
  if (!existsSync(EXECUTABLE)) {
    if (process.env.CI === "true") throw new Error(`${EXECUTABLE} is missing: .ci/run must install the Debian chromium package`);
    console.warn(`skipping the Chromium test: ${EXECUTABLE} is not installed (apt-get install chromium)`);
    context.skip();
    return;
  }
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: EXECUTABLE, args: ["--no-sandbox"] });
  try {
    await use(browser);
  } finally {
    await browser.close();
  }
}
