/**
 * Core's remote providers (packages/core/src/remote) against small local
 * servers on loopback that answer as each provider documents: the request
 * each one must receive, its error bodies and statuses, and the retry rules
 * (backoff on 5xx and network errors, Retry-After on 429, nothing else
 * retried). Real HTTP, the global fetch; nothing mocked. Against a real
 * `cutout serve`: serve-clients.test.ts.
 */
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CutoutError } from "../../packages/core/src/errors.js";
import { Remover } from "../../packages/core/src/node/remover.js";
import { fetchRemoteAccount, requestRemoteCutout } from "../../packages/core/src/remote/client.js";
import { REMOTE_PROVIDERS, type RemoteSettings } from "../../packages/core/src/remote/providers.js";
import { FIXTURES, sharp } from "../support/cli";
import { type Reply, type StandIn, startStandIn } from "../support/provider-standin";

const KEY = "sk_test_remote_providers_42";
const photo = readFileSync(path.join(FIXTURES, "car-1.jpg"));
let api: StandIn;

beforeAll(async () => {
  api = await startStandIn();
});
afterAll(() => api.close());

/** Fast retries, so the retry tests take milliseconds. */
const settings = (provider: string, extra: Partial<RemoteSettings> = {}): RemoteSettings => ({
  provider,
  apiKey: KEY,
  url: api.origin,
  retryDelayMs: 10,
  ...extra,
});

async function failure(call: Promise<unknown>): Promise<CutoutError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof CutoutError)) throw new Error(`expected a CutoutError, got ${String(outcome)}`);
  return outcome;
}

function fresh(...replies: Reply[]): void {
  api.requests.length = 0;
  api.script(...replies);
}

describe("the providers", () => {
  it("lists every provider with its label, default endpoint, key header and account flag", () => {
    expect(Object.keys(REMOTE_PROVIDERS).sort()).toEqual(["bgcut", "cutout", "fapihub", "minimal", "rembg-com", "removebg"]);
    for (const [id, provider] of Object.entries(REMOTE_PROVIDERS)) expect(provider.id).toBe(id);
    expect(REMOTE_PROVIDERS.removebg).toMatchObject({
      label: "remove.bg",
      url: "https://api.remove.bg/v1.0/removebg",
      keyHeader: "X-Api-Key",
    });
    expect(REMOTE_PROVIDERS.fapihub).toMatchObject({ url: "https://fapihub.com/v2/rembg/", keyHeader: "ApiKey", account: false });
    expect(REMOTE_PROVIDERS.cutout!.url).toBeUndefined();
    expect(REMOTE_PROVIDERS.minimal!.url).toBeUndefined();
  });

  // Route, key header, image field and fixed fields, as each API reference gives them.
  const requests: [string, string, string, string, Record<string, string>][] = [
    ["removebg", "/v1.0/removebg", "x-api-key", "image_file", { size: "full", format: "png" }],
    ["bgcut", "/v1.0/removebg", "x-api-key", "image_file", { size: "full", format: "png" }],
    ["cutout", "/v1.0/removebg", "x-api-key", "image_file", { size: "auto", format: "png" }],
    ["rembg-com", "/rmbg", "x-api-key", "image", { format: "png" }],
    ["fapihub", "/v2/rembg/", "apikey", "image", {}],
    ["minimal", "/v1/remove", "x-api-key", "image_file", { format: "png", size: "full", channels: "rgba" }],
  ];
  for (const [provider, route, header, field, fields] of requests) {
    it(`${provider}: sends the photo to ${route} with the key in ${header}, and reads the PNG back`, async () => {
      fresh({ cutout: true, headers: provider === "removebg" ? { "X-Credits-Charged": "1.5" } : {} });
      const result = await requestRemoteCutout(photo, settings(provider));
      const [request] = api.requests;
      expect(request).toMatchObject({ method: "POST", path: route, fields });
      expect(request!.headers[header]).toBe(KEY);
      expect(Object.keys(request!.files)).toEqual([field]);
      expect(request!.files[field]!.equals(photo)).toBe(true);
      expect(result.provider).toBe(provider);
      expect(await sharp(result.image).metadata()).toMatchObject({ format: "png", width: 480, height: 360, hasAlpha: true });
      if (provider === "removebg") expect(result.creditsCharged).toBe(1.5);
      else expect(result.creditsCharged).toBeUndefined();
    });
  }

  it("uses a URL with a path as the endpoint itself, and a bare origin as the base for the provider's route", async () => {
    fresh({ cutout: true });
    await requestRemoteCutout(photo, settings("removebg", { url: `${api.origin}/proxy/remove-bg?tenant=a` }));
    await requestRemoteCutout(photo, settings("minimal", { url: `${api.origin}/` }));
    expect(api.requests.map((r) => r.path)).toEqual(["/proxy/remove-bg?tenant=a", "/v1/remove"]);
  });

  it("refuses settings it cannot use, naming the field", async () => {
    expect((await failure(requestRemoteCutout(photo, { provider: "cutout", apiKey: KEY }))).field).toBe("url");
    expect((await failure(requestRemoteCutout(photo, { provider: "photoroom", apiKey: KEY }))).field).toBe("provider");
    expect((await failure(requestRemoteCutout(photo, { apiKey: " " }))).field).toBe("apiKey");
    expect((await failure(requestRemoteCutout(photo, settings("removebg", { url: "ftp://host/x" })))).field).toBe("url");
    expect((await failure(requestRemoteCutout(photo, settings("removebg", { retries: -1 })))).field).toBe("retries");
    expect(() => new Remover({ engine: "remote", remote: { provider: "cutout", apiKey: KEY } })).toThrow(/url/);
  });
});

