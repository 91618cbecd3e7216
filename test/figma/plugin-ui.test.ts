/**
 * The Figma plugin's UI (dist/ui.html, from the release zip that `pnpm
 * pack:all` packs, unpacked as a designer unpacks it) in Debian's Chromium, as Figma
 * runs it: a null-origin sandboxed iframe, Figma's theme variables, a
 * networkAccess-like policy, and a harness page playing the main thread
 * (test/support/figma-harness.ts). The model and onnxruntime's WASM come from
 * the local CDN stand-in. A real photo goes in as the main thread sends it;
 * the cutout that comes back must agree with the Node engine's. The first
 * and warm cutout times are printed beside Node's from the same run
 * (figures for the README, never a threshold), and so is what a second
 * launch downloads again.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpuSummary } from "../../packages/core/src/node/cpu-features.js";
import { Remover } from "../../packages/core/src/node/remover.js";
import { DEFAULT_SETTINGS, type EngineStats, type PluginSettings, type RelayedRequest } from "../../packages/figma-plugin/src/protocol.js";
import { startFakeRemote } from "../support/action-remote.js";
import { ortFile } from "../support/browser-harness.js";
import { sharp } from "../support/cli.js";
import { type Answer, type FigmaHarness, openFigmaHarness } from "../support/figma-harness.js";
import { alphaAgreement } from "../support/perceptual.js";
import { unpackFigmaZip } from "../support/release-artifacts.js";

const CAR = readFileSync(path.join(import.meta.dirname, "../fixtures/car-1.jpg"));
/** The README's screenshots are rewritten only when asked (they show this machine's timings); otherwise they go to test/.tmp. */
const SHOTS = process.env.CUTOUT_UPDATE_SCREENSHOTS
  ? path.join(import.meta.dirname, "../../packages/figma-plugin/docs")
  : path.join(import.meta.dirname, "../.tmp/figma");

let harness: FigmaHarness;
/** The unpacked plugin folder: manifest.json and dist/. */
let plugin: string;
/** The first launch's cutout and what the UI asked the main thread to keep. */
let cutout: { alpha: Uint8Array; width: number; height: number };
let stats: EngineStats = { cutoutMs: {} };
const figures: string[] = [];

beforeAll(async () => {
  plugin = unpackFigmaZip(mkdtempSync(path.join(os.tmpdir(), "cutout-figma-zip-")));
  harness = await openFigmaHarness(path.join(plugin, "dist"));
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await harness?.close();
  if (plugin) rmSync(path.dirname(plugin), { recursive: true, force: true });
  if (figures.length > 0) process.stdout.write(`[figma] ${cpuSummary()}\n${figures.map((line) => `[figma] ${line}\n`).join("")}`);
});

/** The image's result; the UI's failure, as an error, otherwise. */
function resultOf(answer: Answer): Extract<Answer, { type: "result" }> {
  if (answer.type !== "result") throw new Error(`the UI failed the image: ${answer.code} ${answer.message}`);
  return answer;
}

/** The channel of a decoded PNG that carries the subject: alpha for a cutout, grey for a matte. */
async function channelOf(png: Uint8Array, channel: "alpha" | "grey") {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const values = new Uint8Array(info.width * info.height);
  const at = channel === "alpha" ? info.channels - 1 : 0;
  for (let i = 0; i < values.length; i++) values[i] = data[i * info.channels + at] as number;
  return { values, info };
}

/** What the UI shows in `selector`, once it shows `wanted` (the UI updates on messages, asynchronously). */
async function shows(selector: string, wanted: string | RegExp): Promise<void> {
  const locator = harness.ui.locator(selector).first();
  const matches = (text: string | null) => (typeof wanted === "string" ? text === wanted : wanted.test(text ?? ""));
  await expect.poll(() => locator.textContent(), { timeout: 60_000, interval: 50 }).toSatisfy(matches);
}

