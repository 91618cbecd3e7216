import { describe, expect, it } from "vitest";
import { CutoutError } from "../../src/errors.js";
import { DEFAULT_OPTIONS } from "../../src/options/defaults.js";
import { OPTION_FIELDS } from "../../src/options/option-fields.js";
import { CUTOUT_OPTION_NAMES, type CutoutOptions, resolveCanonical, validateCutoutOptions } from "../../src/options/resolve.js";
import { expectInvalid } from "./support.js";

describe("resolveCanonical", () => {
  it("no options are the library defaults", () => {
    expect(resolveCanonical()).toEqual(DEFAULT_OPTIONS);
    expect(resolveCanonical({})).toEqual(DEFAULT_OPTIONS);
    expect(resolveCanonical({ bgColor: undefined })).toEqual(DEFAULT_OPTIONS);
  });

  it("accepts strings, as hosts pass them", () => {
    expect(resolveCanonical({ bgColor: "red", cropMargin: "10px 5%", crop: "true", shadowType: "drop" })).toMatchObject({
      background: { type: "color", color: [255, 0, 0, 255] },
      crop: true,
      cropMargin: { top: { value: 10, unit: "px" }, right: { value: 5, unit: "%" } },
      shadow: { type: "drop", opacity: 0.5 },
    });
  });

  it("accepts typed values, in remove.bg's units", () => {
    const bytes = new Uint8Array([137, 80, 78, 71]);
    expect(
      resolveCanonical({
        width: 800,
        height: 600,
        exactResize: true,
        crop: true,
        cropMargin: 20,
        scale: 50,
        angle: 1e-7,
        shadowOpacity: 30,
        shadowType: "car",
        shadowOffset: [4, -2],
        shadowBlur: 0,
        shadowColor: [10, 20, 30, 255],
        bgImage: bytes,
        expand: false,
        semitransparency: false,
      }),
    ).toMatchObject({
      size: { kind: "explicit", width: 800, height: 600, exact: true },
      cropMargin: { top: { value: 20, unit: "px" } },
      scale: 0.5,
      angle: 1e-7,
      shadow: { type: "car", opacity: 0.3, offset: [4, -2], blur: 0, color: [10, 20, 30, 255] },
      background: { type: "image", source: bytes },
      expand: false,
      semitransparency: false,
    });
  });

  it("size takes remove.bg presets or a SizeSpec", () => {
    expect(resolveCanonical({ size: "medium" }).size).toEqual({ kind: "megapixels", pixels: 1_500_000 });
    expect(resolveCanonical({ size: { kind: "longSide", pixels: 1024 } }).size).toEqual({ kind: "longSide", pixels: 1024 });
    expectInvalid(() => resolveCanonical({ size: { kind: "longSide", pixels: -1 } }), "size");
    expectInvalid(() => resolveCanonical({ size: { kind: "explicit", exact: true, width: 10 } }), "size");
  });

  it("size and width/height exclude each other", () => {
    expectInvalid(() => resolveCanonical({ size: "hd", width: 100 }), "width");
  });

  it("bgGradient takes a CSS string or angle + stops", () => {
    expect(resolveCanonical({ bgGradient: "linear-gradient(90deg, red, blue)" }).background).toMatchObject({ type: "gradient", angle: 90 });
    expect(
      resolveCanonical({ bgGradient: { angle: 45, stops: ["red", { color: "#00f", position: 40 }, [255, 255, 255, 255]] } }).background,
    ).toEqual({
      type: "gradient",
      angle: 45,
      stops: [
        { color: [255, 0, 0, 255], at: 0 },
        { color: [0, 0, 255, 255], at: 0.4 },
        { color: [255, 255, 255, 255], at: 1 },
      ],
    });
    expectInvalid(() => resolveCanonical({ bgGradient: { stops: ["red"] } }), "bgGradient");
  });

  it("bgBlur, bgImage (URL or path)", () => {
    expect(resolveCanonical({ bgBlur: 12 }).background).toEqual({ type: "blur", radius: 12 });
    expect(resolveCanonical({ bgImage: "https://example.com/bg.jpg" }).background).toEqual({
      type: "image",
      source: "https://example.com/bg.jpg",
    });
    expect(resolveCanonical({ bgImage: "bg.png" }).background).toEqual({ type: "image", source: "bg.png" });
  });

  it("roi: null or the full-image region is the whole image", () => {
    expect(resolveCanonical({ roi: null }).roi).toBeNull();
    expect(resolveCanonical({ roi: "0% 0% 100% 100%" }).roi).toBeNull();
    expect(resolveCanonical({ roi: "0 0 50% 50%" }).roi).not.toBeNull();
  });

  it("names the camelCase option and quotes the value", () => {
    expectInvalid(() => resolveCanonical({ bgColor: "nope" }), "bgColor", "nope");
    expectInvalid(() => resolveCanonical({ cropMargin: "60%", crop: true }), "cropMargin", "60%");
    expectInvalid(() => resolveCanonical({ shadowOpacity: "150", shadowType: "drop" }), "shadowOpacity", "150");
    expectInvalid(() => resolveCanonical({ scale: 5 }), "scale");
    expectInvalid(() => resolveCanonical({ angle: Number.NaN }), "angle");
    expectInvalid(() => resolveCanonical({ width: 1.5 }), "width");
    expectInvalid(() => resolveCanonical({ format: 5 as never }), "format");
    expectInvalid(() => resolveCanonical({ crop: "sure" }), "crop", "sure");
  });

  it("refuses unknown keys, suggesting the likely one", () => {
    const error = expectInvalid(() => resolveCanonical({ bgColour: "red" } as CutoutOptions), "bgColour", "bgColour");
    expect(error.message).toContain("bgColor");
    expectInvalid(() => resolveCanonical({ bg_color: "red" } as CutoutOptions), "bg_color");
  });

  it("combination rules use camelCase names", () => {
    const both = expectInvalid(() => resolveCanonical({ bgColor: "red", bgBlur: 5 }), "bgBlur");
    expect(both.message).toContain("bgColor");
    expect(expectInvalid(() => resolveCanonical({ cropMargin: "5px" }), "cropMargin").message).toContain("crop=true");
    expect(expectInvalid(() => resolveCanonical({ shadowOpacity: 50 }), "shadowOpacity").message).toContain("shadowType");
    expectInvalid(() => resolveCanonical({ channels: "alpha", bgColor: "red" }), "bgColor");
    expectInvalid(() => resolveCanonical({ exactResize: true, width: 10 }), "exactResize");
  });

  it("shadow details without a type are a drop shadow", () => {
    expect(resolveCanonical({ shadowColor: "#333" }).shadow).toMatchObject({ type: "drop", color: [0x33, 0x33, 0x33, 255], opacity: 0.5 });
    expect(resolveCanonical({ shadowType: "auto", type: "car" }).shadow).toMatchObject({ type: "car", opacity: 0.9 });
  });

  it("throws the first problem and lists the rest in its message", () => {
    try {
      resolveCanonical({ bgColor: "nope", scale: "5%", format: "gif" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CutoutError);
      expect((error as CutoutError).field).toBe("bgColor");
      expect((error as CutoutError).message).toContain("scale");
      expect((error as CutoutError).message).toContain("format");
    }
  });

  it("refuses a non-object", () => {
    expectInvalid(() => resolveCanonical("png" as never), "options");
    expectInvalid(() => resolveCanonical(null as never), "options");
  });
});

describe("validateCutoutOptions", () => {
  it("reports every problem at once", () => {
    const result = validateCutoutOptions({ bgColor: "nope", scale: "5%", format: "gif", nonsense: 1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((error) => error.field)).toEqual(["bgColor", "scale", "format", "nonsense"]);
  });
});

describe("OPTION_FIELDS", () => {
  it("lists every CutoutOptions key once, in CutoutOptions' order", () => {
    expect(OPTION_FIELDS.map((field) => field.name)).toEqual(CUTOUT_OPTION_NAMES);
    expect(new Set(OPTION_FIELDS.map((field) => field.field)).size).toBe(OPTION_FIELDS.length);
    expect(new Set(OPTION_FIELDS.map((field) => field.flag)).size).toBe(OPTION_FIELDS.length);
  });

  it("spells each option consistently: snake_case field, kebab-case flag", () => {
    for (const option of OPTION_FIELDS) {
      const snake = option.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      expect(option.field).toBe(snake);
      expect(option.flag).toBe(`--${snake.replace(/_/g, "-")}`);
      expect(option.description.length).toBeGreaterThan(10);
    }
  });

  it("marks as remove.bg's exactly the fields the removebg dialect accepts", async () => {
    const { REMOVEBG_FIELDS } = await import("../../src/options/dialects/removebg.js");
    for (const option of OPTION_FIELDS.filter((o) => o.removebg)) expect(REMOVEBG_FIELDS.has(option.field), option.field).toBe(true);
  });

  it("every default, given alone, resolves to the library default", () => {
    for (const option of OPTION_FIELDS) {
      if (option.default === "" || option.group === "shadow") continue;
      expect(resolveCanonical({ [option.name]: option.default }), option.name).toEqual(DEFAULT_OPTIONS);
    }
  });

  it("the shadow defaults match DEFAULT_OPTIONS.shadow", () => {
    const shadow = resolveCanonical({ shadowColor: "#000000", shadowOffset: "10,10", shadowBlur: "10" }).shadow;
    expect(shadow).toEqual({ ...DEFAULT_OPTIONS.shadow, type: "drop" });
    expect(resolveCanonical({ shadowType: "none" })).toEqual(DEFAULT_OPTIONS);
  });

  it("every enum value listed is accepted", () => {
    for (const option of OPTION_FIELDS.filter((o) => o.kind === "enum")) {
      for (const value of option.values ?? []) {
        const result = validateCutoutOptions({ [option.name]: value });
        expect(result.ok, `${option.name}=${value}`).toBe(true);
      }
    }
  });
});
