import path from "node:path";
import sharp from "sharp";

export interface Photo {
  label: string;
  path: string;
}

/** The real photo the generated sizes are made from. */
const SOURCE = "test/fixtures/car-1.jpg";

const SIZES = [
  { label: "1 MP", width: 1155, height: 866 },
  { label: "12 MP", width: 4000, height: 3000 },
] as const;

/** A ~1 MP and a ~12 MP JPEG (q90), upscaled with lanczos from a real 480x360 photo. */
export async function makePhotos(root: string, dir: string): Promise<Photo[]> {
  const source = path.join(root, SOURCE);
  const photos: Photo[] = [];
  for (const size of SIZES) {
    const file = path.join(dir, `car-${size.width}x${size.height}.jpg`);
    await sharp(source).resize(size.width, size.height, { fit: "fill", kernel: "lanczos3" }).jpeg({ quality: 90 }).toFile(file);
    photos.push({ label: `${size.label} (${size.width}x${size.height})`, path: file });
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
