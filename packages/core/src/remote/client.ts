import { CutoutError, type ErrorCode } from "../errors.js";
import { timeoutMilliseconds } from "../options.js";
import { REMOTE_PROVIDERS, type RemoteSettings } from "./providers.js";

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RESPONSE_BYTES = 200 * 1024 * 1024;

/**
 * Asks a remove.bg-style API for the plain cutout (a full-size RGBA PNG).
 * Effects are applied locally afterwards, so every option means the same
 * whichever engine cut the subject out. Pure: uses the global fetch, so the
 * browser host can call it too. The key is sent in a header and never appears
 * in an error, a log line or a result.
 */
export async function fetchRemoteCutout(image: Uint8Array, settings: RemoteSettings): Promise<Uint8Array> {
  const provider = REMOTE_PROVIDERS[settings.provider ?? "removebg"];
  const url = settings.url ?? provider?.url;
  if (!url) {
    const known = Object.keys(REMOTE_PROVIDERS).join(", ");
    throw new CutoutError("validation_error", `Unknown remote provider '${settings.provider}'; known: ${known}, or give a url`, {
      field: "provider",
    });
  }
  if (typeof settings.apiKey !== "string" || settings.apiKey.trim() === "") {
    throw new CutoutError("validation_error", "The remote engine needs an API key (apiKey)", { field: "apiKey" });
  }
  const timeoutMs = timeoutMilliseconds("timeoutMs", settings.timeoutMs, DEFAULT_TIMEOUT_MS);
  const form = new FormData();
  form.append("image_file", new Blob([image as BlobPart]), "image");
  form.append("size", "full");
  form.append("format", "png");
  const signal = AbortSignal.timeout(timeoutMs);
  const where = safeEndpoint(url);
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", body: form, headers: { [provider?.keyHeader ?? "X-Api-Key"]: settings.apiKey }, signal });
  } catch (error) {
    if (signal.aborted) throw new CutoutError("timeout", `The remote engine (${where}) did not answer within ${timeoutMs} ms`);
    throw new CutoutError("network_error", `Cannot reach the remote engine (${where}): ${reason(error)}`);
  }
  if (!response.ok) throw await remoteFailure(response, where, settings.apiKey);
  const body = new Uint8Array(await response.arrayBuffer());
  if (body.length > (settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES)) {
    throw new CutoutError("remote_error", `The remote engine (${where}) sent more than the allowed ${settings.maxResponseBytes} bytes`);
  }
  return body;
}

/** remove.bg answers errors as {"errors": [{"title", "code"}]}; map its statuses onto our codes. */
async function remoteFailure(response: Response, where: string, key: string): Promise<CutoutError> {
  let detail = "";
  try {
    const json = (await response.json()) as { errors?: { title?: string; code?: string; detail?: string }[] };
    const first = json.errors?.[0];
    if (first?.code === "unknown_foreground") return new CutoutError("no_foreground", `The remote engine found no foreground (${where})`);
    detail = [first?.title, first?.detail].filter(Boolean).join(": ");
  } catch {
    // Not JSON: the status alone says enough.
  }
  const code: ErrorCode =
    response.status === 401 || response.status === 403
      ? "remote_auth_failed"
      : response.status === 402
        ? "remote_quota_exceeded"
        : response.status === 429
          ? "remote_rate_limited"
          : response.status === 400
            ? "invalid_image"
            : "remote_error";
  const text = `The remote engine (${where}) answered HTTP ${response.status}${detail ? `: ${detail}` : ""}`;
  return new CutoutError(code, scrub(text, key).slice(0, 500));
}

/** Origin and path only: query strings can carry tokens. */
function safeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "<remote url>";
  }
}

/** A provider could echo the key back in an error body; never pass it on. */
function scrub(text: string, key: string): string {
  return key.length >= 4 ? text.split(key).join("***") : text;
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).name ?? "network failure";
}
