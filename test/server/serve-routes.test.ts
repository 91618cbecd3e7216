/**
 * `cutout serve`'s routes, each answering as its service documents (status
 * codes, headers, error JSON), with the real model over real HTTP on
 * loopback; and the URL-fetching hardening (SSRF, size caps, timeouts).
 * Options are core's: a route's answer is compared with the core API's for
 * the same request.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Remover } from "../../packages/core/src/node/remover.js";
import { DIALECT_FIELDS, parseDialect } from "../../packages/core/src/options/index.js";
import { IMAGE_ROUTES } from "../../packages/core/src/server/index.js";
import { sharp } from "../support/cli";
import { ANIME, answer, CAR, form, type InProcessServer, startInProcess } from "../support/serve";

const KEY = "route-test-key-7f3a";
const BODY_LIMIT = 3 * 1024 * 1024;
let serve: InProcessServer;
let reference: Remover;
/** Image hosts: on 127.0.0.2 (allowed by the server's --allow-private-hosts) and on 127.0.0.1 (not allowed). */
let allowed: ImageHost;
let loopback: ImageHost;

interface ImageHost {
  origin: string;
  requests: string[];
  server: Server;
}

async function imageHost(address: string, routes: (port: number) => Record<string, (res: import("node:http").ServerResponse) => void>) {
  const requests: string[] = [];
  let table: ReturnType<typeof routes> = {};
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const route = table[(req.url ?? "").split("?")[0]!];
    if (route) route(res);
    else res.writeHead(404).end("not here");
  });
  server.listen(0, address);
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  table = routes(port);
  return { origin: `http://${address}:${port}`, requests, server };
}

beforeAll(async () => {
  loopback = await imageHost("127.0.0.1", () => ({ "/car.jpg": (res) => res.writeHead(200, { "content-type": "image/jpeg" }).end(CAR) }));
  const loopbackPort = Number(new URL(loopback.origin).port);
  allowed = await imageHost("127.0.0.2", (port) => ({
    "/car.jpg": (res) => res.writeHead(200, { "content-type": "image/jpeg" }).end(CAR),
    "/anime.jpg": (res) => res.writeHead(200, { "content-type": "image/jpeg" }).end(ANIME),
    "/to-loopback": (res) => res.writeHead(302, { location: `http://127.0.0.1:${loopbackPort}/car.jpg` }).end(),
    "/to-metadata": (res) => res.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
    "/to-car": (res) => res.writeHead(302, { location: "/car.jpg" }).end(),
    "/loop": (res) => res.writeHead(302, { location: `http://127.0.0.2:${port}/loop` }).end(),
    "/big.jpg": (res) => res.writeHead(200, { "content-type": "image/jpeg", "content-length": String(BODY_LIMIT + 1) }).end(),
    "/chunked-big": (res) => {
      res.writeHead(200, { "content-type": "image/jpeg" });
      const chunk = Buffer.alloc(256 * 1024, 1);
      for (let i = 0; i < (BODY_LIMIT / chunk.length) * 2; i++) res.write(chunk);
      res.end();
    },
    "/slow.jpg": (res) => {
      // A body that trickles: a byte every 200 ms, never finishing within the fetch timeout.
      res.writeHead(200, { "content-type": "image/jpeg", "content-length": String(CAR.length) });
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed || at >= CAR.length) return clearInterval(timer);
        res.write(CAR.subarray(at, ++at));
      }, 200);
    },
  }));
  // The fast preset (the same model at 704 px): these tests are about the protocols, and it halves each inference.
  serve = await startInProcess({
    keys: [KEY],
    bodyLimit: BODY_LIMIT,
    fetchTimeoutMs: 1500,
    allowPrivateHosts: ["127.0.0.2"],
    engine: { quality: "fast" },
  });
  reference = new Remover({ quality: "fast" });
});

afterAll(async () => {
  await serve?.server.close();
  await reference?.close();
  for (const host of [allowed, loopback]) {
    host?.server.closeAllConnections();
    host?.server.close();
  }
});

const post = (path: string, body: FormData | URLSearchParams | string, headers: Record<string, string> = {}) =>
  fetch(`${serve.url}${path}`, { method: "POST", body, headers: { "x-api-key": KEY, ...headers } }).then(answer);

