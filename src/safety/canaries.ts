/**
 * Canaries for the safety harness: host resources a hostile snippet would go after, set up fresh for
 * one item and inspected after it ran. A snippet can only reach them by escaping stelp (layers 3–6 of
 * docs/threat-model.md), so any touch is an escape.
 *
 * - `secretFile`: a random secret; reading it is what an exfiltration attack wants.
 * - `victimFile`: known content; deleting or overwriting it is what a destructive attack wants.
 * - `canaryDir`: an empty folder; anything created in it (or beside the canaries) is a write.
 * - `port`: a TCP listener on 127.0.0.1 that counts connections and the bytes it receives.
 * - `envName`: an environment variable of this process holding the secret (the node engine runs the
 *   snippet in a worker thread of this process; wasmtime runs in a child with an empty environment).
 *
 * Dataset code names them with placeholders ({{SECRET_FILE}}, {{VICTIM_FILE}}, {{CANARY_DIR}},
 * {{CANARY_PORT}}, {{CANARY_ENV}}) that `substitute()` fills in.
 *
 * What can be detected: writes, deletions and creations (by content and directory listing), network
 * connections and data, the secret appearing in the run's output or at the listener, and a changed
 * environment variable. A pure *read* of the secret file leaves no trace except its access time, and
 * only when the filesystem records it (relatime records the first read after a write, which is why the
 * file's times are set into the past; `noatime` records nothing): `atimeRecorded` says whether it
 * does here. Without it, read detection relies on the snippet exfiltrating what it read, through its
 * output or the network, which is what an attack that reads a secret is for.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type CanaryKind =
  | "victim-missing"
  | "victim-changed"
  | "secret-missing"
  | "secret-changed"
  | "secret-read"
  | "canary-dir-entry"
  | "stray-entry"
  | "network-connection"
  | "secret-in-output"
  | "secret-at-listener"
  | "env-changed";

export const CANARY_KINDS: readonly CanaryKind[] = [
  "victim-missing",
  "victim-changed",
  "secret-missing",
  "secret-changed",
  "secret-read",
  "canary-dir-entry",
  "stray-entry",
  "network-connection",
  "secret-in-output",
  "secret-at-listener",
  "env-changed",
];

export interface CanaryTouch {
  kind: CanaryKind;
  detail: string;
}

export interface CanaryReport {
  /** True when any canary was touched. */
  touched: boolean;
  touches: CanaryTouch[];
  /** Connections the listener accepted, and the bytes it received. */
  connections: number;
  bytesReceived: number;
  /** Whether this filesystem records access times, i.e. whether `secret-read` can be detected at all. */
  atimeRecorded: boolean;
}

export interface CanaryOutputs {
  stdout?: string;
  stderr?: string;
}

export interface Canaries {
  /** The private temp folder holding everything below. */
  dir: string;
  secretFile: string;
  victimFile: string;
  canaryDir: string;
  port: number;
  envName: string;
  secret: string;
  victimContent: string;
  /** Replaces the placeholders with this item's canaries. */
  substitute(code: string): string;
  /** Which canaries were touched; pass the run's output to look for the secret in it. */
  inspect(outputs?: CanaryOutputs): Promise<CanaryReport>;
  /** Closes the listener, restores the environment variable and removes the folder. Idempotent. */
  dispose(): Promise<void>;
}

export const PLACEHOLDERS = ["{{SECRET_FILE}}", "{{VICTIM_FILE}}", "{{CANARY_DIR}}", "{{CANARY_PORT}}", "{{CANARY_ENV}}"] as const;

/** Bytes of listener input kept for the secret search. */
const RECEIVED_KEEP = 64 * 1024;
/** Where the canary files' times are set: far enough back that relatime records the next read. */
const PAST_SECONDS = 3600;

/** Canary sets not yet disposed: their folders and environment variables, for disposeAllCanariesSync(). */
const live = new Map<string, { envName: string; restore: () => void }>();

/**
 * Synchronous last-resort cleanup of every canary set this process has not disposed (folders and
 * environment variables; listeners die with the process). For an embedder's signal handler: a run
 * interrupted by SIGINT or SIGTERM never reaches dispose().
 */
export function disposeAllCanariesSync(): void {
  for (const [dir, entry] of live) {
    entry.restore();
    rmSync(dir, { recursive: true, force: true });
    live.delete(dir);
  }
}

function pastTime(): Date {
  return new Date(Date.now() - PAST_SECONDS * 1000);
}

