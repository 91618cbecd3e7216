/**
 * The Figma plugin's built UI (packages/figma-plugin/dist/ui.html) in
 * Debian's Chromium, loaded as Figma loads it: into `<iframe
 * sandbox="allow-scripts" srcdoc=…>` (origin "null"), with what
 * `themeColors: true` adds (a figma-light / figma-dark class on <html> and a
 * <style id="figma-style"> of --figma-color-* variables) and a
 * Content-Security-Policy as networkAccess imposes (connections to the
 * allowed domain only; 'wasm-unsafe-eval' for WebAssembly). A harness page
 * plays the main thread's side of postMessage; the CDN stand-in is the
 * browser adapter's (browser-harness.ts), here sending jsDelivr's caching
 * headers so a second launch shows what the browser keeps.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type FrameLocator, type Page } from "playwright-core";
import { DEFAULT_SETTINGS, type EngineStats, type PluginSettings, type UiToMain } from "../../packages/figma-plugin/src/protocol.js";
import { type CdnServer, NPM_CDN_CACHE_CONTROL, startCdn } from "./browser-harness.js";
import { CHROMIUM_ARGS, chromiumPath } from "./hosts.js";

const root = path.resolve(import.meta.dirname, "../..");
export const PLUGIN_DIST = path.join(root, "packages/figma-plugin/dist");

/**
 * Stand-ins for the variables Figma injects (its published light and dark
 * values where known: developers.figma.com/docs/plugins/css-variables); the
 * screenshots show the UI following them, not Figma's exact palette.
 */
const THEMES = {
  light: {
    bg: "#ffffff",
    "bg-secondary": "#f5f5f5",
    "bg-tertiary": "#e6e6e6",
    "bg-brand": "#0d99ff",
    "bg-selected": "#e5f4ff",
    text: "#000000e5",
    "text-secondary": "#00000080",
    "text-onbrand": "#ffffff",
    "text-onselected": "#000000e5",
    "text-danger": "#dc3412",
    border: "#e6e6e6",
    "border-strong": "#2c2c2c",
    "border-selected": "#0d99ff",
  },
  dark: {
    bg: "#2c2c2c",
    "bg-secondary": "#383838",
    "bg-tertiary": "#444444",
    "bg-brand": "#0c8ce9",
    "bg-selected": "#394360",
    text: "#ffffff",
    "text-secondary": "#ffffffb2",
    "text-onbrand": "#ffffff",
    "text-onselected": "#ffffff",
    "text-danger": "#fca397",
    border: "#444444",
    "border-strong": "#ffffff",
    "border-selected": "#0c8ce9",
  },
} as const;

export type Theme = keyof typeof THEMES;

/** ui.html as Figma would put it in the iframe: theme variables and class, and the networkAccess policy for `allowed`. */
export function pluginDocument(theme: Theme, allowed: string, dist = PLUGIN_DIST): string {
  const html = readFileSync(path.join(dist, "ui.html"), "utf8");
  const variables = Object.entries(THEMES[theme])
    .map(([name, value]) => `--figma-color-${name}:${value};`)
    .join("");
  const policy = [
    "default-src 'none'",
    "script-src 'unsafe-inline' 'wasm-unsafe-eval'",
    "worker-src data: blob:",
    `connect-src ${allowed}`,
    "img-src data: blob:",
    "style-src 'unsafe-inline'",
  ].join("; ");
  const injected = `<meta http-equiv="Content-Security-Policy" content="${policy}"><style id="figma-style">:root{${variables}}</style>`;
  if (!html.includes("<head>") || !html.includes('<html lang="en">')) throw new Error("dist/ui.html lacks <html lang=en> or <head>");
  return html.replace('<html lang="en">', `<html lang="en" class="figma-${theme}">`).replace("<head>", `<head>${injected}`);
}

/**
 * The harness page: it creates the plugin's iframe and relays pluginMessages,
 * stamping each with the page's clock. Bytes cross the Playwright boundary as
 * { base64 } and are Uint8Arrays inside the pages.
 */
