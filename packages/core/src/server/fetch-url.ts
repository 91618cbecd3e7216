import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { CutoutError } from "../errors.js";
import { redactUrl } from "../node/read-input.js";
import type { AddressPolicy } from "./address-policy.js";

export interface FetchLimits {
  policy: AddressPolicy;
  maxBytes: number;
  /** For the whole fetch, redirects and body included. */
  timeoutMs: number;
  /** The client went away. */
  signal?: AbortSignal;
  /** The form field that named the URL, for messages. */
  field: string;
}

const MAX_REDIRECTS = 5;

/**
 * Fetches a URL a client named (image_url, bg_image_url) without letting it
 * reach this machine's network: http(s) only; every address the name
 * resolves to is checked against the policy, and the connection goes to the
 * checked address (it is pinned by the lookup, so DNS cannot answer
 * differently the second time); at most five redirects, each checked the
 * same way; the body is capped and the whole fetch timed.
 */
export async function fetchPublicUrl(url: string, limits: FetchLimits): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
  let current = new URL(url);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await get(current, limits, signal);
      const location = response.headers.location;
      if (response.statusCode !== undefined && response.statusCode >= 300 && response.statusCode < 400 && location) {
        response.resume();
        if (redirects === MAX_REDIRECTS) throw unreadable(limits, url, `more than ${MAX_REDIRECTS} redirects`);
        current = new URL(location, current);
        continue;
      }
      if (response.statusCode !== 200) {
        response.resume();
        throw unreadable(limits, url, `HTTP ${response.statusCode}`);
      }
      return await collect(response, limits, url);
    }
  } catch (error) {
    if (limits.signal?.aborted) throw limits.signal.reason;
    if (timeout.aborted)
      throw new CutoutError("timeout", `Fetching ${limits.field} (${redactUrl(url)}) timed out after ${limits.timeoutMs} ms`);
    if (error instanceof CutoutError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CutoutError("network_error", `Cannot fetch ${limits.field} (${redactUrl(url)}): ${code}`);
  }
}

function get(url: URL, limits: FetchLimits, signal: AbortSignal): Promise<IncomingMessage> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Promise.reject(refused(limits, url, `it is not an http(s) URL (${url.protocol})`));
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // An address written in the URL is never looked up: check it here.
  if (isIP(host) !== 0 && !limits.policy.permits(host, host)) return Promise.reject(refused(limits, url, `${host} is a private address`));
  const options: RequestOptions = {
    method: "GET",
    host,
    port: url.port || undefined,
    path: url.pathname + url.search,
    headers: { accept: "image/*", "user-agent": "cutout-server" },
    lookup: checkedLookup(limits, url),
    signal,
    agent: false,
  };
  if (url.username || url.password) options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(options, resolve);
    request.on("error", reject);
    request.end();
  });
}

/** dns.lookup, refusing a name when any of its addresses is private, and handing on only the checked ones. */
function checkedLookup(limits: FetchLimits, url: URL): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const blocked = addresses.find((a) => !limits.policy.permits(hostname, a.address));
      if (blocked) return callback(refused(limits, url, `${hostname} resolves to the private address ${blocked.address}`), "", 0);
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

async function collect(response: IncomingMessage, limits: FetchLimits, url: string): Promise<Uint8Array> {
  const tooLarge = () => new CutoutError("image_too_large", `${limits.field} (${redactUrl(url)}) is larger than ${limits.maxBytes} bytes`);
  if (Number(response.headers["content-length"]) > limits.maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    total += (chunk as Buffer).length;
    if (total > limits.maxBytes) {
      response.destroy();
      throw tooLarge();
    }
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

function refused(limits: FetchLimits, url: URL, why: string): CutoutError {
  return new CutoutError(
    "validation_error",
    `${limits.field} (${redactUrl(url.href)}) was refused: ${why}, which this server does not fetch for clients`,
    { field: limits.field },
  );
}

function unreadable(limits: FetchLimits, url: string, why: string): CutoutError {
  return new CutoutError("input_unreadable", `Fetching ${limits.field} (${redactUrl(url)}) failed: ${why}`);
}
