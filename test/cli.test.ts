/**
 * The `cutout` CLI end to end: the built bin script run as a separate
 * process, in temp folders, on the real model and the real fixture photos.
 *
 * Inference costs seconds per image whatever the image's size (the model
 * always sees 1024x1024), so this file runs eleven real cut-outs and no more.
 * Everything that is about planning (which inputs, which outputs) or about
 * failing early uses `--max-pixels 1`: every planned input then fails at its
 * header, before the model is loaded, and `--json` prints one line per planned
 * input. That shows exactly what the CLI would have processed, for free.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRealTarball, Mirror } from "../models/test/mirror.js";
import {
  buildOnce,
  type CliResult,
  checkPng,
  decode,
  FIXTURES,
  type JsonLine,
  jsonLines,
  listFiles,
  ROOT,
  readZip,
  runCli,
  sha256,
  tempDir,
  writeTinyImage,
} from "./support/cli";

/** A point on the car's body in car-1.jpg (480x360), and one on the girl's shirt in anime-girl-1.jpg (850x601). */
const CAR_BODY = [240, 200] as const;
const GIRL_SHIRT = [420, 280] as const;

const dirs: string[] = [];
async function workDir(label: string, fixtures: string[] = []): Promise<string> {
  const dir = await tempDir(label);
  dirs.push(dir);
  for (const name of fixtures) await fs.copyFile(path.join(FIXTURES, name), path.join(dir, name));
  return dir;
}

/** Every failure must reach the user as a one-line message with a code, never as a stack trace. */
function expectNoStack(result: CliResult): void {
  expect(result.stderr).not.toContain("    at ");
  expect(result.stderr).not.toContain("internal error");
}

/** The four corners of a decoded image, channel `c`. */
function corners(image: Awaited<ReturnType<typeof decode>>, c: number): number[] {
  const { width: w, height: h } = image;
  return [image.at(0, 0, c), image.at(w - 1, 0, c), image.at(0, h - 1, c), image.at(w - 1, h - 1, c)];
}

/** Share of pixels whose channel `c` satisfies `test`. */
function share(image: Awaited<ReturnType<typeof decode>>, c: number, test: (v: number) => boolean): number {
  const channels = image.data.length / (image.width * image.height);
  let n = 0;
  for (let i = c; i < image.data.length; i += channels) if (test(image.data[i]!)) n++;
  return n / (image.width * image.height);
}

/** Smallest box holding every pixel of channel `c` at or above `threshold`. */
function boxOf(image: Awaited<ReturnType<typeof decode>>, c: number, threshold: number) {
  let left = image.width;
  let top = image.height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.at(x, y, c) < threshold) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return { left, top, right, bottom };
}

beforeAll(() => {
  buildOnce();
});

afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

describe("one photo, default settings", () => {
  it("writes <name>.cutout.png beside the input, a real cut-out, and leaves the input alone", async () => {
    const dir = await workDir("default", ["car-1.jpg"]);
    const before = await sha256(path.join(dir, "car-1.jpg"));

    const result = await runCli(["car-1.jpg"], { cwd: dir });

    expect(result.code, result.stderr).toBe(0);
    expectNoStack(result);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr).toMatch(/^car-1\.jpg -> car-1\.cutout\.png \(480x360, /m);
    // Only the output appears: no temp files left from the atomic write.
    expect(await listFiles(dir)).toEqual(["car-1.cutout.png", "car-1.jpg"]);
    expect(await sha256(path.join(dir, "car-1.jpg"))).toBe(before);

    const bytes = await fs.readFile(path.join(dir, "car-1.cutout.png"));
    expect(checkPng(bytes)).toMatchObject({ width: 480, height: 360, channels: 4 });
    const out = await decode(bytes);
    expect(out).toMatchObject({ format: "png", width: 480, height: 360, channels: 4, hasAlpha: true });
    expect(corners(out, 3)).toEqual([0, 0, 0, 0]);
    expect(out.at(CAR_BODY[0], CAR_BODY[1], 3)).toBe(255);
    // A cut-out, not a blank or a copy: plenty of both fully clear and fully opaque pixels.
    expect(share(out, 3, (a) => a === 0)).toBeGreaterThan(0.3);
    expect(share(out, 3, (a) => a === 255)).toBeGreaterThan(0.1);

    // Re-running on the folder plans the photo again but not the cut-out it just wrote.
    const cutoutHash = await sha256(path.join(dir, "car-1.cutout.png"));
    const again = await runCli([".", "--json", "--max-pixels", "1"], { cwd: dir });
    expect(again.code, again.stderr).toBe(1);
    const planned = jsonLines(again.stdout);
    expect(planned.map((line) => path.resolve(dir, String(line.input)))).toEqual([path.join(dir, "car-1.jpg")]);
    expect(planned[0]).toMatchObject({ error: { code: "image_too_large" } });
    expect(await sha256(path.join(dir, "car-1.cutout.png"))).toBe(cutoutHash);
  });
});

