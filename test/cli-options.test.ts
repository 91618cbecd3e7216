/**
 * The CLI's image options (issue "every option the paid APIs offer"): flags
 * in remove.bg's spelling reach the renderer with remove.bg's meaning, and
 * bad values are usage errors that name the flag. One real cut-out per
 * effect run; validation cases fail before the model loads.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOnce, decode, FIXTURES, jsonLines, runCli, tempDir } from "./support/cli";

let dir: string;
beforeAll(async () => {
  buildOnce();
  dir = await tempDir("cli-options");
  await fs.copyFile(path.join(FIXTURES, "car-1.jpg"), path.join(dir, "car-1.jpg"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("image options on the command line", () => {
  it("crop, margin, background colour, shadow and size reach the output", async () => {
    const result = await runCli(
      [
        "car-1.jpg",
        "--crop",
        "--crop-margin",
        "10px",
        "--bg-color",
        "#0000ff",
        "--shadow-type",
        "drop",
        "--width",
        "300",
        "-o",
        "fx.png",
        "--json",
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const [line] = jsonLines(result.stdout);
    const out = await decode(path.join(dir, "fx.png"));
    // Cropped to the subject (418x206 plus margins and the shadow's room), then scaled to 300 wide.
    expect(out.width).toBe(300);
    expect(out.height).toBeLessThan(200);
    expect(line?.width).toBe(300);
    // The foreground box stays in the input's coordinates.
    expect(line?.foreground?.left).toBeGreaterThan(20);
    expect(line?.foreground?.width).toBeGreaterThan(380);
    // Opaque blue background in the top-left corner, where there is no subject.
    expect([out.at(0, 0, 0), out.at(0, 0, 1), out.at(0, 0, 2), out.at(0, 0, 3)]).toEqual([0, 0, 255, 255]);
  });

  it("format auto writes jpg for an opaque result, and names the file after it", async () => {
    const opaque = await runCli(["car-1.jpg", "-f", "auto", "--bg-color", "white", "--json"], { cwd: dir });
    expect(opaque.code, opaque.stderr).toBe(0);
    const [line] = jsonLines(opaque.stdout);
    expect(line?.format).toBe("jpg");
    expect(line?.output).toBe("car-1.cutout.jpg");
    expect((await fs.readFile(path.join(dir, "car-1.cutout.jpg"))).subarray(0, 2).toString("hex")).toBe("ffd8");
  });

  it("refuses bad option values with exit 2, naming the option, before loading the model", async () => {
    const cases: [string[], RegExp][] = [
      [["--bg-color", "nope"], /bg_color|bgColor|bg-color/],
      [["--crop-margin", "60%", "--crop"], /crop/i],
      [["--scale", "5%"], /scale/],
      [["--angle", "400"], /angle/],
      [["--shadow-type", "sideways"], /shadow/i],
      [["--bg-color", "red", "--bg-blur", "10"], /bg/],
      [["--size", "huge"], /size/],
      [["--expand", "--no-expand"], /expand/],
      [["--precision", "int4"], /precision.*int4/],
      [["--quality", "ultra"], /quality.*ultra/],
    ];
    for (const [flags, pattern] of cases) {
      const result = await runCli(["car-1.jpg", ...flags], {
        cwd: dir,
        env: { CUTOUT_CACHE_DIR: path.join(dir, "no-cache"), npm_config_registry: "http://127.0.0.1:9/" },
      });
      expect(result.code, `${flags.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr, flags.join(" ")).toMatch(pattern);
      expect(result.stderr).not.toContain("    at ");
    }
    expect((await fs.readdir(dir)).filter((f) => f.includes(".cutout."))).not.toContain("car-1.cutout.png");
  });

  it("refuses a PNG above 10 MP unless --max-png-pixels allows it, pointing to webp or zip", async () => {
    const result = await runCli(["car-1.jpg", "--max-png-pixels", "100000", "-o", "big.png"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/image_too_large: PNG output is limited .*webp or zip/);
    await expect(fs.stat(path.join(dir, "big.png"))).rejects.toThrow();
  });
});
