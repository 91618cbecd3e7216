import { describe, expect, it } from "vitest";
import {
  parseOffset,
  parseShadowBlur,
  parseShadowOpacity,
  parseShadowType,
  resolveShadowType,
  SHADOW_DEFAULT_OPACITY,
} from "../../src/options/shadow.js";
import { expectInvalid } from "./support.js";

describe("parseShadowType", () => {
  it.each([
    ["none", "none"],
    ["drop", "drop"],
    ["3D", "3D"],
    ["3d", "3D"],
    ["car", "car"],
    ["CAR", "car"],
    ["auto", "auto"],
  ])("%s -> %s", (text, expected) => {
    expect(parseShadowType(text, "shadow_type")).toBe(expected);
  });

  it.each(["natural", "soft", "", "true"])("refuses %j", (text) => {
    expectInvalid(() => parseShadowType(text, "shadow_type"), "shadow_type", text);
  });
});

describe("resolveShadowType", () => {
  it("auto follows the subject: car -> car, product -> 3D, otherwise drop", () => {
    expect(resolveShadowType("auto", "car")).toBe("car");
    expect(resolveShadowType("auto", "product")).toBe("3D");
    expect(resolveShadowType("auto", "person")).toBe("drop");
    expect(resolveShadowType("auto", "auto")).toBe("drop");
    expect(resolveShadowType("auto", "animal")).toBe("drop");
  });

  it("leaves explicit types alone", () => {
    expect(resolveShadowType("car", "person")).toBe("car");
    expect(resolveShadowType("none", "car")).toBe("none");
  });

  it("has per-type default opacities", () => {
    expect(SHADOW_DEFAULT_OPACITY).toEqual({ drop: 0.5, "3D": 0.65, car: 0.9 });
  });
});

describe("parseShadowOpacity", () => {
  it.each([
    ["0", 0],
    ["50", 0.5],
    ["100", 1],
    ["12.5", 0.125],
  ])("%s -> %d", (text, expected) => {
    expect(parseShadowOpacity(text, "shadow_opacity")).toBe(expected);
  });

  it.each(["101", "-1", "0.5x", "50%", ""])("refuses %j, never clamps", (text) => {
    expectInvalid(() => parseShadowOpacity(text, "shadow_opacity"), "shadow_opacity", text);
  });
});

describe("parseOffset", () => {
  it.each([
    ["(10, 20)", [10, 20]],
    ["(10,20)", [10, 20]],
    ["( -5 , 7 )", [-5, 7]],
    ["10,20", [10, 20]],
    ["10, -20", [10, -20]],
    ["10 20", [10, 20]],
    ["+3 -4", [3, -4]],
  ])("%j", (text, expected) => {
    expect(parseOffset(text, "offset")).toEqual(expected);
  });

  it.each(["10", "(10, 20", "10, 20)", "1.5, 2", "1,2,3", "", "(a, b)", "[10, 20]"])("refuses %j", (text) => {
    expectInvalid(() => parseOffset(text, "offset"), "offset", text);
  });
});

describe("parseShadowBlur", () => {
  it("reads 0 and up", () => {
    expect(parseShadowBlur("0", "blur_radius")).toBe(0);
    expect(parseShadowBlur("12.5", "blur_radius")).toBe(12.5);
  });

  it.each(["-1", "", "soft"])("refuses %j", (text) => {
    expectInvalid(() => parseShadowBlur(text, "blur_radius"), "blur_radius", text);
  });
});
