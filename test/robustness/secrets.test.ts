/**
 * A known fake API key through the error paths of every host: the core API,
 * the CLI (CUTOUT_API_KEY) and the packaged action (input api-key), against a
 * local remove.bg-style server that fails in every way it can and echoes the
 * key back in each failure. The key must appear in no log line, error
 * message (nor its cause chain), output, job summary, output file or
 * metadata. The action alone prints it once: in its ::add-mask:: command,
 * which tells the runner to mask it everywhere after.
 */
import { once } from "node:events";
import fs from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CutoutError } from "../../packages/core/src/errors.js";
import { Remover } from "../../packages/core/src/node/remover.js";
import { node24 } from "../support/action-node24";
import { packageAction, runAction, workflowCommands } from "../support/action-runner";
import { buildOnce, FIXTURES, listFiles, runCli, sharp } from "../support/cli";

const KEY = "sk-robustness-FAKE-7f3a91c2d4e5b6a7-DO-NOT-LOG";

/** Failure endpoints, the code each must come back as, and whether the CLI and action can reach it. */
const FAILURES: { path: string; code: string }[] = [
  { path: "/auth", code: "remote_auth_failed" },
  { path: "/quota", code: "remote_quota_exceeded" },
  { path: "/rate", code: "remote_rate_limited" },
  { path: "/server", code: "remote_error" },
  { path: "/garbage", code: "remote_error" },
  { path: "/bomb", code: "remote_error" },
  { path: "/bad-request", code: "invalid_image" },
];

let server: Server;
let base: string;
let work: string;
const received: { path: string; key: string | undefined }[] = [];

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const key = req.headers["x-api-key"] as string | undefined;
  const where = (req.url ?? "").split("?")[0]!;
  received.push({ path: where, key });
  const echo = `for key ${key} (X-Api-Key: ${key})`;
  const json = (status: number, code: string, title: string): void => {
    res
      .writeHead(status, { "content-type": "application/json", "x-echo-key": String(key) })
      .end(JSON.stringify({ errors: [{ title, code, detail: echo }] }));
  };
  switch (where) {
    case "/auth":
      return json(403, "auth_failed", `API Key invalid ${echo}`);
    case "/quota":
      return json(402, "insufficient_credits", `No credits left ${echo}`);
    case "/rate":
      return json(429, "rate_limit_exceeded", `Slow down ${echo}`);
    case "/bad-request":
      return json(400, "invalid_file", `Cannot read the image ${echo}`);
    case "/server":
      res.writeHead(500, { "content-type": "text/plain" }).end(`internal error ${echo}\n${key}`);
      return;
    case "/garbage":
      res.writeHead(200, { "content-type": "image/png" }).end(`${key} is not a PNG`);
      return;
    case "/bomb": {
      // A PNG whose header claims 100000x100000: the remote answer is untrusted input too.
      const png = Buffer.from(
        await sharp({ create: { width: 8, height: 8, channels: 4, background: "red" } })
          .png()
          .toBuffer(),
      );
      png.writeUInt32BE(100_000, 16);
      png.writeUInt32BE(100_000, 20);
      res.writeHead(200, { "content-type": "image/png" }).end(png);
      return;
    }
    case "/slow":
      return; // never answers
    case "/ok": {
      const image = (
        await new Response(Buffer.concat(chunks), { headers: { "content-type": req.headers["content-type"] ?? "" } }).formData()
      ).get("image_file") as Blob;
      const { data, info } = await sharp(Buffer.from(await image.arrayBuffer()))
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      for (let y = 0; y < info.height; y++) for (let x = 0; x < info.width / 2; x++) data[(y * info.width + x) * 4 + 3] = 0;
      res.writeHead(200, { "content-type": "image/png" }).end(
        await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
          .png()
          .toBuffer(),
      );
      return;
    }
    default:
      res.writeHead(404).end(`no ${where} ${echo}`);
  }
}

beforeAll(async () => {
  buildOnce();
  server = createServer((req, res) => {
    handle(req, res).catch((error) => res.writeHead(500).end(String(error)));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await fs.mkdtemp(path.join(os.tmpdir(), "cutout-secrets-"));
});

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

/** Every file under `dir`, searched for the key as bytes. */
async function expectKeyInNoFile(dir: string): Promise<void> {
  for (const file of await listFiles(dir)) {
    const bytes = await fs.readFile(path.join(dir, file));
    expect(bytes.includes(Buffer.from(KEY)), `${file} holds the key`).toBe(false);
  }
}

/** The key, whole, nowhere in this text. */
function expectNoKey(text: string, what: string): void {
  expect(text.includes(KEY), `${what} shows the key:\n${text}`).toBe(false);
}

describe("core API", () => {
  const photo = () => fs.readFile(path.join(FIXTURES, "car-1.jpg"));

  it("every remote failure is a coded error that never carries the key, however it is printed", async () => {
    const cases = [
      ...FAILURES.map((f) => ({ ...f, url: `${base}${f.path}` })),
      { path: "/slow", code: "timeout", url: `${base}/slow` },
      { path: "closed port", code: "network_error", url: "http://127.0.0.1:9/v1.0/removebg" },
    ];
    for (const c of cases) {
      const remover = new Remover({ engine: "remote", remote: { apiKey: KEY, url: c.url, timeoutMs: 500 } });
      const error = await remover.remove(await photo()).catch((e: unknown) => e);
      expect(error, c.path).toBeInstanceOf(CutoutError);
      expect((error as CutoutError).code, `${c.path}: ${(error as Error).message}`).toBe(c.code);
      // What a host might log: the message, the JSON form, the full inspection with stack and causes.
      expectNoKey((error as Error).message, `${c.path}: message`);
      expectNoKey(JSON.stringify(error), `${c.path}: JSON`);
      expectNoKey(inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }), `${c.path}: inspect`);
      expectNoKey(String((error as Error).stack), `${c.path}: stack`);
    }
    // The key did go out, in the header, so the checks above mean something.
    expect(received.filter((r) => r.key === KEY).length).toBeGreaterThanOrEqual(FAILURES.length);
  });

  it("engine auto, falling back from a model that cannot load, keeps the key out of warnings, metadata and output", async () => {
    const remover = new Remover({ engine: "auto", modelPath: path.join(work, "missing.onnx"), remote: { apiKey: KEY, url: `${base}/ok` } });
    const result = await remover.remove(await photo());
    expect(result.engine).toBe("remote");
    expect(result.warnings.join()).toMatch(/remote/);
    const { data, alpha, ...metadata } = result;
    expectNoKey(JSON.stringify(metadata), "result metadata");
    expect(data.includes(Buffer.from(KEY))).toBe(false);

    const failing = new Remover({
      engine: "auto",
      modelPath: path.join(work, "missing.onnx"),
      remote: { apiKey: KEY, url: `${base}/auth` },
    });
    const error = await failing.remove(await photo()).catch((e: unknown) => e);
    expect((error as CutoutError).code).toBe("remote_auth_failed");
    expectNoKey(inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }), "auto: inspect");
  });
});

