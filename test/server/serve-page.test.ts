/**
 * The web page at GET / in a real browser (Debian's chromium, driven by
 * playwright-core): drop a photo, choose options, see before and after over
 * a checkerboard, download the result; a bad file shows its error.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharp, tempDir } from "../support/cli";
import { CHROMIUM_ARGS, chromiumPath } from "../support/hosts";
import { CAR, type InProcessServer, startInProcess } from "../support/serve";

const KEY = "page-test-key";
let serve: InProcessServer;
let browser: Browser;
let page: Page;
let work: string;

beforeAll(async () => {
  const executablePath = chromiumPath();
  work = await tempDir("serve-page");
  serve = await startInProcess({ keys: [KEY], engine: { quality: "fast" } });
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  page = await browser.newPage({ acceptDownloads: true });
  await page.goto(serve.url);
  await page.fill("input[name=key]", KEY);
});

afterAll(async () => {
  await browser?.close();
  await serve?.server.close();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

/** Drops files on the drop zone as a user's drag and drop does: a drop event whose DataTransfer holds them. */
async function drop(files: { name: string; type: string; bytes: Buffer }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type, base64: f.bytes.toString("base64") }));
  const transfer = await page.evaluateHandle((items) => {
    const data = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], item.name, { type: item.type }));
    }
    return data;
  }, payload);
  await page.dispatchEvent("#drop", "drop", { dataTransfer: transfer });
}

describe("the web page", () => {
  it("cuts out a dropped photo, shows it over a checkerboard beside the original, and downloads it", async () => {
    await page.selectOption("select[name=format]", "png");
    await page.check("input[name=crop]");
    await drop([{ name: "car.jpg", type: "image/jpeg", bytes: CAR }]);
    const result = page.locator(".result").first();
    await result.locator(".pane.after img").waitFor({ timeout: 120_000 });
    await expect(result.locator(".status").textContent()).resolves.toMatch(/^\d+×\d+, [\d.]+ s$/);
    expect(await result.locator(".pane.before img").count()).toBe(1);
    const seen = await result.locator(".pane.after img").evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext("2d")!;
      context.drawImage(img, 0, 0);
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let transparent = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] === 0) transparent++;
      const pane = getComputedStyle(img.parentElement!).backgroundImage;
      return { width: img.naturalWidth, height: img.naturalHeight, transparent, pane };
    });
    expect(seen.transparent).toBeGreaterThan(0);
    // Cropped to the subject: smaller than the 480x360 photo.
    expect(seen.width).toBeLessThan(480);
    expect(seen.pane).toMatch(/linear-gradient/);
    const [download] = await Promise.all([page.waitForEvent("download"), result.locator("a.download").click()]);
    expect(download.suggestedFilename()).toBe("car.cutout.png");
    const saved = path.join(work, download.suggestedFilename());
    await download.saveAs(saved);
    const meta = await sharp(await fs.readFile(saved)).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(["png", seen.width, seen.height, true]);
  });

  it("takes photos from the file picker, and shows a bad file's error", async () => {
    const broken = path.join(work, "broken.jpg");
    await fs.writeFile(broken, CAR.subarray(0, 200));
    await page.uncheck("input[name=crop]");
    await page.setInputFiles("#files", broken);
    const status = page.locator(".result").first().locator(".status");
    await page.waitForFunction(() => document.querySelector(".result .status")?.classList.contains("error"), null, { timeout: 60_000 });
    expect(await status.textContent()).toMatch(/truncated|invalid|corrupt|not a|cannot/i);
  });
});
