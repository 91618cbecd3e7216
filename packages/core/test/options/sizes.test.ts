import { describe, expect, it } from "vitest";
import { LONG_SIDE_PRESETS, MEGAPIXEL_PRESETS, parseDimension, parseLongSideSize, parseMegapixelSize } from "../../src/options/sizes.js";
import { expectInvalid } from "./support.js";

describe("parseMegapixelSize (remove.bg)", () => {
  it.each([
    ["preview", 250_000],
    ["small", 250_000],
    ["regular", 250_000],
    ["medium", 1_500_000],
    ["hd", 4_000_000],
    ["full", 25_000_000],
    ["4k", 25_000_000],
    ["4K", 25_000_000],
    ["50MP", 50_000_000],
    ["50mp", 50_000_000],
  ])("%s is a %d pixel budget", (name, pixels) => {
    expect(parseMegapixelSize(name, "size")).toEqual({ kind: "megapixels", pixels });
  });

  it("auto keeps the original resolution", () => {
    expect(parseMegapixelSize("auto", "size")).toEqual({ kind: "original" });
  });

  it.each(["large", "", "1024", "constructor", "toString", "__proto__"])("refuses %j", (text) => {
    expectInvalid(() => parseMegapixelSize(text, "size"), "size", text);
  });

  it("ignores surrounding blanks", () => {
    expect(parseMegapixelSize(" medium ", "size")).toEqual({ kind: "megapixels", pixels: 1_500_000 });
  });

  it("returns copies, not the shared table's objects", () => {
    const size = parseMegapixelSize("hd", "size");
    expect(size).not.toBe(MEGAPIXEL_PRESETS.hd);
  });
});

describe("parseLongSideSize", () => {
  it.each([
    ["preview", 256],
    ["small", 512],
    ["medium", 1024],
    ["large", 2048],
  ])("%s caps the long side at %d px", (name, pixels) => {
    expect(parseLongSideSize(name, "size")).toEqual({ kind: "longSide", pixels });
  });

  it("full keeps the original resolution", () => {
    expect(parseLongSideSize("full", "size")).toEqual({ kind: "original" });
  });

  it.each(["hd", "4k", "50MP", "auto", "regular", ""])("refuses the remove.bg-only name %j", (text) => {
    expectInvalid(() => parseLongSideSize(text, "size"), "size", text);
  });

  it("has exactly the documented names", () => {
    expect(Object.keys(LONG_SIDE_PRESETS)).toEqual(["preview", "small", "medium", "large", "full"]);
  });
});

describe("parseDimension", () => {
  it("reads positive integers", () => {
    expect(parseDimension("800", "w")).toBe(800);
  });

  it.each(["0", "-5", "12.5", "abc", ""])("refuses %j", (text) => {
    expectInvalid(() => parseDimension(text, "w"), "w", text);
  });
});
