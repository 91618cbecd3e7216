import sharp from "sharp";
import { CutoutError } from "../errors.js";
import type { PixelImage } from "../image.js";
import { foregroundBox } from "../matte/bounding-box.js";
import type { CutoutPixels } from "../pipeline.js";
import { requestRemoteCutout } from "../remote/client.js";
import type { RemoteSettings } from "../remote/providers.js";
import { sharpResize } from "./sharp-resize.js";

/**
 * The remote engine's cutout in the same shape as the local pipeline's, so
 * effects and encoding run unchanged. The photo is resized to the remote
 * result if the provider returned another size.
 */
export async function remoteCutout(
  bytes: Uint8Array,
  photo: PixelImage,
  settings: RemoteSettings,
): Promise<{ cut: CutoutPixels; photo: PixelImage; creditsCharged?: number }> {
  const t0 = performance.now();
  const { image: png, creditsCharged } = await requestRemoteCutout(bytes, settings);
  const t1 = performance.now();
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    decoded = await sharp(png, { limitInputPixels: photo.width * photo.height * 4 })
      .ensureAlpha()
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    // A provider's answer is untrusted input too: garbage or an oversized image is a coded failure, not a crash.
    const reason = String((error as Error)?.message ?? error).split("\n")[0];
    throw new CutoutError("remote_error", `The remote engine's answer is not a usable image (${reason})`, { cause: error });
  }
  const { data, info } = decoded;
  const { width, height } = info;
  const alpha = new Uint8Array(width * height);
  for (let i = 0, j = 3; i < alpha.length; i++, j += 4) {
    alpha[i] = data[j];
    // Match the local engine: nothing of the removed background stays under full transparency.
    if (data[j] === 0) data[j - 3] = data[j - 2] = data[j - 1] = 0;
  }
  const sized = width === photo.width && height === photo.height ? photo : await sharpResize(photo, width, height);
  const cut: CutoutPixels = {
    rgba: data,
    alpha,
    width,
    height,
    foreground: foregroundBox(alpha, width, height),
    timings: { preprocess: 0, modelWait: 0, inference: t1 - t0, decodeWait: 0, postprocess: performance.now() - t1 },
  };
  return { cut, photo: sized, ...(creditsCharged === undefined ? {} : { creditsCharged }) };
}
