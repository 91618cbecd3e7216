/** The queue is full: the server answers 503 with Retry-After. */
export class QueueFull extends Error {
  constructor(readonly retryAfter: number) {
    super(`The server is busy: its queue is full; retry after ${retryAfter} s`);
  }
}

interface Waiting {
  start: () => void;
}

/**
 * A bounded queue in front of the one model session: `concurrency` images in
 * work at once (the Remover overlaps one image's decoding and encoding with
 * another's inference), at most `capacity` waiting. A waiting request whose
 * client went away (its signal aborts) leaves the queue without being
 * computed.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];
  /** A moving average of how long a job takes, for Retry-After. */
  private averageMs = 2000;
  readonly stats = { done: 0, failed: 0, dropped: 0 };

  constructor(
    readonly concurrency: number,
    readonly capacity: number,
  ) {}

  get load(): { running: number; waiting: number; capacity: number } {
    return { running: this.running, waiting: this.waiting.length, capacity: this.capacity };
  }

  async run<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T> {
    signal.throwIfAborted();
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.capacity) throw new QueueFull(this.retryAfter());
      await new Promise<void>((resolve, reject) => {
        const entry: Waiting = {
          start: () => {
            signal.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          this.stats.dropped++;
          reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        this.waiting.push(entry);
      });
    } else {
      this.running++;
    }
    const started = performance.now();
    try {
      const result = await work();
      this.stats.done++;
      return result;
    } catch (error) {
      this.stats.failed++;
      throw error;
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
      const next = this.waiting.shift();
      // The slot passes straight to the next job; only when none waits is it freed.
      if (next) next.start();
      else this.running--;
    }
  }

  /** Seconds until a place is likely to be free: the queue ahead, at the recent pace. */
  retryAfter(): number {
    return Math.max(1, Math.ceil(((this.waiting.length + 1) * this.averageMs) / this.concurrency / 1000));
  }
}
