import { type Answer, detailText, type Failure, imageHeaders, type Protocol, type Success, usualStatus } from "../protocol.js";

/**
 * fapihub's RemoveBG (POST /v2/rembg/ and its /blur/, /color/, /gradient/,
 * /shadow/ endpoints, key in ApiKey): a PNG in the body; errors as a JSON
 * object with its documented codes (invalid_api_key, rate_limit_exceeded,
 * server_error) where it has one, core's code otherwise.
 */
export const FAPIHUB: Protocol = {
  id: "fapihub",
  dialect: "fapihub",
  title: "fapihub RemoveBG",
  missingImage: "No image file provided: send it in the 'image' field",

  success(success: Success): Answer {
    return { status: 200, headers: imageHeaders(success), body: success.result.data };
  },

  failure(failure: Failure): Answer {
    const code = CODES[failure.code] ?? failure.code;
    return { status: usualStatus(failure.code), headers: {}, body: { code, message: detailText(failure) } };
  },
};

const CODES: Partial<Record<Failure["code"], string>> = {
  unauthorized: "invalid_api_key",
  rate_limited: "rate_limit_exceeded",
  internal_error: "server_error",
  inference_failed: "server_error",
};
