import { CutoutError } from "../errors.js";
import type { ImageCodec } from "../host.js";
import type { PixelImage } from "../image.js";
import { foregroundBox } from "../matte/bounding-box.js";
import type { CutoutPixels } from "../pipeline.js";
import { toRgba } from "../render.js";
import { fetchRemoteCutout } from "./client.js";
import type { RemoteSettings } from "./providers.js";

/**
 * The remote engine's cutout in the same shape as the local pipeline's, so
 * effects and encoding run unchanged. The photo is resized to the remote
 * result if the provider returned another size.
 */
export async function remoteCutout(
  bytes: Uint8Array,
  photo: PixelImage,
  settings: RemoteSettings,
  codec: Pick<ImageCodec<unknown>, "decode" | "resize">,
): Promise<{ cut: CutoutPixels; photo: PixelImage }> {
  const t0 = performance.now();
  const png = await fetchRemoteCutout(bytes, settings);
  const t1 = performance.now();
  let decoded: PixelImage;
  try {
    decoded = (await codec.decode(png, photo.width * photo.height * 4)).photo as PixelImage;
  } catch (error) {
    // A provider's answer is untrusted input too: garbage or an oversized image is a coded failure, not a crash.
    const reason = String((error as Error)?.message ?? error).split("\n")[0];
    throw new CutoutError("remote_error", `The remote engine's answer is not a usable image (${reason})`, { cause: error });
  }
  const { width, height } = decoded;
  const data = toRgba(decoded);
  const alpha = new Uint8Array(width * height);
  for (let i = 0, j = 3; i < alpha.length; i++, j += 4) {
    alpha[i] = data[j];
    // Match the local engine: nothing of the removed background stays under full transparency.
    if (data[j] === 0) data[j - 3] = data[j - 2] = data[j - 1] = 0;
  }
  const sized = width === photo.width && height === photo.height ? photo : await codec.resize(photo, width, height);
  const cut: CutoutPixels = {
    rgba: data,
    alpha,
    width,
    height,
    foreground: foregroundBox(alpha, width, height),
    timings: { preprocess: 0, modelWait: 0, inference: t1 - t0, decodeWait: 0, postprocess: performance.now() - t1 },
  };
  return { cut, photo: sized };
}
