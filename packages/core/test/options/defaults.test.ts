import { describe, expect, it } from "vitest";
import { copyOptions, DEFAULT_OPTIONS } from "../../src/options/defaults.js";

describe("DEFAULT_OPTIONS", () => {
  it("holds the library defaults", () => {
    expect(DEFAULT_OPTIONS).toEqual({
      size: { kind: "original" },
      format: "png",
      channels: "rgba",
      background: { type: "none" },
      shadow: { type: "none", opacity: 0.5, color: [0, 0, 0, 255], offset: [10, 10], blur: 10 },
      crop: false,
      cropMargin: {
        top: { value: 0, unit: "px" },
        right: { value: 0, unit: "px" },
        bottom: { value: 0, unit: "px" },
        left: { value: 0, unit: "px" },
      },
      scale: "original",
      position: { kind: "original" },
      roi: null,
      angle: 0,
      expand: true,
      semitransparency: true,
      subject: "auto",
    });
  });

  it("cannot be changed by accident", () => {
    expect(Object.isFrozen(DEFAULT_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_OPTIONS.shadow)).toBe(true);
    expect(Object.isFrozen(DEFAULT_OPTIONS.cropMargin.top)).toBe(true);
    expect(() => {
      (DEFAULT_OPTIONS as { format: string }).format = "jpg";
    }).toThrow(TypeError);
  });

  it("copyOptions gives a deep, mutable copy", () => {
    const copy = copyOptions();
    expect(copy).toEqual(DEFAULT_OPTIONS);
    copy.shadow.opacity = 1;
    copy.cropMargin.top.value = 5;
    expect(DEFAULT_OPTIONS.shadow.opacity).toBe(0.5);
    expect(DEFAULT_OPTIONS.cropMargin.top.value).toBe(0);
  });
});
