/**
 * The VS Code extension in real VS Code: code-server 4.139.1 (Code 1.139.1)
 * from the npm registry, with the release .vsix (packed by `pnpm pack:all`
 * once for the run) installed by `code-server --install-extension`, driven in
 * Debian's chromium. A workspace path with a space and a unicode character
 * holds two real photos; the test right-clicks them in the explorer as a user
 * would, checks the files written against the CLI's cutouts of the same
 * photos, and opens Compare.
 *
 * Screenshots go to test/.tmp/vscode/; with UPDATE_SCREENSHOTS=1 they also
 * replace the README's (packages/vscode-extension/docs/).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, chromium, type Frame, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decode, FIXTURES, jsonLines, ROOT, runCli } from "../support/cli";
import { type CodeServer, installExtension, startCodeServer } from "../support/code-server";
import { CHROMIUM_ARGS, chromiumPath, node24 } from "../support/hosts";
import { iouAtHalf } from "../support/mattes";
import { artifacts } from "../support/release-artifacts";

const SHOTS = path.join(ROOT, "test", ".tmp", "vscode");
const DOCS = path.join(ROOT, "packages", "vscode-extension", "docs");
const CPU = spawnSync("grep", ["-o", "-m1", "-w", "-E", "avx512_vnni|avx512f|avx2", "/proc/cpuinfo"], { encoding: "utf8" })
  .stdout.trim()
  .split("\n")
  .join(", ");

const CAR = "car ü 1.jpg";
const GIRL = "anime girl ü.jpg";

let home: string;
let workspace: string;
let photos: string;
let vsix: { file: string; bytes: number };

let server: CodeServer;
let browser: Browser;
let page: Page;
const started = performance.now();
const timings: Record<string, number> = {};

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), "cutout-code-server-"));
  workspace = path.join(home, "work space ü");
  photos = path.join(workspace, "photos ü");
  mkdirSync(photos, { recursive: true });
  copyFileSync(path.join(FIXTURES, "car-1.jpg"), path.join(photos, CAR));
  copyFileSync(path.join(FIXTURES, "anime-girl-1.jpg"), path.join(photos, GIRL));
  mkdirSync(SHOTS, { recursive: true });

  // The .vsix `pnpm pack:all` packs for a release.
  vsix = { file: artifacts().vsix, bytes: statSync(artifacts().vsix).size };
  const installed = installExtension(path.join(home, "code-server"), vsix.file);
  expect(installed).toMatch(/successfully installed/);
  server = await startCodeServer(path.join(home, "code-server"));
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 120_000 });
  await page.getByRole("treeitem", { name: "photos ü", exact: true }).click({ timeout: 120_000 });
  await treeItem(CAR).waitFor();
}, 1_800_000);

afterEach(async (context) => {
  if (context.task.result?.state === "fail" && page) {
    await page
      .screenshot({ path: path.join(SHOTS, `failed-${context.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, "-")}.png`) })
      .catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  const total = (performance.now() - started) / 1000;
  process.stdout.write(`[vscode] real-host test: ${total.toFixed(1)} s in all (CPU ${CPU}); ${JSON.stringify(timings)}\n`);
  if (home) rmSync(home, { recursive: true, force: true });
});

function treeItem(name: string) {
  return page.getByRole("treeitem", { name, exact: true });
}

/**
 * Right-clicks an explorer item and finds `entry` in its menu. Until the
 * extension host has registered the extension's contributions, the menu opens
 * without them (as a user clicking that early sees it): it is then closed and
 * opened again. Each step waits for the menu itself, however slow the machine.
 */
