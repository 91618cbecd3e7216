/**
 * Progress on stderr. On a terminal: a one-line bar, redrawn in place. Elsewhere
 * (CI, logs, pipes): plain lines for long work only (a model download), at
 * most one every PLAIN_INTERVAL_MS plus the last, so a log is never silent for
 * the length of a download, nor flooded.
 */
const PLAIN_INTERVAL_MS = 5000;

export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;
  private lastLabel = "";
  private finishedLabel = "";

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly mode: "bar" | "lines" | "off",
  ) {}

  static for(stream: NodeJS.WriteStream, quiet: boolean): ProgressBar {
    return new ProgressBar(stream, quiet ? "off" : stream.isTTY === true ? "bar" : "lines");
  }

  /** `long`: work that can take many seconds (downloads), which a log should hear about too. */
  update(label: string, done: number, total: number | undefined, detail = "", long = false): void {
    if (this.mode === "off" || (this.mode === "lines" && !long)) return;
    const now = Date.now();
    const finished = total !== undefined && done >= total;
    const interval = this.mode === "bar" ? 80 : PLAIN_INTERVAL_MS;
    if (label === this.lastLabel && !finished && now - this.lastDraw < interval) return;
    // A log gets each finished line once, however often the caller reports it.
    if (this.mode === "lines" && finished && label === this.finishedLabel) return;
    this.lastDraw = now;
    this.lastLabel = label;
    if (finished) this.finishedLabel = label;
    const percent = total ? Math.floor(Math.min(1, done / total) * 100) : undefined;
    if (this.mode === "lines") {
      this.stream.write(`${label}${percent === undefined ? "" : ` ${percent}%`}${detail ? ` ${detail}` : ""}\n`);
      return;
    }
    const width = 24;
    const filled = Math.round(((percent ?? 0) / 100) * width);
    const bar = percent === undefined ? "" : `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}%`;
    const columns = this.stream.columns || 80;
    const text = `${label} ${bar} ${detail}`.slice(0, columns - 1);
    this.stream.write(`\r\x1b[K${text}`);
    this.drawn = true;
  }

  /** Clears the bar so a normal line can be printed. */
  clear(): void {
    if (this.mode === "bar" && this.drawn) this.stream.write("\r\x1b[K");
    this.drawn = false;
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`;
}