describe("CLI", () => {
  it("with CUTOUT_API_KEY, no failure shows the key on stdout, stderr or in any file", async () => {
    const dir = path.join(work, "cli");
    await fs.mkdir(dir, { recursive: true });
    for (const name of ["a.jpg", "b.jpg"]) await fs.copyFile(path.join(FIXTURES, "car-1.jpg"), path.join(dir, name));
    const cases = [
      ...FAILURES.map((f) => ({ ...f, args: ["--engine", "remote", "--remote-url", `${base}${f.path}`] })),
      { path: "closed port", code: "network_error", args: ["--engine", "remote", "--remote-url", "http://127.0.0.1:9/x"] },
      // auto: the model cannot load, and the remote fallback fails too.
      {
        path: "auto /auth",
        code: "remote_auth_failed",
        args: ["--engine", "auto", "--model-path", "missing.onnx", "--remote-url", `${base}/auth`],
      },
      // Neither the progress output nor a success line: a good run, for contrast.
      { path: "/ok", code: "ok", args: ["--engine", "remote", "--remote-url", `${base}/ok`] },
    ];
    for (const c of cases) {
      for (const json of [["--json"], []]) {
        // Retries are the core API test's concern; here only what each failure prints.
        const args = ["a.jpg", "b.jpg", "-o", "out/", "--remote-retries", "0", ...json, ...c.args];
        const result = await runCli(args, { cwd: dir, env: { CUTOUT_API_KEY: KEY } });
        const shown = `${c.path} ${json.join(" ")}`;
        expect(result.code, `${shown}: ${result.stderr}`).toBe(c.code === "ok" ? 0 : 1);
        if (c.code !== "ok") expect(result.stderr, shown).toContain(c.code);
        expectNoKey(result.stdout.toString("utf8"), `${shown}: stdout`);
        expectNoKey(result.stderr, `${shown}: stderr`);
        expect(result.stderr, shown).not.toMatch(/internal error|\s{4}at /);
      }
    }
    await expectKeyInNoFile(dir);
  });
});

describe("GitHub Action", () => {
  it("with input api-key, prints the key only in its ::add-mask:: command; outputs, summary and files never hold it", async () => {
    const actionDir = packageAction(path.join(work, "runner", "_actions", "cutout", "v1"));
    const workspace = path.join(work, "workspace");
    await fs.mkdir(path.join(workspace, "photos"), { recursive: true });
    for (const name of ["a.jpg", "b.jpg"]) await fs.copyFile(path.join(FIXTURES, "car-1.jpg"), path.join(workspace, "photos", name));
    const node = node24();
    const cases = [...FAILURES.map((f) => ({ ...f, url: `${base}${f.path}` })), { path: "/ok", code: "ok", url: `${base}/ok` }];
    for (const c of cases) {
      const run = await runAction({
        actionDir,
        workspace,
        node: node.path,
        eventName: "workflow_dispatch",
        event: {},
        with: { paths: "photos/*.jpg", engine: "remote", "remote-url": c.url, "api-key": KEY, "fail-on-error": "false" },
      });
      expect(run.code, `${c.path}: ${run.stdout}`).toBe(0);
      const files = JSON.parse(run.outputs.files ?? "[]") as { status: string; error?: { code: string } }[];
      expect(
        files.map((f) => f.error?.code ?? f.status),
        c.path,
      ).toEqual(c.code === "ok" ? ["processed", "processed"] : [c.code, c.code]);
      // Exactly once: the first line, the mask command itself.
      expect(run.stdout.split("\n")[0], c.path).toBe(`::add-mask::${KEY}`);
      expect(run.stdout.split(KEY).length, `${c.path}: the key appears once in stdout`).toBe(2);
      expect(workflowCommands(run.stdout).filter((cmd) => cmd.message.includes(KEY) && cmd.name !== "add-mask")).toEqual([]);
      expectNoKey(run.stderr, `${c.path}: stderr`);
      expectNoKey(JSON.stringify(run.outputs), `${c.path}: outputs`);
      expectNoKey(run.summary, `${c.path}: summary`);
      if (c.code === "ok") await fs.rm(path.join(workspace, "photos", "a.cutout.png"));
    }
    await expectKeyInNoFile(workspace);
  });
});
