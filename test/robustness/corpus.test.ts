/**
 * The bad-input corpus (corpus.ts) through every entry point: the core API,
 * the CLI, the packaged GitHub Action, `cutout serve` (every protocol's
 * route) and the n8n node's execute() (test/support/robustness-hosts.ts).
 * Each host gets all files in one go, so the model loads once per host; the
 * core API's results get the deep checks (pixels, orientation, colour), the
 * others must agree with it code for code and warning for warning. Writes
 * docs/robustness.md.
 *
 * Cost: one inference per `ok` file per host and route (20 x 4 on this corpus,
 * and 20 x 5 for `cutout serve`, one per protocol).
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import fs from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CutoutError } from "../../packages/core/src/errors.js";
import { decodePhoto } from "../../packages/core/src/node/decode.js";
import { type CutoutResult, NO_FOREGROUND, Remover } from "../../packages/core/src/node/remover.js";
import { buildOnce, checkPng, FIXTURES, listFiles, ROOT, sharp } from "../support/cli";
import { iouAtHalf as iou } from "../support/mattes.js";
import { recordingRuntime } from "../support/recording-runtime.js";
import { type CorpusInput, ENTRY_POINTS, type EntryPoint, type HostRun, selectable } from "../support/robustness-hosts";
import { agrees, renderRobustnessDoc } from "../support/robustness-report";
import { buildCorpus, type CorpusFile, iccRedPrimary, storedPixels, warningTags, writeCorpus } from "./corpus";

const DOC = path.join(ROOT, "docs", "robustness.md");

let work: string;
let server: Server;
/** Every request the SVG's http reference could cause. */
const requests: string[] = [];
let corpus: CorpusFile[];
let inputs: CorpusInput[];
const runs = new Map<string, HostRun | Error>();
const byName = (name: string) => corpus.find((f) => f.name === name)!;

beforeAll(async () => {
  buildOnce();
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(404).end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  work = await fs.mkdtemp(path.join(os.tmpdir(), "cutout-robustness-"));
  const referenced = path.join(work, "referenced.png");
  await sharp({ create: { width: 16, height: 16, channels: 3, background: "green" } })
    .png()
    .toFile(referenced);
  const port = (server.address() as AddressInfo).port;
  corpus = await buildCorpus({ svgHttpRef: `http://127.0.0.1:${port}/referenced.png`, svgFileRef: referenced });
  const paths = await writeCorpus(path.join(work, "corpus"), corpus);
  inputs = corpus.map((f) => ({ name: f.name, path: paths.get(f.name)! }));
});

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Runs one host over the whole corpus; afterwards its input copies must be byte for byte what was given. */
async function runHost(id: string): Promise<HostRun> {
  const host = ENTRY_POINTS.find((h) => h.id === id)!;
  const dir = path.join(work, host.id);
  await fs.mkdir(dir, { recursive: true });
  try {
    const run = await host.run!(inputs, dir);
    runs.set(host.id, run);
    console.log(`${host.title}: ${corpus.length} files in ${(run.ms / 1000).toFixed(1)} s`);
    return run;
  } catch (error) {
    runs.set(host.id, error as Error);
    throw error;
  }
}

/** A host reports every file with the core API's code and warnings, and never an internal error or a stack trace. */
function expectCoreOutcomes(run: HostRun): void {
  const core = runs.get("core") as HostRun;
  for (const file of corpus) {
    const outcome = run.outcomes.get(file.name)!;
    expect(outcome.code, file.name).toBe(core.outcomes.get(file.name)!.code);
    expect(warningTags(outcome.warnings), file.name).toEqual(warningTags(core.outcomes.get(file.name)!.warnings));
  }
  expect(run.log).not.toMatch(/internal error|\s{4}at /);
}

/** Every file a host could have read is unchanged: the corpus itself, and the host's copies. */
async function expectInputsUntouched(dirs: string[]): Promise<void> {
  for (const file of corpus) {
    for (const dir of dirs) {
      const copy = path.join(dir, file.name);
      const bytes = await fs.readFile(copy).catch(() => undefined);
      if (bytes === undefined) continue;
      expect(sha(bytes), `${copy} was modified`).toBe(sha(file.bytes));
    }
  }
}