const HARNESS = `
let frame; const inbox = []; const waiters = [];
const encode = (value) => {
  if (value instanceof Uint8Array) { let s = ""; for (let i = 0; i < value.length; i += 0x8000) s += String.fromCharCode(...value.subarray(i, i + 0x8000)); return { base64: btoa(s) }; }
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
};
const decode = (value) => {
  if (value && typeof value === "object" && typeof value.base64 === "string") return Uint8Array.from(atob(value.base64), (c) => c.charCodeAt(0));
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  return value;
};
const flush = () => {
  for (const waiter of [...waiters]) {
    const i = inbox.findIndex((m) => waiter.types.includes(m.type));
    if (i < 0) continue;
    waiters.splice(waiters.indexOf(waiter), 1);
    waiter.resolve(inbox.splice(i, 1)[0]);
  }
};
addEventListener("message", (event) => {
  if (!frame || event.source !== frame.contentWindow) return;
  const message = event.data && event.data.pluginMessage;
  if (!message) return;
  inbox.push({ ...message, at: performance.now() });
  flush();
});
window.launch = (html) => {
  frame?.remove(); inbox.length = 0;
  frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.style.cssText = "width:300px;height:560px;border:0;display:block";
  frame.srcdoc = html;
  document.body.append(frame);
};
window.toUi = (message) => { frame.contentWindow.postMessage({ pluginMessage: decode(message) }, "*"); return performance.now(); };
window.fromUi = (types) => new Promise((resolve) => { waiters.push({ types, resolve }); flush(); }).then(encode);
window.pending = () => inbox.map((m) => m.type);
window.closePlugin = () => { frame?.remove(); frame = undefined; };
document.body.style.margin = "0";
`;

function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString("base64") };
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  return value;
}

function fromWire(value: unknown): unknown {
  if (value && typeof value === "object" && typeof (value as { base64?: unknown }).base64 === "string") {
    return new Uint8Array(Buffer.from((value as { base64: string }).base64, "base64"));
  }
  if (Array.isArray(value)) return value.map(fromWire);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v)]));
  return value;
}

/** What the UI answers an image with: its result, or why it failed. */
export type Answer = Extract<UiToMain, { type: "result" | "failed" }>;

export interface FigmaHarness {
  browser: Browser;
  page: Page;
  cdn: CdnServer;
  /** The plugin's iframe, for clicks, keys and reading what it shows. */
  ui: FrameLocator;
  /** Opens the plugin (closing the one before, as quitting and running it again does); resolves once the UI said ready. */
  launch(theme: Theme): Promise<void>;
  /** Posts a message to the UI as figma.ui.postMessage does; returns the page's clock at sending. */
  toUi(message: unknown): Promise<number>;
  /** The next message of one of `types` the UI posted, with the page's clock at its arrival (`at`). */
  fromUi<T = Record<string, unknown>>(...types: string[]): Promise<T & { at: number }>;
  /** The main thread's first message: settings (defaults changed by `settings`), timings kept, one image selected, the CDN stand-in. */
  init(settings?: Partial<PluginSettings>, stats?: EngineStats, apiKey?: string): Promise<number>;
  /** Sends one image as the main thread does and waits for the UI's answer; `ms` is the time between, on the page's clock. */
  cut(
    run: number,
    id: string,
    bytes: Uint8Array,
    options?: { matteOnly?: boolean; index?: number; total?: number },
  ): Promise<{ answer: Answer; ms: number }>;
  close(): Promise<void>;
}

/** `dist`: the folder of the plugin's built ui.html (the workspace's, or a release zip's). */
export async function openFigmaHarness(dist = PLUGIN_DIST): Promise<FigmaHarness> {
  const cdn = await startCdn(HARNESS, { cacheControl: NPM_CDN_CACHE_CONTROL });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 300, height: 560 } });
  page.on("console", (message) => {
    // The harness page's own favicon.ico is not there, and need not be.
    if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico"))
      process.stderr.write(`[chromium] ${message.text()}\n`);
  });
  await page.goto(`${cdn.origin}/frame.html`);
  const harness: FigmaHarness = {
    browser,
    page,
    cdn,
    ui: page.frameLocator("iframe"),
    async launch(theme) {
      await page.evaluate(
        (html) => (window as unknown as { launch(h: string): void }).launch(html),
        pluginDocument(theme, cdn.origin, dist),
      );
      await harness.fromUi("ready");
    },
    toUi: (message) => page.evaluate((m) => (window as unknown as { toUi(m: unknown): number }).toUi(m), toWire(message)),
    async fromUi<T>(...types: string[]) {
      const wire = await page.evaluate((t) => (window as unknown as { fromUi(t: string[]): Promise<unknown> }).fromUi(t), types);
      return fromWire(wire) as T & { at: number };
    },
    init: (settings = {}, stats = { cutoutMs: {} }, apiKey = "") =>
      harness.toUi({
        type: "init",
        settings: { ...DEFAULT_SETTINGS, ...settings },
        apiKey,
        stats,
        selection: { images: 1, layers: 1, withoutImage: 0 },
        cdn: cdn.cdn,
      }),
    async cut(run, id, bytes, { matteOnly = false, index = 0, total = 1 } = {}) {
      const sent = await harness.toUi({ type: "job", run, job: { id, index, total, label: `'${id}'`, bytes, matteOnly } });
      const answer = await harness.fromUi<Answer>("result", "failed");
      return { answer, ms: answer.at - sent };
    },
    close: async () => {
      await browser.close();
      await cdn.close();
    },
  };
  return harness;
}
