import http from "node:http";
import https from "node:https";

export interface GetOptions {
  /** Fail if nothing arrives for this long: connecting, waiting for headers, or between body chunks. */
  idleTimeoutMs: number;
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
  /** The Authorization header for a URL, if any. Asked again after each redirect. */
  authorization?: ((url: URL) => string | undefined) | undefined;
  maxRedirects?: number;
}

export interface HttpResponse {
  /** The final URL, after redirects. */
  readonly url: URL;
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The body. Read it to the end, or call `discard`, so the connection and timer are released. */
  readonly body: AsyncIterable<Uint8Array>;
  discard(): void;
}

/** A network-level failure (no HTTP status): refused, reset, DNS, timeout. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NetworkError";
  }
}

/** A response with a status the caller cannot use. */
export class HttpStatusError extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`HTTP ${status}${http.STATUS_CODES[status] === undefined ? "" : ` ${http.STATUS_CODES[status]}`}`);
    this.name = "HttpStatusError";
    this.status = status;
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** GET with redirects and an idle timeout, on node:http(s); no proxy support. */
export async function get(url: URL, options: GetOptions): Promise<HttpResponse> {
  const maxRedirects = options.maxRedirects ?? 5;
  let current = url;
  for (let hop = 0; ; hop++) {
    // Credentials follow a redirect only within the origin they were meant for.
    const auth = current.origin === url.origin ? options.authorization?.(current) : undefined;
    const response = await getOnce(current, auth, options);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.status) || location === undefined) return response;
    response.discard();
    if (hop >= maxRedirects) throw new NetworkError(`too many redirects (more than ${maxRedirects})`);
    current = new URL(location, current);
    if (current.protocol !== "http:" && current.protocol !== "https:") {
      throw new NetworkError(`redirected to an unsupported protocol (${current.protocol})`);
    }
  }
}

/** Reads a small body as text, giving up after `limit` bytes. */
export async function readText(response: HttpResponse, limit = 32 * 1024 * 1024): Promise<string> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const part of response.body) {
    length += part.length;
    if (length > limit) {
      response.discard();
      throw new NetworkError(`response larger than ${limit} bytes`);
    }
    parts.push(part);
  }
  return Buffer.concat(parts).toString("utf8");
}

function getOnce(url: URL, authorization: string | undefined, options: GetOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const { signal, idleTimeoutMs } = options;
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const headers: Record<string, string> = { "user-agent": `cutout (node ${process.version})`, ...options.headers };
    if (authorization !== undefined) headers.authorization = authorization;

    const client = url.protocol === "https:" ? https : http;
    const request = client.request(url, { method: "GET", headers });
    let response: http.IncomingMessage | undefined;
    let timer: NodeJS.Timeout | undefined;

    const fail = (error: unknown): void => {
      // Destroying the response makes a pending read reject with `error`;
      // destroying the request makes the request's 'error' handler reject.
      if (response !== undefined) response.destroy(error instanceof Error ? error : new Error(String(error)));
      else request.destroy(error instanceof Error ? error : new Error(String(error)));
    };
    const stopTimer = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    const startTimer = (): void => {
      stopTimer();
      timer = setTimeout(() => {
        fail(new NetworkError(`timed out: no data for ${idleTimeoutMs / 1000} s`));
      }, idleTimeoutMs);
      timer.unref();
    };
    const onAbort = (): void => fail(signal?.reason);
    const cleanup = (): void => {
      stopTimer();
      signal?.removeEventListener("abort", onAbort);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    startTimer();

    request.on("error", (error) => {
      cleanup();
      reject(signal?.aborted === true ? signal.reason : asNetworkError(error));
    });
    request.on("response", (res) => {
      response = res;
      startTimer();
      resolve({
        url,
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: streamBody(res, startTimer, stopTimer, cleanup, signal),
        discard(): void {
          cleanup();
          res.destroy();
        },
      });
    });
    request.end();
  });
}

async function* streamBody(
  res: http.IncomingMessage,
  startTimer: () => void,
  stopTimer: () => void,
  cleanup: () => void,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      // The idle clock measures the network, not the time the consumer spends on a chunk.
      stopTimer();
      yield chunk;
      startTimer();
    }
    if (!res.complete) throw new NetworkError("connection closed before the response was complete");
  } catch (error) {
    throw signal?.aborted === true ? signal.reason : asNetworkError(error);
  } finally {
    cleanup();
    if (!res.complete) res.destroy();
  }
}

function asNetworkError(error: unknown): Error {
  if (error instanceof NetworkError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return new NetworkError(typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message, {
    cause: error,
  });
}