/** Does this filesystem update atime on a read of a file whose times are in the past? */
function probeAtime(dir: string): boolean {
  const probe = join(dir, ".atime-probe");
  try {
    writeFileSync(probe, "probe");
    const past = pastTime();
    utimesSync(probe, past, past);
    const before = statSync(probe).atimeMs;
    readFileSync(probe);
    return statSync(probe).atimeMs !== before;
  } catch {
    return false;
  } finally {
    rmSync(probe, { force: true });
  }
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export async function createCanaries(): Promise<Canaries> {
  const dir = mkdtempSync(join(tmpdir(), "stelp-canary-"));
  let server: Server | undefined;
  const envName = `STELP_CANARY_TOKEN_${randomBytes(6).toString("hex").toUpperCase()}`;
  const previousEnv = Object.prototype.hasOwnProperty.call(process.env, envName) ? process.env[envName] : undefined;
  try {
    const secret = `stelp-secret-${randomBytes(24).toString("hex")}`;
    const victimContent = `stelp victim file ${randomBytes(8).toString("hex")}\ndo not delete or change\n`;
    const secretFile = join(dir, "secret.txt");
    const victimFile = join(dir, "victim.txt");
    const canaryDir = join(dir, "canary-dir");
    const atimeRecorded = probeAtime(dir);
    writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
    writeFileSync(victimFile, victimContent);
    mkdirSync(canaryDir);
    const past = pastTime();
    utimesSync(secretFile, past, past);
    let secretAtime = statSync(secretFile).atimeMs;
    const known = new Set(["secret.txt", "victim.txt", "canary-dir"]);

    let connections = 0;
    let bytesReceived = 0;
    let received = Buffer.alloc(0);
    const sockets = new Set<Socket>();
    server = createServer((socket) => {
      connections++;
      sockets.add(socket);
      socket.on("data", (chunk: Buffer) => {
        bytesReceived += chunk.length;
        if (received.length < RECEIVED_KEEP) received = Buffer.concat([received, chunk]).subarray(0, RECEIVED_KEEP);
      });
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    });
    const listening = server;
    const port = await new Promise<number>((resolve, reject) => {
      listening.once("error", reject);
      listening.listen(0, "127.0.0.1", () => {
        const address = listening.address();
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("canary listener has no port"));
      });
    });
    // Do not keep an otherwise finished process alive.
    listening.unref();
    process.env[envName] = secret;
    live.set(dir, { envName, restore: () => restoreEnv(envName, previousEnv) });

    const values: Record<(typeof PLACEHOLDERS)[number], string> = {
      "{{SECRET_FILE}}": secretFile,
      "{{VICTIM_FILE}}": victimFile,
      "{{CANARY_DIR}}": canaryDir,
      "{{CANARY_PORT}}": String(port),
      "{{CANARY_ENV}}": envName,
    };
    const pattern = new RegExp(PLACEHOLDERS.map(escapeForRegExp).join("|"), "g");

    let disposed = false;
    const canaries: Canaries = {
      dir,
      secretFile,
      victimFile,
      canaryDir,
      port,
      envName,
      secret,
      victimContent,
      substitute: (code) => code.replace(pattern, (token) => values[token as keyof typeof values]),
      async inspect(outputs = {}) {
        const touches: CanaryTouch[] = [];
        const touch = (kind: CanaryKind, detail: string) => touches.push({ kind, detail });
        // Times first: our own reads below would update the access time.
        let secretStat: ReturnType<typeof statSync> | undefined;
        try {
          secretStat = statSync(secretFile);
        } catch {
          touch("secret-missing", `${secretFile} is gone`);
        }
        if (secretStat && atimeRecorded && secretStat.atimeMs !== secretAtime) touch("secret-read", `${secretFile} was read (access time changed)`);
        if (secretStat) {
          const content = readFileSync(secretFile, "utf8");
          if (content !== `${secret}\n`) touch("secret-changed", `${secretFile} has different content`);
          // Put the time back so that a later inspect() still sees only new reads.
          const past = pastTime();
          utimesSync(secretFile, past, past);
          secretAtime = statSync(secretFile).atimeMs;
        }
        try {
          const content = readFileSync(victimFile, "utf8");
          if (content !== victimContent) touch("victim-changed", `${victimFile} has different content`);
        } catch {
          touch("victim-missing", `${victimFile} is gone`);
        }
        try {
          const entries = readdirSync(canaryDir);
          if (entries.length > 0) touch("canary-dir-entry", `new in ${canaryDir}: ${entries.slice(0, 5).join(", ")}`);
        } catch {
          touch("canary-dir-entry", `${canaryDir} is gone`);
        }
        try {
          const stray = readdirSync(dir).filter((name) => !known.has(name));
          if (stray.length > 0) touch("stray-entry", `new in ${dir}: ${stray.slice(0, 5).join(", ")}`);
        } catch {
          touch("stray-entry", `${dir} is gone`);
        }
        // Give a connection made at the very end of the run a moment to be accepted.
        await new Promise((resolve) => setImmediate(resolve));
        if (connections > 0) touch("network-connection", `${connections} connection(s) to 127.0.0.1:${port}, ${bytesReceived} byte(s) received`);
        if (received.includes(secret)) touch("secret-at-listener", `the secret reached the listener on port ${port}`);
        const inOutput = [outputs.stdout, outputs.stderr].filter((text): text is string => typeof text === "string").some((text) => text.includes(secret));
        if (inOutput) touch("secret-in-output", "the secret appears in the run's stdout or stderr");
        if (process.env[envName] !== secret) touch("env-changed", `process.env.${envName} was changed or deleted`);
        return { touched: touches.length > 0, touches, connections, bytesReceived, atimeRecorded };
      },
      async dispose() {
        if (disposed) return;
        disposed = true;
        live.delete(dir);
        restoreEnv(envName, previousEnv);
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => listening.close(() => resolve()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return canaries;
  } catch (error) {
    restoreEnv(envName, previousEnv);
    server?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function restoreEnv(name: string, previous: string | undefined): void {
  if (previous === undefined) delete process.env[name];
  else process.env[name] = previous;
}
