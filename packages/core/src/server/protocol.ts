import type { ErrorCode } from "../errors.js";
import type { CutoutResult } from "../node/remover.js";
import type { DialectName, FieldError } from "../options/index.js";

/** Core's codes, and the few only a server has. */
export type FailureCode =
  | ErrorCode
  | "missing_image"
  | "multiple_sources"
  | "unauthorized"
  | "rate_limited"
  | "server_busy"
  | "not_found"
  | "internal_error";

/** A request that cannot be answered with an image, before it is put in a protocol's words. */
export interface Failure {
  code: FailureCode;
  message: string;
  /** Every field at fault, for validation errors. */
  details?: readonly FieldError[];
  /** Seconds, for rate_limited and server_busy. */
  retryAfter?: number;
}

export interface Success {
  result: CutoutResult;
  requestId: string;
  /** Milliseconds since the request arrived. */
  ms: number;
  /** The request's text fields. */
  fields: Readonly<Record<string, string>>;
  accept: string | undefined;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** Bytes are sent as they are, anything else as JSON. */
  body: Uint8Array | object;
}

/**
 * One paid API's protocol as the server speaks it: the dialect its fields
 * are parsed in, and its own shapes for a result and for each failure. The
 * routes, the parsing and the work are shared (handle.ts).
 */
export interface Protocol {
  id: "removebg" | "rembg.com" | "fapihub" | "minimal" | "rembg";
  dialect: DialectName;
  /** For the OpenAPI document. */
  title: string;
  /** The protocol's sentence for a request without an image. */
  missingImage: string;
  success(success: Success): Answer;
  failure(failure: Failure, requestId: string): Answer;
}

/** The status most protocols give each failure; each protocol changes what its reference says otherwise. */
export function usualStatus(code: FailureCode): number {
  switch (code) {
    case "unauthorized":
      return 401;
    case "remote_quota_exceeded":
      return 402;
    case "not_found":
      return 404;
    case "rate_limited":
      return 429;
    case "inference_failed":
    case "internal_error":
    case "output_unwritable":
    case "output_exists":
      return 500;
    case "remote_auth_failed":
    case "remote_rate_limited":
    case "remote_error":
      return 502;
    case "server_busy":
    case "model_unavailable":
      return 503;
    default:
      return 400;
  }
}

/** Headers every image answer carries. */
export function imageHeaders(success: Success): Record<string, string> {
  const { result } = success;
  return {
    "content-type": result.mimeType,
    // A JSON array of strings (warnings may hold "; " or ","), ASCII as headers must be.
    ...(result.warnings.length > 0 ? { "x-cutout-warnings": JSON.stringify(result.warnings).replace(/[^\x20-\x7e]/g, "?") } : {}),
  };
}

/** One line per field error, for protocols that carry a single message. */
export function detailText(failure: Failure): string {
  return failure.details && failure.details.length > 0 ? failure.details.map((d) => d.message).join("; ") : failure.message;
}