describe("output formats", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await workDir("formats", ["car-1.jpg", "anime-girl-1.jpg"]);
  });

  it("-o out.webp -f webp writes a WebP with transparency to the named file", async () => {
    const result = await runCli(["anime-girl-1.jpg", "-o", "out.webp", "-f", "webp"], { cwd: dir });

    expect(result.code, result.stderr).toBe(0);
    expectNoStack(result);
    expect(result.stderr).toContain("anime-girl-1.jpg -> out.webp (850x601");
    await expect(fs.access(path.join(dir, "anime-girl-1.cutout.webp"))).rejects.toThrow();
    const out = await decode(path.join(dir, "out.webp"));
    expect(out).toMatchObject({ format: "webp", width: 850, height: 601, hasAlpha: true });
    expect(corners(out, 3)).toEqual([0, 0, 0, 0]);
    expect(out.at(GIRL_SHIRT[0], GIRL_SHIRT[1], 3)).toBe(255);
    expect(share(out, 3, (a) => a === 0)).toBeGreaterThan(0.3);
  });

  it("-f jpg --bg-color red flattens onto red, with no alpha", async () => {
    const result = await runCli(["car-1.jpg", "-f", "jpg", "--bg-color", "red"], { cwd: dir });

    expect(result.code, result.stderr).toBe(0);
    expectNoStack(result);
    const out = await decode(path.join(dir, "car-1.cutout.jpg"));
    expect(out).toMatchObject({ format: "jpeg", width: 480, height: 360, channels: 3, hasAlpha: false });
    for (const [x, y] of [
      [0, 0],
      [479, 0],
      [0, 359],
      [479, 359],
    ] as const) {
      expect(out.at(x, y, 0), `red at ${x},${y}`).toBeGreaterThan(200);
      expect(out.at(x, y, 1), `green at ${x},${y}`).toBeLessThan(50);
      expect(out.at(x, y, 2), `blue at ${x},${y}`).toBeLessThan(50);
    }
    // The silver car keeps its own colour: close to the photo, far from red.
    const photo = await decode(path.join(dir, "car-1.jpg"));
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(out.at(CAR_BODY[0], CAR_BODY[1], c) - photo.at(CAR_BODY[0], CAR_BODY[1], c))).toBeLessThan(30);
    }
    expect(out.at(CAR_BODY[0], CAR_BODY[1], 1)).toBeGreaterThan(80);
  });

  it("-f mask writes a single-channel PNG matte beside the input", async () => {
    const result = await runCli(["car-1.jpg", "-f", "mask"], { cwd: dir });

    expect(result.code, result.stderr).toBe(0);
    expectNoStack(result);
    const bytes = await fs.readFile(path.join(dir, "car-1.mask.png"));
    // Colour type 0: greyscale, one channel per pixel.
    expect(checkPng(bytes)).toMatchObject({ width: 480, height: 360, colorType: 0, channels: 1 });
    const mask = await decode(bytes);
    expect(mask).toMatchObject({ format: "png", width: 480, height: 360, channels: 1, hasAlpha: false });
    const values = new Set(mask.data);
    expect(values.has(0)).toBe(true);
    expect(values.has(255)).toBe(true);
    expect(corners(mask, 0)).toEqual([0, 0, 0, 0]);
    expect(mask.at(CAR_BODY[0], CAR_BODY[1])).toBe(255);
  });

  it("-f zip writes a zip with color.jpg and alpha.png, the alpha matching the mask", async () => {
    const result = await runCli(["car-1.jpg", "-f", "zip"], { cwd: dir });

    expect(result.code, result.stderr).toBe(0);
    expectNoStack(result);
    const file = path.join(dir, "car-1.cutout.zip");
    const head = await fs.readFile(file);
    expect(head.readUInt32LE(0)).toBe(0x04034b50); // a local file header
    const zip = readZip(file);
    expect(zip.names).toEqual(["color.jpg", "alpha.png"]);
    expect(zip.badEntry).toBeNull(); // every CRC checks out

    const color = await decode(zip.entries["color.jpg"]!);
    expect(color).toMatchObject({ format: "jpeg", width: 480, height: 360, channels: 3 });
    expect(checkPng(zip.entries["alpha.png"]!)).toMatchObject({ width: 480, height: 360, colorType: 0 });
    const alpha = await decode(zip.entries["alpha.png"]!);
    expect(alpha).toMatchObject({ format: "png", width: 480, height: 360, channels: 1 });
    expect(corners(alpha, 0)).toEqual([0, 0, 0, 0]);
    expect(alpha.at(CAR_BODY[0], CAR_BODY[1])).toBe(255);

    // Same photo, same model: the zip's matte is the -f mask output (written by the test above, if it ran).
    const mask = await decode(path.join(dir, "car-1.mask.png")).catch(() => undefined);
    if (mask) {
      let diff = 0;
      for (let i = 0; i < mask.data.length; i++) diff += Math.abs(mask.data[i]! - alpha.data[i]!);
      expect(diff / mask.data.length).toBeLessThan(1);
    }
  });
});