/** What the core API gives for the same fields in the same dialect: the server must give exactly this. */
async function viaCore(
  dialect: "removebg" | "rembg.com" | "fapihub" | "minimal" | "rembg",
  fields: Record<string, string>,
  photo: Uint8Array,
) {
  const parsed = parseDialect(dialect, fields);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return reference.remove(photo, { canonical: parsed.options });
}

async function pixels(bytes: Uint8Array) {
  return sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
}

describe("remove.bg / BgCut: POST /v1.0/removebg", () => {
  it("takes every parameter of remove.bg's form, as core reads them, with remove.bg's headers", async () => {
    const fields = {
      size: "preview",
      type: "car",
      type_level: "1",
      format: "png",
      roi: "0% 0% 100% 100%",
      crop: "true",
      crop_margin: "10px",
      scale: "90%",
      position: "center",
      channels: "rgba",
      add_shadow: "false",
      semitransparency: "true",
      bg_color: "81d4fa",
      shadow_type: "drop",
      shadow_opacity: "40",
    };
    const served = await post("/v1.0/removebg", form(fields, { image_file: CAR }));
    expect(served.status, served.bytes.toString()).toBe(200);
    const expected = await viaCore("removebg", fields, CAR);
    expect(served.bytes.equals(expected.data)).toBe(true);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-width")).toBe(String(expected.width));
    expect(served.headers.get("x-height")).toBe(String(expected.height));
    expect(expected.width * expected.height).toBeLessThanOrEqual(250_000);
    const box = expected.foreground!;
    expect([...["top", "left", "width", "height"].map((k) => served.headers.get(`x-foreground-${k}`))]).toEqual(
      [box.top, box.left, box.width, box.height].map(String),
    );
    expect(served.headers.get("x-type")).toBe("car");
    expect(served.headers.get("x-credits-charged")).toBe("0");
  });

  it("reads urlencoded and JSON bodies with image_file_b64 alike, and answers JSON when asked", async () => {
    const fields = { image_file_b64: CAR.toString("base64"), format: "jpg", bg_color: "white", type_level: "none" };
    const urlencoded = await post("/v1.0/removebg", new URLSearchParams(fields));
    const json = await post("/v1.0/removebg", JSON.stringify(fields), { "content-type": "application/json" });
    expect(urlencoded.status, urlencoded.bytes.toString()).toBe(200);
    expect(urlencoded.headers.get("content-type")).toBe("image/jpeg");
    expect(urlencoded.headers.get("x-type")).toBeNull();
    expect(json.bytes.equals(urlencoded.bytes)).toBe(true);
    const asJson = await post("/v1.0/removebg", JSON.stringify(fields), { "content-type": "application/json", accept: "application/json" });
    expect(asJson.status).toBe(200);
    expect(Buffer.from(asJson.json.data.result_b64, "base64").equals(urlencoded.bytes)).toBe(true);
    for (const side of ["top", "left", "width", "height"]) {
      expect(String(asJson.json.data[`foreground_${side}`])).toBe(urlencoded.headers.get(`x-foreground-${side}`));
    }
  });

  it("composites an uploaded bg_image_file, and fetches image_url from an allowed host", async () => {
    const background = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 30, b: 90 } } })
      .png()
      .toBuffer();
    const served = await post(
      "/v1.0/removebg",
      form({ image_url: `${allowed.origin}/car.jpg`, format: "png" }, { bg_image_file: background }),
    );
    expect(served.status, served.bytes.toString()).toBe(200);
    const expected = await reference.remove(CAR, { bgImage: background, format: "png" });
    expect(served.bytes.equals(expected.data)).toBe(true);
  });

  it("answers remove.bg's error shapes: multiple sources, no image, bad fields, and no key (403)", async () => {
    const both = await post("/v1.0/removebg", form({ image_url: `${allowed.origin}/car.jpg` }, { image_file: CAR }));
    expect(both.status).toBe(400);
    expect(both.json.errors[0]).toMatchObject({
      code: "multiple_sources",
      title: "Multiple image sources given: Please provide either the image_url, image_file or image_file_b64 parameter.",
    });
    const none = await post("/v1.0/removebg", form({ size: "auto" }));
    expect(none.status).toBe(400);
    expect(none.json.errors[0].code).toBe("missing_image");
    const bad = await post("/v1.0/removebg", form({ size: "huge", bg_colour: "red" }, { image_file: CAR }));
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { code: string }) => e.code)).toEqual(["validation_error", "validation_error"]);
    expect(bad.json.errors.map((e: { source: { parameter: string } }) => e.source.parameter).sort()).toEqual(["bg_colour", "size"]);
    expect(JSON.stringify(bad.json)).toMatch(/did you mean 'bg_color'/);
    const anonymous = await fetch(`${serve.url}/v1.0/removebg`, { method: "POST", body: form({}, { image_file: CAR }) }).then(answer);
    expect(anonymous.status).toBe(403);
    expect(anonymous.json).toEqual({ errors: [{ title: "Missing API Key", code: "unauthorized", detail: expect.any(String) }] });
  });

  it("never reads a path on the server: bg_image_file must be an upload", async () => {
    const served = await post("/v1.0/removebg", form({ bg_image_file: "/etc/passwd" }, { image_file: CAR }));
    expect(served.status).toBe(400);
    expect(served.json.errors[0]).toMatchObject({ code: "validation_error", source: { parameter: "bg_image_file" } });
  });

  it("GET /v1.0/account answers in remove.bg's shape", async () => {
    const account = await fetch(`${serve.url}/v1.0/account`, { headers: { "x-api-key": KEY } }).then(answer);
    expect(account.status).toBe(200);
    expect(account.json).toEqual({
      data: {
        attributes: {
          credits: { total: expect.any(Number), subscription: expect.any(Number), payg: 0, enterprise: 0 },
          api: { free_calls: expect.any(Number), sizes: "all" },
        },
      },
    });
    const refused = await fetch(`${serve.url}/v1.0/account`).then(answer);
    expect(refused.status).toBe(403);
    expect(refused.json.errors[0].title).toBe("Missing API Key");
  });
});

