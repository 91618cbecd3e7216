import path from "node:path";
import { describe, expect, it } from "vitest";
import { freeName, outputDirectory, stemOf } from "../src/naming.js";

describe("the name-collision rule", () => {
  const taken = (...names: string[]) => {
    const set = new Set(names);
    return (name: string) => set.has(name);
  };

  it("keeps core's name when it is free", () => {
    expect(freeName("photo", ".cutout.png", taken())).toBe("photo.cutout.png");
    expect(freeName("photo", ".cutout.png", taken("photo.cutout.webp", "photo.png"))).toBe("photo.cutout.png");
  });

  it("numbers before the extension, taking the first free number", () => {
    expect(freeName("photo", ".cutout.png", taken("photo.cutout.png"))).toBe("photo.cutout-1.png");
    expect(freeName("photo", ".cutout.png", taken("photo.cutout.png", "photo.cutout-1.png", "photo.cutout-2.png"))).toBe(
      "photo.cutout-3.png",
    );
    // A gap is filled: -1 was deleted since.
    expect(freeName("photo", ".cutout.png", taken("photo.cutout.png", "photo.cutout-2.png"))).toBe("photo.cutout-1.png");
    expect(freeName("car", ".mask.png", taken("car.mask.png"))).toBe("car.mask-1.png");
  });

  it("keeps spaces, unicode and dots in the name", () => {
    expect(freeName("car ü 1.v2", ".cutout.webp", taken("car ü 1.v2.cutout.webp"))).toBe("car ü 1.v2.cutout-1.webp");
  });

  it("stems drop only the last extension; dot-files keep their name", () => {
    expect(stemOf("/a/b/photo.jpg")).toBe("photo");
    expect(stemOf("/a/b/photo.final.JPEG")).toBe("photo.final");
    expect(stemOf("/a/.hidden")).toBe(".hidden");
    expect(stemOf("/a/noext")).toBe("noext");
  });
});

describe("the output folder", () => {
  const image = path.join("/work", "site", "img", "hero.jpg");

  it("is the image's own folder when the setting is empty", () => {
    expect(outputDirectory(image, "", "/work/site")).toBe(path.dirname(image));
    expect(outputDirectory(image, "  ", "/work/site")).toBe(path.dirname(image));
  });

  it("is relative to the image's workspace folder, or to the image's folder outside every workspace folder", () => {
    expect(outputDirectory(image, "cutouts", "/work/site")).toBe(path.resolve("/work/site/cutouts"));
    expect(outputDirectory(image, "../shared out", "/work/site")).toBe(path.resolve("/work/shared out"));
    expect(outputDirectory(image, "cutouts", undefined)).toBe(path.resolve("/work/site/img/cutouts"));
  });

  it("is used as given when absolute", () => {
    expect(outputDirectory(image, "/tmp/out", "/work/site")).toBe(path.resolve("/tmp/out"));
  });
});
