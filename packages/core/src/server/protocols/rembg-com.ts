import { type Answer, type Failure, imageHeaders, type Protocol, type Success, usualStatus } from "../protocol.js";

/**
 * rembg.com's POST /rmbg: the image in the body; errors as {error, details,
 * status} with its reference's texts (the dialect parser words field errors
 * its way: "'w' must be an integer, got: 'abc'"). `code` is added: core's
 * code, for clients that branch on it.
 */
export const REMBG_COM: Protocol = {
  id: "rembg.com",
  dialect: "rembg.com",
  title: "rembg.com",
  missingImage: "No image file provided. Please include an 'image' field in your form data.",

  success(success: Success): Answer {
    return { status: 200, headers: imageHeaders(success), body: success.result.data };
  },

  failure(failure: Failure): Answer {
    const status = usualStatus(failure.code);
    const details = failure.details ?? [];
    const error = details.length > 1 ? "Multiple validation errors" : (details[0]?.message ?? MESSAGES[failure.code] ?? failure.message);
    const body = {
      error,
      ...(details.length > 1 ? { details: details.map((d) => ({ field: d.field, message: d.message })) } : {}),
      status,
      code: failure.code,
    };
    return { status, headers: {}, body };
  },
};

const MESSAGES: Partial<Record<Failure["code"], string>> = {
  unauthorized: "invalid api key",
  rate_limited: "You're making requests too quickly, Please Upgrade or slow down.",
};
