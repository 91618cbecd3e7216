import { describe, expect, it } from "vitest";
import { parseLength, parseMargin } from "../../src/options/lengths.js";
import { expectInvalid } from "./support.js";

const px = (value: number) => ({ value, unit: "px" });
const pc = (value: number) => ({ value, unit: "%" });

describe("parseLength", () => {
  it.each([
    ["30px", px(30)],
    ["30PX", px(30)],
    ["10%", pc(10)],
    ["2.5px", px(2.5)],
    ["0", px(0)],
    ["30", px(30)],
    [" 12% ", pc(12)],
  ])("%j", (text, expected) => {
    expect(parseLength(text, "len")).toEqual(expected);
  });

  it.each(["-5px", "px", "%", "10 px", "10em", "", "1e2px", "ten"])("refuses %j", (text) => {
    expectInvalid(() => parseLength(text, "len"), "len", text);
  });
});

describe("parseMargin (crop_margin)", () => {
  it("one value applies to every side", () => {
    expect(parseMargin("30px", "crop_margin")).toEqual({ top: px(30), right: px(30), bottom: px(30), left: px(30) });
  });

  it("two values are top/bottom then left/right", () => {
    expect(parseMargin("10px 5%", "crop_margin")).toEqual({ top: px(10), right: pc(5), bottom: px(10), left: pc(5) });
  });

  it("four values are top, right, bottom, left", () => {
    expect(parseMargin("1px 2px 3px 4px", "crop_margin")).toEqual({ top: px(1), right: px(2), bottom: px(3), left: px(4) });
  });

  it("accepts commas as separators, and bare numbers as pixels", () => {
    expect(parseMargin("1,2, 3 ,4", "crop_margin")).toEqual({ top: px(1), right: px(2), bottom: px(3), left: px(4) });
  });

  it("allows exactly the limits, 50% and 500px", () => {
    expect(parseMargin("50% 500px", "crop_margin").top).toEqual(pc(50));
  });

  it.each(["51%", "501px", "501", "10px 60%", "0 0 0 500.5px"])("refuses %j as over the limit, never clamps", (text) => {
    expectInvalid(() => parseMargin(text, "crop_margin"), "crop_margin", text);
  });

  it.each(["1px 2px 3px", "1 2 3 4 5", "", "-1px", "10px,", "abc"])("refuses %j", (text) => {
    expectInvalid(() => parseMargin(text, "crop_margin"), "crop_margin", text);
  });
});