describe("rembg.com: POST /rmbg", () => {
  it("takes its fields, webp by default, as core reads them", async () => {
    const fields = { w: "200", exact_resize: "false", bg_color: "#ffffffff", angle: "0", expand: "true" };
    const served = await post("/rmbg", form(fields, { image: CAR }));
    expect(served.status, served.bytes.toString()).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    const expected = await viaCore("rembg.com", fields, CAR);
    expect(served.bytes.equals(expected.data)).toBe(true);
    expect((await sharp(served.bytes).metadata()).width).toBe(200);
    const mask = await post("/rmbg", form({ mask: "true", format: "png" }, { image: CAR }));
    expect(mask.headers.get("content-type")).toBe("image/png");
    expect((await sharp(mask.bytes).metadata()).channels).toBe(1);
  });

  it("answers {error, details, status} with the parser's texts", async () => {
    const bad = await post("/rmbg", form({ w: "abc", angle: "500" }, { image: CAR }));
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: "Multiple validation errors",
      details: [
        { field: "w", message: "'w' must be an integer, got: 'abc'" },
        { field: "angle", message: "'angle' must be between -360 and 360, got: '500'" },
      ],
      status: 400,
      code: "validation_error",
    });
    const one = await post("/rmbg", form({ format: "gif" }, { image: CAR }));
    expect(one.json).toEqual({ error: "'format' must be one of 'webp', 'png', got: 'gif'", status: 400, code: "validation_error" });
    const none = await post("/rmbg", form({ format: "png" }));
    expect(none.json).toMatchObject({ error: "No image file provided. Please include an 'image' field in your form data.", status: 400 });
    const wrongKey = await post("/rmbg", form({}, { image: CAR }), { "x-api-key": "nope" });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.json).toMatchObject({ error: "invalid api key", status: 401 });
  });
});

describe("fapihub: POST /v2/rembg/ and its effect endpoints", () => {
  const cases: [string, Record<string, string>][] = [
    ["/v2/rembg/", {}],
    ["/v2/rembg/blur/", { radius: "20" }],
    ["/v2/rembg/color/", { bgcolor: "(255, 140, 0, 255)" }],
    ["/v2/rembg/gradient/", { top_color: "(255, 140, 0, 255)", bottom_color: "(229, 46, 113, 255)" }],
    ["/v2/rembg/shadow/", { shadow_color: "(0, 0, 0, 150)", offset: "(10, 10)", blur_radius: "8" }],
  ];
  for (const [path, fields] of cases) {
    it(`${path} with the ApiKey header`, async () => {
      const served = await post(path, form(fields, { image: ANIME }), { "x-api-key": "", apikey: KEY });
      expect(served.status, served.bytes.toString()).toBe(200);
      expect(served.headers.get("content-type")).toBe("image/png");
      if (path === "/v2/rembg/shadow/") expect(served.bytes.equals((await viaCore("fapihub", fields, ANIME)).data)).toBe(true);
    });
  }

  it("requires each endpoint's fields and refuses another endpoint's", async () => {
    const missing = await post("/v2/rembg/blur/", form({}, { image: CAR }));
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ code: "validation_error", message: "radius is required by /v2/rembg/blur/" });
    const crossed = await post("/v2/rembg/color/", form({ bgcolor: "red", radius: "5" }, { image: CAR }));
    expect(crossed.json.message).toBe("radius belongs to /v2/rembg/blur/, not /v2/rembg/color/");
    const anonymous = await fetch(`${serve.url}/v2/rembg/`, { method: "POST", body: form({}, { image: CAR }) }).then(answer);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.code).toBe("invalid_api_key");
  });
});

