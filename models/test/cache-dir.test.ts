import { describe, expect, it } from "vitest";
import { defaultCacheDir } from "../src/cache-dir";

describe("defaultCacheDir", () => {
  const home = "/home/u";
  it("prefers CUTOUT_CACHE_DIR, then XDG_CACHE_HOME", () => {
    expect(defaultCacheDir({ env: { CUTOUT_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x" }, platform: "linux", homedir: home })).toBe("/c");
    expect(defaultCacheDir({ env: { CUTOUT_CACHE_DIR: "", XDG_CACHE_HOME: "/x" }, platform: "darwin", homedir: home })).toBe("/x/cutout");
  });

  it("uses each platform's per-user cache folder", () => {
    expect(defaultCacheDir({ env: {}, platform: "linux", homedir: home })).toBe("/home/u/.cache/cutout");
    expect(defaultCacheDir({ env: {}, platform: "darwin", homedir: "/Users/u" })).toBe("/Users/u/Library/Caches/cutout");
    expect(defaultCacheDir({ env: { LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, platform: "win32", homedir: "C:\\Users\\u" })).toBe(
      "C:\\Users\\u\\AppData\\Local\\cutout\\Cache",
    );
    expect(defaultCacheDir({ env: {}, platform: "win32", homedir: "C:\\Users\\u" })).toBe("C:\\Users\\u\\AppData\\Local\\cutout\\Cache");
  });
});
