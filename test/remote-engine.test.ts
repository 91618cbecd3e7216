/**
 * The remote fallback against a real HTTP server that speaks remove.bg's
 * protocol (multipart upload, X-Api-Key, PNG back, JSON errors). The server
 * "cuts out" the left half of whatever it receives, so results are exact.
 */
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CutoutError } from "../packages/core/src/errors.js";
import { Remover } from "../packages/core/src/node/remover.js";
import { FIXTURES, runCli, sharp, tempDir } from "./support/cli";

const KEY = "sk_test_cutout_0123456789";
const photo = readFileSync(path.join(FIXTURES, "car-1.jpg"));
let server: Server;
let url: string;
const seen: { key?: string; fields: Record<string, string> }[] = [];

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const form = await new Response(Buffer.concat(chunks), { headers: { "content-type": req.headers["content-type"] ?? "" } }).formData();
  const fields: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
  const key = req.headers["x-api-key"] as string | undefined;
  seen.push({ key, fields });
  const fail = (status: number, code: string, title: string) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ title, code }] }));
  };
  if (req.url?.startsWith("/slow")) return; // never answers
  if (key === "bad") return fail(403, "auth_failed", "API Key invalid");
  if (key === "poor") return fail(402, "insufficient_credits", "Insufficient credits");
  if (key === "busy") return fail(429, "rate_limit_exceeded", "Rate limit exceeded");
  if (key === "wall") return fail(400, "unknown_foreground", "Could not identify foreground in image");
  if (key?.startsWith("echo")) return fail(500, "server_error", `internal error for key ${key}`);
  if (key !== KEY) return fail(500, "server_error", `unexpected key ${key}`);
  const image = form.get("image_file") as Blob;
  const { data, info } = await sharp(Buffer.from(await image.arrayBuffer()))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (let y = 0; y < info.height; y++) for (let x = 0; x < info.width / 2; x++) data[(y * info.width + x) * 4 + 3] = 0;
  const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
    .png()
    .toBuffer();
  res.writeHead(200, { "content-type": "image/png" }).end(png);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((error) => res.writeHead(500).end(String(error)));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0/removebg`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: CutoutError) => e.code,
  );

describe("remote engine", () => {
  it("cuts out through the API, sending the key in the header, and applies effects locally", async () => {
    const remover = new Remover({ engine: "remote", remote: { apiKey: KEY, url } });
    const result = await remover.remove(photo, { bgColor: "#00ff00", format: "png" });
    expect(result.engine).toBe("remote");
    expect(result.model).toBe("remote:removebg");
    expect(seen.at(-1)).toMatchObject({ key: KEY, fields: { size: "full", format: "png" } });
    const out = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
    expect([out.info.width, out.info.height]).toEqual([480, 360]);
    // Left half: the server removed it, so our green background shows; right half keeps the photo.
    expect([...out.data.subarray(0, 3)]).toEqual([0, 255, 0]);
    const right = (100 * 480 + 400) * out.info.channels;
    expect([...out.data.subarray(right, right + 3)]).not.toEqual([0, 255, 0]);
    expect(result.foreground).toEqual({ left: 240, top: 0, width: 240, height: 360 });
    expect(JSON.stringify({ ...result, data: undefined, alpha: undefined })).not.toContain(KEY);
  });

  it("maps the API's failures onto stable codes and never repeats the key", async () => {
    const run = (apiKey: string, at = url, timeoutMs?: number) =>
      new Remover({ engine: "remote", remote: { apiKey, url: at, ...(timeoutMs ? { timeoutMs } : {}) } }).remove(photo);
    expect(await code(run("bad"))).toBe("remote_auth_failed");
    expect(await code(run("poor"))).toBe("remote_quota_exceeded");
    expect(await code(run("busy"))).toBe("remote_rate_limited");
    expect(await code(run("wall"))).toBe("no_foreground");
    expect(await code(run(KEY, url.replace("/v1.0", "/slow"), 300))).toBe("timeout");
    expect(await code(run(KEY, "http://127.0.0.1:9/v1.0/removebg"))).toBe("network_error");
    const echoed = await run("echo-sk_live_secret42").catch((e: CutoutError) => e);
    expect((echoed as CutoutError).code).toBe("remote_error");
    expect((echoed as CutoutError).message).not.toContain("echo-sk_live_secret42");
    expect((echoed as CutoutError).message).toContain("internal error for key ***");
  });

  it("needs a key for engine remote, and refuses unknown engines", () => {
    expect(() => new Remover({ engine: "remote" })).toThrow(CutoutError);
    expect(() => new Remover({ engine: "cloud" as never })).toThrow(/engine/);
  });

  it("auto falls back to the API when the model cannot be loaded, and says so", async () => {
    const remover = new Remover({ engine: "auto", modelPath: "/nonexistent/model.onnx", remote: { apiKey: KEY, url } });
    const result = await remover.remove(photo);
    expect(result.engine).toBe("remote");
    expect(result.warnings.join()).toMatch(/model_unavailable.*remote/);
    // Without a remote configured, auto is plain local and the model error stands.
    expect(await code(new Remover({ engine: "auto", modelPath: "/nonexistent/model.onnx" }).remove(photo))).toBe("model_unavailable");
  });

  it("works from the CLI with the key in CUTOUT_API_KEY, which never reaches the output", async () => {
    const dir = await tempDir("remote-cli");
    const bad = await runCli(["-", "--engine", "remote", "--remote-url", url, "-o", path.join(dir, "x.png"), "--json"], {
      cwd: dir,
      stdin: photo,
      env: { CUTOUT_API_KEY: "bad" },
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/remote_auth_failed/);
    const good = await runCli(["-", "--engine", "remote", "--remote-url", url, "-o", path.join(dir, "x.png"), "--json"], {
      cwd: dir,
      stdin: photo,
      env: { CUTOUT_API_KEY: KEY },
    });
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout.toString()).toContain('"engine":"remote"');
    for (const text of [good.stdout.toString(), good.stderr, bad.stdout.toString(), bad.stderr]) expect(text).not.toContain(KEY);
    expect(readFileSync(path.join(dir, "x.png")).includes(Buffer.from(KEY))).toBe(false);
    const noKey = await runCli(["-", "--engine", "remote", "-o", path.join(dir, "y.png")], {
      cwd: dir,
      stdin: photo,
      env: { CUTOUT_API_KEY: "" },
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/apiKey|API key/);
  });
});
