/**
 * `cutout serve` as a user runs it (the CLI, a process on loopback) with
 * clients nobody wrote for it: the curl commands and the JavaScript sample
 * the services publish, changed only in their base URL; every one of core's
 * remote providers pointed at it; and a graceful shutdown with a request in
 * work.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Remover } from "../../packages/core/src/node/remover.js";
import { fetchRemoteAccount, requestRemoteCutout } from "../../packages/core/src/remote/client.js";
import { REMOTE_PROVIDERS } from "../../packages/core/src/remote/providers.js";
import { sharp, tempDir } from "../support/cli";
import { curlPath } from "../support/hosts";
import { answer, CAR, type ServeProcess, startServe, until } from "../support/serve";
import {
  BGCUT_CURL_ACCOUNT,
  BGCUT_CURL_UPLOAD,
  pointed,
  REMBG_COM_CURL,
  REMBG_CURL_UPLOAD,
  REMBG_CURL_URL,
  REMOVEBG_CURL_JSON,
  REMOVEBG_JS_SAMPLE,
} from "./third-party-clients";

let serve: ServeProcess;
let work: string;
let photo: string;
let curl: string;

beforeAll(async () => {
  curl = curlPath();
  work = await tempDir("serve-clients");
  photo = path.join(work, "car.jpg");
  await fs.writeFile(photo, CAR);
  // No keys: the samples carry their placeholder keys, which an open server ignores. The fast preset halves each inference.
  serve = await startServe(["--quality", "fast", "--fetch-timeout", "5000"], { ready: true });
});

afterAll(async () => {
  serve?.kill();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

function shell(command: string, cwd: string): { code: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync("bash", ["-c", command], {
    cwd,
    env: { ...process.env, PATH: `${path.dirname(curl)}:${process.env.PATH}` },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

async function isCutout(bytes: Buffer, format: string, size: [number, number]) {
  const meta = await sharp(bytes).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual([format, ...size]);
  const { data } = await sharp(bytes).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  expect(data.includes(0), "some pixels transparent").toBe(true);
  expect(data.includes(255), "some pixels opaque").toBe(true);
}

describe("clients written by somebody else, pointed at cutout serve", () => {
  it("remove.bg's JavaScript sample (fetch with FormData)", async () => {
    const dir = await fs.mkdtemp(path.join(work, "js-"));
    await fs.writeFile(path.join(dir, "sample.mjs"), pointed(REMOVEBG_JS_SAMPLE, serve.url, { "/path/to/file.jpg": photo }));
    const run = spawnSync(process.execPath, ["sample.mjs"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    await isCutout(await fs.readFile(path.join(dir, "no-bg.png")), "png", [480, 360]);
  });

  it("BgCut's curl upload (-f, -o no-bg.png) and its account curl", async () => {
    const dir = await fs.mkdtemp(path.join(work, "bgcut-"));
    const upload = shell(pointed(BGCUT_CURL_UPLOAD, serve.url, { "/path/to/file.jpg": photo }), dir);
    expect(upload.code, upload.stderr).toBe(0);
    await isCutout(await fs.readFile(path.join(dir, "no-bg.png")), "png", [480, 360]);
    const account = shell(pointed(BGCUT_CURL_ACCOUNT, serve.url), dir);
    expect(account.code, account.stderr).toBe(0);
    expect(JSON.parse(account.stdout.toString()).data.attributes.credits.total).toEqual(expect.any(Number));
  });

  it("remove.bg's curl with a JSON body naming an image URL, answered in remove.bg's terms", async () => {
    const result = shell(pointed(REMOVEBG_CURL_JSON, serve.url), work);
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout.toString("latin1");
    const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]);
    // No internet here: the server cannot fetch www.remove.bg, and says so the way remove.bg says anything.
    if (status === 200) return;
    expect(status).toBe(400);
    const body = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4));
    expect(body.errors[0].code).toMatch(/^(network_error|timeout|input_unreadable|validation_error)$/);
    expect(body.errors[0].title).toContain("image_url");
  });

  it("rembg.com's curl example, with every one of its fields", async () => {
    const result = shell(pointed(REMBG_COM_CURL, serve.url, { "/path/to/image.jpg": photo }), work);
    expect(result.code, result.stderr).toBe(0);
    const meta = await sharp(result.stdout).metadata();
    // w=800 h=600 without exact_resize: scaled to fit, keeping the 4:3 photo's shape; an opaque white background.
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 800, 600]);
    const { data } = await sharp(result.stdout).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
  });

  it("rembg's README calls to its own server: an upload, and an image URL", async () => {
    const dir = await fs.mkdtemp(path.join(work, "rembg-"));
    const upload = shell(pointed(REMBG_CURL_UPLOAD, serve.url, { "/path/to/input.jpg": photo }), dir);
    expect(upload.code, upload.stderr).toBe(0);
    await isCutout(await fs.readFile(path.join(dir, "output.png")), "png", [480, 360]);
    // http://input.png is the README's placeholder; whatever it resolves to here, the answer is FastAPI-shaped JSON.
    const url = shell(pointed(REMBG_CURL_URL, serve.url), dir);
    expect(url.code).toBe(0);
    const body = JSON.parse(await fs.readFile(path.join(dir, "output.png"), "utf8"));
    expect(body.detail).toBeDefined();
  });
});

describe("core's remote providers against cutout serve", () => {
  for (const provider of Object.keys(REMOTE_PROVIDERS)) {
    it(`${provider}: its protocol, on the server's base URL`, async () => {
      const result = await requestRemoteCutout(CAR, { provider, apiKey: "any-key", url: serve.url });
      await isCutout(Buffer.from(result.image), "png", [480, 360]);
      if (REMOTE_PROVIDERS[provider]!.account && provider !== "rembg-com") {
        const account = await fetchRemoteAccount({ provider, apiKey: "any-key", url: serve.url });
        expect(account).toMatchObject({ provider, credits: { total: expect.any(Number) } });
      }
    });
  }

  it("runs as the remote engine of another Cutout, which says so and reports no credits charged", async () => {
    const remover = new Remover({ engine: "remote", remote: { provider: "cutout", apiKey: "any-key", url: serve.url } });
    const result = await remover.remove(CAR, { bgColor: "#00ff00", format: "jpg" });
    expect(result).toMatchObject({ engine: "remote", model: "remote:cutout", creditsCharged: 0, width: 480, height: 360 });
  });
});

describe("shutdown", () => {
  it("on SIGTERM finishes the request in work, takes no new one, and exits 0", async () => {
    const large = await sharp(CAR).resize(3000, 2250).jpeg().toBuffer();
    const body = new FormData();
    body.append("image_file", new Blob([large as BlobPart]), "large.jpg");
    const inWork = fetch(`${serve.url}/v1.0/removebg`, { method: "POST", body }).then(answer);
    await until(async () => (await fetch(`${serve.url}/healthz`).then(answer)).json.queue.running === 1, "the request in work");
    const exited = serve.stop("SIGTERM");
    const finished = await inWork;
    expect(finished.status).toBe(200);
    expect((await sharp(finished.bytes).metadata()).width).toBe(3000);
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(serve.stderr()).toMatch(/SIGTERM: finishing 1 request\(s\)/);
    const after = await fetch(`${serve.url}/healthz`).catch((error: Error) => error);
    expect(after).toBeInstanceOf(Error);
  });
});