describe("several inputs", () => {
  it("a.jpg b.png -o outdir/ writes each cut-out into the new folder", async () => {
    const dir = await workDir("batch");
    await writeTinyImage(path.join(dir, "a.jpg"), 64, 48);
    await writeTinyImage(path.join(dir, "b.png"), 48, 64, "png");

    const result = await runCli(["a.jpg", "b.png", "-o", "outdir/"], { cwd: dir });

    expect(result.code, result.stderr).toBe(0);
    expectNoStack(result);
    expect(await listFiles(path.join(dir, "outdir"))).toEqual(["a.cutout.png", "b.cutout.png"]);
    const a = await decode(path.join(dir, "outdir", "a.cutout.png"));
    const b = await decode(path.join(dir, "outdir", "b.cutout.png"));
    checkPng(await fs.readFile(path.join(dir, "outdir", "a.cutout.png")));
    checkPng(await fs.readFile(path.join(dir, "outdir", "b.cutout.png")));
    expect(a).toMatchObject({ format: "png", width: 64, height: 48, channels: 4 });
    expect(b).toMatchObject({ format: "png", width: 48, height: 64, channels: 4 });
    expect(result.stderr).toContain(`a.jpg -> ${path.join("outdir", "a.cutout.png")} (64x48`);
    expect(result.stderr).toContain(`b.png -> ${path.join("outdir", "b.cutout.png")} (48x64`);
  });

  it("a folder with -r -o out/ mirrors its sub-folders and skips non-images", async () => {
    const dir = await workDir("folder");
    await writeTinyImage(path.join(dir, "photos", "top.jpg"), 64, 48);
    await writeTinyImage(path.join(dir, "photos", "sub", "deep.jpg"), 40, 30);
    await fs.writeFile(path.join(dir, "photos", "notes.txt"), "not an image\n");
    await fs.writeFile(path.join(dir, "photos", "sub", "README.md"), "# not an image\n");
    const inputsBefore = await listFiles(path.join(dir, "photos"));

    const result = await runCli(["photos/", "-r", "-o", "out/"], { cwd: dir });

    expect(result.code, result.stderr).toBe(0);
    expectNoStack(result);
    expect(await listFiles(path.join(dir, "out"))).toEqual(["sub/deep.cutout.png", "top.cutout.png"]);
    expect(await decode(path.join(dir, "out", "sub", "deep.cutout.png"))).toMatchObject({ width: 40, height: 30, channels: 4 });
    expect(await decode(path.join(dir, "out", "top.cutout.png"))).toMatchObject({ width: 64, height: 48, channels: 4 });
    expect(await listFiles(path.join(dir, "photos"))).toEqual(inputsBefore);

    // Without -r the sub-folder is left alone.
    const flat = await runCli(["photos/", "-o", "out2/", "--json", "--max-pixels", "1"], { cwd: dir });
    expect(flat.code, flat.stderr).toBe(1);
    expect(jsonLines(flat.stdout).map((l) => [l.input, l.output])).toEqual([
      [path.join("photos", "top.jpg"), path.join("out2", "top.cutout.png")],
    ]);
    // ...and the user is told so, with the flag that would include it.
    expect(flat.stderr).toMatch(/^cutout: photos\/: skipped 1 sub-folder \(-r descends into them\)$/m);
  });

  it("a folder with no images (only other files and earlier cut-outs) is an error, not a silent success", async () => {
    const dir = await workDir("no-images");
    await fs.mkdir(path.join(dir, "photos"));
    await fs.writeFile(path.join(dir, "photos", "notes.txt"), "not an image\n");
    await writeTinyImage(path.join(dir, "photos", "a.cutout.png"), 64, 48, "png");

    const result = await runCli(["photos/"], { cwd: dir });

    expect(result.code, result.stderr).toBe(1);
    expectNoStack(result);
    expect(result.stderr).toMatch(/^cutout: photos\/: input_unreadable: no images in this folder/m);
    expect(await listFiles(dir)).toEqual(["photos/a.cutout.png", "photos/notes.txt"]);
  });

  it("a quoted glob is expanded by the CLI itself, without the tool's own outputs", async () => {
    const dir = await workDir("glob");
    await writeTinyImage(path.join(dir, "photos", "b.jpg"));
    await writeTinyImage(path.join(dir, "photos", "a.jpg"));
    await writeTinyImage(path.join(dir, "photos", "c.png"), 64, 48, "png");
    await writeTinyImage(path.join(dir, "photos", "c.cutout.png"), 64, 48, "png");
    await writeTinyImage(path.join(dir, "photos", "c.mask.png"), 64, 48, "png");
    await writeTinyImage(path.join(dir, "photos", "sub", "d.jpg"));

    const jpgs = await runCli(["photos/*.jpg", "--json", "--max-pixels", "1"], { cwd: dir });
    expect(jpgs.code, jpgs.stderr).toBe(1);
    expectNoStack(jpgs);
    const lines = jsonLines(jpgs.stdout);
    expect(lines.map((l) => l.input)).toEqual(["photos/a.jpg", "photos/b.jpg"]);
    // They were read as images (failing on their size), not reported as missing.
    for (const line of lines) expect(line).toMatchObject({ error: { code: "image_too_large" } });

    const pngs = await runCli(["photos/*.png", "--json", "--max-pixels", "1"], { cwd: dir });
    expect(jsonLines(pngs.stdout).map((l) => l.input)).toEqual(["photos/c.png"]);

    const none = await runCli(["photos/*.gif"], { cwd: dir });
    expect(none.code).toBe(1);
    expectNoStack(none);
    expect(none.stderr).toMatch(/photos\/\*\.gif: input_unreadable: no files match/);
  });
});

