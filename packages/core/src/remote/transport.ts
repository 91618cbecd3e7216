import { CutoutError, invalidOption } from "../errors.js";
import { collectBytes, streamChunks } from "../input-bytes.js";
import { timeoutMilliseconds } from "../options.js";
import { remoteFailure, retryAfterMs, scrub } from "./failure.js";
import type { Target } from "./protocols.js";
import type { RemoteSettings } from "./providers.js";

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_DELAY_MS = 1000;
const DEFAULT_MAX_RETRY_AFTER_MS = 20_000;

/**
 * One call to a provider, retried as remove.bg recommends: exponential backoff
 * with jitter after a 5xx answer or a network error; after a 429, the wait its
 * Retry-After asks for, when that is within maxRetryAfterMs; never after
 * another 4xx. Each try has its own timeout; the caller's signal cancels the
 * whole call, waits included, and rejects with its reason. `read` consumes
 * the successful response under the same timeout.
 */
export async function callRemote<T>(
  target: Target,
  settings: RemoteSettings,
  request: () => RequestInit,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const timeoutMs = timeoutMilliseconds("timeoutMs", settings.timeoutMs, DEFAULT_TIMEOUT_MS);
  const retries = count("retries", settings.retries, DEFAULT_RETRIES);
  const delayMs = count("retryDelayMs", settings.retryDelayMs, DEFAULT_RETRY_DELAY_MS);
  const maxRetryAfterMs = count("maxRetryAfterMs", settings.maxRetryAfterMs, DEFAULT_MAX_RETRY_AFTER_MS);
  const where = describeTarget(target);
  const key = settings.apiKey;
  const cancel = settings.signal;
  for (let attempt = 0; ; attempt++) {
    cancel?.throwIfAborted();
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = cancel ? AbortSignal.any([cancel, timeout]) : timeout;
    const failed = (error: unknown) => {
      if (cancel?.aborted) return cancel.reason;
      if (timeout.aborted) return new CutoutError("timeout", `The remote engine (${where}) did not answer within ${timeoutMs} ms`);
      if (error instanceof CutoutError) return error;
      return new CutoutError("network_error", scrub(`Cannot reach the remote engine (${where}): ${reason(error)}`, key));
    };
    let response: Response;
    try {
      response = await fetch(target.url, { ...request(), signal });
    } catch (error) {
      const coded = failed(error);
      if (coded instanceof CutoutError && coded.code === "network_error" && attempt < retries) {
        await sleep(backoff(attempt, delayMs), cancel);
        continue;
      }
      throw coded;
    }
    if (response.ok) {
      try {
        return await read(response);
      } catch (error) {
        throw failed(error);
      }
    }
    const wait =
      response.status === 429
        ? retryAfterMs(response.headers.get("retry-after"))
        : response.status >= 500
          ? backoff(attempt, delayMs)
          : undefined;
    if (attempt < retries && wait !== undefined && wait <= (response.status === 429 ? maxRetryAfterMs : Number.POSITIVE_INFINITY)) {
      await response.body?.cancel().catch(() => undefined);
      await sleep(wait, cancel);
      continue;
    }
    throw await remoteFailure(response, where, key).catch(failed);
  }
}

/** The body, refusing more than maxBytes (declared or streamed). */
export async function readCapped(response: Response, maxBytes: number, where: string): Promise<Uint8Array> {
  const tooLarge = () => new CutoutError("remote_error", `The remote engine (${where}) sent more than the allowed ${maxBytes} bytes`);
  if (Number(response.headers.get("content-length")) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array(0);
  return collectBytes(streamChunks(response.body), maxBytes, where, tooLarge);
}

/** "remove.bg, https://api.remove.bg/v1.0/removebg": origin and path only, since query strings can carry tokens. */
export function describeTarget(target: Target): string {
  return `${target.provider.label}, ${target.url.origin}${target.url.pathname}`;
}

/** 2^attempt times the base delay, plus up to one base delay of jitter, so concurrent clients spread out. */
function backoff(attempt: number, delayMs: number): number {
  return delayMs * 2 ** attempt + Math.random() * delayMs;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener("abort", abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}

function count(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw invalidOption(field, "a whole number, 0 or more", value);
  return value;
}

/** undici's TypeError hides the reason in its cause (an AggregateError when several addresses were tried). */
function reason(error: unknown): string {
  type Cause = { code?: string; message?: string; errors?: Cause[] };
  const cause = (error as { cause?: Cause }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).name ?? "network failure";
}
