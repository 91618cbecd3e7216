/**
 * The remote engine's HTTP requests, made here for the UI: Figma's fetch in
 * the main thread is not subject to CORS, which a paid API need not allow
 * for the UI's null-origin iframe. Only to the remote API's hosts, over https.
 */
import { REMOTE_API_HOSTS, type RelayedRequest, type RelayedResponse } from "../protocol.js";
import type { FigmaFetch } from "./figma-api.js";

export async function relay(fetch: FigmaFetch, { id, url, method, headers, body }: RelayedRequest): Promise<RelayedResponse> {
  if (!REMOTE_API_HOSTS.includes(httpsHost(url))) {
    return { id, ok: false, message: `Cutout forwards requests only to ${REMOTE_API_HOSTS.join(", ")}` };
  }
  try {
    const response = await fetch(url, { method, headers, ...(body ? { body } : {}) });
    const answer = new Uint8Array(await response.arrayBuffer());
    return { id, ok: true, status: response.status, statusText: response.statusText, headers: response.headersObject, body: answer };
  } catch (error) {
    return { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The host of an https URL, else "" (Figma's sandbox has no URL class). */
function httpsHost(url: string): string {
  return /^https:\/\/([^/?#@\s]+)(?:[/?#]|$)/i.exec(url)?.[1]?.toLowerCase() ?? "";
}
