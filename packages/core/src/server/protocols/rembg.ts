import { type Answer, type Failure, imageHeaders, type Protocol, type Success, usualStatus } from "../protocol.js";

/**
 * rembg's own server (`rembg s`, FastAPI): POST /api/remove with the file in
 * `file`, GET /api/remove?url=; always a PNG. Field errors answer as FastAPI
 * does, 422 with {detail: [{type, loc, msg, input}]}; other failures as
 * {detail, code}.
 */
export const REMBG: Protocol = {
  id: "rembg",
  dialect: "rembg",
  title: "rembg server",
  missingImage: "Field required: send the image in 'file' (POST) or name it in 'url' (GET)",

  success(success: Success): Answer {
    return { status: 200, headers: imageHeaders(success), body: success.result.data };
  },

  failure(failure: Failure): Answer {
    if (failure.code === "validation_error" || failure.code === "missing_image") {
      const details = failure.details ?? [{ field: failure.code === "missing_image" ? "file" : "", value: "", message: failure.message }];
      const detail = details.map((d) => ({ type: "value_error", loc: ["body", d.field], msg: d.message, input: d.value }));
      return { status: 422, headers: {}, body: { detail } };
    }
    const status = failure.code === "image_too_large" ? 413 : usualStatus(failure.code);
    return { status, headers: {}, body: { detail: failure.message, code: failure.code } };
  },
};
