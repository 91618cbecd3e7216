import { CutoutError, type ErrorCode } from "../errors.js";

/**
 * A provider's error answer as a CutoutError: the status (and the body's own
 * code, where it names an image problem) picks our code, the provider's
 * message is kept, and the key is scrubbed from everything.
 */
export async function remoteFailure(response: Response, where: string, key: string): Promise<CutoutError> {
  const { code: bodyCode, text } = await errorBody(response);
  const code = IMAGE_CODES[bodyCode ?? ""] ?? statusCode(response.status);
  if (bodyCode === "unknown_foreground") return new CutoutError(code, scrub(`The remote engine (${where}) found no foreground`, key));
  const retry = response.status === 429 ? retryAfterText(response.headers.get("retry-after")) : "";
  const message = `The remote engine (${where}) answered HTTP ${response.status}${text ? `: ${text}` : ""}${retry}`;
  return new CutoutError(code, scrub(message, key).slice(0, 600));
}

/** Body codes that say what was wrong with the image, from remove.bg, rembg.com, fapihub, the minimal API or a Cutout server. */
const IMAGE_CODES: Readonly<Record<string, ErrorCode>> = {
  unknown_foreground: "no_foreground",
  no_foreground: "no_foreground",
  invalid_image: "invalid_image",
  image_too_large: "image_too_large",
  unsupported_format: "unsupported_format",
};

function statusCode(status: number): ErrorCode {
  if (status === 401 || status === 403) return "remote_auth_failed";
  if (status === 402) return "remote_quota_exceeded";
  if (status === 429) return "remote_rate_limited";
  if (status === 413) return "image_too_large";
  if (status === 400 || status === 415 || status === 422) return "invalid_image";
  return "remote_error";
}

/**
 * The code and message in the error shapes the providers use: remove.bg's
 * {errors: [{title, code, detail}]}, rembg.com's {error, details: [{message}]},
 * the minimal API's {code, message, details}, {error: {code, message}} and
 * FastAPI's {detail}. Anything else: nothing.
 */
async function errorBody(response: Response): Promise<{ code?: string; text: string }> {
  let raw: string;
  try {
    raw = (await response.text()).slice(0, 64 * 1024);
  } catch {
    return { text: "" };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // Not JSON: an HTML page or a stack trace says nothing a user can act on; the status does.
    return { text: "" };
  }
  if (json === null || typeof json !== "object") return { text: "" };
  const body = json as Record<string, unknown>;
  const first = Array.isArray(body.errors) ? (body.errors[0] as Record<string, unknown> | undefined) : undefined;
  if (first) return { code: text(first.code), text: join([text(first.title), text(first.detail)]) };
  const inner = body.error !== null && typeof body.error === "object" ? (body.error as Record<string, unknown>) : body;
  const details = Array.isArray(inner.details) ? inner.details : Array.isArray(body.detail) ? body.detail : [];
  const listed = details.map((d) =>
    typeof d === "string" ? d : text((d as Record<string, unknown>)?.message ?? (d as Record<string, unknown>)?.msg),
  );
  return {
    code: text(inner.code),
    text: join([text(body.error), text(inner.message), text(inner.details), text(body.detail), ...listed]),
  };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? oneLine(value) : undefined;
}

function join(parts: (string | undefined)[]): string {
  return [...new Set(parts.filter((part): part is string => part !== undefined))].join(": ");
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

function retryAfterText(header: string | null): string {
  const ms = retryAfterMs(header);
  return ms === undefined ? "" : ` (retry after ${Math.ceil(ms / 1000)} s)`;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A provider could echo the key back in an error body; never pass it on. */
export function scrub(text: string, key: string): string {
  return key.length >= 4 ? text.split(key).join("***") : text;
}
