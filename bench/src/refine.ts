import { readFile } from "node:fs/promises";
import {
  applyGuidedFilter,
  fitGuidedFilter,
  guidedRadius,
  type PixelImage,
  refineMatte,
  resizePixels,
  resizePlane,
} from "@cutout/core/blocks";
import { decodeImage } from "@cutout/core/node";
import { bytesToPlane, readAlpha, readGrey, type Sample } from "./io.js";
import { type AlphaPlane, meanOf, type RegionScores, scoreRegion } from "./metrics.js";
import { coarseMatte, unknownRegion } from "./resample.js";

export interface RefineRow {
  name: string;
  width: number;
  height: number;
  /** Pixels in the trimap's unknown region, where everything is scored. */
  unknown: number;
  /** Size of the coarse matte handed to the refiner. */
  coarse: { width: number; height: number };
  bilinear: RegionScores;
  refined: RegionScores;
}

export interface SweepRow {
  /** null: refineMatte's own radius for each crop's size. */
  radius: number | null;
  eps: number;
  mean: RegionScores;
  /** Per-crop scores, same order as the crops. */
  crops: RegionScores[];
}

export interface RefineResult {
  rows: RefineRow[];
  /** The guided-filter parameters refineMatte picked (it derives them from the guide size). */
  engineParams: { radius: number | number[]; eps: number };
  sweep: SweepRow[];
}

/** refineMatte's eps (packages/core/src/pipeline.ts); its radius comes from `guidedRadius`. */
export const ENGINE_EPS = 1e-4;

interface Crop {
  name: string;
  photo: PixelImage;
  gt: AlphaPlane;
  unknown: Uint8Array;
  coarse: AlphaPlane;
}

async function loadCrop(s: Sample, coarseLong: number): Promise<Crop> {
  const gt = await readAlpha(s.mask);
  const decoded = await decodeImage(await readFile(s.image), Number.MAX_SAFE_INTEGER);
  let photo = decoded.image;
  // Scored at mask size: a photo of another size is brought to it.
  if (photo.width !== gt.width || photo.height !== gt.height) photo = await resizePixels(photo, gt.width, gt.height);
  const trimap = await readGrey(s.trimap as string);
  if (trimap.width !== gt.width || trimap.height !== gt.height) {
    throw new Error(`${s.name}: trimap is ${trimap.width}x${trimap.height} but the mask is ${gt.width}x${gt.height}`);
  }
  return { name: s.name, photo, gt, unknown: unknownRegion(trimap.data), coarse: coarseMatte(gt, coarseLong) };
}

/** The guided filter alone, as refineMatte applies it when guide and image are the same photo, with chosen parameters. */
export function guidedAlpha(photo: PixelImage, coarse: AlphaPlane, radius: number, eps: number): AlphaPlane {
  const working = resizePlane(coarse, photo.width, photo.height);
  const alpha = applyGuidedFilter(fitGuidedFilter(photo, working, radius, eps), photo);
  return bytesToPlane(alpha, photo.width, photo.height);
}

/**
 * The refinement protocol of shared/eval/README.md: each crop's ground
 * truth is coarsened (area downscale to a long side of `coarseLong` px,
 * threshold 0.5); the baseline scales it back up bilinearly, Cutout's
 * refiner (`refineMatte`, the photo as guide) refines it; both are scored
 * inside the trimap's unknown region. `radii` x `epsilons` is an optional
 * sweep of the guided filter's parameters.
 */
export async function runRefine(
  samples: Sample[],
  options: { coarseLong: number; radii: (number | null)[]; epsilons: number[] },
  log: (line: string) => void,
): Promise<RefineResult> {
  const rows: RefineRow[] = [];
  const combos = options.radii.flatMap((radius) => options.epsilons.map((eps) => ({ radius, eps })));
  const sweepScores: RegionScores[][] = combos.map(() => []);
  const radiiUsed = new Set<number>();
  for (const [i, s] of samples.entries()) {
    const crop = await loadCrop(s, options.coarseLong);
    const { width, height } = crop.gt;
    const bilinear = resizePlane(crop.coarse, width, height);
    const refined = refineMatte(crop.photo, crop.photo, crop.coarse);
    radiiUsed.add(guidedRadius(crop.photo, crop.coarse));
    let unknown = 0;
    for (const v of crop.unknown) unknown += v;
    const row: RefineRow = {
      name: s.name,
      width,
      height,
      unknown,
      coarse: { width: crop.coarse.width, height: crop.coarse.height },
      bilinear: scoreRegion(bilinear, crop.gt, crop.unknown),
      refined: scoreRegion(bytesToPlane(refined.alpha, width, height), crop.gt, crop.unknown),
    };
    rows.push(row);
    for (const [k, c] of combos.entries()) {
      const radius = c.radius ?? guidedRadius(crop.photo, crop.coarse);
      sweepScores[k].push(scoreRegion(guidedAlpha(crop.photo, crop.coarse, radius, c.eps), crop.gt, crop.unknown));
    }
    log(
      `refine ${i + 1}/${samples.length} ${s.name}: SAD ${row.bilinear.sad.toFixed(3)} -> ${row.refined.sad.toFixed(3)}, grad ${row.bilinear.grad.toFixed(3)} -> ${row.refined.grad.toFixed(3)}`,
    );
  }
  const radii = [...radiiUsed];
  return {
    rows,
    engineParams: { radius: radii.length === 1 ? radii[0] : radii, eps: ENGINE_EPS },
    sweep: combos.map((c, k) => ({ ...c, mean: meanOf(sweepScores[k]), crops: sweepScores[k] })),
  };
}

/** Percentage by which `value` is below `baseline` (positive = better than the baseline). */
export function reduction(baseline: number, value: number): number {
  return baseline === 0 ? 0 : ((baseline - value) / baseline) * 100;
}