describe("documented error answers", () => {
  const cases: [string, Reply, string, RegExp][] = [
    [
      "removebg",
      { status: 402, json: { errors: [{ title: "Insufficient credits" }] } },
      "remote_quota_exceeded",
      /402: Insufficient credits/,
    ],
    ["removebg", { status: 403, json: { errors: [{ title: "Missing API Key" }] } }, "remote_auth_failed", /403: Missing API Key/],
    [
      "bgcut",
      { status: 400, json: { errors: [{ code: "unknown_foreground", title: "Could not identify foreground in image" }] } },
      "no_foreground",
      /found no foreground/,
    ],
    ["rembg-com", { status: 401, json: { error: "invalid api key", status: 401 } }, "remote_auth_failed", /401: invalid api key/],
    [
      "rembg-com",
      { status: 400, json: { error: "File does not appear to be a valid image (invalid file signature)", status: 400 } },
      "invalid_image",
      /invalid file signature/,
    ],
    [
      "rembg-com",
      { status: 429, json: { error: "You've reached your monthly limit. Consider purchasing more credits.", status: 429 } },
      "remote_rate_limited",
      /monthly limit/,
    ],
    [
      "fapihub",
      { status: 402, json: { code: "insufficient_credits", message: "Insufficient credits or subscription expired." } },
      "remote_quota_exceeded",
      /402: Insufficient credits or subscription expired/,
    ],
    [
      "fapihub",
      { status: 401, json: { code: "invalid_api_key", message: "Missing or invalid API key." } },
      "remote_auth_failed",
      /invalid API key/,
    ],
    [
      "minimal",
      { status: 402, json: { code: "payment_required", message: "Insufficient credits", details: "0 credits left", request_id: "req_1" } },
      "remote_quota_exceeded",
      /Insufficient credits: 0 credits left/,
    ],
    [
      "minimal",
      { status: 400, json: { code: "image_too_large", message: "Image exceeds 20MB limit", request_id: "req_2" } },
      "image_too_large",
      /20MB/,
    ],
  ];
  for (const [provider, reply, code, message] of cases) {
    it(`${provider} HTTP ${"status" in reply ? reply.status : ""} -> ${code}, keeping the provider's message`, async () => {
      fresh(reply);
      const error = await failure(requestRemoteCutout(photo, settings(provider)));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(REMOTE_PROVIDERS[provider]!.label);
      expect(api.requests).toHaveLength(1);
    });
  }

  it("never repeats the key, even when the provider echoes it", async () => {
    fresh({ status: 400, json: { errors: [{ title: `bad request for key ${KEY}` }] } });
    const error = await failure(requestRemoteCutout(photo, settings("removebg")));
    expect(error.message).toContain("bad request for key ***");
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect(String(error.stack)).not.toContain(KEY);
  });
});

