import { describe, expect, it } from "vitest";
import { parseAngle, parsePosition, parseRegion, parseRoi, parseScale } from "../../src/options/geometry.js";
import { expectInvalid } from "./support.js";

describe("parseScale", () => {
  it.each([
    ["10%", 0.1],
    ["50%", 0.5],
    ["100%", 1],
    ["12.5%", 0.125],
  ])("%s -> %d", (text, expected) => {
    expect(parseScale(text, "scale")).toBeCloseTo(expected, 10);
  });

  it("reads original", () => {
    expect(parseScale("original", "scale")).toBe("original");
    expect(parseScale("Original", "scale")).toBe("original");
  });

  it.each(["9%", "101%", "0%", "50", "0.5", "-10%", "", "50 %"])("refuses %j", (text) => {
    expectInvalid(() => parseScale(text, "scale"), "scale", text);
  });
});

describe("parsePosition", () => {
  it("reads the keywords", () => {
    expect(parsePosition("original", "position")).toEqual({ kind: "original" });
    expect(parsePosition("center", "position")).toEqual({ kind: "center" });
  });

  it("one percentage applies to both axes", () => {
    expect(parsePosition("30%", "position")).toEqual({ kind: "percent", x: 30, y: 30 });
  });

  it("two percentages are x then y", () => {
    expect(parsePosition("0% 100%", "position")).toEqual({ kind: "percent", x: 0, y: 100 });
    expect(parsePosition("25%,75%", "position")).toEqual({ kind: "percent", x: 25, y: 75 });
  });

  it.each(["101%", "50% 101%", "-1%", "50", "50% 50% 50%", "", "centre", "top"])("refuses %j", (text) => {
    expectInvalid(() => parsePosition(text, "position"), "position", text);
  });
});

describe("parseRoi", () => {
  it("reads px and % corners", () => {
    expect(parseRoi("10px 20px 300px 400px", "roi")).toEqual({
      x1: { value: 10, unit: "px" },
      y1: { value: 20, unit: "px" },
      x2: { value: 300, unit: "px" },
      y2: { value: 400, unit: "px" },
    });
    expect(parseRoi("0% 0% 50% 100%", "roi").x2).toEqual({ value: 50, unit: "%" });
  });

  it("cannot compare mixed units, so leaves them to the renderer", () => {
    expect(parseRoi("400px 0 50% 100%", "roi").x1).toEqual({ value: 400, unit: "px" });
  });

  it.each(["100px 0 50px 100px", "0 10% 100% 10%", "0 0 100% 101%", "0 0 100%", "a b c d", "", "0 0 -1 5"])("refuses %j", (text) => {
    expectInvalid(() => parseRoi(text, "roi"), "roi", text);
  });

  it("parseRegion reads the whole image as null (the default)", () => {
    expect(parseRegion("0% 0% 100% 100%", "roi")).toBeNull();
    expect(parseRegion("0 0 100% 100%", "roi")).toBeNull();
    expect(parseRegion("1px 0 100% 100%", "roi")).not.toBeNull();
  });
});

describe("parseAngle", () => {
  it.each([
    ["0", 0],
    ["90", 90],
    ["-45.5", -45.5],
    ["360", 360],
    ["-360", -360],
  ])("%s", (text, expected) => {
    expect(parseAngle(text, "angle")).toBe(expected);
  });

  it.each(["361", "-360.5", "90deg", "", "abc"])("refuses %j", (text) => {
    expectInvalid(() => parseAngle(text, "angle"), "angle", text);
  });
});