describe("the minimal API: POST /v1/remove", () => {
  it("takes its fields, with its headers", async () => {
    const fields = { format: "jpg", channels: "rgb", bg_color: "#ffffff", size: "small", crop: "true" };
    const served = await post("/v1/remove", form(fields, { image_file: CAR }));
    expect(served.status, served.bytes.toString()).toBe(200);
    const expected = await viaCore("minimal", fields, CAR);
    expect(served.bytes.equals(expected.data)).toBe(true);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("x-image-width")).toBe(String(expected.width));
    expect(served.headers.get("x-image-height")).toBe(String(expected.height));
    expect(Math.max(expected.width, expected.height)).toBeLessThanOrEqual(512);
    expect(Number(served.headers.get("x-processing-time-ms"))).toBeGreaterThanOrEqual(0);
    expect(served.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    // The reference calls the upload only "the image file": `image` works as well as `image_file`.
    const plain = await post("/v1/remove", form(fields, { image: CAR }));
    expect(plain.bytes.equals(served.bytes)).toBe(true);
  });

  it("answers {code, message, details, request_id} with its documented codes", async () => {
    const bad = await post("/v1/remove", form({ format: "gif" }, { image_file: CAR }));
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      code: "validation_error",
      message: "One or more parameters are invalid",
      details: expect.stringContaining("format"),
      request_id: bad.headers.get("x-request-id"),
    });
    expect((await post("/v1/remove", form({}))).json.code).toBe("missing_image");
    const anonymous = await fetch(`${serve.url}/v1/remove`, { method: "POST", body: form({}, { image_file: CAR }) }).then(answer);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.code).toBe("authentication_error");
  });
});

