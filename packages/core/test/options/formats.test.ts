import { describe, expect, it } from "vitest";
import { parseChannels, parseFormat, parseSubject, parseTypeLevel } from "../../src/options/formats.js";
import { expectInvalid } from "./support.js";

describe("parseFormat", () => {
  it.each([
    ["auto", "auto"],
    ["png", "png"],
    ["PNG", "png"],
    ["jpg", "jpg"],
    ["jpeg", "jpg"],
    ["JPEG", "jpg"],
    ["webp", "webp"],
    ["bmp", "bmp"],
    ["zip", "zip"],
  ])("%s -> %s", (text, expected) => {
    expect(parseFormat(text, "format")).toBe(expected);
  });

  it.each(["gif", "tiff", "", "mask", "png8"])("refuses %j", (text) => {
    expectInvalid(() => parseFormat(text, "format"), "format", text);
  });
});

describe("parseChannels", () => {
  it.each(["rgba", "alpha", "rgb"])("reads %s", (text) => {
    expect(parseChannels(text, "channels")).toBe(text);
  });

  it.each(["argb", "mask", ""])("refuses %j", (text) => {
    expectInvalid(() => parseChannels(text, "channels"), "channels", text);
  });
});

describe("parseSubject", () => {
  it.each(["auto", "person", "product", "car", "animal", "graphic", "transportation"])("reads %s", (text) => {
    expect(parseSubject(text, "type")).toBe(text);
  });

  it.each(["people", "cars", "other", ""])("refuses %j", (text) => {
    expectInvalid(() => parseSubject(text, "type"), "type", text);
  });
});

describe("parseTypeLevel", () => {
  it.each(["none", "1", "2", "latest"])("reads %s", (text) => {
    expect(parseTypeLevel(text, "type_level")).toBe(text);
  });

  it.each(["3", "0", "all"])("refuses %j", (text) => {
    expectInvalid(() => parseTypeLevel(text, "type_level"), "type_level", text);
  });
});
