import { describe, expect, it } from "vitest";
import {
  backgroundImageFromBytes,
  parseBackgroundColor,
  parseBackgroundFile,
  parseBackgroundImage,
  parseBlurRadius,
  parseImageUrl,
} from "../../src/options/backgrounds.js";
import { parseColorField } from "../../src/options/colors.js";
import { expectInvalid } from "./support.js";

describe("parseColorField", () => {
  it("reads what parseColor reads", () => {
    expect(parseColorField("#81d4fa", "bg_color")).toEqual([0x81, 0xd4, 0xfa, 255]);
    expect(parseColorField("green", "bg_color")).toEqual([0, 128, 0, 255]);
    expect(parseColorField("(0, 0, 0, 150)", "shadow_color")).toEqual([0, 0, 0, 150]);
  });

  it.each(["constructor", "__proto__", "nope", ""])("refuses %j with a validation error, never null", (text) => {
    expectInvalid(() => parseColorField(text, "bg_color"), "bg_color", text);
  });
});

describe("parseBackgroundColor", () => {
  it("is a colour background", () => {
    expect(parseBackgroundColor("81d4fa", "bg_color")).toEqual({ type: "color", color: [0x81, 0xd4, 0xfa, 255] });
  });

  it("refuses a non-colour", () => {
    expectInvalid(() => parseBackgroundColor("blurple", "bg_color"), "bg_color", "blurple");
  });
});

describe("parseBlurRadius", () => {
  it.each([
    ["1", 1],
    ["10", 10],
    ["50", 50],
    ["2.5", 2.5],
  ])("%s", (text, radius) => {
    expect(parseBlurRadius(text, "radius")).toEqual({ type: "blur", radius });
  });

  it.each(["0", "0.5", "51", "50.01", "-1", "", "ten"])("refuses %j, never clamps", (text) => {
    expectInvalid(() => parseBlurRadius(text, "radius"), "radius", text);
  });
});

describe("parseImageUrl", () => {
  it("reads http and https URLs", () => {
    expect(parseImageUrl("https://example.com/bg.jpg", "bg_image_url")).toBe("https://example.com/bg.jpg");
    expect(parseImageUrl(" http://example.com/a.png?x=1 ", "bg_image_url")).toBe("http://example.com/a.png?x=1");
  });

  it.each(["ftp://example.com/a.png", "example.com/a.png", "https://", "https:// x", "", "/tmp/a.png", "data:image/png;base64,AAAA"])(
    "refuses %j",
    (text) => {
      expectInvalid(() => parseImageUrl(text, "bg_image_url"), "bg_image_url", text);
    },
  );
});

describe("parseBackgroundImage", () => {
  it("reads URLs and file paths", () => {
    expect(parseBackgroundImage("https://example.com/bg.jpg", "bgImage")).toEqual({ type: "image", source: "https://example.com/bg.jpg" });
    expect(parseBackgroundImage("./bg.png", "bgImage")).toEqual({ type: "image", source: "./bg.png" });
    expect(parseBackgroundImage("C:\\photos\\bg.png", "bgImage")).toEqual({ type: "image", source: "C:\\photos\\bg.png" });
  });

  it.each(["", "   ", "ftp://example.com/bg.png", "a\0b"])("refuses %j", (text) => {
    expectInvalid(() => parseBackgroundImage(text, "bgImage"), "bgImage");
  });

  it("bytes must not be empty", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(backgroundImageFromBytes(bytes, "bgImage")).toEqual({ type: "image", source: bytes });
    expectInvalid(() => backgroundImageFromBytes(new Uint8Array(), "bgImage"), "bgImage");
  });
});

describe("parseBackgroundFile (remove.bg bg_image_file)", () => {
  it("keeps the saved upload's path", () => {
    expect(parseBackgroundFile("/tmp/upload-1.jpg", "bg_image_file")).toEqual({ type: "image", source: "/tmp/upload-1.jpg" });
  });

  it("refuses an empty value", () => {
    expectInvalid(() => parseBackgroundFile("", "bg_image_file"), "bg_image_file", "");
  });
});