describe("standard input and output", () => {
  it("cutout - < small.jpg > out.png streams a PNG to stdout and writes no file", async () => {
    const dir = await workDir("stdio");
    await writeTinyImage(path.join(dir, "small.jpg"), 64, 48);

    // 64x48 is exactly 3072 pixels: an image at the limit is allowed.
    const result = await runCli(["-", "--max-pixels", "3072"], { cwd: dir, stdin: { file: "small.jpg" } });

    expect(result.code, result.stderr).toBe(0);
    expectNoStack(result);
    // The whole PNG, not just its start: sharp alone would decode a truncated one.
    expect(checkPng(result.stdout)).toMatchObject({ width: 64, height: 48, channels: 4 });
    expect(await decode(result.stdout)).toMatchObject({ format: "png", width: 64, height: 48, channels: 4 });
    expect(await listFiles(dir)).toEqual(["small.jpg"]);
  });

  it("with no inputs it prints the usage and exits 2, even with stdin piped: stdin is read only for -", async () => {
    const dir = await workDir("stdin-empty");
    const result = await runCli([], { cwd: dir, stdin: Buffer.alloc(0) });

    expect(result.code).toBe(2);
    expectNoStack(result);
    expect(result.stderr).toMatch(/^Usage: cutout /);
    expect(result.stderr).not.toContain("invalid_image");
    expect(result.stdout.length).toBe(0);
  });

  it("--json with the image going to stdout is bad usage", async () => {
    const dir = await workDir("stdin-json");
    await writeTinyImage(path.join(dir, "small.jpg"));
    const result = await runCli(["-", "--json"], { cwd: dir, stdin: { file: "small.jpg" } });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--json");
    expect(result.stdout.length).toBe(0);
  });
});

