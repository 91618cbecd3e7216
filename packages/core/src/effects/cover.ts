import type { PixelImage, PixelResizer } from "../image.js";

/**
 * Scales `image` to cover a canvasW x canvasH canvas (CSS `object-fit: cover`):
 * the smaller scale that fills both sides, then a centred crop of the overflow
 * (floor of half the excess on the left and top). An image already the canvas
 * size is returned as is; the resizer runs only when the scale is not 1.
 */
export async function coverFit(image: PixelImage, canvasW: number, canvasH: number, resize: PixelResizer): Promise<PixelImage> {
  if (image.width === canvasW && image.height === canvasH) return image;
  const scale = Math.max(canvasW / image.width, canvasH / image.height);
  const width = Math.max(canvasW, Math.round(image.width * scale));
  const height = Math.max(canvasH, Math.round(image.height * scale));
  const scaled = width === image.width && height === image.height ? image : await resize(image, width, height);
  return cropPixels(scaled, Math.floor((width - canvasW) / 2), Math.floor((height - canvasH) / 2), canvasW, canvasH);
}

function cropPixels(image: PixelImage, left: number, top: number, width: number, height: number): PixelImage {
  const { channels } = image;
  if (left === 0 && top === 0 && width === image.width && height === image.height) return image;
  const out = new Uint8Array(width * height * channels);
  const row = width * channels;
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * channels;
    out.set(image.data.subarray(from, from + row), y * row);
  }
  return { data: out, width, height, channels };
}
