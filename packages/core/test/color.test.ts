import { describe, expect, it } from "vitest";
import { parseColor } from "../src/color.js";
import { CutoutError } from "../src/errors.js";

describe("parseColor", () => {
  it.each([
    ["#f80", [255, 136, 0, 255]],
    ["f80", [255, 136, 0, 255]],
    ["#f808", [255, 136, 0, 136]],
    ["#ff8800", [255, 136, 0, 255]],
    ["FF8800", [255, 136, 0, 255]],
    ["#ff880080", [255, 136, 0, 128]],
    ["rgb(255, 140, 0)", [255, 140, 0, 255]],
    ["rgba(255,140,0,0.5)", [255, 140, 0, 128]],
    ["rgba(255 140 0 / 50%)", [255, 140, 0, 128]],
    ["(255, 140, 0, 255)", [255, 140, 0, 255]],
    ["(255, 140, 0)", [255, 140, 0, 255]],
    ["(255, 140, 0, 0)", [255, 140, 0, 0]],
    ["darkorange", [255, 140, 0, 255]],
    ["RebeccaPurple", [102, 51, 153, 255]],
    ["transparent", [0, 0, 0, 0]],
  ])("reads %s", (text, expected) => {
    expect(parseColor(text)).toEqual(expected);
  });

  it.each(["", "#12", "#12345", "rgb(256,0,0)", "rgb(1,2)", "notacolour", "rgba(1,2,3,4,5)", "(-1, 0, 0)"])(
    "refuses %j with a validation_error naming the field and value",
    (text) => {
      const error = (() => {
        try {
          parseColor(text, "bg_color");
        } catch (e) {
          return e;
        }
      })() as CutoutError;
      expect(error).toBeInstanceOf(CutoutError);
      expect(error.code).toBe("validation_error");
      expect(error.field).toBe("bg_color");
      expect(error.message).toContain("bg_color");
      expect(error.message).toContain(`'${text}'`);
    },
  );

  it("refuses non-strings", () => {
    expect(() => parseColor(42, "bg_color")).toThrow(/bg_color.*42/);
  });
});
