import path from "node:path";
import sharp from "sharp";

export interface Photo {
  label: string;
  path: string;
  /** Width x height in megapixels, for the chart. */
  megapixels?: number;
}

/** The real photo the generated sizes are made from. */
const SOURCE = "test/fixtures/car-1.jpg";

/** The sizes in megapixels the Foundation benchmark uses; --sizes picks others. */
export const DEFAULT_SIZES = [1, 12];
/** With --baseline: the side-by-side set. */
export const BASELINE_SIZES = [0.3, 1, 4, 12];

/** 4:3 (like the source photo) at about `mp` megapixels; 1 and 12 MP keep their historical sizes. */
function sizeFor(mp: number): { label: string; width: number; height: number } {
  const known: Record<number, [number, number]> = { 0.3: [640, 480], 1: [1155, 866], 4: [2309, 1732], 12: [4000, 3000] };
  const width = known[mp]?.[0] ?? Math.round(Math.sqrt((mp * 1e6 * 4) / 3));
  const height = known[mp]?.[1] ?? Math.round((width * 3) / 4);
  return { label: `${mp} MP`, width, height };
}

/** JPEGs (q90) of the given sizes in MP, upscaled with lanczos from a real 480x360 photo. */
export async function makePhotos(root: string, dir: string, megapixels: readonly number[] = DEFAULT_SIZES): Promise<Photo[]> {
  const source = path.join(root, SOURCE);
  const photos: Photo[] = [];
  for (const size of megapixels.map(sizeFor)) {
    const file = path.join(dir, `car-${size.width}x${size.height}.jpg`);
    await sharp(source).resize(size.width, size.height, { fit: "fill", kernel: "lanczos3" }).jpeg({ quality: 90 }).toFile(file);
    photos.push({ label: `${size.label} (${size.width}x${size.height})`, path: file, megapixels: (size.width * size.height) / 1e6 });
  }
  return photos;
}

/** The caller's own photos, labelled by file name and size. */
export async function userPhotos(files: string[]): Promise<Photo[]> {
  const photos: Photo[] = [];
  for (const file of files) {
    const meta = await sharp(file).metadata();
    const turned = (meta.orientation ?? 1) >= 5;
    const width = (turned ? meta.height : meta.width) ?? 0;
    const height = (turned ? meta.width : meta.height) ?? 0;
    const mp = ((width * height) / 1e6).toFixed(1);
    photos.push({ label: `${path.basename(file)} (${width}x${height}, ${mp} MP)`, path: path.resolve(file) });
  }
  return photos;
}

/** Where the bench photos come from, for the report. */
export function sourceNote(userGiven: boolean): string {
  return userGiven ? "the photos given with --images" : `${SOURCE} (480x360) upscaled with lanczos3, saved as JPEG q90`;
}
