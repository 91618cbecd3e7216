import { execFileSync } from "node:child_process";
import { describe, expect, it, vi } from "vitest";
import type { PixelImage, Plane } from "../src/image.js";
import { estimateForeground, unitAlpha } from "../src/matte/foreground.js";
import { applyGuidedFilter, fitGuidedFilter, settledBlocks, snapMatte, workingMatte } from "../src/matte/guided-filter.js";
import { resizePlane } from "../src/matte/resize.js";
import { refineMatte } from "../src/pipeline.js";
import { kernels, loadKernels, releaseKernels } from "../src/wasm/kernels.js";

// The kernels' arithmetic is checked against the whole-image TypeScript
// reference in refine-tiles.test.ts; these check the memory they live in.

function photo(width: number, height: number): PixelImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 73 + (i >> 7) * 29) & 255;
  return { data, width, height, channels: 3 };
}

/** A disc of 1 on 0, soft at its rim: a matte with edges to fit. */
function disc(width: number, height: number): Plane {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = Math.min(1, Math.max(0, 8 - Math.hypot(x - width / 2, y - height / 2) / 3));
  }
  return { data, width, height };
}

describe("kernel memory", () => {
  it("keeps a region where it is, and moves it to the top when it must grow", () => {
    const k = kernels();
    const first = k.region("test.region", 1000);
    expect(k.region("test.region", 800).at).toBe(first.at);
    const grown = k.region("test.region", 1_000_000);
    expect(grown.at).not.toBe(first.at);
    expect(k.buffer.byteLength).toBeGreaterThanOrEqual(grown.at + 1_000_000);
  });

  it("says which bytes of a region may hold old data: none in new memory, all of a reused region", () => {
    const k = kernels();
    const fresh = k.region("test.fresh", 4 * 65536);
    expect(fresh.dirty).toBe(0);
    expect(new Uint8Array(k.buffer, fresh.at, 4 * 65536).every((v) => v === 0)).toBe(true);
    new Uint8Array(k.buffer, fresh.at, 16).fill(7);
    expect(k.region("test.fresh", 4 * 65536).dirty).toBe(4 * 65536);
  });

  it("copies a view from elsewhere into a region, and finds one already there in place", () => {
    const k = kernels();
    const values = Float32Array.from({ length: 300 }, (_, i) => i / 7);
    const at = k.hold("test.hold", values);
    const inside = new Float32Array(k.buffer, at, values.length);
    expect([...inside]).toEqual([...values]);
    inside[0] = 42;
    expect(k.hold("test.hold", inside)).toBe(at);
    expect(new Float32Array(k.buffer, at, 1)[0]).toBe(42);
  });

  it("copies a view of its own memory held under another name, though holding it grows the memory", () => {
    const k = kernels();
    k.hold(
      "test.source",
      Float32Array.from({ length: 64 }, (_, i) => i),
    );
    // The whole memory as one view: a region that size cannot fit without growing, which detaches the view.
    const whole = new Uint8Array(k.buffer);
    const expected = whole.slice();
    const at = k.hold("test.whole", whole);
    expect(whole.length).toBe(0);
    expect(new Uint8Array(k.buffer, at, expected.length)).toEqual(expected);
  });

  it("makes the working matte as resizePlane and snapMatte do, and reads it in place as it would a copy", () => {
    const guide = photo(90, 70);
    const matte = disc(64, 64);
    const expected = resizePlane(matte, 90, 70);
    snapMatte(expected.data);
    const inPlace = workingMatte(matte, 90, 70);
    expect(inPlace.data).toEqual(expected.data);
    const fromPlace = applyGuidedFilter(fitGuidedFilter(guide, inPlace, 3, 1e-4), guide);
    expect(applyGuidedFilter(fitGuidedFilter(guide, expected, 3, 1e-4), guide)).toEqual(fromPlace);
  });
});