describe("--json and failures in a batch", () => {
  it("prints one line per input, keeps going past bad inputs, and exits 1", async () => {
    const dir = await workDir("json", ["car-1.jpg"]);
    await fs.writeFile(path.join(dir, "bad.png"), "this is text, not a PNG\n");
    const badBefore = await sha256(path.join(dir, "bad.png"));

    const result = await runCli(["car-1.jpg", "bad.png", "missing.jpg", "--json"], { cwd: dir });

    expect(result.code, result.stderr).toBe(1);
    expectNoStack(result);
    expect(result.stderr).toMatch(/^cutout: bad\.png: invalid_image: /m);
    expect(result.stderr).toMatch(/^cutout: missing\.jpg: input_unreadable: /m);
    expect(result.stderr).not.toMatch(/car-1\.jpg: [a-z_]+:/);

    const lines = jsonLines(result.stdout);
    expect(lines).toHaveLength(3);
    const [good, bad, missing] = lines as [JsonLine, JsonLine, JsonLine];

    // The good photo: written, and described.
    const written = await fs.readFile(path.join(dir, "car-1.cutout.png"));
    checkPng(written);
    expect(good).toMatchObject({
      input: "car-1.jpg",
      output: "car-1.cutout.png",
      bytes: written.length,
      format: "png",
      width: 480,
      height: 360,
      model: "isnet-fp16",
      engine: "local",
    });
    expect(good.error).toBeUndefined();
    const timings = good.timings ?? {};
    for (const stage of ["read", "decode", "modelLoad", "inference", "encode", "total"]) {
      expect(typeof timings[stage], stage).toBe("number");
      expect(timings[stage], stage).toBeGreaterThanOrEqual(0);
    }
    expect(timings.inference).toBeGreaterThan(0);
    expect(timings.total).toBeGreaterThanOrEqual(timings.inference!);
    // Rounded to a tenth of a millisecond; the CPU that produced them is named.
    for (const [stage, ms] of Object.entries(timings)) expect(Math.round(ms * 10) / 10, stage).toBe(ms);
    expect(good.cpu).toMatch(/^(x64|arm64|\w+), .+, int8 (vnni|avx2|sse|dotprod|neon|unknown)/);

    // The foreground box agrees with the written alpha: it holds every solid pixel and nothing fully clear lies outside it.
    expect(good.foreground).toBeTruthy();
    const fg = good.foreground!;
    for (const v of Object.values(fg)) expect(Number.isInteger(v)).toBe(true);
    const out = await decode(written);
    const solid = boxOf(out, 3, 128);
    const any = boxOf(out, 3, 1);
    expect(fg.left).toBeLessThanOrEqual(solid.left);
    expect(fg.top).toBeLessThanOrEqual(solid.top);
    expect(fg.left + fg.width - 1).toBeGreaterThanOrEqual(solid.right);
    expect(fg.top + fg.height - 1).toBeGreaterThanOrEqual(solid.bottom);
    expect(fg.left).toBeGreaterThanOrEqual(any.left);
    expect(fg.top).toBeGreaterThanOrEqual(any.top);
    expect(fg.left + fg.width - 1).toBeLessThanOrEqual(any.right);
    expect(fg.top + fg.height - 1).toBeLessThanOrEqual(any.bottom);
    expect(fg.left).toBeLessThanOrEqual(CAR_BODY[0]);
    expect(fg.left + fg.width).toBeGreaterThan(CAR_BODY[0]);
    expect(fg.width * fg.height).toBeLessThan(480 * 360 * 0.9);

    // The failures: a line each, with a code and no image fields.
    expect(bad).toMatchObject({ input: "bad.png", error: { code: "invalid_image" } });
    expect(missing).toMatchObject({ input: "missing.jpg", error: { code: "input_unreadable" } });
    expect(typeof bad.error?.message).toBe("string");
    expect(bad.width).toBeUndefined();
    expect(missing.width).toBeUndefined();

    expect(await sha256(path.join(dir, "bad.png"))).toBe(badBefore);
    expect(await listFiles(dir)).toEqual(["bad.png", "car-1.cutout.png", "car-1.jpg"]);
  });
});

