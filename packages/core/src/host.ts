/**
 * What a host gives the engine (engine.ts): its image codec. The onnxruntime
 * flavour and the model come in beside it (EngineHost). Node's codec is sharp
 * (node/codec.ts), a browser's is createImageBitmap and canvases
 * (browser/codec.ts); everything between decode and encode is the engine's own.
 */
import type { PixelImage, PixelResizer } from "./image.js";
import type { PendingPhoto } from "./pipeline.js";
import type { Rendered } from "./render.js";

/** What the container said, before orientation and colour conversion. */
export interface SourceInfo {
  format: string;
  width: number;
  height: number;
  pages: number;
  /** EXIF orientation, 1 to 8 (1 when there is none). */
  orientation: number;
  hasAlpha: boolean;
}

export interface DecodedImage {
  image: PixelImage;
  source: SourceInfo;
  warnings: string[];
}

export interface DecodedPhoto extends Omit<DecodedImage, "image"> {
  /** The pixels, or a photo whose full-size pixels are still decoding behind a small preview. */
  photo: PixelImage | PendingPhoto;
}

export interface ReadLimits {
  maxInputBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface DecodeRequest {
  /**
   * A host that can shrink while it decodes may return a PendingPhoto whose
   * preview covers cover x cover, when the photo is at least twice that on
   * both sides. Infinity (the default) asks for the pixels whole.
   */
  cover?: number;
  /** Called once the header has passed the limits, while the pixels decode. */
  onAccepted?: () => void;
  /** With a preview: start the full decode only once the preview is done (a model is loading beside it). */
  fullAfterPreview?: boolean;
}

/**
 * A host's image input and output. `Input` is what its callers pass (paths
 * and streams in Node, Blobs in a browser); `Data` what encoded bytes are
 * handed back as.
 */
export interface ImageCodec<Input, Data extends Uint8Array = Uint8Array> {
  /**
   * The bytes of an input, within the limits. Background images arrive here
   * too, as bytes or as the text the option carried (a URL, or a path where
   * the host has files).
   */
  read(input: Input | Uint8Array | string, limits: ReadLimits): Promise<Uint8Array>;
  /**
   * Upright 8-bit sRGB (EXIF orientation applied; RGB, or RGBA where the
   * input has alpha), the pixel limit checked from the header before any
   * pixel buffer exists: image_too_large, invalid_image, unsupported_format.
   */
  decode(bytes: Uint8Array, maxPixels: number, request?: DecodeRequest): Promise<DecodedPhoto>;
  resize: PixelResizer;
  /** Encodes rendered pixels in their format. */
  encode(rendered: Rendered): Promise<Data>;
}