function modelRequests(from: number): string[] {
  return harness.cdn.requests.slice(from).filter((request) => request.includes("/@imgly/"));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

describe("the release zip", () => {
  it("holds a folder Figma desktop imports: manifest.json, and the main and ui files it names, nothing else", () => {
    const manifest = JSON.parse(readFileSync(path.join(plugin, "manifest.json"), "utf8")) as { main: string; ui: string };
    expect(existsSync(path.join(plugin, manifest.main))).toBe(true);
    expect(existsSync(path.join(plugin, manifest.ui))).toBe(true);
    const listed = readdirSync(plugin, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(plugin, path.join(entry.parentPath, entry.name)))
      .sort();
    expect(listed).toEqual(["manifest.json", manifest.main, manifest.ui].sort());
  });
});

describe("the Figma plugin's UI, built, in a null-origin iframe", () => {
  it("cuts out a photo the main thread sends, as the Node engine does, first and warm, in Figma's light theme", async () => {
    await harness.launch("light");
    await harness.init();
    const ui = harness.ui;
    await shows("#selection", "1 image selected");
    expect(await ui.locator("#mode-non-destructive").isChecked()).toBe(true);
    expect(await ui.locator("#quality-fast").isChecked()).toBe(true);
    // A bad option is shown at its field, in the panel's words, and nothing is sent.
    await ui.locator("#crop").check();
    await ui.locator("#crop-margin").fill("lots");
    await ui.locator("#run").click();
    expect(await ui.locator("#crop-margin").getAttribute("aria-invalid")).toBe("true");
    expect(await ui.locator(".problem").textContent()).toMatch(/Margin.*'lots'/);
    await ui.locator("#crop-margin").fill("0");
    await ui.locator("#crop").uncheck();
    await ui.locator("#run").click();
    const run = await harness.fromUi<{ run: number; settings: PluginSettings }>("run");
    // The first run message is this one: the click with a bad margin sent nothing.
    expect(run.settings).toEqual(DEFAULT_SETTINGS);
    expect(await ui.locator(".problem").count()).toBe(0);

    const before = harness.cdn.requests.length;
    const first = await harness.cut(run.run, "car-first", CAR);
    const firstResult = resultOf(first.answer);
    const downloaded = modelRequests(before).length;
    expect(downloaded).toBeGreaterThan(10);
    // The engine ran in a worker: the UI thread stays free to draw progress and take a cancel.
    expect(harness.page.workers().length).toBeGreaterThan(0);
    const warm = await harness.cut(run.run, "car-warm", CAR);
    const warmResult = resultOf(warm.answer);
    const saved = await harness.fromUi<{ stats: EngineStats }>("save-stats");
    stats = (await harness.fromUi<{ stats: EngineStats }>("save-stats")).stats;
    expect(saved.stats.cutoutMs.fast).toBeGreaterThan(0);
    await harness.toUi({ type: "run-done", run: run.run, summary: { done: 2, failures: [], notes: [], cancelled: false } });
    await shows("#status", "Cut out 2 layers. Undo reverts the run in one step.");

    const browser = await channelOf(firstResult.image, "alpha");
    expect([firstResult.width, firstResult.height, browser.info.width, browser.info.height]).toEqual([480, 360, 480, 360]);
    expect(Buffer.from((await channelOf(warmResult.image, "alpha")).values).equals(Buffer.from(browser.values))).toBe(true);
    cutout = { alpha: browser.values, width: firstResult.width, height: firstResult.height };

    // Node's engine with the same preset: the int8 graph sums exactly on every CPU and in WASM.
    const reference = new Remover({ quality: "fast" });
    const expected = await reference.remove(CAR).finally(() => reference.close());
    const agreement = alphaAgreement(browser.values, expected.alpha);
    figures.push(`car-1.jpg, fast: IoU ${agreement.iou.toFixed(4)}, MAE ${agreement.mae.toFixed(4)} against Node`);
    expect(agreement.iou).toBeGreaterThanOrEqual(0.99);
    expect(agreement.mae).toBeLessThan(0.01);

    // Node's own timings of the same preset on one thread, in this run.
    const node = new Remover({ quality: "fast", threads: 1 });
    const t0 = performance.now();
    await node.remove(CAR);
    const nodeFirst = performance.now() - t0;
    const t1 = performance.now();
    await node.remove(CAR);
    const nodeWarm = performance.now() - t1;
    await node.close();
    figures.push(
      `car-1.jpg (480x360), quality fast (int8, 704 px): iframe first ${seconds(first.ms)} (${downloaded} model files downloaded, int8 built, session made), ` +
        `warm ${seconds(warm.ms)}; Node, 1 thread: first ${seconds(nodeFirst)} (model from its disk cache), warm ${seconds(nodeWarm)}; ` +
        `warm ratio ${(warm.ms / nodeWarm).toFixed(2)}x`,
    );
    await harness.page.locator("iframe").screenshot({ path: path.join(SHOTS, "ui-light.png") });
  });

  it("a second launch (dark theme, Mask layer mode, keyboard only): the matte, results fitted to 4096 px, errors by code, cancel at once", async () => {
    await harness.launch("dark");
    await harness.init({ mode: "mask" }, stats);
    const ui = harness.ui;
    await shows("#selection", "1 image selected");
    expect(await ui.locator("#effects").evaluate((fieldset) => (fieldset as HTMLFieldSetElement).disabled)).toBe(true);
    await ui.locator("#mode-mask").focus();
    await harness.page.keyboard.press("Control+Enter");
    const run = await harness.fromUi<{ run: number; settings: PluginSettings }>("run");
    expect(run.settings.mode).toBe("mask");

    // The matte alone, grey, agreeing with the first launch's alpha.
    const before = harness.cdn.requests.length;
    const matte = await harness.cut(run.run, "matte", CAR, { matteOnly: true });
    const matteResult = resultOf(matte.answer);
    const again = modelRequests(before).length;
    const grey = await channelOf(matteResult.image, "grey");
    expect([grey.info.width, grey.info.height]).toEqual([cutout.width, cutout.height]);
    expect(alphaAgreement(grey.values, cutout.alpha).iou).toBeGreaterThanOrEqual(0.99);
    figures.push(`second launch: ${again} model files requested again (first launch: all), first cutout ${seconds(matte.ms)}`);

    // Wider than Figma takes: scaled to 4096 px, and the UI says from what.
    const wide = await sharp(CAR).resize(4200, 600, { fit: "fill" }).jpeg().toBuffer();
    // 600 * 4096 / 4200 = 585.1
    const fitted = resultOf((await harness.cut(run.run, "wide", new Uint8Array(wide), { matteOnly: true })).answer);
    expect([fitted.width, fitted.height, fitted.scaledFrom]).toEqual([4096, 585, { width: 4200, height: 600 }]);
    const fittedPng = await sharp(fitted.image).metadata();
    expect([fittedPng.width, fittedPng.height]).toEqual([4096, 585]);

    // Bytes that are no image: a failure with core's code, and the run goes on.
    const broken = (await harness.cut(run.run, "broken", new TextEncoder().encode("not an image"), { matteOnly: true })).answer;
    expect(broken).toMatchObject({ type: "failed", code: "invalid_image" });

    // Escape during inference: the cancel arrives before any result could, and the image in hand is abandoned.
    await harness.toUi({
      type: "job",
      run: run.run,
      job: { id: "cancelled", index: 3, total: 4, label: "'cancelled'", bytes: CAR, matteOnly: true },
    });
    await shows("#status", /^Cutting out 'cancelled' \(4 of 4\)/);
    expect(await ui.locator("#progress").isVisible()).toBe(true);
    await harness.page.keyboard.press("Escape");
    const stopped = await harness.fromUi<{ type: string; run: number }>("cancel", "result");
    expect(stopped).toMatchObject({ type: "cancel", run: run.run });
    await harness.toUi({
      type: "run-done",
      run: run.run,
      summary: { done: 2, failures: ["'broken': The image could not be decoded"], notes: [], cancelled: true },
    });
    await shows("#status", "Cancelled: cut out 2 layers, 1 failed. Undo reverts the run in one step.");
    expect(await ui.locator("#messages li").allTextContents()).toEqual(["'broken': The image could not be decoded"]);

    // The next run gets a new worker, and the model it needs from the UI's memory: nothing is downloaded.
    const beforeNext = harness.cdn.requests.length;
    await ui.locator("#run").click();
    const next = await harness.fromUi<{ run: number }>("run");
    const after = resultOf((await harness.cut(next.run, "after-cancel", CAR, { matteOnly: true })).answer);
    expect(after.id).toBe("after-cancel");
    expect(modelRequests(beforeNext)).toEqual([]);
    await harness.toUi({ type: "run-done", run: next.run, summary: { done: 1, failures: [], notes: [], cancelled: false } });
    await shows("#status", "Cut out 1 layer. Undo reverts the run in one step.");
    await harness.page.locator("iframe").screenshot({ path: path.join(SHOTS, "ui-dark.png") });

    const size = (file: string) => `${(statSync(path.join(plugin, "dist", file)).size / 1024).toFixed(0)} kB`;
    const wasm = ortFile("ort-wasm-simd-threaded.wasm");
    figures.push(
      `sizes: dist/ui.html ${size("ui.html")}, dist/code.js ${size("code.js")}; fetched: onnxruntime-web's WASM ${(wasm.bytes / 1e6).toFixed(1)} MB`,
    );
  });

  it("the remove.bg engine: its request is made by the main thread (no CORS there), with the key in its header, and effects still apply", async () => {
    const fake = await startFakeRemote("figma-key");
    try {
      await harness.launch("light");
      await harness.init({ engine: "remote", mode: "replace", background: "color", bgColor: "#ff0000" }, stats, "figma-key");
      await harness.ui.locator("#run").click();
      const run = await harness.fromUi<{ run: number; settings: PluginSettings }>("run");
      const sent = await harness.toUi({
        type: "job",
        run: run.run,
        job: { id: "remote", index: 0, total: 1, label: "'remote'", bytes: CAR, matteOnly: false },
      });
      // Playing the main thread: Figma's fetch, here Node's, to the stand-in for api.remove.bg.
      const request = await harness.fromUi<{ type: "fetch" } & RelayedRequest>("fetch");
      expect([request.url, request.method, request.headers["x-api-key"]]).toEqual([
        "https://api.remove.bg/v1.0/removebg",
        "POST",
        "figma-key",
      ]);
      const response = await fetch(fake.url, { method: request.method, headers: request.headers, body: request.body as BodyInit });
      const body = new Uint8Array(await response.arrayBuffer());
      await harness.toUi({
        type: "fetch-response",
        id: request.id,
        ok: true,
        status: response.status,
        statusText: response.statusText,
        headers: {},
        body,
      });
      const reply = await harness.fromUi<Answer>("result", "failed");
      const answer = resultOf(reply);
      figures.push(`remote engine (local stand-in): ${seconds(reply.at - sent)}`);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]!.key).toBe("figma-key");
      // The stand-in made the left half transparent; the red background, applied here, shows through there.
      const { data, info } = await sharp(answer.image).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([480, 360]);
      const left = (180 * info.width + 10) * info.channels;
      expect([data[left], data[left + 1], data[left + 2]]).toEqual([255, 0, 0]);
    } finally {
      fake.close();
    }
  });
});
