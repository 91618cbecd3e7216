import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import type { AlphaPlane } from "./metrics.js";

const IMAGE_EXTENSIONS = new Set([".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".avif", ".gif", ".bmp", ".heic", ".heif"]);

export interface Sample {
  /** The file stem shared by photo, mask (and trimap). */
  name: string;
  image: string;
  mask: string;
  trimap?: string;
}

export interface SampleList {
  samples: Sample[];
  /** Photos with no mask of the same stem (skipped). */
  unmatched: string[];
}

/**
 * Pairs `DIR/images/*` with `DIR/masks/*` (and `DIR/trimaps/*` when asked)
 * by file stem, in name order.
 */
export function listSamples(dir: string, withTrimaps = false): SampleList {
  const folder = (name: string) => {
    const p = path.join(dir, name);
    if (!existsSync(p) || !statSync(p).isDirectory()) throw new Error(`${p} is not a folder (expected ${dir}/images and ${dir}/masks)`);
    return p;
  };
  const byStem = (p: string) => {
    const map = new Map<string, string>();
    for (const f of readdirSync(p).sort()) {
      const ext = path.extname(f).toLowerCase();
      if (!IMAGE_EXTENSIONS.has(ext) || f.startsWith(".")) continue;
      const stem = path.basename(f, path.extname(f));
      if (!map.has(stem)) map.set(stem, path.join(p, f));
    }
    return map;
  };
  const images = byStem(folder("images"));
  const masks = byStem(folder("masks"));
  const trimaps = withTrimaps ? byStem(folder("trimaps")) : undefined;
  const samples: Sample[] = [];
  const unmatched: string[] = [];
  for (const [name, image] of images) {
    const mask = masks.get(name);
    const trimap = trimaps?.get(name);
    if (!mask || (trimaps && !trimap)) {
      unmatched.push(path.basename(image));
      continue;
    }
    samples.push(trimap ? { name, image, mask, trimap } : { name, image, mask });
  }
  return { samples, unmatched };
}

/**
 * Reads a mask or matte as alpha 0..1 (upright, EXIF orientation applied):
 * its alpha channel when it has a non-opaque one, else its grey level.
 */
export async function readAlpha(input: string | Uint8Array): Promise<AlphaPlane> {
  const { data, info } = await sharp(input, { limitInputPixels: false }).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const c = info.channels;
  let useAlpha = false;
  for (let i = 0, j = c - 1; i < n; i++, j += c) {
    if (data[j] !== 255) {
      useAlpha = true;
      break;
    }
  }
  const out = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += c) {
    out[i] = useAlpha ? data[j + c - 1] / 255 : (0.299 * data[j] + 0.587 * data[j + 1] + 0.114 * data[j + 2]) / 255;
  }
  return { data: out, width: info.width, height: info.height };
}

/** A trimap's grey levels, one byte per pixel. */
export async function readGrey(file: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(file).rotate().removeAlpha().toColourspace("b-w").raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += info.channels) out[i] = data[j];
  return { data: out, width: info.width, height: info.height };
}

/** EXIF orientation of a photo (1 when upright or absent). */
export async function orientationOf(file: string): Promise<number> {
  return (await sharp(file).metadata()).orientation ?? 1;
}

/** The photo upright as PNG bytes, for a baseline that ignores EXIF orientation. */
export async function uprightPng(file: string): Promise<Buffer> {
  return sharp(file).rotate().png().toBuffer();
}

/** Alpha bytes (0..255) as a 0..1 plane. */
export function bytesToPlane(alpha: Uint8Array, width: number, height: number): AlphaPlane {
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = alpha[i] / 255;
  return { data, width, height };
}