describe("rembg's server: /api/remove", () => {
  it("POST with `file`: om gives the mask, bgc (in the query) a background colour", async () => {
    const mask = await post("/api/remove", form({ om: "true" }, { file: CAR }));
    expect(mask.status, mask.bytes.toString()).toBe(200);
    expect(mask.bytes.equals((await viaCore("rembg", { om: "true" }, CAR)).data)).toBe(true);
    const red = await post("/api/remove?bgc=255,0,0,255", form({ a: "true", af: "240" }, { file: CAR }));
    expect(red.status, red.bytes.toString()).toBe(200);
    const { data } = await pixels(red.bytes);
    expect([...data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
  });

  it("GET ?url= from an allowed host, and FastAPI's 422 for bad fields", async () => {
    const got = await fetch(`${serve.url}/api/remove?url=${encodeURIComponent(`${allowed.origin}/car.jpg`)}`, {
      headers: { authorization: `Bearer ${KEY}` },
    }).then(answer);
    expect(got.status, got.bytes.toString()).toBe(200);
    expect(got.headers.get("content-type")).toBe("image/png");
    const bad = await post("/api/remove?model=birefnet-general", form({}, { file: CAR }));
    expect(bad.status).toBe(422);
    expect(bad.json.detail[0]).toMatchObject({ type: "value_error", loc: ["body", "model"], input: "birefnet-general" });
    const none = await post("/api/remove", form({}));
    expect(none.status).toBe(422);
  });
});

describe("fetching URLs for clients", () => {
  const refused = async (url: string, field = "image_url") => {
    const served = await post(
      "/v1.0/removebg",
      form(field === "image_url" ? { [field]: url } : { [field]: url }, field === "image_url" ? {} : { image_file: CAR }),
    );
    expect(served.status, url).toBe(400);
    expect(served.json.errors[0].code, url).toBe("validation_error");
    expect(served.json.errors[0].title, url).toMatch(/refused/);
    return served;
  };

  it("refuses loopback, link-local (metadata) and names resolving to them, before connecting", async () => {
    const port = new URL(loopback.origin).port;
    await refused(`http://127.0.0.1:${port}/car.jpg`);
    await refused(`http://[::1]:${port}/car.jpg`);
    await refused("http://169.254.169.254/latest/meta-data/");
    await refused(`http://localhost:${port}/car.jpg`);
    await refused(`http://127.0.0.1:${port}/car.jpg`, "bg_image_url");
    expect(loopback.requests).toEqual([]);
  });

  it("checks every redirect: one landing on loopback or metadata is refused; at most five are followed", async () => {
    await refused(`${allowed.origin}/to-loopback`);
    await refused(`${allowed.origin}/to-metadata`);
    expect(loopback.requests).toEqual([]);
    const followed = await post("/v1.0/removebg", form({ image_url: `${allowed.origin}/to-car` }));
    expect(followed.status, followed.bytes.toString()).toBe(200);
    const looping = await post("/v1.0/removebg", form({ image_url: `${allowed.origin}/loop` }));
    expect(looping.json.errors[0]).toMatchObject({ code: "input_unreadable", title: expect.stringMatching(/more than 5 redirects/) });
  });

  it("caps what it downloads, declared or streamed, and times out a slow body", async () => {
    for (const path of ["/big.jpg", "/chunked-big"]) {
      const served = await post("/v1.0/removebg", form({ image_url: `${allowed.origin}${path}` }));
      expect(served.json.errors[0].code, path).toBe("image_too_large");
    }
    const slow = await post("/v1.0/removebg", form({ image_url: `${allowed.origin}/slow.jpg` }));
    expect(slow.status).toBe(400);
    expect(slow.json.errors[0]).toMatchObject({ code: "timeout", title: expect.stringMatching(/timed out after 1500 ms/) });
  });

  it("refuses an upload over the body limit in each protocol's shape, and keeps serving", async () => {
    const big = Buffer.alloc(BODY_LIMIT + 1024, 7);
    const removebg = await post("/v1.0/removebg", form({}, { image_file: big }));
    expect([removebg.status, removebg.json.errors[0].code]).toEqual([400, "image_too_large"]);
    const rembg = await post("/api/remove", form({}, { file: big }));
    expect([rembg.status, rembg.json.code]).toEqual([413, "image_too_large"]);
    const json = await post("/v1.0/removebg", JSON.stringify({ image_file_b64: big.toString("base64") }), {
      "content-type": "application/json",
    });
    expect([json.status, json.json.errors[0].code]).toEqual([400, "image_too_large"]);
    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
  });
});

describe("health, readiness and the API description", () => {
  it("answers /healthz and /readyz", async () => {
    const health = await fetch(`${serve.url}/healthz`).then(answer);
    expect(health.json).toMatchObject({ status: "ok", queue: { capacity: 16 }, memory: { rss: expect.any(Number) } });
    const ready = await fetch(`${serve.url}/readyz`).then(answer);
    expect([ready.status, ready.json]).toEqual([200, { status: "ready" }]);
  });

  it("describes every route and every field in /openapi.json", async () => {
    const { json: doc } = await fetch(`${serve.url}/openapi.json`).then(answer);
    expect(doc.openapi).toBe("3.1.0");
    for (const route of IMAGE_ROUTES) {
      const operation = doc.paths[route.url]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.url}`).toBeDefined();
      const { image, options } = DIALECT_FIELDS[route.protocol.dialect];
      const described =
        route.method === "GET"
          ? operation.parameters.map((p: { name: string }) => p.name)
          : Object.keys(operation.requestBody.content["multipart/form-data"].schema.properties);
      expect(described.sort()).toEqual([...image.keys(), ...options].sort());
    }
    for (const path of ["/v1.0/account", "/healthz", "/readyz", "/openapi.json", "/"]) expect(doc.paths[path]).toBeDefined();
    const removebg = doc.paths["/v1.0/removebg"].post.requestBody.content["multipart/form-data"].schema.properties;
    expect(removebg.image_file).toMatchObject({ format: "binary" });
    expect(removebg.size.description).toMatch(/preview/);
  });

  it("answers an unknown route with a JSON 404", async () => {
    const missing = await fetch(`${serve.url}/v2.0/removebg`).then(answer);
    expect([missing.status, missing.json.error.code]).toEqual([404, "not_found"]);
  });
});