/** What a host wrote: one complete PNG per `ok` file, nothing for failures, no temporary files. */
async function expectOutputs(run: HostRun, dir: string, inputNames: Set<string>): Promise<void> {
  const written = (await listFiles(dir)).filter((f) => !inputNames.has(f));
  const expected: string[] = [];
  for (const [name, outcome] of run.outcomes) {
    if (outcome.code !== "ok") continue;
    expect(outcome.output, name).toBeDefined();
    expected.push(path.relative(dir, outcome.output!).split(path.sep).join("/"));
    const bytes = await fs.readFile(outcome.output!);
    const png = checkPng(bytes);
    const want = byName(name).expected as Extract<CorpusFile["expected"], { kind: "ok" }>;
    expect([png.width, png.height, png.channels], name).toEqual([want.width, want.height, 4]);
  }
  expect(written.sort()).toEqual(expected.sort());
  expect(written.filter((f) => f.endsWith(".tmp") || path.basename(f).startsWith("."))).toEqual([]);
}

describe("the corpus itself", () => {
  it("stores each EXIF orientation as the EXIF spec says, independently of libvips' reading of it", async () => {
    // Display pixel (X, Y) of the upright photo comes from this stored pixel (TIFF/EXIF 2.3, tag 0x0112).
    const source = (o: number, X: number, Y: number, sw: number, sh: number): [number, number] =>
      [
        [X, Y],
        [sw - 1 - X, Y],
        [sw - 1 - X, sh - 1 - Y],
        [X, sh - 1 - Y],
        [Y, X],
        [Y, sh - 1 - X],
        [sw - 1 - Y, sh - 1 - X],
        [sw - 1 - Y, X],
      ][o - 1] as [number, number];
    const upright = await sharp(path.join(FIXTURES, "car-1.jpg")).removeAlpha().raw().toBuffer();
    for (let o = 1; o <= 8; o++) {
      // sharp applies no orientation unless asked: these are the stored pixels.
      const { data, info } = await sharp(byName(`exif-${o}.jpg`).bytes)
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect((await sharp(byName(`exif-${o}.jpg`).bytes).metadata()).orientation).toBe(o);
      let diff = 0;
      for (let Y = 0; Y < 360; Y++)
        for (let X = 0; X < 480; X++) {
          const [x, y] = source(o, X, Y, info.width, info.height);
          for (let c = 0; c < 3; c++) diff += Math.abs(data[(y * info.width + x) * 3 + c]! - upright[(Y * 480 + X) * 3 + c]!);
        }
      expect(diff / (480 * 360 * 3), `orientation ${o}`).toBeLessThan(3);
    }
  });

  it("has the P3 file tagged Display P3 (by its primaries), with stored values that differ from the sRGB ones", async () => {
    const bytes = byName("display-p3.jpg").bytes;
    const red = iccRedPrimary((await sharp(bytes).metadata()).icc!)!;
    expect(red[0]).toBeCloseTo(0.515, 2);
    expect(red[1]).toBeCloseTo(0.241, 2);
    const stored = await storedPixels(bytes);
    let moved = 0;
    for (let i = 0; i < stored.length; i += 3) {
      const srgb = p3ToSrgb([stored[i]!, stored[i + 1]!, stored[i + 2]!]);
      if (Math.max(...srgb.map((v, c) => Math.abs(v - stored[i + c]!))) >= 5) moved++;
    }
    // A reader that ignores the profile would be off by 5 levels or more on a good share of the photo.
    expect(moved / (stored.length / 3)).toBeGreaterThan(0.1);
  });
});

describe("decompression bombs", () => {
  it("are refused from the header: image_too_large before any pixel is decoded and before the model loads", async () => {
    const { runtime, created } = recordingRuntime();
    const remover = new Remover({ runtime });
    for (const name of ["bomb-png.png", "bomb-jpeg.jpg"]) {
      const error = await remover.remove(byName(name).bytes).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(CutoutError);
      expect((error as CutoutError).code, name).toBe("image_too_large");
      // onAccepted runs as soon as the pixels start decoding: never, for a header over the limit.
      let decoding = false;
      const direct = await decodePhoto(byName(name).bytes, 50_000_000, 1024, () => {
        decoding = true;
      }).catch((e: unknown) => e);
      expect((direct as CutoutError).code, name).toBe("image_too_large");
      expect(decoding, `${name}: pixel decode started`).toBe(false);
    }
    // The model loads only once a header has passed: no session was ever created.
    expect(created).toEqual([]);
    await remover.close();
  });
});

