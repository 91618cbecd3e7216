import type { ImageCodec } from "../host.js";
import { decodePhoto } from "./decode.js";
import { encodeRendered } from "./encode.js";
import { type ImageInput, readInput } from "./read-input.js";
import { sharpResize } from "./sharp-resize.js";

/** The Node host's images: paths, URLs, buffers and streams in; sharp (libvips) to decode and resize; our PNG writer. */
export const nodeCodec: ImageCodec<ImageInput, Buffer> = {
  read: async (input, limits) => (await readInput(input, limits)).bytes,
  decode: (bytes, maxPixels, request = {}) =>
    decodePhoto(bytes, maxPixels, request.cover ?? Number.POSITIVE_INFINITY, request.onAccepted, request.fullAfterPreview),
  resize: sharpResize,
  encode: encodeRendered,
};
