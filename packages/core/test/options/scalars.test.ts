import { describe, expect, it } from "vitest";
import { parseBoolean, parseEnum, parseInteger, parseNumber, parsePositiveInteger, splitList } from "../../src/options/scalars.js";
import { expectInvalid } from "./support.js";

describe("parseBoolean", () => {
  it.each([
    ["true", true],
    ["TRUE", true],
    ["1", true],
    ["yes", true],
    ["Yes", true],
    [" true ", true],
    ["false", false],
    ["False", false],
    ["0", false],
    ["no", false],
    ["NO", false],
  ])("reads %j", (text, expected) => {
    expect(parseBoolean(text, "crop")).toBe(expected);
  });

  it.each(["", "y", "n", "on", "off", "2", "truee", "t"])("refuses %j", (text) => {
    expectInvalid(() => parseBoolean(text, "crop"), "crop", text);
  });
});

describe("parseNumber", () => {
  it.each([
    ["12", 12],
    ["-3.5", -3.5],
    [".5", 0.5],
    ["+4", 4],
    ["7.", 7],
    [" 8 ", 8],
  ])("reads %j", (text, expected) => {
    expect(parseNumber(text, "angle")).toBe(expected);
  });

  it.each(["", " ", "1e3", "0x10", "Infinity", "NaN", "1,5", "abc", "--1", "."])("refuses %j", (text) => {
    expectInvalid(() => parseNumber(text, "angle"), "angle", text);
  });
});

describe("parseInteger / parsePositiveInteger", () => {
  it("reads signed integers", () => {
    expect(parseInteger("-12", "x")).toBe(-12);
    expect(parseInteger("+3", "x")).toBe(3);
  });

  it.each(["1.0", "1.5", "", "9007199254740993", "1e2"])("parseInteger refuses %j", (text) => {
    expectInvalid(() => parseInteger(text, "x"), "x", text);
  });

  it.each(["0", "-1", "abc", "2.5"])("parsePositiveInteger refuses %j", (text) => {
    expectInvalid(() => parsePositiveInteger(text, "w"), "w", text);
  });

  it("parsePositiveInteger reads 1 and up", () => {
    expect(parsePositiveInteger("1", "w")).toBe(1);
    expect(parsePositiveInteger("4096", "w")).toBe(4096);
  });
});

describe("parseEnum", () => {
  const values = ["png", "jpg"] as const;
  it("matches any case and applies aliases", () => {
    expect(parseEnum("PNG", "format", values)).toBe("png");
    expect(parseEnum("jpeg", "format", values, { jpeg: "jpg" })).toBe("jpg");
  });

  it("does not find Object.prototype members", () => {
    expectInvalid(() => parseEnum("constructor", "format", values, { jpeg: "jpg" }), "format", "constructor");
    expectInvalid(() => parseEnum("__proto__", "format", values, { jpeg: "jpg" }), "format", "__proto__");
  });

  it("lists the accepted values", () => {
    const error = expectInvalid(() => parseEnum("gif", "format", values), "format", "gif");
    expect(error.message).toContain("png, jpg");
  });
});

describe("splitList", () => {
  it("splits on spaces and commas", () => {
    expect(splitList(" 10px  5% ")).toEqual(["10px", "5%"]);
    expect(splitList("10px,5%")).toEqual(["10px", "5%"]);
    expect(splitList("1, 2 ,3  4")).toEqual(["1", "2", "3", "4"]);
    expect(splitList("")).toEqual([]);
    expect(splitList("10px,")).toEqual(["10px", ""]);
  });
});