async function openMenu(name: string, entry: string) {
  const menu = page.locator(".context-view .monaco-menu");
  const item = page.getByRole("menuitem", { name: entry, exact: true });
  for (let tries = 0; ; tries++) {
    await treeItem(name).click({ button: "right" });
    await menu.waitFor({ timeout: 120_000 });
    if ((await item.count()) > 0) return item;
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "hidden", timeout: 120_000 });
    if (tries === 60) throw new Error(`the explorer's menu never offered '${entry}'`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Right-clicks an explorer item (keeping the selection it is in) and picks a
 * menu entry: pointed at, then Enter. (A synthetic click on a menu that has
 * only just opened is sometimes dropped by the workbench when the machine is
 * busy, leaving the entry highlighted and the menu open.) Resolves to the time
 * of the choice, once the menu has closed.
 */
async function contextMenu(name: string, entry: string): Promise<number> {
  const item = await openMenu(name, entry);
  await item.hover();
  const chosen = performance.now();
  await page.keyboard.press("Enter");
  await page.locator(".context-view .monaco-menu").waitFor({ state: "hidden", timeout: 120_000 });
  return chosen;
}

/** Milliseconds until `file` exists (polled every 20 ms): the time a user waits from the click. */
async function fileAppears(file: string, since: number): Promise<number> {
  for (;;) {
    if (existsSync(file)) return performance.now() - since;
    if (performance.now() - since > 170_000) throw new Error(`${file} never appeared; code-server said:\n${server.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Remove background on one explorer item: the time from the click to the file.
 * Returns once the run is over (its notification shows, after the explorer
 * revealed the file), so the next click lands on a settled explorer.
 */
async function removeBackground(name: string, output: string): Promise<number> {
  await treeItem(name).click();
  const ms = await fileAppears(output, await contextMenu(name, "Remove background"));
  await toast(`Cutout: wrote ${path.basename(output)}`);
  return ms;
}

/** Waits for a notification with this text. */
async function toast(text: string): Promise<void> {
  await page.locator(".notification-toast").filter({ hasText: text }).first().waitFor({ timeout: 120_000 });
}

/** The extension's Output channel, as VS Code writes it under the user data folder's logs. */
function cutoutLog(): string {
  const logs = path.join(server.userDataDir, "logs");
  const found = readdirSync(logs, { recursive: true, withFileTypes: true }).find((e) => e.isFile() && e.name === "Cutout.log");
  return found ? readFileSync(path.join(found.parentPath, found.name), "utf8") : "";
}

describe("the .vsix", () => {
  it("holds linux-x64's native modules only, and no CUDA or TensorRT files", () => {
    const listing = spawnSync(
      "python3",
      ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", vsix.file],
      {
        encoding: "utf8",
      },
    );
    const files = listing.stdout.split("\n").filter(Boolean);
    const natives = files.filter((f) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(f));
    expect(natives.sort()).toEqual(
      [
        "extension/dist/node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.17.3",
        "extension/dist/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node",
        "extension/dist/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1",
        "extension/dist/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node",
      ].sort(),
    );
    expect(files.filter((f) => /cuda|tensorrt|providers_shared/i.test(f))).toEqual([]);
    expect(files).toContain("extension/dist/extension.js");
    expect(files).toContain("extension/dist/engine.js");
    expect(files).toContain("extension/media/compare.js");
    const manifest = spawnSync("unzip", ["-p", vsix.file, "extension/package.json"], { encoding: "utf8" }).stdout;
    const version = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
    expect(JSON.parse(manifest)).toMatchObject({ name: "cutout", publisher: "cutout", version, extensionKind: ["workspace"] });
    timings.vsixMB = Number((vsix.bytes / 1e6).toFixed(1));
    process.stdout.write(`[vscode] ${path.basename(vsix.file)}: ${(vsix.bytes / 1e6).toFixed(1)} MB\n`);
  });
});

describe("in code-server", () => {
  it("the explorer's context menu and an image editor's title bar offer the commands", async () => {
    await openMenu(CAR, "Compare with cutout");
    try {
      const entries = (await page.getByRole("menuitem").allInnerTexts()).map((t) => t.split("\n")[0]);
      expect(entries).toEqual(expect.arrayContaining(["Remove background", "Remove background with options…", "Compare with cutout"]));
      await page.screenshot({ path: path.join(SHOTS, "context-menu.png") });
    } finally {
      await page.keyboard.press("Escape");
    }
    // The image opened in VS Code's image preview: Remove background is in its title bar.
    await treeItem(CAR).dblclick();
    await page.locator('.editor-actions [aria-label="Remove background"]').waitFor();
    // Loaded (its size in the status bar): the preview takes the focus when it loads, which would close a menu opened earlier.
    await page.locator(".statusbar").getByText("480x360").waitFor({ timeout: 120_000 });
  });

  it("Remove background writes <name>.cutout.png beside each photo; a first and a second image, timed from the click", async () => {
    timings.firstImageMs = Math.round(await removeBackground(CAR, path.join(photos, "car ü 1.cutout.png")));
    timings.secondImageMs = Math.round(await removeBackground(GIRL, path.join(photos, "anime girl ü.cutout.png")));
    process.stdout.write(
      `[vscode] click to file (CPU ${CPU}): first image ${timings.firstImageMs} ms (starts the engine, loads the model), second ${timings.secondImageMs} ms\n`,
    );
    // The notification of the last one, with its actions.
    const last = page.locator(".notification-toast").filter({ hasText: "Cutout: wrote anime girl ü.cutout.png" });
    expect((await last.getByRole("button").allInnerTexts()).filter(Boolean)).toEqual(["Open", "Compare"]);
  });

  it("the cutouts agree with the CLI's on the same photos", async () => {
    const cli = path.join(home, "cli");
    const result = await runCli([path.join(photos, CAR), path.join(photos, GIRL), "-o", `${cli}/`, "-q", "--json"], { cwd: home });
    expect(result.code, result.stderr).toBe(0);
    // The baseline for the click-to-file times: the CLI's own time per photo, on this machine, in this run.
    const totals = jsonLines(result.stdout).map((line) => Math.round(line.timings?.total ?? Number.NaN));
    process.stdout.write(
      `[vscode] the CLI on the same photos (CPU ${CPU}): ${totals.join(" ms, ")} ms (first with the model's load); the whole CLI run ${Math.round(result.ms)} ms\n`,
    );

    for (const name of ["car ü 1", "anime girl ü"]) {
      const ours = await decode(path.join(photos, `${name}.cutout.png`));
      const theirs = await decode(path.join(cli, `${name}.cutout.png`));
      expect([ours.width, ours.height, ours.channels]).toEqual([theirs.width, theirs.height, 4]);
      const alpha = (d: typeof ours) => Uint8Array.from({ length: d.width * d.height }, (_, i) => d.data[i * 4 + 3]!);
      const [a, b] = [alpha(ours), alpha(theirs)];
      let diff = 0;
      for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
      const mean = diff / a.length;
      process.stdout.write(
        `[vscode] ${name}: IoU ${iouAtHalf(a, b).toFixed(5)} and mean |alpha difference| ${mean.toFixed(3)} against the CLI\n`,
      );
      // The same engine, model and defaults: the same matte.
      expect(iouAtHalf(a, b), name).toBeGreaterThanOrEqual(0.999);
      expect(mean, name).toBeLessThan(0.5);
    }
  });

  it("runs on code-server's Node 24, where onnxruntime-node and sharp load", () => {
    const log = cutoutLog();
    expect(log).toContain(`extension host: Node ${node24().version}, linux-x64`);
    expect(log).toMatch(/car ü 1\.cutout\.png \(480x360 png, local isnet-fp16/);
    // The engine's own time per image (the click-to-file times add the UI and the IPC to it).
    const written = log.split("\n").filter((l) => l.includes(".cutout.png ("));
    process.stdout.write(`[vscode] the extension's log:\n${written.slice(0, 2).join("\n")}\n`);
  });

  it("never overwrites: a second run on the same photo writes <name>.cutout-1.png", async () => {
    const before = statSync(path.join(photos, "car ü 1.cutout.png")).mtimeMs;
    await removeBackground(CAR, path.join(photos, "car ü 1.cutout-1.png"));
    expect(statSync(path.join(photos, "car ü 1.cutout.png")).mtimeMs).toBe(before);
  });

  it("several selected photos: one run writes them all", async () => {
    await treeItem(CAR).click();
    await treeItem(GIRL).click({ modifiers: ["ControlOrMeta"] });
    const since = await contextMenu(GIRL, "Remove background");
    await fileAppears(path.join(photos, "car ü 1.cutout-2.png"), since);
    await fileAppears(path.join(photos, "anime girl ü.cutout-1.png"), since);
    await toast("Cutout: cut out 2 of 2 images.");
  });

  it("Compare shows the photo and its cutout in a webview", async () => {
    await treeItem(CAR).click();
    await contextMenu(CAR, "Compare with cutout");
    const frame = await webviewFrame();
    for (const id of ["#before", "#after"]) {
      await expect.poll(() => frame.locator(id).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);
    }
    // The slider moves the split.
    await frame.locator("#split").fill("65");
    expect(await frame.locator("#view").evaluate((el) => getComputedStyle(el).getPropertyValue("--split").trim())).toBe("65");
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SHOTS, "compare.png") });
    await frame.locator("#mode-sides").click();
    expect(await frame.locator("#view").getAttribute("class")).toBe("sides");
    await page.screenshot({ path: path.join(SHOTS, "compare-side-by-side.png") });
    if (process.env.UPDATE_SCREENSHOTS === "1") {
      for (const shot of ["context-menu.png", "compare.png"]) copyFileSync(path.join(SHOTS, shot), path.join(DOCS, shot));
    }
  });
});

/** The Compare page: VS Code nests a webview's content in an iframe inside its own iframe. */
async function webviewFrame(): Promise<Frame> {
  for (let tries = 0; tries < 600; tries++) {
    for (const frame of page.frames()) {
      if (
        await frame
          .locator("#split")
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the Compare webview never showed its page");
}
