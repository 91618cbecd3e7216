/**
 * remove.bg's rate limit: a budget of megapixels per minute per key (an
 * image counts its input megapixels, rounded up, at least 1), reported in
 * X-RateLimit-Limit / -Remaining / -Reset (the window's end, Unix seconds)
 * and, once exceeded, Retry-After. Each replica keeps its own windows.
 */
export interface RateState {
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
  /** Seconds to wait, when the request was refused. */
  retryAfter?: number;
}

const WINDOW_MS = 60_000;

export class MegapixelRateLimit {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The megapixels an image of this size counts for. */
  static cost(pixels: number): number {
    return Math.max(1, Math.ceil(pixels / 1_000_000));
  }

  /** Where `who` stands, without spending anything. */
  peek(who: string): RateState {
    return this.state(this.window(who));
  }

  /**
   * Spends `megapixels`, or refuses when they are more than what is left.
   * An image larger than the whole budget passes in a fresh window (else it
   * could never pass) and uses the window up.
   */
  take(who: string, megapixels: number): RateState {
    const window = this.window(who);
    const left = this.perMinute - window.used;
    if (megapixels > left && !(window.used === 0 && left > 0)) {
      return { ...this.state(window), retryAfter: Math.max(1, Math.ceil((window.start + WINDOW_MS - this.now()) / 1000)) };
    }
    window.used += megapixels;
    return this.state(window);
  }

  private window(who: string) {
    const now = this.now();
    let window = this.windows.get(who);
    if (!window || now >= window.start + WINDOW_MS) {
      if (this.windows.size > 10_000) this.prune(now);
      window = { start: now, used: 0 };
      this.windows.set(who, window);
    }
    return window;
  }

  private state(window: { start: number; used: number }): RateState {
    return {
      limit: this.perMinute,
      remaining: Math.max(0, this.perMinute - window.used),
      reset: Math.ceil((window.start + WINDOW_MS) / 1000),
    };
  }

  private prune(now: number): void {
    for (const [who, window] of this.windows) if (now >= window.start + WINDOW_MS) this.windows.delete(who);
  }
}