describe("bad usage exits 2 before touching any image", () => {
  const cases: [string, string[], string[]][] = [
    ["an unknown flag", ["--bogus", "x.jpg"], ["--bogus"]],
    ["a misspelt flag, with the likely one", ["--bgcolor", "red", "x.jpg"], ["unknown option --bgcolor (did you mean --bg-color?)"]],
    ["--format gif", ["--format", "gif", "x.jpg"], ["for --format but received 'gif'"]],
    ["--quality turbo", ["--quality", "turbo", "x.jpg"], ["for --quality but received 'turbo'"]],
    ["two options that exclude each other", ["--size", "hd", "--width", "100", "x.jpg"], ["--size and --width cannot be combined"]],
    ["-o naming one file for several inputs", ["x.jpg", "missing.jpg", "-o", "out.png"], ["-o out.png names one file"]],
    ["--threads 0", ["--threads", "0", "x.jpg"], ["--threads", "'0'"]],
    ["--max-pixels abc", ["--max-pixels", "abc", "x.jpg"], ["--max-pixels", "'abc'"]],
    ["--model nope", ["--model", "nope", "x.jpg"], ["'nope'", "isnet-fp16"]],
    ["--bg-color notacolour", ["-f", "jpg", "--bg-color", "notacolour", "x.jpg"], ["for --bg-color but received 'notacolour'"]],
    ["a flag missing its value", ["x.jpg", "-o"], ["--output"]],
  ];
  for (const [label, args, mentions] of cases) {
    it(label, async () => {
      const dir = await workDir("usage");
      await writeTinyImage(path.join(dir, "x.jpg"));

      const result = await runCli(args, { cwd: dir });

      expect(result.code, result.stderr).toBe(2);
      expectNoStack(result);
      expect(result.stderr).toMatch(/^cutout: /);
      for (const text of mentions) expect(result.stderr).toContain(text);
      expect(result.stderr).toContain("cutout --help");
      expect(result.stdout.length).toBe(0);
      expect(await listFiles(dir)).toEqual(["x.jpg"]);
    });
  }
});

describe("never overwrites an input", () => {
  it("cutout x.jpg -o x.jpg fails for that input and leaves it unchanged", async () => {
    const dir = await workDir("overwrite");
    await writeTinyImage(path.join(dir, "x.jpg"));
    await fs.mkdir(path.join(dir, "sub"));
    const before = await sha256(path.join(dir, "x.jpg"));

    for (const target of ["x.jpg", "sub/../x.jpg", path.join(dir, "x.jpg")]) {
      const result = await runCli(["x.jpg", "-o", target], { cwd: dir });
      expect(result.code, `${target}: ${result.stderr}`).toBe(1);
      expectNoStack(result);
      expect(result.stderr).toMatch(/^cutout: x\.jpg: output_exists: refusing to overwrite the input/m);
      expect(await sha256(path.join(dir, "x.jpg"))).toBe(before);
    }
    expect(await listFiles(dir)).toEqual(["x.jpg"]);
  });

  it("an input named like another input's default output is not overwritten either", async () => {
    const dir = await workDir("overwrite-batch");
    await writeTinyImage(path.join(dir, "x.png"), 64, 48, "png");
    await writeTinyImage(path.join(dir, "x.cutout.png"), 32, 32, "png");
    const before = await sha256(path.join(dir, "x.cutout.png"));

    const result = await runCli(["x.png", "x.cutout.png", "--json", "--max-pixels", "1"], { cwd: dir });

    expect(result.code).toBe(1);
    const [first] = jsonLines(result.stdout);
    expect(first?.input).toBe("x.png");
    expect(first?.error?.message).toContain("refusing to overwrite the input");
    expect(first?.error?.code).toBe("output_exists");
    expect(await sha256(path.join(dir, "x.cutout.png"))).toBe(before);
  });
});

