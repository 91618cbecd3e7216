/**
 * The remote fallback against a real HTTP server that speaks remove.bg's
 * protocol (multipart upload, X-Api-Key, PNG back, JSON errors). The server
 * "cuts out" the left half of whatever it receives, so results are exact.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CutoutError } from "../packages/core/src/errors.js";
import { Remover } from "../packages/core/src/node/remover.js";
import { type FakeFailure, type FakeRemote, startFakeRemote } from "./support/action-remote";
import { FIXTURES, runCli, sharp, tempDir } from "./support/cli";

const KEY = "sk_test_cutout_0123456789";
const photo = readFileSync(path.join(FIXTURES, "car-1.jpg"));
let remote: FakeRemote;
let url: string;

/** The provider's failure modes, chosen by key (or path, for a server that never answers). */
function failure(key: string | undefined, path: string): FakeFailure | "hang" | undefined {
  if (path.startsWith("/slow")) return "hang";
  if (key === "poor") return { status: 402, code: "insufficient_credits", title: "Insufficient credits" };
  if (key === "busy") return { status: 429, code: "rate_limit_exceeded", title: "Rate limit exceeded" };
  if (key === "wall") return { status: 400, code: "unknown_foreground", title: "Could not identify foreground in image" };
  if (key?.startsWith("echo")) return { status: 500, code: "server_error", title: `internal error for key ${key}` };
  return undefined;
}

beforeAll(async () => {
  remote = await startFakeRemote(KEY, failure);
  url = remote.url;
});
afterAll(() => remote.close());

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
    expect(remote.requests.at(-1)).toMatchObject({ key: KEY, fields: { size: "full", format: "png" } });
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
    // No retries: the codes are the concern here (the CLI test below counts the retries).
    const run = (apiKey: string, at = url, timeoutMs?: number) =>
      new Remover({ engine: "remote", remote: { apiKey, url: at, retries: 0, ...(timeoutMs ? { timeoutMs } : {}) } }).remove(photo);
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

  it("--remote-retries: how many times a 5xx is tried again (default 2); 0 gives up at once; a bad count is a usage error", async () => {
    const dir = await tempDir("remote-retries");
    const tries = async (extra: string[]) => {
      const before = remote.requests.length;
      const run = await runCli(["-", "--engine", "remote", "--remote-url", url, "-o", path.join(dir, "z.png"), ...extra], {
        cwd: dir,
        stdin: photo,
        env: { CUTOUT_API_KEY: "echo-retries" },
      });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/remote_error/);
      return remote.requests.length - before;
    };
    expect(await tries(["--remote-retries", "0"])).toBe(1);
    expect(await tries(["--remote-retries", "1"])).toBe(2);
    expect(await tries([])).toBe(3);
    const bad = await runCli(["car-1.jpg", "--engine", "remote", "--remote-retries=-1"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--remote-retries expects a whole number, 0 or more, got '-1'");
    const dash = await runCli(["car-1.jpg", "--remote-retries", "-1"], { cwd: dir });
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain("--remote-retries needs a value; for one that starts with a dash, write --remote-retries=-…");
  });
});