describe("core API", () => {
  let run: HostRun;
  const result = (name: string) => run.results!.get(name) as CutoutResult;
  beforeAll(async () => {
    run = await runHost("core");
  }, 900_000);

  it("gives every file its defined outcome: a coded CutoutError or a result", () => {
    for (const file of corpus) {
      const got = run.results!.get(file.name);
      if (file.expected.kind === "error") {
        expect(got, file.name).toBeInstanceOf(CutoutError);
        expect((got as CutoutError).code, `${file.name}: ${(got as Error).message}`).toBe(file.expected.code);
        expect((got as Error).message, file.name).not.toMatch(/\n|\s{4}at /);
      } else {
        expect(got, `${file.name}: ${(got as Error)?.message}`).not.toBeInstanceOf(Error);
        const r = got as CutoutResult;
        expect([r.width, r.height], file.name).toEqual([file.expected.width, file.expected.height]);
        expect(r.alpha.length, file.name).toBe(r.width * r.height);
        expect(warningTags(r.warnings), file.name).toEqual([...file.expected.warnings].sort());
        if (file.expected.source) expect(r.source, file.name).toMatchObject(file.expected.source);
        // The warning is there exactly when nothing was found.
        expect(r.foreground === null, file.name).toBe(r.warnings.includes(NO_FOREGROUND));
      }
    }
  });

  it("writes PNGs in sRGB: no ICC profile, whatever profile the input had", async () => {
    for (const file of corpus.filter((f) => f.expected.kind === "ok")) {
      const meta = await sharp(result(file.name).data).metadata();
      expect([meta.format, meta.hasAlpha, meta.icc, meta.space], file.name).toEqual(["png", true, undefined, "srgb"]);
    }
  });

  it("turns every EXIF orientation upright: the same matte as orientation 1", () => {
    const base = result("exif-1.jpg");
    expect(base.foreground).not.toBeNull();
    for (let o = 2; o <= 8; o++) {
      const r = result(`exif-${o}.jpg`);
      expect(iou(r.alpha, base.alpha), `orientation ${o}`).toBeGreaterThanOrEqual(0.97);
    }
  });

  it("converts a Display P3 photo to sRGB values, as an independent P3 → sRGB conversion does", async () => {
    const r = result("display-p3.jpg");
    const out = await sharp(r.data).raw().toBuffer();
    const stored = await storedPixels(byName("display-p3.jpg").bytes);
    // Over the opaque pixels whose colour the conversion moves by 5 levels or more.
    let toConverted = 0;
    let toStored = 0;
    let n = 0;
    for (let i = 0; i < r.width * r.height; i++) {
      if (out[i * 4 + 3] !== 255) continue;
      const p3 = [stored[i * 3]!, stored[i * 3 + 1]!, stored[i * 3 + 2]!] as const;
      const srgb = p3ToSrgb(p3);
      if (Math.max(...srgb.map((v, c) => Math.abs(v - p3[c]!))) < 5) continue;
      for (let c = 0; c < 3; c++) {
        toConverted += Math.abs(out[i * 4 + c]! - srgb[c]!);
        toStored += Math.abs(out[i * 4 + c]! - p3[c]!);
      }
      n += 3;
    }
    console.log(
      `P3: ${n / 3} opaque pixels moved by the conversion; mean |output - sRGB conversion| ${(toConverted / n).toFixed(2)}, |output - stored P3 values| ${(toStored / n).toFixed(2)}`,
    );
    expect(n / 3).toBeGreaterThan(2000);
    expect(toConverted / n).toBeLessThan(1.5);
    expect(toStored / n).toBeGreaterThan(3);
  });

  it("takes the first frame of animations and multi-page files (the upright photo, not the upside-down second)", () => {
    const base = result("exif-1.jpg");
    for (const name of ["animated-gif.gif", "animated-webp.webp", "multipage.tif"]) {
      const r = result(name);
      expect(r.source.pages, name).toBe(2);
      expect(iou(r.alpha, base.alpha), name).toBeGreaterThanOrEqual(0.9);
    }
  });

  it("keeps an input's own transparency: nothing becomes visible where the input was clear", () => {
    for (const name of ["grey-alpha.png", "palette-trns.png", "transparent.png"]) {
      const r = result(name);
      let visible = 0;
      for (let i = 0; i < r.alpha.length; i++) if ((name === "transparent.png" || i % r.width < 60) && r.alpha[i] !== 0) visible++;
      expect(visible, name).toBe(0);
    }
    // The left band aside, the subject is still found.
    expect(result("grey-alpha.png").foreground).not.toBeNull();
    expect(result("palette-trns.png").foreground).not.toBeNull();
  });

  it("fails bad files fast: every error within a second, before the model is involved", () => {
    for (const file of corpus.filter((f) => f.expected.kind === "error")) {
      expect(run.outcomes.get(file.name)!.ms, file.name).toBeLessThan(1000);
    }
  });

  it("never modifies its inputs", async () => {
    await expectInputsUntouched([path.join(work, "corpus")]);
  });
});

