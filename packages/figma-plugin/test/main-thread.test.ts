/**
 * The plugin's main thread against the Figma double: what it sends the UI,
 * and what each result mode does to the document, with undo.
 */
import { describe, expect, it } from "vitest";
import type { FigmaFetch } from "../src/main/figma-api.js";
import { STORAGE_KEYS, startPlugin, UI_SIZE } from "../src/main/plugin.js";
import { describeRun, describeSelection } from "../src/messages.js";
import {
  type CutoutReply,
  DEFAULT_SETTINGS,
  type ImageJob,
  type MainToUi,
  type PluginSettings,
  type RunSummary,
  type UiToMain,
} from "../src/protocol.js";
import { FigmaDouble, imageSize, type NodeDouble } from "./figma-double.js";
import { solidPng } from "./png.js";

const PHOTO = solidPng(64, 48, [30, 120, 200, 255]);
const OTHER_PHOTO = solidPng(40, 40, [220, 40, 40, 255]);

/** Figma's sandbox fetch, recorded; answers every request with `answer`. */
function fetchDouble(
  answer: () => Promise<{ status: number; body: Uint8Array }> = async () => ({ status: 200, body: new Uint8Array([1, 2, 3]) }),
) {
  const calls: { url: string; init: unknown }[] = [];
  const fetch: FigmaFetch = async (url, init) => {
    calls.push({ url, init });
    const { status, body } = await answer();
    return {
      status,
      statusText: status === 200 ? "OK" : "Forbidden",
      headersObject: { "content-type": "image/png" },
      arrayBuffer: async () => body.slice().buffer,
    };
  };
  return { fetch, calls };
}

function open(fetch = fetchDouble().fetch) {
  const figma = new FigmaDouble();
  const plugin = startPlugin(figma.api, "<p>ui</p>", fetch);
  const sent = figma.ui.received as MainToUi[];
  return { figma, plugin, sent };
}

type Open = ReturnType<typeof open>;

/** A cutout as the UI would send it: a PNG of the job's image size (or the given one). */
function cutoutOf(job: ImageJob, run: number, size = imageSize(job.bytes)!): UiToMain {
  return {
    type: "result",
    run,
    id: job.id,
    image: solidPng(size.width, size.height, [0, 0, 0, 0]),
    width: size.width,
    height: size.height,
  };
}

/**
 * Starts a run and answers every job the way `answer` says (a cutout by default),
 * as the UI does: one at a time, each only once asked. Resolves with the summary.
 */
async function run(
  { figma, plugin }: Open,
  settings: Partial<PluginSettings> = {},
  answer: (job: ImageJob, run: number) => UiToMain | undefined = (job, run) => cutoutOf(job, run),
): Promise<{ summary: RunSummary; jobs: ImageJob[] }> {
  const jobs: ImageJob[] = [];
  let stop = () => {};
  const done = new Promise<RunSummary>((resolve, reject) => {
    stop = figma.ui.listen((message) => {
      const m = message as MainToUi;
      if (m.type === "job") {
        jobs.push(m.job);
        // No second job may arrive before the first is answered.
        expect(jobs.filter((job) => job.index === m.job.index)).toHaveLength(1);
        const reply = answer(m.job, m.run);
        if (reply) void plugin.receive(reply);
      }
      if (m.type === "run-done") resolve(m.summary);
      if (m.type === "run-refused") reject(new Error(m.message));
    });
  });
  await plugin.receive({ type: "run", run: 7, settings: { ...DEFAULT_SETTINGS, ...settings } });
  const summary = await done.finally(stop);
  await plugin.idle;
  return { summary, jobs };
}

function imageFill(hash: string, extra: Record<string, unknown> = {}) {
  return { type: "IMAGE", scaleMode: "FILL", imageHash: hash, ...extra };
}

const SOLID = { type: "SOLID", color: { r: 1, g: 1, b: 1 }, opacity: 0.5 };

