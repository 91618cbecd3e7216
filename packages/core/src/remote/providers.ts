/**
 * Paid background-removal APIs Cutout can fall back to, and any server that
 * speaks remove.bg's protocol (a Cutout server among them). Each sends the
 * photo as multipart form data with the key in its own header and answers
 * with the image; they differ in route, field names and error bodies (see
 * protocols.ts). Pure data: the Figma UI lists these too.
 */
export interface RemoteProvider {
  id: string;
  /** For people: "remove.bg". */
  label: string;
  /** The default endpoint; absent where the user must give one (`RemoteSettings.url`). */
  url?: string;
  /** Header that carries the API key. */
  keyHeader: string;
  /** Has a credits/account endpoint (fetchRemoteAccount). */
  account: boolean;
}

export const REMOTE_PROVIDERS: Readonly<Record<string, RemoteProvider>> = Object.freeze({
  removebg: { id: "removebg", label: "remove.bg", url: "https://api.remove.bg/v1.0/removebg", keyHeader: "X-Api-Key", account: true },
  bgcut: { id: "bgcut", label: "BgCut", url: "https://api.rembg.click/v1.0/removebg", keyHeader: "X-Api-Key", account: true },
  "rembg-com": { id: "rembg-com", label: "rembg.com", url: "https://api.rembg.com/rmbg", keyHeader: "x-api-key", account: true },
  fapihub: { id: "fapihub", label: "fapihub RemoveBG", url: "https://fapihub.com/v2/rembg/", keyHeader: "ApiKey", account: false },
  minimal: { id: "minimal", label: "Remove Background API", keyHeader: "x-api-key", account: false },
  cutout: { id: "cutout", label: "Cutout server", keyHeader: "X-Api-Key", account: true },
});

export interface RemoteSettings {
  /** A provider id from REMOTE_PROVIDERS (default "removebg"). */
  provider?: string;
  /**
   * The endpoint, overriding the provider's (a proxy, a compatible service, a
   * test server). A URL whose path is `/` (an origin, `http://host:7000`) is a
   * base: the provider's own route is added (`/v1.0/removebg` for remove.bg,
   * BgCut and a Cutout server, `/rmbg` for rembg.com, `/v2/rembg/` for
   * fapihub, `/v1/remove` for the minimal API). Any other URL is used as it is.
   * Required for "cutout" and "minimal", which have no public endpoint.
   */
  url?: string;
  apiKey: string;
  /** Per attempt, in milliseconds (default 60 000). */
  timeoutMs?: number;
  /** Largest response accepted, in bytes (default 200 MiB). */
  maxResponseBytes?: number;
  /** Cancels the call, retries and waits included; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Further tries after a 5xx answer, a network error or a 429 (default 2). */
  retries?: number;
  /** First backoff delay in milliseconds, doubled each try, plus up to as much again of jitter (default 1000). */
  retryDelayMs?: number;
  /** The longest `Retry-After` waited for on a 429 before giving up with remote_rate_limited (default 20 000 ms). */
  maxRetryAfterMs?: number;
}

/** A provider's balance, in its own credits. */
export interface RemoteAccount {
  provider: string;
  credits: { total: number; subscription?: number; payg?: number; enterprise?: number };
  /** Free calls left this month, where the provider has them (remove.bg). */
  freeCalls?: number;
}
