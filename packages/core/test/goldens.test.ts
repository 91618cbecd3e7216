// Every effect on a real photo (car-1.jpg, the real model, one inference),
// compared with test/goldens/<id>.png by a perceptual metric rather than
// bytes, so a new sharp or onnxruntime does not break it but a wrong or
// missing effect does. Regenerate after an intended change: pnpm goldens
import { readdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comparePictures, DEFAULT_THRESHOLDS, failures, type PerceptualScore, type Picture } from "../../../test/support/perceptual.js";
import {
  EFFECT_CASES,
  type FixtureCutout,
  fixtureCutout,
  GOLDEN_DIR,
  PHOTO_PATH,
  RENDER_DEPS,
  renderCase,
} from "../scripts/effect-cases.js";
import { decodeImage } from "../src/node/decode.js";
import { Remover } from "../src/node/remover.js";
import type { RemoveOptions } from "../src/options.js";
import { resolveOptions } from "../src/options.js";
import { cutoutPixels } from "../src/pipeline.js";
import { type Rendered, renderCutout } from "../src/render.js";

/** A golden PNG with its own channel count (a matte decodes to 1 channel). */
async function readGolden(id: string): Promise<Picture> {
  const path = join(GOLDEN_DIR, `${id}.png`);
  const channels = (await sharp(path).metadata()).channels;
  const { data, info } = await (channels === 1 ? sharp(path).toColourspace("b-w") : sharp(path))
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as Picture["channels"] };
}

const picture = (r: Rendered): Picture => ({ data: r.pixels, width: r.width, height: r.height, channels: r.channels });

const format = (s: PerceptualScore) =>
  `SSIM ${s.ssim.toFixed(4)}, tile ${s.ssimTileMin.toFixed(3)}, alpha tile ${s.alphaSsimTileMin.toFixed(3)}, IoU ${s.alphaIou.toFixed(4)}, ` +
  `alpha MAE ${s.alphaMae.toFixed(4)}, colour MAE ${s.colorMae.toFixed(2)}, size diff ${s.sizeDiff}, shift ${s.shift.join(",")}`;

describe("golden renders of car-1.jpg", () => {
  let fixture: FixtureCutout;
  const goldens = new Map<string, Picture>();
  const scores = new Map<string, PerceptualScore>();

  beforeAll(async () => {
    fixture = await fixtureCutout(2);
    for (const { id } of EFFECT_CASES) goldens.set(id, await readGolden(id));
  });

  afterAll(() => {
    if (scores.size === 0) return;
    const all = [...scores.values()];
    const min = (key: "ssim" | "ssimTileMin" | "alphaSsimTileMin" | "alphaIou") => Math.min(...all.map((s) => s[key])).toFixed(4);
    process.stdout.write(
      `goldens: ${scores.size} compared; min SSIM ${min("ssim")}, min tile ${min("ssimTileMin")}, ` +
        `min alpha tile ${min("alphaSsimTileMin")}, min IoU ${min("alphaIou")}\n`,
    );
  });

  it("has exactly one golden per case", () => {
    const files = readdirSync(GOLDEN_DIR).filter((name) => name.endsWith(".png"));
    expect(files.sort()).toEqual(EFFECT_CASES.map(({ id }) => `${id}.png`).sort());
  });

  it.each(EFFECT_CASES)("$id ($label) looks like its golden", async ({ id, options }) => {
    const rendered = await renderCase(fixture, options);
    const golden = goldens.get(id) as Picture;
    expect(rendered.channels).toBe(golden.channels);
    const score = comparePictures(picture(rendered), golden);
    scores.set(id, score);
    expect(failures(score), `${id}: ${format(score)}`).toEqual([]);
  });

  describe("the metric", () => {
    const score = async (id: string, options: RemoveOptions) =>
      comparePictures(picture(await renderCase(fixture, options)), goldens.get(id) as Picture);

    it("fails a wrong background colour and a missing shadow on SSIM itself", async () => {
      const red = await score("bg-color", { bgColor: "red" });
      expect(red.ssim).toBeLessThan(DEFAULT_THRESHOLDS.ssim);
      const noShadow = await score("shadow-drop", { bgColor: "white" });
      expect(noShadow.ssim).toBeLessThan(DEFAULT_THRESHOLDS.ssim);
      expect(noShadow.ssimTileMin).toBeLessThan(DEFAULT_THRESHOLDS.ssimTileMin);
    });

    it.each<[string, RemoveOptions]>([
      ["bg-color", { bgColor: "#81d4fa", shadowType: "drop" }],
      ["bg-gradient", { bgGradient: "linear-gradient(45deg, #ff9a9e, #fad0c4 50%, #a1c4fd)" }],
      ["bg-blur", { bgBlur: 5 }],
      ["shadow-3d", { bgColor: "white" }],
      ["shadow-car", { shadowType: "drop", bgColor: "white" }],
      ["crop-margin", { crop: true, cropMargin: "8%" }],
      ["scale-center", { scale: "55%", position: "center" }],
      ["position-bottom-left", { scale: "50%", position: "0% 90%" }],
      ["angle-expand", { angle: 14, bgColor: "#eeeeee" }],
      ["angle-expand", { angle: 15, bgColor: "#eeeeee", expand: false }],
      ["roi-left", { roi: "0% 0% 65% 100%" }],
      ["channels-rgb", { channels: "rgb", bgColor: "#4fd5ff" }],
      // Not here: semitransparency on against off. On car-1 they now differ by an alpha MAE of 0.0004 (the
      // guided filter's 2% snap already clears the faint halo that `semitransparency: false` used to remove),
      // which nobody can see, so the metric rightly passes it. snapInterior has its own pixel tests.
    ])("fails %s rendered with %j", async (id, options) => {
      const s = await score(id, options);
      expect(failures(s), format(s)).not.toEqual([]);
    });

    it("passes every case on a photo re-encoded as JPEG (as a new decoder or model runtime would shift pixels)", async () => {
      const bytes = await sharp(PHOTO_PATH).jpeg({ quality: 95 }).toBuffer();
      const photo = (await decodeImage(bytes, 50_000_000)).image;
      const remover = new Remover({ threads: 2 });
      const cut = await cutoutPixels(photo, await remover.load(), RENDER_DEPS.resize).finally(() => remover.close());
      const problems: string[] = [];
      const all: PerceptualScore[] = [];
      for (const { id, options } of EFFECT_CASES) {
        const rendered = await renderCutout(photo, cut, resolveOptions(options).canonical, RENDER_DEPS);
        const s = comparePictures(picture(rendered), goldens.get(id) as Picture);
        expect(s.ssim, id).toBeLessThan(1);
        for (const line of failures(s)) problems.push(`${id}: ${line}`);
        all.push(s);
      }
      const min = (key: "ssim" | "ssimTileMin" | "alphaSsimTileMin" | "alphaIou") => Math.min(...all.map((s) => s[key])).toFixed(4);
      const maxColour = Math.max(...all.map((s) => s.colorMae)).toFixed(2);
      process.stdout.write(
        `goldens vs re-encoded photo: min SSIM ${min("ssim")}, min tile ${min("ssimTileMin")}, min alpha tile ${min("alphaSsimTileMin")}, ` +
          `min IoU ${min("alphaIou")}, max colour MAE ${maxColour}\n`,
      );
      expect(problems).toEqual([]);
    });
  });
});