/** A frame with a photo rectangle in it, as a user would have placed one. */
function placedPhoto(figma: FigmaDouble, fill: Record<string, unknown> = {}) {
  const hash = figma.addImage(PHOTO);
  const frame = figma.add("FRAME", { name: "Card", relativeTransform: translate(100, 50), width: 400, height: 300 });
  const before = figma.add("TEXT", { name: "Caption" }, frame);
  const photo = figma.add(
    "RECTANGLE",
    { name: "Shoe", relativeTransform: translate(20, 30), width: 64, height: 48, fills: [SOLID, imageFill(hash, fill)], cornerRadius: 8 },
    frame,
  );
  const after = figma.add("ELLIPSE", { name: "Badge" }, frame);
  return { hash, frame, photo, before, after };
}

function translate(x: number, y: number) {
  return [
    [1, 0, x],
    [0, 1, y],
  ];
}

function fillsOf(node: NodeDouble) {
  return node.fills as readonly Record<string, unknown>[];
}

describe("the main thread", () => {
  it("opens the UI with Figma's theme colours and answers its first message with the saved settings and the selection", async () => {
    const open_ = open();
    const { figma, plugin, sent } = open_;
    expect(figma.shownUi?.options).toEqual({ themeColors: true, title: "Cutout", ...UI_SIZE });
    const { photo } = placedPhoto(figma);
    figma.select(photo);
    await figma.clientStorage.setAsync(STORAGE_KEYS.settings, { ...DEFAULT_SETTINGS, mode: "mask", quality: "nonsense", stray: 1 });
    await figma.clientStorage.setAsync(STORAGE_KEYS.apiKey, "key-123");
    sent.length = 0;
    await plugin.receive({ type: "ready" });
    expect(sent).toEqual([
      {
        type: "init",
        settings: { ...DEFAULT_SETTINGS, mode: "mask" },
        apiKey: "key-123",
        stats: { cutoutMs: {} },
        selection: { images: 1, layers: 1, withoutImage: 0 },
      },
    ]);
  });

  it("says what the selection holds and how a run went, in words", () => {
    expect(describeSelection({ images: 1, layers: 1, withoutImage: 0 })).toBe("1 image selected");
    expect(describeSelection({ images: 2, layers: 3, withoutImage: 1 })).toBe(
      "2 images in 3 layers selected; 1 selected layer without one",
    );
    expect(describeRun({ done: 0, failures: ["x"], notes: [], cancelled: false })).toBe("Cut out 0 layers, 1 failed.");
  });

  it("tells the UI when the selection changes", () => {
    const { figma, sent } = open();
    const { photo, before } = placedPhoto(figma);
    figma.select(photo, before);
    expect(sent.at(-1)).toEqual({ type: "selection", selection: { images: 1, layers: 1, withoutImage: 1 } });
  });

  it("refuses a selection without images with a message that says what to select, and changes nothing", async () => {
    const opened = open();
    const { figma } = opened;
    const { before } = placedPhoto(figma);
    figma.select(before);
    const snapshot = figma.snapshot();
    await expect(run(opened)).rejects.toThrow(/no image fills\. Select layers that show a photo/);
    figma.select();
    await expect(run(opened)).rejects.toThrow("Select one or more layers with an image fill.");
    expect(figma.snapshot()).toEqual(snapshot);
    expect(figma.undoSteps).toHaveLength(0);
    expect(figma.pendingChanges).toBe(0);
  });

  it("sends the image's own bytes, as getImageByHash(...).getBytesAsync() gives them", async () => {
    const opened = open();
    const { figma } = opened;
    const { photo } = placedPhoto(figma);
    figma.select(photo);
    const { jobs } = await run(opened);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ index: 0, total: 1, label: "'Shoe'", matteOnly: false });
    expect(Buffer.from(jobs[0]!.bytes).equals(Buffer.from(PHOTO))).toBe(true);
  });

  it("Replace swaps the image fill in place: a new array, the other fills and every paint property kept", async () => {
    const opened = open();
    const { figma } = opened;
    const filters = { exposure: 0.2, contrast: -0.1 };
    const { photo, frame } = placedPhoto(figma, { opacity: 0.8, blendMode: "MULTIPLY", filters, rotation: 90 });
    const fillsBefore = photo.fills;
    figma.select(photo);
    const { summary } = await run(opened, { mode: "replace" });
    expect(summary).toEqual({ done: 1, failures: [], notes: [], cancelled: false });
    expect(photo.fills).not.toBe(fillsBefore);
    const [solid, image] = fillsOf(photo);
    expect(solid).toEqual(SOLID);
    const hash = image!.imageHash as string;
    expect(hash).not.toBe((fillsBefore as unknown as Record<string, unknown>[])[1]!.imageHash);
    expect(image).toEqual(imageFill(hash, { opacity: 0.8, blendMode: "MULTIPLY", filters, rotation: 90 }));
    expect(frame.children.map((child) => child.name)).toEqual(["Caption", "Shoe", "Badge"]);
    expect(figma.currentPage.selection).toEqual([photo]);
    expect(figma.notifications.at(-1)).toEqual({ message: "Cut out 1 layer. Undo reverts the run in one step.", error: false });
  });

  it("Non-destructive (the default) groups a copy showing the cutout with the hidden original, where the layer was", async () => {
    const opened = open();
    const { figma } = opened;
    const { photo, frame } = placedPhoto(figma, {
      scaleMode: "CROP",
      imageTransform: [
        [0.5, 0, 0.25],
        [0, 0.5, 0.1],
      ],
    });
    const absolute = photo.absoluteTransform;
    figma.select(photo);
    const { summary } = await run(opened);
    expect(summary.done).toBe(1);
    expect(frame.children.map((child) => child.name)).toEqual(["Caption", "Shoe", "Badge"]);
    const group = frame.children[1]!;
    expect(group.type).toBe("GROUP");
    const [original, copy] = group.children;
    expect(original).toBe(photo);
    expect(original!.name).toBe("Shoe (original)");
    expect(original!.visible).toBe(false);
    expect(copy!.name).toBe("Shoe");
    expect(copy!.visible).toBe(true);
    // Both exactly where the layer was on the canvas.
    expect(original!.absoluteTransform).toEqual(absolute);
    expect(copy!.absoluteTransform).toEqual(absolute);
    // The original keeps its photo; the copy shows the cutout with the same crop.
    const [, originalImage] = fillsOf(original!);
    const [solid, cutImage] = fillsOf(copy!);
    expect(originalImage!.imageHash).not.toBe(cutImage!.imageHash);
    expect(solid).toEqual(SOLID);
    expect(cutImage).toEqual({ ...originalImage, imageHash: cutImage!.imageHash });
    expect(figma.currentPage.selection).toEqual([group]);
  });

  it("Mask layer keeps the layer as it is and adds the matte as a luminance mask of the same shape beneath it", async () => {
    const opened = open();
    const { figma } = opened;
    const transform = [
      [0.5, 0, 0.25],
      [0, 0.5, 0.1],
    ];
    const { photo, frame } = placedPhoto(figma, { scaleMode: "CROP", imageTransform: transform, filters: { exposure: 0.3 }, opacity: 0.7 });
    const fillsBefore = photo.fills;
    figma.select(photo);
    const { summary, jobs } = await run(opened, { mode: "mask" });
    expect(jobs[0]!.matteOnly).toBe(true);
    expect(summary.done).toBe(1);
    const group = frame.children[1]!;
    expect(group.type).toBe("GROUP");
    const [mask, original] = group.children;
    expect(original).toBe(photo);
    expect(photo.fills).toBe(fillsBefore);
    expect(photo.visible).toBe(true);
    expect(mask!.type).toBe("RECTANGLE");
    expect(mask!.isMask).toBe(true);
    expect(mask!.maskType).toBe("LUMINANCE");
    expect(mask!.absoluteTransform).toEqual(photo.absoluteTransform);
    expect([mask!.width, mask!.height, mask!.cornerRadius]).toEqual([64, 48, 8]);
    expect(mask!.strokes).toEqual([]);
    expect(mask!.effects).toEqual([]);
    const [matte] = fillsOf(mask!);
    expect(fillsOf(mask!)).toHaveLength(1);
    // Placed like the photo, without its colour adjustments or opacity.
    expect(matte).toEqual({
      type: "IMAGE",
      scaleMode: "CROP",
      imageTransform: transform,
      imageHash: matte!.imageHash,
      visible: true,
      opacity: 1,
      blendMode: "NORMAL",
    });
  });

  it("Mask layer on a frame with an image fill uses a rectangle of the frame's size and corners", async () => {
    const opened = open();
    const { figma } = opened;
    const hash = figma.addImage(PHOTO);
    const frame = figma.add("FRAME", {
      name: "Hero",
      relativeTransform: translate(10, 10),
      width: 320,
      height: 200,
      cornerRadius: 12,
      fills: [imageFill(hash)],
    });
    figma.add("TEXT", { name: "Title" }, frame);
    figma.select(frame);
    await run(opened, { mode: "mask" });
    const group = figma.currentPage.children[0]!;
    const [mask, original] = group.children;
    expect(original).toBe(frame);
    expect(frame.children.map((c) => c.name)).toEqual(["Title"]);
    expect(mask).toMatchObject({ type: "RECTANGLE", isMask: true, width: 320, height: 200, cornerRadius: 12 });
    expect(mask!.absoluteTransform).toEqual(frame.absoluteTransform);
  });

  it("cuts out a photo used by several layers once, skips text, hidden and imageless layers, and looks inside selected groups", async () => {
    const opened = open();
    const { figma, sent } = opened;
    const shared = figma.addImage(PHOTO);
    const other = figma.addImage(OTHER_PHOTO);
    const group = figma.add("GROUP", { name: "Gallery" });
    const a = figma.add("RECTANGLE", { name: "A", fills: [imageFill(shared)] }, group);
    const b = figma.add("ELLIPSE", { name: "B", fills: [imageFill(shared, { scaleMode: "FIT" })] }, group);
    figma.add("RECTANGLE", { name: "Hidden", visible: false, fills: [imageFill(other)] }, group);
    figma.add("RECTANGLE", { name: "Disabled paint", fills: [imageFill(other, { visible: false })] }, group);
    const text = figma.add("TEXT", { name: "Label", fills: [SOLID] });
    const vector = figma.add("VECTOR", { name: "Blob", fills: [SOLID, imageFill(other, { scaleMode: "TILE", scalingFactor: 0.5 })] });
    figma.select(group, text, vector);
    expect(sent.at(-1)).toEqual({ type: "selection", selection: { images: 2, layers: 3, withoutImage: 1 } });
    const { summary, jobs } = await run(opened, { mode: "replace" });
    expect(jobs.map((job) => [job.id, job.index, job.total, job.label])).toEqual([
      [shared, 0, 2, "'A' (and 1 more with the same image)"],
      [other, 1, 2, "'Blob'"],
    ]);
    expect(summary.done).toBe(3);
    const cutA = fillsOf(a)[0]!.imageHash;
    expect(cutA).not.toBe(shared);
    expect(fillsOf(b)[0]).toEqual(imageFill(cutA as string, { scaleMode: "FIT" }));
    expect(fillsOf(vector)[1]).toMatchObject({ scaleMode: "TILE", scalingFactor: 0.5 });
    expect(fillsOf(text)).toEqual([SOLID]);
    expect(figma.currentPage.selection).toEqual([a, b, vector]);
  });

  it("a result over 4096 px scaled to fit by the UI keeps a tiled image's size on the canvas, and says so", async () => {
    const opened = open();
    const { figma } = opened;
    const hash = figma.addImage(PHOTO);
    const tile = figma.add("RECTANGLE", { name: "Pattern", fills: [imageFill(hash, { scaleMode: "TILE", scalingFactor: 0.5 })] });
    figma.select(tile);
    const { summary } = await run(opened, { mode: "replace" }, (job, id) => ({
      ...(cutoutOf(job, id, { width: 4096, height: 2048 }) as CutoutReply & { type: "result" }),
      scaledFrom: { width: 8192, height: 4096 },
    }));
    expect(fillsOf(tile)[0]).toMatchObject({ scaleMode: "TILE", scalingFactor: 1 });
    expect(summary.notes).toEqual(["'Pattern': the 8192x4096 result was scaled to 4096x2048, Figma's largest image"]);
  });

  it("refuses a result Figma would not take (over 4096 px) with a message, and goes on with the next image", async () => {
    const opened = open();
    const { figma } = opened;
    const big = figma.add("RECTANGLE", { name: "Big", fills: [imageFill(figma.addImage(PHOTO))] });
    const small = figma.add("RECTANGLE", { name: "Small", fills: [imageFill(figma.addImage(OTHER_PHOTO))] });
    const bigFills = big.fills;
    figma.select(big, small);
    const { summary } = await run(opened, { mode: "replace" }, (job, id) =>
      job.index === 0 ? cutoutOf(job, id, { width: 5000, height: 100 }) : cutoutOf(job, id),
    );
    expect(summary.done).toBe(1);
    expect(summary.failures).toEqual(["'Big': the result is 5000x100, over Figma's 4096 px limit"]);
    expect(big.fills).toBe(bigFills);
    expect(fillsOf(small)[0]!.imageHash).not.toBe((bigFills as unknown as Record<string, unknown>[])[0]!.imageHash);
  });

  it("reports an image the UI could not cut out by name and code, and goes on", async () => {
    const opened = open();
    const { figma } = opened;
    const first = figma.add("RECTANGLE", { name: "Corrupt", fills: [imageFill(figma.addImage(PHOTO))] });
    const second = figma.add("RECTANGLE", { name: "Fine", fills: [imageFill(figma.addImage(OTHER_PHOTO))] });
    figma.select(first, second);
    const { summary } = await run(opened, { mode: "replace" }, (job, id) =>
      job.index === 0
        ? { type: "failed", run: id, id: job.id, code: "invalid_image", message: "The image could not be decoded" }
        : cutoutOf(job, id),
    );
    expect(summary).toEqual({ done: 1, failures: ["'Corrupt': The image could not be decoded"], notes: [], cancelled: false });
    expect(figma.notifications.at(-1)!.message).toBe("Cut out 1 layer, 1 failed. Undo reverts the run in one step.");
  });

  it("inside an instance, Non-destructive keeps the original as a hidden fill, and Mask layer says why it cannot", async () => {
    const opened = open();
    const { figma } = opened;
    const hash = figma.addImage(PHOTO);
    const instance = figma.add("INSTANCE", { name: "Card instance" });
    const inner = figma.add("RECTANGLE", { name: "Avatar", fills: [SOLID, imageFill(hash)] }, instance);
    figma.select(inner);
    const { summary } = await run(opened);
    expect(summary.notes).toEqual([
      "'Avatar' is inside a component instance: its original image is kept as a hidden fill under the cutout",
    ]);
    const [solid, hidden, cut] = fillsOf(inner);
    expect(solid).toEqual(SOLID);
    expect(hidden).toEqual(imageFill(hash, { visible: false }));
    expect(cut).toEqual(imageFill(cut!.imageHash as string));
    expect(instance.children).toEqual([inner]);

    const maskRun = await run(opened, { mode: "mask" });
    expect(maskRun.summary.done).toBe(0);
    expect(maskRun.summary.failures).toEqual([
      "'Avatar' is inside a component instance, so no mask layer can be added next to it; use Replace or Non-destructive",
    ]);
  });

  it("a component keeps its original image as a hidden fill rather than being duplicated into a second component", async () => {
    const opened = open();
    const { figma } = opened;
    const component = figma.add("COMPONENT", { name: "Logo", fills: [imageFill(figma.addImage(PHOTO))] });
    figma.select(component);
    const { summary } = await run(opened);
    expect(summary.notes[0]).toMatch(/'Logo' is a component .*hidden fill/);
    expect(figma.currentPage.children).toEqual([component]);
    expect(fillsOf(component)).toHaveLength(2);
  });

  it("a layer deleted or changed during the run is reported and left alone; the rest is placed", async () => {
    const opened = open();
    const { figma } = opened;
    const gone = figma.add("RECTANGLE", { name: "Gone", fills: [imageFill(figma.addImage(PHOTO))] });
    const changed = figma.add("RECTANGLE", { name: "Changed", fills: [imageFill(figma.addImage(OTHER_PHOTO))] });
    const kept = figma.add("RECTANGLE", { name: "Kept", fills: [imageFill(figma.addImage(solidPng(8, 8)))] });
    figma.select(gone, changed, kept);
    const { summary } = await run(opened, { mode: "replace" }, (job, id) => {
      if (job.index === 0) gone.remove();
      if (job.index === 1) changed.fills = [SOLID as never];
      return cutoutOf(job, id);
    });
    expect(summary.done).toBe(1);
    expect(summary.failures).toEqual([
      "'Gone' was deleted during the run",
      "'Changed' changed its image during the run and was left as it is",
    ]);
    expect(fillsOf(changed)).toEqual([SOLID]);
  });

  it("a whole run is one undo step, which restores the document exactly", async () => {
    for (const mode of ["replace", "non-destructive", "mask"] as const) {
      const opened = open();
      const { figma } = opened;
      const { photo } = placedPhoto(figma, {
        scaleMode: "CROP",
        imageTransform: [
          [1, 0, 0],
          [0, 1, 0],
        ],
      });
      const second = figma.add("ELLIPSE", {
        name: "Second",
        relativeTransform: translate(500, 0),
        fills: [imageFill(figma.addImage(OTHER_PHOTO))],
      });
      figma.select(photo, second);
      const before = figma.snapshot();
      await run(opened, { mode });
      expect(figma.snapshot()).not.toEqual(before);
      expect(figma.undoSteps).toHaveLength(1);
      expect(figma.pendingChanges).toBe(0);
      figma.undo();
      expect(figma.snapshot(), mode).toEqual(before);
    }
  });

  it("cancel stops after the image in hand: what was placed stays as one undo step, late answers are ignored", async () => {
    const opened = open();
    const { figma, plugin } = opened;
    const nodes = ["One", "Two", "Three"].map((name, i) =>
      figma.add("RECTANGLE", { name, fills: [imageFill(figma.addImage(solidPng(10 + i, 10)))] }),
    );
    figma.select(...nodes);
    const before = figma.snapshot();
    let late: UiToMain | undefined;
    const { summary, jobs } = await run(opened, { mode: "replace" }, (job, id) => {
      if (job.index === 0) return cutoutOf(job, id);
      late = cutoutOf(job, id);
      return { type: "cancel", run: id };
    });
    expect(jobs).toHaveLength(2);
    expect(summary).toEqual({ done: 1, failures: [], notes: [], cancelled: true });
    expect(figma.notifications.at(-1)!.message).toBe("Cancelled: cut out 1 layer. Undo reverts the run in one step.");
    const after = figma.snapshot();
    await plugin.receive(late!);
    expect(figma.snapshot()).toEqual(after);
    expect(figma.undoSteps).toHaveLength(1);
    figma.undo();
    expect(figma.snapshot()).toEqual(before);
  });

  it("keeps settings, the API key and timings in clientStorage, and forgets the key on request", async () => {
    const { figma, plugin } = open();
    const settings = { ...DEFAULT_SETTINGS, engine: "remote" as const, bgColor: "#ff0000" };
    await plugin.receive({ type: "save-settings", settings });
    await plugin.receive({ type: "save-api-key", apiKey: "secret" });
    await plugin.receive({ type: "save-stats", stats: { cutoutMs: { fast: 3200, best: -1 } } });
    expect(await figma.clientStorage.getAsync(STORAGE_KEYS.settings)).toEqual(settings);
    expect(await figma.clientStorage.getAsync(STORAGE_KEYS.apiKey)).toBe("secret");
    expect(await figma.clientStorage.getAsync(STORAGE_KEYS.stats)).toEqual({ cutoutMs: { fast: 3200 } });
    await plugin.receive({ type: "save-api-key", apiKey: "" });
    expect(await figma.clientStorage.keysAsync()).not.toContain(STORAGE_KEYS.apiKey);
  });

  it("makes the remote engine's requests for the UI (Figma's fetch knows no CORS), to the remote API only, and answers by id", async () => {
    const { fetch, calls } = fetchDouble();
    const { plugin, sent } = open(fetch);
    const body = new TextEncoder().encode("--boundary\r\n...");
    const headers = { "x-api-key": "key", "content-type": "multipart/form-data; boundary=boundary" };
    await plugin.receive({ type: "fetch", id: 3, url: "https://api.remove.bg/v1.0/removebg", method: "POST", headers, body });
    expect(calls).toEqual([{ url: "https://api.remove.bg/v1.0/removebg", init: { method: "POST", headers, body } }]);
    expect(sent.at(-1)).toEqual({
      type: "fetch-response",
      id: 3,
      ok: true,
      status: 200,
      statusText: "OK",
      headers: { "content-type": "image/png" },
      body: new Uint8Array([1, 2, 3]),
    });
    for (const url of ["https://example.com/steal", "http://api.remove.bg/v1.0/removebg", "not a url"]) {
      await plugin.receive({ type: "fetch", id: 4, url, method: "GET", headers: {} });
      expect(sent.at(-1)).toEqual({ type: "fetch-response", id: 4, ok: false, message: "Cutout forwards requests only to api.remove.bg" });
    }
    expect(calls).toHaveLength(1);
  });

  it("a remote request in flight does not hold up a cancel behind it", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const opened = open(
      fetchDouble(async () => {
        await held;
        return { status: 200, body: new Uint8Array() };
      }).fetch,
    );
    const { figma, plugin } = opened;
    figma.select(figma.add("RECTANGLE", { name: "Remote", fills: [imageFill(figma.addImage(PHOTO))] }));
    const { summary } = await run(opened, { mode: "replace", engine: "remote" }, (_job, id) => {
      void plugin.receive({ type: "fetch", id: 1, url: "https://api.remove.bg/v1.0/removebg", method: "POST", headers: {} });
      return { type: "cancel", run: id };
    });
    expect(summary.cancelled).toBe(true);
    release();
  });

  it("the double behaves as Figma documents: frozen paints, sync node lookup refused under dynamic-page, createImage limits", () => {
    const figma = new FigmaDouble();
    const node = figma.add("RECTANGLE", { fills: [imageFill(figma.addImage(PHOTO))] });
    expect(() => {
      (node.fills as unknown as Record<string, unknown>[])[0]!.imageHash = "x";
    }).toThrow(TypeError);
    expect(() => {
      node.fills = [imageFill("no-such-image")] as never;
    }).toThrow(/does not exist/);
    expect(() => figma.getNodeById(node.id)).toThrow(/dynamic-page/);
    expect(() => figma.createImage(solidPng(4097, 1))).toThrow("Image is too large");
    expect(() => figma.createImage(new TextEncoder().encode("<svg/>"))).toThrow("Image type is unsupported");
    expect(figma.createImage(solidPng(4096, 1)).hash).toMatch(/^[0-9a-f]{40}$/);
    const instance = figma.add("INSTANCE", {});
    const child = figma.add("RECTANGLE", {}, instance);
    expect(() => figma.group([child], figma.currentPage)).toThrow(/inside of an instance/);
  });
});
