import { describe, expect, it } from "vitest";
import { checkFapihubEndpoint, DIALECT_FIELDS, parseDialect } from "../../src/options/index.js";

describe("rembg's server dialect", () => {
  it("maps om to the matte and bgc to a background colour (not both); its output is PNG", () => {
    const mask = parseDialect("rembg", { file: "upload", om: "true" });
    expect(mask).toMatchObject({ ok: true, image: { kind: "file", field: "file" }, options: { channels: "alpha", format: "png" } });
    const red = parseDialect("rembg", { bgc: "255, 0, 0, 128" });
    expect(red).toMatchObject({ ok: true, options: { background: { type: "color", color: [255, 0, 0, 128] } } });
    expect(parseDialect("rembg", { bgc: "0,0,255" })).toMatchObject({ ok: true, options: { background: { color: [0, 0, 255, 255] } } });
    expect(parseDialect("rembg", { om: "true", bgc: "0,0,255" })).toMatchObject({ ok: false, errors: [{ field: "bgc" }] });
  });

  it("checks rembg's own tuning fields and changes nothing for them", () => {
    const plain = parseDialect("rembg", {});
    const tuned = parseDialect("rembg", { a: "true", af: "240", ab: "10", ae: "10", ppm: "false", model: "u2net", extras: "{}" });
    expect(tuned).toEqual(plain);
    const bad = parseDialect("rembg", { af: "300", ae: "-1", model: "birefnet-general", bgc: "red", a: "maybe" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.field).sort()).toEqual(["a", "ae", "af", "bgc", "model"]);
  });

  it("takes an image URL as `url`, http(s) only, and suggests its field names", () => {
    expect(parseDialect("rembg", { url: "https://example.com/a.jpg" })).toMatchObject({ ok: true, image: { kind: "url", field: "url" } });
    expect(parseDialect("rembg", { url: "file:///etc/passwd" }).ok).toBe(false);
    const hinted = parseDialect("rembg", { only_mask: "true" });
    expect(hinted.ok === false && hinted.errors[0]!.message).toMatch(/did you mean 'om'/);
  });
});

describe("dialect fields", () => {
  it("lists each dialect's image fields and options", () => {
    expect([...DIALECT_FIELDS.removebg.image.keys()]).toEqual(["image_file", "image_file_b64", "image_url"]);
    expect(DIALECT_FIELDS.removebg.options).toContain("bg_image_file");
    expect([...DIALECT_FIELDS.minimal.image.keys()]).toEqual(["image", "image_file"]);
    expect([...DIALECT_FIELDS.rembg.image.keys()]).toEqual(["file", "url"]);
  });
});

describe("fapihub's endpoints", () => {
  it("require their own fields and refuse another endpoint's", () => {
    expect(checkFapihubEndpoint("", {})).toEqual([]);
    expect(checkFapihubEndpoint("blur", { radius: "5" })).toEqual([]);
    expect(checkFapihubEndpoint("gradient", { top_color: "red" }).map((e) => e.message)).toEqual([
      "bottom_color is required by /v2/rembg/gradient/",
    ]);
    expect(checkFapihubEndpoint("", { bgcolor: "red" }).map((e) => e.message)).toEqual([
      "bgcolor belongs to /v2/rembg/color/, not /v2/rembg/",
    ]);
    expect(checkFapihubEndpoint("mask", {})[0]!.message).toMatch(/no endpoint/);
  });
});
