/**
 * Paid background-removal APIs Cutout can fall back to. All speak remove.bg's
 * protocol (multipart `image_file`, options as form fields, the image in the
 * response body); they differ in endpoint and in the header carrying the key.
 */
export interface RemoteProvider {
  name: string;
  url: string;
  /** Header that carries the API key. */
  keyHeader: string;
}

export const REMOTE_PROVIDERS: Readonly<Record<string, RemoteProvider>> = {
  removebg: { name: "removebg", url: "https://api.remove.bg/v1.0/removebg", keyHeader: "X-Api-Key" },
};

export interface RemoteSettings {
  /** A provider name from REMOTE_PROVIDERS; with `url`, any remove.bg-compatible endpoint. */
  provider?: string;
  /** Overrides the provider's endpoint (a compatible API, a proxy, a test server). */
  url?: string;
  apiKey: string;
  timeoutMs?: number;
  /** Largest response accepted, in bytes. */
  maxResponseBytes?: number;
}
