/**
 * A one-line progress bar on a terminal's stderr; silent elsewhere, so logs
 * and pipes get only the per-file lines.
 */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly enabled: boolean,
  ) {}

  static for(stream: NodeJS.WriteStream, quiet: boolean): ProgressBar {
    return new ProgressBar(stream, !quiet && stream.isTTY === true);
  }

  update(label: string, done: number, total: number | undefined, detail = ""): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 80 && done !== total) return;
    this.lastDraw = now;
    const width = 24;
    const ratio = total ? Math.min(1, done / total) : 0;
    const filled = Math.round(ratio * width);
    const bar = total ? `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.floor(ratio * 100)}%` : "";
    const columns = this.stream.columns || 80;
    const text = `${label} ${bar} ${detail}`.slice(0, columns - 1);
    this.stream.write(`\r\x1b[K${text}`);
    this.drawn = true;
  }

  /** Clears the bar so a normal line can be printed. */
  clear(): void {
    if (this.enabled && this.drawn) this.stream.write("\r\x1b[K");
    this.drawn = false;
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`;
}
