import { type Answer, type Failure, imageHeaders, type Protocol, type Success, usualStatus } from "../protocol.js";

/**
 * remove.bg's POST /v1.0/removebg (BgCut's too): the image in the body, or
 * {data: {result_b64, foreground_*}} when the client accepts JSON; the size
 * and the subject's box in X- headers; errors as {errors: [{title, code}]},
 * 400 for anything wrong with the request or the image, 403 for a missing or
 * unknown key, as its reference documents.
 */
export const REMOVEBG: Protocol = {
  id: "removebg",
  dialect: "removebg",
  title: "remove.bg / BgCut",
  missingImage: "No image given: please provide either the image_url, image_file or image_file_b64 parameter.",

  success(success: Success): Answer {
    const { result, fields, accept } = success;
    const box = result.foreground ?? { left: 0, top: 0, width: 0, height: 0 };
    const headers: Record<string, string> = {
      ...imageHeaders(success),
      "x-width": String(result.width),
      "x-height": String(result.height),
      "x-foreground-top": String(box.top),
      "x-foreground-left": String(box.left),
      "x-foreground-width": String(box.width),
      "x-foreground-height": String(box.height),
      // Cutout runs locally: nothing is charged, unless a remote provider said otherwise.
      "x-credits-charged": String(result.creditsCharged ?? 0),
    };
    // Cutout does not classify the subject: it reports the type it was given, "other" when left to detect.
    const given = fields.type?.trim().toLowerCase();
    if (fields.type_level?.trim().toLowerCase() !== "none") headers["x-type"] = !given || given === "auto" ? "other" : given;
    if (!/application\/json/i.test(accept ?? "")) return { status: 200, headers, body: result.data };
    const data = {
      result_b64: result.data.toString("base64"),
      foreground_top: box.top,
      foreground_left: box.left,
      foreground_width: box.width,
      foreground_height: box.height,
    };
    return { status: 200, headers: { ...headers, "content-type": "application/json; charset=utf-8" }, body: { data } };
  },

  failure(failure: Failure): Answer {
    const status = failure.code === "unauthorized" ? 403 : usualStatus(failure.code);
    const title = TITLES[failure.code] ?? failure.message;
    const errors =
      failure.details && failure.details.length > 0
        ? failure.details.map((d) => ({ title: d.message, code: failure.code, source: { parameter: d.field } }))
        : [{ title, code: failure.code, ...(title === failure.message ? {} : { detail: failure.message }) }];
    return { status, headers: {}, body: { errors } };
  },
};

/** The titles remove.bg's reference gives; other failures carry core's message. */
const TITLES: Partial<Record<Failure["code"], string>> = {
  unauthorized: "Missing API Key",
  rate_limited: "Rate limit exceeded",
  multiple_sources: "Multiple image sources given: Please provide either the image_url, image_file or image_file_b64 parameter.",
};
