/**
 * The server's hardening with the real model over loopback HTTP: API keys in
 * every protocol's 401 shape, remove.bg's megapixel rate limit and its
 * headers, the bounded queue (503 with Retry-After) and a waiting request
 * whose client went away being dropped, not computed; the access log.
 * Waits are on the server's own state (/healthz), never on the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyRing, loadKeys } from "../../packages/core/src/server/keys.js";
import { sharp } from "../support/cli";
import { answer, CAR, form, type InProcessServer, startInProcess, until } from "../support/serve";

const KEYS = ["rate-key-1", "queue-key-1", "queue-key-2", "queue-key-3", "gone-key-1", "gone-key-2", "plain-key"];
let serve: InProcessServer;
/** The car photo upscaled to 6.75 MP: slow enough that a second request is sure to wait behind it. */
let large: Buffer;

beforeAll(async () => {
  large = await sharp(CAR).resize(3000, 2250).jpeg().toBuffer();
  serve = await startInProcess({ keys: KEYS, rateLimit: 3, queueSize: 1, concurrency: 1, engine: { quality: "fast" } });
});
afterAll(() => serve?.server.close());

const health = async () => (await fetch(`${serve.url}/healthz`).then(answer)).json;
const removebg = (key: string | undefined, photo: Uint8Array, signal?: AbortSignal) =>
  fetch(`${serve.url}/v1.0/removebg`, {
    method: "POST",
    body: form({}, { image_file: photo }),
    headers: key ? { "x-api-key": key } : {},
    signal,
  }).then(answer);

describe("API keys", () => {
  it("refuses a missing or wrong key in each protocol's own shape", async () => {
    type Json = Awaited<ReturnType<typeof answer>>["json"];
    const routes: [string, string, number, (json: Json) => unknown][] = [
      ["/v1.0/removebg", "image_file", 403, (j) => j.errors[0].title],
      ["/rmbg", "image", 401, (j) => j.error],
      ["/v2/rembg/", "image", 401, (j) => j.code],
      ["/v1/remove", "image_file", 401, (j) => j.code],
      ["/api/remove", "file", 401, (j) => j.code],
    ];
    const said: unknown[] = [];
    for (const [path, field, status, read] of routes) {
      const attempts: Record<string, string>[] = [{}, { "x-api-key": "rate-key" }, { authorization: "Bearer plain-key-but-longer" }];
      for (const headers of attempts) {
        const refused = await fetch(`${serve.url}${path}`, { method: "POST", body: form({}, { [field]: CAR }), headers }).then(answer);
        expect(refused.status, `${path} ${JSON.stringify(headers)}`).toBe(status);
        said.push(read(refused.json));
      }
    }
    expect([...new Set(said)]).toEqual(["Missing API Key", "invalid api key", "invalid_api_key", "authentication_error", "unauthorized"]);
  });

  it("accepts a key in X-Api-Key, ApiKey or Authorization: Bearer", async () => {
    const ways: Record<string, string>[] = [{ "x-api-key": "plain-key" }, { apikey: "plain-key" }, { authorization: "Bearer plain-key" }];
    for (const headers of ways) {
      const account = await fetch(`${serve.url}/v1.0/account`, { headers }).then(answer);
      expect(account.status, JSON.stringify(headers)).toBe(200);
    }
  });

  it("compares against every key, and reads keys from a file and a variable", () => {
    const ring = new KeyRing(["alpha-key", "beta-key"]);
    expect(["alpha-key", "beta-key"].map((k) => ring.accepts(k))).toEqual([true, true]);
    expect(["alpha", "alpha-key ", "", "beta-keyy"].map((k) => ring.accepts(k))).toEqual([false, false, false, false]);
    expect(ring.accepts(undefined)).toBe(false);
    expect(new KeyRing([]).accepts(undefined)).toBe(true);
    expect(loadKeys(undefined, " one, two\nthree ")).toEqual(["one", "two", "three"]);
  });
});

describe("rate limit", () => {
  it("counts megapixels per key per minute, as remove.bg reports them, then answers 429 with Retry-After", async () => {
    const before = Math.floor(Date.now() / 1000);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const served = await removebg("rate-key-1", CAR);
      expect(served.status).toBe(200);
      expect(served.headers.get("x-ratelimit-limit")).toBe("3");
      const reset = Number(served.headers.get("x-ratelimit-reset"));
      expect(reset).toBeGreaterThanOrEqual(before + 59);
      expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
      expect(served.headers.get("retry-after")).toBeNull();
      remaining.push(served.headers.get("x-ratelimit-remaining")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const refused = await removebg("rate-key-1", CAR);
    expect(refused.status).toBe(429);
    expect(refused.json.errors[0]).toMatchObject({ title: "Rate limit exceeded", code: "rate_limited" });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    // Another key has its own budget.
    expect((await removebg("plain-key", CAR)).status).toBe(200);
  });
});

describe("the queue", () => {
  it("answers 503 with Retry-After when full", async () => {
    const first = removebg("queue-key-1", large);
    await until(async () => (await health()).queue.running === 1, "the first request in work");
    const second = removebg("queue-key-2", large);
    await until(async () => (await health()).queue.waiting === 1, "the second request waiting");
    const third = await removebg("queue-key-3", CAR);
    expect(third.status).toBe(503);
    expect(third.json.errors[0].code).toBe("server_busy");
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  });

  it("drops a waiting request whose client went away, without computing it", async () => {
    const before = (await health()).images;
    const first = removebg("gone-key-1", large);
    await until(async () => (await health()).queue.running === 1, "the first request in work");
    const leaving = new AbortController();
    const second = removebg("gone-key-2", large, leaving.signal).catch((error: Error) => error);
    await until(async () => (await health()).queue.waiting === 1, "the second request waiting");
    leaving.abort();
    expect(await second).toBeInstanceOf(Error);
    await until(async () => (await health()).queue.waiting === 0, "the queue to empty");
    expect((await first).status).toBe(200);
    await until(async () => (await health()).queue.running === 0, "the work to finish");
    const after = (await health()).images;
    expect(after.done - before.done).toBe(1);
    expect(after.dropped - before.dropped).toBe(1);
    const lines = serve.log.filter((line) => line.code === "client_closed");
    expect(lines).toHaveLength(1);
  });
});

describe("the access log", () => {
  it("has one JSON line per request with route, status, megapixels and time; never a key or a query string", async () => {
    const secretUrl = "http://169.254.169.254/latest/meta-data/?token=SECRET-TOKEN-42";
    await fetch(`${serve.url}/api/remove?url=${encodeURIComponent(secretUrl)}`, { headers: { "x-api-key": "plain-key" } });
    const lines = serve.log;
    const image = lines.find((line) => line.route === "/v1.0/removebg" && line.status === 200)!;
    expect(image).toMatchObject({ method: "POST", megapixels: 0.17, engine: "local", ms: expect.any(Number), id: expect.any(String) });
    const refused = lines.at(-1)!;
    expect(refused).toMatchObject({ method: "GET", route: "/api/remove", status: 422, code: "validation_error" });
    const text = serve.lines.join("\n");
    for (const secret of [...KEYS, "SECRET-TOKEN-42", "169.254"]) expect(text).not.toContain(secret);
  });
});