describe("retries", () => {
  it("waits for Retry-After on a 429, then tries again", async () => {
    fresh({ status: 429, json: { errors: [{ title: "Rate limit exceeded" }] }, headers: { "Retry-After": "1" } }, { cutout: true });
    const result = await requestRemoteCutout(photo, settings("removebg"));
    expect(result.image.length).toBeGreaterThan(0);
    expect(api.requests).toHaveLength(2);
    // The second try came after the wait the server asked for (a lower bound: waiting longer is allowed).
    expect(api.requests[1]!.at - api.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("stops with remote_rate_limited when Retry-After is beyond the limit, or missing", async () => {
    fresh({ status: 429, json: { errors: [{ title: "Rate limit exceeded" }] }, headers: { "Retry-After": "59" } });
    const error = await failure(requestRemoteCutout(photo, settings("bgcut", { maxRetryAfterMs: 5000 })));
    expect(error.code).toBe("remote_rate_limited");
    expect(error.message).toMatch(/Rate limit exceeded \(retry after 59 s\)/);
    expect(api.requests).toHaveLength(1);
    fresh({ status: 429, json: { errors: [{ title: "Rate limit exceeded" }] } });
    expect((await failure(requestRemoteCutout(photo, settings("removebg")))).code).toBe("remote_rate_limited");
    expect(api.requests).toHaveLength(1);
  });

  it("backs off and retries after 5xx answers, then succeeds", async () => {
    fresh({ status: 503, text: "Service Unavailable" }, { status: 502, text: "Bad Gateway" }, { cutout: true });
    const result = await requestRemoteCutout(photo, settings("rembg-com"));
    expect(result.image.length).toBeGreaterThan(0);
    expect(api.requests).toHaveLength(3);
  });

  it("gives up after the bounded number of tries with remote_error", async () => {
    fresh({ status: 500, json: { code: "server_error", message: "An internal processing error occurred." } });
    const error = await failure(requestRemoteCutout(photo, settings("fapihub", { retries: 3 })));
    expect(error.code).toBe("remote_error");
    expect(error.message).toMatch(/HTTP 500: An internal processing error occurred/);
    expect(api.requests).toHaveLength(4);
  });

  it("never retries another 4xx", async () => {
    fresh({ status: 402, json: { errors: [{ title: "Insufficient credits" }] } }, { cutout: true });
    await failure(requestRemoteCutout(photo, settings("removebg")));
    expect(api.requests).toHaveLength(1);
  });

  it("retries network errors, then says network_error", async () => {
    const closed = createServer().listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const error = await failure(requestRemoteCutout(photo, settings("removebg", { url: `http://127.0.0.1:${port}/v1.0/removebg` })));
    expect(error.code).toBe("network_error");
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("times out each try, and the caller's signal cancels the whole call", async () => {
    fresh({ hang: true });
    expect((await failure(requestRemoteCutout(photo, settings("removebg", { timeoutMs: 200, retries: 0 })))).code).toBe("timeout");
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("the user cancelled")), 100);
    const outcome = await requestRemoteCutout(photo, settings("removebg", { signal: controller.signal })).catch((e: Error) => e);
    expect((outcome as Error).message).toBe("the user cancelled");
    // Also while waiting between tries.
    fresh({ status: 503, text: "busy" });
    const waiting = new AbortController();
    setTimeout(() => waiting.abort(new Error("stop waiting")), 150);
    const during = await requestRemoteCutout(photo, settings("removebg", { retryDelayMs: 60_000, signal: waiting.signal })).catch(
      (e: Error) => e,
    );
    expect((during as Error).message).toBe("stop waiting");
    expect(api.requests).toHaveLength(1);
  });
});

describe("accounts", () => {
  it("reads remove.bg's account shape from GET /v1.0/account, next to the endpoint", async () => {
    const body = {
      data: { attributes: { credits: { total: 200, subscription: 150, payg: 50, enterprise: 0 }, api: { free_calls: 50, sizes: "all" } } },
    };
    fresh({ status: 200, json: body });
    const account = await fetchRemoteAccount(settings("bgcut"));
    expect(account).toEqual({ provider: "bgcut", credits: { total: 200, subscription: 150, payg: 50, enterprise: 0 }, freeCalls: 50 });
    expect(api.requests[0]).toMatchObject({ method: "GET", path: "/v1.0/account" });
    expect(api.requests[0]!.headers["x-api-key"]).toBe(KEY);
    await fetchRemoteAccount(settings("removebg", { url: `${api.origin}/v1.0/removebg` }));
    expect(api.requests[1]!.path).toBe("/v1.0/account");
  });

  it("reads rembg.com's membership usage: included credits left plus prepaid", async () => {
    fresh({
      status: 200,
      json: {
        membership: "Premium-20000",
        credits: 18500,
        prepaidCredits: 2000,
        app_usage: 8500,
        api_usage: 10000,
        billingCycle: { remainingIncludedCredits: 9200, prepaidCredits: 2000, includedCredits: 18500, usedIncludedCredits: 9300 },
      },
    });
    const account = await fetchRemoteAccount(settings("rembg-com"));
    expect(account).toEqual({ provider: "rembg-com", credits: { total: 11200, subscription: 9200, payg: 2000 } });
    expect(api.requests[0]!.path).toBe("/api/membership-usage?expand=billing_cycle");
  });

  it("maps the account endpoint's failures, and refuses providers without one", async () => {
    fresh({ status: 403, json: { errors: [{ title: "Missing API Key" }] } });
    expect((await failure(fetchRemoteAccount(settings("removebg")))).code).toBe("remote_auth_failed");
    fresh({ status: 200, text: "<html>" });
    expect((await failure(fetchRemoteAccount(settings("removebg")))).code).toBe("remote_error");
    for (const provider of ["fapihub", "minimal"]) {
      const error = await failure(fetchRemoteAccount(settings(provider)));
      expect(error.code).toBe("validation_error");
      expect(error.message).toContain(`'${provider}'`);
    }
  });
});

describe("the remote engine", () => {
  it("puts the credits charged in the result, and says which engine and provider ran", async () => {
    fresh({ cutout: true, headers: { "X-Credits-Charged": "1" } });
    const remover = new Remover({ engine: "remote", remote: settings("bgcut") });
    const result = await remover.remove(photo, { format: "png" });
    expect(result).toMatchObject({ engine: "remote", model: "remote:bgcut", creditsCharged: 1, width: 480, height: 360 });
    expect(result.foreground).toEqual({ left: 240, top: 0, width: 240, height: 360 });
  });
});