describe("results held in kernel memory", () => {
  it("a fit's coefficients are valid until the next fit, then reading them throws", () => {
    const guide = photo(40, 30);
    const first = fitGuidedFilter(guide, disc(40, 30), 2, 1e-4);
    expect(first.b.length).toBe(1200);
    const second = fitGuidedFilter(guide, disc(40, 30), 2, 1e-4);
    expect(() => first.aR).toThrow(/replaced by a later fit/);
    expect(() => applyGuidedFilter(first, guide)).toThrow(/replaced by a later fit/);
    expect(settledBlocks(second).length).toBe(1200);
  });

  it("a colour estimate is valid until the next one, then reading it throws", () => {
    const image = photo(48, 36);
    const alpha = Float32Array.from({ length: 48 * 36 }, (_, i) => (i % 48) / 47);
    const first = estimateForeground(image, alpha, 4, 1);
    expect(first.F[0].length).toBe(48 * 36);
    estimateForeground(image, alpha, 4, 1);
    expect(() => first.B[2]).toThrow(/replaced by a later one/);
  });

  it("takes alpha bytes as floats in place (unitAlpha), as estimateForeground would from a copy", () => {
    const image = photo(48, 36);
    const bytes = Uint8Array.from({ length: 48 * 36 }, (_, i) => (i * 37) & 255);
    const fromPlace = estimateForeground(image, unitAlpha(bytes), 4, 1);
    const inPlace = [...fromPlace.F, ...fromPlace.B].map((plane) => plane.slice());
    const fromCopy = estimateForeground(
      image,
      Float32Array.from(bytes, (v) => v / 255),
      4,
      1,
    );
    expect([...fromCopy.F, ...fromCopy.B]).toEqual(inPlace);
  });

  it("after releaseKernels, earlier results throw and the next refinement starts a new memory", async () => {
    const guide = photo(40, 30);
    const before = fitGuidedFilter(guide, disc(40, 30), 2, 1e-4);
    const memory = kernels();
    releaseKernels();
    expect(() => before.b).toThrow(/replaced/);
    await loadKernels();
    expect(kernels()).not.toBe(memory);
    const after = fitGuidedFilter(guide, disc(40, 30), 2, 1e-4);
    expect(applyGuidedFilter(after, guide)).toHaveLength(1200);
  });
});

describe("the browser bundle (dist/pure.js)", () => {
  it("carries the kernels: after loadKernels, its refineMatte gives the same cutout as the source", async () => {
    // Built by the test command's build step; platform-neutral, as the Figma UI will load it.
    const bundle = new URL("../dist/pure.js", import.meta.url).href;
    const pure = (await import(bundle)) as typeof import("../src/pure.js");
    await pure.loadKernels();
    const image = photo(120, 90);
    const matte = disc(64, 64);
    const bundled = pure.refineMatte(image, image, { ...matte, data: matte.data.slice() });
    const source = refineMatte(image, image, { ...matte, data: matte.data.slice() });
    expect(bundled.alpha).toEqual(source.alpha);
    expect(bundled.rgba).toEqual(source.rgba);
    expect(bundled.alpha.some((a) => a > 0 && a < 255)).toBe(true);
  });
});

describe("a runtime without WebAssembly", () => {
  it("fails a cutout with inference_failed, naming the cause, instead of a TypeError", () => {
    const index = new URL("../dist/index.js", import.meta.url).href;
    const photo = new URL("../../../test/fixtures/car-1.jpg", import.meta.url).pathname;
    // A model path that does not exist keeps the model's load (which fails on its own) off the network.
    const script = `import { Remover } from ${JSON.stringify(index)};
      try { await new Remover({ modelPath: "/nonexistent/model.onnx" }).remove(${JSON.stringify(photo)}); console.log("no error"); }
      catch (error) { console.log(JSON.stringify(error)); }
      process.exit(0);`;
    const out = execFileSync(process.execPath, ["--jitless", "--input-type=module", "-e", script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const error = JSON.parse(out.trim().split("\n").pop() ?? "");
    expect(error.code).toBe("inference_failed");
    expect(error.message).toMatch(/no WebAssembly .*--jitless/);
  });
});

describe("a runtime that will not compile synchronously (a browser's main thread)", () => {
  it("is told to await loadKernels, and after it the kernels run", async () => {
    vi.resetModules();
    const fresh = await import("../src/wasm/kernels.js");
    // A function, not an arrow: the kernels call it with `new`.
    const refuse = vi.spyOn(WebAssembly, "Module").mockImplementation(function refuseToCompile(): never {
      throw new RangeError("WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 8MB.");
    });
    try {
      expect(() => fresh.kernels()).toThrow(/await loadKernels\(\) once before the first cutout/);
    } finally {
      refuse.mockRestore();
    }
    await fresh.loadKernels();
    expect(fresh.kernels().exports.windowWorkBytes(10, 10, 10, 10)).toBeGreaterThan(0);
  });
});
