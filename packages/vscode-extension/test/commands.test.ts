/**
 * The command handlers against the vscode double, with the real engine
 * process and model (quality fast, to keep the suite short): one and several
 * URIs, the collision rule on disk, cancellation between images, errors as
 * notifications with their actions, multi-root output folders.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { loadModel } from "../../../models/src/index.js";
import { checkPng, decode } from "../../../test/support/cli.js";
import { describeModelProgress, type Run } from "../src/run.js";
import { explorer, photo, useExtension } from "./support/harness.js";
import * as vscode from "./support/vscode-double.js";

vi.mock("vscode", () => import("./support/vscode-double.js"));

const h = useExtension({ "cutout.quality": "fast" });

const sha = async (file: string) =>
  createHash("sha256")
    .update(await fs.readFile(file))
    .digest("hex");

async function expectCutout(file: string, width = 480, height = 360): Promise<void> {
  const bytes = await fs.readFile(file);
  expect(checkPng(bytes)).toMatchObject({ width, height, channels: 4 });
  const image = await decode(bytes);
  // A car on a street: clear at the top-left corner, opaque on the body.
  expect(image.at(5, 5, 3)).toBe(0);
  expect(image.at(240, 200, 3)).toBe(255);
}

describe("Remove background", () => {
  it("one image from the explorer: <name>.cutout.png beside it, revealed, with Open and Compare", async () => {
    vscode.openFolders(await h.folder("one"));
    const dir = await h.folder("one/photos ü");
    const image = await photo(dir, "car ü 1.jpg");
    const run = await h.run<Run>("cutout.removeBackground", ...explorer(image));
    const output = path.join(dir, "car ü 1.cutout.png");
    expect(run.outcomes).toMatchObject([{ image, output }]);
    await expectCutout(output);
    expect(vscode.user.executed.find((e) => e.command === "revealInExplorer")?.args[0]).toEqual(vscode.Uri.file(output));
    expect(vscode.user.shown).toEqual([
      { kind: "info", message: "Cutout: wrote car ü 1.cutout.png", items: ["Open", "Compare"], modal: false },
    ]);
    const [progress] = vscode.user.progress;
    expect(progress).toMatchObject({ title: "Cutout: car ü 1.jpg", cancellable: true });
    expect(progress!.reports.reduce((sum, r) => sum + (r.increment ?? 0), 0)).toBeCloseTo(100);
    expect(h.log().some((l) => l.includes(output) && l.includes("480x360 png, local"))).toBe(true);
  });

  it("never overwrites: a taken name gives <name>.cutout-1.png, then -2, and the existing files stay as they were", async () => {
    const dir = await h.folder("collide");
    vscode.openFolders(dir);
    const image = await photo(dir, "car.jpg");
    await fs.writeFile(path.join(dir, "car.cutout.png"), "an earlier cutout");
    const before = await sha(path.join(dir, "car.cutout.png"));
    await h.run("cutout.removeBackground", ...explorer(image));
    await h.run("cutout.removeBackground", ...explorer(image));
    expect((await fs.readdir(dir)).sort()).toEqual(["car.cutout-1.png", "car.cutout-2.png", "car.cutout.png", "car.jpg"]);
    expect(await sha(path.join(dir, "car.cutout.png"))).toBe(before);
    await expectCutout(path.join(dir, "car.cutout-2.png"));
  });

  it("ifOutputExists ask: Replace overwrites, Skip and Escape leave the file and run nothing", async () => {
    const dir = await h.folder("ask");
    vscode.openFolders(dir);
    vscode.setSetting("cutout.ifOutputExists", "ask");
    const image = await photo(dir, "car.jpg");
    const existing = path.join(dir, "car.cutout.png");
    await fs.writeFile(existing, "keep me");

    vscode.user.clicks.push(undefined); // Escape on the modal
    let run = await h.run<Run>("cutout.removeBackground", ...explorer(image));
    expect(run.outcomes).toEqual([{ image, skipped: "exists" }]);
    expect(vscode.user.shown[0]).toMatchObject({ kind: "warning", modal: true, items: ["Keep both", "Replace"] });
    expect(await fs.readFile(existing, "utf8")).toBe("keep me");

    vscode.user.clicks.push("Keep both");
    run = await h.run<Run>("cutout.removeBackground", ...explorer(image));
    expect(run.outcomes[0]).toMatchObject({ output: path.join(dir, "car.cutout-1.png") });
    expect(await fs.readFile(existing, "utf8")).toBe("keep me");

    vscode.user.clicks.push("Replace");
    run = await h.run<Run>("cutout.removeBackground", ...explorer(image));
    expect(run.outcomes[0]).toMatchObject({ output: existing });
    await expectCutout(existing);
    expect((await fs.readdir(dir)).sort()).toEqual(["car.cutout-1.png", "car.cutout.png", "car.jpg"]);
  });

  it("several images: one cancellable notification counting them; Cancel lets the image in hand finish whole and starts no other", async () => {
    const dir = await h.folder("batch ü");
    vscode.openFolders(dir);
    const images = await Promise.all(["a.jpg", "b b.jpg", "c.jpg"].map((n) => photo(dir, n)));
    vscode.user.onProgress = (progress, report) => {
      if (report.message === "2 of 3: b b.jpg") progress.source.cancel();
    };
    const run = await h.run<Run>("cutout.removeBackground", ...explorer(...images));
    expect(vscode.user.progress).toHaveLength(1);
    expect(vscode.user.progress[0]).toMatchObject({ title: "Cutout: 3 images", cancellable: true });
    const messages = vscode.user.progress[0]!.reports.flatMap((r) => (r.message ? [r.message] : []));
    expect(messages).toEqual(["1 of 3: a.jpg", "2 of 3: b b.jpg"]);
    expect(run.outcomes.map((o) => "output" in o && path.basename(o.output))).toEqual(["a.cutout.png", "b b.cutout.png"]);
    expect(run.notStarted).toEqual([images[2]]);
    await expectCutout(path.join(dir, "b b.cutout.png"));
    // Nothing half-written: no temporary files, no cutout of c.
    expect((await fs.readdir(dir)).sort()).toEqual(["a.cutout.png", "a.jpg", "b b.cutout.png", "b b.jpg", "c.jpg"]);
    expect(vscode.user.shown).toEqual([
      { kind: "info", message: "Cutout: cut out 2 of 3 images; stopped, 1 not started.", items: [], modal: false },
    ]);
  });

  it("a batch with a broken file: the others are written, one summary with Show details, the error in the Output channel", async () => {
    const dir = await h.folder("broken");
    vscode.openFolders(dir);
    const good = await photo(dir, "good.jpg");
    const bad = path.join(dir, "bad.png");
    await fs.writeFile(bad, "this is not a PNG");
    vscode.user.clicks.push("Show details");
    const run = await h.run<Run>("cutout.removeBackground", ...explorer(bad, good));
    expect(run.outcomes[0]).toMatchObject({ image: bad, error: { code: "invalid_image" } });
    expect(existsSync(path.join(dir, "good.cutout.png"))).toBe(true);
    expect(existsSync(path.join(dir, "bad.cutout.png"))).toBe(false);
    expect(vscode.user.shown).toEqual([
      { kind: "warning", message: "Cutout: cut out 1 of 2 images; 1 failed.", items: ["Show details"], modal: false },
    ]);
    await vi.waitFor(() => expect(vscode.user.outputs.find((o) => o.name === "Cutout")?.visible).toBe(true));
    expect(h.log().some((l) => l.startsWith("[error]") && l.includes(bad) && l.includes("invalid_image"))).toBe(true);
  });

  it("one broken file: an error notification with core's message and Show details", async () => {
    const dir = await h.folder("broken-one");
    const bad = path.join(dir, "empty.jpg");
    await fs.writeFile(bad, "");
    await h.run("cutout.removeBackground", ...explorer(bad));
    await vi.waitFor(() => expect(vscode.user.shown).toHaveLength(1));
    const [shown] = vscode.user.shown;
    expect(shown!.kind).toBe("error");
    expect(shown!.message).toMatch(/^Cutout: empty\.jpg: /);
    expect(shown!.items).toEqual(["Show details"]);
  });

  it("items that are not images are left out and named; the images still run", async () => {
    const dir = await h.folder("mixed");
    const image = await photo(dir, "car.jpg");
    const notes = path.join(dir, "notes.txt");
    await fs.writeFile(notes, "hello");
    const run = await h.run<Run>("cutout.removeBackground", ...explorer(image, notes, dir));
    expect(run.outcomes).toHaveLength(1);
    expect(vscode.user.shown[0]).toMatchObject({ kind: "warning", message: expect.stringContaining("notes.txt") });
    expect(vscode.user.shown[0]!.message).toContain("2 items that are not images");
  });

  it("multi-root: a relative output folder is each image's own workspace folder's, folder settings apply per image", async () => {
    const site = await h.folder("multi/site ü");
    const docs = await h.folder("multi/docs");
    vscode.openFolders(site, docs);
    vscode.setSetting("cutout.outputFolder", "cutouts");
    vscode.setSetting("cutout.format", "webp", docs);
    const a = await photo(await h.folder("multi/site ü/img"), "hero.jpg");
    const b = await photo(await h.folder("multi/docs/img"), "hero.jpg");
    const run = await h.run<Run>("cutout.removeBackground", ...explorer(a, b));
    expect(run.outcomes.map((o) => "output" in o && o.output)).toEqual([
      path.join(site, "cutouts", "hero.cutout.png"),
      path.join(docs, "cutouts", "hero.cutout.webp"),
    ]);
    const webp = await decode(path.join(docs, "cutouts", "hero.cutout.webp"));
    expect(webp).toMatchObject({ format: "webp", hasAlpha: true, width: 480 });
  });

  it("from the command palette: the active image tab, else a file picker", async () => {
    const dir = await h.folder("palette");
    const image = await photo(dir, "tab.jpg");
    vscode.window.tabGroups.activeTabGroup.activeTab = { input: { uri: vscode.Uri.file(image), viewType: "imagePreview.previewEditor" } };
    const run = await h.run<Run>("cutout.removeBackground");
    expect(run.outcomes[0]).toMatchObject({ image });
    vscode.window.tabGroups.activeTabGroup.activeTab = undefined;
    vscode.user.openDialogs.push(undefined); // the picker, dismissed
    expect(await h.run("cutout.removeBackground")).toBeUndefined();
    expect(vscode.user.progress).toHaveLength(1);
  });
});

describe("a first run", () => {
  it("shows the model's own progress in the notification (here: building its int8 form, once per machine)", async () => {
    // A cache holding only the downloaded model: the engine prepares the int8 form first, and says so.
    const cache = await h.folder("fresh cache");
    const downloaded = await loadModel({ model: "isnet-fp16" });
    await fs.mkdir(path.join(cache, "models"));
    await fs.copyFile(downloaded.path, path.join(cache, "models", path.basename(downloaded.path)));
    const saved = process.env.CUTOUT_CACHE_DIR;
    process.env.CUTOUT_CACHE_DIR = cache;
    try {
      vscode.setSetting("cutout.threads", 1); // another engine setting: a new engine process, which sees this cache
      const dir = await h.folder("first");
      const run = await h.run<Run>("cutout.removeBackground", ...explorer(await photo(dir, "car.jpg")));
      expect(run.outcomes[0]).toMatchObject({ output: path.join(dir, "car.cutout.png") });
    } finally {
      if (saved === undefined) delete process.env.CUTOUT_CACHE_DIR;
      else process.env.CUTOUT_CACHE_DIR = saved;
    }
    const messages = vscode.user.progress[0]!.reports.flatMap((r) => (r.message ? [r.message] : []));
    expect(messages).toContain("Preparing the model for this machine (once)");
    expect(messages.at(-1)).toBe("car.jpg");
    expect((await fs.readdir(path.join(cache, "models"))).some((f) => f.includes("-int8-"))).toBe(true);
  });

  it("words each phase of the model's download", () => {
    expect(describeModelProgress({ type: "progress", phase: "download", received: 45e6, total: 113e6 })).toBe(
      "Downloading the model: 45 MB of 113 MB",
    );
    expect(describeModelProgress({ type: "progress", phase: "download", received: 2e6 })).toBe("Downloading the model: 2 MB");
    expect(describeModelProgress({ type: "progress", phase: "verify", received: 0 })).toBe("Checking the model");
    expect(describeModelProgress({ type: "progress", phase: "assemble", received: 0 })).toBe("Unpacking the model");
  });
});

describe("Remove background with options…", () => {
  beforeEach(async () => {
    await h.context.globalState.update("cutout.lastChoices", undefined);
  });

  it("walks the five steps, writes what was chosen, and offers the same choices first next time", async () => {
    const dir = await h.folder("options");
    const image = await photo(dir, "car.jpg");
    vscode.user.quickPicks.push("jpg", "Colour…", "Crop to the subject…", "medium", "none");
    vscode.user.inputs.push("#81d4fa", "5px");
    const run = await h.run<Run>("cutout.removeBackgroundWithOptions", ...explorer(image));
    expect(vscode.user.quickPickTitles).toEqual([
      "Cutout: Format (1/5)",
      "Cutout: Background (2/5)",
      "Cutout: Crop (3/5)",
      "Cutout: Size (4/5)",
      "Cutout: Shadow (5/5)",
    ]);
    const output = path.join(dir, "car.cutout.jpg");
    expect(run.outcomes[0]).toMatchObject({ output });
    const jpg = await decode(output);
    expect(jpg).toMatchObject({ format: "jpeg", hasAlpha: false });
    // Cropped to the car plus 5 px each side; the corner is the chosen colour (JPEG-close).
    const { foreground } = (run.outcomes[0] as { result: { foreground: { width: number; height: number } } }).result;
    expect([jpg.width, jpg.height]).toEqual([foreground.width + 10, foreground.height + 10]);
    const corner = [jpg.at(1, 1, 0), jpg.at(1, 1, 1), jpg.at(1, 1, 2)];
    expect(corner.map((v, i) => Math.abs(v - [0x81, 0xd4, 0xfa][i]!)).every((d) => d <= 6)).toBe(true);

    vscode.resetUser();
    vscode.user.quickPicks.push((items) => items[0]); // "Use the last options"
    const again = await h.run<Run>("cutout.removeBackgroundWithOptions", ...explorer(image));
    expect(vscode.user.quickPickTitles).toEqual(["Cutout: Options"]);
    expect(again.outcomes[0]).toMatchObject({ output: path.join(dir, "car.cutout-1.jpg") });
  });

  it("Escape at any step does nothing", async () => {
    const dir = await h.folder("options-escape");
    const image = await photo(dir, "car.jpg");
    vscode.user.quickPicks.push("webp", "Blur…");
    vscode.user.inputs.push(undefined);
    expect(await h.run("cutout.removeBackgroundWithOptions", ...explorer(image))).toBeUndefined();
    expect(vscode.user.progress).toHaveLength(0);
    expect(await fs.readdir(dir)).toEqual(["car.jpg"]);
  });

  it("an input box refuses what core refuses, with core's message", async () => {
    const dir = await h.folder("options-invalid");
    const image = await photo(dir, "car.jpg");
    vscode.user.quickPicks.push("png", "Blur…");
    vscode.user.inputs.push("80");
    await expect(h.run("cutout.removeBackgroundWithOptions", ...explorer(image))).rejects.toThrow(/bgBlur/);
  });
});