describe("CLI", () => {
  let run: HostRun;
  beforeAll(async () => {
    run = await runHost("cli");
  }, 900_000);

  it("reports every file once, with the core API's code and warnings, and exits 1 (some failed)", () => {
    expect(run.exitCode, run.log).toBe(1);
    expect([...run.outcomes.keys()].sort()).toEqual(corpus.map((f) => f.name).sort());
    expectCoreOutcomes(run);
  });

  it("writes a complete PNG for each result and nothing else, and leaves its inputs alone", async () => {
    await expectOutputs(run, path.join(work, "cli", "out"), new Set());
    await expectInputsUntouched([path.join(work, "cli", "in")]);
  });
});

describe("GitHub Action", () => {
  let run: HostRun;
  beforeAll(async () => {
    run = await runHost("action");
  }, 900_000);

  it("reports every file it selects with the core API's code and warnings; fail-on-error false passes the step", () => {
    expect(run.exitCode, run.log).toBe(0);
    const core = runs.get("core") as HostRun;
    const action = ENTRY_POINTS.find((h) => h.id === "action")!;
    for (const file of corpus) {
      const outcome = run.outcomes.get(file.name)!;
      if (!selectable(action, file.name)) {
        expect(outcome.code, file.name).toBe("not_selected");
        continue;
      }
      expect(outcome.code, file.name).toBe(core.outcomes.get(file.name)!.code);
      expect(warningTags(outcome.warnings), file.name).toEqual(warningTags(core.outcomes.get(file.name)!.warnings));
    }
    expect(run.log).not.toMatch(/internal error|\s{4}at /);
  });

  it("writes a complete PNG beside each input it cut out and nothing else, and leaves the inputs alone", async () => {
    const corpusDir = path.join(work, "action", "workspace", "corpus");
    await expectOutputs(run, corpusDir, new Set(corpus.map((f) => f.name)));
    await expectInputsUntouched([corpusDir]);
  });
});

describe("`cutout serve`", () => {
  let run: HostRun;
  beforeAll(async () => {
    run = await runHost("serve");
  }, 900_000);

  it("answers every file on every route with the core API's code and warnings, each in its protocol's shape, and stays up", () => {
    expectCoreOutcomes(run);
  });
});

describe("n8n node", () => {
  let run: HostRun;
  beforeAll(async () => {
    run = await runHost("n8n");
  }, 900_000);

  it("gives every item the core API's code and warnings, each failure an error item, and goes on", () => {
    expectCoreOutcomes(run);
  });

  it("returns a complete PNG for each result and nothing else, and leaves its inputs alone", async () => {
    await expectOutputs(run, path.join(work, "n8n"), new Set());
    await expectInputsUntouched([path.join(work, "corpus")]);
  });
});

describe("docs/robustness.md", () => {
  it("is written from this run, and every built host gives every file its defined outcome", () => {
    const doc = renderRobustnessDoc(corpus, ENTRY_POINTS, runs);
    writeFileSync(DOC, doc);
    for (const host of ENTRY_POINTS.filter((h) => h.run)) {
      const run = runs.get(host.id);
      expect(run, `${host.title} ran`).toBeDefined();
      expect(run).not.toBeInstanceOf(Error);
      for (const file of corpus) {
        expect(agrees(file, host as EntryPoint, (run as HostRun).outcomes.get(file.name)), `${host.title}: ${file.name}`).toBe(true);
      }
    }
    expect(doc).not.toMatch(/\| ❌/);
  });

  it("no host ever fetched the SVG's references", () => {
    expect(requests).toEqual([]);
  });
});

/**
 * Display P3 to sRGB, from the primaries alone: both use D65 and the sRGB
 * transfer curve, so it is decode, one 3x3 matrix, clip, encode.
 */
function p3ToSrgb(rgb: readonly [number, number, number]): [number, number, number] {
  const M = [
    [1.2249401, -0.2249404, 0.0],
    [-0.0420569, 1.0420571, 0.0],
    [-0.0196376, -0.0786361, 1.0982735],
  ];
  const lin = (v: number) => {
    const x = v / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  const enc = (v: number) => {
    const x = Math.min(1, Math.max(0, v));
    return 255 * (x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055);
  };
  const l = rgb.map(lin);
  return M.map((row) => enc(row[0]! * l[0]! + row[1]! * l[1]! + row[2]! * l[2]!)) as [number, number, number];
}
