/**
 * Progress of `stelp bench` on stderr. On a terminal: one line redrawn in place (bar, done/total,
 * rate, ETA). Otherwise (CI logs, pipes): a plain line every ~10% of the items or every 30 s,
 * whichever comes first. `quiet` prints nothing.
 */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  total: number;
  /** Items already done before this run (resumed); they count towards done but not the rate. */
  already?: number;
  mode: "tty" | "plain" | "quiet";
  now?: () => number;
  /** Plain mode: a line at least this often while items finish (default 30 s). */
  plainIntervalMs?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export class Progress {
  private done: number;
  private readonly started: number;
  private lastDraw = -Infinity;
  private lastPlain: number;
  private nextPlainAt: number;
  private drawn = false;
  private readonly now: () => number;
  private escaped = 0;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.done = options.already ?? 0;
    this.started = this.now();
    this.lastPlain = this.started;
    this.nextPlainAt = this.step(this.done);
  }

  /** The next done count at which plain mode prints: the next multiple of ~10%. */
  private step(done: number): number {
    const tenth = Math.max(1, Math.ceil(this.options.total / 10));
    return (Math.floor(done / tenth) + 1) * tenth;
  }

  private stats(): { rate: number; eta: number } {
    const elapsed = (this.now() - this.started) / 1000;
    const fresh = this.done - (this.options.already ?? 0);
    const rate = elapsed > 0 ? fresh / elapsed : 0;
    const eta = rate > 0 ? (this.options.total - this.done) / rate : Infinity;
    return { rate, eta };
  }

  line(width: number): string {
    const { rate, eta } = this.stats();
    const total = this.options.total;
    const text = ` ${this.done}/${total} ${rate.toFixed(1)} items/s ETA ${this.done >= total ? "0s" : formatDuration(eta)}${this.escaped ? ` ESCAPED ${this.escaped}` : ""}`;
    const barWidth = Math.max(10, Math.min(40, width - text.length - 3));
    const filled = total === 0 ? barWidth : Math.round((this.done / total) * barWidth);
    return `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]${text}`;
  }

  /** Starts the display (the bar at 0 on a terminal). */
  start(): void {
    if (this.options.mode === "tty") this.draw(true);
  }

  /** One more item finished. */
  tick(escaped = false): void {
    this.done++;
    if (escaped) this.escaped++;
    if (this.options.mode === "tty") this.draw(this.done >= this.options.total);
    else if (this.options.mode === "plain") {
      const t = this.now();
      if (this.done >= this.nextPlainAt || this.done >= this.options.total || t - this.lastPlain >= (this.options.plainIntervalMs ?? 30_000)) {
        const { rate, eta } = this.stats();
        const pct = this.options.total === 0 ? 100 : Math.floor((100 * this.done) / this.options.total);
        this.stream.write(`bench: ${this.done}/${this.options.total} (${pct}%) ${rate.toFixed(1)} items/s, ETA ${this.done >= this.options.total ? "0s" : formatDuration(eta)}\n`);
        this.lastPlain = t;
        this.nextPlainAt = this.step(this.done);
      }
    }
  }

  /** Writes a message without garbling the bar. */
  message(text: string): void {
    if (this.options.mode === "quiet") return;
    if (this.options.mode === "tty" && this.drawn) this.stream.write("\r\x1b[K");
    this.stream.write(text.endsWith("\n") ? text : `${text}\n`);
    if (this.options.mode === "tty" && this.drawn) this.draw(true);
  }

  private draw(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastDraw < 100) return;
    this.lastDraw = t;
    this.drawn = true;
    this.stream.write(`\r\x1b[K${this.line((this.stream.columns ?? 80) - 1)}`);
  }

  /** Ends the display: the final bar stays on its line. */
  finish(): void {
    if (this.options.mode === "tty" && this.drawn) {
      this.draw(true);
      this.stream.write("\n");
    }
  }
}
