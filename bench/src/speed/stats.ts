export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function elapsedSince(start: number): number {
  return performance.now() - start;
}

/**
 * Waits long enough for another session's onnxruntime pool threads, which
 * spin for a while after a run, to go to sleep: a bench that times two
 * sessions one after the other in one process would otherwise charge one
 * session's spinning to the next run (a real process has one session).
 */
export function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