describe("an output that cannot be written", () => {
  it("is reported as output_unwritable with the path, and nothing else breaks", async () => {
    const dir = await workDir("unwritable");
    await writeTinyImage(path.join(dir, "x.jpg"));
    await fs.writeFile(path.join(dir, "file.txt"), "a file, not a folder");
    const result = await runCli(["x.jpg", "-o", "file.txt/out.png"], { cwd: dir });
    expect(result.code).toBe(1);
    expectNoStack(result);
    expect(result.stderr).toMatch(/^cutout: x\.jpg: output_unwritable: cannot write file\.txt/m);
    expect(await listFiles(dir)).toEqual(["file.txt", "x.jpg"]);
  });
});

describe("--max-pixels", () => {
  it("refuses a larger image from its header alone: fast, and before the model is loaded", async () => {
    const dir = await workDir("max-pixels");
    await writeTinyImage(path.join(dir, "small.jpg"), 64, 48);
    await writeTinyImage(path.join(dir, "small.png"), 64, 48, "png");
    // A 64x48 PNG cut off inside its pixel data: a readable header, undecodable pixels.
    const full = await fs.readFile(path.join(dir, "small.png"));
    const idat = full.indexOf("IDAT");
    expect(idat).toBeGreaterThan(0);
    await fs.writeFile(path.join(dir, "header-only.png"), full.subarray(0, idat + 6));
    await fs.rm(path.join(dir, "small.png"));

    const result = await runCli(["small.jpg", "--max-pixels", "1000"], { cwd: dir });

    expect(result.code, result.stderr).toBe(1);
    expectNoStack(result);
    expect(result.stderr).toMatch(/^cutout: small\.jpg: image_too_large: .*64x48/m);
    expect(await listFiles(dir)).toEqual(["header-only.png", "small.jpg"]);

    // Proof of the order: with no model to be had, the size is still what fails...
    const cache = await workDir("max-pixels-cache");
    const noModel = await runCli(["small.jpg", "--max-pixels", "1000"], {
      cwd: dir,
      env: { CUTOUT_CACHE_DIR: cache, npm_config_registry: "http://127.0.0.1:9/" },
    });
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toContain("image_too_large");
    expect(noModel.stderr).not.toContain("model_unavailable");

    // ...and a file whose pixels cannot be decoded fails on size, so the size is checked before decoding.
    const headerOnly = await runCli(["header-only.png", "--max-pixels", "1000"], { cwd: dir });
    expect(headerOnly.code).toBe(1);
    expect(headerOnly.stderr).toMatch(/^cutout: header-only\.png: image_too_large: /m);
    // (Without the limit the same file is an invalid image: the check above is not luck.)
    const undecodable = await runCli(["header-only.png"], {
      cwd: dir,
      env: { CUTOUT_CACHE_DIR: cache, npm_config_registry: "http://127.0.0.1:9/" },
    });
    expect(undecodable.code).toBe(1);
    expect(undecodable.stderr).toMatch(/^cutout: header-only\.png: invalid_image: /m);
  });
});

