import { type Answer, detailText, type Failure, imageHeaders, type Protocol, type Success, usualStatus } from "../protocol.js";

/**
 * The minimal "Remove Background" API, served at POST /v1/remove (its
 * reference names no path; this is the path of the service it describes):
 * the image in the body with X-Request-ID, X-Processing-Time-Ms,
 * X-Image-Width and X-Image-Height; errors as {code, message, details,
 * request_id} with its documented codes.
 */
export const MINIMAL: Protocol = {
  id: "minimal",
  dialect: "minimal",
  title: "Remove Background API (minimal)",
  missingImage: "No image file provided",

  success(success: Success): Answer {
    const headers = {
      ...imageHeaders(success),
      "x-processing-time-ms": String(Math.round(success.ms)),
      "x-image-width": String(success.result.width),
      "x-image-height": String(success.result.height),
    };
    return { status: 200, headers, body: success.result.data };
  },

  failure(failure: Failure, requestId: string): Answer {
    const code = CODES[failure.code] ?? failure.code;
    const message = MESSAGES[failure.code] ?? failure.message;
    return { status: usualStatus(failure.code), headers: {}, body: { code, message, details: detailText(failure), request_id: requestId } };
  },
};

const CODES: Partial<Record<Failure["code"], string>> = {
  unauthorized: "authentication_error",
  rate_limited: "rate_limit_exceeded",
  internal_error: "internal_server_error",
  inference_failed: "internal_server_error",
};

const MESSAGES: Partial<Record<Failure["code"], string>> = {
  validation_error: "One or more parameters are invalid",
  unauthorized: "Invalid or missing API key",
  rate_limited: "Too many requests",
};
