import { describe, expect, it } from "vitest";
import { type Choices, checkChoices, checkOption, DEFAULT_CHOICES, describeChoices, sizeChoices, toOptions } from "../src/choices.js";

const choices = (change: Partial<Choices>): Choices => ({ ...DEFAULT_CHOICES, ...change });

describe("choices become core's options", () => {
  it("the defaults ask for nothing beyond the format", () => {
    expect(toOptions(DEFAULT_CHOICES)).toEqual({ format: "png" });
  });

  it("each background sets its one option", () => {
    expect(toOptions(choices({ background: { kind: "color", value: "#81d4fa" } }))).toMatchObject({ bgColor: "#81d4fa" });
    expect(toOptions(choices({ background: { kind: "blur", value: "20" } }))).toMatchObject({ bgBlur: "20" });
    expect(toOptions(choices({ background: { kind: "gradient", value: "white, black" } }))).toMatchObject({ bgGradient: "white, black" });
    expect(toOptions(choices({ background: { kind: "image", value: "/a/b.jpg" } }))).toMatchObject({ bgImage: "/a/b.jpg" });
  });

  it("crop with its margin, size and shadow", () => {
    const options = toOptions(choices({ format: "webp", crop: { enabled: true, margin: "10%" }, size: "hd", shadow: "drop" }));
    expect(options).toEqual({ format: "webp", crop: true, cropMargin: "10%", size: "hd", shadowType: "drop" });
    // A margin typed but crop not chosen does nothing.
    expect(toOptions(choices({ crop: { enabled: false, margin: "10%" } }))).toEqual({ format: "png" });
  });

  it("core validates every value, naming the option and the bad value", () => {
    expect(checkOption("bgColor", "#81d4fa")).toBeUndefined();
    expect(checkOption("bgColor", "not a colour")).toMatch(/bgColor/);
    expect(checkOption("bgBlur", "80")).toMatch(/bgBlur.*80|80.*bgBlur/);
    expect(checkOption("cropMargin", "10%")).toBeUndefined();
    expect(checkOption("cropMargin", "lots")).toMatch(/cropMargin/);
    expect(checkChoices(choices({ format: "mask", shadow: "drop" }))).toEqual([]);
    expect(checkChoices(choices({ background: { kind: "gradient", value: "red" } })).join()).toMatch(/bgGradient/);
  });

  it("summarises on one line", () => {
    const text = describeChoices(
      choices({
        format: "webp",
        background: { kind: "image", value: "/x/y/beach.jpg" },
        crop: { enabled: true, margin: "5%" },
        shadow: "3D",
      }),
    );
    expect(text).toBe("webp · image beach.jpg · crop 5% · 3D shadow");
  });

  it("size presets: one per distinct size, auto first", () => {
    const names = sizeChoices().map((s) => s.name);
    expect(names[0]).toBe("auto");
    expect(names).toEqual(["auto", "preview", "medium", "hd", "full", "50MP"]);
    expect(sizeChoices().find((s) => s.name === "hd")?.detail).toBe("up to 4 megapixels");
  });
});
