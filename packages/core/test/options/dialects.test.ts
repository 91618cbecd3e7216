import { describe, expect, it } from "vitest";
import type { CanonicalOptions } from "../../src/options/canonical.js";
import { DEFAULT_OPTIONS } from "../../src/options/defaults.js";
import { parseFapihub } from "../../src/options/dialects/fapihub.js";
import { DIALECT_NAMES, DIALECTS, type DialectResult, parseDialect } from "../../src/options/dialects/index.js";
import { parseMinimal } from "../../src/options/dialects/minimal.js";
import { parseRembgCom } from "../../src/options/dialects/rembg-com.js";
import { parseRemoveBg } from "../../src/options/dialects/removebg.js";

function options(result: DialectResult): CanonicalOptions {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result.options;
}

function errors(result: DialectResult) {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.options)}`);
  return result.errors;
}

describe("removebg dialect", () => {
  it("defaults: original size (not remove.bg's preview), format auto, everything else the library's", () => {
    expect(options(parseRemoveBg({}))).toEqual({ ...DEFAULT_OPTIONS, format: "auto" });
  });

  it("reads every documented field", () => {
    const result = options(
      parseRemoveBg({
        size: "hd",
        type: "product",
        type_level: "2",
        format: "jpg",
        roi: "10px 10px 90% 90%",
        crop: "true",
        crop_margin: "10px 5%",
        scale: "80%",
        position: "center",
        channels: "rgba",
        semitransparency: "false",
        bg_color: "81d4fa",
        shadow_type: "3D",
        shadow_opacity: "40",
      }),
    );
    expect(result).toMatchObject({
      size: { kind: "megapixels", pixels: 4_000_000 },
      subject: "product",
      format: "jpg",
      roi: { x1: { value: 10, unit: "px" }, x2: { value: 90, unit: "%" } },
      crop: true,
      cropMargin: { top: { value: 10, unit: "px" }, right: { value: 5, unit: "%" } },
      scale: 0.8,
      position: { kind: "center" },
      semitransparency: false,
      background: { type: "color", color: [0x81, 0xd4, 0xfa, 255] },
      shadow: { type: "3D", opacity: 0.4 },
    });
  });

  it("recognises the image fields and says which carries the image", () => {
    expect(parseRemoveBg({ image_file: "photo.jpg" })).toMatchObject({ ok: true, image: { kind: "file", field: "image_file" } });
    expect(parseRemoveBg({ image_file_b64: "AAAA" })).toMatchObject({ ok: true, image: { kind: "base64", field: "image_file_b64" } });
    expect(parseRemoveBg({ image_url: "https://example.com/a.jpg" })).toMatchObject({
      ok: true,
      image: { kind: "url", field: "image_url" },
    });
    expect(parseRemoveBg({})).not.toHaveProperty("image");
  });

  it("refuses two image sources, and a malformed image_url", () => {
    expect(errors(parseRemoveBg({ image_file: "a.jpg", image_url: "https://example.com/a.jpg" }))).toEqual([
      expect.objectContaining({ field: "image_url", message: expect.stringContaining("image_file") }),
    ]);
    expect(errors(parseRemoveBg({ image_url: "not a url" }))[0]).toMatchObject({ field: "image_url", value: "not a url" });
  });

  it("bg_image_url and bg_image_file are image backgrounds", () => {
    expect(options(parseRemoveBg({ bg_image_url: "https://example.com/bg.jpg" })).background).toEqual({
      type: "image",
      source: "https://example.com/bg.jpg",
    });
    expect(options(parseRemoveBg({ bg_image_file: "/tmp/upload.png" })).background).toEqual({ type: "image", source: "/tmp/upload.png" });
  });

  it("one background at a time: a second is an error naming both", () => {
    const [error] = errors(parseRemoveBg({ bg_color: "red", bg_image_url: "https://example.com/bg.jpg" }));
    expect(error).toMatchObject({ field: "bg_image_url", value: "https://example.com/bg.jpg" });
    expect(error?.message).toContain("bg_color");
    expect(error?.message).toContain("bg_image_url");
  });

  it("add_shadow=true (deprecated) is a car shadow at car opacity", () => {
    expect(options(parseRemoveBg({ add_shadow: "true" })).shadow).toMatchObject({ type: "car", opacity: 0.9 });
    expect(options(parseRemoveBg({ add_shadow: "false" })).shadow.type).toBe("none");
  });

  it("add_shadow=true with shadow_type is ambiguous, so refused", () => {
    expect(errors(parseRemoveBg({ add_shadow: "true", shadow_type: "drop" }))[0]).toMatchObject({ field: "shadow_type" });
  });

  it("shadow_type auto resolves by type; each type has its default opacity", () => {
    expect(options(parseRemoveBg({ shadow_type: "auto", type: "car" })).shadow).toMatchObject({ type: "car", opacity: 0.9 });
    expect(options(parseRemoveBg({ shadow_type: "auto", type: "product" })).shadow).toMatchObject({ type: "3D", opacity: 0.65 });
    expect(options(parseRemoveBg({ shadow_type: "auto" })).shadow).toMatchObject({ type: "drop", opacity: 0.5 });
    expect(options(parseRemoveBg({ shadow_type: "3d" })).shadow).toMatchObject({ type: "3D", opacity: 0.65 });
  });

  it("shadow_opacity needs a shadow_type; shadow_type=none with an opacity contradicts itself", () => {
    expect(errors(parseRemoveBg({ shadow_opacity: "50" }))[0]).toMatchObject({ field: "shadow_opacity", value: "50" });
    expect(errors(parseRemoveBg({ shadow_type: "none", shadow_opacity: "50" }))[0]).toMatchObject({ field: "shadow_opacity" });
  });

  it("a non-zero crop_margin without crop=true would do nothing, so is an error", () => {
    expect(errors(parseRemoveBg({ crop_margin: "10px" }))[0]).toMatchObject({
      field: "crop_margin",
      message: expect.stringContaining("crop=true"),
    });
    expect(options(parseRemoveBg({ crop_margin: "0" })).crop).toBe(false);
    expect(options(parseRemoveBg({ crop: "yes", crop_margin: "10%" })).cropMargin.left).toEqual({ value: 10, unit: "%" });
  });

  it("channels=alpha with a background would drop it, so is an error", () => {
    expect(errors(parseRemoveBg({ channels: "alpha", bg_color: "red" }))[0]).toMatchObject({ field: "bg_color" });
  });

  it("roi 0% 0% 100% 100% (remove.bg's default) is the whole image", () => {
    expect(options(parseRemoveBg({ roi: "0% 0% 100% 100%" })).roi).toBeNull();
  });

  it("type_level is checked even though it changes nothing in the image", () => {
    expect(options(parseRemoveBg({ type_level: "latest" }))).toEqual(options(parseRemoveBg({})));
    expect(errors(parseRemoveBg({ type_level: "3" }))[0]).toMatchObject({ field: "type_level", value: "3" });
  });

  it("reports unknown fields, suggesting the likely one", () => {
    const [unknown, misspelt] = errors(parseRemoveBg({ foo: "1", bgcolor: "red" }));
    expect(unknown).toMatchObject({ field: "foo", value: "1" });
    expect(misspelt?.message).toContain("bg_color");
  });

  it("reports every bad field at once", () => {
    const result = errors(
      parseRemoveBg({
        size: "huge",
        format: "gif",
        crop: "maybe",
        scale: "5%",
        bg_color: "nope",
        shadow_type: "soft",
        nonsense: "x",
      }),
    );
    expect(result.map((error) => error.field).sort()).toEqual(["bg_color", "crop", "format", "nonsense", "scale", "shadow_type", "size"]);
    for (const error of result) {
      expect(error.message).toContain(error.field);
      expect(error.message).toContain(error.value);
    }
  });

  it("does not treat Object.prototype names as fields", () => {
    expect(errors(parseRemoveBg({ constructor: "x", toString: "y" })).map((error) => error.field)).toEqual(["constructor", "toString"]);
  });

  it("refuses the other dialects' fields", () => {
    expect(errors(parseRemoveBg({ w: "100", radius: "5" })).map((error) => error.field)).toEqual(["w", "radius"]);
  });
});

describe("rembg.com dialect", () => {
  it("defaults: webp, expand true, original size", () => {
    expect(options(parseRembgCom({}))).toEqual({ ...DEFAULT_OPTIONS, format: "webp" });
  });

  it("reads w, h, exact_resize, mask, bg_color, angle, expand, format", () => {
    expect(
      options(parseRembgCom({ w: "800", h: "600", exact_resize: "true", angle: "-90", expand: "false", format: "PNG" })),
    ).toMatchObject({
      size: { kind: "explicit", width: 800, height: 600, exact: true },
      angle: -90,
      expand: false,
      format: "png",
    });
    expect(options(parseRembgCom({ w: "512" })).size).toEqual({ kind: "explicit", width: 512, exact: false });
    expect(options(parseRembgCom({ mask: "true" })).channels).toBe("alpha");
    expect(options(parseRembgCom({ bg_color: "blue" })).background).toEqual({ type: "color", color: [0, 0, 255, 255] });
  });

  it("image and file carry the image", () => {
    expect(parseRembgCom({ image: "a.png" })).toMatchObject({ ok: true, image: { kind: "file", field: "image" } });
    expect(parseRembgCom({ file: "a.png" })).toMatchObject({ ok: true, image: { kind: "file", field: "file" } });
  });

  it("words errors in rembg.com's style, exactly", () => {
    expect(errors(parseRembgCom({ w: "abc" }))).toEqual([{ field: "w", value: "abc", message: "'w' must be an integer, got: 'abc'" }]);
    expect(errors(parseRembgCom({ h: "1.5" }))[0]?.message).toBe("'h' must be an integer, got: '1.5'");
    expect(errors(parseRembgCom({ w: "0" }))[0]?.message).toBe("'w' must be a positive integer, got: '0'");
    expect(errors(parseRembgCom({ angle: "x" }))[0]?.message).toBe("'angle' must be a number, got: 'x'");
    expect(errors(parseRembgCom({ angle: "400" }))[0]?.message).toBe("'angle' must be between -360 and 360, got: '400'");
    expect(errors(parseRembgCom({ expand: "maybe" }))[0]?.message).toBe("'expand' must be a boolean (true or false), got: 'maybe'");
    expect(errors(parseRembgCom({ format: "jpg" }))[0]?.message).toBe("'format' must be one of 'webp', 'png', got: 'jpg'");
    expect(errors(parseRembgCom({ bg_color: "nope" }))[0]?.message).toBe(
      "'bg_color' must be a hex color (e.g. #FFFFFFFF) or a color name, got: 'nope'",
    );
    expect(errors(parseRembgCom({ width: "100" }))[0]?.message).toBe(
      "'width' is not a supported parameter (did you mean 'w'?), got: '100'",
    );
  });

  it("mask=true with bg_color is an error naming both", () => {
    const [error] = errors(parseRembgCom({ mask: "true", bg_color: "red" }));
    expect(error).toEqual({ field: "bg_color", value: "red", message: "'mask' cannot be combined with 'bg_color'" });
    expect(options(parseRembgCom({ mask: "false", bg_color: "red" })).channels).toBe("rgba");
  });

  it("exact_resize=true needs both w and h", () => {
    expect(errors(parseRembgCom({ exact_resize: "true", w: "100" }))[0]).toEqual({
      field: "exact_resize",
      value: "true",
      message: "'exact_resize' requires both 'w' and 'h'",
    });
    expect(options(parseRembgCom({ exact_resize: "false" })).size).toEqual({ kind: "original" });
  });

  it("reports every bad field at once", () => {
    expect(errors(parseRembgCom({ w: "abc", h: "-1", angle: "x", format: "gif" })).map((error) => error.field)).toEqual([
      "w",
      "h",
      "angle",
      "format",
    ]);
  });
});

describe("fapihub dialect", () => {
  it("defaults to png", () => {
    expect(options(parseFapihub({})).format).toBe("png");
  });

  it("radius blurs the background", () => {
    expect(options(parseFapihub({ radius: "10" })).background).toEqual({ type: "blur", radius: 10 });
  });

  it("bgcolor colours it", () => {
    expect(options(parseFapihub({ bgcolor: "#FF8C00" })).background).toEqual({ type: "color", color: [255, 140, 0, 255] });
  });

  it("top_color + bottom_color paint a vertical gradient; one alone is an error", () => {
    expect(options(parseFapihub({ top_color: "white", bottom_color: "black" })).background).toEqual({
      type: "gradient",
      angle: 180,
      stops: [
        { color: [255, 255, 255, 255], at: 0 },
        { color: [0, 0, 0, 255], at: 1 },
      ],
    });
    expect(errors(parseFapihub({ top_color: "white" }))[0]).toMatchObject({
      field: "top_color",
      message: expect.stringContaining("bottom_color"),
    });
    expect(errors(parseFapihub({ bottom_color: "white" }))[0]).toMatchObject({ field: "bottom_color" });
  });

  it("shadow fields without a type mean a drop shadow; its colour's alpha is the opacity", () => {
    expect(options(parseFapihub({ offset: "(5, -3)" })).shadow).toEqual({
      type: "drop",
      opacity: 1,
      color: [0, 0, 0, 150],
      offset: [5, -3],
      blur: 10,
    });
    expect(options(parseFapihub({ shadow_color: "(255, 140, 0, 255)", blur_radius: "4" })).shadow).toMatchObject({
      type: "drop",
      color: [255, 140, 0, 255],
      blur: 4,
    });
    expect(options(parseFapihub({})).shadow.type).toBe("none");
  });

  it("radius with bgcolor is two backgrounds: an error naming both", () => {
    const [error] = errors(parseFapihub({ bgcolor: "red", radius: "5" }));
    expect(error?.message).toContain("bgcolor");
    expect(error?.message).toContain("radius");
  });

  it("image and url carry the image", () => {
    expect(parseFapihub({ image: "a.jpg" })).toMatchObject({ ok: true, image: { kind: "file", field: "image" } });
    expect(parseFapihub({ url: "https://example.com/a.jpg" })).toMatchObject({ ok: true, image: { kind: "url", field: "url" } });
  });

  it("model: the default (falcon) is accepted; another model cannot be honoured", () => {
    expect(parseFapihub({ model: "falcon" }).ok).toBe(true);
    expect(errors(parseFapihub({ model: "ghost" }))[0]).toMatchObject({ field: "model", value: "ghost" });
  });

  it("range errors: radius over 50, blur below 0, malformed offset", () => {
    expect(errors(parseFapihub({ radius: "60", blur_radius: "-1", offset: "5" })).map((error) => error.field)).toEqual([
      "radius",
      "blur_radius",
      "offset",
    ]);
  });
});

describe("minimal dialect", () => {
  it("defaults to the library's", () => {
    expect(options(parseMinimal({}))).toEqual(DEFAULT_OPTIONS);
  });

  it("reads format, channels, bg_color, size, crop", () => {
    expect(options(parseMinimal({ format: "webp", channels: "alpha", size: "large", crop: "1" }))).toMatchObject({
      format: "webp",
      channels: "alpha",
      size: { kind: "longSide", pixels: 2048 },
      crop: true,
    });
    expect(options(parseMinimal({ bg_color: "white", size: "full" }))).toMatchObject({
      background: { type: "color" },
      size: { kind: "original" },
    });
  });

  it("has no remove.bg-only fields", () => {
    expect(errors(parseMinimal({ scale: "50%", image: "a.png" })).map((error) => error.field)).toEqual(["scale"]);
  });
});

describe("name collisions between dialects", () => {
  it("size=medium is 1.5 MP in removebg but a 1024 px long side in minimal", () => {
    expect(options(parseDialect("removebg", { size: "medium" })).size).toEqual({ kind: "megapixels", pixels: 1_500_000 });
    expect(options(parseDialect("minimal", { size: "medium" })).size).toEqual({ kind: "longSide", pixels: 1024 });
  });

  it("size=small and size=preview differ too; size=hd exists only in removebg, size=large only in minimal", () => {
    expect(options(parseDialect("removebg", { size: "small" })).size).toEqual({ kind: "megapixels", pixels: 250_000 });
    expect(options(parseDialect("minimal", { size: "small" })).size).toEqual({ kind: "longSide", pixels: 512 });
    expect(options(parseDialect("removebg", { size: "preview" })).size).toEqual({ kind: "megapixels", pixels: 250_000 });
    expect(options(parseDialect("minimal", { size: "preview" })).size).toEqual({ kind: "longSide", pixels: 256 });
    expect(parseDialect("minimal", { size: "hd" }).ok).toBe(false);
    expect(parseDialect("removebg", { size: "large" }).ok).toBe(false);
  });

  it("size=full is 25 MP in removebg, the original in minimal", () => {
    expect(options(parseDialect("removebg", { size: "full" })).size).toEqual({ kind: "megapixels", pixels: 25_000_000 });
    expect(options(parseDialect("minimal", { size: "full" })).size).toEqual({ kind: "original" });
  });

  it("format defaults differ by dialect: auto, webp, png", () => {
    expect(options(parseDialect("removebg", {})).format).toBe("auto");
    expect(options(parseDialect("rembg.com", {})).format).toBe("webp");
    expect(options(parseDialect("fapihub", {})).format).toBe("png");
    expect(options(parseDialect("minimal", {})).format).toBe("png");
  });
});

describe("parseDialect / DIALECTS", () => {
  it("has every dialect; bgcut is remove.bg's parser", () => {
    expect(Object.keys(DIALECTS).sort()).toEqual([...DIALECT_NAMES].sort());
    expect(DIALECTS.bgcut).toBe(DIALECTS.removebg);
    expect(parseDialect("bgcut", { size: "hd" })).toEqual(parseDialect("removebg", { size: "hd" }));
  });

  it("reports an unknown dialect instead of throwing", () => {
    expect(parseDialect("photoroom" as never, {})).toMatchObject({ ok: false, errors: [{ field: "dialect", value: "photoroom" }] });
  });

  it("reports non-string values instead of throwing", () => {
    expect(parseDialect("removebg", { crop: true } as never)).toMatchObject({ ok: false, errors: [{ field: "crop", value: "true" }] });
  });
});