describe("a first run, in a log", () => {
  it("reports the download in plain lines, once, then cuts out", async () => {
    const dir = await workDir("first-run");
    const cache = await workDir("first-run-cache");
    await writeTinyImage(path.join(dir, "small.jpg"));
    const mirror = await Mirror.start(await fetchRealTarball());
    try {
      const result = await runCli(["small.jpg", "--quality", "fast"], {
        cwd: dir,
        env: { CUTOUT_CACHE_DIR: cache, npm_config_registry: mirror.url, npm_config_userconfig: path.join(cache, "no-such-npmrc") },
      });
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stderr.split("\n");
      const downloads = lines.filter((line) => line.startsWith("Downloading the model (once)"));
      // stderr is not a terminal: no bar redrawn with \r, but lines, the last at 100% and the total size.
      expect(result.stderr).not.toContain("\r");
      expect(downloads.length).toBeGreaterThanOrEqual(2);
      expect(downloads.at(-1)).toMatch(/^Downloading the model \(once\) 100% 113\.\d MB of 113\.\d MB$/);
      expect(downloads.filter((line) => line.includes("100%"))).toHaveLength(1);
      // Unpacking and checking are quick: no second progress series in a log.
      expect(result.stderr).not.toContain("Checking the model");
      expect(result.stderr).toMatch(/^Preparing the int8 model \(once\) 100%$/m);
      expect(result.stderr).toMatch(/^small\.jpg -> small\.cutout\.png /m);
      expect(mirror.tarballRequests()).toBe(1);
    } finally {
      await mirror.close();
    }
  });
});

describe("model_unavailable", () => {
  it("an empty cache and an unreachable registry fail with model_unavailable, no stack, no output", async () => {
    const dir = await workDir("no-model");
    const cache = await workDir("no-model-cache");
    await writeTinyImage(path.join(dir, "small.jpg"));

    const result = await runCli(["small.jpg"], {
      cwd: dir,
      env: {
        CUTOUT_CACHE_DIR: cache,
        npm_config_registry: "http://127.0.0.1:9/",
        // Keep the machine's own ~/.npmrc (a scoped registry, say) out of it.
        npm_config_userconfig: path.join(cache, "no-such-npmrc"),
      },
      timeoutMs: 90_000,
    });

    expect(result.code, result.stderr).toBe(1);
    expectNoStack(result);
    expect(result.stderr).toMatch(/^cutout: small\.jpg: model_unavailable: /m);
    // It tried the registry it was given, and says how to fix it.
    expect(result.stderr).toContain("127.0.0.1:9");
    expect(result.stderr).toContain("--model-path");
    expect(await listFiles(dir)).toEqual(["small.jpg"]);
    expect((await listFiles(cache)).filter((f) => f.endsWith(".onnx"))).toEqual([]);
  });

  it("--model-path to a missing file fails with model_unavailable naming the file", async () => {
    const dir = await workDir("model-path");
    await writeTinyImage(path.join(dir, "small.jpg"));

    const result = await runCli(["small.jpg", "--model-path", "/nonexistent.onnx"], { cwd: dir });

    expect(result.code, result.stderr).toBe(1);
    expectNoStack(result);
    expect(result.stderr).toMatch(/^cutout: small\.jpg: model_unavailable: .*\/nonexistent\.onnx/m);
    expect(await listFiles(dir)).toEqual(["small.jpg"]);
  });
});

describe("--help and --version", () => {
  it("--help exits 0 and lists every flag", async () => {
    const result = await runCli(["--help"], { cwd: ROOT });

    expect(result.code).toBe(0);
    const help = result.stdout.toString("utf8");
    expect(help).toMatch(/^Usage: cutout /);
    for (const flag of [
      "-o, --output",
      "-f, --format",
      "--bg-color",
      "-m, --model",
      "--model-path",
      "-t, --threads",
      "-r, --recursive",
      "--max-pixels",
      "--json",
      "-q, --quiet",
      "-h, --help",
      "-v, --version",
    ]) {
      expect(help).toContain(flag);
    }
    for (const format of ["png", "webp", "jpg", "zip", "mask"]) expect(help).toContain(format);
    expect(result.stderr).toBe("");
    // Not a terminal: wrapped to 80 columns, continuation lines indented under their description.
    const long = help.split("\n").filter((line) => line.length > 79);
    expect(long).toEqual([]);
    expect(help).toMatch(/\n {8}\S/);
  });

  it("--version prints the suite's version (the root package.json's, the one place it is set)", async () => {
    const suite = JSON.parse(await fs.readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const result = await runCli(["--version"], { cwd: ROOT });

    expect(result.code).toBe(0);
    expect(suite.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.stdout.toString("utf8")).toBe(`${suite.version}\n`);
  });
});
