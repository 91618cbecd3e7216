import { isCutoutError } from "../errors.js";
import type { FieldError } from "../options/index.js";
import type { Failure } from "./protocol.js";
import { QueueFull } from "./queue.js";

/** A request the server refuses for a reason of its own (no key, no image, over the rate limit): thrown, then answered in the route's shape. */
export class Refusal extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** Field errors as one refusal: the first's message, with the others after it; every one in `details`. */
export function invalidFields(errors: readonly FieldError[]): Refusal {
  const [first, ...rest] = errors;
  const more = rest.length === 0 ? "" : ` (also: ${rest.map((e) => e.message).join("; ")})`;
  return new Refusal({ code: "validation_error", message: `${first?.message ?? "Invalid request"}${more}`, details: errors });
}

/** fastify's and @fastify/multipart's errors about the request itself, by code. */
const REQUEST_ERRORS: Readonly<Record<string, Failure["code"]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "image_too_large",
  FST_REQ_FILE_TOO_LARGE: "image_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "validation_error",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "validation_error",
  FST_ERR_CTP_EMPTY_JSON_BODY: "validation_error",
  FST_ERR_CTP_INVALID_JSON_BODY: "validation_error",
  FST_PARTS_LIMIT: "validation_error",
  FST_FILES_LIMIT: "validation_error",
  FST_FIELDS_LIMIT: "validation_error",
  FST_PROTO_VIOLATION: "validation_error",
  FST_INVALID_MULTIPART_CONTENT_TYPE: "validation_error",
};

/**
 * Anything thrown while serving, as a Failure: core's CutoutErrors keep their
 * code and message; request errors get a code; anything else is an internal
 * error whose details (and stack) stay in the server's log.
 */
export function failureOf(error: unknown, bodyLimit: number): Failure {
  if (error instanceof Refusal) return error.failure;
  if (isCutoutError(error)) {
    const details = error.field === undefined ? undefined : [{ field: error.field, value: "", message: error.message }];
    return { code: error.code, message: error.message, ...(details ? { details } : {}) };
  }
  if (error instanceof QueueFull) return { code: "server_busy", message: error.message, retryAfter: error.retryAfter };
  const code = (error as { code?: unknown })?.code;
  const known = typeof code === "string" ? REQUEST_ERRORS[code] : undefined;
  if (known === "image_too_large")
    return { code: known, message: `The request is larger than this server's body limit of ${bodyLimit} bytes` };
  if (known === "validation_error" && code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return {
      code: known,
      message: "Unsupported Content-Type: send multipart/form-data, application/x-www-form-urlencoded or application/json",
    };
  }
  if (known)
    return {
      code: known,
      message: String((error as Error).message)
        .split("\n")[0]!
        .slice(0, 300),
    };
  return { code: "internal_error", message: "Internal error; the server's log has the details" };
}
